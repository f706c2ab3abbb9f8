import Foundation
import Testing

/// The snapshot's content without its time, to compare two snapshots.
/// A snapshot line without the times it was taken and its last batch arrived
/// (the reader's clock, which a replay and a live reading do not share).
func withoutTime(_ line: String) throws -> String {
    var object = try snapshotObject(line)
    object["time"] = nil
    object["lastBatchAt"] = nil
    return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

@Suite(.serialized) struct ReplayCommandTests {
    @Test func aHeadlessReplayEndsAtTheSnapshotOfTheFeed() throws {
        let (status, out, err) = try RunningCommand.run(["replay", RunningCommand.sample, "--headless", "--speed", "max"])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        // The start, then one after each of the 113 batch files.
        #expect(lines.count == 114)
        let (_, snapshot, _) = try RunningCommand.run(["snapshot", RunningCommand.sample])
        #expect(try withoutTime(lines.last!) == withoutTime(snapshot.trimmingCharacters(in: .newlines)))
        // Snapshot times are the replay clock: the night's own, in order.
        let times = try lines.map { try snapshotObject($0)["time"] as? String ?? "" }
        #expect(times.first == "2010-10-21T21:30:59Z")
        #expect(times == times.sorted())
        #expect(times.last == "2010-10-22T00:38:00Z")
        // The same source replays to the same sequence every time.
        let (_, again, _) = try RunningCommand.run(["replay", RunningCommand.sample, "--headless", "--speed", "max"])
        #expect(again == out)
    }

    /// `--out` gets the lines standard output would, byte for byte, in
    /// every format, and a second replay appends to them.
    @Test func aReplayOutFileHasTheLinesOfStandardOutputAppended() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for format in ["jsonl", "text", "nist"] {
            let arguments = ["replay", RunningCommand.sample, "--headless", "--speed", "max", "--every", "30m", "--format", format]
            let (status, out, err) = try RunningCommand.run(arguments)
            #expect(status == 0, "\(err)")
            let file = directory + "/night.\(format)"
            for _ in 0..<2 {
                let (written, nothing, _) = try RunningCommand.run(arguments + ["--out", file])
                #expect(written == 0)
                #expect(nothing.isEmpty)
            }
            let kept = try String(contentsOfFile: file, encoding: .utf8)
            #expect(out.hasSuffix("\n") && out.split(separator: "\n").count == 8, "\(format)")
            #expect(kept == out + out, "\(format)")
        }
    }

    @Test func aReplayKeepsToItsSpeed() throws {
        // The sample night is 11,221 seconds long: at 36,000 times, 0.31 s.
        let start = Date()
        let (status, out, _) = try RunningCommand.run(["replay", RunningCommand.sample, "--headless", "--speed", "36000", "--every", "1h"])
        #expect(status == 0)
        #expect(Date().timeIntervalSince(start) >= 0.3)
        #expect(out.split(separator: "\n").count == 5)
    }

    @Test func everyAndFromChooseWhichSnapshotsAreWritten() throws {
        let (status, out, _) = try RunningCommand.run(["replay", RunningCommand.sample, "--headless", "--speed", "max",
                                                       "--from", "1h", "--every", "30m", "--format", "text"])
        #expect(status == 0)
        let lines = out.split(separator: "\n").map(String.init)
        // From an hour after the start, then every half hour, and the end.
        #expect(lines.map { String($0.prefix(20)) } == ["2010-10-21T22:30:59Z", "2010-10-21T23:00:59Z", "2010-10-21T23:30:59Z",
                                                         "2010-10-22T00:00:59Z", "2010-10-22T00:30:59Z", "2010-10-22T00:38:00Z"])
        #expect(lines.last!.contains("mayor COMPLETE"))
    }

    @Test func aBatchWithAWrongClockInAFeedDirectoryIsReportedAndPlayedInItsPlace() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", #"{"contest": "c", "kind": "count", "box": "B1", "at": "2026-05-07T22:00:00Z", "votes": {"a": 10, "b": 5}}"#)
        try feed.land("b2.json", #"{"contest": "c", "kind": "count", "box": "B2", "at": "9999-01-01T00:00:00Z", "votes": {"a": 3, "b": 4}}"#)
        let start = Date()
        let (status, out, err) = try RunningCommand.run(["replay", feed.path, "--headless", "--speed", "60", "--every", "5m", "--format", "text"])
        #expect(status == 0)
        // Played at once after the batch before it, not in 7,973 years; one snapshot a batch, not one every 5 minutes of them.
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(out.split(separator: "\n").count <= 3)
        #expect(out.split(separator: "\n").last?.contains("c COMPLETE") == true)
        #expect(err.contains("b2.json: at 9999-01-01T00:00:00.000Z is far from the entries around it"), "\(err)")
    }

    @Test func recordThenReplayGivesTheSameTalliesInTheSameOrder() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let journal = feed.path + ".journal"
        defer { unlink(journal) }
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.05", "--record", journal])
        defer { watch.terminate() }
        #expect(watch.wait { watch.stdoutLines.count == 1 })
        try feed.land("b1.json", ScratchFeed.count("B1", a: 10, b: 5))
        #expect(watch.wait { watch.stdoutLines.count == 2 })
        try feed.land("b2.json", #"{"contest": "c", "kind": "count", "box": "B2", "votes": {"a": 1, "b": 0.5}}"#)
        #expect(watch.wait { watch.stdoutLines.count == 3 })
        try feed.land("b1-fix.json", ScratchFeed.count("B1", a: 12, b: 5, revision: 2))
        #expect(watch.wait { watch.stdoutLines.count == 4 })
        try feed.land("b2.json", ScratchFeed.count("B2", a: 3, b: 4))
        #expect(watch.wait { watch.stdoutLines.count == 5 })
        watch.signal(SIGTERM)
        #expect(watch.finish() == 0)

        let (status, out, err) = try RunningCommand.run(["replay", journal, "--headless", "--speed", "max"])
        #expect(status == 0, "\(err)")
        let replayed = try out.split(separator: "\n").map { try withoutTime(String($0)) }
        let live = try watch.stdoutLines.map { try withoutTime($0) }
        #expect(replayed == live)
        #expect(err.contains("refused: b2.json: votes.b: 0.5 is not a whole number"))

        // A writer killed mid-line: the torn line is reported, the rest replays.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"arrived": "2026-11-28T00:00:00.000Z", "file": "b3.js"#.utf8))
        handle.closeFile()
        let (tornStatus, tornOut, tornErr) = try RunningCommand.run(["replay", journal, "--headless", "--speed", "max"])
        #expect(tornStatus == 0)
        #expect(tornOut == out)
        #expect(tornErr.contains("countnight: \(journal): line 6: incomplete, the writer stopped mid-line; skipped"))
    }

    @Test func aRehearsalFeedEndsAtTheTallyOfItsSource() throws {
        let into = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-rehearsal-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: into) }
        // The night's three hours in about five seconds, watched as it lands.
        let rehearse = try RunningCommand(["rehearse", RunningCommand.sample, "--into", into, "--speed", "2000"])
        defer { rehearse.terminate() }
        #expect(rehearse.wait { FileManager.default.fileExists(atPath: into + "/election.json") })
        let watch = try RunningCommand(["watch", into, "--headless", "--interval", "0.1", "--until-complete"])
        defer { watch.terminate() }
        #expect(rehearse.finish() == 0)
        #expect(rehearse.stderr.contains("rehearsal: wrote 113 of 113 files into \(into)"))
        #expect(watch.finish() == 0)
        // It saw the night as it went, not all at once.
        #expect(watch.stdoutLines.count > 10)
        let names = try FileManager.default.contentsOfDirectory(atPath: into)
        #expect(names.count == 114)
        #expect(!names.contains { $0.hasPrefix(".") })
        let last = try snapshotObject(watch.stdoutLines.last ?? "{}")
        #expect(last["rehearsal"] as? Bool == true)
        let (_, source, _) = try RunningCommand.run(["snapshot", RunningCommand.sample])
        var expected = try snapshotObject(source.trimmingCharacters(in: .newlines))
        expected["rehearsal"] = true
        expected["time"] = nil
        expected["lastBatchAt"] = nil
        var got = last
        got["time"] = nil
        got["lastBatchAt"] = nil
        #expect(NSDictionary(dictionary: got).isEqual(to: expected))

        // Not into a directory that holds something, unless forced.
        let (refused, _, refusedErr) = try RunningCommand.run(["rehearse", RunningCommand.sample, "--into", into])
        #expect(refused == 64)
        #expect(refusedErr.contains("--into \(into) is not empty (114 entries); rehearse into an empty directory, or add --force"))
        let (forced, _, _) = try RunningCommand.run(["rehearse", RunningCommand.sample, "--into", into, "--speed", "max", "--force"])
        #expect(forced == 0)
    }

    @Test func rehearsalStopsCleanlyOnCtrlC() throws {
        let into = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-rehearsal-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: into) }
        let rehearse = try RunningCommand(["rehearse", RunningCommand.sample, "--into", into, "--speed", "600"])
        #expect(rehearse.wait { ((try? FileManager.default.contentsOfDirectory(atPath: into)) ?? []).count > 3 })
        rehearse.signal(SIGINT)
        #expect(rehearse.finish() == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: into)
        #expect(names.count < 114)
        #expect(!names.contains { $0.hasPrefix(".") })
        for name in names where name != "election.json" {
            let data = try Data(contentsOf: URL(fileURLWithPath: into + "/" + name))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name) is not whole")
        }
        #expect(rehearse.stderr.contains("rehearsal: wrote "))
    }

    @Test func badReplayArgumentsAreRefusedWithTheReason() throws {
        let cases: [([String], String)] = [
            (["replay", RunningCommand.sample, "--speed", "0"], "--speed"),
            (["replay", RunningCommand.sample, "--speed", "fast"], "--speed"),
            (["replay", RunningCommand.sample, "--headless", "--every", "often"], "--every must be a duration such as 90s, 5m or 1h30m, not often"),
            (["replay", RunningCommand.sample, "--from", "midnight"], "--from must be an RFC 3339 time"),
            (["replay", RunningCommand.sample, "--every", "5m"], "--every goes with --headless"),
            (["rehearse", RunningCommand.sample], "Missing expected argument '--into <into>'"),
        ]
        for (arguments, message) in cases {
            let (status, _, err) = try RunningCommand.run(arguments)
            #expect(status == 64, "\(arguments)")
            #expect(err.contains(message), "\(arguments): \(err)")
        }
        let (missing, _, missingErr) = try RunningCommand.run(["replay", "/nonexistent/night", "--headless"])
        #expect(missing == 2)
        #expect(missingErr == "countnight: /nonexistent/night: cannot read: No such file or directory\n")
    }
}
