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

    @Test(arguments: cases)
    func screenMatchesGolden(_ name: String) throws {
        let parts = name.split(separator: "-")
        let fraction = Self.points.first { $0.name == parts[0] }!.fraction
        var state = ViewState()
        state.view = DashboardView.allCases.first { $0.title.lowercased() == parts[1] }!
        let size = parts[2].split(separator: "x").map { Int($0)! }
        let grid = Dashboard.render(SampleNight.model(upTo: fraction), state, width: size[0], height: size[1])
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
