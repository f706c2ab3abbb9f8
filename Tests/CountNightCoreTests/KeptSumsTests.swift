import Testing
@testable import CountNightCore

/// Sums the tally keeps as batches come and go, rather than adding them up
/// over every area at each snapshot: after any batch, and after stepping
/// back, they must be what adding up the areas gives.
@Suite struct KeptSumsTests {
    /// 70 areas, so that the areas' figures span three blocks of 32; some
    /// boxes have no electorate, so that an area may have no bound.
    static func night(bundles: Int?) -> SyntheticNight {
        var night = SyntheticNight(candidates: ["ann", "bob", "cat"], areas: (0..<70).map { area in
            SyntheticNight.AreaPlan(name: "A\(area)", boxes: 3, shares: area % 2 == 0 ? [0.5, 0.3, 0.2] : [0.3, 0.5, 0.2])
        })
        night.bundlesPerArea = bundles
        night.withoutElectorate = [4, 100, 101, 205]
        night.seed = 7
        return night
    }

    static func entries(_ night: SyntheticNight) -> [NightEntry] {
        let (verifications, counts) = night.files()
        var random = SplitMix64(seed: 3)
        // Verifications and counts mixed, so that boxes are counted before
        // and after their verification.
        let files = (Array(verifications.prefix(150)) + counts).shuffled(using: &random) + verifications.dropFirst(150)
        var entries = [NightEntry(time: 0, file: ElectionFile.name, change: .version(Array(night.electionJSON.utf8)))]
        for (index, file) in files.enumerated() {
            entries.append(NightEntry(time: Double(index + 1), file: file.name, change: .version(Array(file.json.utf8))))
        }
        return entries
    }

    /// The contest's bound on ballots still to count, and the box sums the
    /// estimate of unverified papers is made from, as the areas add them up.
    static func addedUp(_ tally: ContestTally) -> [Int?] {
        var bound: Int? = 0
        var sums = [Int](repeating: 0, count: 7)
        for area in tally.areas {
            if let sum = bound, let left = area.remainingBound { bound = sum + left } else { bound = nil }
            sums[0] += area.verifiedElectorate
            sums[1] += area.verifiedPapersWithElectorate
            sums[2] += area.papers
            sums[3] += area.verifiedBoxes
            sums[4] += area.unverifiedCountedBoxes
            sums[5] += area.unverifiedUncountedBoxes
            sums[6] += area.unverifiedUncountedWithoutElectorate
        }
        return [bound] + sums
    }

    static func kept(_ tally: ContestTally) -> [Int?] {
        let all = tally.allBoxes
        return [tally.remainingBound, all.verifiedElectorate, all.verifiedPapersWithElectorate, all.papers, all.verifiedBoxes,
                all.unverifiedCountedBoxes, all.unverifiedUncountedBoxes, all.unverifiedUncountedWithoutElectorate]
    }

    @Test(arguments: [nil, 2])
    func keptSumsEqualTheAreasAddedUpForwardAndBack(bundles: Int?) {
        let entries = Self.entries(Self.night(bundles: bundles))
        var replay = Replay(election: Self.night(bundles: bundles).election, entries: entries)
        var unbounded = false
        while !replay.atEnd {
            replay.stepForward()
            let tally = replay.tally.contestTally(0)
            #expect(Self.kept(tally) == Self.addedUp(tally), "after entry \(replay.position)")
            unbounded = unbounded || tally.remainingBound == nil
        }
        // The night passes through both: an area with no bound, and every area bounded.
        #expect(unbounded && replay.tally.contestTally(0).remainingBound != nil)
        while replay.position > 0 {
            replay.stepBack()
            let tally = replay.tally.contestTally(0)
            #expect(Self.kept(tally) == Self.addedUp(tally), "back at entry \(replay.position)")
        }
    }

    /// The batch files of the first `count` entries read afresh, in order,
    /// by a tally that never stepped back.
    static func readAfresh(_ night: SyntheticNight, _ entries: [NightEntry], count: Int) -> ContestSnapshot {
        var tally = Tally(election: night.election)
        for entry in entries[1..<count] {
            if case .version(let bytes) = entry.change { tally.read(file: entry.file, bytes: bytes) }
        }
        return tally.snapshot(time: 0).contests[0]
    }

    @Test func aSnapshotKeepsItsAreasFiguresAfterLaterBatches() {
        let night = Self.night(bundles: nil)
        let entries = Self.entries(night)
        var replay = Replay(election: night.election, entries: entries)
        replay.seek(to: entries.count / 2)
        let earlier = replay.snapshot(time: 0).contests[0]
        let shown = Array(earlier.areas)
        #expect(shown == Array(Self.readAfresh(night, entries, count: entries.count / 2).areas))
        // To the end, back to a quarter (undoing batches in every block), and to the end again.
        replay.seek(to: entries.count)
        replay.seek(to: entries.count / 4)
        replay.seek(to: entries.count)
        let later = replay.snapshot(time: 0).contests[0]
        #expect(Array(earlier.areas) == shown)
        #expect(Array(later.areas) != shown)
        #expect(Array(later.areas) == Array(Self.readAfresh(night, entries, count: entries.count).areas))
        #expect(later.areas.map(\.countedBallots).reduce(0, +) == later.countedBallots)
        #expect(later.areas.count == 70 && later.areas[69].name == "A69")
    }
}

/// The products a count adds to its area's evidence are rounded without the
/// maths library, and must round exactly as `rounded()` does: a projection's
/// spreads are built from them.
@Suite struct RoundedProductTests {
    static func expected(_ product: Double) -> Int { Int(min(1e17, product.rounded())) }

    @Test func roundsHalvesAwayFromZeroAndCapsAsBefore() {
        let edges: [Double] = [0, 0.25, 0.49999999999999994, 0.5, 0.5000000000000001, 1.5, 2.5, 2.4999999999999996,
                               4503599627370495.5, 4503599627370496, 4503599627370497, 9007199254740993,
                               99999999999999999, 1e17 - 0.5, 1e17, 1e17 + 64, 1e20, 6.5e22]
        for edge in edges {
            #expect(ContestTally.roundedProduct(edge) == Self.expected(edge), "\(edge)")
            for step in [edge.nextUp, edge.nextDown] where step >= 0 {
                #expect(ContestTally.roundedProduct(step) == Self.expected(step), "\(step)")
            }
        }
    }

    @Test func roundsRandomProductsOfVotesAsBefore() {
        var random = SplitMix64(seed: 11)
        var differing: [Double] = []
        for _ in 0..<200_000 {
            let ballots = Int.random(in: 1...5_000, using: &random)
            let a = Int.random(in: 1...ballots, using: &random)
            let b = Int.random(in: 1...ballots, using: &random)
            let product = Double(a) * (65536 / Double(ballots)) * Double(b)
            if ContestTally.roundedProduct(product) != Self.expected(product) { differing.append(product) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }
}
