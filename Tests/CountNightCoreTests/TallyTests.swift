import Testing
@testable import CountNightCore

@Suite struct MergingRuleTests {
    var tally = Tally(election: Fixtures.election())

    @Test mutating func theHighestRevisionIsInForce() {
        #expect(tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))?.kind == .accepted)
        let event = tally.read("a-fixed.json", Fixtures.count(box: "N1", revision: 2, ann: 12, bob: 5, cat: 1))
        #expect(event?.kind == .corrected)
        #expect(event?.detail == "mayor count box=N1 revision 2 replaces revision 1")
        #expect(tally.mayor.votes("ann") == 12)
        // An older revision arriving later does not count.
        let late = tally.read("a-old-copy.json", Fixtures.count(box: "N1", revision: 1, ann: 99, bob: 5, cat: 1))
        #expect(late?.kind == .superseded)
        #expect(tally.mayor.votes("ann") == 12)
        #expect(tally.mayor.valid == 18)
    }

    @Test mutating func aWithdrawnRevisionTakesTheBatchOut() {
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        tally.read("b.json", Fixtures.count(box: "N2", ann: 1, bob: 1, cat: 1))
        let event = tally.read("a-withdrawn.json", #"{"contest": "mayor", "kind": "count", "box": "N1", "revision": 2, "withdrawn": true}"#)
        #expect(event?.kind == .withdrawn)
        #expect(tally.mayor.votes("ann") == 1)
        #expect(tally.mayor.boxesCounted == 1)
        // A higher revision after the withdrawal brings it back.
        tally.read("a-back.json", Fixtures.count(box: "N1", revision: 3, ann: 7, bob: 0, cat: 0))
        #expect(tally.mayor.votes("ann") == 8)
    }

    @Test mutating func duplicatesCountOnce() {
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        // Same identity, revision and figures; `at` and unknown fields do not matter.
        let copy = #"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"bob": 5, "cat": 1, "ann": 10}, "at": "2010-10-21T23:05:00Z", "note": "resent"}"#
        #expect(tally.read("a-copy.json", copy)?.kind == .duplicate)
        #expect(tally.mayor.votes("ann") == 10)
        #expect(tally.mayor.countedBallots == 16)
        #expect(tally.snapshot(time: 0).conflicts.isEmpty)
    }

    @Test mutating func aConflictCountsNothingUntilAHigherRevision() {
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        tally.read("other.json", Fixtures.count(box: "N2", ann: 1, bob: 0, cat: 0))
        let event = tally.read("b.json", Fixtures.count(box: "N1", ann: 11, bob: 5, cat: 1))
        #expect(event?.kind == .conflict)
        #expect(event?.detail == "mayor count box=N1 revision 1 has different figures in a.json, b.json; nothing counts for it until a higher revision arrives")
        #expect(tally.mayor.votes("ann") == 1)
        #expect(tally.mayor.boxesCounted == 1)
        let snapshot = tally.snapshot(time: 0)
        #expect(snapshot.conflicts == [Conflict(contest: "mayor", identity: "count box=N1", revision: 1, files: ["a.json", "b.json"])])
        #expect(CheckReport.lines(snapshot) == ["a.json, b.json: conflict: mayor count box=N1 revision 1 has different figures in these files; nothing counts for it until a higher revision arrives"])
        tally.read("c.json", Fixtures.count(box: "N1", revision: 2, ann: 11, bob: 5, cat: 1))
        #expect(tally.mayor.votes("ann") == 12)
        #expect(tally.snapshot(time: 0).conflicts.isEmpty)
    }

    @Test mutating func batchesOfOneBoxOrAreaAreToldApartByBatchName() {
        tally.read("n-1.json", Fixtures.count(area: "North", batch: "1", ann: 10, bob: 0, cat: 0))
        tally.read("n-2.json", Fixtures.count(area: "North", batch: "2", ann: 10, bob: 0, cat: 0))
        tally.read("n-1-again.json", Fixtures.count(area: "North", batch: "1", ann: 10, bob: 0, cat: 0))
        #expect(tally.mayor.votes("ann") == 20)
    }

    @Test mutating func aRefusedFileChangesNothingAndItsReportGoesWhenFixed() {
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        let before = tally.snapshot(time: 0).contests
        let event = tally.read("bad.json", #"{"contest": "mayor", "kind": "count", "box": "N2", "votes": {"ann": 1.5, "bob": 0, "cat": 0}}"#)
        #expect(event?.kind == .refused)
        #expect(tally.snapshot(time: 0).contests == before)
        #expect(tally.snapshot(time: 0).refusedFiles == [RefusedFile(file: "bad.json", reason: "votes.ann: 1.5 is not a whole number written without fraction or exponent")])
        tally.read("bad.json", Fixtures.count(box: "N2", ann: 1, bob: 0, cat: 0))
        #expect(tally.snapshot(time: 0).refusedFiles.isEmpty)
        #expect(tally.mayor.votes("ann") == 11)
    }

    @Test mutating func aFileThatTurnsBadKeepsItsEarlierVersion() {
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        tally.read("a.json", "{ truncated")
        #expect(tally.mayor.votes("ann") == 10)
        #expect(tally.snapshot(time: 0).refusedFiles.map(\.file) == ["a.json"])
    }

    @Test mutating func changingAFileAddsAVersionAndDeletingWithdrawsNothing() {
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        // Rewritten in place without raising the revision: it counts as the
        // file is now, as `check` (which sees only that) would say, with a
        // line in the log.
        let edit = tally.read("a.json", Fixtures.count(box: "N1", ann: 11, bob: 5, cat: 1))
        #expect(edit?.description == "corrected: a.json: mayor count box=N1 revision 1 changed in place, without a higher revision: it counts as the file is now (raise the revision when correcting)")
        #expect(tally.mayor.votes("ann") == 11)
        #expect(tally.snapshot(time: 0).conflicts.isEmpty)
        // Another file with other figures at that revision is a conflict as ever.
        tally.read("b.json", Fixtures.count(box: "N1", ann: 12, bob: 5, cat: 1))
        #expect(tally.mayor.votes("ann") == 0)
        #expect(tally.snapshot(time: 0).conflicts.first?.files == ["a.json", "b.json"])
        tally.read("a.json", Fixtures.count(box: "N1", revision: 2, ann: 11, bob: 5, cat: 1))
        #expect(tally.mayor.votes("ann") == 11)
        let event = tally.remove(file: "a.json")
        #expect(event.kind == .deleted)
        #expect(tally.mayor.votes("ann") == 11)
    }

    @Test mutating func readingTheSameBytesAgainAddsNothing() {
        let json = Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1)
        #expect(tally.read("a.json", json) != nil)
        #expect(tally.read("a.json", json) == nil)
        #expect(tally.versionCount == 1)
    }

    @Test mutating func anUnreadableFileIsRefusedUntilItCanBeRead() {
        #expect(tally.refuse(file: "big.json", reason: "too big")?.kind == .refused)
        #expect(tally.refuse(file: "big.json", reason: "too big") == nil)
        #expect(tally.snapshot(time: 0).refusedFiles == [RefusedFile(file: "big.json", reason: "too big")])
        tally.read("big.json", Fixtures.verification("N1", 5))
        #expect(tally.snapshot(time: 0).refusedFiles.isEmpty)
        #expect(tally.mayor.boxesVerified == 1)
    }
}

@Suite struct DerivedFigureTests {
    @Test func statusMovesFromAwaitingToComplete() {
        var tally = Tally(election: Fixtures.election())
        #expect(tally.mayor.status == .awaiting)
        #expect(tally.mayor.majority == nil)
        #expect(tally.mayor.leader == nil)
        for box in ["N1", "N2", "S1", "S2"] { tally.read("v-\(box).json", Fixtures.verification(box, 100)) }
        #expect(tally.mayor.status == .verifying)
        #expect(tally.mayor.boxesVerified == 4)
        // Turnout is known from verification before any vote is counted.
        #expect(tally.mayor.ballotPapers == 400)
        #expect(tally.mayor.turnout == 400.0 / 5000.0)
        tally.read("north-1.json", Fixtures.count(area: "North", batch: "1", ann: 60, bob: 30, cat: 5, rejected: 5))
        #expect(tally.mayor.status == .counting)
        #expect(tally.mayor.boxesCovered == 0)
        tally.read("north-2.json", Fixtures.count(area: "North", batch: "2", ann: 50, bob: 40, cat: 10))
        // North's bundles reach its verified papers: both its boxes are covered.
        #expect(tally.mayor.boxesCovered == 2)
        #expect(tally.mayor.boxesCounted == 0)
        tally.read("south.json", Fixtures.count(area: "South", ann: 100, bob: 90, cat: 10))
        #expect(tally.mayor.boxesCovered == 4)
        #expect(tally.mayor.status == .counting)
        #expect(tally.mayor.winners.isEmpty)
        // P1 has no area and no verification: counted box by box.
        tally.read("p1.json", Fixtures.count(box: "P1", ann: 10, bob: 20, cat: 0, rejected: 2))
        let mayor = tally.mayor
        #expect(mayor.status == .complete)
        #expect(mayor.boxesCounted == 1)
        #expect(mayor.ballotPapers == 432)
        #expect(mayor.countedBallots == 432)
        #expect(mayor.valid == 425)
        #expect(mayor.rejected == 7)
        #expect(mayor.rejectedByReason == [RejectedBallots(reason: "unmarked or wholly void for uncertainty", count: 7)])
        #expect(mayor.candidates.map(\.id) == ["ann", "bob", "cat"])
        #expect(mayor.candidates.map(\.votes) == [220, 180, 25])
        #expect(mayor.candidates[0].share == 220.0 / 425.0)
        #expect(mayor.leader == "ann")
        #expect(mayor.majority == 40)
        #expect(mayor.winners == ["ann"])
        #expect(mayor.areas.map(\.name) == ["North", "South", "(boxes without an area)"])
        #expect(mayor.areas.map(\.ballotPapers) == [200, 200, 32])
    }

