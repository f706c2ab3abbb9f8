import Foundation
import Testing
@testable import CountNightCore

/// A result that changes after it was shown is found by comparing the
/// snapshot shown before with the next, whatever runs it (issue 13, item 6).
@Suite struct ResultAlertTests {
    /// Ann 195, Bob 170, Cat 25 over every box: Ann elected.
    func electedNight() -> Tally {
        var tally = Tally(election: Fixtures.election())
        for (box, ann, bob) in [("N1", 40, 35), ("N2", 40, 35), ("S1", 40, 35), ("S2", 40, 35), ("P1", 35, 30)] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: ann, bob: bob, cat: 5))
        }
        return tally
    }

    @Test func nothingIsRaisedOnTheFirstSnapshotNorWhileTheResultStands() {
        var tally = electedNight()
        let before = tally.snapshot(time: 1)
        #expect(ResultAlert.changes(from: nil, to: before).isEmpty)
        #expect(before.contests[0].winners == ["ann"])
        // A correction that keeps Ann ahead: no alert.
        tally.read("c-N1-2", Fixtures.count(box: "N1", revision: 2, ann: 41, bob: 35, cat: 4))
        #expect(ResultAlert.changes(from: before, to: tally.snapshot(time: 2)).isEmpty)
    }

    @Test func aRecountThatFlipsTheWinnerIsARESULTCHANGED() throws {
        var tally = electedNight()
        let before = tally.snapshot(time: 1)
        // The recount of N1 gives Bob 70: Bob 205, Ann 195.
        tally.read("c-N1-2", Fixtures.count(box: "N1", revision: 2, ann: 40, bob: 70, cat: 5))
        let after = tally.snapshot(time: 2)
        #expect(after.contests[0].winners == ["bob"])
        let alerts = ResultAlert.changes(from: before, to: after)
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.kind == .electedChanged && alert.banner == "RESULT CHANGED" && alert.contest == "mayor" && alert.time == 2)
        #expect(alert.message == "Mayor: ELECTED Ann Able → ELECTED Bob Baker")
    }

    /// Contests are matched by id, also when a new election.json lists them
    /// in another order; and a contest whose result is unchanged says
    /// nothing, however many others there are.
    @Test func contestsAreMatchedByIdInAnyOrder() throws {
        var tally = Tally(election: Fixtures.election(extraContest: true))
        for (box, ann, bob) in [("N1", 40, 35), ("N2", 40, 35), ("S1", 40, 35), ("S2", 40, 35), ("P1", 35, 30)] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: ann, bob: bob, cat: 5))
        }
        let before = tally.snapshot(time: 1)
        #expect(before.contests.map(\.id) == ["mayor", "ward"])
        #expect(before.contests[0].winners == ["ann"])
        tally.read("c-N1-2", Fixtures.count(box: "N1", revision: 2, ann: 40, bob: 70, cat: 5))
        var after = tally.snapshot(time: 2)
        #expect(ResultAlert.changes(from: before, to: after).map(\.contest) == ["mayor"])
        after.contests.reverse()
        let alerts = ResultAlert.changes(from: before, to: after)
        #expect(alerts.map(\.contest) == ["mayor"])
        #expect(alerts.first?.message == "Mayor: ELECTED Ann Able → ELECTED Bob Baker")
        #expect(ResultAlert.changes(from: after, to: after).isEmpty)
    }

    @Test func aResultTakenBackSaysSo() throws {
        var tally = electedNight()
        let before = tally.snapshot(time: 1)
        // N1 withdrawn: the count is no longer complete, nobody is elected.
        tally.read("c-N1-2", #"{"contest": "mayor", "kind": "count", "box": "N1", "revision": 2, "withdrawn": true}"#)
        let alert = try #require(ResultAlert.changes(from: before, to: tally.snapshot(time: 2)).first)
        #expect(alert.kind == .electedChanged)
        #expect(alert.message.hasPrefix("Mayor: ELECTED Ann Able → "))
    }

    @Test func aRefusedFileOrAConflictAfterAResultIsANEWPROBLEM() throws {
        var tally = electedNight()
        let before = tally.snapshot(time: 1)
        tally.read("bad.json", #"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 1}}"#)
        let refused = try #require(ResultAlert.changes(from: before, to: tally.snapshot(time: 2)).first)
        #expect(refused.kind == .newProblem && refused.banner == "NEW PROBLEM" && refused.contest == nil)
        #expect(refused.message.hasPrefix("1 refused file after a result was shown: bad.json: votes: no entry for candidates"))
        // The same refused file on the next snapshot is not new.
        let shown = tally.snapshot(time: 2)
        #expect(ResultAlert.changes(from: shown, to: tally.snapshot(time: 3)).isEmpty)
        // Two files with different figures for one batch: a conflict.
        tally.read("c-N2-x", Fixtures.count(box: "N2", revision: 5, ann: 1, bob: 1, cat: 1))
        tally.read("c-N2-y", Fixtures.count(box: "N2", revision: 5, ann: 2, bob: 2, cat: 2))
        let conflict = try #require(ResultAlert.changes(from: shown, to: tally.snapshot(time: 4)).first { $0.message.contains("conflict") })
        #expect(conflict.kind == .newProblem)
        #expect(conflict.message.contains("c-N2-x, c-N2-y"))
    }

    @Test func aRefusedFileBeforeAnyResultIsOnlyTheLogs() {
        var tally = Tally(election: Fixtures.election())
        tally.read("c-N1", Fixtures.count(box: "N1", ann: 40, bob: 35, cat: 5))
        let before = tally.snapshot(time: 1)
        tally.read("bad.json", #"{"contest": "mayor", "kind": "count", "box": "N2", "votes": {"ann": 1}}"#)
        #expect(ResultAlert.changes(from: before, to: tally.snapshot(time: 2)).isEmpty)
    }

    @Test func aDeclarationThatDiffersFromTheCountIsRaised() throws {
        var tally = electedNight()
        let before = tally.snapshot(time: 1)
        tally.read("declaration", DeclarationTests.declaration(ann: 196, bob: 170, cat: 25))
        let alerts = ResultAlert.changes(from: before, to: tally.snapshot(time: 2))
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.kind == .declarationDiffers)
        #expect(alert.message == "Mayor: the declaration differs from the count for Ann Able (5: log)")
        // Declared as counted: nothing to say.
        var same = electedNight()
        same.read("declaration", DeclarationTests.declaration(ann: 195, bob: 170, cat: 25))
        #expect(ResultAlert.changes(from: before, to: same.snapshot(time: 2)).isEmpty)
    }

    @Test func aProjectedWinnerWithdrawnIsRaised() throws {
        let (called, _) = ProjectionCallTests.calledSnapshot()
        #expect(called.projection.status == .projected)
        func snapshot(_ contest: ContestSnapshot, _ time: Double) -> Snapshot {
            Snapshot(time: time, election: "e", title: "t", rehearsal: false, contests: [contest], refusedFiles: [], conflicts: [])
        }
        let name = try #require(called.name(of: called.projection.winners[0]))
        let withdrawn = ProjectionCallTests.lookedAgain(called)
        #expect(withdrawn.projection.status == .tooEarly)
        let alert = try #require(ResultAlert.changes(from: snapshot(called, 1), to: snapshot(withdrawn, 2)).first)
        #expect(alert.kind == .callWithdrawn && alert.banner == "RESULT CHANGED")
        #expect(alert.message.hasPrefix("\(called.title): PROJECTED \(name) → withdrawn: Too early to call"))
        // Called again for the same winner: nothing to say.
        #expect(ResultAlert.changes(from: snapshot(called, 1), to: snapshot(called, 2)).isEmpty)
    }

    @Test func aHeadlessReplaySaysTheSameAlertsAndWhenTheLastBatchArrived() throws {
        func entry(_ time: Double, _ file: String, _ json: String) -> NightEntry {
            NightEntry(time: time, file: file, change: .version(Array(json.utf8)))
        }
        var entries = [("N1", 40, 35), ("N2", 40, 35), ("S1", 40, 35), ("S2", 40, 35), ("P1", 35, 30)].enumerated().map { index, box in
            entry(Double(index + 1), "c-\(box.0)", Fixtures.count(box: box.0, ann: box.1, bob: box.2, cat: 5))
        }
        entries.append(entry(10, "c-N1-2", Fixtures.count(box: "N1", revision: 2, ann: 40, bob: 70, cat: 5)))
        entries.append(NightEntry(time: 11, file: "c-N1-2", change: .deleted))
        var headless = HeadlessReplay(replay: Replay(election: Fixtures.election(), entries: entries), every: nil, from: nil)
        var steps: [Snapshot] = []
        while let step = headless.next() { steps.append(step.snapshot) }
        #expect(steps.count == 8)
        #expect(steps[0].lastBatchAt == nil && steps[1].lastBatchAt == 1 && steps[5].lastBatchAt == 5)
        #expect(steps[5].contests[0].winners == ["ann"])
        // The recount flips the winner: said once, in that snapshot.
        #expect(steps[6].alerts.map(\.message) == ["Mayor: ELECTED Ann Able → ELECTED Bob Baker"])
        #expect(steps[6].lastBatchAt == 10)
        // A deletion withdraws nothing and is no batch arriving.
        #expect(steps[7].alerts.isEmpty && steps[7].lastBatchAt == 10)
        #expect(steps.enumerated().allSatisfy { $0.offset == 6 || $0.element.alerts.isEmpty })
    }

    @Test func alertsAreInTheSnapshotsJSONAndText() {
        var snapshot = electedNight().snapshot(time: 0)
        snapshot.alerts = [ResultAlert(kind: .electedChanged, contest: "mayor", message: "Mayor: ELECTED Ann Able → ELECTED Bob Baker", time: 0)]
        snapshot.lastBatchAt = 60
        #expect(snapshot.json().contains(#""alerts":[{"kind":"elected-changed","banner":"RESULT CHANGED","contest":"mayor","message":"Mayor: ELECTED Ann Able → ELECTED Bob Baker"}]"#))
        #expect(snapshot.json().contains(#""lastBatchAt":"1970-01-01T00:01:00Z","feed":{"answering":true}"#))
        #expect(snapshot.textLine().contains("| RESULT CHANGED: Mayor: ELECTED Ann Able → ELECTED Bob Baker |"))
        snapshot.feedProblem = "feed: No such file or directory"
        #expect(snapshot.json().contains(#""feed":{"answering":false,"problem":"feed: No such file or directory"}"#))
    }
}

/// A finished count reads as provisional until declared, and says RECOUNT
/// POSSIBLE within the recount margin (issue 13, item 7).
@Suite struct ResultStandingTests {
    @Test func aCompleteCountAwaitsItsDeclaration() {
        let mayor = ResultAlertTests().electedNight().mayor
        #expect(mayor.status == .complete)
        #expect(mayor.standing == "the count's result, awaiting declaration")
        #expect(mayor.snapshotText.contains("elected: Ann Able (majority 25); the count's result, awaiting declaration"))
        var declared = ResultAlertTests().electedNight()
        declared.read("declaration", DeclarationTests.declaration(ann: 195, bob: 170, cat: 25))
        #expect(declared.mayor.standing == nil)
    }

    @Test func aMajorityWithinTheMarginSaysRecountPossible() throws {
        // Ann 195, Bob 170 of 390 valid: a majority of 25 is 6.4%.
        let json = Fixtures.electionJSON().replacingOccurrences(of: #""rehearsal": false,"#, with: #""rehearsal": false, "recountMargin": 0.07,"#)
        let election = try ElectionFile.parse(Array(json.utf8))
        #expect(election.recountMargin == 0.07)
        var tally = Tally(election: election)
        for (box, ann, bob) in [("N1", 40, 35), ("N2", 40, 35), ("S1", 40, 35), ("S2", 40, 35), ("P1", 35, 30)] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: ann, bob: bob, cat: 5))
        }
        #expect(tally.mayor.recountPossible)
        #expect(tally.mayor.standing == "RECOUNT POSSIBLE: majority 25 is within the recount margin (7.0% of 390 votes, 27)")
        #expect(tally.snapshot(time: 0).json().contains(#""winners":["ann"],"recountPossible":true"#))
        // The default, half a percent: 25 of 390 is far outside it.
        #expect(Election.defaultRecountMargin == 0.005)
        #expect(!ResultAlertTests().electedNight().mayor.recountPossible)
    }

    @Test(arguments: [
        (#""recountMargin": "1%""#, "recountMargin: must be a number, not a string"),
        (#""recountMargin": 0.9"#, "recountMargin: must be a share from 0% to 50% of the valid votes, written as a number from 0.0 to 0.5 (0.005 for half a percent)"),
        (#""recountMargin": -1"#, "recountMargin: must be a share from 0% to 50% of the valid votes, written as a number from 0.0 to 0.5 (0.005 for half a percent)"),
    ])
    func aBadRecountMarginIsRefusedWithItsPlace(_ field: String, _ message: String) {
        let json = Fixtures.electionJSON().replacingOccurrences(of: #""rehearsal": false,"#, with: #""rehearsal": false, \#(field),"#)
        #expect(throws: ElectionFileError.self) { try ElectionFile.parse(Array(json.utf8)) }
        do {
            _ = try ElectionFile.parse(Array(json.utf8))
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func afterASecondStageTheMajorityIsOfTheFinalTotals() {
        var tally = SecondStageTests().firstStage()
        tally.read("t-north", SecondStageTests.transfers(#""area": "North""#, ann: 20, bob: 22, none: 8))
        tally.read("t-south", SecondStageTests.transfers(#""area": "South""#, ann: 19, bob: 24, none: 7))
        tally.read("t-p1", SecondStageTests.transfers(#""box": "P1""#, ann: 5, bob: 15, none: 5))
        let mayor = tally.mayor
        #expect(mayor.secondStage?.totals == [244, 236])
        // The first preferences differ by 25; the final totals by 8.
        #expect(mayor.majority == 8)
        #expect(mayor.finalTotals == [244, 236])
        #expect(mayor.transfers(of: "ann") == 44 && mayor.transfers(of: "bob") == 61 && mayor.transfers(of: "cat") == nil)
        #expect(mayor.snapshotText.contains("elected: Ann Able (majority 8)"))
        #expect(tally.snapshot(time: 0).json().contains(#""majority":8"#))
    }
}

extension ContestSnapshot {
    var snapshotText: String { textSummary() }
}
