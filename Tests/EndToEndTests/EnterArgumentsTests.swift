import Foundation
import Testing

/// `enter` and `check` without a terminal: what they refuse and report.
@Suite struct EnterArgumentsTests {
    @Test func enterRefusesWhatItCannotUse() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let (badName, _, badNameErr) = try RunningCommand.run(["enter", feed.path, "--operator", "alice smith"])
        #expect(badName == 64)
        #expect(badNameErr.contains("--operator alice smith: \"alice smith\" is not a valid id"))
        let (missing, _, missingErr) = try RunningCommand.run(["enter", feed.path])
        #expect(missing == 64)
        #expect(missingErr.contains("Missing expected argument '--operator <operator>'"))
        // Standard input and output are pipes here.
        let (noTerminal, out, err) = try RunningCommand.run(["enter", feed.path, "--operator", "alice"])
        #expect(noTerminal == 2)
        #expect(out.isEmpty)
        #expect(err == "countnight: enter needs a terminal: standard output is not a terminal\n")
        // Nothing was made in the feed.
        #expect(!FileManager.default.fileExists(atPath: feed.path + "/.countnight-entry"))
        let (help, helpOut, _) = try RunningCommand.run(["enter", "--help"])
        #expect(help == 0 && helpOut.contains("Example"))
    }

    @Test func checkCountsTheBoxesAwaitingTheirSecondTyping() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try FileManager.default.createDirectory(atPath: feed.path + "/.countnight-entry", withIntermediateDirectories: false)
        let first = #"{"contest":"c","kind":"count","box":"B1","revision":1,"role":"first","operator":"alice","figures":{"votes.a":3},"complete":true}"#
        try first.write(toFile: feed.path + "/.countnight-entry/c~count~B1~r1~first.json", atomically: true, encoding: .utf8)
        let (status, out, err) = try RunningCommand.run(["check", feed.path])
        // Entries not yet written are no problem of the feed.
        #expect(status == 0)
        #expect(out.isEmpty)
        #expect(err.contains("entries pending: 1 box typed with countnight enter await a second typing or a resolution (not yet in the feed)"))
    }
}
