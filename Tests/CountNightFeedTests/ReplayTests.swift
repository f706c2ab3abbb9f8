@testable import CountNightCore
import Foundation
import Testing
@testable import CountNightFeed

/// Replays of the sample night: order, stepping, and the last snapshot.
@Suite struct ReplayTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/tower-hamlets-2010").path

    func night() throws -> RecordedNight { try RecordedNight.load(Self.sample) }

    @Test func steppingBackAndForwardGivesTheStateOfAReplayFromTheStart() throws {
        let night = try night()
        var replay = night.replay
        for _ in 0..<60 { replay.stepForward() }
        let at60 = replay.snapshot(time: 0)
        for _ in 0..<25 { replay.stepBack() }
        var fresh = night.replay
        for _ in 0..<35 { fresh.stepForward() }
        #expect(replay.position == 35)
        #expect(replay.snapshot(time: 0) == fresh.snapshot(time: 0))
        for _ in 0..<25 { replay.stepForward() }
        #expect(replay.snapshot(time: 0) == at60)
    }
}

/// A night of several contests: a batch remakes its own contest's snapshot
/// only, and the snapshot is the same as one made whole.
@Suite struct ContestSnapshotReuseTests {
    static let borough = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/riverside-2026").path

    @Test func steppingBackAndForthGivesTheSnapshotMadeWhole() throws {
        let night = try RecordedNight.load(Self.borough)
        let entries = night.replay.entries
        var state = CountState(election: night.replay.tally.election)
        var undos: [CountState.Undo] = []
        var random = SplitMix64(seed: 5)
        var differences = 0
        for _ in 0..<(3 * entries.count) {
            if !undos.isEmpty && (undos.count == entries.count || random.next() % 3 == 0) {
                state.undo(undos.removeLast())
            } else {
                undos.append(state.apply(entries[undos.count]).undo)
            }
            let whole = state.tally.snapshot(time: 0).listingRefusedElection(state.electionProblem)
            if state.unheldSnapshot(time: 0) != whole { differences += 1 }
        }
        #expect(differences == 0)
        #expect(entries.count > 50)
    }

    /// Each contest's JSON is kept from snapshot to snapshot and written
    /// again only when the contest changed (or its call is held otherwise):
    /// the lines are those written whole, stepping back and forth, calls
    /// made and held included.
    @Test func aSnapshotsJSONKeptContestByContestIsTheJSONWrittenWhole() throws {
        let night = try RecordedNight.load(Self.borough)
        let entries = night.replay.entries
        var kept = CountState(election: night.replay.tally.election)
        var whole = kept
        var undos: [(CountState.Undo, CountState.Undo)] = []
        var random = SplitMix64(seed: 9)
        var differences = 0
        var calls = 0
        var writer = ContestJSONCache()
        for _ in 0..<(3 * entries.count) {
            if !undos.isEmpty && (undos.count == entries.count || random.next() % 4 == 0) {
                let (a, b) = undos.removeLast()
                kept.undo(a)
                whole.undo(b)
            } else {
                undos.append((kept.apply(entries[undos.count]).undo, whole.apply(entries[undos.count]).undo))
            }
            let written = kept.snapshot(time: 0, json: true)
            let made = whole.snapshot(time: 0)
            if written.json() != made.json() { differences += 1 }
            // The same kept by a writer apart from the state (a headless
            // replay's writing thread).
            var apart = made
            writer.encode(&apart)
            if apart.json() != made.json() { differences += 1 }
            calls += written.contests.filter { $0.projection.status == .projected }.count
        }
        #expect(differences == 0)
        #expect(calls > 0)
        // A contest changed after the snapshot was made is written as it is now.
        var changed = kept.snapshot(time: 0, json: true)
        var plain = whole.snapshot(time: 0)
        #expect(changed.json() == plain.json())
        changed.contests[0] = changed.contests[1]
        plain.contests[0] = plain.contests[1]
        #expect(changed.json() == plain.json())
    }
}

