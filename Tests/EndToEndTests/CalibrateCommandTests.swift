import Foundation
import Testing

@Suite(.serialized) struct CalibrateCommandTests {
    @Test func calibratingTheSampleReportsNoWrongCall() throws {
        let (status, out, err) = try RunningCommand.run(["calibrate", RunningCommand.sample, "--nights", "30", "--seed", "4"])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == "mayor: the complete count elects Lutfur Rahman")
        #expect(lines.contains("  30 nights, random order, verifications first, seed 4, 40 count batches each"))
        #expect(lines.contains("  wrong calls:       0 (in 0 of 30 nights)"))
        #expect(lines.contains { $0.hasPrefix("  Brier score:       0.") })
        // The same seed gives the same report.
        let (_, again, _) = try RunningCommand.run(["calibrate", RunningCommand.sample, "--nights", "30", "--seed", "4"])
        #expect(again == out)
    }

    @Test func anIncompleteCountCannotBeCalibrated() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 10, b: 5))
        let (status, out, err) = try RunningCommand.run(["calibrate", feed.path])
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.contains("countnight: c: the count is not complete in \(feed.path), so there is no result to check the projection against"))
        #expect(err.contains("countnight: nothing to calibrate: no contest in \(feed.path) has a complete count"))
    }

    @Test func badCalibrateArgumentsAreRefusedWithTheReason() throws {
        let (nights, _, nightsErr) = try RunningCommand.run(["calibrate", RunningCommand.sample, "--nights", "0"])
        #expect(nights == 64)
        #expect(nightsErr.contains("--nights must be between 1 and 100000, not 0"))
        let (order, _, orderErr) = try RunningCommand.run(["calibrate", RunningCommand.sample, "--order", "sideways"])
        #expect(order == 64)
        #expect(orderErr.contains("random") && orderErr.contains("strongholds-first") && orderErr.contains("smallest-first"))
        let (contest, _, contestErr) = try RunningCommand.run(["calibrate", RunningCommand.sample, "--contest", "council"])
        #expect(contest == 2)
        #expect(contestErr.contains("has no contest \"council\"; it has mayor"))
    }

    @Test func theSnapshotCarriesTheProjection() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 240, b: 160))
        let (status, out, _) = try RunningCommand.run(["snapshot", feed.path])
        #expect(status == 0)
        let projection = try #require(contest(try snapshotObject(out))["projection"] as? [String: Any])
        // Neither box is verified: each adds its electorate of 500, less the
        // 400 counted of B1. A lead of 80 in one box of two decides nothing.
        #expect(projection["status"] as? String == "too-early")
        #expect(projection["remainingBallots"] as? Int == 600)
        #expect(projection["hurdle"] as? Double == 0.5667)  // (600 + 80) / 1,200, to four places
        #expect((projection["shares"] as? [[String: Any]])?.first?["id"] as? String == "a")
        try feed.land("b2.json", ScratchFeed.count("B2", a: 100, b: 50))
        let (_, final, _) = try RunningCommand.run(["snapshot", feed.path])
        let done = try #require(contest(try snapshotObject(final))["projection"] as? [String: Any])
        #expect(done["status"] as? String == "final")
        #expect(done["winner"] as? String == "a")
    }
}

/// Issue 11: calibrate's report carries candidates' names from the feed;
/// they are escaped as in every text output.
@Suite struct CalibrateEscapingTests {
    @Test func aNameWithControlCharactersIsEscapedInTheReport() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes.replacingOccurrences(of: #""name": "Ann""#, with: #""name": "Ann\u001b[2J\nall: OK""#))
        try feed.land("b1.json", ScratchFeed.count("B1", a: 300, b: 100))
        try feed.land("b2.json", ScratchFeed.count("B2", a: 280, b: 120))
        let (status, out, _) = try RunningCommand.run(["calibrate", feed.path, "--nights", "2"])
        #expect(status == 0)
        #expect(out.hasPrefix(#"c: the complete count elects Ann\u{1B}[2J\nall: OK"#))
        #expect(!out.contains("\u{1B}"))
        #expect(!out.contains("\nall: OK"))
    }
}

/// Every command that writes output says in its help that a failed write
/// exits 3 (README, "Exit status").
@Suite struct HelpExitStatusTests {
    @Test func everyCommandThatWritesOutputNamesExitStatusThree() throws {
        for command in [[], ["snapshot"], ["check"], ["watch"], ["replay"], ["calibrate"]] {
            let (status, out, _) = try RunningCommand.run(command + ["--help"])
            #expect(status == 0)
            let flat = out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains("; 3 "), "\(command) --help does not mention exit status 3")
        }
    }
}
