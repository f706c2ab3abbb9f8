/// Who is going to win a contest, and how sure the figures make that: part of
/// every contest's snapshot. docs/projection.md explains the method.
public struct Projection: Equatable, Sendable {
    public enum Status: String, Equatable, Sendable {
        /// Neither certain nor projected: say nothing about the winner.
        case tooEarly = "too-early"
        /// The model gives the winner(s) at least `callProbability`.
        case projected
        /// Decided whatever the uncounted ballots hold.
        case certain
        /// The count is complete and has winners.
        case final
        /// Supplementary Vote: nobody will pass half at the first stage
        /// (projected at `callProbability`, or the complete count says so).
        case secondStage = "second-stage"
        /// The count is complete and a tie leaves a place undecided.
        case tied
    }

    /// The probability at or above which a winner is projected.
    public static let callProbability = 0.9998
    /// The same while second preferences are added: a model of its own
    /// (docs/projection.md), with a look per area rather than per batch.
    public static let transferCallProbability = 0.995
    /// The width of the share intervals.
    public static let intervalLevel = 0.90

    /// What the projection says of the winner, with what each saying rests on.
    public enum Call: Equatable, Sendable {
        case tooEarly
        /// The model gives these winners at least `callProbability`.
        case projected([String])
        /// Decided whatever the uncounted ballots hold, for the reason given.
        case certain([String], Certainty)
        /// The count is complete and elects these.
        case final([String])
        /// Supplementary Vote: nobody will pass half at the first stage
        /// (`finalists` go through).
        case secondStage
        /// The count is complete and a tie leaves a place undecided.
        case tied
    }

    public var call: Call

    public var status: Status {
        switch call {
        case .tooEarly: .tooEarly
        case .projected: .projected
        case .certain: .certain
        case .final: .final
        case .secondStage: .secondStage
        case .tied: .tied
        }
    }

    /// The projected, certain or final winners; empty when there are none.
    public var winners: [String] {
        switch call {
        case .projected(let winners), .certain(let winners, _), .final(let winners): winners
        case .tooEarly, .secondStage, .tied: []
        }
    }
    /// The model's favourite(s) whether or not they are called: the
    /// candidates with the highest projected totals (`seats` of them).
    public var favourites: [String]
    /// The model's probability that the favourites win (for Supplementary
    /// Vote, at the first stage); nil before anything is counted.
    public var probability: Double?
    /// The most ballots that can still be counted; nil when an unverified box
    /// has no electorate to bound it.
    public var remainingBallots: Int?
    /// The model's estimate of the ballots still to count.
    public var expectedRemaining: Int
    /// Counted ballots over counted plus expected remaining.
    public var counted: Double
    /// The share of the remaining ballots the runner-up would need to draw
    /// level (fptp and sv; from the estimate when there is no bound).
    public var hurdle: Double?
    /// For each candidate, most votes first: the projected final share and a
    /// 90% interval. Empty before anything is counted.
    public var shares: [ShareInterval]
    /// Supplementary Vote: the two projected to go to a second stage, when
    /// one is expected, and the probability that they are the two.
    public var finalists: [String]
    public var finalistsProbability: Double?
    /// Supplementary Vote: the probability that nobody passes half.
    public var secondStageProbability: Double?
    /// What `certain` rests on, for the screen: the lead (or the leader's
    /// votes, for sv) against what can still change it.
    public var certainty: Certainty? { if case .certain(_, let certainty) = call { certainty } else { nil } }
    /// Block contests, once something is counted: each candidate's chance of a seat.
    public var seats: SeatModel?
    public var method: String
    /// The counted share (as `counted`) when the call shown was first made;
    /// nil without a projected call. Set by `CallHold` for a call held over
    /// snapshots, and for a call made now to `counted`.
    public var calledAt: Double?
    /// The model's own chance that the favourites win (sv: at the first
    /// stage), without the allowance for the order of counting: what a
    /// call once shown is held on (`CallHold`). Not in the JSON.
    var chance: Double?

    /// A winner projected, or a second stage expected while counting (not
    /// the second stage a finished count goes to).
    public func isCall(finished: Bool) -> Bool { status == .projected || (status == .secondStage && !finished) }

    /// A call once shown is held while the model's favourite stays the same
    /// and its own chance, without the allowance, is at least this: while
    /// the model still expects the call to come true (docs/projection.md).
    public static let holdChance = 0.5

    public var winner: String? { winners.count == 1 ? winners[0] : nil }

    public static let methodDescription = "ratio estimate by area and box type: counted shares applied to the uncounted verified papers; spread from batches, pooled; an allowance for the order of counting (box sizes, strata not yet counted) taken against the leader; normal approximation; called at 0.9998 (docs/projection.md)"
}

public struct ShareInterval: Equatable, Sendable {
    public let id: String
    public let low: Double
    public let mid: Double
    public let high: Double
}

/// What a block contest's chances of a seat are worked out from: the
/// expected totals and their covariance. Kept rather than worked out with
/// every snapshot, because it takes a simulation: only the screen and the
/// JSON ask for it.
public struct SeatModel: Equatable, Sendable {
    let ids: [String]
    let seats: Int
    let totals: [Double]
    let covariance: [Double]
    /// Once complete: the winners, for certain.
    let decided: [String]?

    /// Each candidate's probability of a seat, from 2,000 simulated results
    /// (a fixed seed, so the same tally always gives the same figures). A
    /// call still needs the stricter bound of `Projection.probability`.
    public func chances() -> [String: Double] {
        if let decided { return Dictionary(uniqueKeysWithValues: ids.map { ($0, decided.contains($0) ? 1.0 : 0.0) }) }
        let chances = ProjectionModel.seatChances(totals: totals, covariance: covariance, seats: seats)
        return Dictionary(uniqueKeysWithValues: zip(ids, chances).map { ($0, $1) })
    }
}

/// Why a race is certain, in figures a person can check.
public struct Certainty: Equatable, Sendable {
    /// fptp and block: the lead at the last seat that elects. sv: the
    /// leader's votes.
    public let lead: Int
    /// fptp and block: the remaining ballots. sv: the most valid votes there
    /// can be in the end.
    public let against: Int
}
