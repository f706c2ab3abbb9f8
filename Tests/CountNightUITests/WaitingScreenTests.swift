import CountNightCore
import Testing
@testable import CountNightUI

/// The screen of a dashboard started before its feed, and the replay's keys
/// in the footer.
@Suite struct WaitingScreenTests {
    static func waiting(_ status: FeedWaiting) -> DashboardModel {
        var model = DashboardModel(snapshot: Tally(election: Election(id: "", title: "", contests: [])).snapshot(time: 0), clock: "19:02:03")
        model.waiting = status
        return model
    }

    @Test func itSaysWhatItWaitsForWithTheWholePathAt80x24() {
        let path = "/srv/count/riverside-borough-2026/returning-officer/feeds/main-hall/screens/feed"
        let model = Self.waiting(FeedWaiting(awaited: "election.json in \(path)"))
        for (width, height) in [(80, 24), (100, 30)] {
            let grid = Dashboard.render(model, ViewState(), width: width, height: height)
            #expect(grid.rows[0].contains("WAITING FOR THE FEED  19:02:03"))
            // The path is wrapped, never cut: put back together it is whole.
            let text = grid.rows.map { $0.trimmingCharacters(in: .whitespaces) }.joined()
            #expect(text.contains("Waiting for election.json in\(path)."), "\(grid.rows)")
            #expect(grid.rows[height - 1].contains("q quit"))
            #expect(grid.rows.allSatisfy { !$0.contains("…") })
        }
    }

    @Test func whatIsThereButNotUsableYetIsShown() {
        let model = Self.waiting(FeedWaiting(awaited: "election.json in /f", problem: "/f/election.json: not valid JSON"))
        let grid = Dashboard.render(model, ViewState(), width: 80, height: 24)
        #expect(grid.rows.contains { $0.contains("Not usable yet: /f/election.json: not valid JSON") })
        #expect(Dashboard.scrollExtent(model, ViewState(), width: 80, height: 24) == (1, 0))
    }

    @Test func wrappingBreaksAtSpacesAndInsideAWordOnlyWhenItAloneIsWider() {
        #expect(WaitingView.wrap("one two three", 7) == ["one two", "three"])
        #expect(WaitingView.wrap("a /abcdefghij", 5) == ["a", "/abcd", "efghi", "j"])
    }

    @Test func aReplaysFooterGivesTheRewindKey() throws {
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "e", "title": "Night", "contests": [
              {"id": "c", "title": "Council", "candidates": [{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bob"}], "boxes": [{"id": "B1"}]}]}
            """.utf8))
        var model = DashboardModel(snapshot: Tally(election: election).snapshot(time: 0), clock: "21:00:00")
        let live80 = Dashboard.render(model, ViewState(), width: 80, height: 24).rows[23]
        #expect(!live80.contains("rewind"))
        model.replay = ReplayStatus(speed: 60, paused: false, position: 0, clock: 0, start: 0, end: 10, times: [1, 10],
                                    startLabel: "21:00", endLabel: "21:10")
        let footer80 = Dashboard.render(model, ViewState(), width: 80, height: 24).rows[23]
        #expect(footer80.contains("5 Log   r rewind  ? help  q quit"), "\(footer80)")
        let footer130 = Dashboard.render(model, ViewState(), width: 130, height: 30).rows[29]
        #expect(footer130.contains("space pause  r rewind  Tab next"), "\(footer130)")
        var help = ViewState()
        help.showHelp = true
        let rows = Dashboard.render(model, help, width: 80, height: 24).rows
        #expect(rows.contains { $0.contains("r, e            rewind to the start, go to the end of the night") })
        #expect(rows.contains { $0.contains("Home, End       go to the top or the bottom") })
    }
}
