/// A call, once shown, stays. The projection itself is a function of the
/// batches in force alone; near its threshold it would come and go from one
/// snapshot to the next, and on a screen in a count hall a PROJECTED WINNER
/// that comes and goes is nearly as bad as a wrong one. So whoever shows a
/// sequence of snapshots (the dashboard, headless watch, a replay,
/// `calibrate`) keeps one `CallHold` and passes every snapshot through it:
/// a call made stays while the model still expects it (the same favourite,
/// with a chance of more than half before the allowance for the order), and
/// goes only when the figures turn against it (docs/projection.md). A replay stepped
/// back and a new election.json start afresh (the flows reset their hold).
/// A single `snapshot` has no history and shows the projection as it is.
public struct CallHold: Equatable, Sendable {
    struct Held: Equatable, Sendable {
        /// `.projected` (a winner) or `.secondStage` (a second stage expected).
        let status: Projection.Status
        let ordered: [String]
        var names: Set<String> { Set(ordered) }
        /// Made during the count's second stage (a call on transfers).
        let inSecondStage: Bool
        /// Ballots counted when the call was made: a replay stepped back
        /// before it, or a correction that takes ballots away, starts afresh.
        let countedBallots: Int
        /// The projection's counted share when the call was made.
        let counted: Double
    }

    private var held: [String: Held] = [:]

    public init() {}

    /// The snapshot with every contest's call held.
    /// Consuming: with a copy of the snapshot kept by the caller, holding
    /// each contest copied the list of contests first.
    public mutating func hold(_ snapshot: consuming Snapshot) -> Snapshot {
        for index in snapshot.contests.indices { hold(&snapshot.contests[index]) }
        return snapshot
    }

    /// A contest's call held: what calibrate checks, as the screens show it.
    mutating func hold(_ contest: inout ContestSnapshot) {
        var projection = contest.projection
        let inSecondStage = contest.secondStage != nil
        if let previous = held[contest.id], contest.countedBallots < previous.countedBallots || previous.inSecondStage != inSecondStage {
            held[contest.id] = nil
        }
        if projection.isCall(finished: contest.status.isFinished) {
            let ordered = projection.status == .projected ? projection.winners : projection.finalists
            if let previous = held[contest.id], previous.status == projection.status, previous.names == Set(ordered) {
                projection.calledAt = previous.counted
            } else {
                held[contest.id] = Held(status: projection.status, ordered: ordered, inSecondStage: inSecondStage,
                                        countedBallots: contest.countedBallots, counted: projection.counted)
                projection.calledAt = projection.counted
            }
        } else if projection.status == .tooEarly {
            projection.calledAt = nil
            if let previous = held[contest.id], Self.backs(projection, previous) {
                if previous.status == .projected {
                    projection.call = .projected(previous.ordered)
                } else {
                    projection.call = .secondStage
                    projection.finalists = previous.ordered
                }
                projection.calledAt = previous.counted
            } else {
                held[contest.id] = nil
            }
        } else {
            // The figures decide now (certain, final, tied, the second stage
            // a finished count goes to): nothing to hold.
            held[contest.id] = nil
            return
        }
        contest.projection = projection
    }

    /// The model still puts the held call ahead: the same favourite(s)
    /// with its own chance, without the allowance for the order of
    /// counting, at `Projection.holdChance` or more (for sv before the second
    /// stage, the chance of passing half); or the same two expected to go
    /// through to a second stage with nobody expected past half. Not the
    /// call's probability: that is a bound after the allowance, which
    /// swings far below the model's own chance near the end of a count when
    /// a few odd-sized boxes remain.
    private static func backs(_ projection: Projection, _ held: Held) -> Bool {
        switch held.status {
        case .projected:
            return Set(projection.favourites) == held.names && (projection.chance ?? 0) >= Projection.holdChance
        case .secondStage:
            let leaders = projection.shares.prefix(2)
            return Set(leaders.map(\.id)) == held.names && (leaders.first?.mid ?? 1) <= 0.5
        default:
            return false
        }
    }
}
