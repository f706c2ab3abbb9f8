import ArgumentParser
import CountNightCore
import CountNightFeed

extension Calibration.Order: ExpressibleByArgument {}

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Check the projection on a complete count by replaying its batches in other orders.",
        discussion: """
            Every simulated night starts with the feed's verifications and adds its
            count batches one at a time; the projection runs after each. Reported per
            contest: wrong calls (a projected or certain winner, or an expected second
            stage, that the complete count does not bear out), calls withdrawn, how much
            was counted when the call that stood was made, and the Brier score of the
            probabilities. See docs/projection.md.

            Example:
              countnight calibrate sample-feeds/tower-hamlets-2010 --nights 500 --order strongholds-first

            Exit status: 0 reported; 1 some night made a wrong call; 2 the feed cannot
            be used or no contest in it is complete; 3 the report could not be written;
            64 bad arguments.
            """)

    @Argument(help: "A feed directory whose count is complete.")
    var feed: String

    @Option(help: "How many nights to simulate (1 to 100000).")
    var nights: Int = 200

    @Option(help: "random, strongholds-first (the eventual runner-up's best areas first) or smallest-first.")
    var order: Calibration.Order = .random

    @Option(help: "Seed for the orders; the same seed gives the same nights.")
    var seed: UInt64 = 1

    @Option(help: "Only this contest (its id in election.json).")
    var contest: String?

    func validate() throws {
        guard (1...100_000).contains(nights) else {
            throw ValidationError("--nights must be between 1 and 100000, not \(nights)")
        }
    }

    func run() throws {
        try Self.reportingErrors {
            let reader = try openFeed(feed)
            let tally = reader.tally
            let contests = tally.election.contests
            var indices = Array(contests.indices)
            if let contest {
                guard let index = contests.firstIndex(where: { $0.id == contest }) else {
                    throw FeedUnusable(message: "\(feed)/election.json has no contest \"\(contest)\"; it has \(contests.map(\.id).joined(separator: ", "))")
                }
                indices = [index]
            }
            var reports: [Calibration.Report] = []
            var incomplete: [String] = []
            for index in indices {
                guard let calibration = Calibration(tally: tally, contest: index) else {
                    incomplete.append(contests[index].id)
                    continue
                }
                reports.append(calibration.run(nights: nights, order: order, seed: seed))
            }
            for contest in incomplete {
                Output.error("countnight: \(contest): the count is not complete in \(feed), so there is no result to check the projection against")
            }
            if reports.isEmpty { throw FeedUnusable(message: "nothing to calibrate: no contest in \(feed) has a complete count") }
            try Output.line(reports.map(\.escapedText).joined(separator: "\n\n"))
            if reports.contains(where: { $0.wrongCalls > 0 }) { throw ExitCode(1) }
        }
    }
}
