import CountNightCore
import Testing
@testable import CountNightUI

/// Box types on the Areas and Boxes views, with every figure still on the
/// screen at 80×24.
@Suite struct BoxTypeScreenTests {
    static func model() throws -> DashboardModel {
        var boxes: [String] = []
        for area in ["Bethnal Green North", "Bow East"] {
            for (type, count) in [("polling-day", 2), ("postal", 1)] {
                for index in 1...count {
                    let id = "\(area.prefix(3).uppercased())-\(type == "postal" ? "P" : "D")\(index)"
                    boxes.append(#"{"id": "\#(id)", "area": "\#(area)", "type": "\#(type)", "electorate": 3000}"#)
                }
            }
        }
        let json = #"{"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c", "candidates": [{"id": "ann", "name": "Ann Able"}, {"id": "bob", "name": "Bob Baker"}], "boxes": [\#(boxes.joined(separator: ","))]}]}"#
        var tally = Tally(election: try ElectionFile.parse(Array(json.utf8)))
        _ = tally.read(file: "v1", bytes: Array(#"{"contest": "c", "kind": "verification", "box": "BET-D1", "ballotPapers": 1234}"#.utf8))
        _ = tally.read(file: "c1", bytes: Array(#"{"contest": "c", "kind": "count", "box": "BET-D1", "votes": {"ann": 700, "bob": 500}, "rejected": {"void": 34}}"#.utf8))
        return DashboardModel(snapshot: tally.snapshot(time: 0, boxes: true))
    }

    @Test func theBoxesViewShowsEachBoxsTypeAndKeepsItsFigures() throws {
        var state = ViewState()
        state.view = .boxes
        let grid = Dashboard.render(try Self.model(), state, width: 80, height: 24)
        let header = try #require(grid.rows.first { $0.contains("Box") && $0.contains("Type") })
        #expect(header.contains("Verified") && header.contains("Counted"))
        let counted = try #require(grid.rows.first { $0.contains("BET-D1") })
        #expect(counted.contains("polling-day") && counted.contains("counted") && counted.components(separatedBy: "1,234").count == 3)
        #expect(grid.rows.contains { $0.contains("BOW-P1") && $0.contains("postal") && $0.contains("awaiting") })
    }

    @Test func theAreasViewListsEachAreasTypes() throws {
        var state = ViewState()
        state.view = .areas
        for width in [80, 160] {
            let grid = Dashboard.render(try Self.model(), state, width: width, height: 24)
            let header = try #require(grid.rows.first { $0.contains("Area") && $0.contains("Types") })
            #expect(header.contains("Turnout") && header.contains("Share"), "\(width): \(header)")
            let row = try #require(grid.rows.first { $0.contains("Bethnal") })
            #expect(row.contains(width >= 100 ? "polling-day,postal" : "polli…"), "\(width): \(row)")
            #expect(row.contains("Ann Able") || row.contains("Ann Ab"), "\(width): \(row)")
            #expect(row.contains("58.3%") && row.contains("2,468"), "\(width): \(row)")
        }
    }
}