    @Test func anAreaIsNotCoveredUntilEveryBoxInItIsVerified() {
        var tally = Tally(election: Fixtures.election())
        tally.read("v.json", Fixtures.verification("N1", 100))
        tally.read("n.json", Fixtures.count(area: "North", ann: 100, bob: 100, cat: 0))
        #expect(tally.mayor.boxesCovered == 0)
        // Counted ballots beyond the verified papers raise the area's papers.
        #expect(tally.mayor.ballotPapers == 200)
        tally.read("v2.json", Fixtures.verification("N2", 100))
        #expect(tally.mayor.boxesCovered == 2)
    }

    @Test func aBoxWhoseCountDiffersFromItsVerificationIsAWarningAndStillCounts() {
        var tally = Tally(election: Fixtures.election())
        tally.read("v.json", Fixtures.verification("N1", 713))
        tally.read("c.json", Fixtures.count(box: "N1", ann: 400, bob: 300, cat: 12))
        let mayor = tally.mayor
        #expect(mayor.warnings == [Warning(box: "N1", message: "box N1: verified 713 ballot papers but counted 712 ballots")])
        #expect(mayor.valid == 712)
        #expect(mayor.boxesCounted == 1)
        tally.read("c2.json", Fixtures.count(box: "N1", revision: 2, ann: 401, bob: 300, cat: 12))
        #expect(tally.mayor.warnings.isEmpty)
    }

