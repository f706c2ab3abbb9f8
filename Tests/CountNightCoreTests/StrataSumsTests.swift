import Testing
@testable import CountNightCore

/// The projection's sums over runs of strata are kept between snapshots,
/// added up a tree, and made again only for a run that changed
/// (`StrataSums`). A model made from the kept sums must be the model made
/// from every stratum afresh, bit for bit, after any batch and after
/// stepping back: otherwise a replay's figures would depend on the way it
/// came to a point of the night.
@Suite struct StrataSumsTests {
    enum Kind: CaseIterable { case plain, typed, baseline, bundles, mixed, mixedBaseline }

    /// 70 areas (three blocks of 32); with types, every third area's boxes
    /// are postal votes, so that the strata are not the areas. Mixed: every
    /// area has polling-day boxes and postal votes, counted in bundles, so
    /// that an area is several strata and bundles have strata of their own.
    static func night(_ kind: Kind) -> SyntheticNight {
        var night = KeptSumsTests.night(bundles: [.bundles, .mixed, .mixedBaseline].contains(kind) ? 2 : nil)
        if kind == .typed {
            for index in night.areas.indices where index % 3 == 0 { night.areas[index].type = "postal" }
        }
        if kind == .mixed || kind == .mixedBaseline {
            night.areas = night.areas.prefix(40).flatMap { area in
                var postal = area
                postal.type = "postal"
                postal.boxes = 1
                postal.shares = [area.shares[1], area.shares[0], area.shares[2]]
                return [area, postal]
            }
        }
        if kind == .baseline || kind == .mixedBaseline { night.previousSwing = [0.03, -0.02, -0.01] }
        return night
    }

