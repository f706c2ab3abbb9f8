import Testing
@testable import CountNightCore

/// The bound on ballots still to count, and what is certain from it.
@Suite struct CertaintyTests {
    var tally = Tally(election: Fixtures.election())

    @Test mutating func theBoundIsVerifiedPapersLessCountedPlusTheElectorateOfUnverifiedBoxes() {
        // Five boxes with an electorate of 1,000 each, nothing verified.
        #expect(tally.mayor.projection.remainingBallots == 5000)
        #expect(tally.mayor.projection.status == .tooEarly)
        tally.read("v-n1", Fixtures.verification("N1", 800))
        tally.read("v-n2", Fixtures.verification("N2", 700))
        #expect(tally.mayor.projection.remainingBallots == 800 + 700 + 3000)
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 500, bob: 250, cat: 40, rejected: 10))
        #expect(tally.mayor.projection.remainingBallots == 700 + 3000)
        // Bundles of an area are taken off the area's verified papers.
        tally.read("v-s1", Fixtures.verification("S1", 600))
        tally.read("v-s2", Fixtures.verification("S2", 400))
        tally.read("c-south-1", Fixtures.count(area: "South", batch: "1", ann: 100, bob: 380, cat: 10, rejected: 10))
        #expect(tally.mayor.projection.remainingBallots == 700 + 500 + 1000)
        // Bob leads 630 to 600 with 2,200 left: Ann needs
        // (2,200 + 30) / (2 x 2,200) of them.
        #expect(tally.mayor.leader == "bob")
        #expect(tally.mayor.projection.hurdle == 2230.0 / 4400.0)
        #expect(tally.mayor.projection.status != .certain)
    }

    @Test func anUnverifiedBoxWithoutElectorateLeavesNothingCertainUntilTheEnd() {
        let night = SyntheticNight(candidates: ["ann", "bob"], areas: [
            .init(name: "A", boxes: 3, shares: [0.9, 0.1]), .init(name: "B", boxes: 1, shares: [0.9, 0.1], papersPerBox: 10...10),
        ], withoutElectorate: [3])
        var tally = Tally(election: night.election)
        let (verifications, counts) = night.files()
        for file in verifications.prefix(3) + counts.prefix(3) { tally.read(file.name, file.json) }
        // A leads by thousands with one small box unverified: still not certain.
        #expect(tally.mayor.projection.remainingBallots == nil)
        #expect(tally.mayor.projection.status != .certain)
        // Once verified, the bound is its 10 papers and the race is certain.
        tally.read(verifications[3].name, verifications[3].json)
        #expect(tally.mayor.projection.remainingBallots == 10)
        #expect(tally.mayor.projection.status == .certain)
        #expect(tally.mayor.projection.winners == ["ann"])
    }

    @Test mutating func bundlesBeforeAnyVerificationSayNothingOfTheWinner() {
        // Nothing says how many papers the other boxes hold: no model.
        tally.read("c-north", Fixtures.count(area: "North", batch: "1", ann: 900, bob: 50, cat: 50))
        let projection = tally.mayor.projection
        #expect(projection.status == .tooEarly)
        #expect(projection.probability == nil)
        #expect(projection.shares.isEmpty)
        #expect(projection.favourites.isEmpty)
        // The bound: five boxes' electorates of 1,000 (bundles are not taken
        // off unverified boxes).
        #expect(projection.remainingBallots == 5000)
        #expect(projection.expectedRemaining == 5000)
        #expect(tally.mayor.projectionHeadline == "Too early to call: 17% counted")
        // One verified box gives a turnout to estimate the others from.
        tally.read("v-s1", Fixtures.verification("S1", 300))
        #expect(tally.mayor.projection.probability != nil)
        #expect(!tally.mayor.projection.shares.isEmpty)
    }

    @Test mutating func fptpIsCertainOnlyWhenTheLeadExceedsTheBallotsLeft() {
        for (box, papers) in [("N1", 100), ("N2", 100), ("S1", 100), ("S2", 100), ("P1", 100)] {
            tally.read("v-\(box)", Fixtures.verification(box, papers))
        }
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 100, bob: 0, cat: 0))
        tally.read("c-n2", Fixtures.count(box: "N2", ann: 100, bob: 0, cat: 0))
        tally.read("c-s1", Fixtures.count(box: "S1", ann: 100, bob: 0, cat: 0))
        // Lead 300 against 200 left.
        let projection = tally.mayor.projection
        #expect(projection.status == .certain)
        #expect(projection.winners == ["ann"])
        #expect(projection.certainty == Certainty(lead: 300, against: 200))
        #expect(projection.remainingBallots == 200)

        var level = Tally(election: Fixtures.election())
        for (box, papers) in [("N1", 100), ("N2", 100), ("S1", 100), ("S2", 100), ("P1", 100)] {
            level.read("v-\(box)", Fixtures.verification(box, papers))
        }
        level.read("c-n1", Fixtures.count(box: "N1", ann: 100, bob: 0, cat: 0))
        level.read("c-n2", Fixtures.count(box: "N2", ann: 100, bob: 0, cat: 0))
        level.read("c-s1", Fixtures.count(box: "S1", ann: 50, bob: 50, cat: 0))
        // Lead 200 against 200 left: the runner-up could still tie.
        #expect(level.mayor.projection.status != .certain)
        #expect(level.mayor.projection.hurdle == 1.0)
    }

    @Test func svIsCertainWhenTheLeaderHasMoreThanHalfOfEveryValidVoteThereCanBe() {
        var tally = Tally(election: Fixtures.election(system: "sv"))
        for box in ["N1", "N2", "S1", "S2", "P1"] { tally.read("v-\(box)", Fixtures.verification(box, 100)) }
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 100, bob: 0, cat: 0))
        tally.read("c-n2", Fixtures.count(box: "N2", ann: 100, bob: 0, cat: 0))
        tally.read("c-s1", Fixtures.count(box: "S1", ann: 50, bob: 50, cat: 0))
        // 250 of at most 300 + 200 valid: exactly half, not more.
        #expect(tally.mayor.projection.status != .certain)
        tally.read("c-s2", Fixtures.count(box: "S2", ann: 10, bob: 80, cat: 0, rejected: 10))
        // 260 of at most 390 + 100.
        #expect(tally.mayor.projection.status == .certain)
        #expect(tally.mayor.projection.certainty == Certainty(lead: 260, against: 490))
    }

    @Test func blockIsCertainWhenTheMarginAtTheLastSeatExceedsTheBallotsLeft() {
        var tally = Tally(election: Fixtures.election(system: "block", seats: 2))
        for box in ["N1", "N2", "S1", "S2", "P1"] { tally.read("v-\(box)", Fixtures.verification(box, 100)) }
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 100, bob: 100, cat: 0, ballots: 100))
        tally.read("c-n2", Fixtures.count(box: "N2", ann: 100, bob: 90, cat: 10, ballots: 100))
        // Bob 190, Cat 10: margin 180 against 300 left.
        #expect(tally.mayor.projection.status != .certain)
        tally.read("c-s1", Fixtures.count(box: "S1", ann: 100, bob: 100, cat: 0, ballots: 100))
        #expect(tally.mayor.projection.status == .certain)
        #expect(tally.mayor.projection.winners == ["ann", "bob"])
        #expect(tally.mayor.projection.certainty == Certainty(lead: 280, against: 200))
    }

    @Test func aCompleteCountIsFinalOrASecondStageOrATie() {
        var tally = Tally(election: Fixtures.election(system: "sv"))
        for (box, ann, bob, cat) in [("N1", 40, 35, 25), ("N2", 40, 35, 25), ("S1", 40, 35, 25), ("S2", 40, 35, 25), ("P1", 40, 35, 25)] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: ann, bob: bob, cat: cat))
        }
        // Nobody over half: the count goes on to the second stage.
        var projection = tally.mayor.projection
        #expect(tally.mayor.status == .secondStage)
        #expect(projection.status == .tooEarly)
        #expect(projection.finalists == ["ann", "bob"])
        #expect(projection.winners.isEmpty)
        // Cat's 125 ballots are still to be examined for second preferences.
        #expect(projection.remainingBallots == 125)

        var fptp = Tally(election: Fixtures.election())
        for box in ["N1", "N2", "S1", "S2", "P1"] { fptp.read("c-\(box)", Fixtures.count(box: box, ann: 40, bob: 35, cat: 25)) }
        projection = fptp.mayor.projection
        #expect(projection.status == .final)
        #expect(projection.winner == "ann")
        #expect(projection.shares.map(\.id) == ["ann", "bob", "cat"])
        #expect(projection.shares.allSatisfy { $0.low == $0.mid && $0.mid == $0.high })
        #expect(projection.shares[0].mid == 0.4)

        var tie = Tally(election: Fixtures.election())
        for box in ["N1", "N2", "S1", "S2", "P1"] { tie.read("c-\(box)", Fixtures.count(box: box, ann: 30, bob: 30, cat: 25)) }
        #expect(tie.mayor.projection.status == .tied)
        #expect(tie.mayor.projection.winners.isEmpty)
    }

    @Test func theSnapshotJSONCarriesTheProjection() throws {
        var tally = Tally(election: Fixtures.election())
        tally.read("v-n1", Fixtures.verification("N1", 100))
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 60, bob: 30, cat: 10))
        let json = try JSONParser.parse(Array(tally.snapshot(time: 0).json().utf8))
        guard case .object(let root) = json, case .array(let contests)? = root["contests"], case .object(let contest) = contests[0],
              case .object(let projection)? = contest["projection"] else {
            Issue.record("no projection in \(json)")
            return
        }
        #expect(projection["status"] == .string("too-early"))
        #expect(projection["winner"] == .null)
        #expect(projection["remainingBallots"] == .integer(4000))
        guard case .array(let shares)? = projection["shares"], case .object(let first) = shares[0] else {
            Issue.record("no shares")
            return
        }
        #expect(first["id"] == .string("ann"))
        #expect(first.keys.sorted() == ["high", "id", "low", "mid"])
    }
}

