/// A checked batch: one verification or one count, tied to its contest.
public struct Batch: Equatable, Sendable {
    public enum Kind: String, Equatable, Hashable, Sendable, CaseIterable {
        /// The ballot papers in one box, counted face down before the votes.
        case verification
        /// Votes for each candidate, and rejected ballots.
        case count
        /// The result the returning officer declared for the whole contest.
        case declaration
        /// Supplementary Vote's second stage: the second preferences on the
        /// ballots of eliminated candidates, of one box or a bundle.
        case secondPreferences = "second-preferences"
    }

    /// What a batch is about: one box, or a bundle of mixed ballots of an area.
    public enum Target: Equatable, Hashable, Sendable {
        case box(Int)
        case area(Int)
        /// The whole contest: a declaration.
        case contest
    }

    public let identity: BatchIdentity
    public let revision: Int
    /// When the batch was made (seconds since 1970), if the file said.
    public let at: Double?
    public let figures: Figures

    public var contest: Int { identity.contest }
    public var kind: Kind { identity.kind }
    public var target: Target { identity.target }

    public init(identity: BatchIdentity, revision: Int, at: Double?, figures: Figures) {
        self.identity = identity
        self.revision = revision
        self.at = at
        self.figures = figures
    }
}

/// The identity of a batch: versions with the same identity replace or
/// duplicate each other by the merging rules.
public struct BatchIdentity: Hashable, Sendable {
    public let contest: Int
    public let kind: Batch.Kind
    public let target: Batch.Target
    public let batch: String

    public init(contest: Int, kind: Batch.Kind, target: Batch.Target, batch: String = "") {
        self.contest = contest
        self.kind = kind
        self.target = target
        self.batch = batch
    }

    /// How the identity is written in messages and snapshots,
    /// for example `count area=Bow East batch=3`.
    public func label(in election: Election) -> String { BatchName(identity: self, election: election).label }
}

/// The figures of a batch: two versions of one identity and revision are
/// duplicates when these are equal, and in conflict when they differ.
public struct Figures: Equatable, Sendable {
    public var withdrawn: Bool = false
    /// verification: papers in the box.
    public var ballotPapers: Int = 0
    /// count: votes per candidate, in election.json order.
    public var votes: [Int] = []
    /// count: rejected ballots by reason, sorted by reason.
    public var rejected: [RejectedBallots] = []
    /// count: the ballot papers the batch covers, rejected ones included.
    public var ballots: Int = 0
    /// declaration: the candidates declared elected, in election.json order
    /// of their place; the ballot papers declared, if given; for
    /// Supplementary Vote, second preferences transferred to each candidate.
    public var elected: [Int] = []
    public var declaredPapers: Int?
    public var transfers: [Int]?
    /// second-preferences: examined ballots whose second preference was for
    /// nobody still in the race.
    public var nonTransferable = 0

    public init() {}

    public static let withdrawnFigures: Figures = {
        var figures = Figures()
        figures.withdrawn = true
        return figures
    }()

    public var rejectedTotal: Int { rejected.reduce(0) { $0 + $1.count } }
    public var validVotes: Int { votes.reduce(0, +) }
}

public struct RejectedBallots: Equatable, Sendable {
    public let reason: String
    public let count: Int

    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}
