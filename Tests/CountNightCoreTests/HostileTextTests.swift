import Testing
@testable import CountNightCore

/// Issue 11, items 4, 6, 8, 9: strings and times from a feed or a journal
/// that would forge lines, command a terminal, stall a replay or escape DIR.
@Suite struct HostileTextTests {
    @Test func controlCharactersAreEscapedAndOneLineStaysOne() {
        #expect(TextEscape.line("X\n all.json: OK") == "X\\n all.json: OK")
        #expect(TextEscape.line("\u{1B}[2J name") == "\\u{1B}[2J name")
        #expect(TextEscape.line("bell\u{07} osc\u{1B}]0;t\u{07} c1\u{9B}2J del\u{7F} tab\t") ==
                "bell\\u{7} osc\\u{1B}]0;t\\u{7} c1\\u{9B}2J del\\u{7F} tab\\t")
        // A backslash is doubled, so "\n" typed in a name reads differently from a newline.
        #expect(TextEscape.line(#"a\nb"#) == #"a\\nb"#)
        #expect(TextEscape.line("Lutfur Rahman · Ünal") == "Lutfur Rahman · Ünal")
    }

    @Test func journalFileNamesAreCheckedLikeFeedNames() {
        let content = Array("{}".utf8)
        for bad in ["election.json\u{0}x", "..", ".", "../election.json", "a/b.json", "x\u{1B}[2J.json", ""] {
            let line = Journal.line(NightEntry(time: 10, file: bad, change: .version(content)))
            let read = Journal.parse(Array((line + "\n").utf8))
            #expect(read.entries.isEmpty, "\(bad.debugDescription) was accepted")
            #expect(read.problems.count == 1 && read.problems[0].hasPrefix("line 1: file: "), "\(read.problems)")
            // Escaped where it is written out, as every message is.
            #expect(!TextEscape.line(read.problems[0]).contains("\u{0}") && !TextEscape.line(read.problems[0]).contains("\u{1B}"))
        }
        #expect(Journal.fileNameProblem("count-BOW-1.json") == nil)
    }

    private func line(_ time: Double, _ file: String) -> String {
        Journal.line(NightEntry(time: time, file: file, change: .deleted))
    }

    @Test func aTornLineMidJournalIsNamedAndEveryWholeLineKept() {
        let torn = String(line(11, "b.json").prefix(25))
        // As a failed write leaves it: torn, then the next entry on a fresh line.
        let fresh = [line(10, "a.json"), torn, line(12, "c.json")].joined(separator: "\n") + "\n"
        let read = Journal.parse(Array(fresh.utf8))
        #expect(read.entries.map(\.file) == ["a.json", "c.json"])
        #expect(read.problems.count == 1 && read.problems[0].hasPrefix("line 2: torn"))
        // As older writers left it: the next entry glued to the torn one.
        let glued = line(10, "a.json") + "\n" + torn + line(12, "c.json") + "\n" + line(13, "d.json") + "\n"
        let again = Journal.parse(Array(glued.utf8))
        #expect(again.entries.map(\.file) == ["a.json", "c.json", "d.json"])
        #expect(again.problems == ["line 2: torn (a write cut short) with a whole entry after it on the same line; the torn part skipped, the entry kept"])
    }

    @Test func anOutOfOrderTimeNeverMakesTheReplayWait() throws {
        let night = 1_778_191_200.0 // 2026-05-07T22:00:00Z
        let year9999 = try #require(RFC3339.parse("9999-01-01T00:00:00Z"))
        let year2020 = try #require(RFC3339.parse("2020-01-01T00:00:00Z"))
        let text = [line(night, "a.json"), line(year9999, "b.json"), line(night + 60, "c.json"),
                    line(year2020, "d.json"), line(night + 120, "e.json")].joined(separator: "\n") + "\n"
        let read = Journal.parse(Array(text.utf8))
        #expect(read.entries.map(\.file) == ["a.json", "b.json", "c.json", "d.json", "e.json"])
        #expect(read.entries.map(\.time) == [night, night, night + 60, night + 60, night + 120])
        #expect(read.problems.count == 2)
        #expect(read.problems[0].hasPrefix("line 2: arrived 9999-01-01T00:00:00.000Z is far from the entries around it"))
        #expect(read.problems[1].hasPrefix("line 4: arrived 2020-01-01T00:00:00.000Z is before the entry before it"))
        // --every 5m over this night: snapshots bounded by the entries, not by 8,000 years.
        var headless = HeadlessReplay(replay: Replay(election: Fixtures.election(), entries: read.entries), every: 300, from: nil)
        var count = 0
        while headless.next() != nil { count += 1 }
        #expect(count <= 3)
    }

    @Test func aRealBreakInTheNightIsPlayedAsAnHour() {
        let text = [line(0, "a.json"), line(10 * 3600, "b.json"), line(10 * 3600 + 5, "c.json")].joined(separator: "\n") + "\n"
        let read = Journal.parse(Array(text.utf8))
        #expect(read.entries.map(\.time) == [0, 3600, 3605])
        #expect(read.problems == ["line 2: arrived 1970-01-01T10:00:00.000Z, 36,000 s after the entry before it; the wait is played as 3600 s"])
    }
}
