/// The state of the whole count at one moment: what headless mode writes and
/// what the dashboard draws.
public struct Snapshot: Equatable, Sendable {
    public var time: Double
    public var election: String
    public var title: String
    public var rehearsal: Bool
    public var contests: [ContestSnapshot] {
        // A contest changed here is written afresh.
        didSet { encodedContests = EncodedContests() }
    }
    public var refusedFiles: [RefusedFile]
    public var conflicts: [Conflict]
    /// When the last batch file arrived (read by the feed reader, or its
    /// journal entry in a replay); nil before any. Set at the edge, which
    /// keeps the clock.
    public var lastBatchAt: Double? = nil
    /// Why the feed directory cannot be read now; nil while it answers.
    public var feedProblem: String? = nil
    /// The results that changed since the snapshot written or shown before
    /// this one (`ResultAlert.changes`); empty when nothing did.
    public var alerts: [ResultAlert] = []
    /// Each contest's JSON, when the state that made the snapshot kept it
    /// from an earlier one (`CountState.snapshot(time:boxes:areas:json:)`).
    var encodedContests = EncodedContests()

    public var isComplete: Bool { contests.allSatisfy { $0.status.isFinished } }

    /// The snapshot with a refused election.json listed first among the
    /// refused files, so that nobody misses it.
    public consuming func listingRefusedElection(_ problem: String?) -> Snapshot {
        guard let problem else { return self }
        refusedFiles.insert(RefusedFile(file: ElectionFile.name, reason: "\(problem) (the previous version stays in force)"), at: 0)
        return self
    }
}

struct ContestVersion: Equatable, Sendable {
    let electionVersion: Int
    let changes: Int
}

/// Each contest's JSON as `Snapshot.json` writes it, made beforehand. Not
/// part of what a snapshot says: any two are equal, so that snapshots
/// compare by their content alone.
struct EncodedContests: Equatable, Sendable {
    /// As UTF-8: written into a line as they are, never read as text.
    var json: [[UInt8]] = []
    /// Which state of each contest its snapshot was made from (the
    /// election.json in force and the contest's count of changes), nil for
    /// one made afresh: a contest's JSON kept from an earlier snapshot
    /// (`ContestJSONCache`) is written again only when this or its held
    /// projection differs. Empty when the state did not say.
    var versions: [ContestVersion?] = []

    static func == (_: EncodedContests, _: EncodedContests) -> Bool { true }
}

public enum ContestStatus: String, Equatable, Sendable {
    /// Nothing in force yet.
    case awaiting
    /// Verifications, but no counts.
    case verifying
    case counting
    /// Every box is covered by a count (and for Supplementary Vote without a
    /// first-stage winner, the second stage is complete too).
    case complete
    /// Supplementary Vote: every box counted, nobody over half, second
    /// preferences being counted.
    case secondStage = "second-stage"
    /// The returning officer's declaration is in force.
    case declared

    /// Nothing more is to be counted: complete or declared.
    public var isFinished: Bool { self == .complete || self == .declared }

    /// How the screen says it: `SECOND STAGE`, `COUNTING`...
    public var label: String { self == .secondStage ? "SECOND STAGE" : rawValue.uppercased() }
}

public struct RefusedFile: Equatable, Sendable {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
}

public struct Conflict: Equatable, Sendable {
    public let contest: String
    public let identity: String
    public let revision: Int
    public let files: [String]
}

public struct Warning: Equatable, Sendable {
    /// The box or the area the warning is about, if it is about one.
    public let box: String?
    public let area: String?
    public let message: String
    /// The figures cannot all be true (a box or an area holds more ballots
    /// than it can): `check` fails on it and no call is certain.
    public let doesNotAddUp: Bool

    public init(box: String? = nil, area: String? = nil, message: String, doesNotAddUp: Bool = false) {
        self.box = box
        self.area = area
        self.message = message
        self.doesNotAddUp = doesNotAddUp
    }
}

public struct CandidateResult: Equatable, Sendable {
    public let id: String
    /// The candidate's place in election.json, which per-area votes follow.
    public let electionIndex: Int
    public let name: String
    public let party: String?
    public let colour: RGB?
    public let votes: Int
    public let share: Double
    /// Party lists: the seats the list would have on the votes shown.
    public internal(set) var seats: Int? = nil
}

/// Each area's figures, in election.json order, made when read: a
/// snapshot is made after every batch of a replay, and only the areas view
/// and the exports read them.
public struct AreaResults: RandomAccessCollection, Equatable, Sendable {
    let contest: Contest
    let states: BlockArray<ContestTally.AreaState>
    let estimate: ProjectionModel.PapersEstimate
    /// Every box counted: nothing is left to count in any area.
    let complete: Bool

