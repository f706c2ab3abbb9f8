import ArgumentParser
import CountNightCore
import CountNightFeed
import Glibc

extension SnapshotLineFormat: ExpressibleByArgument {}

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep reading a feed and show the count as it changes.",
        discussion: """
            With --headless, writes a snapshot at start and whenever anything in it
            changes, one a line. Refused files, conflicts and feed problems are
            reported on standard error as they are found.

            Examples:
              countnight watch /srv/count/feed --headless --interval 0.5
              countnight watch /srv/count/feed --headless --format text --out night.log --until-complete

            Exit status: 0 on SIGINT or SIGTERM (after the last line is written) or,
            with --until-complete, once every contest is complete; 2 the feed cannot be used.
            """)

    @Argument(help: "The feed directory.")
    var feed: String

    @Flag(help: "Write snapshots instead of showing the dashboard.")
    var headless = false

    @Option(help: "Seconds between looks at the feed; fractions such as 0.2 are allowed.")
    var interval: Double = 1

    @Option(help: "jsonl (one JSON object a line) or text (one readable line a snapshot).")
    var format: SnapshotLineFormat = .jsonl

    @Option(help: "Append snapshots to this file instead of standard output.")
    var out: String?

    @Flag(help: "Exit 0 once every contest is complete.")
    var untilComplete = false

    func validate() throws {
        guard interval.isFinite, interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval must be between 0.01 and 3600 seconds, not \(interval)")
        }
    }

    func run() throws {
        try Self.reportingErrors {
            guard headless else {
                throw FeedUnusable(message: "the dashboard is not available yet; use --headless to write snapshots")
            }
            try runHeadless()
        }
    }

    private func runHeadless() throws {
        // Block the signals before anything else so that none is lost between polls.
        let signals = SignalWait([SIGINT, SIGTERM])
        let file = try out.map { try AppendFile(path: $0) }
        let reader: FeedReader
        do {
            reader = try FeedReader(directory: feed)
        } catch {
            throw FeedUnusable(message: error.description)
        }
        var watch = HeadlessWatch(reader: reader, format: format)
        while true {
            let step = watch.step(time: Clock.now())
            for event in step.events where event.isWorthReporting { Output.error("countnight: \(event.description)") }
            if let line = step.line {
                if let file { file.write(line) } else { Output.line(line) }
            }
            if untilComplete && step.isComplete { return }
            if signals.wait(seconds: interval) != nil { return }
        }
    }
}

extension FeedEvent {
    /// Accepted batches are the normal course of a night; everything else is
    /// worth a line on standard error.
    var isWorthReporting: Bool {
        if case .batch(let event) = self, event.kind == .accepted { return false }
        return true
    }
}
