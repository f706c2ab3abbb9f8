import Foundation
import Testing

/// `countnight enter` in real terminals: several operators on one feed, each
/// in a tmux server of their own (own -L socket, ended by the test also when
/// it fails), and a dashboard watching the same feed.
@Suite(.serialized, .enabled(if: TmuxScreen.mustRun, TmuxScreen.skipNote)) struct EnterCommandTests {
    let binary = RunningCommand.binary

    /// An operator's terminal running `enter` on the feed, at the box list.
    func operatorScreen(_ feed: ScratchFeed, _ name: String, extra: String = "") throws -> TmuxScreen {
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        try tmux.run("\(binary) enter \(feed.path) --operator \(name)\(extra); echo EXIT=$?")
        #expect(tmux.waitFor("CountNight enter · operator \(name)"))
        return tmux
    }

    /// Chooses a box and a kind from the list and opens its sheet.
    func open(_ tmux: TmuxScreen, _ box: String, count: Bool, expecting: String) throws {
        try tmux.type(box)
        #expect(tmux.waitFor("1 of 2 boxes"))
        if count {
            try tmux.press("Tab")
            #expect(tmux.waitFor("[Count]"))
        }
        try tmux.press("Enter")
        #expect(tmux.waitFor(expecting))
    }

    /// Types figures, each followed by Enter, as an operator reads them off the sheet.
    func typeFigures(_ tmux: TmuxScreen, _ figures: [Int]) throws {
        for figure in figures {
            try tmux.type(String(figure))
            try tmux.press("Enter")
        }
    }

    func batchFiles(_ feed: ScratchFeed) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: feed.path)) ?? []).filter { $0.hasSuffix(".json") && $0 != "election.json" && !$0.hasPrefix(".") }
    }

    func quit(_ tmux: TmuxScreen) throws {
        try tmux.press("Escape")
        try tmux.press("Escape")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func twoOperatorsTypingTheSameBoxWriteTheBatchThatTheDashboardShows() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let watch = try TmuxScreen.atPrompt(width: 100, height: 30)
        defer { watch.close() }
        try watch.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(watch.waitFor("AWAITING"))

        let alice = try operatorScreen(feed, "alice")
        defer { alice.close() }
        try open(alice, "B1", count: true, expecting: "FIRST ENTRY")
        // Ann, Bob, then the four reasons for rejection.
        try typeFigures(alice, [300, 150, 0, 0, 0, 2])
        #expect(alice.waitFor("Every field is typed"))
        try alice.press("Enter")
        #expect(alice.waitFor("Box B1 now needs its second entry, by someone other than alice."))
        #expect(alice.waitFor("2nd needed (alice)"))
        #expect(batchFiles(feed).isEmpty)
        #expect(watch.waitFor("Entries pending 1"))

        let bob = try operatorScreen(feed, "bob")
        defer { bob.close() }
        try open(bob, "B1", count: true, expecting: "SECOND ENTRY")
        // The second typist never sees the first's figures.
        #expect(!bob.screen.contains("300") && !bob.screen.contains("150"))
        try typeFigures(bob, [300, 150, 0, 0, 0, 2])
        try bob.press("Enter")
        #expect(bob.waitFor("Written c-count-B1-r1.json: entered by alice, confirmed by bob."))
        #expect(batchFiles(feed) == ["c-count-B1-r1.json"])

        #expect(watch.waitFor("COUNTING"))
        #expect(watch.waitUntil { $0.contains("300  66.67% LEADING") })
        #expect(watch.waitUntil { !$0.contains("Entries pending") })
        try watch.type("5")
        #expect(watch.waitFor("entered by alice, confirmed by bob"))
        // The other operator's list follows.
        #expect(alice.waitFor("written r1"))

        try quit(alice)
        try quit(bob)
        try watch.type("q")
        #expect(watch.waitFor("EXIT=0"))
    }

    @Test func aTypoInTheSecondEntryWritesNothingAndAThirdPersonResolvesIt() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let alice = try operatorScreen(feed, "alice")
        defer { alice.close() }
        try open(alice, "B2", count: false, expecting: "FIRST ENTRY")
        try typeFigures(alice, [400])
        try alice.press("Enter")
        #expect(alice.waitFor("now needs its second entry"))

        let bob = try operatorScreen(feed, "bob")
        defer { bob.close() }
        try open(bob, "B2", count: false, expecting: "SECOND ENTRY")
        try typeFigures(bob, [410])
        try bob.press("Enter")
        #expect(bob.waitFor("The two entries differ in Ballot papers. Nothing written;"))
        #expect(bob.waitFor("MISMATCH 1"))
        #expect(batchFiles(feed).isEmpty)
        // Neither typist may settle it.
        try bob.press("Enter")
        #expect(bob.waitFor("the two entries differ; someone who typed neither (not alice or bob)"))

        let carol = try operatorScreen(feed, "carol")
        defer { carol.close() }
        try open(carol, "B2", count: false, expecting: "MISMATCH · box B2")
        #expect(carol.lines.contains { $0.contains("Ballot papers") && $0.contains("400") && $0.contains("410") })
        try carol.type("1")
        #expect(carol.waitFor("Written c-verification-B2-r1.json: entered by alice, confirmed by bob,"))
        #expect(carol.screen.contains("resolved by carol."))
        let text = try String(contentsOfFile: feed.path + "/c-verification-B2-r1.json", encoding: .utf8)
        #expect(text.contains(#""ballotPapers":400"#) && text.contains(#""resolvedBy":"carol""#))
        try quit(alice)
        try quit(bob)
        try quit(carol)
    }

    @Test func anEnterKilledMidFormLosesNothingConfirmed() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let alice = try operatorScreen(feed, "alice")
        defer { alice.close() }
        try open(alice, "B1", count: true, expecting: "FIRST ENTRY")
        try typeFigures(alice, [300, 150])
        // A figure typed but not confirmed when the terminal dies.
        try alice.type("7")
        #expect(alice.waitUntil { $0.contains("150") && $0.contains("7▏") })
        guard let pid = alice.foregroundChild else {
            Issue.record("the enter process is not known")
            return
        }
        kill(pid, SIGKILL)
        #expect(alice.waitFor("EXIT=137"))
        // The killed process could not give the terminal back: the shell's
        // Enter no longer ends a line until the tty is made sane (Ctrl-J does).
        try alice.type("stty sane; tput rmcup; clear")
        try alice.press("C-j")
        #expect(alice.waitUntil { !$0.contains("FIRST ENTRY") })

        try alice.run("\(binary) enter \(feed.path) --operator alice; echo EXIT=$?")
        #expect(alice.waitFor("1st typing (alice)"))
        try open(alice, "B1", count: true, expecting: "Carrying on your first entry of box B1.")
        #expect(alice.lines.contains { $0.contains("Ann") && $0.contains("300") })
        #expect(alice.lines.contains { $0.contains("Bob") && $0.contains("150") })
        #expect(alice.lines.contains { $0.contains("▶ Rejected: want of official mark") && !$0.contains("7") })
        try alice.press("Escape")
        #expect(alice.waitFor("what was confirmed is kept"))
        try quit(alice)
    }

    @Test func aSingleEntryIsWrittenAtOnceAndTheDashboardCallsItUnconfirmed() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let watch = try TmuxScreen.atPrompt(width: 100, height: 30)
        defer { watch.close() }
        try watch.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(watch.waitFor("AWAITING"))
        let erin = try operatorScreen(feed, "erin", extra: " --single")
        defer { erin.close() }
        #expect(erin.screen.contains("SINGLE ENTRY"))
        try open(erin, "B2", count: false, expecting: "FIRST ENTRY")
        try typeFigures(erin, [321])
        try erin.press("Enter")
        #expect(erin.waitFor("Written c-verification-B2-r1.json: entered by erin alone"))
        #expect(erin.waitFor("single r1 (erin)"))
        #expect(watch.waitFor("VERIFYING"))
        #expect(watch.waitFor("Unconfirmed 1"))
        try quit(erin)
        try watch.type("q")
        #expect(watch.waitFor("EXIT=0"))
    }

    @Test func signalsGiveTheTerminalBackAsTheDashboardDoes() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try operatorScreen(feed, "alice")
        defer { tmux.close() }
        #expect(tmux.format("#{alternate_on}") == "1")
        guard let pid = tmux.foregroundChild else {
            Issue.record("the enter process is not known")
            return
        }
        kill(pid, SIGTERM)
        #expect(tmux.waitFor("EXIT=0"))
        #expect(tmux.format("#{alternate_on}") == "0")
        try tmux.run("\(binary) enter \(feed.path) --operator alice; echo EXIT=$?")
        #expect(tmux.waitFor("CountNight enter · operator alice"))
        guard let again = tmux.foregroundChild else {
            Issue.record("the enter process is not known")
            return
        }
        kill(again, SIGUSR1)
        #expect(tmux.waitFor("EXIT=138"))
        #expect(tmux.format("#{alternate_on}") == "0")
        #expect(tmux.format("#{cursor_flag}") == "1")
    }
}
