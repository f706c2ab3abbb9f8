import ArgumentParser
import CountNightCore
import CountNightFeed
#if canImport(Glibc)
import Glibc
#endif

extension Calibration.Verifications: ExpressibleByArgument {}

/// `--order`: one of calibrate's orders, or all of them.
enum OrderChoice: ExpressibleByArgument {
    case one(Calibration.Order)
    case all

    init?(argument: String) {
        if argument == "all" {
            self = .all
        } else if let order = Calibration.Order(rawValue: argument) {
            self = .one(order)
        } else {
            return nil
        }
    }

    var orders: [Calibration.Order] {
        switch self {
        case .one(let order): return [order]
        case .all: return Calibration.Order.allCases
        }
    }

    static var allValueStrings: [String] { Calibration.Order.allCases.map(\.rawValue) + ["all"] }
}

/// `--verifications`: when boxes' verifications land, or both ways.
enum VerificationsChoice: String, ExpressibleByArgument {
    case first
    case withCounts = "with-counts"
    case both

    var modes: [Calibration.Verifications] {
        switch self {
        case .first: return [.first]
        case .withCounts: return [.withCounts]
        case .both: return Calibration.Verifications.allCases
        }
    }
}

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Check the projection on a complete count by replaying its batches in other orders.",
        discussion: """
            Every simulated night adds the feed's count batches one at a time, with
            the verifications first or each with its box's count; the projection runs
            after each, and a call once made is held as the dashboard holds it.
            Reported per contest and order: wrong calls (a projected or certain winner,
            or an expected second stage, that the complete count does not bear out),
            calls withdrawn, how much was counted when the call that stood was made,
            how often the 90% ranges held the final share, and the Brier score of the
            probabilities. FEED may also be a directory of complete feeds (nights):
            each is calibrated and one table is printed. See docs/projection.md.

            Orders: random; strongholds-first (the eventual runner-up's best areas
            first); smallest-first (the smallest batches first); areas (whole areas at
            a time, in random order); types (one box type after another, the runner-up's
            best type first); all.

            Examples:
              countnight calibrate sample-feeds/tower-hamlets-2010 --nights 500 \\
                  --order strongholds-first
              countnight calibrate NIGHTS --order all --verifications both

            Exit status: 0 reported; 1 some night made a wrong call; 2 the feed cannot
            be used or no contest in it is complete; 3 the report could not be
            written; 64 bad arguments.
            """)

    @Argument(help: "A feed directory whose count is complete, or a directory of such feeds.", completion: .directory)
    var feed: String

    @Option(parsing: .unconditional, help: "How many nights to simulate per order (1 to 100000).")
    var nights: Int = 200

    @Option(help: "random, strongholds-first, smallest-first, areas, types, or all.")
    var order: OrderChoice = .one(.random)

    @Option(help: "When verifications land: first (before any count), with-counts (each with its box's count), or both.")
    var verifications: VerificationsChoice = .first

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
            let feeds = try Self.nights(in: feed)
            var reports: [(night: String, report: Calibration.Report)] = []
            for (name, path) in feeds {
                let tally = try openFeed(path).tally
                let contests = tally.election.contests
                var indices = Array(contests.indices)
                if let contest {
                    guard let index = contests.firstIndex(where: { $0.id == contest }) else {
                        if feeds.count > 1 { continue }
                        throw FeedUnusable(message: "\(path)/election.json has no contest \"\(contest)\"; it has \(contests.map(\.id).joined(separator: ", "))")
                    }
                    indices = [index]
                }
                for index in indices {
                    guard let calibration = Calibration(tally: tally, contest: index) else {
                        Output.error("countnight: \(contests[index].id): the count is not complete in \(path), so there is no result to check the projection against")
                        continue
                    }
                    for mode in verifications.modes {
                        for order in order.orders {
                            reports.append((name, calibration.run(nights: nights, order: order, verifications: mode, seed: seed)))
                        }
                    }
                }
            }
            if reports.isEmpty { throw FeedUnusable(message: "nothing to calibrate: no contest in \(feed) has a complete count") }
            var text = reports.map { ($0.night.isEmpty ? "" : TextEscape.line($0.night) + "/") + $0.report.text }.joined(separator: "\n\n")
            if reports.count > 1 { text += "\n\n" + Calibration.table(reports) }
            try Output.line(text)
            if reports.contains(where: { $0.report.wrongCalls > 0 }) { throw ExitCode(1) }
        }
    }

    /// The feed itself, or where it holds no election.json, every directory
    /// in it that does, by name.
    static func nights(in path: String) throws -> [(name: String, path: String)] {
        var status = stat()
        if stat(path + "/" + ElectionFile.name, &status) == 0 { return [("", path)] }
        let names = (try? directoryNames(path)) ?? []
        let nights = names.sorted().filter { stat(path + "/" + $0 + "/" + ElectionFile.name, &status) == 0 }
        return nights.isEmpty ? [("", path)] : nights.map { ($0, path + "/" + $0) }
    }
}
