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
        /// The batches with the fewest ballots first, whatever their area:
        /// small rural boxes report first on a real night.
        case smallestFirst = "smallest-first"
        /// Whole areas at a time, the areas in a random order.
        case areas
        /// One type of box after another (postal, polling-day, early; the
        /// bundles of mixed ballots as a type of their own), the type where
        /// the final runner-up did best first; batches within a type in a
        /// random order. Without box types, the same as random.
        case types
    }

    /// When a box's verification lands.
    public enum Verifications: String, CaseIterable, Sendable {
        /// Every verification before the first count, as at a UK count.
        case first
        /// Each box's verification with its count, as when a precinct
        /// reports: until then nothing says how many papers a box holds.
        case withCounts = "with-counts"
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
        public let verifications: Verifications
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
    let finalShares: [String: Double]

    /// Nil when the contest's count is not complete in the tally: calibration
    /// needs the result to compare with.
    public init?(tally: Tally, contest index: Int) {
        // The result the counts give, whatever was declared.
        let batches = tally.batchesInForce().filter { $0.contest == index && $0.figures != .withdrawn }
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
        finalShares = Dictionary(uniqueKeysWithValues: snapshot.candidates.map { ($0.id, $0.share) })
    }

    /// The final winners, or else the finalists, to name in the report.
    private var truth: [String] { finalWinners.isEmpty ? (finalists ?? []) : finalWinners }

    public func run(nights: Int, order: Order, verifications: Verifications = .first, seed: UInt64) -> Report {
        var random = SplitMix64(seed: seed)
        let groups = self.groups(order)
        var results: [Night] = []
        results.reserveCapacity(nights)
        for _ in 0..<nights {
            let batches = arrangement(order, groups: groups, random: &random)
            results.append(night(batches, verifications: verifications))
        }
        let names = contest.names(of: truth)
        let status: Projection.Status = finalWinners.isEmpty ? (finalists != nil && outcome.status != .tied ? .secondStage : .tied) : .final
        return Report(contest: contest.id, order: order, verifications: verifications, seed: seed, batches: counts.count,
                      outcome: status, outcomeNames: names, nights: results, throughSecondStage: finalists != nil && !finalWinners.isEmpty)
    }

    /// The final winner and runner-up, as candidate indices.
    private var winnerAndRunnerUp: (Int, Int)? {
        let ids = contest.candidates.map(\.id)
        let finalOrder = outcome.shares.compactMap { share in ids.firstIndex(of: share.id) }
        let winners = truth.isEmpty ? Array(finalOrder.prefix(1)) : truth.compactMap { ids.firstIndex(of: $0) }
        guard let winner = winners.first, let runnerUp = finalOrder.first(where: { !winners.contains($0) }) else { return nil }
        return (winner, runnerUp)
    }

    /// The count batches in groups counted one group after another (areas,
    /// types), the groups in the order the night counts them; nil for orders
    /// that are not counted group by group.
    private func groups(_ order: Order) -> [[Batch]]? {
        switch order {
        case .random, .smallestFirst:
            return nil
        case .areas, .strongholdsFirst:
            var byArea = Array(repeating: [Batch](), count: contest.areas.count)
            for batch in counts {
                switch batch.target {
                case .box(let box): byArea[contest.areaOfBox[box]].append(batch)
                case .area(let area): byArea[area].append(batch)
                case .contest: break
                }
            }
            if order == .areas { return byArea }
            guard let (winner, runnerUp) = winnerAndRunnerUp else { return byArea }
            return byArea.sorted { Self.edge($0, winner, runnerUp) > Self.edge($1, winner, runnerUp) }
        case .types:
            var byType: [String: [Batch]] = [:]
            for batch in counts {
                let type: String
                switch batch.target {
                case .box(let box): type = contest.boxes[box].type ?? ""
                default: type = "(bundles)"
                }
                byType[type, default: []].append(batch)
            }
            let groups = byType.keys.sorted().map { byType[$0]! }
            guard let (winner, runnerUp) = winnerAndRunnerUp else { return groups }
            return groups.sorted { Self.edge($0, winner, runnerUp) > Self.edge($1, winner, runnerUp) }
        }
    }

    /// How far the runner-up did better than the winner in these batches,
    /// per ballot.
    private static func edge(_ batches: [Batch], _ winner: Int, _ runnerUp: Int) -> Double {
        let counts = batches.compactMap(\.figures.voteCount)
        let ballots = counts.reduce(0) { $0 + $1.ballots }
        let margin = counts.reduce(0) { $0 + $1.votes[runnerUp] - $1.votes[winner] }
        return Double(margin) / Double(max(1, ballots))
    }

    private func arrangement(_ order: Order, groups: [[Batch]]?, random: inout SplitMix64) -> [Batch] {
        // The second stage comes after the first, in its own order.
        let second = secondPreferences.shuffled(using: &random)
        switch order {
        case .random:
            return counts.shuffled(using: &random) + second
        case .smallestFirst:
            // Equal sizes in a random order.
            let keyed = counts.map { ($0, random.next()) }
            return keyed.sorted { $0.0.figures.countedBallots != $1.0.figures.countedBallots ? $0.0.figures.countedBallots < $1.0.figures.countedBallots : $0.1 < $1.1 }
                .map(\.0) + second
        case .areas:
            return (groups ?? []).shuffled(using: &random).flatMap { $0.shuffled(using: &random) } + second
        case .strongholdsFirst, .types:
            return (groups ?? []).flatMap { $0.shuffled(using: &random) } + second
        }
    }

    private func night(_ batches: [Batch], verifications mode: Verifications) -> Night {
        var tally = ContestTally(contest: contest)
        // Verifications of boxes counted on their own land with the count in
        // the second mode; the others (boxes counted in bundles) come first.
        var withCount: [Int: [Batch]] = [:]
        if mode == .withCounts {
            var countedBoxes = Set<Int>()
            for batch in counts { if case .box(let box) = batch.target { countedBoxes.insert(box) } }
            for batch in verifications {
                if case .box(let box) = batch.target, countedBoxes.contains(box) { withCount[box, default: []].append(batch) }
            }
        }
        for batch in verifications {
            if case .box(let box) = batch.target, withCount[box] != nil { continue }
            tally.apply(batch, sign: 1)
        }
        let winners = Set(finalWinners)
        let total = Double(max(1, tally.countedBallots + batches.reduce(0) { $0 + $1.figures.countedBallots }))
        var result = Night()
        var standingSince: Double? = nil
        var previousCall: (Projection.Status, Set<String>)? = nil
        var hold = CallHold()
        for (step, batch) in batches.enumerated() {
            if case .box(let box) = batch.target, let landing = withCount.removeValue(forKey: box) {
                for verification in landing { tally.apply(verification, sign: 1) }
            }
            tally.apply(batch, sign: 1)
            if step == batches.count - 1 { break }
            // Its call alone is looked at: no area's figures.
            var snapshot = ContestSnapshot(tally: tally, areas: false)
            hold.hold(&snapshot)
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
    /// What `countnight calibrate` prints for one contest, the feed's
    /// strings (the contest id, candidates' names) escaped as every text
    /// output is: a name cannot break a line or command the terminal.
    public var text: String {
        var lines: [String] = []
        let outcomeText: String
        let outcomeNames = self.outcomeNames.map(TextEscape.line)
        switch outcome {
        case .final: outcomeText = "elects " + outcomeNames.joined(separator: ", ") + (throughSecondStage ? " at the second stage" : "")
        case .secondStage: outcomeText = "goes to a second stage between " + outcomeNames.joined(separator: " and ") + " (not counted in this feed)"
        default: outcomeText = "ends in a tie"
        }
        lines.append("\(TextEscape.line(contest)): the complete count \(outcomeText)")
        lines.append("  \(nights.count) nights, \(order.rawValue) order, verifications \(verifications == .first ? "first" : "with their counts"), seed \(seed), \(batches) count batches each")
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


extension Calibration {
    /// One row per night, contest, order and way verifications land: what
    /// `countnight calibrate` prints after the reports when there are several.
    public static func table(_ reports: [(night: String, report: Report)]) -> String {
        let header = ["night", "contest", "order", "verifications", "wrong calls", "withdrawn", "call that stood: median", "worst", "ranges held", "Brier"]
        let rows = reports.map { night, report in
            [TextEscape.line(night), TextEscape.line(report.contest), report.order.rawValue, report.verifications.rawValue,
             "\(report.wrongCalls) in \(report.nightsWithWrongCalls)/\(report.nights.count)", "\(report.withdrawn)",
             Format.percent(report.medianCountedAtCall), Format.percent(report.worstCountedAtCall),
             report.rangeCoverage.map { Format.percent($0, decimals: 1) } ?? "-",
             report.brier.map { Format.fixed($0, decimals: 3) } ?? "-"]
        }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index < 4 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