/// A headless replay's steps made on a thread of their own come out as
/// the replay gives them, and the thread ends when the writer stops early.
@Suite struct HeadlessReplayPipeTests {
    @Test func theStepsAreTheReplaysInOrderAndStoppingEndsTheThread() throws {
        let night = try RecordedNight.load(ContestSnapshotReuseTests.borough)
        var direct = HeadlessReplay(replay: night.replay, every: nil, from: nil)
        var expected: [HeadlessReplay.Step] = []
        while let step = direct.next() { expected.append(step) }
        #expect(expected.count > 20)

        let pipe = HeadlessReplayPipe(HeadlessReplay(replay: night.replay, every: nil, from: nil), capacity: 3)
        var got: [HeadlessReplay.Step] = []
        while let step = pipe.next() { got.append(step) }
        pipe.close()
        #expect(got.map(\.snapshot) == expected.map(\.snapshot))
        #expect(got.map(\.time) == expected.map(\.time))
        #expect(got.map(\.events.count) == expected.map(\.events.count))
        #expect(pipe.next() == nil)

        // A writer that stops after a few lines: close returns, with the
        // thread waiting on a full pipe, and nothing more comes.
        let early = HeadlessReplayPipe(HeadlessReplay(replay: night.replay, every: nil, from: nil), capacity: 2)
        for index in 0..<5 { #expect(early.next()?.snapshot == expected[index].snapshot) }
        early.close()
        #expect(early.next() == nil)
    }

    /// The batch files ahead are parsed and checked on a third thread for
    /// the election at the start (`PreparedAhead`). A night whose
    /// election.json changes part-way (a candidate's id changed: the mayor's
    /// batches after it are refused, checked against the new election, not
    /// accepted as prepared for the old) comes out of the pipe as the
    /// replay gives it, and the preparation of every batch version is what
    /// the stepping thread would have made.
    @Test func versionsPreparedAheadGiveTheReplaysSteps() throws {
        let night = try RecordedNight.load(ContestSnapshotReuseTests.borough)
        let renamed = String(decoding: night.electionBytes, as: UTF8.self)
            .replacingOccurrences(of: #""id": "quinn""#, with: #""id": "quincy""#)
        #expect(renamed.utf8.count != night.electionBytes.count)
        var entries = night.entries
        let middle = entries.count / 2
        entries.insert(NightEntry(time: entries[middle].time, file: ElectionFile.name, change: .version(Array(renamed.utf8))), at: middle)
        let replay = Replay(election: night.election, entries: entries)

        var direct = HeadlessReplay(replay: replay, every: nil, from: nil)
        var expected: [HeadlessReplay.Step] = []
        while let step = direct.next() { expected.append(step) }
        let reloaded = try #require(expected.firstIndex { $0.events.contains(.electionReloaded) })
        let refusedAfter = expected[(reloaded + 1)...].filter { step in
            step.events.contains { if case .batch(let event) = $0 { event.kind == .refused } else { false } }
        }
        #expect(refusedAfter.count > 5)
        let pipe = HeadlessReplayPipe(HeadlessReplay(replay: replay, every: nil, from: nil), capacity: 4)
        var got: [HeadlessReplay.Step] = []
        while let step = pipe.next() { got.append(step) }
        pipe.close()
        #expect(got.map(\.snapshot) == expected.map(\.snapshot))
        #expect(got.map(\.events) == expected.map(\.events))

        // Taken slowly, every batch version comes prepared, as the tally
        // at the start prepares it; the others (election.json) come as nil.
        let preparer = Tally(election: night.election).preparer
        let ahead = PreparedAhead(entries: entries, from: 3, preparer: preparer)
        var prepared = 0
        for index in 3..<entries.count {
            var version = ahead.take(index)
            guard case .version(let bytes) = entries[index].change, !entries[index].isElection else {
                #expect(version == nil, "entry \(index)")
                continue
            }
            let deadline = Date().addingTimeInterval(10)
            while version == nil && Date() < deadline {
                usleep(1000)
                version = ahead.take(index)
            }
            let own = preparer.prepare(file: entries[index].file, bytes: bytes)
            #expect(version?.file == own.file && version?.digest == own.digest && version?.checked == own.checked, "entry \(index)")
            prepared += 1
        }
        ahead.stop()
        #expect(prepared > 20)
    }
}

/// Recording a live feed to a journal, and loading nights from disk.
@Suite struct RecordingTests {
    @Test func aRecordedNightReplaysToWhatTheReaderSaw() throws {
        let feed = try TemporaryFeed()
        let journalPath = feed.path + "/../" + UUID().uuidString + ".journal"
        defer { unlink(journalPath) }
        var reader = try FeedReader(directory: feed.path)
        reader.record(to: try JournalWriter(path: journalPath))
        var seen: [Snapshot] = []
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        _ = reader.poll()
        seen.append(reader.snapshot(time: 0))
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 1, b: 9))
        try feed.write("bad.json", "{oops")
        _ = reader.poll()
        seen.append(reader.snapshot(time: 0))
        try feed.overwrite("b1.json", TemporaryFeed.count("B1", a: 12, b: 5, revision: 2))
        try feed.remove("bad.json")
        _ = reader.poll()
        seen.append(reader.snapshot(time: 0))
        // Nothing new: nothing more in the journal.
        _ = reader.poll()

        let night = try RecordedNight.load(journalPath)
        #expect(night.problems.isEmpty)
        #expect(night.entries.map(\.file) == ["b1.json", "b2.json", "bad.json", "b1.json", "bad.json"])
        #expect(night.entries.last?.change == .deleted)
        var replay = night.replay
        replay.seek(to: 1)
        #expect(replay.snapshot(time: 0) == seen[0])
        replay.seek(to: 3)
        #expect(replay.snapshot(time: 0) == seen[1])
        replay.seek(to: 5)
        #expect(replay.snapshot(time: 0) == seen[2])
    }