    public var startIndex: Int { 0 }
    public var endIndex: Int { states.count }
    /// Made without them (`Tally.snapshot(time:boxes:areas:)`): what reads
    /// them asserts it is not so, rather than show a contest of no areas.
    public var isLeftOut: Bool { states.count != contest.areas.count }

    public subscript(index: Int) -> AreaResult {
        let state = states[index]
        let area = contest.areas[index]
        return AreaResult(name: area.label, boxes: state.boxCount, verifiedBoxes: state.verifiedBoxes,
                          coveredBoxes: state.coveredBoxes, ballotPapers: state.ballots, countedBallots: state.counted,
                          electorate: area.electorate, types: contest.areaTypes[index], votes: state.votes,
                          leader: Contest.soleLeader(state.votes),
                          uncounted: complete ? 0 : Int(estimate.evidence(state).uncounted.rounded()))
    }

    public static func == (a: AreaResults, b: AreaResults) -> Bool { a.elementsEqual(b) }
}

/// Per-area figures, for the areas view.
public struct AreaResult: Equatable, Sendable {
    public let name: String
    public let boxes: Int
    public let verifiedBoxes: Int
    public let coveredBoxes: Int
    public let ballotPapers: Int
    public let countedBallots: Int
    public let electorate: Int?
    /// The types of the area's boxes (postal, polling-day...); empty when
    /// its boxes have none.
    public let types: [String]
    /// Votes counted in the area, per candidate in election.json order.
    public let votes: [Int]
    /// The area's leader on the votes counted, by place in election.json;
    /// nil while nothing is counted or while the top is tied.
    public let leader: Int?
    /// The projection's estimate of the ballots still to count in the area.
    public let uncounted: Int
}

/// What the returning officer declared, beside what was counted.
public struct DeclaredResult: Equatable, Sendable {
    public let elected: [String]
    public let ballotPapers: Int?
    /// Supplementary Vote: transfers declared, by candidate id.
    public let transfers: [String: Int]?
    /// The counted figures the declared ones replace on the screen.
    public let countedVotes: [String: Int]
}

public struct ContestSnapshot: Equatable, Sendable {
    public let id: String
    public let title: String
    public let system: VotingSystem
    public let seats: Int
    public let status: ContestStatus
    public let electorate: Int?
    public let boxesTotal: Int
    public let boxesVerified: Int
    public let boxesCounted: Int
    /// Boxes covered by a count (their own, or their area's bundles).
    public let boxesCovered: Int
    public let ballotPapers: Int
    public let countedBallots: Int
    public let turnout: Double?
    public let valid: Int
    public let rejected: Int
    public let rejectedByReason: [RejectedBallots]
    /// Most votes first; ties in election.json order.
    public let candidates: [CandidateResult]
    public let leader: String?
    public let winners: [String]
    public let warnings: [Warning]
    /// Each area's figures, for the areas view and the exports; empty
    /// when the snapshot was made without them (`Tally.snapshot(time:boxes:areas:)`):
    /// they hold the tally's area states, which the next batch must then
    /// copy to change, and a headless line never reads them.
    public let areas: AreaResults
    /// How many areas have ballots counted (`areas` or not).
    public let areasReporting: Int
    /// How far short of the winner's votes a recount could change the
    /// result, as a share of the valid votes (election.json's
    /// `recountMargin`).
    public internal(set) var recountMargin = Election.defaultRecountMargin
    public internal(set) var projection: Projection
    /// The declared result, when declared: the candidates' figures above are
    /// then the declared ones, and `warnings` lists where the count differs.
    public let declaration: DeclaredResult?
    /// Supplementary Vote, once the first stage is complete without a winner.
    public let secondStage: SecondStage?
    /// The votes counted, per candidate in election.json order (after a
    /// declaration too, when `candidates` show the declared figures).
    public let countedVotes: [Int]
    /// Every box and its state, in election.json order, for the screens; empty
    /// unless the snapshot was asked for them (`Tally.snapshot(time:boxes:areas:)`).
    public internal(set) var boxes: [BoxRow] = []
    /// Party lists: the seats on the votes shown (also in `candidates`), the
    /// last seat's margin and any seat to be drawn by lot.
    public let seatAllocation: SeatAllocation?
    public let listRule: ListRule?
    /// Party lists: the projection's seats, once anything is known.
    public let seatProjection: ListSeatProjection?
    /// The contest as election.json gives it (one shared reference): its
    /// boxes and areas for the exports.
    public let definition: Contest

