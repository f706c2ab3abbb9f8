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
    /// Settable here only for `RejectionReasons.intern`, which swaps each
    /// reason for the one kept in place.
    public internal(set) var figures: Figures

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

/// The figures of a batch, by what it says: two versions of one identity
/// and revision are duplicates when these are equal, and in conflict when
/// they differ.
public enum Figures: Equatable, Sendable {
    /// A higher revision that takes the batch back: it counts for nothing.
    case withdrawn
    /// The ballot papers in one box.
    case verification(ballotPapers: Int)
    case count(VoteCount)
    case declaration(Declaration)
    /// Supplementary Vote's second stage: second preferences for each
    /// candidate (election.json order), and examined ballots whose second
    /// preference was for nobody still in the race.
    case secondPreferences(transfers: [Int], nonTransferable: Int)

    /// The count's figures, for a count.
    public var voteCount: VoteCount? { if case .count(let count) = self { count } else { nil } }

    /// Ballots the batch counted: a count's ballots, none for anything else.
    public var countedBallots: Int { voteCount?.ballots ?? 0 }
}

/// The figures of a count (or a declaration's count).
public struct VoteCount: Equatable, Sendable {
    /// Votes per candidate, in election.json order.
    public let votes: [Int]
    /// Rejected ballots by reason, sorted by reason.
    public internal(set) var rejected: [RejectedBallots]
    /// The ballot papers the batch covers, rejected ones included.
    public let ballots: Int

    public init(votes: [Int], rejected: [RejectedBallots], ballots: Int) {
        self.votes = votes
        self.rejected = rejected
        self.ballots = ballots
    }

    public var rejectedTotal: Int { rejected.reduce(0) { $0 + $1.count } }
    public var validVotes: Int { votes.reduce(0, +) }
}

/// The result the returning officer declared for the whole contest.
public struct Declaration: Equatable, Sendable {
    /// The declared votes, rejected ballots and ballots.
    public let count: VoteCount
    /// The candidates declared elected, by their place in election.json.
    public let elected: [Int]
    /// The ballot papers declared, if given.
    public let declaredPapers: Int?
    /// Supplementary Vote: second preferences transferred to each candidate.
    public let transfers: [Int]?
}

public struct RejectedBallots: Equatable, Sendable {
    public internal(set) var reason: String
    public let count: Int

    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}
