import Foundation
import Testing

/// A private tmux server with one window running a shell, for driving the
/// real dashboard as a person would: keys in, screen text out.
final class TmuxScreen {
    let socket = "countnight-test-" + UUID().uuidString.prefix(8)

    init(width: Int, height: Int) throws {
        // A plain shell with a fixed prompt, so that the test can see it come back.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)",
                  "env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp", "TERM=tmux-256color", "LANG=C.UTF-8", "PS1=READY$ ", "sh"])
        try tmux(["set", "-g", "status", "off"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// A new screen, once its shell shows the prompt.
    static func atPrompt(width: Int, height: Int) throws -> TmuxScreen {
        let screen = try TmuxScreen(width: width, height: height)
        #expect(screen.waitFor("READY$"))
        return screen
    }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    }

    /// Runs a tmux command and waits for it with waitpid. Its output goes
    /// through a file, not a pipe: the server that the first command starts
    /// would hold a pipe open for ever.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(output) }
        let argv = (["/usr/bin/tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// The process the shell in the window is running now (the dashboard).
    var foregroundChild: pid_t? {
        guard let shell = pid_t(((try? tmux(["list-panes", "-t", "main", "-F", "#{pane_pid}"])) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// Types a command line at the shell prompt and runs it.
    func run(_ commandLine: String) throws {
        try type(commandLine)
        try press("Enter")
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", "main", "-l", text]) }
    func press(_ key: String) throws { try tmux(["send-keys", "-t", "main", key]) }
    func resize(width: Int, height: Int) throws { try tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"]) }
    var screen: String { (try? tmux(["capture-pane", "-p", "-t", "main"])) ?? "" }
    var lines: [String] { screen.components(separatedBy: "\n") }

    /// Waits until the screen shows `text`; returns whether it did.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 10) -> Bool {
        waitUntil(seconds: seconds) { $0.contains(text) }
    }

    @discardableResult
    func waitUntil(seconds: Double = 10, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(screen) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition(screen)
    }
}

@Suite(.serialized, .enabled(if: TmuxScreen.available)) struct DashboardTests {
    let binary = RunningCommand.binary

    @Test func figuresChangeAsFilesLandAndViewsSwitch() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        try tmux.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(tmux.waitFor("AWAITING"))
        #expect(tmux.screen.contains("End to End · Council"))
        #expect(tmux.screen.contains("verified 0/2   counted 0/2"))

        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        #expect(tmux.waitFor("COUNTING"))
        #expect(tmux.waitUntil { $0.contains("120  60.00% LEADING") })
        #expect(tmux.screen.contains("counted 1/2"))

        try feed.land("b2.json", ScratchFeed.count("B2", a: 10, b: 90))
        #expect(tmux.waitFor("COMPLETE"))
        #expect(tmux.waitUntil { $0.contains("170  56.67%") && $0.contains("ELECTED") })
        #expect(tmux.screen.contains("Majority 40"))

        // A bad file: counted on the overview, explained in the log.
        try feed.land("bad.json", #"{"contest": "c", "kind": "count", "box": "B2", "votes": {"a": 1.5, "b": 0}}"#)
        #expect(tmux.waitFor("Refused files 1"))
        try tmux.type("5")
        #expect(tmux.waitFor("REFUSED   bad.json: votes.a: 1.5 is not a whole number"))
        #expect(tmux.screen.contains("accepted   b2.json: c count box=B2 revision 1"))

        try tmux.type("3")
        #expect(tmux.waitFor("State"))
        #expect(tmux.screen.contains("B1"))
        #expect(tmux.lines.contains { $0.contains("B2") && $0.contains("counted") && $0.contains("100") })

        try tmux.type("2")
        #expect(tmux.waitFor("Turnout"))
        #expect(tmux.screen.contains("(boxes without"))

        try tmux.type("4")
        #expect(tmux.waitFor("Share of valid votes against ballots counted"))

        try tmux.type("?")
        #expect(tmux.waitFor("CountNight keys"))
        try tmux.type("1")
        #expect(tmux.waitUntil { !$0.contains("CountNight keys") })

        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
        #expect(tmux.lines.last { !$0.isEmpty } == "READY$")
    }

    @Test func theLayoutFollowsResizesAndATooSmallTerminalSaysSo() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        try tmux.run("\(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("LEADING"))
        #expect(!tmux.screen.contains("Tab next"))

        try tmux.resize(width: 140, height: 40)
        #expect(tmux.waitFor("Tab next"))
        // The header's right end (state and clock) moves to the new edge.
        #expect(tmux.waitUntil { $0.components(separatedBy: "\n")[0].count > 130 })
        #expect(tmux.lines[0].contains("COUNTING"))

        try tmux.resize(width: 60, height: 20)
        #expect(tmux.waitFor("Need 80×24, now 60×20. CountNight: enlarge the terminal"))

        try tmux.resize(width: 80, height: 24)
        #expect(tmux.waitFor("LEADING"))
        #expect(!tmux.screen.contains("Need 80×24"))

        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    /// What stty says of the line discipline: "icanon echo" when sane.
    static let sttyCheck = "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ' '; echo"

    @Test func theTerminalIsSaneAfterSigtermAndCtrlC() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        try tmux.run("\(binary) watch \(feed.path); echo EXIT=$?; \(Self.sttyCheck)")
        #expect(tmux.waitFor("AWAITING"))
        kill(try #require(tmux.foregroundChild), SIGTERM)
        #expect(tmux.waitFor("EXIT=0"))
        #expect(tmux.waitFor("icanon echo"))
        #expect(!tmux.screen.contains("AWAITING"))

        try tmux.run("clear; \(binary) watch \(feed.path); echo EXIT=$?; \(Self.sttyCheck)")
        #expect(tmux.waitFor("AWAITING"))
        try tmux.press("C-c")
        #expect(tmux.waitFor("EXIT=0"))
        #expect(tmux.waitFor("icanon echo"))
        #expect(!tmux.screen.contains("AWAITING"))
    }

    @Test func replayKeysPauseStepJumpAndChangeSpeed() throws {
        let tmux = try TmuxScreen.atPrompt(width: 100, height: 30)
        // So slow that nothing lands before the keys do.
        try tmux.run("\(binary) replay \(RunningCommand.sample) --speed 0.01; echo EXIT=$?")
        #expect(tmux.waitFor("REPLAY ×0.01 · AWAITING"))
        try tmux.type(" ")
        #expect(tmux.waitFor("REPLAY PAUSED ×0.01"))
        for _ in 0..<3 { try tmux.press("Right") }
        #expect(tmux.waitFor("  3/113"))
        #expect(tmux.waitFor("verified 3/72"))
        try tmux.press("Left")
        #expect(tmux.waitFor("  2/113"))
        #expect(tmux.waitFor("verified 2/72"))
        try tmux.press("End")
        #expect(tmux.waitFor("113/113"))
        #expect(tmux.waitFor("ELECTED: Lutfur Rahman"))
        try tmux.press("Home")
        #expect(tmux.waitFor("  0/113"))
        #expect(tmux.waitFor("AWAITING"))
        try tmux.type("++")
        #expect(tmux.waitFor("REPLAY PAUSED ×0.04"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func noArgumentsReplaysTheSampleWithItsBanner() throws {
        let tmux = try TmuxScreen.atPrompt(width: 100, height: 30)
        try tmux.run("\(binary); echo EXIT=$?")
        #expect(tmux.waitFor("SAMPLE night replayed, per-box split illustrative · a real feed: countnight watch FEED"))
        // The whole night in about two minutes: 3 hours 9 minutes at 94 times.
        #expect(tmux.waitFor("REPLAY ×94"))
        #expect(!tmux.screen.contains("ELECTED"))
        try tmux.press("End")
        #expect(tmux.waitFor("113/113"))
        #expect(tmux.waitFor("ELECTED"))
        #expect(tmux.lines.contains { $0.contains("Lutfur Rahman") && $0.contains("23,283  51.76% ELECTED") })
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func aDumbTerminalIsToldToUseHeadlessAndSighupQuitsCleanly() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 120, height: 24)
        try tmux.run("TERM=dumb \(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("EXIT=2"))
        #expect(tmux.screen.contains("cannot show the dashboard: TERM is dumb. Use --headless"))

        try tmux.run("clear; \(binary) watch \(feed.path); echo EXIT=$?; \(Self.sttyCheck)")
        #expect(tmux.waitFor("AWAITING"))
        kill(try #require(tmux.foregroundChild), SIGHUP)
        #expect(tmux.waitFor("EXIT=0"))
        #expect(tmux.waitFor("icanon echo"))
    }

    @Test func withNoColorBoldAndReverseCarryTheMeaning() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        try feed.land("b2.json", ScratchFeed.count("B2", a: 10, b: 10))
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        try tmux.run("NO_COLOR=1 \(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("ELECTED"))
        let styled = try tmux.tmux(["capture-pane", "-p", "-e", "-t", "main"])
        // No foreground or background colour anywhere, but bold and reverse.
        #expect(styled.range(of: #"\[(3[0-7]|38;5;\d+|4[0-7])m"#, options: .regularExpression) == nil)
        #expect(styled.contains("\u{1B}[1m"))
        #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func aFeedThatGoesAwayIsWarnedOfInTheHeader() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 160, height: 30)
        // A feed directory that goes away is shown in the header, not printed over it.
        try tmux.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(tmux.waitFor("AWAITING"))
        try FileManager.default.moveItem(atPath: feed.path, toPath: feed.path + "-away")
        defer { try? FileManager.default.moveItem(atPath: feed.path + "-away", toPath: feed.path) }
        #expect(tmux.waitFor("FEED NOT ANSWERING"))
        #expect(tmux.screen.contains("last batch read never"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }
}

@Suite struct DashboardRefusalTests {
    @Test func withoutATerminalTheDashboardPointsAtHeadless() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let (status, out, err) = try RunningCommand.run(["watch", feed.path])
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.contains("cannot show the dashboard: standard output is not a terminal"))
        #expect(err.contains("--headless"))
    }

    @Test func headlessOnlyOptionsNeedHeadless() throws {
        let (status, _, err) = try RunningCommand.run(["watch", "x", "--format", "text"])
        #expect(status == 64)
        #expect(err.contains("--format goes with --headless"))
    }
}
