import Testing
@testable import CountNightCore

/// The nights the projection must never call wrongly: areas that lean
/// differently, an early lead that reverses, one type of vote counted before
/// another, with every box verified first or each verification landing with
/// its box's count; and a call, once shown, stays.
@Suite struct ProjectionCallTests {
    /// Ten wards; in each, polling-day boxes lean to Ann and postal boxes to
    /// Bob, by more in some wards than others. Bob wins on the postal votes.
    static let postalReversal = SyntheticNight(
        boxNoise: 0.05, candidates: ["ann", "bob", "cat"],
        areas: (1...10).flatMap { ward -> [SyntheticNight.AreaPlan] in
            let lean = Double(ward % 4) * 0.03
            return [
                .init(name: "W\(ward)", boxes: 4, shares: [0.56 + lean, 0.36 - lean, 0.08], papersPerBox: 600...1000, type: "polling-day"),
                .init(name: "W\(ward)", boxes: 3, shares: [0.26 + lean, 0.68 - lean, 0.06], papersPerBox: 900...1300, type: "postal"),
            ]
        }, seed: 21)

    /// A close race with boxes that stray widely from their ward's shares.
    static let noisyClose = SyntheticNight(
        boxNoise: 0.08, candidates: ["green", "brown", "grey"],
        areas: (1...14).map { ward in
            let lean = ward <= 7 ? -0.12 : 0.135
            return .init(name: "N\(ward)", boxes: 5, shares: [0.45 + lean / 2, 0.45 - lean / 2, 0.10], papersPerBox: 300...1500)
        }, seed: 17)

    static let nights: [(String, SyntheticNight)] = ProjectionNightTests.nights + [
        ("postal reversal", postalReversal), ("noisy close race", noisyClose),
    ]

    @Test func theNewNightsEndAsPlanned() {
        #expect(Self.postalReversal.completeTally().mayor.winners == ["bob"])
        #expect(Self.noisyClose.completeTally().mayor.winners == ["green"])
        // Ann leads every ward's polling-day vote, so that counting it first is an early lead that reverses.
        let (_, counts) = Self.postalReversal.files()
        let pollingDayFirst = counts.filter { $0.name.contains("polling-day") } + counts.filter { $0.name.contains("postal") }
        let steps = Self.postalReversal.steps(countOrder: pollingDayFirst)
        #expect(steps[39].leader == "ann")
    }

    @Test(arguments: Calibration.Verifications.allCases)
    func noWrongCallInAnyOrderAndNoCallWithdrawnInRandomOrders(verifications: Calibration.Verifications) throws {
        for (name, night) in Self.nights {
            let calibration = try #require(Calibration(tally: night.completeTally(), contest: 0))
            for order in Calibration.Order.allCases {
                let report = calibration.run(nights: order == .random ? 100 : 30, order: order, verifications: verifications, seed: 2026)
                #expect(report.wrongCalls == 0, "\(name), \(order.rawValue), \(verifications.rawValue): \(report.wrongCalls) wrong calls")
                if order == .random {
                    #expect(report.withdrawn == 0, "\(name), random, \(verifications.rawValue): \(report.withdrawn) calls withdrawn")
                }
            }
        }
    }

    @Test func theTypesOrderCountsOneTypeAfterAnotherTheRunnerUpsBestFirst() throws {
        let calibration = try #require(Calibration(tally: Self.postalReversal.completeTally(), contest: 0))
        let report = calibration.run(nights: 20, order: .types, seed: 3)
        #expect(report.wrongCalls == 0)
        // Ann's polling-day boxes come first: nothing can be called until the postal votes are in.
        #expect(report.medianCountedAtCall > 0.5)
    }

    @Test func ninetyPercentRangesHoldTheFinalShareAboutNineTimesInTenInRandomOrders() throws {
        var holding = 0, ranges = 0
        for (_, night) in [("close race", ProjectionNightTests.closeRace), ("noisy close race", Self.noisyClose),
                           ("postal reversal", Self.postalReversal), ("reversal", ProjectionNightTests.reversal)] {
            let calibration = try #require(Calibration(tally: night.completeTally(), contest: 0))
            let report = calibration.run(nights: 100, order: .random, seed: 9)
            holding += report.nights.reduce(0) { $0 + $1.rangesHolding }
            ranges += report.nights.reduce(0) { $0 + $1.ranges }
        }
        let coverage = Double(holding) / Double(ranges)
        #expect(coverage >= 0.85 && coverage <= 0.95, "ranges held \(coverage)")
    }

    // MARK: A call once shown stays

    /// The close race, counted in a random order, until the first call.
    static func calledSnapshot() -> (ContestSnapshot, CallHold) {
        let night = ProjectionNightTests.closeRace
        let (_, counts) = night.files()
        var random = SplitMix64(seed: 4)
        var hold = CallHold()
        for var step in night.steps(countOrder: counts.shuffled(using: &random)) {
            hold.hold(&step)
            if step.projection.status == .projected { return (step, hold) }
        }
        Issue.record("never called")
        return (night.completeTally().mayor, hold)
    }

    /// The called snapshot as the next batch might leave it: too early by
    /// the call's own rule, with these figures changed.
    static func lookedAgain(_ called: ContestSnapshot, favourites: [String]? = nil, probability: Double? = nil,
                            chance: Double? = nil) -> ContestSnapshot {
        var next = called
        next.projection.call = .tooEarly
        if let favourites { next.projection.favourites = favourites }
        if let probability { next.projection.probability = probability }
        if let chance { next.projection.chance = chance }
        return next
    }