    /// The model against the one made stratum by stratum before the sums
    /// were kept per block: the same but for the order of additions.
    static func expectMatchesReference(_ tally: ContestTally, _ where: String) {
        let model = ProjectionModel(tally: tally)
        let reference = ReferenceProjectionModel(tally: tally)
        #expect(model.papersUnknown == reference.papersUnknown, "\(`where`)")
        #expect(model.countedTotal == reference.countedTotal, "\(`where`)")
        let pairs: [(String, [Double], [Double])] = [
            ("totals", model.totals, reference.totals), ("covariance", model.covariance, reference.covariance),
            ("rangeCovariance", model.rangeCovariance, reference.rangeCovariance), ("adversePair", model.adversePair, reference.adversePair),
            ("adverseAboveHalf", model.adverseAboveHalf, reference.adverseAboveHalf),
            ("adverseBelowHalf", model.adverseBelowHalf, reference.adverseBelowHalf), ("uncounted", [model.uncounted], [reference.uncounted]),
        ]
        for (name, made, expected) in pairs {
            let scale = max(1, expected.map(abs).max() ?? 0)
            let worst = zip(made, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(made.count == expected.count && worst <= 1e-9 * scale, "\(name) \(`where`): \(made) against \(expected)")
        }
    }

    static func model(_ tally: ContestTally, cached: Bool) -> [[Double]] {
        let model = ProjectionModel(tally: tally, cached: cached)
        return [model.totals, model.covariance, model.rangeCovariance, model.adversePair, model.adverseAboveHalf,
                model.adverseBelowHalf, [model.uncounted, model.countedTotal, model.papersUnknown ? 1 : 0]]
    }

    @Test(arguments: Kind.allCases)
    func keptSumsMakeTheSameModelAsSumsMadeAfresh(kind: Kind) {
        let night = Self.night(kind)
        let entries = KeptSumsTests.entries(night)
        var replay = Replay(election: night.election, entries: entries)
        let contest = replay.tally.contestTally(0).contest
        #expect(contest.hasTypes == [.typed, .mixed, .mixedBaseline].contains(kind))
        #expect((contest.baseline != nil) == [.baseline, .mixedBaseline].contains(kind))
        // Mixed: more strata than areas, bundles' among them.
        if kind == .mixed { #expect(contest.strata.count > contest.areas.count * 2) }
        var called = false
        while !replay.atEnd {
            replay.stepForward()
            let tally = replay.tally.contestTally(0)
            #expect(Self.model(tally, cached: true) == Self.model(tally, cached: false), "after entry \(replay.position)")
            Self.expectMatchesReference(tally, "after entry \(replay.position)")
            called = called || ProjectionModel(tally: tally).countedTotal > 0
        }
        #expect(called)
        // Back over the night, and forward over part of it again: blocks
        // changed one way and then the other must not find the sums kept
        // for what they held before.
        while replay.position > entries.count / 3 {
            replay.stepBack()
            let tally = replay.tally.contestTally(0)
            #expect(Self.model(tally, cached: true) == Self.model(tally, cached: false), "back at entry \(replay.position)")
        }
        replay.seek(to: entries.count / 2)
        let tally = replay.tally.contestTally(0)
        #expect(Self.model(tally, cached: true) == Self.model(tally, cached: false))
    }

    /// A run's sums made again into sums that held something else (of
    /// another size, then another run's, with other strata listed live)
    /// are those made new, to the last bit: the kept tree remakes a run in
    /// its own arrays.
    @Test(arguments: [Kind.plain, .mixedBaseline])
    func sumsMadeAgainInPlaceAreThoseMadeNew(kind: Kind) {
        let night = Self.night(kind)
        var replay = Replay(election: night.election, entries: KeptSumsTests.entries(night))
        replay.seek(to: replay.entries.count / 2)
        let tally = replay.tally.contestTally(0)
        let states = tally.projectionStrata
        let layout = StrataSums.Layout(count: tally.contest.candidates.count, groups: tally.projectionGroups)
        let group = tally.projectionGroup, baseline = tally.contest.baseline
        var dirty = StrataSums(size: 3)
        dirty.values = [1, 2, 3]
        dirty.live = [99, 98]
        var runsWithLive = 0
        for start in stride(from: 0, to: states.count, by: StrataSums.Tree.leafSize) {
            let run = start..<min(states.count, start + StrataSums.Tree.leafSize)
            let fresh = StrataSums(states: states, range: run, layout: layout, group: group, baseline: baseline)
            dirty.make(states: states, range: run, layout: layout, group: group, baseline: baseline)
            #expect(dirty.values.map(\.bitPattern) == fresh.values.map(\.bitPattern), "run \(run)")
            #expect(dirty.live == fresh.live, "run \(run)")
            if !fresh.live.isEmpty { runsWithLive += 1 }
            // Left holding more than this run's sums for the next.
            dirty.live.append(-1)
            dirty.values[0] += 7
        }
        #expect(states.count > 2 * StrataSums.Tree.leafSize)
        #expect(runsWithLive > 0)
    }

    /// The chance of one candidate ending ahead of another is worked out
    /// without an array of weights (`probabilityAhead`): it must be the
    /// general chance of `w · votes > 0` for w = e_a - e_b to the last bit,
    /// with and without the order's allowance, for every pair, all night.
    @Test(arguments: [Kind.plain, .typed, .mixedBaseline])
    func theChanceOfAPairIsTheGeneralChanceOfItsWeights(kind: Kind) {
        let night = Self.night(kind)
        let entries = KeptSumsTests.entries(night)
        var replay = Replay(election: night.election, entries: entries)
        var between = 0
        while !replay.atEnd {
            replay.stepForward()
            let model = ProjectionModel(tally: replay.tally.contestTally(0))
            let n = model.candidates
            for a in 0..<n {
                for b in 0..<n where b != a {
                    var w = [Double](repeating: 0, count: n)
                    w[a] = 1
                    w[b] = -1
                    let general = model.probabilityPositive(w, against: model.adversePair[a * n + b])
                    #expect(model.probabilityAhead(a, of: b).bitPattern == general.bitPattern, "\(a) over \(b) after entry \(replay.position)")
                    #expect(model.probabilityAhead(a, of: b, allowance: false).bitPattern == model.probabilityPositive(w).bitPattern)
                    if general > 0.01 && general < 0.99 { between += 1 }
                }
            }
        }
        // Chances away from 0 and 1, where a difference in the last bits of
        // the variance would show.
        #expect(between > 50)
    }

    /// A copy of a tally that goes its own way shares the kept sums with the
    /// original: each must still get its own figures.
    @Test func copiesThatDivergeKeepTheirOwnFigures() {
        let night = Self.night(.plain)
        let entries = KeptSumsTests.entries(night)
        var replay = Replay(election: night.election, entries: entries)
        replay.seek(to: entries.count / 2)
        var other = replay
        replay.seek(to: entries.count / 2 + 40)
        other.seek(to: entries.count / 2 - 40)
        for _ in 0..<2 {
            for tally in [replay.tally.contestTally(0), other.tally.contestTally(0)] {
                #expect(Self.model(tally, cached: true) == Self.model(tally, cached: false))
            }
        }
        #expect(Self.model(replay.tally.contestTally(0), cached: true) != Self.model(other.tally.contestTally(0), cached: true))
    }

    /// Strata with nothing counted are summed through their coefficients in
    /// the estimate's papers per box and turnout: the ballots still to count
    /// come out as adding up each area's estimate does.
    @Test(arguments: [Kind.plain, .bundles])
    func ballotsStillToCountAreTheAreasAddedUp(kind: Kind) {
        let night = Self.night(kind)
        let entries = KeptSumsTests.entries(night)
        var replay = Replay(election: night.election, entries: entries)
        var checked = 0
        while !replay.atEnd {
            replay.stepForward()
            let tally = replay.tally.contestTally(0)
            let model = ProjectionModel(tally: tally)
            let addedUp = tally.areas.reduce(0.0) { $0 + model.estimate.evidence($1).uncounted }
            #expect(abs(model.uncounted - addedUp) <= 1e-9 * max(1, addedUp), "after entry \(replay.position)")
            if addedUp > 0 { checked += 1 }
        }
        #expect(checked > 100)
    }

    /// The strata's sums are added in pairs up a tree over runs of strata
    /// (`StrataSums.Tree`), so that a change costs its run and its way to
    /// the root: every stratum is added once, the strata to work out come
    /// in order, and the kept tree gives the sums made afresh to the last
    /// bit after any stratum changes, however many strata there are (less
    /// than a run, runs in a power of two and not, more than a block).
    @Test(arguments: [0, 1, 2, 3, 8, 9, 33, 70, 200])
    func theTreeAddsEveryStratumOnce(strata: Int) {
        var contents: [[Double]] = (0..<strata).map { (stratum: Int) -> [Double] in
            (0..<5).map { (place: Int) -> Double in 1 / Double(3 + stratum * 7 + place) }
        }
        func make(_ run: Range<Int>, _ sums: inout StrataSums) {
            sums = StrataSums(size: 5)
            for stratum in run {
                for place in 0..<5 { sums.values[place] += contents[stratum][place] }
                if stratum % 3 == 0 { sums.live.append(stratum) }
            }
        }
        let fresh = StrataSums.total(strata: strata, size: 5, make: make)
        for place in 0..<5 {
            let linear = contents.map { $0[place] }.reduce(0, +)
            #expect(abs(fresh.values[place] - linear) <= 1e-12 * max(1, linear), "place \(place)")
        }
        let live: [Int] = (0..<strata).filter { $0 % 3 == 0 }
        #expect(fresh.live == live)

        let cache = StrataSumsCache()
        var states = BlockArray((0..<strata).map { _ in ContestTally.AreaState(boxCount: 0, candidates: 1) })
        var blockStamps = [UInt64](repeating: 0, count: states.blockCount)
        var made: [Range<Int>] = []
        func kept() -> StrataSums {
            cache.total(blockStamps: blockStamps, strata: states, size: 5) { run, sums in made.append(run); make(run, &sums) }
        }
        let first = kept()
        #expect(first.values == fresh.values && first.live == fresh.live)
        #expect(made.map(\.count).reduce(0, +) == strata, "every stratum made once")
        for change in 0..<(strata * 3) {
            // Every fourth time, two strata change before the snapshot.
            let changedStrata = Set([(change * 5 + 1) % strata] + (change % 4 == 3 ? [(change * 11 + 7) % strata] : []))
            for stratum in changedStrata {
                contents[stratum][change % 5] += Double(change + 1) / 9
                let stamp = cache.nextStamp()
                states[stratum].sumsStamp = stamp
                blockStamps[BlockArray<ContestTally.AreaState>.block(of: stratum)] = stamp
            }
            made = []
            let sums = kept()
            let runs = Set(changedStrata.map { $0 / 8 })
            #expect(made.count == runs.count && made.allSatisfy { $0.count <= 8 && runs.contains($0.lowerBound / 8) },
                    "only the changed strata's runs are made again: \(made)")
            let afresh = StrataSums.total(strata: strata, size: 5, make: make)
            #expect(sums.values == afresh.values, "after change \(change) to strata \(changedStrata.sorted())")
            #expect(sums.live == afresh.live)
        }
    }

    /// Copies of a tally share one cache: two sets of strata that go
    /// different ways from the same start, read in turn, each get their own
    /// sums, as made afresh; and a cache read for another number of strata
    /// starts again.
    @Test func divergingStrataShareOneCache() {
        let strata = 70
        let start: [[Double]] = (0..<strata).map { (stratum: Int) -> [Double] in [Double(stratum + 1), 1 / Double(stratum + 2)] }
        struct Copy {
            var contents: [[Double]]
            var states: BlockArray<ContestTally.AreaState>
            var blockStamps: [UInt64]
        }
        let cache = StrataSumsCache()
        func make(_ contents: [[Double]]) -> (Range<Int>, inout StrataSums) -> Void {
            { run, sums in
                sums = StrataSums(size: 2)
                for stratum in run {
                    for place in 0..<2 { sums.values[place] += contents[stratum][place] }
                }
            }
        }
        let initial = Copy(contents: start, states: BlockArray((0..<strata).map { _ in ContestTally.AreaState(boxCount: 0, candidates: 1) }),
                           blockStamps: [UInt64](repeating: 0, count: 3))
        var copies = [initial, initial]
        for step in 0..<200 {
            let which = step % 3 == 0 ? 1 : 0
            let stratum = (step * 7 + which * 13) % strata
            copies[which].contents[stratum][step % 2] += Double(step + 1) / 7
            let stamp = cache.nextStamp()
            copies[which].states[stratum].sumsStamp = stamp
            copies[which].blockStamps[BlockArray<ContestTally.AreaState>.block(of: stratum)] = stamp
            for copy in copies.indices {
                let kept = cache.total(blockStamps: copies[copy].blockStamps, strata: copies[copy].states, size: 2,
                                       make: make(copies[copy].contents))
                let fresh = StrataSums.total(strata: strata, size: 2, make: make(copies[copy].contents))
                #expect(kept.values == fresh.values, "copy \(copy) after step \(step)")
            }
        }
        let fewer = BlockArray((0..<9).map { _ in ContestTally.AreaState(boxCount: 0, candidates: 1) })
        let nine = Array(start.prefix(9))
        #expect(cache.total(blockStamps: [0], strata: fewer, size: 2, make: make(nine)).values
                == StrataSums.total(strata: 9, size: 2, make: make(nine)).values)
    }
}
