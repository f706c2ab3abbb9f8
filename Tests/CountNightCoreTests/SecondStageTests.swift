import Testing
@testable import CountNightCore

/// Supplementary Vote's second stage.
@Suite struct SecondStageTests {
    /// North: N1, N2; South: S1, S2; P1 alone. Ann 200, Bob 175, Cat 125:
    /// nobody over half of 500.
    func firstStage() -> Tally {
        var tally = Tally(election: Fixtures.election(system: "sv"))
        for box in ["N1", "N2", "S1", "S2", "P1"] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: 40, bob: 35, cat: 25))
        }
        return tally
    }

    static func transfers(_ target: String, ann: Int, bob: Int, cat: Int = 0, none: Int, revision: Int = 1) -> String {
        #"{"contest": "mayor", "kind": "second-preferences", \#(target), "revision": \#(revision), "transfers": {"ann": \#(ann), "bob": \#(bob), "cat": \#(cat)}, "nonTransferable": \#(none)}"#
    }

    @Test func theTwoLeadersGoThroughAndTransfersAreAddedAreaByArea() {
        var tally = firstStage()
        var mayor = tally.mayor
        #expect(mayor.status == .secondStage)
        #expect(mayor.secondStage?.finalists == ["ann", "bob"])
        #expect(mayor.secondStage?.toExamine == 125)
        #expect(mayor.projectionHeadline == "Too early to call: second stage, 0 of 3 areas examined")
        // North's eliminated ballots: Cat's 50.
        tally.read("t-north", Self.transfers(#""area": "North""#, ann: 20, bob: 22, none: 8))
        mayor = tally.mayor
        #expect(mayor.secondStage?.transfers == [20, 22])
        #expect(mayor.secondStage?.totals == [220, 197])
        #expect(mayor.secondStage?.areasComplete == 1)
        #expect(mayor.secondStage?.toExamine == 75)
        // A box of South: half the area; not complete until it reaches 50.
        tally.read("t-s1", Self.transfers(#""box": "S1""#, ann: 10, bob: 12, none: 3))
        #expect(tally.mayor.secondStage?.areasComplete == 1)
        tally.read("t-s2", Self.transfers(#""box": "S2""#, ann: 9, bob: 12, none: 4))
        tally.read("t-p1", Self.transfers(#""box": "P1""#, ann: 5, bob: 15, none: 5))
        mayor = tally.mayor
        #expect(mayor.secondStage?.isComplete == true)
        #expect(mayor.secondStage?.totals == [244, 236])
        #expect(mayor.secondStage?.nonTransferable == 20)
        #expect(mayor.status == .complete)
        #expect(mayor.winners == ["ann"])
        #expect(mayor.projection.status == .final)
        let json = tally.snapshot(time: 0).json()
        #expect(json.contains(#""stages":[{"stage":1,"complete":true,"elected":null},{"stage":2,"finalists":["ann","bob"],"firstPreferences":[200,175],"transfers":[44,61],"nonTransferable":20,"totals":[244,236],"areasComplete":3,"areas":3,"toExamine":0,"complete":true,"elected":"ann"}]"#))
    }

    @Test func transfersBeforeTheFinalistsAreKnownAreKeptAndApplied() {
        var tally = Tally(election: Fixtures.election(system: "sv"))
        tally.read("t-north", Self.transfers(#""area": "North""#, ann: 20, bob: 22, none: 8))
        #expect(tally.mayor.secondStage == nil)
        for box in ["N1", "N2", "S1", "S2", "P1"] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: 40, bob: 35, cat: 25))
        }
        #expect(tally.mayor.secondStage?.transfers == [20, 22])
        #expect(tally.mayor.secondStage?.areasComplete == 1)
    }

    @Test func transfersToAnEliminatedCandidateAreNamedAndNotCounted() {
        var tally = firstStage()
        tally.read("t-north", Self.transfers(#""area": "North""#, ann: 20, bob: 20, cat: 3, none: 7))
        let mayor = tally.mayor
        #expect(mayor.secondStage?.transfers == [20, 20])
        #expect(mayor.secondStage?.nonTransferable == 10)
        #expect(mayor.secondStage?.areasComplete == 1)
        #expect(mayor.warnings.map(\.message) == ["second preferences for Cat Clay are not counted: 3 found, but only Ann Able and Bob Baker are in the second stage"])
    }

    @Test func aTieIsDecidedByLotWithNoWinner() {
        var tally = firstStage()
        // Ann 200 + 10, Bob 175 + 35.
        tally.read("t-north", Self.transfers(#""area": "North""#, ann: 4, bob: 14, none: 32))
        tally.read("t-south", Self.transfers(#""area": "South""#, ann: 4, bob: 14, none: 32))
        tally.read("t-p1", Self.transfers(#""box": "P1""#, ann: 2, bob: 7, none: 16))
        let mayor = tally.mayor
        #expect(mayor.secondStage?.totals == [210, 210])
        #expect(mayor.status == .complete)
        #expect(mayor.winners.isEmpty)
        #expect(mayor.projection.status == .tied)
        #expect(mayor.warnings.map(\.message).contains("the finalists tie at 210: the winner is decided by lot"))
    }

    @Test func aLeadBeyondTheBallotsLeftToExamineIsCertain() {
        var tally = firstStage()
        tally.read("t-north", Self.transfers(#""area": "North""#, ann: 40, bob: 0, none: 10))
        tally.read("t-south", Self.transfers(#""area": "South""#, ann: 40, bob: 0, none: 10))
        // Ann 280, Bob 175: a lead of 105 with P1's 25 ballots left.
        let mayor = tally.mayor
        #expect(mayor.status == .secondStage)
        #expect(mayor.projection.status == .certain)
        #expect(mayor.projection.winners == ["ann"])
        #expect(mayor.projectionHeadline == "WINNER CERTAIN: Ann Able leads by 105 after transfers, more than the 25 ballots left to examine")
    }

    @Test func theSecondStageIsProjectedFromTheTransferRatesOfTheAreasDone() {
        // Twelve areas; Ann leads Bob on first preferences, and the
        // eliminated candidates' ballots split 25/45 between them.
        let night = SyntheticNight(system: "sv", candidates: ["ann", "bob", "cat", "dan"], areas: (1...12).map { area in
            .init(name: "A\(area)", boxes: 2, shares: [0.40, 0.37, 0.13, 0.10], papersPerBox: 900...1100)
        }, seed: 21)
        var tally = Tally(election: night.election)
        let (verifications, counts) = night.files()
        for file in verifications + counts { tally.read(file.name, file.json) }
        let stage = tally.mayor.secondStage!
        let lead = stage.firstPreferences[0] - stage.firstPreferences[1]
        var transfers = night
        transfers.transferRates = (first: 0.25, second: 0.45)
        let files = transfers.secondPreferenceFiles(after: tally)
        var calls: [Projection.Status] = []
        for file in files {
            tally.read(file.name, file.json)
            calls.append(tally.mayor.projection.status)
        }
        // 20% of the eliminated ballots is more than the lead: Bob overtakes.
        #expect(lead < Int(Double(stage.toExamine) * 0.20))
        #expect(tally.mayor.winners == ["bob"])
        // Called for Bob before the last area, never for Ann.
        let firstCall = calls.firstIndex { $0 == .projected || $0 == .certain }
        #expect(firstCall != nil && firstCall! < files.count - 1)
        #expect(tally.mayor.projection.winners == ["bob"])
        var check = Tally(election: night.election)
        for file in verifications + counts { check.read(file.name, file.json) }
        for file in files.dropLast() {
            check.read(file.name, file.json)
            #expect(!check.mayor.projection.winners.contains("ann"))
        }
    }

    @Test func secondPlaceTiedLeavesTheFinalistsToLot() {
        var tally = Tally(election: Fixtures.election(system: "sv"))
        tally.read("c-p1", Fixtures.count(box: "P1", ann: 40, bob: 30, cat: 30))
        for box in ["N1", "N2", "S1", "S2"] { tally.read("c-\(box)", Fixtures.count(box: box, ann: 0, bob: 0, cat: 0)) }
        let mayor = tally.mayor
        #expect(mayor.secondStage == nil)
        #expect(mayor.warnings.map(\.message) == ["second place is tied between Bob Baker, Cat Clay: who goes to the second stage is decided by lot"])
    }

    @Test func onlySupplementaryVoteHasSecondPreferences() {
        #expect(refusal(Self.transfers(#""box": "N1""#, ann: 1, bob: 1, none: 0))
                == #"kind: only a Supplementary Vote contest has second preferences, and "mayor" is fptp"#)
        #expect(refusal(#"{"contest": "mayor", "kind": "second-preferences", "transfers": {"ann": 1}}"#, against: Fixtures.election(system: "sv"))
                == "box: second preferences name either a box or an area, and these name neither")
        #expect(refusal(#"{"contest": "mayor", "kind": "second-preferences", "box": "N1"}"#, against: Fixtures.election(system: "sv"))
                == "transfers: is missing; second preferences give the transfers found for each candidate")
        #expect(refusal(#"{"contest": "mayor", "kind": "second-preferences", "box": "N1", "transfers": {"zed": 1}}"#, against: Fixtures.election(system: "sv"))
                == #"transfers.zed: "zed" is not a candidate of contest "mayor""#)
    }
}
