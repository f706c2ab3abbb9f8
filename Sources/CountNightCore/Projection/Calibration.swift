/// Replays a complete count in other orders and checks the projection after
/// every batch against the result the complete count gives: what
/// `countnight calibrate` reports.
///
/// Every night starts with all of the feed's verifications in force (they
/// are known before the votes are counted) and then adds its count batches
/// one at a time in the chosen order.
public struct Calibration: Sendable {
    public enum Order: String, CaseIterable, Sendable {
        /// Every count batch in a random order.
        case random
        /// Area by area, the areas where the final runner-up did best against
        /// the winner first: an early lead for the side that loses.
        case strongholdsFirst = "strongholds-first"
        /// Area by area, the areas with the fewest ballots first.
        case smallestFirst = "smallest-first"
    }

    /// What happened on one simulated night.
    public struct Night: Equatable, Sendable {
        /// Steps (after a batch) at which a winner or a second stage was
        /// called that the complete count does not bear out.
        public var wrongCalls = 0
        /// Times a call was taken back or changed at the next batch.
        public var withdrawn = 0
        /// The share of the night's ballots counted when the call that
        /// stood to the end was first made (1 when only the complete count
        /// decided it).
        public var countedAtStandingCall = 1.0
        /// Sum of squared errors of the probabilities, and how many there were.
        public var brierSum = 0.0
        public var forecasts = 0
        /// Candidates' 90% ranges that held their final share, of all given.
        public var rangesHolding = 0
        public var ranges = 0
    }

    public struct Report: Equatable, Sendable {
        public let contest: String
        public let order: Order
        public let seed: UInt64
        public let batches: Int
        /// What the complete count says: the status and the winners (or finalists).
        public let outcome: Projection.Status
        public let outcomeNames: [String]
        public let nights: [Night]
        /// The winner was elected at a second stage.
        public var throughSecondStage = false

        public var nightsWithWrongCalls: Int { nights.filter { $0.wrongCalls > 0 }.count }
        public var wrongCalls: Int { nights.reduce(0) { $0 + $1.wrongCalls } }
        public var withdrawn: Int { nights.reduce(0) { $0 + $1.withdrawn } }
        public var medianCountedAtCall: Double {
            let sorted = nights.map(\.countedAtStandingCall).sorted()
            guard !sorted.isEmpty else { return 1 }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        public var worstCountedAtCall: Double { nights.map(\.countedAtStandingCall).max() ?? 1 }
        /// How often the final share fell inside the projected 90% range.
        public var rangeCoverage: Double? {
            let count = nights.reduce(0) { $0 + $1.ranges }
            return count == 0 ? nil : Double(nights.reduce(0) { $0 + $1.rangesHolding }) / Double(count)
        }
        public var brier: Double? {
            let count = nights.reduce(0) { $0 + $1.forecasts }
            return count == 0 ? nil : nights.reduce(0) { $0 + $1.brierSum } / Double(count)
        }
    }

    let contest: Contest
    let verifications: [Batch]
    let counts: [Batch]
    /// Supplementary Vote's second stage: played after the counts.
    let secondPreferences: [Batch]
    let outcome: Projection
    /// What the complete count gives: its winners, and the finalists of a
    /// second stage (whether or not the feed holds that stage's count).
    let finalWinners: [String]
    let finalists: [String]?
    let finalVotesByArea: [[Int]]
    let ballotsByArea: [Int]
    let finalShares: [String: Double]

    /// Nil when the contest's count is not complete in the tally: calibration
    /// needs the result to compare with.
    public init?(tally: Tally, contest index: Int) {
        // The result the counts give, whatever was declared.
        let batches = tally.batchesInForce().filter { $0.contest == index && !$0.figures.withdrawn }
        verifications = batches.filter { $0.kind == .verification }
        counts = batches.filter { $0.kind == .count }
        secondPreferences = batches.filter { $0.kind == .secondPreferences }
        var contestTally = ContestTally(contest: tally.contestTally(index).contest)
        for batch in verifications + counts + secondPreferences { contestTally.apply(batch, sign: 1) }
        let snapshot = ContestSnapshot(tally: contestTally)
        guard snapshot.status == .complete || snapshot.status == .secondStage else { return nil }
        contest = contestTally.contest
        outcome = snapshot.projection
        finalWinners = snapshot.winners
        finalists = snapshot.secondStage?.finalists
        finalVotesByArea = contestTally.areas.map(\.votes)
        ballotsByArea = contestTally.areas.map(\.counted)
        finalShares = Dictionary(uniqueKeysWithValues: snapshot.candidates.map { ($0.id, $0.share) })
    }

    /// The final winners, or else the finalists, to name in the report.
    private var truth: [String] { finalWinners.isEmpty ? (finalists ?? []) : finalWinners }

    public func run(nights: Int, order: Order, seed: UInt64) -> Report {
        var random = SplitMix64(seed: seed)
        let areaOrder = self.areaOrder(order)
        var results: [Night] = []
        results.reserveCapacity(nights)
        for _ in 0..<nights {
            let batches = arrangement(order, areaOrder: areaOrder, random: &random)
            results.append(night(batches))
        }
        let names = truth.compactMap { id in contest.candidates.first { $0.id == id }?.name }
        let status: Projection.Status = finalWinners.isEmpty ? (finalists != nil && outcome.status != .tied ? .secondStage : .tied) : .final
        return Report(contest: contest.id, order: order, seed: seed, batches: counts.count,
                      outcome: status, outcomeNames: names, nights: results, throughSecondStage: finalists != nil && !finalWinners.isEmpty)
    }