    /// Where the count stands, as a point of the night's trend.
    public var trendPoint: TrendPoint { TrendPoint(countedBallots: countedBallots, votes: countedVotes) }
    /// How far apart, in counted ballots, the contest's trend keeps its points (`Trend.spacing`).
    public var trendSpacing: Int { Trend.spacing(electorate: electorate) }

    init(tally: borrowing ContestTally, areas withAreas: Bool = true) {
        let contest = tally.contest
        definition = contest
        id = contest.id
        title = contest.title
        system = contest.system
        seats = contest.seats
        electorate = contest.electorate
        boxesTotal = contest.boxes.count
        boxesVerified = tally.verifiedBoxes
        boxesCounted = tally.countedBoxes
        boxesCovered = tally.coveredBoxes
        ballotPapers = tally.ballotPapers
        countedBallots = tally.countedBallots
        countedVotes = tally.votes
        turnout = electorate.map { Double(tally.ballotPapers) / Double($0) }
        // Once declared, the declared figures are the ones shown.
        let declared = tally.declaration
        let shown = declared?.count.votes ?? tally.votes
        let valid = shown.reduce(0, +)
        self.valid = valid
        if let declared {
            rejectedByReason = declared.count.rejected
        } else {
            // One list, sorted where it lies, and only when it has two or
            // more: mapped and then sorted, it was made twice a snapshot.
            var reasons = tally.rejectedByReason.map { RejectedBallots(reason: $0.key, count: $0.value) }
            if reasons.count > 1 { reasons.sort { $0.reason < $1.reason } }
            rejectedByReason = reasons
        }
        rejected = rejectedByReason.reduce(0) { $0 + $1.count }
        let allocation = contest.allocateSeats(shown)
        seatAllocation = allocation
        listRule = contest.listRule
        candidates = Contest.ranking(shown).map { index in
            let candidate = contest.candidates[index]
            var result = CandidateResult(id: candidate.id, electionIndex: index, name: candidate.name, party: candidate.party, colour: candidate.colour,
                                         votes: shown[index], share: valid == 0 ? 0 : Double(shown[index]) / Double(valid))
            result.seats = allocation?.seats[index]
            return result
        }
        leader = Contest.soleLeader(shown).map { contest.candidates[$0].id }

        let counted: ContestStatus
        if tally.countsInForce == 0 && tally.verificationsInForce == 0 {
            counted = .awaiting
        } else if tally.countsInForce == 0 && tally.coveredBoxes < contest.boxes.count {
            counted = .verifying
        } else if tally.coveredBoxes == contest.boxes.count {
            counted = .complete
        } else {
            counted = .counting
        }
        var stageWarnings: [Warning] = []
        var secondStage: SecondStage? = nil
        var countStatus = counted
        if contest.system == .sv && counted == .complete {
            (secondStage, stageWarnings) = SecondStage.make(tally: tally)
            if let secondStage, !secondStage.isComplete { countStatus = .secondStage }
        }
        self.secondStage = secondStage
        let status = declared != nil ? ContestStatus.declared : countStatus
        self.status = status

        let countWinners = Self.countWinners(tally: tally, counted: counted, secondStage: secondStage)
        let winners = declared.map { $0.elected.map { contest.candidates[$0].id } } ?? countWinners
        self.winners = winners

        var warnings = tally.discrepancyWarnings()
        warnings += stageWarnings
        warnings += Self.lotWarnings(allocation, contest: contest)
        if let declared {
            warnings += Self.declarationDifferences(declared, tally: tally, counted: counted, countWinners: countWinners)
            declaration = DeclaredResult(
                elected: winners, ballotPapers: declared.declaredPapers,
                transfers: declared.transfers.map { counts in
                    Dictionary(uniqueKeysWithValues: contest.candidates.indices.map { (contest.candidates[$0].id, counts[$0]) })
                },
                countedVotes: Dictionary(uniqueKeysWithValues: contest.candidates.indices.map { (contest.candidates[$0].id, tally.votes[$0]) }))
        } else {
            declaration = nil
        }
        self.warnings = warnings

        let model = ProjectionModel(tally: tally)
        projection = Projection(tally: tally, model: model, status: status, winners: winners, secondStage: secondStage)
        seatProjection = ListSeatProjection(contest: contest, votes: shown, model: model, remainingBallots: projection.remainingBallots,
                                            finished: status.isFinished, mayBeCertain: !tally.figuresDoNotAddUp)
        areas = AreaResults(contest: contest, states: withAreas ? tally.areas : BlockArray([]), estimate: model.estimate,
                            complete: counted == .complete)
        areasReporting = tally.areasReporting
    }
}

