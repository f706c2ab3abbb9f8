import CountNightCore
import Testing
@testable import CountNightUI

/// What the overview and the areas view say of the projection.
@Suite struct ProjectionScreenTests {
    func row(containing text: String, in grid: Grid) -> Int? { grid.rows.firstIndex { $0.contains(text) } }

    @Test func midwayItIsTooEarlyAndEachBarCarriesItsRange() throws {
        let model = SampleNight.model(upTo: 0.6)
        let contest = model.snapshot.contests[0]
        #expect(contest.projection.status == .tooEarly)
        let grid = Dashboard.render(model, ViewState(), width: 80, height: 24)
        let line = try #require(row(containing: "Too early to call: ", in: grid))
        #expect(grid.rows[line].contains("Too early to call: \(Format.percent(contest.projection.counted, decimals: 0)) counted"))
        #expect(grid[1, line].style.foreground == .basic(.yellow))
        // Every candidate's bar has its range marks on the blank row under it
        // (80x24: bars two rows high, the name on the first).
        for candidate in contest.candidates {
            let y = try #require(row(containing: candidate.name, in: grid))
            #expect(grid.rows[y + 2].contains("├") && grid.rows[y + 2].contains("┤"), "\(candidate.name): \(grid.rows[y + 2])")
            #expect(grid.rows[y].contains("█") && !grid.rows[y].contains("├"))
        }
        let rahman = try #require(contest.projection.shares.first { $0.id == "rahman" })
        let y = try #require(row(containing: "Lutfur Rahman", in: grid))
        let text = Array(grid.rows[y + 2])
        let low = try #require(text.firstIndex(of: "├")), high = try #require(text.firstIndex(of: "┤"))
        // On the bar's scale: 60% across the bar's columns for Supplementary Vote.
        let barX = try #require(Array(grid.rows[y]).firstIndex(of: "█"))
        let barWidth = 80 - (2 + 14 + 1 + 12 + 1 + 1 + 11 + 8 + 1 + 8)
        #expect(low - barX == Int((rahman.low / 0.6 * Double(barWidth)).rounded(.down)))
        #expect(high - barX == min(barWidth - 1, Int((rahman.high / 0.6 * Double(barWidth)).rounded(.down))))
        #expect(grid[low, y + 2].style.foreground == grid[barX, y].style.foreground)
        #expect(grid.rows.contains { $0.contains("projected final share, 90% range") })
        // The runner-up's hurdle on the majority line.
        #expect(grid.rows.contains { $0.contains("Abbas needs ") && $0.contains("% of the ") })
    }

    @Test func nearTheEndTheWinnerIsProjectedAndAtTheEndElected() throws {
        let model = SampleNight.model(upTo: 1)
        let grid = Dashboard.render(model, ViewState(), width: 80, height: 24)
        let line = try #require(row(containing: "ELECTED: Lutfur Rahman", in: grid))
        #expect(grid[1, line].style.reverse)
        #expect(!grid.rows.contains { $0.contains("├") })

        // Some point before the end at which the model calls it.
        let projected = (80..<100).map { SampleNight.model(upTo: Double($0) / 100) }
            .first { $0.snapshot.contests[0].projection.status == .projected }
        let model95 = try #require(projected)
        let contest = model95.snapshot.contests[0]
        #expect(contest.status == .counting)
        let screen = Dashboard.render(model95, ViewState(), width: 80, height: 24)
        let called = try #require(row(containing: "PROJECTED WINNER: Lutfur Rahman, ", in: screen))
        #expect(screen.rows[called].contains(ContestSnapshot.chance(contest.projection.probability)))
        #expect(screen[1, called].style.foreground == .basic(.cyan))
    }

    @Test func aCertainRaceSaysWhyInFigures() throws {
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "seat", "system": "fptp",
              "candidates": [{"id": "ann", "name": "Ann Able"}, {"id": "bob", "name": "Bob Baker"}],
              "boxes": [{"id": "A"}, {"id": "B"}, {"id": "C"}]}]}
            """.utf8))
        var tally = Tally(election: election)
        for box in ["A", "B", "C"] {
            tally.read(file: "v-\(box)", bytes: Array(#"{"contest": "seat", "kind": "verification", "box": "\#(box)", "ballotPapers": 1000}"#.utf8))
        }
        tally.read(file: "c-A", bytes: Array(#"{"contest": "seat", "kind": "count", "box": "A", "votes": {"ann": 900, "bob": 100}}"#.utf8))
        tally.read(file: "c-B", bytes: Array(#"{"contest": "seat", "kind": "count", "box": "B", "votes": {"ann": 700, "bob": 280}, "rejected": {"unmarked": 20}}"#.utf8))
        let grid = Dashboard.render(DashboardModel(snapshot: tally.snapshot(time: 0)), ViewState(), width: 100, height: 30)
        let line = try #require(row(containing: "WINNER CERTAIN: Ann Able, lead 1,220 exceeds the 1,000 ballots left", in: grid))
        #expect(grid[1, line].style.foreground == .basic(.green))
        #expect(grid.rows.contains { $0.contains("Baker cannot catch up with the 1,000 ballots left") })
    }

    @Test func withNoRoomUnderTheBarsTheRangeIsCutIntoTheBar() throws {
        let ids = (1...15).map { "c\($0)" }
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "seat", "system": "fptp",
              "candidates": [\(ids.map { #"{"id": "\#($0)", "name": "Name \#($0)"}"# }.joined(separator: ","))],
              "boxes": [{"id": "A", "area": "North"}, {"id": "B", "area": "South"}]}]}
            """.utf8))
        var tally = Tally(election: election)
        let votes = ids.enumerated().map { #""\#($0.element)": \#(200 - 10 * $0.offset)"# }.joined(separator: ", ")
        tally.read(file: "c-A", bytes: Array(#"{"contest": "seat", "kind": "count", "box": "A", "votes": {\#(votes)}}"#.utf8))
        let grid = Dashboard.render(DashboardModel(snapshot: tally.snapshot(time: 0)), ViewState(), width: 80, height: 24)
        let y = try #require(row(containing: "Name c1 ", in: grid))
        // One row per candidate: the bar and its range share it.
        #expect(grid.rows[y + 1].contains("Name c2 "))
        let text = Array(grid.rows[y])
        let low = try #require(text.firstIndex(of: "├"))
        #expect(text.firstIndex(of: "┤") != nil)
        // Where the mark falls inside the bar it is cut out of it: reversed.
        #expect(grid[low, y].style.reverse)
    }

    @Test func theAreasViewShowsBallotsStillToCount() throws {
        let model = SampleNight.model(upTo: 0.6)
        var state = ViewState()
        state.view = .areas
        let grid = Dashboard.render(model, state, width: 80, height: 24)
        #expect(grid.rows[1].contains("To count"))
        for area in model.snapshot.contests[0].areas where area.coveredBoxes < area.boxes {
            let y = try #require(row(containing: String(area.name.prefix(16)), in: grid))
            #expect(grid.rows[y].contains(Format.grouped(area.uncounted)), "\(area.name): \(grid.rows[y])")
        }
    }
}
