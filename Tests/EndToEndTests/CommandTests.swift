import Foundation
import Testing

@Suite(.serialized) struct SnapshotAndCheckCommandTests {
    @Test func snapshotOfTheSamplePrintsTheDeclaredFigures() throws {
        let (status, out, err) = try RunningCommand.run(["snapshot", RunningCommand.sample])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 1)
        let snapshot = try snapshotObject(String(lines[0]))
        #expect(snapshot["election"] as? String == "th-mayor-2010")
        let mayor = contest(snapshot)
        #expect(mayor["status"] as? String == "complete")
        #expect(votes(mayor) == ["rahman": 23283, "abbas": 11254, "king": 5348, "griffiths": 2800, "duffell": 2300])
        #expect(mayor["ballotPapers"] as? Int == 46719)
        #expect(mayor["rejected"] as? Int == 1734)
        #expect(mayor["winners"] as? [String] == ["rahman"])
        #expect((mayor["turnout"] as? Double).map { abs($0 - 46719.0 / 182482.0) < 1e-12 } == true)
    }

    @Test func snapshotAsTextReadsLikeADeclaration() throws {
        let (status, out, _) = try RunningCommand.run(["snapshot", RunningCommand.sample, "--format", "text"])
        #expect(status == 0)
        #expect(out.contains("Mayor of Tower Hamlets (sv): COMPLETE"))
        #expect(out.contains("Lutfur Rahman (Independent)             23,283   51.76%  ELECTED"))
        #expect(out.contains("Alan Duffell (Green)                     2,300    5.11%"))
        #expect(out.contains("turnout: 25.60% of 182,482"))
        #expect(out.contains("majority: 12,029"))
    }

    @Test func noArgumentsShowsTheSampleCount() throws {
        let (status, out, _) = try RunningCommand.run([])
        #expect(status == 0)
        #expect(out.contains("CountNight sample"))
        #expect(out.contains("23,283"))
    }

    @Test func checkExitsZeroOnACleanFeed() throws {
        let (status, out, err) = try RunningCommand.run(["check", RunningCommand.sample])
        #expect(status == 0)
        #expect(out.isEmpty)
        #expect(err.contains("0 refused, 0 in conflict"))
    }

    @Test func checkListsRefusedFilesAndConflictsAndExitsOne() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 10, b: 5))
        try feed.land("b1-again.json", ScratchFeed.count("B1", a: 11, b: 5))
        try feed.land("bad.json", #"{"contest": "c", "kind": "count", "box": "B2", "votes": {"a": 1}}"#)
        let (status, out, _) = try RunningCommand.run(["check", feed.path])
        #expect(status == 1)
        #expect(out.split(separator: "\n") == [
            #"bad.json: votes: no entry for candidate "b"; a count gives every candidate's votes, 0 included"#,
            "b1-again.json, b1.json: conflict: c count box=B1 revision 1 has different figures in these files; nothing counts for it until a higher revision arrives",
        ])
    }

    @Test func anInvalidElectionExitsTwoWithThePlaceAndNoStackTrace() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes.replacingOccurrences(of: #""B2""#, with: #""B 2""#))
        for command in ["check", "snapshot"] {
            let (status, out, err) = try RunningCommand.run([command, feed.path])
            #expect(status == 2)
            #expect(out.isEmpty)
            #expect(err == "countnight: \(feed.path)/election.json: contests[0].boxes[1].id: \"B 2\" is not a valid id: use only A-Z a-z 0-9 . _ -\n")
        }
        let (status, _, err) = try RunningCommand.run(["snapshot", "/nonexistent/feed"])
        #expect(status == 2)
        #expect(err == "countnight: /nonexistent/feed: cannot read the feed directory: No such file or directory\n")
    }

    @Test func badArgumentsGiveTheUsageError() throws {
        let (status, _, err) = try RunningCommand.run(["snapshot", RunningCommand.sample, "--format", "xml"])
        #expect(status == 64)
        #expect(err.contains("--format"))
        let (missing, _, missingErr) = try RunningCommand.run(["check"])
        #expect(missing == 64)
        #expect(missingErr.contains("Missing expected argument '<feed>'"))
        let (interval, _, intervalErr) = try RunningCommand.run(["watch", "x", "--headless", "--interval", "0"])
        #expect(interval == 64)
        #expect(intervalErr.contains("--interval must be a positive number of seconds, from 0.01 to 3600, not 0"))
    }

    @Test func helpGivesAnExample() throws {
        for command in ["snapshot", "check", "watch", "replay", "rehearse", "calibrate"] {
            let (status, out, _) = try RunningCommand.run([command, "--help"])
            #expect(status == 0)
            #expect(out.contains("Example"))
        }
    }
}

