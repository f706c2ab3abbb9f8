import Foundation
import Testing

/// Issue 11, items 4, 5, 7, 9, end to end: hostile strings in every text
/// output, writes to a full disk or a closed descriptor, and journal names
/// that would escape a rehearsal directory.
@Suite struct OutputFailureTests {
    /// Runs `script` in sh with COUNTNIGHT naming the binary (and a time
    /// limit, so that a hang fails rather than stalls); returns the exit
    /// status and what it wrote to standard error.
    private func shell(_ script: String, in feed: ScratchFeed) -> (status: Int32, stderr: String) {
        let err = feed.path + "/.stderr"
        let status = system("cd '\(feed.path)' && COUNTNIGHT='\(RunningCommand.binary)' timeout 30 sh -c '\(script)' 2>'\(err)'")
        let text = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xff, text)
    }

    private var hasDevFull: Bool { FileManager.default.isWritableFile(atPath: "/dev/full") }

    static let hostileElection = """
        {"format": "countnight-feed/1", "id": "e2e", "title": "End \\u001b[2J to End",
         "contests": [{"id": "c", "title": "Council \\u001b]0;pwned\\u0007", "candidates": [{"id": "a", "name": "Ann \\u001b[2J"}, {"id": "b", "name": "Bob"}],
                       "boxes": [{"id": "B1", "electorate": 500}, {"id": "B2", "electorate": 500}]}]}
        """

    private func hostileFeed() throws -> ScratchFeed {
        let feed = try ScratchFeed(election: Self.hostileElection)
        try feed.land("count-1.json", #"{"contest": "c", "kind": "count", "box": "X\n all.json: OK", "revision": 1, "votes": {"a": 1, "b": 1}}"#)
        try feed.land("count-2.json", #"{"contest": "c", "kind": "count", "box": "B1", "batch": "b\u001b[2J", "revision": 1, "votes": {"a": 10, "b": 5}, "rejected": {"\u001b[2J spoilt": 1}}"#)
        try feed.land("bad\u{1B}[2J.json", "{ not json")
        return feed
    }

    private func assertNoControls(_ text: String, _ what: String) {
        let controls = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
        #expect(controls.isEmpty, "\(what) has raw control characters: \(text.debugDescription)")
    }

    @Test func everyTextOutputEscapesTheFeedsControlCharacters() throws {
        let feed = try hostileFeed()
        let (checkStatus, check, checkErr) = try RunningCommand.run(["check", feed.path])
        #expect(checkStatus == 1)
        let lines = check.split(separator: "\n").map(String.init)
        // The forged "all.json: OK" stays inside the line of the file that carried it.
        #expect(lines.count == 2)
        #expect(lines.contains(#"count-1.json: box "X\n all.json: OK" is not a box of contest "c" in election.json"#))
        #expect(lines.contains { $0.hasPrefix(#"bad\u{1B}[2J.json: "#) })
        assertNoControls(check + checkErr, "check")

        let (_, report, _) = try RunningCommand.run(["snapshot", feed.path, "--format", "text"])
        #expect(report.contains(#"Ann \u{1B}[2J"#) && report.contains(#"Council \u{1B}]0;pwned\u{7}"#) && report.contains(#"End \u{1B}[2J to End"#))
        assertNoControls(report, "snapshot --format text")

        let (_, watch, watchErr) = try runFor(["watch", feed.path, "--headless", "--format", "text", "--interval", "0.05"])
        #expect(watch.split(separator: "\n").count == 1 && watch.contains(#"Ann \u{1B}[2J"#))
        #expect(watchErr.contains(#"refused: bad\u{1B}[2J.json"#))
        assertNoControls(watch + watchErr, "watch --headless --format text")
    }

    /// Runs a command that does not end by itself until its first line is out, then ends it.
    private func runFor(_ arguments: [String]) throws -> (Int32?, String, String) {
        let command = try RunningCommand(arguments)
        defer { command.terminate() }
        _ = command.wait { command.stdout.contains("\n") }
        command.signal(SIGTERM)
        let status = command.finish()
        return (status, command.stdout, command.stderr)
    }

    @Test func snapshotToAFullDiskOrAClosedOutputSaysSoAndExits3() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let closed = shell(#""$COUNTNIGHT" snapshot . >&-"#, in: feed)
        #expect(closed.status == 3)
        #expect(closed.stderr.contains("countnight: standard output: it was closed when countnight started"))
        guard hasDevFull else {
            print("skipped: /dev/full is missing, cannot test a full disk")
            return
        }
        let full = shell(#""$COUNTNIGHT" snapshot . >/dev/full"#, in: feed)
        #expect(full.status == 3)
        #expect(full.stderr.contains("countnight: standard output: No space left on device"))
        let check = shell(#""$COUNTNIGHT" check . >/dev/full"#, in: feed)
        // Nothing refused: check writes nothing to standard output and succeeds.
        #expect(check.status == 0)
    }

    @Test func headlessOutAndRecordToAFullDiskSayWhichAndExit3() throws {
        guard hasDevFull else {
            print("skipped: /dev/full is missing, cannot test a full disk")
            return
        }
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("count-B1.json", ScratchFeed.count("B1", a: 3, b: 2))
        let out = shell(#""$COUNTNIGHT" watch . --headless --out /dev/full"#, in: feed)
        #expect(out.status == 3)
        #expect(out.stderr.contains("countnight: --out /dev/full: No space left on device"))
        let record = shell(#""$COUNTNIGHT" watch . --headless --record /dev/full >/dev/null"#, in: feed)
        #expect(record.status == 3)
        #expect(record.stderr.contains("countnight: --record /dev/full: No space left on device"))
        let stdout = shell(#""$COUNTNIGHT" watch . --headless >/dev/full"#, in: feed)
        #expect(stdout.status == 3)
        #expect(stdout.stderr.contains("countnight: standard output: No space left on device"))
        let replay = shell(#""$COUNTNIGHT" replay . --headless --speed max >/dev/full"#, in: feed)
        #expect(replay.status == 3)
    }

    @Test func withStandardInputAndOutputClosedTheJournalGetsOnlyJournalLines() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("count-B1.json", ScratchFeed.count("B1", a: 3, b: 2))
        let journal = feed.path + "/.night.journal"
        let run = shell(#""$COUNTNIGHT" watch . --headless --until-complete --record .night.journal <&- >&-"#, in: feed)
        // Its snapshots have nowhere to go: it says so (to /dev/null, stderr is closed too) and stops.
        #expect(run.status == 3)
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "\(text)")
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"arrived":"#) }, "snapshots landed in the journal: \(text)")
    }

    @Test func aJournalNamingElectionJsonWithANulCannotDropTheRehearsalMark() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let journal = feed.path + "/.night.journal"
        let election = Array(ScratchFeed.twoBoxes.utf8)
        func line(_ file: String, _ content: String) -> String {
            let json = try! JSONSerialization.data(withJSONObject: ["arrived": "2026-05-07T22:00:00.000Z", "file": file,
                                                                    "sha256": sha256(Array(content.utf8)), "content": content])
            return String(decoding: json, as: UTF8.self)
        }
        let unmarked = ScratchFeed.twoBoxes.replacingOccurrences(of: #""title": "End to End","#, with: #""title": "End to End", "rehearsal": false,"#)
        let text = [line("election.json", String(decoding: election, as: UTF8.self)), line("election.json\u{0}x", unmarked),
                    line("..", "{}"), line("count-B1.json", ScratchFeed.count("B1", a: 3, b: 2))].joined(separator: "\n") + "\n"
        try text.write(toFile: journal, atomically: true, encoding: .utf8)
        let into = feed.path + "/.into"
        let (status, _, err) = try RunningCommand.run(["rehearse", journal, "--into", into, "--speed", "max"])
        #expect(status == 0)
        #expect(err.contains(#"line 2: file: "election.json\u{0}x" contains a NUL character; skipped"#))
        #expect(err.contains(#"line 3: file: ".." is not a file name; skipped"#))
        let written = try String(contentsOfFile: into + "/election.json", encoding: .utf8)
        #expect(written.contains(#""rehearsal":true"#))
        #expect(try FileManager.default.contentsOfDirectory(atPath: into).sorted() == ["count-B1.json", "election.json"])
    }
}

/// SHA-256 as the journal writes it, by the system's own tool.
private func sha256(_ bytes: [UInt8]) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-sha-" + UUID().uuidString).path
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let pipe = popen("sha256sum '\(path)'", "r")
    defer { pclose(pipe) }
    var buffer = [CChar](repeating: 0, count: 128)
    fgets(&buffer, 128, pipe)
    return String(String(cString: buffer).prefix(64))
}
