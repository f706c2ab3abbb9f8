import CountNightCore
import Foundation
import Glibc
import Testing
@testable import CountNightFeed

/// Several operators' desks on one feed directory, as several terminals at a
/// venue: what each can take, what lands in the feed, and what survives a
/// terminal that stops.
@Suite struct EntryDeskTests {
    func desk(_ feed: TemporaryFeed, _ name: String, single: Bool = false) throws -> EntryDesk {
        try EntryDesk(feed: feed.path, operator: name, single: single, now: { 1_796_335_200 })
    }

    /// Opens a box's sheet and types it through, as the form does: a save per field, then the hand-in.
    @discardableResult
    func type(_ desk: EntryDesk, _ box: String, _ kind: Batch.Kind, _ figures: [String: Int]) throws -> EntryDesk.Outcome {
        guard case .type(var entry, _, _, _) = try desk.open(contest: "c", box: box, kind: kind).get() else {
            Issue.record("\(desk.operatorName) was not given a sheet to type")
            return EntryDesk.Outcome(message: "", problem: true, written: nil)
        }
        for (key, value) in figures.sorted(by: { $0.key < $1.key }) {
            entry.figures[key] = value
            #expect(desk.save(entry) == nil)
        }
        return desk.handIn(entry)
    }

    func batchFiles(_ feed: TemporaryFeed) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: feed.path).filter { FeedReader.isBatchFileName($0) }.sorted()
    }

    func sheet(a: Int, b: Int) -> [String: Int] {
        var figures = ["votes.a": a, "votes.b": b]
        for reason in EntryForm.rejectionReasons { figures["rejected.\(reason)"] = 0 }
        return figures
    }

    @Test func twoOperatorsAgreeingWriteOneBatchThatTheFeedReads() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice")
        let bob = try desk(feed, "bob")
        let first = try type(alice, "B1", .count, sheet(a: 200, b: 100))
        #expect(first == EntryDesk.Outcome(message: "Handed in. Box B1 now needs its second entry, by someone other than alice.", problem: false, written: nil))
        #expect(try batchFiles(feed).isEmpty)
        #expect(EntryStore.pendingBoxes(feed: feed.path) == 1)
        let second = try type(bob, "B1", .count, sheet(a: 200, b: 100))
        #expect(second.written == "c-count-B1-r1.json")
        #expect(second.message == "Written c-count-B1-r1.json: entered by alice, confirmed by bob.")
        #expect(try batchFiles(feed) == ["c-count-B1-r1.json"])
        #expect(EntryStore.pendingBoxes(feed: feed.path) == 0)
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        let snapshot = reader.snapshot(time: 0)
        #expect(snapshot.refusedFiles.isEmpty)
        #expect(snapshot.contests[0].candidates.map(\.votes) == [200, 100])
        let text = try String(contentsOfFile: feed.path + "/c-count-B1-r1.json", encoding: .utf8)
        #expect(text.contains(#""enteredBy":["alice","bob"]"#))
        // The log says who entered and who confirmed.
        let log = alice.store.logLines(last: 10)
        #expect(log.contains { $0.hasSuffix("alice took the first entry of c count box=B1 revision 1") })
        #expect(log.contains { $0.hasSuffix("bob handed in the second entry of c count box=B1 revision 1") })
        #expect(log.last?.hasSuffix("WRITTEN c-count-B1-r1.json: entered by alice, confirmed by bob") == true)
    }

    @Test func theFirstEntryOfABoxCanBeTakenOnce() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice")
        let bob = try desk(feed, "bob")
        let carol = try desk(feed, "carol")
        guard case .type(let a, _, _, _) = try alice.open(contest: "c", box: "B1", kind: .verification).get(),
              case .type(let b, _, _, _) = try bob.open(contest: "c", box: "B1", kind: .verification).get() else {
            Issue.record("alice and bob should both get a sheet")
            return
        }
        #expect(a.role == .first)
        #expect(b.role == .second)
        #expect(carol.open(contest: "c", box: "B1", kind: .verification) == .failure(EntryProblem("alice and bob are typing this box; wait for them to hand in")))
        // The store itself refuses a second claim of a role, whoever asks.
        let again = Entry(target: a.target, role: .first, operator: "carol")
        #expect(try carol.store.claim(again, single: false) == false)
    }

    @Test func aTypoInTheSecondEntryWritesNothingUntilAThirdPersonResolves() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice")
        let bob = try desk(feed, "bob")
        let carol = try desk(feed, "carol")
        try type(alice, "B2", .count, sheet(a: 210, b: 90))
        let mismatch = try type(bob, "B2", .count, sheet(a: 201, b: 90))
        #expect(mismatch == EntryDesk.Outcome(message: "The two entries differ in A. Nothing written; someone who typed neither resolves it.",
                                              problem: true, written: nil))
        #expect(try batchFiles(feed).isEmpty)
        #expect(EntryStore.pendingBoxes(feed: feed.path) == 1)
        #expect(alice.open(contest: "c", box: "B2", kind: .count)
                == .failure(EntryProblem("the two entries differ; someone who typed neither (not alice or bob) resolves it")))
        guard case .resolve(let first, let second, let differing) = try carol.open(contest: "c", box: "B2", kind: .count).get() else {
            Issue.record("carol should be shown the mismatch")
            return
        }
        #expect(differing == [.votes("a")])
        #expect(first.figures["votes.a"] == 210 && second.figures["votes.a"] == 201)
        let resolved = carol.resolve(first.target, .reentered(["votes.a": 210]))
        #expect(resolved.message == "Written c-count-B2-r1.json: entered by alice, confirmed by bob, resolved by carol.")
        let text = try String(contentsOfFile: feed.path + "/c-count-B2-r1.json", encoding: .utf8)
        #expect(text.contains(#""votes":{"a":210,"b":90}"#))
        #expect(text.contains(#""resolvedBy":"carol""#))
        #expect(carol.store.logLines(last: 10).contains { $0.hasSuffix("carol resolved the mismatch of c count box=B2 revision 1: typed votes.a again") })
    }

    @Test func aDeskStartedAgainCarriesOnWithWhatWasConfirmed() throws {
        let feed = try TemporaryFeed()
        do {
            let alice = try desk(feed, "alice")
            guard case .type(var entry, _, _, _) = try alice.open(contest: "c", box: "B1", kind: .count).get() else { return }
            entry.figures["votes.a"] = 200
            #expect(alice.save(entry) == nil)
            // The terminal stops here, before the next field is confirmed.
        }
        let again = try desk(feed, "alice")
        guard case .type(let resumed, _, _, _) = try again.open(contest: "c", box: "B1", kind: .count).get() else {
            Issue.record("alice should carry on her entry")
            return
        }
        #expect(resumed.role == .first)
        #expect(resumed.figures == ["votes.a": 200])
        #expect(!resumed.complete)
    }

    @Test func enteringAWrittenBoxAgainIsACorrectionWithItsReason() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice")
        let bob = try desk(feed, "bob")
        try type(alice, "B1", .verification, ["ballotPapers": 300])
        #expect(try type(bob, "B1", .verification, ["ballotPapers": 300]).written == "c-verification-B1-r1.json")
        guard case .type(var entry, let needsReason, _, _) = try alice.open(contest: "c", box: "B1", kind: .verification).get() else {
            Issue.record("alice should be able to correct the box")
            return
        }
        #expect(entry.target.revision == 2)
        #expect(needsReason)
        entry.reason = "papers found in a second tray"
        entry.figures = ["ballotPapers": 312]
        _ = alice.handIn(entry)
        guard case .type(let bobsEntry, let bobNeedsReason, let verified, _) = try bob.open(contest: "c", box: "B1", kind: .verification).get() else { return }
        #expect(bobsEntry.target.revision == 2 && bobsEntry.role == .second && !bobNeedsReason)
        #expect(verified == 300)
        var typed = bobsEntry
        typed.figures = ["ballotPapers": 312]
        #expect(bob.handIn(typed).written == "c-verification-B1-r2.json")
        let text = try String(contentsOfFile: feed.path + "/c-verification-B1-r2.json", encoding: .utf8)
        #expect(text.contains(#""revision":2"#) && text.contains(#""reason":"papers found in a second tray""#))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        #expect(reader.snapshot(time: 0).contests[0].ballotPapers == 312)
    }

    @Test func aSingleEntryIsWrittenAtOnceMarkedUnconfirmed() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice", single: true)
        let outcome = try type(alice, "B2", .verification, ["ballotPapers": 250])
        #expect(outcome.message == "Written c-verification-B2-r1.json: entered by alice alone (single entry, unconfirmed).")
        let text = try String(contentsOfFile: feed.path + "/c-verification-B2-r1.json", encoding: .utf8)
        #expect(text.contains(#""entry":"single""#))
        #expect(alice.store.load().unconfirmedSingles == 1)
    }

    @Test func aFigureTheFeedWouldRefuseIsNotWritten() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice")
        let bob = try desk(feed, "bob")
        try type(alice, "B1", .verification, ["ballotPapers": 501])
        let outcome = try type(bob, "B1", .verification, ["ballotPapers": 501])
        #expect(outcome == EntryDesk.Outcome(message: "Not written: 501 ballot papers exceed box B1's electorate of 500", problem: true, written: nil))
        #expect(try batchFiles(feed).isEmpty)
    }

    @Test func aFeedThatCannotHoldEntriesIsSaidSo() throws {
        let feed = try TemporaryFeed()
        try "in the way".write(toFile: feed.path + "/" + EntryStore.folderName, atomically: false, encoding: .utf8)
        #expect(throws: ElectionFileError(file: feed.path + "/.countnight-entry", problem: "the feed cannot hold entries: \(feed.path)/.countnight-entry is not a directory (move it away: entries are kept there)")) {
            try EntryDesk(feed: feed.path, operator: "alice", single: false)
        }
    }

    @Test func aDamagedEntryFileIsNamedAndTheOthersStillCount() throws {
        let feed = try TemporaryFeed()
        let alice = try desk(feed, "alice")
        try type(alice, "B1", .verification, ["ballotPapers": 300])
        try "{\"contest\": \"c\", ".write(toFile: alice.store.folder + "/c~count~B2~r1~first.json", atomically: true, encoding: .utf8)
        let board = alice.store.load()
        #expect(board.problems == [".countnight-entry/c~count~B2~r1~first.json: not valid JSON: the file ends inside an object at line 1, column 18"])
        #expect(board.pendingBoxes == 1)
        #expect(board.targets.keys.map(\.box) == ["B1"])
    }

    @Test func aBoxOfAnAreaCountedInBundlesIsNotCountedAgainAlone() throws {
        let feed = try TemporaryFeed()
        try feed.write("bundle.json", #"{"contest": "c", "kind": "count", "area": "X", "batch": "1", "votes": {"a": 10, "b": 5}}"#)
        let alice = try desk(feed, "alice")
        #expect(alice.open(contest: "c", box: "B1", kind: .count)
                == .failure(EntryProblem("X is counted in bundles of mixed ballots: a count of box B1 alone would count its ballots twice (type its verification here; bundles are written as files)")))
        guard case .type = try alice.open(contest: "c", box: "B1", kind: .verification).get() else {
            Issue.record("the verification of the box is still typed here")
            return
        }
    }
}
