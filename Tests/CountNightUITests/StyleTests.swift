import CountNightCore
import Testing
@testable import CountNightUI

/// The styles that carry meaning, checked apart from the text of the screens.
@Suite struct StyleTests {
    @Test func theWinnerIsMarkedElectedInReverseAndTheLeaderInBold() throws {
        let grid = Dashboard.render(SampleNight.model(upTo: 1), ViewState(), width: 80, height: 24)
        let elected = try #require(find("ELECTED", in: grid))
        #expect(grid.rows[elected.y].contains("Lutfur Rahman"))
        #expect(grid[elected.x, elected.y].style.reverse)
        #expect(grid[elected.x, elected.y].style.bold)
        let name = try #require(find("Lutfur Rahman", in: grid))
        #expect(grid[name.x, name.y].style.bold)
        let other = try #require(find("Helal Abbas", in: grid))
        #expect(!grid[other.x, other.y].style.bold)
        #expect(find("ELECTED", in: grid)!.y == name.y)
    }

    @Test func barsAreDrawnInThePartyColour() throws {
        let grid = Dashboard.render(SampleNight.model(upTo: 1), ViewState(), width: 80, height: 24)
        let row = try #require(find("Helal Abbas", in: grid)).y
        let barStart = try #require(grid.rows[row].firstIndex(of: "█"))
        let x = grid.rows[row].distance(from: grid.rows[row].startIndex, to: barStart)
        #expect(grid[x, row].style.foreground == .rgb(RGB(hex: "#d50000")!))
    }

    @Test func whileCountingTheLeaderIsMarkedLeadingAndNobodyElected() throws {
        let grid = Dashboard.render(SampleNight.model(upTo: 0.6), ViewState(), width: 80, height: 24)
        #expect(find("ELECTED", in: grid) == nil)
        let leading = try #require(find("LEADING", in: grid))
        #expect(grid.rows[leading.y].contains("Lutfur Rahman"))
        #expect(grid[leading.x, leading.y].style.bold)
        #expect(grid.rows[0].contains("COUNTING"))
    }

    @Test func theFiftyPercentLineIsDrawnForSupplementaryVote() throws {
        let grid = Dashboard.render(SampleNight.model(upTo: 1), ViewState(), width: 80, height: 24)
        let label = try #require(find("50%", in: grid))
        // The line sits below the label's middle on rows whose bars stop short of it.
        let column = label.x + 1
        let abbas = try #require(find("Helal Abbas", in: grid)).y
        #expect(grid[column, abbas].character == "│")
        // And not for first past the post.
        var fptp = SampleNight.election
        fptp.contests = fptp.contests.map { contest in
            Contest(id: contest.id, title: contest.title, system: .fptp, seats: 1, electorate: contest.electorate,
                    candidates: contest.candidates, boxes: contest.boxes)
        }
        let plain = Dashboard.render(SampleNight.model(upTo: 1, election: fptp), ViewState(), width: 80, height: 24)
        #expect(find("50%", in: plain) == nil)
        #expect(!plain.rows.joined().contains("│"))
    }

    @Test func aRehearsalCannotBeMissed() throws {
        var rehearsal = SampleNight.election
        rehearsal.rehearsal = true
        let grid = Dashboard.render(SampleNight.model(upTo: 0.5, election: rehearsal), ViewState(), width: 80, height: 24)
        #expect(grid.rows[0].contains("REHEARSAL"))
        #expect(grid[0, 0].style.background == .basic(.red))
        #expect(grid.rows[1].contains("REHEARSAL · NOT REAL RESULTS"))
        #expect(grid[3, 1].style.reverse)
        #expect(grid[3, 1].style.bold)
    }

    @Test func aFeedThatStopsAnsweringIsWarnedOfInTheHeader() throws {
        var model = SampleNight.model(upTo: 0.5)
        model.feedProblem = "cannot read the feed directory /srv/feed: No such file or directory"
        model.lastBatchRead = "01:12:09"
        let grid = Dashboard.render(model, ViewState(), width: 160, height: 48)
        let warning = try #require(find("FEED NOT ANSWERING", in: grid))
        #expect(warning.y == 1)
        #expect(grid.rows[1].contains("last batch read 01:12:09"))
        #expect(grid[warning.x, warning.y].style.bold && grid[warning.x, warning.y].style.reverse)
    }

