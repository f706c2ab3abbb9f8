import CountNightCore
import CountNightUI
import Foundation

/// The bundled sample night, stopped at a point: the first `fraction` of its
/// batch files in the order of their `at` times.
enum SampleNight {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/tower-hamlets-2010")

    static let election = NightFiles.election(in: directory)

    /// Batch files, ordered as the night went.
    static let files = NightFiles.batches(in: directory)

    /// The dashboard's model after the first `fraction` of the night's files,
    /// with a fixed clock and log times from the files' own `at`, so that
    /// screens compare from run to run.
    static func model(upTo fraction: Double, election: Election = SampleNight.election, clock: String = "02:31:05") -> DashboardModel {
        var tally = Tally(election: election)
        var log: [LogEntry] = []
        for file in files.prefix(Int((Double(files.count) * fraction).rounded())) {
            if let event = tally.read(file: file.name, bytes: file.bytes) {
                log.append(LogEntry(event, time: String(RFC3339.format(file.at).dropFirst(11).prefix(8))))
            }
        }
        return DashboardModel(snapshot: tally.snapshot(time: 0, boxes: true),
                              trend: tally.trendHistory(),
                              log: log,
                              clock: clock)
    }
}

/// The bundled Riverside night (three contests: a Supplementary Vote mayor
/// with a second stage, a three-seat ward, a by-election), stopped at each
/// state the screens must show whole.
enum RiversideNight {
    static let directory = SampleNight.directory.deletingLastPathComponent().appendingPathComponent("riverside-2026")

    static let election = NightFiles.election(in: directory)
    static let files = NightFiles.batches(in: directory)

    /// The states of the night, in the order a screen meets them.
    static let states = ["awaiting", "counting", "second-stage", "complete", "declared", "rehearsal", "feed-not-answering", "refused-files"]

    /// How many of the night's files make the mayor's contest reach `status`.
    static func files(reaching status: ContestStatus) -> Int {
        var tally = Tally(election: election)
        for (index, file) in files.enumerated() {
            tally.read(file: file.name, bytes: file.bytes)
            if tally.snapshot(time: 0).contests[0].status == status { return index + 1 }
        }
        return files.count
    }

    /// The dashboard's model in one of `states`, with a fixed clock.
    static func model(_ state: String) -> DashboardModel {
        var election = self.election
        var count: Int
        switch state {
        case "awaiting": count = 0
        case "counting", "rehearsal", "feed-not-answering": count = files(reaching: .counting) + 6
        case "second-stage": count = files(reaching: .secondStage) + 2
        case "complete": count = files.filter { !$0.name.hasPrefix("declaration") }.count
        default: count = files.count
        }
        if state == "rehearsal" { election.rehearsal = true }
        var tally = Tally(election: election)
        var log: [LogEntry] = []
        // Declarations last, so that "complete" is every count and no declaration.
        let ordered = files.filter { !$0.name.hasPrefix("declaration") } + files.filter { $0.name.hasPrefix("declaration") }
        let shown = state == "complete" || state == "declared" || state == "refused-files" ? Array(ordered.prefix(count)) : Array(files.prefix(count))
        for file in shown {
            if let event = tally.read(file: file.name, bytes: file.bytes) {
                log.append(LogEntry(event, time: String(RFC3339.format(file.at).dropFirst(11).prefix(8))))
            }
        }
        if state == "refused-files" {
            for (name, text) in [("count-OldTown-3.json", #"{"contest": "mayor", "kind": "count", "area": "Old Town", "batch": "3", "votes": {"okafor": 12}}"#),
                                 ("verify-XX9.json", #"{"contest": "mayor", "kind": "verification", "box": "XX9", "ballotPapers": 100}"#)] {
                if let event = tally.read(file: name, bytes: Array(text.utf8)) { log.append(LogEntry(event, time: "00:45:00")) }
            }
        }
        var model = DashboardModel(snapshot: tally.snapshot(time: 0, boxes: true), trend: tally.trendHistory(), log: log, clock: "00:47:12")
        if state == "feed-not-answering" {
            model.feedProblem = "/srv/count/riverside-feed: No such file or directory"
            model.lastBatchRead = "23:58:40"
        }
        return model
    }
}

/// A bundled night's election.json and batch files, read from its directory.
enum NightFiles {
    static func election(in directory: URL) -> Election {
        let bytes = try! Data(contentsOf: directory.appendingPathComponent("election.json"))
        return try! ElectionFile.parse(Array(bytes))
    }

    /// Batch files, ordered as the night went (by their `at`, then name).
    static func batches(in directory: URL) -> [(name: String, bytes: [UInt8], at: Double)] {
        let names = try! FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0 != "election.json" }
        return names.map { name -> (name: String, bytes: [UInt8], at: Double) in
            let bytes = Array(try! Data(contentsOf: directory.appendingPathComponent(name)))
            let record = try! BatchFile.parse(bytes).get()
            return (name, bytes, record.at ?? .infinity)
        }.sorted { ($0.at, $0.name) < ($1.at, $1.name) }
    }
}

/// Where `text` first stands on the screen.
func find(_ text: String, in grid: Grid) -> (x: Int, y: Int)? {
    for (y, row) in grid.rows.enumerated() {
        if let range = row.range(of: text) { return (row.distance(from: row.startIndex, to: range.lowerBound), y) }
    }
    return nil
}
