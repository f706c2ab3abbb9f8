import CountNightCore
import Foundation
import Glibc
import Testing
@_spi(Benchmark) @testable import CountNightFeed

/// A feed directory in a temporary folder, removed at the end.
final class TemporaryFeed {
    let path: String

    init(election: String = TemporaryFeed.election) throws {
        path = NSTemporaryDirectory() + "countnight-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try write("election.json", election)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    static let election = """
        {"format": "countnight-feed/1", "id": "feed-test", "title": "Feed Test",
         "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                       "boxes": [{"id": "B1", "area": "X", "electorate": 500}, {"id": "B2", "area": "X", "electorate": 500}]}]}
        """

    /// Writes under a dot-name and renames, as writers are told to.
    func write(_ name: String, _ text: String) throws {
        let temporary = path + "/." + name + ".tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.moveItem(atPath: temporary, toPath: path + "/" + name)
    }

    func overwrite(_ name: String, _ text: String) throws {
        try? FileManager.default.removeItem(atPath: path + "/" + name)
        try write(name, text)
    }

    func remove(_ name: String) throws { try FileManager.default.removeItem(atPath: path + "/" + name) }

    static func count(_ box: String, a: Int, b: Int, revision: Int = 1) -> String {
        #"{"contest": "c", "kind": "count", "box": "\#(box)", "revision": \#(revision), "votes": {"a": \#(a), "b": \#(b)}}"#
    }
}

@Suite struct FeedReaderTests {
    /// Votes for a and b, in that order.
    func votes(_ reader: FeedReader) -> [Int] { votes(reader.tally.snapshot(time: 0)) }

    func votes(_ snapshot: Snapshot) -> [Int] {
        let candidates = snapshot.contests[0].candidates
        return ["a", "b"].map { id in candidates.first { $0.id == id }!.votes }
    }

    @Test func readsBatchFilesAndIgnoresEverythingElse() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        try feed.write(".hidden.json", TemporaryFeed.count("B2", a: 100, b: 0))
        try feed.write("~backup.json", TemporaryFeed.count("B2", a: 100, b: 0))
        try feed.write("notes.txt", "not a batch")
        try feed.write("b2.json.partial", TemporaryFeed.count("B2", a: 100, b: 0))
        try FileManager.default.createDirectory(atPath: feed.path + "/sub.json", withIntermediateDirectories: false)
        try Data(TemporaryFeed.count("B2", a: 100, b: 0).utf8).write(to: URL(fileURLWithPath: feed.path + "/sub.json/inner.json"))
        // A FIFO must be ignored, and above all must not block the reader.
        #expect(mkfifo(feed.path + "/pipe.json", 0o644) == 0)
        var reader = try FeedReader(directory: feed.path)
        let events = reader.poll()
        #expect(events == [.count(.batch(TallyEvent(kind: .accepted, file: "b1.json", detail: "c count box=B1 revision 1")))])
        #expect(votes(reader) == [10, 5])
    }

    /// The one-shot commands' reading lets the events and the stamps go:
    /// the count, the refusals and the conflicts are those a poll gives.
    @Test func aFeedReadOnceCountsAsAPollThatListsEvents() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        try feed.write("b1-again.json", TemporaryFeed.count("B1", a: 11, b: 5))
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 3, b: 4))
        try feed.write("bad.json", "{")
        var listing = try FeedReader(directory: feed.path, reading: .once)
        let events = listing.poll()
        var once = try FeedReader(directory: feed.path, reading: .once).readOnce()
        let (listed, snapshot) = (listing.snapshot(time: 0), once.snapshot(time: 0))
        #expect(events.count == 4)
        #expect(snapshot.json() == listed.json())
        #expect(snapshot.refusedFiles.map(\.file) == ["bad.json"])
        #expect(snapshot.conflicts.count == 1)
        #expect(votes(snapshot) == [3, 4])
    }

    @Test func followsASymbolicLinkToARegularFile() throws {
        let feed = try TemporaryFeed()
        try feed.write(".real", TemporaryFeed.count("B1", a: 7, b: 3))
        try FileManager.default.createSymbolicLink(atPath: feed.path + "/link.json", withDestinationPath: feed.path + "/.real")
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        #expect(votes(reader) == [7, 3])
    }

    @Test func aPollWithNothingNewReadsNoFile() throws {
        let feed = try TemporaryFeed()
        for box in ["B1", "B2"] { try feed.write("\(box).json", TemporaryFeed.count(box, a: 1, b: 1)) }
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        #expect(reader.filesRead == 2)
        #expect(reader.poll().isEmpty)
        #expect(reader.filesRead == 2)
        try feed.overwrite("B1.json", TemporaryFeed.count("B1", a: 2, b: 1, revision: 2))
        let events = reader.poll()
        #expect(events.map(\.description) == ["corrected: B1.json: c count box=B1 revision 2 replaces revision 1"])
        #expect(reader.filesRead == 3)
        #expect(votes(reader) == [3, 2])
    }

    /// The files read while election.json is parsed stand for the directory
    /// at the opening: what changes between the opening and the first poll
    /// is seen at that poll, not lost and not counted twice.
    @Test func whatChangesAfterTheOpeningIsSeenAtTheFirstPoll() throws {
        let feed = try TemporaryFeed()
        try feed.write("B1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        try feed.write("old.json", "not yet a batch")
        var reader = try FeedReader(directory: feed.path)
        #expect(reader.filesReadAtOpening == 2)
        try feed.overwrite("B1.json", TemporaryFeed.count("B1", a: 11, b: 5, revision: 2))
        try feed.remove("old.json")
        try feed.write("B2.json", TemporaryFeed.count("B2", a: 20, b: 5))
        let events = reader.poll().map(\.description)
        #expect(votes(reader) == [31, 10], "\(events)")
        #expect(events.contains("corrected: B1.json: c count box=B1 revision 2 replaces revision 1"), "\(events)")
        // Read at the opening and refused, then gone: no longer refused.
        #expect(reader.snapshot(time: 0).refusedFiles.isEmpty)
        #expect(reader.poll().isEmpty)
        #expect(reader.filesReadAtOpening == 0)
    }

    /// A file the look could not read whole (too large here) is read again at
    /// the first poll: repaired in between, it counts.
    @Test func aFileRepairedBetweenTheOpeningAndTheFirstPollCounts() throws {
        let feed = try TemporaryFeed()
        try feed.write("B1.json", String(repeating: " ", count: 2 << 20) + TemporaryFeed.count("B1", a: 10, b: 5))
        try feed.write("B2.json", TemporaryFeed.count("B2", a: 1, b: 2))
        var reader = try FeedReader(directory: feed.path)
        #expect(reader.filesReadAtOpening == 1)
        try feed.overwrite("B1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        _ = reader.poll()
        #expect(votes(reader) == [11, 7])
        #expect(reader.snapshot(time: 0).refusedFiles.isEmpty)
    }

    /// When the system lost track between the opening and the first poll (a
    /// name it cannot give, here one that is not UTF-8), the look is not
    /// trusted: the poll looks at the whole directory itself.
    @Test func aLookTheSystemLostTrackOfIsNotUsed() throws {
        let feed = try TemporaryFeed()
        try feed.write("B1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        var reader = try FeedReader(directory: feed.path)
        #expect(reader.filesReadAtOpening == 1)
        try feed.overwrite("B1.json", TemporaryFeed.count("B1", a: 12, b: 5, revision: 2))
        let fd = (feed.path + "/bad-\u{FF}.json").utf8CString.withUnsafeBufferPointer { path -> Int32 in
            var bytes = Array(path)
            // The ÿ's two bytes in UTF-8 become one byte 0xFF: not UTF-8.
            if let at = bytes.firstIndex(of: CChar(bitPattern: 0xC3)) { bytes.replaceSubrange(at...at + 1, with: [CChar(bitPattern: 0xFF)]) }
            return open(bytes, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        }
        #expect(fd >= 0)
        close(fd)
        _ = reader.poll()
        #expect(votes(reader) == [12, 5])
        #expect(reader.scans == 1)
        #expect(reader.snapshot(time: 0).refusedFiles.map(\.reason).contains { $0.contains("not UTF-8") })
    }

    /// Without reading ahead (the memory benchmark), the first poll reads
    /// everything and starts the watch, as a reader always did.
    @Test func withoutReadingAheadTheFirstPollReadsEverything() throws {
        let feed = try TemporaryFeed()
        try feed.write("B1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        var reader = try FeedReader(directory: feed.path, reading: .live, readingAhead: false)
        #expect(reader.filesReadAtOpening == 0)
        try feed.write("B2.json", TemporaryFeed.count("B2", a: 20, b: 5))
        _ = reader.poll()
        #expect(votes(reader) == [30, 10])
        #expect(reader.poll().isEmpty)
        try feed.overwrite("B2.json", TemporaryFeed.count("B2", a: 21, b: 5, revision: 2))
        _ = reader.poll()
        #expect(votes(reader) == [31, 10])
    }

    /// A reader that reads once takes the directory as it was at the opening,
    /// and a later poll looks at everything again.
    @Test func aReaderThatReadsOnceTakesTheOpeningAndLooksAgainLater() throws {
        let feed = try TemporaryFeed()
        try feed.write("B1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        var reader = try FeedReader(directory: feed.path, reading: .once)
        #expect(reader.filesReadAtOpening == 1)
        try feed.write("B2.json", TemporaryFeed.count("B2", a: 20, b: 5))
        _ = reader.poll()
        #expect(votes(reader) == [10, 5])
        _ = reader.poll()
        #expect(votes(reader) == [30, 10])
        #expect(reader.filesRead == 2)
        #expect(reader.scans == 2)
    }

    @Test func aQuietFeedIsNotScannedAndABusyOneOnlyWhereItChanged() throws {
        let feed = try TemporaryFeed()
        try feed.write("B1.json", TemporaryFeed.count("B1", a: 1, b: 1))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        let scans = reader.scans
        #expect(reader.poll().isEmpty)
        #expect(reader.poll().isEmpty)
        #expect(reader.scans == scans)
        // Written in place, not renamed: still seen.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: feed.path + "/B1.json"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(TemporaryFeed.count("B1", a: 5, b: 1, revision: 2).utf8))
        try handle.close()
        #expect(reader.poll().map(\.description) == ["corrected: B1.json: c count box=B1 revision 2 replaces revision 1"])
        // Only the file named by the system was examined.
        #expect(reader.scans == scans)
        try feed.write("B2.json", TemporaryFeed.count("B2", a: 2, b: 0))
        try feed.write("notes.txt", "not a batch")
        try FileManager.default.createDirectory(atPath: feed.path + "/later.json", withIntermediateDirectories: false)
        #expect(reader.poll().map(\.description) == ["accepted: B2.json: c count box=B2 revision 1"])
        try feed.remove("B1.json")
        #expect(reader.poll().map(\.description).first?.hasPrefix("deleted: B1.json") == true)
        #expect(reader.scans == scans)
        #expect(votes(reader) == [7, 1])
        // However quiet, the directory is looked at whole again now and then.
        let clock = FakeClock()
        reader.clock = { clock.now }
        clock.now = 1e12
        for _ in 0..<FeedReader.pollsBetweenFullScans { _ = reader.poll() }
        #expect(reader.scans == scans + 1)
        #expect(votes(reader) == [7, 1])
    }

    /// Safety scans take at most 0.5% of the time: after a whole look that
    /// took 2 s, none for 400 s, however many polls pass.
    @Test func safetyScansOfALargeDirectoryAreSpacedByWhatTheyCost() throws {
        let feed = try TemporaryFeed()
        let watch = DirectoryWatch(directory: feed.path)
        guard case .unknown = watch.changes(now: 0) else { Issue.record("the first look is not whole"); return }
        watch.examined(duration: 2, now: 10)
        func wholeLooks(polls: Int, at now: Double) -> Int {
            (0..<polls).filter { _ in if case .unknown = watch.changes(now: now) { true } else { false } }.count
        }
        #expect(wholeLooks(polls: 5 * DirectoryWatch.rescanEvery, at: 409) == 0)
        #expect(wholeLooks(polls: DirectoryWatch.rescanEvery, at: 410) == 1)
        // A quick look: the usual rhythm of one in `rescanEvery` polls.
        watch.examined(duration: 0.001, now: 410)
        #expect(wholeLooks(polls: 2 * DirectoryWatch.rescanEvery, at: 411) == 2)
        // A clock set back an hour after a slow look does not put the next off by an hour.
        watch.examined(duration: 2, now: 5_000)
        #expect(wholeLooks(polls: DirectoryWatch.rescanEvery, at: 1_400) == 1)
    }


    @Test func refusesEmptyAndOversizedFilesByName() throws {
        let feed = try TemporaryFeed()
        try feed.write("empty.json", "")
        try feed.write("huge.json", String(repeating: " ", count: SizeLimit.batch.bytes + 1))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        let rejected = reader.snapshot(time: 0).refusedFiles
        #expect(rejected == [
            RefusedFile(file: "empty.json", reason: "the file is empty"),
            RefusedFile(file: "huge.json", reason: "the file is 1,048,577 bytes, over the 1 MiB limit for a batch"),
        ])
        try feed.overwrite("huge.json", TemporaryFeed.count("B1", a: 1, b: 0))
        _ = reader.poll()
        #expect(reader.snapshot(time: 0).refusedFiles.map(\.file) == ["empty.json"])
        #expect(votes(reader) == [1, 0])
    }

    @Test func aDeletedFileIsLoggedAndStillCounts() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 4, b: 1))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        try feed.remove("b1.json")
        let events = reader.poll()
        #expect(events.count == 1)
        #expect(events.first?.description.hasPrefix("deleted: b1.json: file deleted; what it said still counts") == true)
        #expect(votes(reader) == [4, 1])
    }

    /// Issue 11: the dashboard said CONFLICT where `check` said 0 in
    /// conflict. A watch that saw every version and a check that reads the
    /// directory once now give the same snapshot.
    @Test func aFileEditedInPlaceAtTheSameRevisionCountsAsItIsNowForWatchAndCheckAlike() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 40, b: 10))
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 5, b: 5))
        var watching = try FeedReader(directory: feed.path)
        _ = watching.poll()
        try feed.overwrite("b1.json", TemporaryFeed.count("B1", a: 41, b: 10))
        #expect(watching.poll().map(\.description) == ["corrected: b1.json: c count box=B1 revision 1 changed in place, without a higher revision: it counts as the file is now (raise the revision when correcting)"])
        // An edited file with the revision of another file's version of the same batch is still a conflict.
        try feed.write("b2-again.json", TemporaryFeed.count("B2", a: 6, b: 5))
        _ = watching.poll()

        var checking = try FeedReader(directory: feed.path)
        _ = checking.poll()
        let live = watching.snapshot(time: 0)
        let checked = checking.snapshot(time: 0)
        #expect(live == checked)
        #expect(CheckReport.lines(live) == CheckReport.lines(checked))
        #expect(live.conflicts.map(\.files) == [["b2-again.json", "b2.json"]])
        #expect(live.contests[0].candidates.map(\.votes) == [41, 10])
        #expect(CheckReport.lines(checked) == ["b2-again.json, b2.json: conflict: c count box=B2 revision 1 has different figures in these files; nothing counts for it until a higher revision arrives"])
    }

    @Test func aDeletedFileThatWasRefusedIsLoggedAsNeverCounted() throws {
        let feed = try TemporaryFeed()
        try feed.write("typo.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 4}}"#)
        try feed.write("fixed-later.json", TemporaryFeed.count("B2", a: 2, b: 2))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        try feed.overwrite("fixed-later.json", #"{"contest": "c", "kind": "count", "box": "B2", "votes": "#)
        _ = reader.poll()
        #expect(reader.snapshot(time: 0).refusedFiles.map(\.file) == ["fixed-later.json", "typo.json"])
        try feed.remove("typo.json")
        try feed.remove("fixed-later.json")
        #expect(reader.poll().map(\.description) == [
            "deleted: fixed-later.json: file deleted; its last version had been refused, and what an earlier version of it said still counts (withdraw a batch with a higher revision and \"withdrawn\": true)",
            "deleted: typo.json: file deleted; it had been refused and never counted",
        ])
        #expect(votes(reader) == [2, 2])
        #expect(reader.snapshot(time: 0).refusedFiles.isEmpty)
    }

    @Test func anInvalidElectionStopsTheStartWithItsPlace() throws {
        let feed = try TemporaryFeed(election: #"{"format": "countnight-feed/1", "id": "x", "contests": [{"id": "c", "candidates": [], "boxes": []}]}"#)
        #expect(throws: ElectionFileError.self) { try FeedReader(directory: feed.path) }
        do {
            _ = try FeedReader(directory: feed.path)
            Issue.record("a feed without a usable election.json was accepted")
        } catch {
            #expect(error.description == feed.path + "/election.json: contests[0].candidates: has 0; a contest needs at least 2 candidates")
        }
        #expect(throws: ElectionFileError.self) { try FeedReader(directory: feed.path + "/nowhere") }
        try feed.remove("election.json")
        do {
            _ = try FeedReader(directory: feed.path)
            Issue.record("a feed without a usable election.json was accepted")
        } catch {
            #expect(error.description == feed.path + "/election.json: not found; a feed directory needs an election.json (see docs/feed-format.md)")
        }
    }

    @Test func aChangedElectionAppliesWhenValidAndIsReportedWhenNot() throws {
        let feed = try TemporaryFeed()
        try feed.write("b3.json", TemporaryFeed.count("B3", a: 9, b: 9))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        #expect(reader.snapshot(time: 0).refusedFiles.map(\.file) == ["b3.json"])
        try feed.overwrite("election.json", "{ broken")
        let refused = reader.poll()
        #expect(refused.map(\.description) == ["election.json changed but is refused, the previous version stays in force: election.json: not valid JSON: expected a key in quotes but found 'b' at line 1, column 3"])
        #expect(reader.snapshot(time: 0).refusedFiles.map(\.file) == ["election.json", "b3.json"])
        #expect(reader.snapshot(time: 0).refusedFiles.first?.reason == "not valid JSON: expected a key in quotes but found 'b' at line 1, column 3 (the previous version stays in force)")
        #expect(reader.election.contests[0].boxes.count == 2)
        let withB3 = TemporaryFeed.election.replacingOccurrences(of: #"{"id": "B2", "area": "X", "electorate": 500}"#,
                                                                 with: #"{"id": "B2", "area": "X", "electorate": 500}, {"id": "B3"}"#)
        try feed.overwrite("election.json", withB3)
        #expect(reader.poll() == [.count(.electionReloaded)])
        #expect(reader.snapshot(time: 0).refusedFiles.isEmpty)
        #expect(votes(reader) == [9, 9])
    }

    /// A refusal of election.json goes when the version in force is back,
    /// and says so: headless watching writes the snapshot without it.
    @Test func electionJSONBackAsItWasEndsItsRefusalAndSaysSo() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 3, b: 1))
        var watch = HeadlessWatch(reader: try FeedReader(directory: feed.path), format: .jsonl)
        #expect(watch.step(time: 0).line != nil)
        try feed.overwrite("election.json", "{ half writ")
        let refused = watch.step(time: 1)
        #expect(refused.line?.contains(#""file":"election.json""#) == true)
        try feed.overwrite("election.json", TemporaryFeed.election)
        let back = watch.step(time: 2)
        #expect(back.events.map(\.description) == ["election.json can be used again: it is the version in force, and nothing is refused for it"])
        #expect(back.line?.contains(#""file":"election.json""#) == false)
        var reader = watch.reader
        #expect(reader.snapshot(time: 3).refusedFiles.isEmpty)
    }

    @Test func aVanishedDirectoryIsReportedAndReadingResumes() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 1, b: 2))
        var reader = try FeedReader(directory: feed.path)
        _ = reader.poll()
        let moved = feed.path + "-away"
        try FileManager.default.moveItem(atPath: feed.path, toPath: moved)
        let gone = reader.poll()
        #expect(gone.count == 1)
        #expect(gone.first?.description.hasPrefix("cannot read the feed directory \(feed.path): No such file or directory") == true)
        #expect(reader.poll().isEmpty)
        #expect(votes(reader) == [1, 2])
        try FileManager.default.moveItem(atPath: moved, toPath: feed.path)
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 5, b: 0))
        let back = reader.poll()
        #expect(back.first == .feedBack)
        #expect(votes(reader) == [6, 2])
    }
}

@Suite struct SampleFeedTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/tower-hamlets-2010").path

    @Test func theSampleNightEndsWithTheDeclaredResult() throws {
        var reader = try FeedReader(directory: Self.sample)
        _ = reader.poll()
        let snapshot = reader.snapshot(time: 0)
        #expect(snapshot.refusedFiles.isEmpty)
        #expect(snapshot.conflicts.isEmpty)
        let mayor = snapshot.contests[0]
        #expect(mayor.system == .sv)
        #expect(mayor.status == .complete)
        #expect(mayor.candidates.map(\.name) == ["Lutfur Rahman", "Helal Abbas", "Neil King", "John Griffiths", "Alan Duffell"])
        #expect(mayor.candidates.map(\.votes) == [23_283, 11_254, 5_348, 2_800, 2_300])
        #expect(mayor.ballotPapers == 46_719)
        #expect(mayor.countedBallots == 46_719)
        #expect(mayor.valid == 44_985)
        #expect(mayor.rejected == 1_734)
        #expect(mayor.electorate == 182_482)
        #expect(Format.percent(mayor.turnout!, decimals: 1) == "25.6%")
        #expect(Format.percent(mayor.candidates[0].share) == "51.76%")
        #expect(mayor.winners == ["rahman"])
        #expect(mayor.majority == 12_029)
        #expect(mayor.areas.count == 18)
        #expect(mayor.boxesVerified == mayor.boxesTotal)
    }

}

/// Issue 11, items 5 and 6: a journal on a full disk.
@Suite struct RecordingFailureTests {
    @Test func aFullDiskIsReportedOnceAsAFeedEventWithTheEntriesLost() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else {
            print("skipped: /dev/full is missing, cannot test a full disk")
            return
        }
        let feed = try TemporaryFeed()
        var reader = try FeedReader(directory: feed.path)
        let journal = try JournalWriter(path: "/dev/full")
        reader.record(to: journal)
        #expect(journal.lost == 1)
        let events = reader.poll()
        #expect(events.contains(.recordingFailed("--record /dev/full: No space left on device; 1 entry not recorded, the journal lacks them")))
        #expect(reader.recordingFailure == "--record /dev/full: No space left on device; 1 entry not recorded, the journal lacks them")
        // Reported once, not on every poll.
        #expect(!reader.poll().contains { if case .recordingFailed = $0 { return true } else { return false } })
    }
}


/// A clock a test moves by hand.
final class FakeClock: @unchecked Sendable {
    var now = 0.0
}

/// The first read of a big feed parses on worker threads, reads most files
/// the quick way and merges as it goes: it must say and count exactly what
/// reading the same files one at a time says and counts.
@Suite struct FeedReaderDifferentialTests {
    static func election(boxes: Int) -> String {
        let list = (0..<boxes).map { #"{"id": "B\#($0)", "area": "Area \#($0 / 20)", "electorate": 900}"# }.joined(separator: ",")
        return """
            {"format": "countnight-feed/1", "id": "diff", "title": "Differential",
             "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
                           "boxes": [\(list)]}]}
            """
    }

    static func count(_ box: Int, _ votes: (Int, Int, Int), revision: Int = 1, rejected: Int = 0) -> String {
        #"{"election": "diff", "contest": "c", "kind": "count", "box": "B\#(box)", "revision": \#(revision), "votes": {"a": \#(votes.0), "b": \#(votes.1), "c": \#(votes.2)}, "rejected": {"want of official mark": \#(rejected), "unmarked or wholly void for uncertainty": 1}, "at": "2026-05-07T23:\#(10 + box % 50):00+01:00"}"#
    }

    @Test func aBigFeedReadAtOnceSaysAndCountsWhatOneFileAtATimeDoes() throws {
        let boxes = 400
        let feed = try TemporaryFeed(election: Self.election(boxes: boxes))
        var files: [(String, String)] = []
        for box in 0..<boxes {
            files.append(("v-\(box).json", #"{"contest": "c", "kind": "verification", "box": "B\#(box)", "ballotPapers": \#(300 + box % 7)}"#))
            files.append(("count-\(box).json", Self.count(box, (100 + box % 13, 90 + box % 17, 50 + box % 5), rejected: box % 3)))
        }
        // The same box twice under two names, with the same figures: counted once.
        for box in stride(from: 0, to: boxes, by: 20) {
            files.append(("again-\(box).json", Self.count(box, (100 + box % 13, 90 + box % 17, 50 + box % 5), rejected: box % 3)))
        }
        // Different figures at the same revision: a conflict; a higher revision: a correction; then withdrawn.
        for box in stride(from: 5, to: boxes, by: 50) { files.append(("other-\(box).json", Self.count(box, (1, 2, 3)))) }
        for box in stride(from: 7, to: boxes, by: 50) { files.append(("fix-\(box).json", Self.count(box, (10, 20, 30), revision: 2))) }
        for box in stride(from: 9, to: boxes, by: 100) {
            files.append(("gone-\(box).json", #"{"contest": "c", "kind": "count", "box": "B\#(box)", "revision": 3, "withdrawn": true}"#))
        }
        // Refusals of every sort, and files off the usual shape that still count.
        files += [
            ("bad-json.json", #"{"contest": "c", "kind": "count""#),
            ("bad-box.json", #"{"contest": "c", "kind": "count", "box": "B9999", "votes": {"a": 1, "b": 1, "c": 1}}"#),
            ("bad-candidate.json", #"{"contest": "c", "kind": "count", "box": "B1", "batch": "x", "votes": {"a": 1, "b": 1, "z": 1}}"#),
            ("bad-electorate.json", #"{"contest": "c", "kind": "verification", "box": "B2", "batch": "y", "ballotPapers": 901}"#),
            ("bad-election.json", #"{"election": "other", "contest": "c", "kind": "verification", "box": "B3", "ballotPapers": 1}"#),
            ("escaped.json", #"{"contest": "c", "kind": "count", "area": "Area\u00203", "batch": "bundle 1", "votes": {"a": 5, "b": 6, "c": 7}}"#),
            ("extra-key.json", #"{"contest": "c", "kind": "count", "area": "Area 4", "batch": "b2", "note": "recount", "votes": {"a": 5, "b": 6, "c": 7}}"#),
        ]
        for (name, text) in files { try feed.write(name, text) }

        var reader = try FeedReader(directory: feed.path)
        let events = reader.poll().map(\.description)
        var oneByOne = CountState(election: try ElectionFile.parse(Array(Self.election(boxes: boxes).utf8)))
        var said: [String] = []
        for (name, text) in files.sorted(by: { $0.0 < $1.0 }) {
            if let event = oneByOne.apply(NightEntry(time: 0, file: name, change: .version(Array(text.utf8)))).event {
                said.append(FeedEvent.count(event).description)
            }
        }
        #expect(reader.filesRead == files.count)
        #expect(events == said)
        #expect(events.filter { $0.hasPrefix("refused:") }.count == 5)
        #expect(events.filter { $0.hasPrefix("conflict:") }.count == 8)
        let fast = reader.snapshot(time: 0)
        let slow = oneByOne.snapshot(time: 0)
        #expect(fast.json() == slow.json())
        // Eight boxes in conflict and four withdrawn count nothing.
        #expect(fast.contests[0].boxesCounted == boxes - 12)
    }
}

@Suite struct ReadProgressTests {
    @Test func aPollThatReadsManyFilesSaysHowFarItHasGot() throws {
        let boxes = (0..<3000).map { #"{"id": "B\#($0)", "area": "X", "electorate": 500}"# }.joined(separator: ",")
        let feed = try TemporaryFeed(election: #"{"format": "countnight-feed/1", "id": "p", "title": "P", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [\#(boxes)]}]}"#)
        for box in 0..<3000 { try feed.write("count-\(box).json", TemporaryFeed.count("B\(box)", a: 1, b: 2)) }
        var reader = try FeedReader(directory: feed.path)
        var told: [[Int]] = []
        _ = reader.poll { told.append([$0, $1]) }
        #expect(told == [[1024, 3000], [2048, 3000]])
        #expect(reader.snapshot(time: 0).contests[0].boxesCounted == 3000)
        // A poll with nothing to read says nothing.
        told = []
        _ = reader.poll { told.append([$0, $1]) }
        #expect(told.isEmpty)
    }
}

@Suite struct FileStampTests {
    /// A file's time in whole seconds is the second it falls in, however
    /// near the next one: a replay of a directory places an unreadable file by it.
    @Test func aModificationTimeRoundsDownToItsOwnSecond() {
        var st = stat()
        st.st_mode = S_IFREG | 0o644
        st.st_mtim = timespec(tv_sec: 1_764_000_000, tv_nsec: 999_999_999)
        #expect(FileStamp(st).modifiedSeconds == 1_764_000_000)
        st.st_mtim = timespec(tv_sec: -2, tv_nsec: 500_000_000)
        #expect(FileStamp(st).modifiedSeconds == -2)
        st.st_mtim = timespec(tv_sec: 1_764_000_000, tv_nsec: 0)
        #expect(FileStamp(st).modifiedSeconds == 1_764_000_000)
    }
}