    @Test func aRecordingThatFailsIsWarnedOfAndTheCountStaysOnScreen() throws {
        var model = SampleNight.model(upTo: 0.5)
        let before = Dashboard.render(model, ViewState(), width: 100, height: 30)
        model.recordingProblem = "--record /dev/full: No space left on device; 3 entries not recorded, the journal lacks them"
        let grid = Dashboard.render(model, ViewState(), width: 100, height: 30)
        let band = try #require(find("RECORDING FAILED: --record /dev/full: No space left on device; 3 entries", in: grid))
        #expect(band.y == 1)
        #expect(grid[band.x, band.y].style.bold && grid[band.x, band.y].style.reverse)
        // The figures are still there, a row lower.
        #expect(before.rows.contains { $0.contains("Lutfur Rahman") } && grid.rows.contains { $0.contains("Lutfur Rahman") })
    }

    @Test func refusedFilesAreCountedOnTheOverviewAndListedInTheLog() throws {
        var tally = Tally(election: SampleNight.election)
        for file in SampleNight.files.prefix(20) { tally.read(file: file.name, bytes: file.bytes) }
        tally.read(file: "bad.json", bytes: Array(#"{"contest": "mayor", "kind": "count", "area": "Bow East", "votes": {"rahman": 1}}"#.utf8))
        let model = DashboardModel(snapshot: tally.snapshot(time: 0), clock: "01:00:00")
        let overview = Dashboard.render(model, ViewState(), width: 80, height: 24)
        let counts = try #require(find("Refused files 1", in: overview))
        #expect(overview[counts.x, counts.y].style.foreground == .basic(.red))
        #expect(overview.rows[counts.y].contains("press 5 to see them"))
        var state = ViewState()
        state.view = .log
        let log = Dashboard.render(model, state, width: 160, height: 48)
        let line = try #require(find("REFUSED   bad.json: votes: no entry for candidates", in: log))
        #expect(log[line.x, line.y].style.foreground == .basic(.red))
    }

    @Test func boxStatesHaveTheirOwnStyles() {
        #expect(BoxesView.style(.conflict).reverse && BoxesView.style(.conflict).foreground == .basic(.red))
        #expect(BoxesView.style(.discrepancy).reverse && BoxesView.style(.discrepancy).foreground == .basic(.yellow))
        #expect(BoxesView.style(.awaiting).dim)
    }
}

@Suite struct KeyTests {
    @Test func numberKeysAndTabSwitchViews() {
        var state = ViewState()
        #expect(state.apply(.character("3"), contests: 1, page: 10, total: 5) == .changed)
        #expect(state.view == .boxes)
        #expect(state.apply(.tab, contests: 1, page: 10, total: 5) == .changed)
        #expect(state.view == .trend)
        _ = state.apply(.tab, contests: 1, page: 10, total: 5)
        _ = state.apply(.tab, contests: 1, page: 10, total: 5)
        #expect(state.view == .overview)
        _ = state.apply(.backTab, contests: 1, page: 10, total: 5)
        #expect(state.view == .log)
        #expect(state.apply(.character("x"), contests: 1, page: 10, total: 5) == .unchanged)
    }

    @Test func scrollingStaysWithinTheRows() {
        var state = ViewState()
        state.view = .boxes
        _ = state.apply(.pageDown, contests: 1, page: 20, total: 72)
        #expect(state.offset(total: 72, rows: 20) == 19)
        _ = state.apply(.end, contests: 1, page: 20, total: 72)
        #expect(state.offset(total: 72, rows: 20) == 52)
        #expect(state.apply(.down, contests: 1, page: 20, total: 72) == .unchanged)
        _ = state.apply(.up, contests: 1, page: 20, total: 72)
        #expect(state.offset(total: 72, rows: 20) == 51)
        _ = state.apply(.home, contests: 1, page: 20, total: 72)
        #expect(state.offset(total: 72, rows: 20) == 0)
        #expect(state.apply(.up, contests: 1, page: 20, total: 72) == .unchanged)
    }

    @Test func cCyclesContestsOnlyWhenThereAreSeveral() {
        var state = ViewState()
        #expect(state.apply(.character("c"), contests: 1, page: 1, total: 1) == .unchanged)
        #expect(state.apply(.character("c"), contests: 3, page: 1, total: 1) == .changed)
        #expect(state.contest == 1)
        _ = state.apply(.character("c"), contests: 3, page: 1, total: 1)
        _ = state.apply(.character("c"), contests: 3, page: 1, total: 1)
        #expect(state.contest == 0)
    }

    @Test func helpOpensAndAnyKeyClosesItAndQQuits() {
        var state = ViewState()
        _ = state.apply(.character("?"), contests: 1, page: 1, total: 1)
        #expect(state.showHelp)
        let grid = Dashboard.render(SampleNight.model(upTo: 1), state, width: 80, height: 24)
        #expect(grid.text.contains("CountNight keys"))
        #expect(grid.text.contains("q, Ctrl-C       quit"))
        _ = state.apply(.character("2"), contests: 1, page: 1, total: 1)
        #expect(!state.showHelp)
        #expect(state.view == .overview)
        #expect(state.apply(.character("q"), contests: 1, page: 1, total: 1) == .quit)
    }
}

/// The Log's history at 80 columns: a long event is wrapped under its text,
/// never cut, and scrolling reaches the last line of the oldest.
@Suite struct LogWrapTests {
    @Test func longEventsAreReadWholeAndTheOldestIsReachedAtTheEnd() throws {
        var model = SampleNight.model(upTo: 0.5)
        let reason = "votes: no entry for candidates \"abbas\", \"king\", \"griffiths\"; a count gives every candidate's votes, 0 included"
        model.log.insert(LogEntry(time: "21:00:00", kind: .refused, text: "count-first.json: \(reason)"), at: 0)
        model.log.append(LogEntry(time: "23:59:00", kind: .refused, text: "count-last.json: \(reason)"))
        var state = ViewState()
        state.view = .log
        let top = Dashboard.render(model, state, width: 80, height: 24)
        // The newest first, whole, its text continued under its text.
        let first = try #require(find("23:59:00  refused    count-last.json: votes: no entry for candidates", in: top))
        #expect(top.rows[first.y + 1].hasPrefix(String(repeating: " ", count: 24) + "\"abbas\", \"king\", \"griffiths\"; a count gives every"))
        #expect(top.rows[first.y + 2].contains("candidate's votes, 0 included"))
        #expect(!top.rows.contains { $0.contains("…") })
        // End shows the last line of the oldest event as the last row of the view.
        let (page, total) = Dashboard.scrollExtent(model, state, width: 80, height: 24)
        _ = state.apply(.end, contests: 1, page: page, total: total)
        let bottom = Dashboard.render(model, state, width: 80, height: 24)
        let last = try #require(find("candidate's votes, 0 included", in: bottom))
        let oldest = try #require(find("21:00:00  refused    count-first.json", in: bottom))
        #expect(last.y == oldest.y + 2 && last.y == 22)
        #expect(!bottom.rows.contains { $0.contains("…") })
    }

    /// Events wrap anew when the terminal is resized: the Log stays at the
    /// event it showed, and at the end when it was there, whatever the
    /// number of lines above it becomes.
    @Test func aResizeKeepsTheLogAtTheSameEvent() throws {
        var model = SampleNight.model(upTo: 0.5)
        let reason = "votes: no entry for candidates \"abbas\", \"king\", \"griffiths\"; a count gives every candidate's votes, 0 included"
        for minute in 0..<40 {
            model.log.append(LogEntry(time: String(format: "22:%02d:00", minute), kind: .refused, text: "count-\(minute).json: \(reason)"))
        }
        var state = ViewState()
        state.view = .log
        func press(_ key: Key, _ times: Int, width: Int, height: Int) {
            for _ in 0..<times {
                let (page, total) = Dashboard.scrollExtent(model, state, width: width, height: height)
                _ = state.apply(key, contests: 1, page: page, total: total)
            }
        }
        /// The event at the top of the view: its first line, the time and kind.
        func topEvent(width: Int, height: Int) -> String? {
            let grid = Dashboard.render(model, state, width: width, height: height)
            return grid.rows.first { $0.contains("  refused    count-") }.map { String($0.drop { $0 == " " }.prefix(17)) }
        }
        /// The first event line on the screen, whatever its kind.
        func firstEvent(width: Int, height: Int) -> String? {
            Dashboard.render(model, state, width: width, height: height).rows.dropFirst().first { row in
                let text = Array(row.drop { $0 == " " }.prefix(10))
                return text.count == 10 && text[2] == ":" && text[5] == ":" && text[8] == " "
            }.map { String($0.drop { $0 == " " }) }
        }
        press(.pageDown, 3, width: 80, height: 24)
        let shown = try #require(topEvent(width: 80, height: 24))
        #expect(shown.hasPrefix("22:") && shown.hasSuffix("refused"))
        // The same line at 160 columns is another event, further down the history.
        let byLine = state
        state = Dashboard.resized(state, model, from: (80, 24), to: (160, 48))
        #expect(topEvent(width: 160, height: 48) == shown)
        #expect(Dashboard.render(model, byLine, width: 160, height: 48).text != Dashboard.render(model, state, width: 160, height: 48).text)
        state = Dashboard.resized(state, model, from: (160, 48), to: (80, 24))
        #expect(topEvent(width: 80, height: 24) == shown)

        // At the end: still at the end after growing and shrinking.
        press(.end, 1, width: 80, height: 24)
        let end = Dashboard.render(model, state, width: 80, height: 24).text
        state = Dashboard.resized(state, model, from: (80, 24), to: (160, 48))
        state = Dashboard.resized(state, model, from: (160, 48), to: (80, 24))
        #expect(Dashboard.render(model, state, width: 80, height: 24).text == end)
        // Near the end: the larger screen shows its last page, and the
        // smaller one the same event again; a key scrolls from what is shown.
        press(.end, 1, width: 80, height: 24)
        press(.up, 6, width: 80, height: 24)
        let nearEnd = try #require(firstEvent(width: 80, height: 24))
        state = Dashboard.resized(state, model, from: (80, 24), to: (160, 48))
        let lastPage = Dashboard.render(model, state, width: 160, height: 48).text
        var up = state
        let (page, total) = Dashboard.scrollExtent(model, up, width: 160, height: 48)
        _ = up.apply(.up, contests: 1, page: page, total: total)
        #expect(Dashboard.render(model, up, width: 160, height: 48).text != lastPage)
        state = Dashboard.resized(state, model, from: (160, 48), to: (80, 24))
        #expect(firstEvent(width: 80, height: 24) == nearEnd)

        // Resized while another view is shown, the Log is at the same event
        // when it is shown again; the other view keeps its rows.
        press(.home, 1, width: 80, height: 24)
        press(.pageDown, 3, width: 80, height: 24)
        #expect(topEvent(width: 80, height: 24) == shown)
        state.view = .boxes
        press(.down, 2, width: 80, height: 24)
        let boxesScroll = state.scroll[.boxes]
        state = Dashboard.resized(state, model, from: (80, 24), to: (160, 48))
        #expect(state.scroll[.boxes] == boxesScroll && state.view == .boxes)
        state.view = .log
        #expect(topEvent(width: 160, height: 48) == shown)
    }
}

@Suite struct LogWrapRuleTests {
    /// Printable ASCII is wrapped byte by byte, for speed: the breaks must be
    /// those of the general way, character by character.
    @Test func asciiIsWrappedAsEveryOtherText() {
        var random = SystemRandomNumberGenerator()
        let words = ["a", "count-PV-2.json:", "mayor", "verification", "box=MEG-4", "revision", "1", "", "Bethnal-Green-North-and-South-together", "x"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...30, using: &random)).map { _ in words.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : "  ")
            let width = Int.random(in: 1...90, using: &random), indent = Int.random(in: 0...30, using: &random)
            let general = LogView.wrapCharacters(text, width: width, indent: indent)
            #expect(LogView.wrap(text, width: width, indent: indent) == general, "\(text) at \(width), indent \(indent)")
            #expect(LogView.lineCount(Array(text.utf8), width: width, indent: indent) == general.count)
        }
        #expect(LogView.wrap("é " + String(repeating: "x", count: 30), width: 12, indent: 2) == ["é", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx"])
        #expect(LogView.lineCount(Array(("é " + String(repeating: "x", count: 30)).utf8), width: 12, indent: 2) == 4)
    }
}

