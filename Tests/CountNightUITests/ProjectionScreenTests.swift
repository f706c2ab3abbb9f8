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
        // The overview's one layout value says where the bars are; the screen agrees.
        let layout = OverviewView.layout(Page(model: model, state: ViewState(), theme: Theme()),
                                         Dashboard.contentArea(model, ViewState(), width: 80, height: 24))
        #expect(layout.barX == barX)
        let barWidth = layout.barWidth
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

/// Block contests: the line under the last seat and each candidate's chance of one.
@Suite struct BlockScreenTests {
    static func model(counted: Int) throws -> DashboardModel {
        let people = [("a1", "Ann Able"), ("a2", "Al Ash"), ("a3", "Amy Arch"), ("b1", "Ben Best"), ("b2", "Bea Bold"), ("b3", "Bo Birch")]
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "w", "title": "Ward", "contests": [{"id": "ward", "title": "Bow", "system": "block", "seats": 3,
              "candidates": [\(people.map { #"{"id": "\#($0.0)", "name": "\#($0.1)"}"# }.joined(separator: ","))],
              "boxes": [\((1...6).map { #"{"id": "W\#($0)", "area": "A\#($0)", "electorate": 2000}"# }.joined(separator: ","))]}]}
            """.utf8))
        var tally = Tally(election: election)
        for box in 1...6 {
            tally.read(file: "v\(box)", bytes: Array(#"{"contest": "ward", "kind": "verification", "box": "W\#(box)", "ballotPapers": 600}"#.utf8))
        }
        for box in 1...counted {
            tally.read(file: "c\(box)", bytes: Array(#"{"contest": "ward", "kind": "count", "box": "W\#(box)", "ballots": 600, "votes": {"a1": 420, "a2": 400, "a3": 380, "b1": 300, "b2": 280, "b3": 20}}"#.utf8))
        }
        return DashboardModel(snapshot: tally.snapshot(time: 0))
    }

    @Test func whileCountingEachCandidateShowsTheirChanceOfASeat() throws {
        let model = try Self.model(counted: 3)
        let contest = model.snapshot.contests[0]
        let byID = try #require(contest.projection.seats?.chances())
        let chances = Array(byID.values)
        #expect(chances.count == 6)
        // Three seats: the chances add up to three.
        #expect(abs(chances.reduce(0, +) - 3) < 1e-9)
        // The leaders more likely than the trailers; the last all but out.
        #expect(byID["a1"]! > byID["b1"]! && byID["b1"]! > byID["b3"]!)
        #expect(byID["b3"]! < 0.01)
        let grid = Dashboard.render(model, ViewState(), width: 80, height: 30)
        let ann = try #require(grid.rows.first { $0.contains("Ann Able") })
        #expect(ann.contains(ContestSnapshot.chance(byID["a1"]!)))
        // The line under the third seat, with the margin there: 1,140 - 900.
        let line = try #require(grid.rows.firstIndex { $0.contains("seat 3 · marg") })
        #expect(grid.rows[line - 2].contains("Amy Arch") || grid.rows[line - 1].contains("Amy Arch"))
        #expect(grid.rows[line + 1].contains("Ben Best"))
        let wide = Dashboard.render(model, ViewState(), width: 120, height: 30)
        #expect(wide.rows.contains { $0.contains("seat 3 · margin 240") })
    }

    @Test func onceCompleteTheFirstThreeAreElectedForCertain() throws {
        let model = try Self.model(counted: 6)
        let contest = model.snapshot.contests[0]
        #expect(contest.projection.status == .final)
        #expect(contest.projection.seats?.chances() == ["a1": 1, "a2": 1, "a3": 1, "b1": 0, "b2": 0, "b3": 0])
        let grid = Dashboard.render(model, ViewState(), width: 80, height: 30)
        #expect(grid.rows.filter { $0.contains("ELECTED") && !$0.contains("ELECTED:") }.count == 3)
        #expect(grid.rows.contains { $0.contains("ELECTED: Ann Able, Al Ash, Amy Arch") })
    }
}

/// Supplementary Vote's second stage on the overview.
@Suite struct SecondStageScreenTests {
    @Test func theFinalistsBarsCarryTheirTransfersAndTheNoteSaysHowFarItIs() throws {
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "m", "title": "Mayoral", "contests": [{"id": "mayor", "title": "Mayor", "system": "sv",
              "candidates": [{"id": "ann", "name": "Ann Able"}, {"id": "bob", "name": "Bob Baker"}, {"id": "cat", "name": "Cat Clay"}],
              "boxes": [{"id": "N1", "area": "North"}, {"id": "S1", "area": "South"}]}]}
            """.utf8))
        var tally = Tally(election: election)
        tally.read(file: "n1", bytes: Array(#"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 400, "bob": 350, "cat": 250}}"#.utf8))
        tally.read(file: "s1", bytes: Array(#"{"contest": "mayor", "kind": "count", "box": "S1", "votes": {"ann": 400, "bob": 350, "cat": 250}}"#.utf8))
        tally.read(file: "t-n", bytes: Array(#"{"contest": "mayor", "kind": "second-preferences", "area": "North", "transfers": {"ann": 90, "bob": 120}, "nonTransferable": 40}"#.utf8))
        let grid = Dashboard.render(DashboardModel(snapshot: tally.snapshot(time: 0)), ViewState(), width: 100, height: 30)
        #expect(grid.rows[0].contains("SECOND STAGE"))
        let ann = try #require(grid.rows.first { $0.contains("Ann Able") })
        #expect(ann.contains("▒") && ann.contains("+90"))
        let bob = try #require(grid.rows.first { $0.contains("Bob Baker") })
        #expect(bob.contains("▒") && bob.contains("+120"))
        let cat = try #require(grid.rows.first { $0.contains("Cat Clay") })
        #expect(!cat.contains("▒") && !cat.contains("+"))
        let wide = Dashboard.render(DashboardModel(snapshot: tally.snapshot(time: 0)), ViewState(), width: 140, height: 30)
        #expect(wide.rows.contains { $0.contains("Second stage (first + transfers ▒): Ann Able 890 · Bob Baker 820 · 1 of 2 areas examined, 250 ballots to go") })
        #expect(grid.rows.contains { $0.contains("Too early to call: second stage, 1 of 2 areas examined") })
        // The first stage is settled: no ranges.
        #expect(!grid.rows.contains { $0.contains("├") })
    }
}