/// Invented nights of known outcome, counted in many orders.
@Suite struct ProjectionNightTests {
    /// Two strong sides in different wards and a small third; the winner
    /// leads by about a point overall.
    static let closeRace = SyntheticNight(candidates: ["green", "brown", "grey"], areas: (1...12).map { ward in
        let lean = ward <= 5 ? -0.16 : 0.13
        return .init(name: "W\(ward)", boxes: 4, shares: [0.45 + lean / 2, 0.45 - lean / 2, 0.10])
    }, seed: 11)

    /// The loser's wards are small and counted first; the winner's are large.
    static let reversal = SyntheticNight(candidates: ["ann", "bob", "cat"], areas: (1...8).map { ward in
        ward <= 3 ? .init(name: "B\(ward)", boxes: 3, shares: [0.30, 0.62, 0.08], papersPerBox: 500...700)
                  : .init(name: "A\(ward)", boxes: 4, shares: [0.52, 0.40, 0.08], papersPerBox: 1100...1500)
    }, seed: 5)

    static let svFirstStage = SyntheticNight(system: "sv", candidates: ["ann", "bob", "cat", "dan"], areas: (1...10).map { ward in
        .init(name: "S\(ward)", boxes: 3, shares: ward % 2 == 0 ? [0.70, 0.15, 0.10, 0.05] : [0.40, 0.35, 0.15, 0.10])
    }, seed: 3)