@Suite(.serialized) struct HeadlessWatchTests {
    @Test func snapshotsFollowFilesAsTheyLandAreCorrectedDeletedAndFixed() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.1"])
        defer { watch.terminate() }
        #expect(watch.wait { watch.stdoutLines.count == 1 })
        #expect(contest(try snapshotObject(watch.stdoutLines[0]))["status"] as? String == "awaiting")

        try feed.land("b1.json", ScratchFeed.count("B1", a: 10, b: 5))
        #expect(watch.wait { watch.stdoutLines.count == 2 })
        #expect(votes(contest(try snapshotObject(watch.stdoutLines[1]))) == ["a": 10, "b": 5])

        // Nothing changes, though a poll reads a file again (the same bytes
        // landed anew) and a file that is no batch lands: nothing is written.
        // Were anything written, the next line would not be the correction.
        try feed.land("b1.json", ScratchFeed.count("B1", a: 10, b: 5))
        try feed.land("notes.txt", "not a batch")
        try feed.land("b1-fix.json", ScratchFeed.count("B1", a: 12, b: 5, revision: 2))
        #expect(watch.wait { watch.stdoutLines.count >= 3 })
        #expect(votes(contest(try snapshotObject(watch.stdoutLines[2]))) == ["a": 12, "b": 5])

        try feed.land("b2.json", #"{"contest": "c", "kind": "count", "box": "B2", "votes": {"a": 1, "b": 0.5}}"#)
        #expect(watch.wait { watch.stdoutLines.count == 4 })
        let refused = try snapshotObject(watch.stdoutLines[3])
        #expect((refused["rejectedFiles"] as? [[String: Any]])?.first?["file"] as? String == "b2.json")
        #expect(votes(contest(refused)) == ["a": 12, "b": 5])
        #expect(watch.wait { watch.stderr.contains("refused: b2.json: votes.b: 0.5 is not a whole number") })

        try feed.remove("b1.json")
        #expect(watch.wait { watch.stderr.contains("deleted: b1.json") })
        try feed.land("b2.json", ScratchFeed.count("B2", a: 3, b: 4))
        #expect(watch.wait { watch.stdoutLines.count == 5 })
        let fixed = try snapshotObject(watch.stdoutLines[4])
        #expect((fixed["rejectedFiles"] as? [Any])?.isEmpty == true)
        #expect(votes(contest(fixed)) == ["a": 15, "b": 9])
        #expect(contest(fixed)["status"] as? String == "complete")

        watch.signal(SIGTERM)
        #expect(watch.finish() == 0)
    }

    @Test func sigintEndsWithStatusZero() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--format", "text"])
        #expect(watch.wait { watch.stdoutLines.count == 1 })
        #expect(watch.stdoutLines[0].contains("c AWAITING boxes 0/2 verified 0/2 counted"))
        watch.signal(SIGINT)
        #expect(watch.finish() == 0)
    }

    @Test func untilCompleteExitsOnceEveryContestIsComplete() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let out = feed.url.appendingPathComponent("log.jsonl")
        try Data("earlier line\n".utf8).write(to: out)
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.05", "--until-complete", "--out", out.path])
        try feed.land("b1.json", ScratchFeed.count("B1", a: 1, b: 2))
        try feed.land("b2.json", ScratchFeed.count("B2", a: 3, b: 4))
        #expect(watch.finish() == 0)
        #expect(watch.stdout.isEmpty)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "earlier line")
        #expect(lines.count >= 2)
        #expect(contest(try snapshotObject(String(lines.last!)))["status"] as? String == "complete")
    }

    @Test func aFeedDirectoryThatGoesAwayIsReportedAndReadAgainWhenBack() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.05"])
        defer { watch.terminate() }
        #expect(watch.wait { watch.stdoutLines.count == 1 })
        let away = feed.path + "-away"
        try FileManager.default.moveItem(atPath: feed.path, toPath: away)
        #expect(watch.wait { watch.stderr.contains("cannot read the feed directory") })
        // A snapshot says so, for a downstream system to tell a stale feed from a quiet one.
        #expect(watch.wait { watch.stdoutLines.count == 2 })
        #expect(watch.stdoutLines[1].contains(#""feed":{"answering":false,"problem":"#))
        try Data(ScratchFeed.count("B1", a: 7, b: 0).utf8).write(to: URL(fileURLWithPath: away + "/b1.json"))
        try FileManager.default.moveItem(atPath: away, toPath: feed.path)
        #expect(watch.wait { watch.stdoutLines.count == 3 })
        #expect(votes(contest(try snapshotObject(watch.stdoutLines[2]))) == ["a": 7, "b": 0])
        #expect(watch.stdoutLines[2].contains(#""feed":{"answering":true}"#))
        #expect(watch.wait { watch.stderr.contains("the feed directory can be read again") })
    }
}
