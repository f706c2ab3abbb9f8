import ArgumentParser
import CountNightCore
import CountNightFeed
import CountNightTerminal
import Glibc

extension SnapshotLineFormat: ExpressibleByArgument {}

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep reading a feed and show the count as it changes.",
        discussion: """
            Without --headless, shows the live dashboard (keys: 1-5 or Tab switch views,
            arrows and PgUp/PgDn scroll, c next contest, Esc the list of contests,
            / find a contest by name or id, ? help, q quit). It needs a
            terminal: with standard output not a terminal, or TERM unset or dumb, it
            says so and exits 2.

            Started before the feed directory or its election.json exists, it waits:
            the dashboard on a screen that says what it waits for, headless with one
            line on standard error; the count starts when they appear. A path that is
            a regular file, or cannot be read, is refused at once (exit 2).

            With --headless, writes a snapshot at start and whenever anything in it
            changes, one a line. Refused files, conflicts and feed problems are
            reported on standard error as they are found.

            Examples:
              countnight watch /srv/count/feed
              countnight watch /srv/count/feed --headless --interval 0.5
              countnight watch /srv/count/feed --headless --format text \\
                  --out night.log --until-complete
              countnight watch /srv/count/feed --record night.journal

            Exit status: 0 on q, Ctrl-C, SIGINT, SIGTERM or SIGHUP (headless too, after
            the last line is written), on Ctrl-\\ (SIGQUIT) in the dashboard, or, with
            --until-complete, once every contest is complete; 2 the feed cannot be used,
            or the terminal cannot show the dashboard; 3 output failed: a snapshot or a
            --record journal entry could not be written, a reader that went away included
            (the dashboard keeps counting under a RECORDING FAILED band); 128 + N the
            dashboard was ended by another signal N, after giving the terminal back.
            """)

    @Argument(help: "The feed directory.", completion: .directory)
    var feed: String

    @Flag(help: "Write snapshots instead of showing the dashboard.")
    var headless = false

    // Unconditional, so that `--interval -1` reaches validate() rather than being read as an option.
    @Option(parsing: .unconditional, help: "Seconds between looks at the feed; fractions such as 0.2 are allowed.")
    var interval: Double = 1

    @OptionGroup var output: HeadlessOutput

    @Flag(help: "With --headless: exit 0 once every contest is complete.")
    var untilComplete = false

    @Option(help: "Append every new version read (and every deletion) to this journal, for replay and rehearse.", completion: .file())
    var record: String?

    func validate() throws {
        guard interval.isFinite, interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval must be a positive number of seconds, from 0.01 to 3600, not \(Format.plain(interval))")
        }
        try output.check(headless: headless)
        if !headless && untilComplete { throw ValidationError("--until-complete goes with --headless") }
    }

    func run() throws {
        try Self.reportingErrors {
            if headless {
                try runHeadless()
            } else {
                try runDashboard(feed: feed, interval: interval, record: record)
            }
        }
    }

    private func runHeadless() throws {
        // Block the signals before anything else so that none is lost between polls.
        let signals = SignalWait(SignalWait.stopping)
        let write = try output.open()
        guard var reader = try waitForFeed(signals) else { return }
        if let record { reader.record(to: try openJournal(record)) }
        var watch = HeadlessWatch(reader: reader, format: output.lineFormat)
        while true {
            let step = watch.step(time: WallClock.now())
            for event in step.events where event.isWorthReporting { Output.error("countnight: \(event.description)") }
            if let line = step.line { try write(SnapshotLineFormat.written(line)) }
            // A journal that misses entries is no record of the night: stop and say so.
            if let failure = watch.reader.recordingFailure { throw OutputFailed(message: failure) }
            if untilComplete && step.isComplete { return }
            if signals.wait(seconds: interval) != nil { return }
        }
    }

    /// Opens the feed, waiting while its directory or election.json is not
    /// there yet and saying once on standard error what it waits for; nil
    /// when a signal stopped the wait. A feed that is there and cannot be
    /// used stops at once (exit 2), unless it came while waiting: then it
    /// may be half written, and is looked at again.
    private func waitForFeed(_ signals: SignalWait) throws -> FeedReader? {
        var said: String?
        func say(_ message: String) {
            if message != said { Output.error("countnight: \(message)") }
            said = message
        }
        while true {
            switch FeedStart.attempt(feed) {
            case .opened(let reader):
                if said != nil { Output.error("countnight: \(feed): the feed is there; watching it") }
                return reader
            case .waiting(let awaited):
                say("waiting for \(awaited); watching starts when it appears")
            case .unusable(let error):
                guard said != nil else { throw FeedUnusable(message: error.description) }
                say("\(error.description); waiting for it to be usable")
            }
            if signals.wait(seconds: interval) != nil { return nil }
        }
    }
}

extension FeedEvent {
    /// Accepted batches are the normal course of a night; everything else is
    /// worth a line on standard error.
    var isWorthReporting: Bool {
        if case .count(.batch(let event)) = self, event.kind == .accepted { return false }
        return true
    }
}

/// Opens the dashboard on a feed, or explains why this terminal cannot show it.
func runDashboard(feed: String, interval: Double, record: String? = nil) throws {
    if let reason = DashboardSession.unusableReason() {
        Output.error("countnight: cannot show the dashboard: \(reason). Use --headless to write snapshots instead, for example: countnight watch \(feed) --headless")
        throw ExitCode(2)
    }
    let session: DashboardSession
    switch FeedStart.attempt(feed) {
    case .opened(var reader):
        if let record { reader.record(to: try openJournal(record)) }
        session = DashboardSession(reader: reader, interval: interval)
    case .waiting(let awaited):
        session = DashboardSession(waitingFor: feed, awaited: awaited, interval: interval, record: try record.map(openJournal))
    case .unusable(let error):
        throw FeedUnusable(message: error.description)
    }
    do {
        try session.run()
    } catch {
        throw FeedUnusable(message: "\(error)")
    }
}

/// Opens a journal for appending, or stops with exit status 2 and the reason.
func openJournal(_ path: String) throws -> JournalWriter {
    do {
        return try JournalWriter(path: path)
    } catch {
        throw FeedUnusable(message: error.message)
    }
}
