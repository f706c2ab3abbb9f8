import Foundation
import Testing

/// Finding a contest among 650 in the real dashboard, in tmux: typed, the
/// list narrowed, a batch landing under the choice, the terminal resized.
@Suite(.serialized, .enabled(if: TmuxScreen.mustRun, TmuxScreen.skipNote)) struct ContestFindDashboardTests {
    let binary = RunningCommand.binary

    static let national: String = {
        let contests = (0..<650).map { index in
            #"{"id": "C\#(1000 + index)", "title": "Constituency \#(index)", "candidates": [{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bob"}], "boxes": [{"id": "B1", "electorate": 500}, {"id": "B2", "electorate": 500}]}"#
        }
        return #"{"format": "countnight-feed/1", "id": "national", "title": "National", "contests": [\#(contests.joined(separator: ","))]}"#
    }()

    static func count(_ contest: Int, a: Int, b: Int) -> String {
        #"{"contest": "C\#(1000 + contest)", "kind": "count", "box": "B1", "votes": {"a": \#(a), "b": \#(b)}}"#
    }

    @Test func typingFindsAContestAndTheChoiceStaysWhileBatchesLand() throws {
        let feed = try ScratchFeed(election: Self.national)
        try feed.land("c0.json", Self.count(0, a: 100, b: 50))
        let tmux = try TmuxScreen.atPrompt(width: 80, height: 24)
        defer { tmux.close() }
        try tmux.run("\(binary) watch \(feed.path) --interval 0.1; echo EXIT=$?")
        #expect(tmux.waitFor("650 contests"))
        try tmux.type("/")
        #expect(tmux.waitFor("Find: ▏"))
        try tmux.type("constituency 64")
        #expect(tmux.waitFor("11 of 650 contests"))
        #expect(tmux.lines[23].hasPrefix(" Find: constituency 64▏"))
        try tmux.press("Down")
        try tmux.press("Down")
        #expect(tmux.waitFor("▶ Constituency 641 "))
        // A batch of the chosen contest lands: its row changes, the choice stays.
        try feed.land("c641.json", Self.count(641, a: 30, b: 90))
        #expect(tmux.waitUntil { $0.contains("▶ Constituency 641") && $0.contains("Bob leads") })
        // q is a letter of the find, not quit; Backspace takes it off.
        try tmux.type("q")
        #expect(tmux.waitFor("No contest's name or id contains \"constituency 64q\"."))
        try tmux.press("BSpace")
        #expect(tmux.waitFor("▶ Constituency 641 "))
        // Resized: the find's line and the choice are still there.
        try tmux.resize(width: 120, height: 40)
        // Waited for at the new size's last row: the old screen holds the same words higher up.
        #expect(tmux.waitUntil { screen in
            let lines = screen.components(separatedBy: "\n")
            return screen.contains("▶ Constituency 641 ") && lines.count > 39 && lines[39].hasPrefix(" Find: constituency 64▏")
                && lines[39].contains("11 of 650 contests")
        })
        try tmux.press("Enter")
        #expect(tmux.waitFor("Constituency 641 (642 of 650"))
        try tmux.press("Escape")
        #expect(tmux.waitFor("650 contests · "))
        #expect(tmux.screen.contains("▶ Constituency 641 "))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }

    @Test func aFindInAReplayTakesTheReplaysLetterKeys() throws {
        let riverside = RunningCommand.projectRoot.appendingPathComponent("sample-feeds/riverside-2026").path
        let tmux = try TmuxScreen.atPrompt(width: 100, height: 30)
        defer { tmux.close() }
        // So slow that nothing lands before the keys do.
        try tmux.run("\(binary) replay \(riverside) --speed 0.01; echo EXIT=$?")
        #expect(tmux.waitFor("every contest"))
        try tmux.type(" ")
        #expect(tmux.waitFor("REPLAY PAUSED"))
        // The timeline: " 21:00 ▆▆… 23:39   0/53  space ‖ …".
        func position() -> String? { tmux.lines[1].split(separator: " ").first { $0.contains("/") && $0.first!.isNumber }.map(String.init) }
        let start = try #require(position())
        #expect(start.hasPrefix("0/"))
        // e, r, space and + type; ← does nothing: the night stays where it is.
        try tmux.type("/e r+")
        try tmux.press("Right")
        #expect(tmux.waitFor("Find: e r+▏"))
        Thread.sleep(forTimeInterval: 0.3)
        #expect(position() == start)
        #expect(tmux.screen.contains("REPLAY PAUSED"))
        // The find ended, e is the replay's again.
        try tmux.press("Escape")
        try tmux.type("e")
        let total = start.split(separator: "/").last!
        #expect(tmux.waitFor("\(total)/\(total)"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=0"))
    }
}
