import ArgumentParser
import CountNightCore
import CountNightFeed
import Foundation

/// `countnight import eml FILE... --into DIR`: results files of other
/// systems made into a feed directory.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a feed directory from results files of other systems.",
        subcommands: [ImportEMLCommand.self])
}

extension ListMethod: ExpressibleByArgument {}

struct ImportEMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eml",
        abstract: "Make a feed directory from OASIS EML 510 count files (the Dutch Kiesraad's 510b, per polling station).",
        discussion: """
            Each EML contest becomes a party-list contest, each polling station
            (ReportingUnitVotes) a box with a count and, where the file gives the voters
            admitted, a verification. The feed is written into a temporary directory,
            read back and checked against the files' own totals (TotalVotes per list,
            TotalCounted, rejected by reason), and only then renamed to DIR: on any error
            nothing is written. docs/import.md says how each field maps.

            Example:
              countnight import eml gr2022-0668.xml --into /tmp/gr2022 --seats 21

            Exit status: 0 written; 2 a file cannot be read, is not EML 510 or is broken
            (the message names the file, the line and the element), the feed does not
            reconcile, or DIR cannot be written; 64 bad arguments (including a DIR that is
            not empty).
            """)

    @Argument(help: "EML 510 files, all of one election (several municipalities are merged).")
    var files: [String]

    @Option(help: "The directory to make: absent or empty.")
    var into: String

    @Option(help: "Seats to fill (EML 510 does not say; 150 for the Tweede Kamer, 75 for the Eerste Kamer).")
    var seats: Int?

    @Option(help: "dhondt (default), sainte-lague or largest-remainder.")
    var method: ListMethod = .dhondt

    func validate() throws {
        if let seats, !(1...1000).contains(seats) { throw ValidationError("--seats must be from 1 to 1,000") }
        if let names = try? directoryNames(into), !names.isEmpty {
            throw ValidationError("--into \(into) is not empty (\(names.count) entr\(names.count == 1 ? "y" : "ies")); import into a new or empty directory")
        }
    }

    func run() throws {
        try Self.reportingErrors {
            let summary: EMLImport.Summary
            do throws(EMLError) {
                var counts: [EMLCount] = []
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw EMLError(file: file, line: nil, message: "cannot be read")
                    }
                    counts.append(try EML510.parse(data, file: file))
                }
                let (feed, made) = try EMLImport.feed(counts, options: EMLImport.Options(seats: seats, method: method))
                try EMLImport.write(feed, into: into) { EMLImport.differences($0, counts, summary: made) }
                summary = made
            } catch {
                throw FeedUnusable(message: error.description)
            }
            for contest in summary.contests {
                Output.error("contest \(contest.id): \(contest.lists) lists, \(contest.boxes) polling stations, \(Format.grouped(contest.valid)) valid votes and \(Format.grouped(contest.rejected)) rejected, reconciled with the files' totals")
            }
            if summary.boxesWithoutElectorate > 0 {
                Output.error("\(summary.boxesWithoutElectorate) polling station\(summary.boxesWithoutElectorate == 1 ? "" : "s") without an electorate (Cast 0, or fewer than the ballots there)")
            }
            try Output.line("\(into): \(summary.files) files")
        }
    }
}
