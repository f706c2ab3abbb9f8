import Foundation
import Testing

/// What people at a count see first, in the real dashboard in tmux: results
/// that change after they were shown, the feed's freshness, and the hall's
/// headline on a big screen (issue 13).
@Suite(.serialized, .enabled(if: TmuxScreen.mustRun, TmuxScreen.skipNote)) struct HallDashboardTests {
    let binary = RunningCommand.binary

    @Test func aRecountThatFlipsTheWinnerAndAFileRefusedAfterAreBandsUntilAcknowledged() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        try feed.land("b2.json", ScratchFeed.count("B2", a: 50, b: 60))
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
        try tmux.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(tmux.waitUntil { $0.contains("ELECTED: Ann") })
        #expect(!tmux.screen.contains("RESULT CHANGED"))

        // The recount of B2 gives Bob 150: Bob 230, Ann 170.
        try feed.land("b2-recount.json", ScratchFeed.count("B2", a: 50, b: 150, revision: 2))
        #expect(tmux.waitFor("Council: ELECTED Ann → ELECTED Bob  [a: acknowledge]"))
        #expect(tmux.lines[1].hasPrefix(" RESULT CHANGED "))
        #expect(tmux.screen.contains("ELECTED: Bob"))
        #expect(tmux.lines[23].contains("a acknowledge"))
        // It stays through other keys and views.
        try tmux.type("3")
        #expect(tmux.waitFor("State"))
        #expect(tmux.lines[1].contains("RESULT CHANGED"))
        try tmux.type("a")
        #expect(tmux.waitUntil { !$0.contains("RESULT CHANGED") })
        #expect(!tmux.lines[23].contains("acknowledge"))
        // The log keeps it.
        try tmux.type("5")
        #expect(tmux.waitFor("CHANGED"))
        #expect(tmux.screen.contains("Council: ELECTED Ann → ELECTED Bob"))

        // A refused file after the result: NEW PROBLEM, until acknowledged.
        try tmux.type("1")
        try feed.land("bad.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 1.5, "b": 0}}"#)
        #expect(tmux.waitFor("1 refused file after a result was shown: bad.json"))
        #expect(tmux.lines[1].hasPrefix(" NEW PROBLEM"))
        #expect(tmux.screen.contains("ELECTED: Bob"))
        try tmux.type("a")
        #expect(tmux.waitUntil { !$0.contains("NEW PROBLEM") })
        #expect(tmux.screen.contains("Refused files 1"))

        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func theHeaderSaysHowLongAgoTheLastBatchArrived() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
        try tmux.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(tmux.waitFor("no batch yet"))
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        #expect(tmux.waitFor("last batch 0 s ago"))
        // The time since goes on while the feed is quiet.
        #expect(tmux.waitFor("last batch 2 s ago", seconds: 6))
        #expect(tmux.lines[0].contains("COUNTING  last batch 2 s ago  "))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func aBigScreenShowsTheResultInLargeDigits() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 300, b: 100))
        try feed.land("b2.json", ScratchFeed.count("B2", a: 100, b: 100))
        let tmux = try TmuxScreen.atPrompt(width: 200, height: 60)
        defer { tmux.close() }
        try tmux.run("\(binary) watch \(feed.path); echo EXIT=$?")
        #expect(tmux.waitFor("ELECTED: Ann"))
        // 66.7% in digits five rows high beside ELECTED, the name and the majority.
        let lines = tmux.lines
        let top = try #require(lines.firstIndex { $0.contains("██████ ██████    ██████ ██  ██") && $0.contains("ELECTED") })
        #expect(lines[top + 4].contains("██████ ██████ ██     ██ ██  ██"))
        #expect(lines[top + 2].contains("Ann"))
        #expect(lines[top + 3].contains("400 votes   majority 200"))
        #expect(lines[top + 4].contains("the count's result, awaiting declaration"))
        // The bars use the height: Ann's is more than five rows.
        #expect(lines.filter { $0.contains("████████████████████") }.count >= 10)
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }
}