    static let svSecondStage = SyntheticNight(system: "sv", candidates: ["ann", "bob", "cat", "dan"], areas: (1...10).map { ward in
        .init(name: "S\(ward)", boxes: 3, shares: ward <= 4 ? [0.55, 0.20, 0.15, 0.10] : [0.40, 0.30, 0.20, 0.10])
    }, bundlesPerArea: 2, seed: 4)

    static let block = SyntheticNight(system: "block", seats: 3, candidates: ["a1", "a2", "a3", "b1", "b2", "b3"], areas: (1...8).map { ward in
        let a = ward <= 3 ? 0.11 : 0.22
        return .init(name: "K\(ward)", boxes: 3, shares: [a + 0.01, a, a - 0.01, 0.33 - a + 0.01, 0.33 - a, 0.33 - a - 0.01])
    }, seed: 8)

    static let nights: [(String, SyntheticNight)] = [
        ("close race", closeRace), ("reversal", reversal), ("sv first stage", svFirstStage),
        ("sv second stage", svSecondStage), ("block", block),
    ]

    @Test func theInventedNightsEndAsPlanned() {
        #expect(Self.closeRace.completeTally().mayor.projection.winners == ["green"])
        #expect(Self.reversal.completeTally().mayor.projection.winners == ["ann"])
        #expect(Self.svFirstStage.completeTally().mayor.projection.winners == ["ann"])
        let secondStage = Self.svSecondStage.completeTally().mayor
        #expect(secondStage.secondStage?.finalists == ["ann", "bob"])
        #expect(secondStage.secondStage?.isComplete == true)
        #expect(secondStage.projection.status == .final)
        #expect(secondStage.winners == ["ann"])
        #expect(Set(Self.block.completeTally().mayor.projection.winners) == ["a1", "a2", "a3"])
    }