    @Test func theTextReportCutsALongListOfWarningsShort() throws {
        let boxes = (0..<14).map { #"{"id": "B\#($0)"}"# }.joined(separator: ", ")
        let json = #"{"format": "countnight-feed/1", "id": "e", "contests": [{"id": "mayor", "candidates": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}, {"id": "cat", "name": "Cat"}], "boxes": [\#(boxes)]}]}"#
        var tally = Tally(election: try ElectionFile.parse(Array(json.utf8)))
        for box in 0..<14 {
            tally.read("v\(box).json", Fixtures.verification("B\(box)", 10))
            tally.read("c\(box).json", Fixtures.count(box: "B\(box)", ann: 5, bob: 4, cat: 0))
        }
        let snapshot = tally.snapshot(time: 0)
        #expect(snapshot.contests[0].warnings.count == 14)
        let lines = SnapshotReport(snapshot: snapshot).text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("  warning: box B") }.count == 10)
        #expect(lines.contains("  and 4 more warnings (the JSON snapshot lists them all)"))
        #expect(snapshot.json().components(separatedBy: "verified 10 ballot papers but counted 9 ballots").count == 15)
    }

    @Test func aTieGivesNoLeaderAndNoWinner() {
        var tally = Tally(election: Fixtures.election())
        tally.read("p.json", Fixtures.count(box: "P1", ann: 10, bob: 10, cat: 1))
        for box in ["N1", "N2", "S1", "S2"] { tally.read("\(box).json", Fixtures.count(box: box, ann: 0, bob: 0, cat: 0)) }
        let mayor = tally.mayor
        #expect(mayor.status == .complete)
        #expect(mayor.leader == nil)
        #expect(mayor.majority == 0)
        #expect(mayor.winners.isEmpty)
        // Ties are listed in election.json order.
        #expect(mayor.candidates.map(\.id) == ["ann", "bob", "cat"])
    }

