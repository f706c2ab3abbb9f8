import Testing
@testable import CountNightCore

/// A box or area counted twice under two batch names, or a contest smaller
/// than its boxes: the figures do not add up, and that is never silent.
@Suite struct DiscrepancyTests {
    @Test func aBoxCountedTwiceUnderTwoBatchNamesIsADiscrepancyThatStillCounts() {
        var tally = Tally(election: Fixtures.election())
        tally.read("a.json", Fixtures.count(box: "N1", batch: "a", ann: 400, bob: 200, cat: 100))
        #expect(tally.mayor.warnings.isEmpty)
        #expect(!CheckReport.fails(tally.snapshot(time: 0)))
        tally.read("b.json", Fixtures.count(box: "N1", batch: "b", ann: 400, bob: 200, cat: 100))
        let snapshot = tally.snapshot(time: 0)
        let mayor = snapshot.contests[0]
        // It counts meanwhile: which of the two is wrong is for the count staff to say.
        #expect(mayor.countedBallots == 1400)
        #expect(mayor.votes("ann") == 800)
        #expect(mayor.warnings == [Warning(box: "N1", message: "box N1: counted 1,400 ballots in 2 batches, more than its 1,000 electors", doesNotAddUp: true)])
        #expect(tally.boxRows(contest: 0)[0].state == .discrepancy)
        #expect(tally.boxRows(contest: 0)[1].state == .awaiting)
        #expect(CheckReport.fails(snapshot))
        #expect(CheckReport.lines(snapshot) == ["mayor: does not add up: box N1: counted 1,400 ballots in 2 batches, more than its 1,000 electors"])
        #expect(snapshot.json().contains(#"{"box":"N1","message":"box N1: counted 1,400 ballots in 2 batches, more than its 1,000 electors","doesNotAddUp":true}"#))
        // Withdrawing one of them puts it right.
        tally.read("b2.json", #"{"contest": "mayor", "kind": "count", "box": "N1", "batch": "b", "revision": 2, "withdrawn": true}"#)
        #expect(tally.mayor.warnings.isEmpty)
        #expect(tally.boxRows(contest: 0)[0].state == .counted)
    }

    @Test func aBoxCountedOverItsVerifiedPapersDoesNotAddUpButCountedShortIsAWarningOnly() {
        var tally = Tally(election: Fixtures.election())
        tally.read("v.json", Fixtures.verification("N1", 700))
        tally.read("a.json", Fixtures.count(box: "N1", batch: "a", ann: 400, bob: 200, cat: 100))
        tally.read("b.json", Fixtures.count(box: "N1", batch: "b", ann: 40, bob: 20, cat: 10))
        #expect(tally.mayor.warnings == [Warning(box: "N1", message: "box N1: verified 700 ballot papers but counted 770 ballots in 2 batches", doesNotAddUp: true)])
        #expect(CheckReport.fails(tally.snapshot(time: 0)))
        tally.read("b2.json", Fixtures.count(box: "N1", batch: "b", revision: 2, ann: 0, bob: 0, cat: 0))
        tally.read("a2.json", Fixtures.count(box: "N1", batch: "a", revision: 2, ann: 400, bob: 200, cat: 90))
        #expect(tally.mayor.warnings == [Warning(box: "N1", message: "box N1: verified 700 ballot papers but counted 690 ballots in 2 batches")])
        #expect(!CheckReport.fails(tally.snapshot(time: 0)))
        #expect(tally.boxRows(contest: 0)[0].state == .discrepancy)
    }

    @Test func verificationPartsOverTheElectorateDoNotAddUp() {
        var tally = Tally(election: Fixtures.election())
        tally.read("v1.json", #"{"contest": "mayor", "kind": "verification", "box": "S1", "batch": "1", "ballotPapers": 600}"#)
        tally.read("v2.json", #"{"contest": "mayor", "kind": "verification", "box": "S1", "batch": "2", "ballotPapers": 600}"#)
        #expect(tally.mayor.warnings == [Warning(box: "S1", message: "box S1: verified 1,200 ballot papers in 2 parts, more than its 1,000 electors", doesNotAddUp: true)])
        #expect(tally.boxRows(contest: 0)[2].state == .discrepancy)
        #expect(CheckReport.fails(tally.snapshot(time: 0)))
    }

    @Test func anAreaBundleSubmittedTwiceIsADiscrepancyOfTheArea() {
        var tally = Tally(election: Fixtures.election())
        tally.read("v1.json", Fixtures.verification("N1", 500))
        tally.read("v2.json", Fixtures.verification("N2", 500))
        tally.read("n1.json", Fixtures.count(area: "North", batch: "1", ann: 500, bob: 400, cat: 100))
        #expect(tally.mayor.warnings.isEmpty)
        tally.read("n2.json", Fixtures.count(area: "North", batch: "2", ann: 500, bob: 400, cat: 100))
        tally.read("box.json", Fixtures.count(box: "N1", ann: 300, bob: 150, cat: 50))
        let snapshot = tally.snapshot(time: 0)
        let mayor = snapshot.contests[0]
        #expect(mayor.countedBallots == 2500)
        #expect(mayor.warnings.contains(Warning(area: "North", message: "area North: counted 2,500 ballots (2,000 of them in bundles) but its boxes hold at most 1,000 ballots: the 1,000 ballot papers verified in it", doesNotAddUp: true)))
        // N2 was counted only in the bundles: it shows as a discrepancy too.
        #expect(tally.boxRows(contest: 0)[1].state == .discrepancy)
        #expect(CheckReport.lines(snapshot).contains("mayor: does not add up: area North: counted 2,500 ballots (2,000 of them in bundles) but its boxes hold at most 1,000 ballots: the 1,000 ballot papers verified in it"))
        #expect(SnapshotReport(snapshot: snapshot).text.contains("  warning: area North: counted 2,500 ballots"))
        // 2,500 of 2,500 papers is never said without saying that it does not add up.
        #expect(SnapshotReport(snapshot: snapshot).text.contains("  ballots counted: 2,500 of 2,500 ballot papers (100.00%); the figures do not add up, see the warnings"))
        #expect(mayor.projection.status != .certain)
    }

    /// The area counted twice, through the command a user runs.
    @Test func anAreaCountedTwiceIsNamedByTheCheckReport() {
        var tally = Tally(election: Fixtures.election())
        for box in ["N1", "N2", "S1", "S2"] { tally.read("v-\(box).json", Fixtures.verification(box, 500)) }
        tally.read("s1.json", Fixtures.count(area: "South", batch: "1", ann: 900, bob: 50, cat: 50))
        tally.read("s2.json", Fixtures.count(area: "South", batch: "1b", ann: 900, bob: 50, cat: 50))
        let snapshot = tally.snapshot(time: 0)
        #expect(CheckReport.fails(snapshot))
        #expect(CheckReport.lines(snapshot) == ["mayor: does not add up: area South: counted 2,000 ballots (2,000 of them in bundles) but its boxes hold at most 1,000 ballots: the 1,000 ballot papers verified in it"])
        #expect(tally.boxRows(contest: 0)[2].state == .discrepancy)
        #expect(tally.boxRows(contest: 0)[3].state == .discrepancy)
        #expect(snapshot.contests[0].projection.status != .certain)
    }

    @Test func aBundleOverVerifiedPapersAndUnverifiedElectorsIsADiscrepancy() {
        var tally = Tally(election: Fixtures.election())
        tally.read("v1.json", Fixtures.verification("N1", 500))
        // N2 unverified: up to its 1,000 electors may still be in the bundle.
        tally.read("n1.json", Fixtures.count(area: "North", batch: "1", ann: 1000, bob: 400, cat: 100))
        #expect(tally.mayor.warnings.isEmpty)
        tally.read("n2.json", Fixtures.count(area: "North", batch: "2", ann: 10, bob: 0, cat: 0))
        #expect(tally.mayor.warnings == [Warning(area: "North", message: "area North: counted 1,510 ballots (1,510 of them in bundles) but its boxes hold at most 1,500 ballots: the 500 ballot papers verified in it and the 1,000 electors of its 1 boxes not yet verified", doesNotAddUp: true)])
    }

    /// A lead far beyond everything left would be certain; made of a box
    /// counted twice, it is not.
    @Test func noCallIsCertainOnFiguresThatDoNotAddUp() {
        var tally = Tally(election: Fixtures.election())
        for box in ["N1", "N2", "S1", "S2"] { tally.read("v-\(box).json", Fixtures.verification(box, 10)) }
        tally.read("a.json", Fixtures.count(box: "P1", batch: "a", ann: 600, bob: 10, cat: 0))
        #expect(tally.mayor.projection.status == .certain)
        tally.read("b.json", Fixtures.count(box: "P1", batch: "b", ann: 600, bob: 10, cat: 0))
        #expect(tally.mayor.warnings.first?.doesNotAddUp == true)
        #expect(tally.mayor.projection.status != .certain)
        #expect(tally.mayor.projection.certainty == nil)
    }

    @Test func aContestElectorateSmallerThanItsBoxesIsADiscrepancyFromTheStart() throws {
        let json = Fixtures.electionJSON().replacingOccurrences(of: #""system": "fptp","#, with: #""system": "fptp", "electorate": 400,"#)
        var tally = Tally(election: try ElectionFile.parse(Array(json.utf8)))
        #expect(tally.mayor.warnings == [Warning(message: "the contest's electorate, 400, is smaller than its boxes' electorates together, 5,000 (election.json)", doesNotAddUp: true)])
        tally.read("v.json", Fixtures.verification("N1", 900))
        #expect(tally.mayor.turnout == 2.25)
        #expect(tally.mayor.warnings.last == Warning(message: "900 ballot papers verified or counted, more than the contest's 400 electors", doesNotAddUp: true))
        #expect(CheckReport.fails(tally.snapshot(time: 0)))
    }

    @Test func papersOverTheContestElectorateDoNotAddUp() throws {
        let json = #"{"format": "countnight-feed/1", "id": "e", "contests": [{"id": "mayor", "electorate": 100, "candidates": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}, {"id": "cat", "name": "Cat"}], "boxes": [{"id": "B1"}, {"id": "B2"}]}]}"#
        var tally = Tally(election: try ElectionFile.parse(Array(json.utf8)))
        tally.read("v.json", Fixtures.verification("B1", 100))
        #expect(tally.mayor.warnings.isEmpty)
        tally.read("v2.json", Fixtures.verification("B2", 1100))
        #expect(tally.mayor.turnout == 12)
        #expect(tally.mayor.warnings == [Warning(message: "1,200 ballot papers verified or counted, more than the contest's 100 electors", doesNotAddUp: true)])
        #expect(CheckReport.lines(tally.snapshot(time: 0)) == ["mayor: does not add up: 1,200 ballot papers verified or counted, more than the contest's 100 electors"])
    }
}
