import CountNightCore
import CountNightUI
import Foundation
import Testing

/// A party-list contest on the overview: seats beside the bars, the seat
/// strip with its majority line, and the last seat's margin. Golden screens
/// (re-record with COUNTNIGHT_RECORD_GOLDEN=1, as GoldenScreenTests).
@Suite struct SeatStripTests {
    static let lists: [(id: String, name: String, colour: String)] = [
        ("a", "Alpha", "#d50000"), ("b", "Beta", "#1e88e5"), ("c", "Gamma", "#43a047"), ("d", "Delta", "#fdd835"),
    ]

    /// Four boxes adding up (when all counted) to A 100,000, B 80,000,
    /// C 30,000, D 21,000: the worked example of docs/feed-format.md.
    static func model(seats: Int, counted: Int, method: String = "dhondt") throws -> DashboardModel {
        let candidates = lists.map { #"{"id": "\#($0.id)", "name": "\#($0.name)", "colour": "\#($0.colour)"}"# }.joined(separator: ", ")
        let json = """
            {"format": "countnight-feed/1", "id": "council-2026", "title": "Council 2026", "contests": [{"id": "council",
              "title": "City Council", "system": "list", "seats": \(seats), "method": "\(method)", "candidates": [\(candidates)],
              "boxes": [{"id": "B1", "area": "North", "electorate": 90000}, {"id": "B2", "area": "North", "electorate": 90000},
                        {"id": "B3", "area": "South", "electorate": 90000}, {"id": "B4", "area": "South", "electorate": 90000}]}]}
            """
        var tally = Tally(election: try ElectionFile.parse(Array(json.utf8)))
        let split = [(25_500, 19_500, 7_600, 5_200), (24_500, 20_500, 7_400, 5_300), (25_000, 20_000, 7_500, 5_250), (25_000, 20_000, 7_500, 5_250)]
        for (index, box) in ["B1", "B2", "B3", "B4"].enumerated() {
            tally.read(file: "v\(index)", bytes: Array(#"{"contest": "council", "kind": "verification", "box": "\#(box)", "ballotPapers": 57800}"#.utf8))
        }
        for (index, (a, b, c, d)) in split.prefix(counted).enumerated() {
            let batch = #"{"contest": "council", "kind": "count", "box": "B\#(index + 1)", "votes": {"a": \#(a), "b": \#(b), "c": \#(c), "d": \#(d)}, "rejected": {"blank": \#(57_800 - a - b - c - d)}}"#
            tally.read(file: "c\(index)", bytes: Array(batch.utf8))
        }
        return DashboardModel(snapshot: tally.snapshot(time: 0), clock: "23:40:00")
    }

    static let cases: [(name: String, seats: Int, counted: Int, width: Int, height: Int)] = [
        ("list-counting-overview-80x24", 7, 2, 80, 24),
        ("list-counting-overview-100x30", 7, 2, 100, 30),
        ("list-final-overview-80x24", 7, 4, 80, 24),
        ("list-150-seats-overview-100x30", 150, 4, 100, 30),
        ("list-150-seats-overview-80x24", 150, 4, 80, 24),
    ]

    @Test(arguments: cases.map(\.name))
    func screenMatchesGolden(_ name: String) throws {
        let test = Self.cases.first { $0.name == name }!
        let grid = Dashboard.render(try Self.model(seats: test.seats, counted: test.counted), ViewState(), width: test.width, height: test.height)
        let file = GoldenScreenTests.folder.appendingPathComponent(name + ".txt")
        let text = grid.text + "\n"
        if GoldenScreenTests.recording {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(golden == text, "\(name) differs from its golden screen; re-record with COUNTNIGHT_RECORD_GOLDEN=1 if meant\n\(text)")
    }

    @Test func theStripHasOneCellASeatInTheListsColourAndTheMajorityLine() throws {
        let model = try Self.model(seats: 7, counted: 4)
        let grid = Dashboard.render(model, ViewState(), width: 80, height: 24)
        let row = try #require(grid.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(" Seats ") })
        // D'Hondt on the worked example: A 3, B 3, C 1; 4 seats make a majority.
        let start = " Seats ".count
        #expect(String((start..<start + 8).compactMap { grid[$0, row].character }) == "████┃███")
        let colours = (start..<start + 8).map { grid[$0, row].style.foreground }
        let red = Colour.rgb(RGB(hex: "#d50000")!), blue = Colour.rgb(RGB(hex: "#1e88e5")!), green = Colour.rgb(RGB(hex: "#43a047")!)
        #expect(colours == [red, red, red, blue, .default, blue, blue, green])
        #expect(grid.text.contains(" Last seat: Beta ahead by 4,999; Alpha needs 6,667 to take it"))
        #expect(grid.text.contains("3 seats"))
    }
}
