import CountNightCore
import CountNightUI
import Foundation

/// The bundled sample night, stopped at a point: the first `fraction` of its
/// batch files in the order of their `at` times.
enum SampleNight {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/tower-hamlets-2010")

    static let election: Election = {
        let bytes = try! Data(contentsOf: directory.appendingPathComponent("election.json"))
        return try! ElectionFile.parse(Array(bytes))
    }()

    /// Batch files, ordered as the night went.
    static let files: [(name: String, bytes: [UInt8], at: Double)] = {
        let names = try! FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0 != "election.json" }
        let files = names.map { name -> (name: String, bytes: [UInt8], at: Double) in
            let bytes = Array(try! Data(contentsOf: directory.appendingPathComponent(name)))
            let record = try! BatchFile.parse(bytes).get()
            return (name, bytes, record.at ?? .infinity)
        }
        return files.sorted { ($0.at, $0.name) < ($1.at, $1.name) }
    }()

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
