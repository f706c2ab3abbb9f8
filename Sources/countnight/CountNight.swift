import ArgumentParser
import CountNightCore
import CountNightFeed

@main
struct CountNight: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "countnight",
        abstract: "Watch an election count live: merges a feed directory of batch files into a running tally.",
        discussion: """
            With no subcommand, shows the bundled sample count (Tower Hamlets 2010).

            Exit status: 0 success; 1 `check` found refused files or conflicts;
            2 the feed cannot be used (invalid or missing election.json, unreadable directory)
            or the terminal cannot show the dashboard; 64 bad command-line arguments.
            """,
        subcommands: [SnapshotCommand.self, CheckCommand.self, WatchCommand.self])

    func run() throws {
        let feed = try SampleFeed.locate()
        let reader = try openFeed(feed)
        print("CountNight sample: Tower Hamlets mayoral election 2010 (per-box split illustrative).")
        print("Watch a real feed with: countnight watch FEED --headless   (see countnight --help)\n")
        print(SnapshotReport(snapshot: reader.snapshot(time: Clock.now())).text)
    }
}

/// Opens a feed and reads everything in it, or stops with exit status 2 and a
/// message naming the file and the problem.
func openFeed(_ directory: String) throws -> FeedReader {
    do {
        var reader = try FeedReader(directory: directory)
        _ = reader.poll()
        return reader
    } catch {
        throw FeedUnusable(message: error.description)
    }
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
        }
    }
}