    /// The areas in the order a non-random night counts them.
    private func areaOrder(_ order: Order) -> [Int] {
        let areas = Array(contest.areas.indices)
        switch order {
        case .random:
            return areas
        case .smallestFirst:
            return areas.sorted { ballotsByArea[$0] != ballotsByArea[$1] ? ballotsByArea[$0] < ballotsByArea[$1] : $0 < $1 }
        case .strongholdsFirst:
            let ids = contest.candidates.map(\.id)
            let finalOrder = outcome.shares.compactMap { share in ids.firstIndex(of: share.id) }
            let winners = truth.isEmpty ? Array(finalOrder.prefix(1)) : truth.compactMap { ids.firstIndex(of: $0) }
            guard let winner = winners.first, let runnerUp = finalOrder.first(where: { !winners.contains($0) }) else { return areas }
            func edge(_ area: Int) -> Double {
                let ballots = Double(max(1, ballotsByArea[area]))
                return Double(finalVotesByArea[area][runnerUp] - finalVotesByArea[area][winner]) / ballots
            }
            return areas.sorted { edge($0) != edge($1) ? edge($0) > edge($1) : $0 < $1 }
        }
    }

    private func arrangement(_ order: Order, areaOrder: [Int], random: inout SplitMix64) -> [Batch] {
        // The second stage comes after the first, in its own order.
        if order == .random { return counts.shuffled(using: &random) + secondPreferences.shuffled(using: &random) }
        var byArea = Array(repeating: [Batch](), count: contest.areas.count)
        for batch in counts {
            switch batch.target {
            case .box(let box): byArea[contest.areaOfBox[box]].append(batch)
            case .area(let area): byArea[area].append(batch)
            case .contest: break
            }
        }
        return areaOrder.flatMap { byArea[$0].shuffled(using: &random) } + secondPreferences.shuffled(using: &random)
    }

    private func night(_ batches: [Batch]) -> Night {
        var tally = ContestTally(contest: contest)
        for batch in verifications { tally.apply(batch, sign: 1) }
        let winners = Set(finalWinners)
        let total = Double(max(1, tally.countedBallots + batches.reduce(0) { $0 + $1.figures.ballots }))
        var result = Night()
        var standingSince: Double? = nil
        var previousCall: (Projection.Status, Set<String>)? = nil
        for (step, batch) in batches.enumerated() {
            tally.apply(batch, sign: 1)
            if step == batches.count - 1 { break }
            let snapshot = ContestSnapshot(tally: tally)
            let projection = snapshot.projection
            let call: (Projection.Status, Set<String>)?
            switch projection.status {
            case .projected, .certain: call = (projection.status, Set(projection.winners))
            case .secondStage: call = (.secondStage, Set(projection.finalists))
            // In the second stage itself, the second stage stands.
            case .tooEarly where snapshot.secondStage != nil: call = (.secondStage, Set(snapshot.secondStage!.finalists))
            default: call = nil
            }
            // A winner called must be the winner; a second stage called must
            // be the one the count goes to.
            let right = call.map { call in
                call.0 == .secondStage ? finalists.map { Set($0) == call.1 } ?? false : !winners.isEmpty && call.1 == winners
            } ?? false
            if call != nil && !right { result.wrongCalls += 1 }
            // Naming the winner among the finalists called is not taking the call back.
            if let previousCall, call == nil || (call!.1 != previousCall.1 && !(previousCall.0 == .secondStage && call!.1.isSubset(of: previousCall.1))) {
                result.withdrawn += 1
            }
            previousCall = call
            if right {
                if standingSince == nil { standingSince = Double(tally.countedBallots) / total }
            } else {
                standingSince = nil
            }
            for share in projection.shares {
                result.ranges += 1
                if let truth = finalShares[share.id], share.low <= truth && truth <= share.high { result.rangesHolding += 1 }
            }
            if let probability = projection.probability {
                let happened: Bool
                if contest.system == .sv && snapshot.secondStage == nil {
                    // The first stage's probability is of winning at the first stage.
                    happened = finalists == nil && projection.favourites == finalWinners
                } else if contest.system == .sv {
                    happened = projection.favourites == finalWinners
                } else {
                    happened = Set(projection.favourites) == winners
                }
                let error = probability - (happened ? 1 : 0)
                result.brierSum += error * error
                result.forecasts += 1
            }
        }
        result.countedAtStandingCall = standingSince ?? 1
        return result
    }
}

/// A small seeded generator, so that `--seed` gives the same nights on every
/// machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Calibration.Report {
    /// What `countnight calibrate` prints for one contest.
    public var text: String {
        var lines: [String] = []
        let outcomeText: String
        switch outcome {
        case .final: outcomeText = "elects " + outcomeNames.joined(separator: ", ") + (throughSecondStage ? " at the second stage" : "")
        case .secondStage: outcomeText = "goes to a second stage between " + outcomeNames.joined(separator: " and ") + " (not counted in this feed)"
        default: outcomeText = "ends in a tie"
        }
        lines.append("\(contest): the complete count \(outcomeText)")
        lines.append("  \(nights.count) nights, \(order.rawValue) order, seed \(seed), \(batches) count batches each")
        lines.append("  wrong calls:       \(wrongCalls) (in \(nightsWithWrongCalls) of \(nights.count) nights)")
        lines.append("  calls withdrawn:   \(withdrawn)")
        lines.append("  counted when the call that stood was made: median \(Format.percent(medianCountedAtCall)), worst \(Format.percent(worstCountedAtCall))")
        if let coverage = rangeCoverage {
            lines.append("  90% ranges that held the final share: \(Format.percent(coverage, decimals: 1))")
        }
        if let brier {
            lines.append("  Brier score:       \(Format.fixed(brier, decimals: 4)) (0 is perfect; always saying 50% scores 0.25)")
        }
        return lines.joined(separator: "\n")
    }
}

