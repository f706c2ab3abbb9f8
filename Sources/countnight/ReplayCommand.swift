import ArgumentParser
import CountNightCore
import CountNightFeed
import CountNightTerminal
import Glibc

/// `--speed`: a multiple of real time, or `max`.
struct ReplaySpeed: ExpressibleByArgument, Equatable {
    /// nil for as fast as possible.
    let factor: Double?

    init(factor: Double?) { self.factor = factor }

    init?(argument: String) {
        if argument == "max" {
            factor = nil
            return
        }
        guard let value = Double(argument), value.isFinite, value >= 0.01, value <= 1_000_000 else { return nil }
        factor = value
    }

    /// `(default: 60)` in the help, not the value's Swift description.
    var defaultValueDescription: String { factor.map(Format.plain) ?? "max" }

    static let help = "How many times real time: 60 plays an hour of the night in a minute; 0.01 to 1000000, or max."
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play back a recorded count night: a feed directory or a journal written by watch --record.",
        discussion: """
            From a directory, batch files play in the order of their `at` times (those
            without one by modification time, ties by name); from a journal, in the
            order they arrived. The replay clock starts a second before the first batch;
            snapshot times are the replay clock.

            In the dashboard: space pauses and resumes, + and - step the speed through
            round values (1, 2, 5, 10, 20, 50, ... times), right and left arrows step
            one batch forward or back, r rewinds to the start and e goes to the end;
            the other keys are the dashboard's (Home and End scroll the view).

            With --headless, writes a snapshot at the start and after every batch (or
            every --every of replay time), paced by --speed; the last equals
            `countnight snapshot` on the same feed.

            Examples:
              countnight replay sample-feeds/tower-hamlets-2010
              countnight replay night.journal --speed 600 --from 1h30m
              countnight replay night.journal --headless --speed max --every 5m \\
                  --out replay.jsonl

            Exit status: 0 done, or stopped (q, Ctrl-C, Ctrl-\\, SIGTERM, SIGHUP); 2 the
            source cannot be used; 3 headless: a snapshot could not be written; 64 bad
            arguments; 128 + N the dashboard was ended by another signal N.
            """)

    @Argument(help: "A feed directory, or a journal file.", completion: .file())
    var source: String

    @Option(parsing: .unconditional, help: ArgumentHelp(ReplaySpeed.help))
    var speed = ReplaySpeed(factor: 60)

    @Option(help: "Start part-way: an RFC 3339 time, or how long after the start (90s, 45m, 1h30m).")
    var from: String?

    @Flag(help: "Write snapshots instead of showing the dashboard.")
    var headless = false

    @Option(help: "With --headless: a snapshot every this much replay time (90s, 5m, 1h) instead of after every batch.")
    var every: String?

    @OptionGroup var output: HeadlessOutput

    func validate() throws {
        if let every {
            guard let seconds = ReplayTime.duration(every), seconds > 0 else {
                throw ValidationError("--every must be a duration such as 90s, 5m or 1h30m, not \(every)")
            }
        }
        if let from, RFC3339.parse(from) == nil && ReplayTime.duration(from) == nil {
            throw ValidationError("--from must be an RFC 3339 time (2010-10-22T01:30:00Z) or a duration after the start (1h30m), not \(from)")
        }
        if !headless && every != nil { throw ValidationError("--every goes with --headless") }
        try output.check(headless: headless)
    }

    func run() throws {
        try Self.reportingErrors {
            let night = try loadNight(source)
            let start = night.replay.startTime
            let fromTime = from.flatMap { ReplayTime.from($0, start: start) }
            if headless {
                try runHeadless(night, from: fromTime)
            } else {
                try runReplayDashboard(night, speed: speed.factor, from: fromTime, sampleBanner: nil)
            }
        }
    }

    private func runHeadless(_ night: RecordedNight, from: Double?) throws {
        let signals = SignalWait(SignalWait.stopping)
        let write = try output.open()
        // Read once: an option's value is looked up afresh at every read,
        // which cost as much as a line's keys.
        let format = output.lineFormat
        // Snapshots are made on a thread of their own; their lines are made
        // and written here, each contest's JSON kept while it is unchanged.
        let headless = HeadlessReplay(replay: night.replay, every: every.flatMap(ReplayTime.duration), speed: speed.factor, from: from,
                                      areas: format.writesAreas)
        // Consumed: a copy left here would share the tally with the thread.
        let steps = HeadlessReplayPipe(consume headless)
        defer { steps.close() }
        var contestJSON = ContestJSONCache()
        while let step = steps.next() {
            if signals.stopped(waiting: step.wait) { return }
            for event in step.events.map(FeedEvent.count) where event.isWorthReporting {
                Output.error("countnight: \(event.description)")
            }
            var snapshot = step.snapshot
            if format == .jsonl { contestJSON.encode(&snapshot) }
            try write(format.lineBytes(snapshot))
        }
    }
}

/// Loads a recorded night, reporting skipped journal lines on standard error.
func loadNight(_ source: String) throws -> RecordedNight {
    let night: RecordedNight
    do {
        night = try RecordedNight.load(source)
    } catch {
        throw FeedUnusable(message: error.description)
    }
    for problem in night.problems { Output.error("countnight: \(source): \(problem)") }
    return night
}

/// Opens the dashboard on a replay, or explains why this terminal cannot show it.
func runReplayDashboard(_ night: RecordedNight, speed: Double?, from: Double?, sampleBanner: String?) throws {
    if let reason = DashboardSession.unusableReason() {
        Output.error("countnight: cannot show the dashboard: \(reason). Use --headless to write snapshots instead.")
        throw ExitCode(2)
    }
    do {
        try DashboardSession(replay: night.replay, speed: speed, from: from, sampleBanner: sampleBanner).run()
    } catch {
        throw FeedUnusable(message: "\(error)")
    }
}