    func completeCount(system: String, seats: Int = 1, ann: Int, bob: Int, cat: Int, ballots: Int? = nil) -> ContestSnapshot {
        var tally = Tally(election: Fixtures.election(system: system, seats: seats))
        tally.read("p.json", Fixtures.count(box: "P1", ann: ann, bob: bob, cat: cat, ballots: ballots))
        for box in ["N1", "N2", "S1", "S2"] {
            tally.read("\(box).json", Fixtures.count(box: box, ann: 0, bob: 0, cat: 0, ballots: system == "block" ? 0 : nil))
        }
        return tally.mayor
    }

    @Test func supplementaryVoteElectsOnlyWithMoreThanHalf() {
        #expect(completeCount(system: "sv", ann: 51, bob: 30, cat: 19).winners == ["ann"])
        let half = completeCount(system: "sv", ann: 50, bob: 30, cat: 20)
        #expect(half.winners.isEmpty)
        #expect(half.leader == "ann")
        #expect(SnapshotReport(snapshot: Snapshot(time: 0, election: "e", title: "t", rehearsal: false, contests: [half], refusedFiles: [], conflicts: [])).text
            .contains("nobody has more than half of the valid votes: second stage between Ann Able and Bob Baker"))
        #expect(half.status == .secondStage)
    }

    @Test func blockElectsTheFirstSeatsUnlessTheLastSeatTies() {
        let two = completeCount(system: "block", seats: 2, ann: 90, bob: 70, cat: 40, ballots: 100)
        #expect(two.winners == ["ann", "bob"])
        #expect(two.majority == 30)
        let tie = completeCount(system: "block", seats: 2, ann: 90, bob: 50, cat: 50, ballots: 100)
        #expect(tie.winners.isEmpty)
        #expect(tie.majority == 0)
        #expect(tie.countedBallots == 100)
    }
}

@Suite struct OrderIndependenceTests {
    /// A night with every kind of event: corrections, duplicates, a conflict,
    /// a withdrawal, bundles and box counts.
    static let night: [String] = [
        Fixtures.verification("N1", 100), Fixtures.verification("N2", 120), Fixtures.verification("S1", 90),
        Fixtures.verification("S2", 80), Fixtures.verification("S2", 81, revision: 2),
        Fixtures.count(area: "North", batch: "1", ann: 50, bob: 40, cat: 10),
        Fixtures.count(area: "North", batch: "2", ann: 60, bob: 50, cat: 8, rejected: 2),
        Fixtures.count(area: "North", batch: "2", ann: 60, bob: 50, cat: 8, rejected: 2),
        Fixtures.count(box: "S1", ann: 30, bob: 50, cat: 10),
        Fixtures.count(box: "S2", ann: 40, bob: 30, cat: 10),
        Fixtures.count(box: "S2", ann: 41, bob: 30, cat: 10),
        Fixtures.count(box: "P1", ann: 5, bob: 5, cat: 5),
        #"{"contest": "mayor", "kind": "count", "box": "P1", "revision": 2, "withdrawn": true}"#,
        Fixtures.count(box: "P1", revision: 1, ann: 6, bob: 5, cat: 5),
        #"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 0.5}}"#,
    ]

    static func tallied(_ order: [Int], names: (Int) -> String) -> [ContestSnapshot] {
        var tally = Tally(election: Fixtures.election())
        for index in order { tally.read(names(index), night[index]) }
        return tally.snapshot(time: 0).contests
    }

