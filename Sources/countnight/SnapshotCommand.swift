import ArgumentParser
import CountNightCore
import CountNightFeed
import Glibc

enum SnapshotFormat: String, ExpressibleByArgument, CaseIterable {
    case json, text, nist, csv
}

extension CSVUnit: ExpressibleByArgument {}

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read a feed and print one snapshot of the count.",
        discussion: """
            Example:
              countnight snapshot sample-feeds/tower-hamlets-2010 --format text

            Exit status: 0 printed; 2 the feed cannot be used (election.json invalid or missing);
            3 the snapshot could not be written.
            """)

    @Argument(help: "The feed directory (holding election.json and batch files).", completion: .directory)
    var feed: String

    @Option(help: "json (one line, as headless mode writes), text (a report for people), nist (NIST SP 1500-100 v2 JSON) or csv (docs/exports.md).")
    var format: SnapshotFormat = .json

    @Option(help: "With --format csv: a row per candidate of each contest, area or box.")
    var by: CSVUnit?

    func validate() throws {
        if by != nil && format != .csv { throw ValidationError("--by goes with --format csv") }
    }

    func run() throws {
        try Self.reportingErrors {
            var count = try openFeed(feed)
            let snapshot = count.snapshot(time: WallClock.now())
            switch format {
            case .json: try Output.line(snapshot.json())
            case .text: try Output.line(SnapshotReport(snapshot: snapshot).text)
            case .nist: try Output.line(snapshot.nistJSON())
            case .csv:
                let boxes = by == .box ? snapshot.contests.indices.map { count.tally.boxResults(contest: $0) } : []
                try Output.write(snapshot.csv(by: by ?? .contest, boxes: boxes))
            }
            // Everything is written: leave without freeing a large tally piece
            // by piece, which on a big feed takes a noticeable part of the run.
            Glibc.exit(0)
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List every refused file and every conflict in a feed, one a line.",
        discussion: """
            Each line is `file: reason`, or `contest: does not add up: what` where
            a box, an area or the contest holds more ballots than it can (a batch
            counted twice under two names). Files whose names end in .JSON (or
            .Json, ...) are not read: each is listed as ignored. Other warnings and
            a summary go to standard error.

            Example:
              countnight check /srv/count/feed && echo clean

            Exit status: 0 clean; 1 something was refused, is in conflict, does not
            add up or is ignored; 2 election.json is invalid or missing; 3 the list could not
            be written.
            """)

    @Argument(help: "The feed directory.", completion: .directory)
    var feed: String

    func run() throws {
        try Self.reportingErrors {
            var count = try openFeed(feed)
            let snapshot = count.snapshot(time: 0)
            for line in CheckReport.lines(snapshot) { try Output.line(line) }
            let ignored = IgnoredFiles.list(feed)
            for (file, reason) in ignored { try Output.line(TextEscape.line("\(file): \(reason)")) }
            let warnings = snapshot.contests.reduce(0) { $0 + $1.warnings.count }
            for contest in snapshot.contests {
                for warning in contest.warnings where !warning.doesNotAddUp { Output.error("warning: \(contest.id): \(warning.message)") }
            }
            let notAddingUp = CheckReport.notAddingUp(snapshot)
            Output.error("checked \(count.tally.versionCount) batch file versions: \(snapshot.refusedFiles.count) refused, \(snapshot.conflicts.count) in conflict, \(notAddingUp) not adding up, \(warnings - notAddingUp) other warnings, \(ignored.count) ignored")
            EnterCommand.reportEntries(feed: feed)
            if CheckReport.fails(snapshot) || !ignored.isEmpty { throw ExitCode(1) }
        }
    }
}
