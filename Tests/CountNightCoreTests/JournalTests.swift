import Testing
@testable import CountNightCore

@Suite struct JournalTests {
    @Test func sha256MatchesTheStandardsExamples() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func linesReadBackAsTheyWereWritten() {
        let entries = [
            NightEntry(time: 1_288_000_000.25, file: "election.json", change: .version(Array(#"{"id": "x"}"#.utf8))),
            NightEntry(time: 1_288_000_001, file: "count-1.json", change: .version(Array("{\"a\": \"quote \\\" and\nnewline\"}".utf8))),
            NightEntry(time: 1_288_000_002, file: "odd.json", change: .version([0xff, 0xfe, 0x00, 0x41])),
            NightEntry(time: 1_288_000_003, file: "count-1.json", change: .deleted),
            NightEntry(time: 1_288_000_004, file: "big.json", change: .unreadable("the file is 2,000,000 bytes, over the 1 MiB limit for a batch")),
        ]
        let text = entries.map(Journal.line).joined(separator: "\n") + "\n"
        #expect(!Journal.line(entries[1]).contains("\n"))
        #expect(Journal.line(entries[2]).contains(#""contentBase64":"//4AQQ==""#))
        #expect(Journal.line(entries[0]).hasPrefix(#"{"arrived":"2010-10-25T09:46:40.250Z","file":"election.json","sha256":""#))
        let read = Journal.parse(Array(text.utf8))
        #expect(read.problems.isEmpty)
        #expect(read.entries == entries)
    }

    /// Found by fuzzing (fuzz/journal.swift): the entry after a torn start
    /// arrived in year 0350, which was written back as "350-05-08…", a time
    /// no journal reader takes.
    @Test func aTimeBeforeTheYear1000ReadsBackAsWritten() throws {
        let found = #"{"arrived": "2026-05-08T01:07:00.000Z", "file": "torn.json", "sha2{"arrived": "0350-05-08T01:07:01.000Z", "file": "x.json", "deleted": true}"# + "\n"
        let read = Journal.parse(Array(found.utf8))
        let entry = try #require(read.entries.first)
        #expect(read.entries.count == 1)
        #expect(Journal.line(entry) == #"{"arrived":"0350-05-08T01:07:01.000Z","file":"x.json","deleted":true}"#)
        let again = Journal.parse(Array((Journal.line(entry) + "\n").utf8))
        #expect(again.entries == [entry])
        #expect(again.problems.isEmpty)
    }

    /// Times that an offset takes out of the years 0000 to 9999 in UTC could
    /// not be written back: they are refused as read.
    @Test func rfc3339TimesAreThoseThatCanBeWrittenAgain() throws {
        for text in ["0000-01-01T00:00:00Z", "0009-02-03T04:05:06Z", "0999-12-31T23:59:59Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
            #expect(RFC3339.format(try #require(RFC3339.parse(text))) == text)
        }
        #expect(RFC3339.parse("0000-01-01T00:30:00+01:00") == nil)
        #expect(RFC3339.parse("9999-12-31T23:30:00-01:00") == nil)
        #expect(RFC3339.parse("0000-01-01T01:00:00+01:00") == -62_167_219_200)
    }

    @Test func aTornLastLineIsSkippedAndReported() {
        let whole = Journal.line(NightEntry(time: 10, file: "a.json", change: .version(Array("{}".utf8))))
        let torn = String(Journal.line(NightEntry(time: 11, file: "b.json", change: .version(Array("{}".utf8)))).prefix(30))
        let read = Journal.parse(Array((whole + "\n" + torn).utf8))
        #expect(read.entries.map(\.file) == ["a.json"])
        #expect(read.problems == ["line 2: incomplete, the writer stopped mid-line; skipped"])
    }

    @Test func badLinesAreSkippedWithTheirNumberAndReason() {
        var tampered = Journal.line(NightEntry(time: 10, file: "a.json", change: .version(Array("{\"x\": 1}".utf8))))
        tampered = tampered.replacingOccurrences(of: #"{\"x\": 1}"#, with: #"{\"x\": 2}"#)
        let good = Journal.line(NightEntry(time: 12, file: "c.json", change: .deleted))
        let text = [tampered, "not json", #"{"arrived": "yesterday", "file": "d.json", "deleted": true}"#, good].joined(separator: "\n") + "\n"
        let read = Journal.parse(Array(text.utf8))
        #expect(read.entries.map(\.file) == ["c.json"])
        #expect(read.problems.count == 3)
        #expect(read.problems[0] == "line 1: sha256: does not match the content; skipped")
        #expect(read.problems[1].hasPrefix("line 2: not valid JSON"))
        #expect(read.problems[2] == "line 3: arrived: is missing or not an RFC 3339 time; skipped")
    }

    @Test func durationsAndStartTimesAreReadAsWritten() {
        #expect(ReplayTime.duration("90s") == 90)
        #expect(ReplayTime.duration("1h30m") == 5400)
        #expect(ReplayTime.duration("2.5m") == 150)
        #expect(ReplayTime.duration("90") == nil)
        #expect(ReplayTime.duration("1x") == nil)
        #expect(ReplayTime.duration("") == nil)
        #expect(ReplayTime.from("1h", start: 1000) == 4600)
        #expect(ReplayTime.from("2010-10-21T22:00:00Z", start: 0) == RFC3339.parse("2010-10-21T22:00:00Z"))
    }

    @Test func aRehearsalElectionIsMarkedAndOtherwiseUnchanged() throws {
        let marked = try #require(ElectionFile.markedAsRehearsal(Array(Fixtures.electionJSON().utf8)))
        let election = try ElectionFile.parse(marked)
        #expect(election.rehearsal)
        #expect(election.contests == Fixtures.election().contests)
        let again = try #require(ElectionFile.markedAsRehearsal(Array(Fixtures.electionJSON(rehearsal: false).utf8)))
        #expect(String(decoding: again, as: UTF8.self).components(separatedBy: "rehearsal").count == 2)
        #expect(ElectionFile.markedAsRehearsal(Array("[1]".utf8)) == nil)
    }
}

/// The replay engine on nights written here: every kind of entry, stepped
/// through forward and back.
@Suite struct ReplayEngineTests {
    static func entry(_ time: Double, _ file: String, _ json: String) -> NightEntry {
        NightEntry(time: time, file: file, change: .version(Array(json.utf8)))
    }

    static let entries: [NightEntry] = [
        entry(1, "v-n1.json", Fixtures.verification("N1", 100)),
        entry(2, "c-n1.json", Fixtures.count(box: "N1", ann: 60, bob: 30, cat: 10)),
        entry(3, "c-n2.json", Fixtures.count(box: "N2", ann: 20, bob: 50, cat: 5)),
        entry(4, "c-n2-copy.json", Fixtures.count(box: "N2", ann: 21, bob: 50, cat: 5)),
        entry(5, "bad.json", #"{"contest": "mayor", "kind": "count", "box": "N9", "votes": {"ann": 1, "bob": 1, "cat": 1}}"#),
        entry(6, "c-n1.json", Fixtures.count(box: "N1", revision: 2, ann: 61, bob: 30, cat: 9)),
        NightEntry(time: 7, file: "c-n2-copy.json", change: .deleted),
        NightEntry(time: 8, file: "huge.json", change: .unreadable("the file is 2,000,000 bytes, over the 1 MiB limit for a batch")),
        entry(9, "election.json", Fixtures.electionJSON(rehearsal: true)),
        entry(10, "election.json", "{not json"),
        entry(11, "c-s1.json", Fixtures.count(box: "S1", ann: 5, bob: 5, cat: 5)),
    ]

    @Test func theEventsAreThoseOfReadingTheFilesLive() {
        var replay = Replay(election: Fixtures.election(), entries: Self.entries)
        var kinds: [String] = []
        while !replay.atEnd {
            switch replay.stepForward() {
            case .batch(let event)?: kinds.append(event.kind.rawValue)
            case .electionReloaded?: kinds.append("election")
            case .electionRefused?: kinds.append("election refused")
            case .electionUsable?: kinds.append("election usable")
            case nil: kinds.append("-")
            }
        }
        #expect(kinds == ["accepted", "accepted", "accepted", "conflict", "refused", "corrected", "deleted", "refused",
                          "election", "election refused", "accepted"])
        let snapshot = replay.snapshot(time: 11)
        #expect(snapshot.rehearsal)
        #expect(snapshot.conflicts.map(\.identity) == ["count box=N2"])
        #expect(snapshot.refusedFiles.map(\.file) == ["election.json", "bad.json", "huge.json"])
        #expect(snapshot.contests[0].votes("ann") == 66)
    }

    @Test func everyStepBackGivesTheStateOfAReplayFromTheStart() {
        var replay = Replay(election: Fixtures.election(), entries: Self.entries)
        replay.seek(to: Self.entries.count)
        for position in stride(from: Self.entries.count, through: 0, by: -1) {
            var fresh = Replay(election: Fixtures.election(), entries: Self.entries)
            fresh.seek(to: position)
            #expect(replay.position == position)
            #expect(replay.snapshot(time: 0) == fresh.snapshot(time: 0), "at \(position)")
            replay.stepBack()
        }
        #expect(replay.position == 0)
    }

    /// Entries applied for good (as a headless replay applies them) give
    /// the count and the events that stepping with a way back gives, and
    /// stepping back stops at them.
    @Test func entriesAppliedForGoodCountAsStepsAndCannotBeTakenBack() {
        var forGood = Replay(election: Fixtures.election(), entries: Self.entries)
        var undoable = Replay(election: Fixtures.election(), entries: Self.entries)
        for position in 1...Self.entries.count {
            #expect(forGood.stepForwardForGood() == undoable.stepForward(), "at \(position)")
            #expect(forGood.snapshot(time: 0) == undoable.snapshot(time: 0), "at \(position)")
        }
        forGood = Replay(election: Fixtures.election(), entries: Self.entries)
        for _ in 0..<5 { forGood.stepForwardForGood() }
        forGood.stepForward()
        forGood.stepBack()
        #expect(forGood.position == 5)
        forGood.stepBack()
        forGood.seek(to: 0)
        #expect(forGood.position == 5 && forGood.forGood == 5)
        var fresh = Replay(election: Fixtures.election(), entries: Self.entries)
        fresh.seek(to: 5)
        #expect(forGood.snapshot(time: 0) == fresh.snapshot(time: 0))
    }

    @Test func headlessReplayWritesAfterEveryEntryOrEveryStep() {
        let replay = Replay(election: Fixtures.election(), entries: Self.entries)
        var each = HeadlessReplay(replay: replay, every: nil, from: nil)
        var times: [Double] = []
        while let step = each.next() { times.append(step.time) }
        #expect(times == [0] + (1...11).map(Double.init))

        var stepped = HeadlessReplay(replay: replay, every: 4, from: nil)
        var steps: [(Double, Int)] = []
        while let step = stepped.next() { steps.append((step.time, step.snapshot.contests[0].boxesVerified)) }
        #expect(steps.map(\.0) == [0, 4, 8, 11])

        var late = HeadlessReplay(replay: replay, every: nil, from: 6.5)
        let first = late.next()
        #expect(first?.time == 6.5)
        // N2 is in conflict by then (two files, one revision, different figures).
        #expect(first?.snapshot.contests[0].votes("ann") == 61)
        #expect(late.next()?.time == 7)

        // At ten times real time, each snapshot waits a tenth of the replay time since the last.
        var paced = HeadlessReplay(replay: replay, every: 4, speed: 10, from: nil)
        var waits: [Double] = []
        while let step = paced.next() { waits.append(step.wait) }
        #expect(waits == [0, 0.4, 0.4, 0.3])
        var fast = HeadlessReplay(replay: replay, every: nil, speed: nil, from: nil)
        while let step = fast.next() { #expect(step.wait == 0) }
    }
}