    @Test func shuffledOrdersAndOtherNamesGiveTheSameTally() {
        let reference = Self.tallied(Array(Self.night.indices)) { "file-\($0).json" }
        #expect(reference[0].votes("ann") == 110 + 30)
        #expect(reference[0].boxesVerified == 4)
        var generator = SplitMix64(seed: 2026)
        for round in 0..<200 {
            let order = Array(Self.night.indices).shuffled(using: &generator)
            let salt = round
            let result = Self.tallied(order) { "renamed-\(salt)-\(Self.night.count - $0).json" }
            #expect(result == reference, "order \(order)")
        }
    }
}

@Suite struct ElectionChangeTests {
    @Test func aNewElectionChecksEveryBatchAgain() throws {
        var tally = Tally(election: Fixtures.election())
        let countForX = #"{"contest": "ward", "kind": "count", "box": "W1", "votes": {"x": 3, "y": 1}}"#
        #expect(tally.read("ward.json", countForX)?.kind == .refused)
        tally.read("a.json", Fixtures.count(box: "N1", ann: 10, bob: 5, cat: 1))
        tally.replaceElection(Fixtures.election(extraContest: true))
        let snapshot = tally.snapshot(time: 0)
        #expect(snapshot.refusedFiles.isEmpty)
        #expect(snapshot.contests.count == 2)
        #expect(snapshot.contests[1].candidates.map(\.votes) == [3, 1])
        #expect(snapshot.contests[0].votes("ann") == 10)
        // And back: the ward batch is refused again, nothing else changes.
        tally.replaceElection(Fixtures.election())
        #expect(tally.snapshot(time: 0).refusedFiles.map(\.file) == ["ward.json"])
        #expect(tally.mayor.votes("ann") == 10)
    }

    /// A version prepared (parsed and checked, on a reading thread) before
    /// election.json changed is checked against the new election when read:
    /// the prepared version keeps no parsed record, so its bytes are parsed
    /// again. Refused under the old election, accepted under the new; and
    /// the other way round, undone exactly.
    @Test func aVersionPreparedBeforeANewElectionIsCheckedAgainstTheNewOne() {
        let countForX = Array(#"{"contest": "ward", "kind": "count", "box": "W1", "votes": {"x": 3, "y": 1}}"#.utf8)
        var tally = Tally(election: Fixtures.election())
        let stale = tally.preparer.prepare(file: "ward.json", bytes: countForX)
        tally.replaceElection(Fixtures.election(extraContest: true))
        #expect(tally.read(stale)?.kind == .accepted)
        #expect(tally.snapshot(time: 0).contests[1].candidates.map(\.votes) == [3, 1])

        var other = Tally(election: Fixtures.election(extraContest: true))
        let before = other.preparer.prepare(file: "ward.json", bytes: countForX)
        other.replaceElection(Fixtures.election())
        let (event, undo) = other.readUndoably(before)
        #expect(event?.kind == .refused)
        #expect(other.snapshot(time: 0).refusedFiles.map(\.file) == ["ward.json"])
        other.undo(undo)
        #expect(other.snapshot(time: 0).refusedFiles.isEmpty)
    }
}

/// A file's digest tells whether its bytes changed since last read: a
/// change of one byte anywhere, or of the length, must change it.
@Suite struct DigestTests {
    @Test func everyChangeOfOneByteChangesTheDigest() {
        let bytes = Array(#"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 10, "b": 5}}"#.utf8)
        #expect(Digest(bytes) == Digest(bytes))
        var seen: Set<UInt64> = [Digest(bytes).hash]
        for index in bytes.indices {
            for change: UInt8 in [1, 0x80] {
                var changed = bytes
                changed[index] ^= change
                #expect(Digest(changed) != Digest(bytes), "byte \(index)")
                seen.insert(Digest(changed).hash)
            }
        }
        #expect(seen.count == 1 + 2 * bytes.count)
        for length in 0..<bytes.count { #expect(Digest(Array(bytes[..<length])) != Digest(bytes)) }
        #expect(Digest([0]) != Digest([0, 0]))
        #expect(Digest([0]).hash != Digest([0, 0]).hash)
    }
}