/// Keys as escape sequences the terminal's description may not list.
@Suite struct EscapeSequenceTests {
    func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    @Test func homeEndAndTheArrowsAreKnownInEveryUsualForm() {
        for (body, key) in [("[1~", Key.home), ("[7~", .home), ("[H", .home), ("OH", .home),
                            ("[4~", .end), ("[8~", .end), ("[F", .end), ("OF", .end),
                            ("[5~", .pageUp), ("[6~", .pageDown), ("[A", .up), ("OB", .down), ("[C", .right), ("OD", .left),
                            ("[Z", .backTab), ("OM", .enter)] {
            #expect(EscapeSequence.isComplete(scalars(body)), "\(body)")
            #expect(EscapeSequence.key(scalars(body)) == key, "\(body)")
        }
    }

    @Test func aSequenceIsReadToItsEndAndAnUnknownOneIsNoKey() {
        // Not yet whole: its characters are still to be read.
        for part in ["[", "[4", "[1;5", "O"] { #expect(!EscapeSequence.isComplete(scalars(part)), "\(part)") }
        // F5 and Ctrl-↑: whole, and no key of the dashboard's, so dropped rather than read as `1`, `5`, `A`.
        for unknown in ["[15~", "[1;5A", "OP"] {
            #expect(EscapeSequence.isComplete(scalars(unknown)) && EscapeSequence.key(scalars(unknown)) == nil, "\(unknown)")
        }
        // Only `[` and `O` start one: anything else typed after Escape is a key of its own.
        #expect(EscapeSequence.starts("[") && EscapeSequence.starts("O") && !EscapeSequence.starts("4") && !EscapeSequence.starts("q"))
    }
}