    /// Live and replayed, the same entries go through the same `CountState`:
    /// the log says the same and the screen shows the same, down to why an
    /// election.json was refused (replay once said only "cannot be read").
    @Test func aReplayedNightSaysWhatTheLiveReaderSaidEvenOfARefusedElection() throws {
        let feed = try TemporaryFeed()
        let journalPath = feed.path + "/../" + UUID().uuidString + ".journal"
        defer { unlink(journalPath) }
        var reader = try FeedReader(directory: feed.path)
        reader.record(to: try JournalWriter(path: journalPath))
        var liveEvents: [String] = []
        var seen: [Snapshot] = []
        func poll() {
            liveEvents += reader.poll().map(\.description)
            seen.append(reader.snapshot(time: 0))
        }
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        poll()
        try feed.overwrite("election.json", "{ broken")
        poll()
        // A directory where election.json was: it cannot be read at all.
        try feed.remove("election.json")
        try FileManager.default.createDirectory(atPath: feed.path + "/election.json", withIntermediateDirectories: false)
        poll()
        try FileManager.default.removeItem(atPath: feed.path + "/election.json")
        poll()
        try feed.write("election.json", TemporaryFeed.election)
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 1, b: 9))
        poll()
        // Unreadable for a moment, then the same bytes again.
        try feed.remove("election.json")
        try FileManager.default.createDirectory(atPath: feed.path + "/election.json", withIntermediateDirectories: false)
        poll()
        try FileManager.default.removeItem(atPath: feed.path + "/election.json")
        try feed.write("election.json", TemporaryFeed.election)
        poll()
        #expect(seen.last?.refusedFiles.isEmpty == true)
        #expect(seen[2].refusedFiles.first?.file == "election.json")
        #expect(seen[2].refusedFiles.first?.reason.contains("cannot be read") == false)

        let night = try RecordedNight.load(journalPath)
        var replay = night.replay
        var replayedEvents: [String] = []
        var replayed: [Snapshot] = []
        for group in [1, 1, 1, 1, 2, 1, 1] {
            for _ in 0..<group { replayedEvents += replay.stepForward().map { [$0.description] } ?? [] }
            replayed.append(replay.snapshot(time: 0))
        }
        #expect(replay.atEnd)
        #expect(replayedEvents == liveEvents)
        #expect(replayed.map(\.refusedFiles) == seen.map(\.refusedFiles))
        #expect(replayed == seen)
    }

    @Test func aJournalIsAppendedToAndATornLineStaysOneBadLine() throws {
        let path = NSTemporaryDirectory() + UUID().uuidString + ".journal"
        defer { unlink(path) }
        let election = NightEntry(time: 1, file: "election.json", change: .version(Array(TemporaryFeed.election.utf8)))
        try JournalWriter(path: path).append(election)
        // A writer killed mid-line.
        let torn = String(Journal.line(NightEntry(time: 2, file: "b1.json", change: .version(Array("{}".utf8)))).prefix(25))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(torn.utf8))
        handle.closeFile()
        try JournalWriter(path: path).append(NightEntry(time: 3, file: "b2.json", change: .version(Array(TemporaryFeed.count("B2", a: 1, b: 2).utf8))))
        let night = try RecordedNight.load(path)
        #expect(night.entries.map(\.file) == ["b2.json"])
        #expect(night.problems.count == 1)
        #expect(night.problems[0].hasPrefix("line 2: "))
        #expect(night.replay.startTime == 2)
    }

    @Test func aDirectoryPlaysByAtThenModificationTimeThenName() throws {
        let feed = try TemporaryFeed()
        func batch(_ box: String, at: String?) -> String {
            let time = at.map { #", "at": "\#($0)""# } ?? ""
            return #"{"contest": "c", "kind": "verification", "box": "\#(box)", "ballotPapers": 10\#(time)}"#
        }
        try feed.write("z-early.json", batch("B1", at: "2026-05-07T22:00:00Z"))
        try feed.write("a-late.json", batch("B2", at: "2026-05-07T23:00:00Z"))
        try feed.write("m-same.json", batch("B1", at: "2026-05-07T23:00:00Z"))
        try feed.write("no-time.json", batch("B2", at: nil))
        var times = [timespec](repeating: timespec(tv_sec: 1_778_191_200 + 1800, tv_nsec: 0), count: 2)  // 22:30Z
        #expect(utimensat(AT_FDCWD, feed.path + "/no-time.json", &times, 0) == 0)
        let night = try RecordedNight.load(feed.path)
        #expect(night.entries.map(\.file) == ["z-early.json", "no-time.json", "a-late.json", "m-same.json"])
    }

    @Test func whatCannotBeReplayedSaysWhy() {
        #expect(throws: ElectionFileError.self) { try RecordedNight.load("/nonexistent/night") }
        let path = NSTemporaryDirectory() + UUID().uuidString + ".journal"
        defer { unlink(path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("not a journal\n".utf8))
        do {
            _ = try RecordedNight.load(path)
            Issue.record("loaded a file that is not a journal")
        } catch {
            #expect(error.description.contains("not a journal with an election.json line"))
            #expect(error.description.contains("line 1: not valid JSON"))
        }
    }
}
