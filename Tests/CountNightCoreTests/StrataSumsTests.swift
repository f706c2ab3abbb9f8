import Testing
@testable import CountNightCore

/// The projection's sums over blocks of strata are kept between snapshots
/// and made again only for a block that changed (`StrataSums`). A model made
/// from the kept sums must be the model made from every block afresh, bit for
/// bit, after any batch and after stepping back: otherwise a replay's figures
/// would depend on the way it came to a point of the night.
@Suite struct StrataSumsTests {
    enum Kind: CaseIterable { case plain, typed, baseline, bundles }

    /// 70 areas (three blocks of 32); with types, every third area's boxes
    /// are postal votes, so that the strata are not the areas.
    static func night(_ kind: Kind) -> SyntheticNight {
        var night = KeptSumsTests.night(bundles: kind == .bundles ? 2 : nil)
        if kind == .typed {
            for index in night.areas.indices where index % 3 == 0 { night.areas[index].type = "postal" }
        }
        if kind == .baseline { night.previousSwing = [0.03, -0.02, -0.01] }
        return night
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
        #expect(replay.tally.contestTally(0).contest.hasTypes == (kind == .typed))
        #expect((replay.tally.contestTally(0).contest.baseline != nil) == (kind == .baseline))
        var called = false
        while !replay.atEnd {
            replay.stepForward()
            let tally = replay.tally.contestTally(0)
            #expect(Self.model(tally, cached: true) == Self.model(tally, cached: false), "after entry \(replay.position)")
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
}
