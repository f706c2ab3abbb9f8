import ArgumentParser
import CountNightCore
import CountNightFeed
import CountNightTerminal
import Glibc

@main
struct CountNight: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "countnight",
        abstract: "Watch an election count live: merges a feed directory of batch files into a running tally.",
        discussion: """
            With no subcommand, replays the bundled sample count (Tower Hamlets 2010) in
            the dashboard, the whole night in about two minutes, and stays on the result;
            where there is no terminal, prints the result as text.

            Exit status: 0 success; 1 `check` found refused files or conflicts, or
            `calibrate` saw a wrong call; 2 the feed cannot be used (invalid or missing
            election.json, unreadable directory) or the terminal cannot show the
            dashboard; 3 output failed (a snapshot, a report or a journal entry could
            not be written); 64 bad command-line arguments, or help for no such command;
            128 + N the dashboard was ended by signal N other than SIGINT, SIGQUIT,
            SIGTERM and SIGHUP, which stop every command with 0. The README's "Exit
            status" lists each command's.
            """,
        version: CountNightVersion.string,
        subcommands: [SnapshotCommand.self, CheckCommand.self, WatchCommand.self, ReplayCommand.self, RehearseCommand.self, CalibrateCommand.self,
                      EnterCommand.self, ImportCommand.self])

    static let sampleBanner = "SAMPLE night replayed, per-box split illustrative · a real feed: countnight watch FEED"
    /// The sample night plays in about this many seconds.
    static let sampleSeconds = 120.0

    static func main() {
        StandardStreams.reopenClosed()
        // A reader that went away (`countnight snapshot FEED | head -1`) is
        // output that failed: the write says EPIPE, exit 3, as for a full disk.
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let unknown = unknownHelpTopic(arguments) {
            Output.error("countnight: help: no command named '\(unknown)'; the commands are \(commandNames.joined(separator: ", ")). See countnight --help")
            Glibc.exit(ExitCode.validationFailure.rawValue)
        }
        main(arguments)
    }

    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// `countnight help NAME` with a NAME that is no command: ArgumentParser
    /// would print the top-level help and exit 0, which hides the typo.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help", arguments.count > 1 else { return nil }
        let topic = arguments[1]
        guard !topic.hasPrefix("-"), !commandNames.contains(topic) else { return nil }
        return topic
    }

    func run() throws {
        try Self.reportingErrors {
            let feed = try SampleFeed.locate()
            if DashboardSession.unusableReason() == nil {
                let night = try loadNight(feed)
                let replay = night.replay
                let speed = max(1, ((replay.endTime - replay.startTime) / Self.sampleSeconds).rounded())
                try runReplayDashboard(night, speed: speed, from: nil, sampleBanner: Self.sampleBanner)
                return
            }
            var count = try openFeed(feed)
            try Output.line("CountNight sample: Tower Hamlets mayoral election 2010 (per-box split illustrative).")
            try Output.line("Watch a real feed with: countnight watch FEED (or --headless without a terminal; see countnight --help)\n")
            try Output.line(SnapshotReport(snapshot: count.snapshot(time: WallClock.now())).text)
        }
    }
}

/// Opens a feed (reads its election.json), or stops with exit status 2 and a
/// message naming the file and the problem.
func openReader(_ directory: String, reading: FeedReader.Reading = .live) throws -> FeedReader {
    do {
        return try FeedReader(directory: directory, reading: reading)
    } catch {
        throw FeedUnusable(message: error.description)
    }
}

/// Opens a feed and reads everything in it, once: the count it holds.
func openFeed(_ directory: String) throws -> CountState {
    try openReader(directory, reading: .once).readOnce()
}

struct FeedUnusable: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension ParsableCommand {
    /// Maps the feed's errors to documented exit statuses, with a plain message.
    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as FeedUnusable {
            Output.error("countnight: \(error.message)")
            throw ExitCode(2)
        } catch let error as OutputFailed {
            Output.error("countnight: \(error.message)")
            throw ExitCode(3)
        }
    }
}