extension ContestSnapshot {
    /// Who the counted figures elect, by the rules of the contest's system:
    /// nobody until the count (and a second stage) is complete, nor on a tie.
    static func countWinners(tally: ContestTally, counted: ContestStatus, secondStage: SecondStage?) -> [String] {
        let contest = tally.contest
        if let secondStage { return secondStage.winner.map { [$0] } ?? [] }
        let votes = tally.votes
        let valid = votes.reduce(0, +)
        guard counted == .complete, valid > 0 else { return [] }
        let order = Contest.ranking(votes)
        // Party lists: every list with a seat, most votes first.
        if let allocation = contest.allocateSeats(votes) { return order.filter { allocation.seats[$0] > 0 }.map { contest.candidates[$0].id } }
        let seats = contest.electedCount
        // The last place that elects must not tie with the first that does not.
        guard order.count < seats + 1 || votes[order[seats - 1]] > votes[order[seats]] else { return [] }
        if contest.system == .sv && !Contest.isMajority(votes[order[0]], of: valid) { return [] }
        return order.prefix(seats).map { contest.candidates[$0].id }
    }

    /// A seat the rule cannot give (equal averages or remainders, equal
    /// votes): the law draws lots; the screens show it given in
    /// election.json order meanwhile, and say so.
    static func lotWarnings(_ allocation: SeatAllocation?, contest: Contest) -> [Warning] {
        guard let allocation else { return [] }
        return allocation.ties.map { tie in
            let names = tie.lists.map { contest.candidates[$0].name }.joined(separator: ", ")
            let given = tie.given.map { contest.candidates[$0].name }.joined(separator: ", ")
            let seats = tie.given.count == 1 ? "seat \(tie.seat)" : "seats \(tie.seat)-\(tie.seat + tie.given.count - 1)"
            return Warning(message: "\(seats) tied between \(names) (equal \(contest.listRule?.method == .largestRemainder ? "remainders" : "averages") and equal votes): to be decided by lot; shown meanwhile for \(given), the first in election.json")
        }
    }

    /// Every way the declared result differs from the count (a recount can
    /// change figures after the last batch), one warning each.
    static func declarationDifferences(_ declared: Declaration, tally: ContestTally, counted: ContestStatus,
                                       countWinners: [String]) -> [Warning] {
        let contest = tally.contest
        var warnings: [Warning] = []
        for index in contest.candidates.indices where declared.count.votes[index] != tally.votes[index] {
            let name = contest.candidates[index].name
            warnings.append(Warning(box: nil, message: "declared \(Format.grouped(declared.count.votes[index])) votes for \(name) but \(Format.grouped(tally.votes[index])) were counted"))
        }
        let declaredRejected = declared.count.rejectedTotal
        let countedRejected = tally.rejectedByReason.values.reduce(0, +)
        if declaredRejected != countedRejected {
            warnings.append(Warning(box: nil, message: "declared \(Format.grouped(declaredRejected)) rejected ballots but \(Format.grouped(countedRejected)) were counted"))
        }
        if let papers = declared.declaredPapers, papers != tally.ballotPapers {
            warnings.append(Warning(box: nil, message: "declared \(Format.grouped(papers)) ballot papers but \(Format.grouped(tally.ballotPapers)) were verified or counted"))
        }
        if counted != .complete {
            warnings.append(Warning(box: nil, message: "declared while the count is not complete: \(tally.coveredBoxes) of \(contest.boxes.count) boxes counted"))
        } else {
            let declaredWinners = declared.elected.map { contest.candidates[$0].id }
            if Set(countWinners) != Set(declaredWinners) {
                let names = { (ids: [String]) in contest.names(of: ids).joined(separator: ", ") }
                warnings.append(Warning(box: nil, message: "declared elected \(names(declaredWinners)) but the count elects \(countWinners.isEmpty ? "nobody yet" : names(countWinners))"))
            }
        }
        if let transfers = declared.transfers {
            for index in contest.candidates.indices where transfers[index] != tally.transfers[index] {
                warnings.append(Warning(box: nil, message: "declared \(Format.grouped(transfers[index])) transfers for \(contest.candidates[index].name) but \(Format.grouped(tally.transfers[index])) were counted"))
            }
        }
        return warnings
    }
}
