import CountNightCore
import CountNightUI
import Foundation
import Testing

/// Whole screens compared with text files in Golden/. To re-record them after
/// a deliberate change of the layout, run
///     COUNTNIGHT_RECORD_GOLDEN=1 swift test --filter GoldenScreenTests
/// and read the difference (git diff Tests/CountNightUITests/Golden) before committing.
@Suite struct GoldenScreenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let recording = ProcessInfo.processInfo.environment["COUNTNIGHT_RECORD_GOLDEN"] == "1"

    static let points: [(name: String, fraction: Double)] = [("early", 0.25), ("midway", 0.6), ("final", 1.0)]
    static let sizes: [(width: Int, height: Int)] = [(80, 24), (160, 48)]

    static var cases: [String] {
        points.flatMap { point in
            DashboardView.allCases.flatMap { view in sizes.map { "\(point.name)-\(view.title.lowercased())-\($0.width)x\($0.height)" } }
        }
    }

    /// Every view (and the list of contests) in every state of a night of
    /// several contests, at the two sizes a hall's screens start from:
    /// nothing essential may be cut (issue 13).
    static var hallCases: [String] {
        RiversideNight.states.flatMap { state in
            (["list"] + DashboardView.allCases.map { $0.title.lowercased() }).flatMap { view in
                ["80x24", "100x30"].map { "riverside-\(state)-\(view)-\($0)" }
            }
        } + ["riverside-counting-overview-200x60", "riverside-declared-overview-200x60", "riverside-refused-files-overview-160x48"]
            // The three-seat ward, the second contest: its seat line and chances.
            + ["counting", "complete", "declared"].flatMap { state in
                ["overview", "areas", "boxes"].flatMap { view in ["80x24", "100x30"].map { "ward-\(state)-\(view)-\($0)" } }
            }
    }

    @Test(arguments: hallCases)
    func everyStateMatchesGolden(_ name: String) throws {
        let parts = name.split(separator: "-").map(String.init)
        let size = parts.last!.split(separator: "x").map { Int($0)! }
        let view = parts[parts.count - 2]
        let state = parts.dropFirst().dropLast(2).joined(separator: "-")
        let model = RiversideNight.model(state)
        var viewState = ViewState(contests: model.snapshot.contests.count)
        if parts[0] == "ward" { viewState.contest = 1 }
        if let chosen = DashboardView.allCases.first(where: { $0.title.lowercased() == view }) {
            viewState.contestList = false
            viewState.view = chosen
        }
        let grid = Dashboard.render(model, viewState, width: size[0], height: size[1])
        try Self.compare(grid, name)
    }

    @Test(arguments: cases)
    func screenMatchesGolden(_ name: String) throws {
        let parts = name.split(separator: "-")
        let fraction = Self.points.first { $0.name == parts[0] }!.fraction
        var state = ViewState()
        state.view = DashboardView.allCases.first { $0.title.lowercased() == parts[1] }!
        let size = parts[2].split(separator: "x").map { Int($0)! }
        let grid = Dashboard.render(SampleNight.model(upTo: fraction), state, width: size[0], height: size[1])
        try Self.compare(grid, name)
    }

    static func compare(_ grid: Grid, _ name: String) throws {
        let file = Self.folder.appendingPathComponent(name + ".txt")
        let text = grid.text + "\n"
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        if golden != text {
            let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(goldenLines, lines).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("""
                \(name) differs from its golden screen\(first.map { " first at row \($0.offset):\nexpected: \($0.element.0)\nactual:   \($0.element.1)" } ?? "")
                Re-record with COUNTNIGHT_RECORD_GOLDEN=1 if the change is meant.
                """)
        }
    }
}
