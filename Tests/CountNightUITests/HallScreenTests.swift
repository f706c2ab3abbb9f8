import CountNightCore
import Testing
@testable import CountNightUI

/// What people at a count see first: which contest, whether the feed is
/// fresh, results that change, and the headline for the hall (issue 13).
@Suite struct HallScreenTests {
    /// Two candidates without a party colour; Bo overtakes Al after the second box.
    static func overtaking(boxes: Int) throws -> DashboardModel {
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "e", "title": "Overtaking", "contests": [
              {"id": "c", "title": "Ward", "system": "fptp",
               "candidates": [{"id": "al", "name": "Al Ash"}, {"id": "bo", "name": "Bo Birch"}],
               "boxes": [{"id": "B1", "area": "North"}, {"id": "B2", "area": "South"}]}]}
            """.utf8))
        var tally = Tally(election: election)
        let counts = [#"{"contest": "c", "kind": "count", "box": "B1", "votes": {"al": 600, "bo": 400}}"#,
                      #"{"contest": "c", "kind": "count", "box": "B2", "votes": {"al": 100, "bo": 900}}"#]
        for (index, count) in counts.prefix(boxes).enumerated() { tally.read(file: "b\(index)", bytes: Array(count.utf8)) }
        return DashboardModel(snapshot: tally.snapshot(time: 0, boxes: true), trend: tally.trendHistory(), clock: "22:00:00")
    }

    /// The colour of the first bar cell on the candidate's row in the overview.
    func barColour(_ name: String, in grid: Grid) throws -> Colour {
        let row = try #require(find(name, in: grid)).y
        let x = try #require(Array(grid.rows[row]).firstIndex(of: "█"))
        return grid[x, row].style.foreground
    }

    @Test func aCandidateWithoutAPartyColourKeepsTheirColourWhenOvertakenAndInEveryView() throws {
        let before = Dashboard.render(try Self.overtaking(boxes: 1), ViewState(), width: 100, height: 30)
        let after = Dashboard.render(try Self.overtaking(boxes: 2), ViewState(), width: 100, height: 30)
        // Al leads, then Bo: the order changes, the colours do not.
        #expect(find("Al Ash", in: before)!.y < find("Bo Birch", in: before)!.y)
        #expect(find("Bo Birch", in: after)!.y < find("Al Ash", in: after)!.y)
        #expect(try barColour("Al Ash", in: before) == barColour("Al Ash", in: after))
        #expect(try barColour("Bo Birch", in: before) == barColour("Bo Birch", in: after))
        #expect(try barColour("Al Ash", in: after) != barColour("Bo Birch", in: after))
        // The trend's legend draws each candidate in the same colour.
        var trend = ViewState()
        trend.view = .trend
        let plot = Dashboard.render(try Self.overtaking(boxes: 2), trend, width: 100, height: 30)
        let legend = try #require(find("Bo Birch 65.00%", in: plot))
        #expect(plot[legend.x - 2, legend.y].style.foreground == (try barColour("Bo Birch", in: after)))
    }

    @Test func withSeveralContestsTheContestsNameOutlastsTheElectionsTitle() throws {
        let model = RiversideNight.model("counting")
        var state = ViewState(contests: 3)
        state.contestList = false
        let narrow = Dashboard.render(model, state, width: 80, height: 24)
        #expect(narrow.rows[0].hasPrefix(" Mayor of Riverside (1 of 3, c: next) "))
        #expect(narrow.rows[0].hasSuffix(" COUNTING  00:47:12 "))
        // c: the next contest's name, where the title would have stayed the same.
        _ = state.apply(.character("c"), contests: 3, page: 10, total: 10)
        #expect(Dashboard.render(model, state, width: 80, height: 24).rows[0].hasPrefix(" Eastgate ward (3 seats) (2 of 3, c: next) "))
        let wide = Dashboard.render(model, state, width: 160, height: 48)
        #expect(wide.rows[0].hasPrefix(" Riverside borough elections 2026 (synthetic) · Eastgate ward (3 seats) (2 of 3, c: next) "))
    }

    @Test func theHeaderSaysHowLongAgoTheLastBatchArrived() {
        var model = RiversideNight.model("counting")
        model.now = 10_000
        model.lastBatchAt = 10_000 - 4 * 60 - 10
        var state = ViewState(contests: 3)
        state.contestList = false
        let grid = Dashboard.render(model, state, width: 100, height: 30)
        #expect(grid.rows[0].hasSuffix(" COUNTING  last batch 4 min ago  00:47:12 "))
        model.lastBatchAt = 10_000 - 25
        #expect(Dashboard.render(model, state, width: 100, height: 30).rows[0].contains("last batch 25 s ago"))
        model.lastBatchAt = nil
        #expect(Dashboard.render(model, state, width: 100, height: 30).rows[0].contains("no batch yet"))
        // A replay keeps its own clock: no freshness.
        #expect(!Dashboard.render(RiversideNight.model("counting"), state, width: 100, height: 30).rows[0].contains("last batch"))
    }

    @Test func theFeedBandKeepsTheTimeOfTheLastRead() {
        let grid = Dashboard.render(RiversideNight.model("feed-not-answering"), ViewState(contests: 3), width: 80, height: 24)
        #expect(grid.rows[1].hasPrefix(" FEED NOT ANSWERING · last batch read 23:58:40"))
        let wide = Dashboard.render(RiversideNight.model("feed-not-answering"), ViewState(contests: 3), width: 160, height: 48)
        #expect(wide.rows[1].contains("last batch read 23:58:40 · /srv/count/riverside-feed: No such file or directory"))
    }

    @Test func aChangedResultStaysInABandUntilAcknowledged() throws {
        var model = RiversideNight.model("declared")
        let alert = ResultAlert(kind: .electedChanged, contest: "mayor", message: "Mayor of Riverside: ELECTED Grace Okafor → ELECTED Tom Hale", time: 0)
        model.alerts = [ShownAlert(alert, clock: "00:50:01")]
        var state = ViewState(contests: 3)
        state.contestList = false
        var grid = Dashboard.render(model, state, width: 120, height: 30)
        #expect(grid.rows[1].hasPrefix(" RESULT CHANGED 00:50:01: Mayor of Riverside: ELECTED Grace Okafor → ELECTED Tom Hale  [a: acknowledge]"))
        // At 80 columns the message stays whole; the time and the key go from
        // the band, and the footer names the key.
        let narrow = Dashboard.render(model, state, width: 80, height: 24)
        #expect(narrow.rows[1] == " RESULT CHANGED: Mayor of Riverside: ELECTED Grace Okafor → ELECTED Tom Hale    ")
        #expect(narrow.rows[23].contains("a acknowledge"))
        grid = Dashboard.render(model, state, width: 100, height: 30)
        #expect(grid[1, 1].style.reverse && grid[1, 1].style.bold && grid[1, 1].style.foreground == .basic(.red))
        #expect(grid.rows[29].contains("a acknowledge"))
        // Other keys leave it; views change under it.
        #expect(state.apply(.character("5"), contests: 3, page: 10, total: 10, alerts: 1) == .changed)
        grid = Dashboard.render(model, state, width: 100, height: 30)
        #expect(grid.rows[1].contains("RESULT CHANGED"))
        #expect(grid.rows.contains { $0.contains("CHANGED   00:50:01 Mayor of Riverside: ELECTED Grace Okafor") })
        // a acknowledges: the band goes, the log keeps it.
        #expect(state.apply(.character("a"), contests: 3, page: 10, total: 10, alerts: 1) == .changed)
        grid = Dashboard.render(model, state, width: 100, height: 30)
        #expect(!grid.rows[1].contains("RESULT CHANGED") && !grid.rows[29].contains("acknowledge"))
        #expect(grid.rows.contains { $0.contains("CHANGED   00:50:01 Mayor of Riverside: ELECTED Grace Okafor") })
        #expect(state.apply(.character("a"), contests: 3, page: 10, total: 10, alerts: 1) == .unchanged)
        // A new problem brings the band back.
        model.alerts.append(ShownAlert(ResultAlert(kind: .newProblem, contest: nil, message: "1 refused file after a result was shown: x.json: bad", time: 1), clock: "00:51:00"))
        grid = Dashboard.render(model, state, width: 100, height: 30)
        #expect(grid.rows[1].hasPrefix(" NEW PROBLEM 00:51:00: 1 refused file after a result was shown: x.json: bad"))
    }

    @Test func helpListsTheAcknowledgeKey() {
        var state = ViewState()
        state.showHelp = true
        let grid = Dashboard.render(SampleNight.model(upTo: 1), state, width: 100, height: 30)
        #expect(grid.rows.contains { $0.contains("a               acknowledge a RESULT CHANGED or NEW PROBLEM band") })
    }

    @Test func aSecondStageShowsBothFinalistsTransfersAndTheWinnersBarPassesTheLine() throws {
        var state = ViewState(contests: 3)
        state.contestList = false
        let grid = Dashboard.render(RiversideNight.model("declared"), state, width: 100, height: 30)
        let okafor = try #require(grid.rows.first { $0.contains("Grace Okafor") && $0.contains("4,864") })
        #expect(okafor.contains("+1,570 ELECTED"))
        let hale = try #require(grid.rows.first { $0.contains("Tom Hale") && $0.contains("3,970") })
        #expect(hale.contains("+1,224"))
        #expect(grid.rows.contains { $0.contains("Majority 1,240 after transfers") })
        #expect(grid.rows.contains { $0.contains("Second stage (first + transfers ▒): Grace Okafor 6,434 · Tom Hale 5,194 · complete") })
        // The line that elects, and the winner's bar with transfers past it.
        let label = try #require(find("half of final", in: grid))
        let lineX = label.x + 1
        let row = try #require(find("Tom Hale", in: grid)).y
        #expect(grid[lineX, row].character == "│")
        let winner = try #require(find("Grace Okafor", in: grid)).y
        let bar = Array(grid.rows[winner])
        #expect(bar[lineX] == "▒" || bar[lineX] == "█")
    }

    @Test func aBigScreenHasAHeadlineForTheHall() throws {
        var state = ViewState(contests: 3)
        state.contestList = false
        let grid = Dashboard.render(RiversideNight.model("declared"), state, width: 200, height: 60)
        // The share of the final votes in digits five rows high: 55.3%.
        let digits = HallHeadline.big("55.3%", glyphs: .unicode)
        let top = try #require(grid.rows.firstIndex { $0.contains(digits[0]) })
        #expect((0..<5).allSatisfy { grid.rows[top + $0].contains(digits[$0]) })
        #expect(grid.rows[top].contains("DECLARED ELECTED"))
        #expect(grid.rows[top + 2].contains("Grace Okafor   Labour"))
        #expect(grid.rows[top + 3].contains("4,864 votes + 1,570 transfers = 55.3% of the votes in the final   majority 1,240"))
        // The bars use the height: seven rows each, and no stretch of empty rows.
        let okafor = grid.rows.filter { $0.hasPrefix("▶ Grace Okafor") || ($0.hasPrefix("      ") && $0.contains("▒▒▒")) }
        #expect(okafor.count >= 7)
        var emptyRun = 0, longest = 0
        for row in grid.rows { emptyRun = row.allSatisfy { $0 == " " } ? emptyRun + 1 : 0; longest = max(longest, emptyRun) }
        #expect(longest <= 4)
        // At 100×30 there is no room for it.
        #expect(!Dashboard.render(RiversideNight.model("declared"), state, width: 100, height: 30).rows.contains { $0.contains(digits[0]) })
    }

    @Test func whileALargeNightsTrendIsWorkedOutTheTrendViewSaysSo() {
        var model = SampleNight.model(upTo: 0.5)
        let full = model.trend
        // The first model of a large night: the count, and the trend still to come.
        model.trend = full.map { [$0.last!] }
        model.trendPending = true
        var state = ViewState()
        state.view = .trend
        let waiting = Dashboard.render(model, state, width: 80, height: 24).rows
        #expect(waiting.contains { $0.hasPrefix(" Working out the trend from the batches read so far… ") })
        #expect(!waiting.contains { $0.contains("No votes counted yet") || $0.contains("ballots counted") })
        // The count itself is shown meanwhile.
        #expect(Dashboard.render(model, ViewState(), width: 80, height: 24).rows.contains { $0.contains("Lutfur Rahman") })
        let ascii = Dashboard.render(model, state, theme: Theme(unicode: false), width: 80, height: 24).rows
        #expect(ascii.contains { $0.hasPrefix(" Working out the trend from the batches read so far. ") })
        model.trend = full
        model.trendPending = false
        #expect(Dashboard.render(model, state, width: 80, height: 24).rows.contains { $0.contains("ballots counted") })
    }

    @Test func whileALargeFeedIsFirstReadABandSaysHowFarAndTheFiguresAreThoseBefore() {
        var model = SampleNight.model(upTo: 0)
        model.reading = FeedReading(filesRead: 136_192, files: 1_000_160)
        let narrow = Dashboard.render(model, ViewState(), width: 80, height: 24)
        #expect(narrow.rows[1] == " READING THE FEED · 136,192 of 1,000,160 files (13%)".padding(toLength: 80, withPad: " ", startingAt: 0))
        #expect(narrow[1, 1].style == Styles.colour.warningBand)
        #expect(narrow.rows[0].contains("AWAITING"))
        let wide = Dashboard.render(model, ViewState(), width: 120, height: 30)
        #expect(wide.rows[1].hasPrefix(" READING THE FEED · 136,192 of 1,000,160 files (13%) · the figures follow when it is read "))
        let ascii = Dashboard.render(model, ViewState(), theme: Theme(unicode: false), width: 80, height: 24)
        #expect(ascii.rows[1].hasPrefix(" READING THE FEED - 136,192 of 1,000,160 files (13%)"))
        // Once read, the band is gone and the view has its row back.
        model.reading = nil
        #expect(!Dashboard.render(model, ViewState(), width: 80, height: 24).rows.contains { $0.contains("READING") })
    }
}

