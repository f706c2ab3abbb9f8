import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxScreen.mustRun, TmuxScreen.skipNote)) struct DashboardTests {
    let binary = RunningCommand.binary

    @Test func figuresChangeAsFilesLandAndViewsSwitch() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
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
        defer { tmux.close() }
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

    /// Reading a large feed fills every core: the feed is read at a lower
    /// priority (nice 5, as `top -H` shows) than the thread that answers
    /// keys, which keeps the process's own.
    @Test func theFeedIsReadAtALowerPriorityThanKeysAreAnswered() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
        try tmux.run("\(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("AWAITING"))
        let pid = try #require(tmux.foregroundChild)
        /// Each thread's nice value, by thread id, from /proc (field 19 of stat).
        func niceValues() -> [Int: Int] {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            return Dictionary(uniqueKeysWithValues: tasks.compactMap { task -> (Int, Int)? in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")"), let id = Int(task) else { return nil }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 16 ? Int(fields[16]).map { (id, $0) } : nil
            })
        }
        let threads = niceValues()
        let keys = try #require(threads[Int(pid)])
        #expect(keys == Int(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)))
        #expect(threads.values.contains(max(keys, 5)))
        #expect(threads.count >= 2)
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func theTerminalIsSaneAfterSigtermAndCtrlC() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
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

    @Test func replayKeysPauseStepRewindEndAndChangeSpeed() throws {
        let tmux = try TmuxScreen.atPrompt(width: 100, height: 30)
        defer { tmux.close() }
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
        try tmux.type("e")
        #expect(tmux.waitFor("113/113"))
        #expect(tmux.waitFor("ELECTED: Lutfur Rahman"))
        // Home and End scroll a view in a replay as they do live; the night stays where it is.
        try tmux.type("5")
        #expect(tmux.waitFor("accepted"))
        try tmux.press("End")
        try tmux.press("Home")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(tmux.screen.contains("113/113"))
        try tmux.type("1r")
        #expect(tmux.waitFor("  0/113"))
        #expect(tmux.waitFor("AWAITING"))
        // Round speeds: 0.01, 0.02, 0.05, 0.1.
        try tmux.type("+++")
        #expect(tmux.waitFor("REPLAY PAUSED ×0.1 "))
        #expect(tmux.screen.contains("r rewind"))
        try tmux.type("?")
        #expect(tmux.waitFor("rewind to the start, go to the end of the night"))
        try tmux.type("x")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func noArgumentsReplaysTheSampleWithItsBanner() throws {
        let tmux = try TmuxScreen.atPrompt(width: 100, height: 30)
        defer { tmux.close() }
        try tmux.run("\(binary); echo EXIT=$?")
        #expect(tmux.waitFor("SAMPLE night replayed, per-box split illustrative · a real feed: countnight watch FEED"))
        // The whole night in about two minutes: 3 hours 9 minutes at 94 times.
        #expect(tmux.waitFor("REPLAY ×94"))
        #expect(!tmux.screen.contains("ELECTED"))
        try tmux.type("e")
        #expect(tmux.waitFor("113/113"))
        #expect(tmux.waitFor("ELECTED"))
        #expect(tmux.lines.contains { $0.contains("Lutfur Rahman") && $0.contains("23,283  51.76% ELECTED") })
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func aDumbTerminalIsToldToUseHeadlessAndSighupQuitsCleanly() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 120, height: 24)
        defer { tmux.close() }
        try tmux.run("TERM=dumb \(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("EXIT=2"))
        #expect(tmux.screen.contains("cannot show the dashboard: TERM is dumb. Use --headless"))

        try tmux.run("clear; \(binary) watch \(feed.path); echo EXIT=$?; \(Self.sttyCheck)")
        #expect(tmux.waitFor("AWAITING"))
        kill(try #require(tmux.foregroundChild), SIGHUP)
        #expect(tmux.waitFor("EXIT=0"))
        #expect(tmux.waitFor("icanon echo"))
    }

    /// A venue puts its screens up before the count's folder has its
    /// election.json: the screen says it waits, and the dashboard appears
    /// when the file does.
    @Test func aDashboardStartedBeforeElectionJsonWaitsAndThenStarts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-wait-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
        try tmux.run("\(binary) watch \(folder.path) --interval 0.1; echo EXIT=$?")
        #expect(tmux.waitFor("WAITING FOR THE FEED"))
        #expect(tmux.screen.contains("Waiting for election.json in"))
        #expect(tmux.screen.contains("q quit"))
        try Data(ScratchFeed.twoBoxes.utf8).write(to: folder.appendingPathComponent("election.json"))
        #expect(tmux.waitFor("End to End · Council"))
        #expect(tmux.waitFor("AWAITING"))
        #expect(!tmux.screen.contains("WAITING FOR THE FEED"))
        try Data(ScratchFeed.count("B1", a: 120, b: 80).utf8).write(to: folder.appendingPathComponent("b1.json"))
        #expect(tmux.waitFor("counted 1/2"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func withNoColorBoldAndReverseCarryTheMeaning() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        try feed.land("b2.json", ScratchFeed.count("B2", a: 10, b: 10))
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
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
        defer { tmux.close() }
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

/// A TERM that is not the terminal's own: tmux sends End and Home as
/// ESC [ 4 ~ and ESC [ 1 ~, which xterm's description does not list.
@Suite(.serialized, .enabled(if: TmuxScreen.mustRun, TmuxScreen.skipNote)) struct ForeignTermTests {
    let binary = RunningCommand.binary

    @Test func endAndHomeScrollTheLogInsteadOfSwitchingViews() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        for index in 0..<30 { try feed.land("bad-\(index).json", "{") }
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
        try tmux.run("TERM=xterm-256color \(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("Refused files 30"))
        try tmux.type("5")
        #expect(tmux.waitFor("Now: 30 to look at"))
        #expect(!tmux.screen.contains("accepted   b1.json"))
        try tmux.press("End")
        // The oldest event, at the bottom of the Log; not the Trend view (`4`).
        #expect(tmux.waitUntil { $0.contains("accepted   b1.json") })
        #expect(!tmux.screen.contains("Share of valid votes against ballots counted"))
        try tmux.press("Home")
        #expect(tmux.waitUntil { $0.contains("Now: 30 to look at") })
        #expect(!tmux.screen.contains("accepted   b1.json") && !tmux.screen.contains("Share of valid votes against ballots counted"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }
}
