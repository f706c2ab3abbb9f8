import Foundation
import Testing

/// Issue 11, the terminal: whatever ends the dashboard gives the terminal
/// back first, also under a shell that repairs nothing itself (dash), and
/// no backtrace is drawn over the screen.
@Suite(.serialized, .enabled(if: TmuxScreen.mustRun, TmuxScreen.skipNote)) struct TerminalSignalTests {
    let binary = RunningCommand.binary

    /// The dashboard on a new feed, started from dash, which neither leaves
    /// the alternate screen, shows the cursor nor resets the line discipline
    /// after a program; after it the shell says the exit status and the tty's
    /// modes. The feed is returned to be kept until the test ends.
    private func dashboardUnderDash(term: String? = nil) throws -> (TmuxScreen, ScratchFeed) {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        try tmux.run("exec dash")
        let environment = term.map { "TERM=\($0) " } ?? ""
        try tmux.run("clear; \(environment)\(binary) watch \(feed.path); echo EXIT=$?; \(DashboardTests.sttyCheck)")
        #expect(tmux.waitFor("AWAITING"))
        return (tmux, feed)
    }

    /// Asserts that the screen is the shell's again, as a person would find it.
    private func expectTerminalGivenBack(_ tmux: TmuxScreen, exit status: Int, after what: String) {
        #expect(tmux.waitFor("EXIT=\(status)"), "\(what): \(tmux.screen)")
        #expect(tmux.waitFor("icanon echo"), "\(what): the tty is not sane: \(tmux.screen)")
        #expect(tmux.format("#{alternate_on}") == "0", "\(what): still on the alternate screen")
        #expect(tmux.format("#{cursor_flag}") == "1", "\(what): the cursor is still hidden")
        let screen = tmux.screen
        #expect(!screen.contains("AWAITING"), "\(what): the dashboard is still on screen: \(screen)")
        for backtrace in ["crashed", "Backtrac", "Press space", "Thread 0"] {
            #expect(!screen.contains(backtrace), "\(what): a backtrace on screen: \(screen)")
        }
    }

    @Test(arguments: [(SIGQUIT, 0), (SIGUSR1, 128 + 10), (SIGALRM, 128 + 14), (SIGUSR2, 128 + 12)])
    func aSignalThatEndsTheDashboardGivesTheTerminalBackFirst(signal: Int32, exit status: Int) throws {
        let (tmux, feed) = try dashboardUnderDash()
        defer { withExtendedLifetime(feed) { tmux.close() } }
        #expect(tmux.format("#{alternate_on}") == "1")
        kill(try #require(tmux.foregroundChild), signal)
        expectTerminalGivenBack(tmux, exit: status, after: "signal \(signal)")
    }

    @Test func ctrlBackslashQuitsLikeQ() throws {
        let (tmux, feed) = try dashboardUnderDash()
        defer { withExtendedLifetime(feed) { tmux.close() } }
        try tmux.press("C-\\")
        expectTerminalGivenBack(tmux, exit: 0, after: "Ctrl-\\")
    }

    @Test func sigpipeIsIgnoredByTheDashboard() throws {
        let (tmux, feed) = try dashboardUnderDash()
        defer { withExtendedLifetime(feed) { tmux.close() } }
        kill(try #require(tmux.foregroundChild), SIGPIPE)
        // Had SIGPIPE ended it, the shell would already say EXIT=141: a
        // signal is acted on before the process reads another key.
        try tmux.type("q")
        expectTerminalGivenBack(tmux, exit: 0, after: "SIGPIPE, then q")
    }

    /// vt100 and the Linux console have no alternate screen: the dashboard
    /// would stay for the next output to write over.
    @Test(arguments: ["vt100", "linux"])
    func withoutAnAlternateScreenQuittingClearsTheScreen(term: String) throws {
        let (tmux, feed) = try dashboardUnderDash(term: term)
        defer { withExtendedLifetime(feed) { tmux.close() } }
        #expect(tmux.format("#{alternate_on}") == "0")
        try tmux.type("q")
        expectTerminalGivenBack(tmux, exit: 0, after: "q on TERM=\(term)")
        #expect(!tmux.screen.contains("End to End"))
        #expect(tmux.lines.first == "EXIT=0")
    }
}

@Suite struct BrokenPipeTests {
    /// `countnight snapshot FEED | head -0`: the reader is gone before the
    /// first write, which fails as any output can; nothing dies of SIGPIPE.
    @Test func aReaderThatWentAwayIsOutputThatFailed() throws {
        let command = try RunningCommand(["snapshot", RunningCommand.sample], outputReaderClosed: true)
        #expect(command.finish() == 3)
        #expect(command.stderr.contains("countnight: standard output: Broken pipe"), "\(command.stderr)")
    }
}