    @Test(arguments: Calibration.Order.allCases)
    func noWrongCallInAnyOrder(order: Calibration.Order) throws {
        for (name, night) in Self.nights {
            let calibration = try #require(Calibration(tally: night.completeTally(), contest: 0))
            let report = calibration.run(nights: order == .random ? 200 : 50, order: order, seed: 2026)
            #expect(report.wrongCalls == 0, "\(name), \(order.rawValue): \(report.wrongCalls) wrong calls")
        }
    }

    @Test func anEarlyLeadOnTheLosersStrongholdsIsNeverCalled() {
        let (_, counts) = Self.reversal.files()
        // Bob's small wards first: he leads for the first third of the count.
        let order = counts.filter { $0.name.contains("-B") } + counts.filter { !$0.name.contains("-B") }
        let steps = Self.reversal.steps(countOrder: order)
        #expect(steps[8].leader == "bob")
        for step in steps.dropLast() {
            #expect(!step.projection.winners.contains("bob"))
            #expect(step.projection.status != .certain || step.projection.winners == ["ann"])
        }
        // The model is not merely silent: Ann is called before the last box.
        let firstCall = steps.firstIndex { $0.projection.status == .projected || $0.projection.status == .certain }
        #expect(firstCall != nil && firstCall! < steps.count - 1)
        #expect(steps[firstCall!].projection.winners == ["ann"])
    }