    @Test func aCallStaysWhileTheModelStillBacksIt() {
        var (called, hold) = Self.calledSnapshot()
        let winner = called.projection.winners
        let calledAt = called.projection.calledAt
        #expect(calledAt == called.projection.counted)
        // The next batch leaves the favourite at 60% after the order's allowance: far below the call, still the favourite.
        var next = Self.lookedAgain(called, probability: 0.6, chance: 0.95)
        hold.hold(&next)
        #expect(next.projection.status == .projected)
        #expect(next.projection.winners == winner)
        #expect(next.projection.calledAt == calledAt)
        // Held, it gives the model's own chance now, not the bound.
        #expect(next.projectionHeadline == "PROJECTED WINNER: Green, 95.0% now")
        #expect(called.projectionHeadline.hasPrefix("PROJECTED WINNER: Green, "))
        #expect(next.callBasis?.contains("of 12 areas reporting") == true)
    }

    @Test func aCallGoesWhenTheFiguresTurnAgainstIt() {
        var (called, hold) = Self.calledSnapshot()
        // The model's favourite is now another candidate.
        var turned = Self.lookedAgain(called, favourites: ["brown"], probability: 0.55)
        hold.hold(&turned)
        #expect(turned.projection.status == .tooEarly)
        #expect(turned.projection.winners.isEmpty)
        #expect(turned.projection.calledAt == nil)
        // Once gone, the old favourite back in front does not bring it back: only a new call does.
        var again = Self.lookedAgain(called, probability: 0.97)
        hold.hold(&again)
        #expect(again.projection.status == .tooEarly)
        // The same favourite, but the model's own chance down to 45%: the figures have turned.
        var (fresh, freshHold) = Self.calledSnapshot()
        fresh = Self.lookedAgain(fresh, chance: 0.45)
        freshHold.hold(&fresh)
        #expect(fresh.projection.status == .tooEarly)
        // A replay stepped back before the call starts afresh.
        var (called2, hold2) = Self.calledSnapshot()
        let stepped = called2
        var back = ProjectionNightTests.closeRace.steps(countOrder: Array(ProjectionNightTests.closeRace.files().counts.prefix(2))).last!
        hold2.hold(&back)
        #expect(back.projection.status == .tooEarly)
        called2 = stepped
        hold2.hold(&called2)
        #expect(called2.projection.calledAt == called2.projection.counted)
    }

    @Test func aReplayShowsEveryCallToTheEndAndTheSameCallsEachTime() {
        let night = Self.noisyClose
        let (verifications, counts) = night.files()
        var random = SplitMix64(seed: 12)
        let files = verifications + counts.shuffled(using: &random)
        var entries = [NightEntry(time: 0, file: ElectionFile.name, change: .version(Array(night.electionJSON.utf8)))]
        for (index, file) in files.enumerated() {
            entries.append(NightEntry(time: Double(index + 1), file: file.name, change: .version(Array(file.json.utf8))))
        }
        func play() -> [Projection] {
            var replay = Replay(election: night.election, entries: entries)
            var shown: [Projection] = []
            while !replay.atEnd {
                replay.stepForward()
                shown.append(replay.snapshot(time: 0).contests[0].projection)
            }
            return shown
        }
        let first = play()
        #expect(first == play())
        // Stepped back, a replay shows the projection of the batches in force, as a fresh look would.
        var replay = Replay(election: night.election, entries: entries)
        replay.seek(to: entries.count)
        _ = replay.snapshot(time: 0)
        for _ in 0..<(counts.count / 2) {
            replay.stepBack()
            #expect(replay.snapshot(time: 0).contests[0].projection == replay.tally.snapshot(time: 0).contests[0].projection)
        }
        let truth = night.completeTally().mayor.winners
        var calledAt: Int? = nil
        for (step, projection) in first.enumerated() {
            let calls = [.projected, .certain, .final].contains(projection.status)
            if calls { #expect(projection.winners == truth) }
            if calledAt != nil { #expect(calls, "the call shown at step \(calledAt!) was gone at step \(step)") }
            if calls && calledAt == nil { calledAt = step }
        }
        #expect(calledAt != nil)
    }
}

/// Papers of boxes not yet verified, where nothing but the boxes known so far
/// says how big they are.
@Suite struct PapersEstimateTests {
    @Test func anAreasUnknownBoxesAreEstimatedFromItsOwnKnownBoxesFirst() throws {
        // Twenty small boxes in the village, four large ones in the town; no electorates.
        let boxes = (1...20).map { #"{"id": "V\#($0)", "area": "Village"}"# } + (1...4).map { #"{"id": "T\#($0)", "area": "Town"}"# }
        let json = #"{"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c", "candidates": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}], "boxes": [\#(boxes.joined(separator: ","))]}]}"#
        var tally = Tally(election: try ElectionFile.parse(Array(json.utf8)))
        // Two of each verified and counted, as a precinct reports.
        for (box, papers) in [("V1", 200), ("V2", 200), ("T1", 2000), ("T2", 2000)] {
            _ = tally.read(file: "v-\(box)", bytes: Array(#"{"contest": "c", "kind": "verification", "box": "\#(box)", "ballotPapers": \#(papers)}"#.utf8))
            _ = tally.read(file: "c-\(box)", bytes: Array(#"{"contest": "c", "kind": "count", "box": "\#(box)", "votes": {"ann": \#(papers / 2), "bob": \#(papers / 2)}}"#.utf8))
        }
        let areas = tally.snapshot(time: 0).contests[0].areas
        // The contest's 1,100 papers per known box weighs as three boxes against
        // each area's own: the village's 18 boxes at 740, the town's 2 at 1,460
        // (a contest-wide 1,100 a box would put 19,800 in the village).
        #expect(areas.first { $0.name == "Village" }?.uncounted == 18 * 740)
        #expect(areas.first { $0.name == "Town" }?.uncounted == 2 * 1460)
    }
}