    @Test func certainNeverContradictsTheResult() {
        for (name, night) in Self.nights {
            let outcome = night.completeTally().mayor.projection
            let truth = outcome.status == .secondStage ? outcome.finalists : outcome.winners
            var random = SplitMix64(seed: 99)
            let (_, counts) = night.files()
            var certainSeen = 0
            for _ in 0..<60 {
                for step in night.steps(countOrder: counts.shuffled(using: &random)) where step.projection.status == .certain {
                    certainSeen += 1
                    #expect(Set(step.projection.winners) == Set(truth), "\(name): certain \(step.projection.winners)")
                }
            }
            if name == "close race" || name == "reversal" { #expect(certainSeen > 0, "\(name): never certain before the end") }
        }
    }

    @Test func theIntervalNarrowsToTheFinalShareAndMostlyHoldsIt() {
        let night = Self.closeRace
        let final = night.completeTally().mayor
        let finalShare = Dictionary(uniqueKeysWithValues: final.candidates.map { ($0.id, $0.share) })
        var random = SplitMix64(seed: 7)
        let (_, counts) = night.files()
        var inside = 0, total = 0
        for _ in 0..<40 {
            let steps = night.steps(countOrder: counts.shuffled(using: &random))
            func width(_ step: ContestSnapshot) -> Double {
                step.projection.shares.first { $0.id == "green" }.map { $0.high - $0.low } ?? 1
            }
            #expect(width(steps[steps.count / 5]) > width(steps[steps.count * 4 / 5]))
            let last = steps.last!.projection.shares.first { $0.id == "green" }!
            #expect(last.low == last.high && last.mid == finalShare["green"])
            for step in steps.dropLast() {
                for share in step.projection.shares {
                    total += 1
                    if let truth = finalShare[share.id], share.low <= truth && truth <= share.high { inside += 1 }
                }
            }
        }
        // 90% intervals: the final share falls inside at least that often
        // (the model errs wide rather than narrow).
        #expect(Double(inside) / Double(total) >= 0.9, "\(inside) of \(total)")
    }

    @Test func theProjectionDependsOnTheBatchesNotTheirOrder() {
        let night = Self.svSecondStage
        let (_, counts) = night.files()
        var random = SplitMix64(seed: 1)
        let half = Array(counts.prefix(counts.count / 2))
        let a = night.steps(countOrder: half).last!
        let b = night.steps(countOrder: half.shuffled(using: &random)).last!
        #expect(a.projection == b.projection)
        #expect(a.projection.shares.count == 4)
    }

    @Test func calibrationIsRepeatableAndReportsInWords() throws {
        let calibration = try #require(Calibration(tally: Self.reversal.completeTally(), contest: 0))
        let first = calibration.run(nights: 20, order: .smallestFirst, seed: 5)
        let again = calibration.run(nights: 20, order: .smallestFirst, seed: 5)
        #expect(first == again)
        #expect(first.nights.count == 20)
        #expect(first.batches == 3 * 3 + 5 * 4)
        let lines = first.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "seat: the complete count elects Ann")
        #expect(lines[1] == "  20 nights, smallest-first order, verifications first, seed 5, 29 count batches each")
        #expect(lines[2] == "  wrong calls:       0 (in 0 of 20 nights)")
        #expect(lines[4].hasPrefix("  counted when the call that stood was made: median "))
    }

    @Test func calibrationNeedsACompleteCount() {
        var tally = Tally(election: Fixtures.election())
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 60, bob: 30, cat: 10))
        #expect(Calibration(tally: tally, contest: 0) == nil)
    }
}

/// The normal quantile behind the order's allowance is found by a
/// bisection that skips the steps whose side is already known
/// (`Normal.quantile`): it must give the plain bisection's result to the
/// last bit, for every p, so that no projection changes with it.
@Suite struct NormalQuantileTests {
    @Test func theQuickBisectionIsThePlainOneToTheLastBit() {
        var ps: [Double] = [0.5, 0.01, 0.99, 0.001, 0.999, 0.0011, 0.9989, 0.975, 0.025, 0.95, 0.05, 0.8413447460685429,
                            0.5.nextUp, 0.5.nextDown, 0.0, 1.0, -1.0, 2.0, .nan, 1e-300, 1 - 1e-16]
        // Evenly over (0, 1), and at random, which reaches midpoints near
        // the root in every way.
        for i in 1..<20_000 { ps.append(Double(i) / 20_000) }
        // Roots so near 0 that the bisection's 80 steps end before its ends
        // meet: there its grid of midpoints decides the last bits.
        for x in [3e-11, 1e-10, 1e-9, 5e-9, 2e-8, 1e-7] { ps += [Normal.cdf(x), Normal.cdf(-x)] }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { ps.append(Double.random(in: 0.001...0.999, using: &generator)) }
        var differ: [Double] = []
        for p in ps where Normal.quantile(p).bitPattern != Normal.bisection(p).bitPattern { differ.append(p) }
        #expect(differ.isEmpty, "p: \(differ.prefix(5))")
        // And it is the quantile.
        #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(Normal.quantile(0.01) + 2.326347874040841) < 1e-12)
    }
}
