import CountNightCore
import Testing
@testable import CountNightUI

/// Keys as the dashboard hands them over: with the page and rows of the
/// screen at a size, as the session measures them.
struct Keys {
    var model: DashboardModel
    var state: ViewState
    var width = 80
    var height = 24

    init(_ model: DashboardModel = NationalNight.shared, width: Int = 80, height: Int = 24) {
        self.model = model
        self.state = ViewState(contests: model.snapshot.contests.count)
        (self.width, self.height) = (width, height)
    }

    @discardableResult
    mutating func press(_ keys: Key...) -> ViewState.Outcome {
        var outcome = ViewState.Outcome.unchanged
        for key in keys {
            let extent = Dashboard.scrollExtent(model, state, width: width, height: height)
            outcome = state.apply(key, snapshot: model.snapshot, page: extent.page, total: extent.total)
        }
        return outcome
    }

    mutating func type(_ text: String) {
        for character in text { press(.character(character)) }
    }

    var screen: Grid { Dashboard.render(model, state, width: width, height: height) }

    /// The contest on the chosen row of the screen's list.
    var chosenTitle: String? { model.snapshot.contests[state.contest].title }
}

/// Which contests a find leaves, and how a typed key edits the find.
@Suite struct ContestFindTests {
    static let contests = NationalNight.shared.snapshot.contests

    func titles(_ text: String) -> [String] { ContestFind.matches(Self.contests, text).map { Self.contests[$0].title } }

    @Test func aFindMatchesTitlesInAnyCaseAndWithOrWithoutAccents() {
        #expect(titles("").count == 650)
        #expect(titles("north ashford") == ["North Ashford"])
        #expect(titles("NORTH ASHFORD") == ["North Ashford"])
        // Typed without the accent, with it, or with a combining accent.
        #expect(titles("bryn mor") == ["Bryn Môr and Llanfair"])
        #expect(titles("Bryn MÔR") == ["Bryn Môr and Llanfair"])
        #expect(titles("bryn mo\u{302}r") == ["Bryn Môr and Llanfair"])
        #expect(titles("helene") == ["Sainte-Hélène-sur-Mer"])
        #expect(titles("lodz") == ["Łódź Riverside"])
        #expect(titles("東区") == ["東区 (East ward)"])
        #expect(titles("zzz").isEmpty)
        // Every "ashford": five quarters of it and no other.
        #expect(titles("ashford") == ["Ashford", "North Ashford", "South Ashford", "East Ashford", "West Ashford"])
    }

    @Test func theQuickSearchOfASCIINamesFindsWhatTheFoldedOneFinds() {
        for text in ["a", "ASH", "ford", "north a", "e14", "E1400", "zz", "é", "東", " ", "-", "Riverside", "ŁÓ", "mo\u{302}"] {
            let needle = ContestFind.fold(text)
            let folded = Self.contests.indices.filter {
                ContestFind.contains(ContestFind.fold(Self.contests[$0].title), needle) || ContestFind.contains(ContestFind.fold(Self.contests[$0].id), needle)
            }
            #expect(ContestFind.matches(Self.contests, text) == folded, "\(text)")
            if text == "a" || text == "Riverside" { #expect(!folded.isEmpty) }
        }
    }

    @Test func aFindMatchesIdsToo() {
        #expect(titles("e1400123") == [NationalNight.title(123)])
        #expect(ContestFind.matches(Self.contests, "E140064").map { Self.contests[$0].id } == (640..<650).map(NationalNight.id))
    }

    @Test func keysEditTheTextAndControlCharactersAreLeftOut() {
        #expect(ContestFind.edited("ash", by: .character("f")) == "ashf")
        #expect(ContestFind.edited("ash", by: .character("\u{7f}")) == "as")
        #expect(ContestFind.edited("ash", by: .character("\u{8}")) == "as")
        #expect(ContestFind.edited("", by: .character("\u{7f}")) == "")
        #expect(ContestFind.edited("ash", by: .character("\u{15}")) == "")
        for control in ["\u{1b}", "\u{7}", "\u{0}", "\n", "\t", "\u{9b}", "\u{2028}"] {
            #expect(ContestFind.edited("ash", by: .character(Character(control))) == "ash", "\(control.unicodeScalars.first!.value)")
        }
        #expect(ContestFind.edited("ash", by: .up) == nil)
        #expect(ContestFind.edited("ash", by: .enter) == nil)
        // A wide character, and a combining accent that joins the letter before it.
        #expect(ContestFind.edited("ab", by: .character("東")) == "ab東")
        let accented = ContestFind.edited("mo", by: .character("\u{302}"))!
        #expect(accented.count == 2 && ContestFind.edited(accented, by: .character("\u{7f}")) == "m")
        // The text stops at its longest.
        var text = ""
        for _ in 0..<500 { text = ContestFind.edited(text, by: .character("x"))! }
        #expect(text.count == ContestFind.longest)
    }
}

/// Finding a contest in the list of 650 with the keys, as the person at the
/// screen does it.
@Suite struct ContestFindKeyTests {
    @Test func slashStartsAFindAndTypingNarrowsTheList() throws {
        var keys = Keys()
        #expect(keys.state.contestList && keys.state.find == nil)
        #expect(keys.press(.character("/")) == .changed)
        #expect(keys.state.find == "")
        keys.type("ashf")
        #expect(keys.state.find == "ashf")
        let screen = keys.screen
        #expect(screen.rows[23].hasPrefix(" Find: ashf▏"))
        // Ashford and Ashfield, and the quarters of each.
        #expect(screen.rows[23].hasSuffix(" 9 of 650 contests "))
        let shown = screen.rows.filter { $0.contains("Ashford") || $0.contains("Ashfield") }
        #expect(shown.count == 9)
        #expect(shown[0].hasPrefix(" ▶ Ashford "))
        #expect(!screen.text.contains("Brookford"))
    }

    @Test func theChosenContestStaysWhileTheFindStillFindsIt() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("ash")
        keys.press(.down, .down)
        #expect(keys.chosenTitle == "Ashbury")
        // Narrower, still found: the same contest.
        keys.type("b")
        #expect(keys.state.find == "ashb")
        #expect(keys.chosenTitle == "Ashbury")
        #expect(keys.screen.rows.contains { $0.hasPrefix(" ▶ Ashbury ") })
        // Wider again (Backspace), still the same.
        keys.press(.character("\u{7f}"))
        #expect(keys.chosenTitle == "Ashbury")
        // Not found any more: the first contest found.
        keys.press(.character("\u{15}"))
        keys.type("north")
        #expect(keys.chosenTitle == "North Ashford")
        #expect(keys.screen.rows.contains { $0.hasPrefix(" ▶ North Ashford") })
    }

    @Test func arrowsPagesHomeAndEndMoveWithinTheContestsFound() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("north")
        // 160 contests found ("North …"), 19 rows on a page at 80x24.
        let page = Dashboard.scrollExtent(keys.model, keys.state, width: 80, height: 24)
        #expect(page.page == 19 && page.total == 160)
        keys.press(.end)
        #expect(keys.chosenTitle == "North Yarmouth")
        #expect(keys.screen.rows.contains { $0.contains("rows 142-160 of 160") })
        keys.press(.home)
        #expect(keys.chosenTitle == "North Ashford")
        keys.press(.pageDown)
        #expect(keys.chosenTitle == NationalNight.title(160 + 18))
        #expect(keys.screen.rows.contains { $0.contains("rows 19-37 of 160") })
        // The page turned with the choice on its first row; Down stays on the page.
        keys.press(.down)
        #expect(keys.chosenTitle == NationalNight.title(160 + 19))
        #expect(keys.screen.rows.contains { $0.contains("rows 19-37 of 160") })
        keys.press(.pageUp)
        #expect(keys.chosenTitle == NationalNight.title(160 + 1))
        #expect(keys.screen.rows.contains { $0.contains("rows 1-19 of 160") })
        // Every one of them: nothing but the contests found.
        var seen: Set<String> = []
        keys.press(.home)
        for _ in 0..<200 {
            seen.insert(keys.chosenTitle!)
            keys.press(.down)
        }
        #expect(seen.count == 160 && seen.allSatisfy { $0.hasPrefix("North ") })
    }

    @Test func enterOpensTheContestFoundAndEscapeComesBackToTheWholeList() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("E1400123")
        #expect(keys.screen.rows.contains { $0.contains("▶ E1400123 \(NationalNight.title(123)) ") })
        #expect(keys.press(.enter) == .changed)
        #expect(!keys.state.contestList && keys.state.find == nil && keys.state.contest == 123)
        #expect(keys.screen.rows[0].contains(NationalNight.title(123)) && keys.screen.rows[0].contains("(124 of 650"))
        // Escape: the whole list, the contest chosen and on the screen.
        keys.press(.escape)
        let screen = keys.screen
        #expect(keys.state.contestList && keys.state.find == nil)
        #expect(screen.rows.contains { $0.hasPrefix(" ▶ \(NationalNight.title(123)) ") })
        #expect(screen.rows.contains { $0.contains("of 650") })
        #expect(screen.rows[23].contains("1 Overview"))
    }

    @Test func escapeClearsTheFindThenDoesWhatItDidBefore() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("south")
        keys.press(.down)
        let chosen = keys.chosenTitle
        #expect(keys.press(.escape) == .changed)
        #expect(keys.state.find == nil && keys.state.contestList && keys.chosenTitle == chosen)
        #expect(keys.screen.rows.contains { $0.hasPrefix(" ▶ \(chosen!) ") })
        // A second Escape in the list does nothing, as before.
        #expect(keys.press(.escape) == .unchanged)
    }

    @Test func everyKeyThatTypesGoesToTheFindNotToItsCommand() throws {
        var keys = Keys()
        keys.press(.character("/"))
        // q, c, a, ?, digits: letters of a name or an id.
        #expect(keys.press(.character("q")) == .changed)
        keys.type("ca?1")
        #expect(keys.state.find == "qca?1" && keys.state.contestList && !keys.state.showHelp && keys.state.view == .overview)
        // Acknowledging waits for the find to close.
        let extent = Dashboard.scrollExtent(keys.model, keys.state, width: 80, height: 24)
        #expect(keys.state.apply(.character("a"), snapshot: keys.model.snapshot, page: extent.page, total: extent.total, alerts: 1) == .changed)
        #expect(keys.state.acknowledgedAlerts == 0 && keys.state.find == "qca?1a")
    }

    @Test func nothingFoundIsSaidPlainlyAndEnterDoesNothing() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("zzz")
        let screen = keys.screen
        #expect(screen.rows.contains { $0.contains("No contest's name or id contains \"zzz\".") })
        #expect(screen.rows.contains { $0.contains("Backspace edits the find; Esc clears it.") })
        #expect(screen.rows[23].hasSuffix(" 0 of 650 contests "))
        #expect(!screen.text.contains("▶"))
        #expect(keys.press(.enter) == .unchanged)
        #expect(keys.press(.down) == .unchanged)
        #expect(keys.state.contestList)
    }

    @Test func slashFromAContestViewOpensTheListFinding() throws {
        var keys = Keys()
        keys.press(.enter, .character("3"))
        #expect(!keys.state.contestList && keys.state.view == .boxes)
        keys.press(.character("/"))
        #expect(keys.state.contestList && keys.state.find == "")
        keys.type("west kel")
        keys.press(.enter)
        #expect(!keys.state.contestList && keys.chosenTitle == "West Kelford" && keys.state.view == .boxes)
    }

    @Test func helpListsTheFindWholeAtTheSmallestSize() {
        var keys = Keys()
        keys.press(.character("?"))
        #expect(keys.state.showHelp)
        #expect(keys.screen.rows.contains { $0.contains("/               find a contest by name or id; Enter opens, Esc clears") })
        #expect(keys.screen.rows.contains { $0.contains("Refused files, conflicts, warnings, changed results: in the Log (5).") })
        // Any key closes the help; / then starts a find.
        keys.press(.character("/"))
        #expect(!keys.state.showHelp && keys.state.find == nil)
        keys.press(.character("/"))
        #expect(keys.state.find == "")
    }

    @Test func withOneContestThereIsNoFind() throws {
        // One contest: no list to find in.
        var single = ViewState(contests: 1)
        #expect(single.apply(.character("/"), contests: 1, page: 10, total: 10) == .unchanged)
        #expect(single.find == nil)
    }
}

/// The 650-row list scrolls with the page keys, and keeps its place.
@Suite struct LongContestListTests {
    @Test func pageKeysHomeAndEndScrollTheWholeList() throws {
        var keys = Keys()
        let extent = Dashboard.scrollExtent(keys.model, keys.state, width: 80, height: 24)
        #expect(extent.page == 19 && extent.total == 650)
        keys.press(.pageDown)
        #expect(keys.state.contest == 18)
        #expect(keys.screen.rows.contains { $0.contains("rows 19-37 of 650") })
        keys.press(.pageDown, .pageDown)
        #expect(keys.state.contest == 54)
        keys.press(.end)
        #expect(keys.state.contest == 649)
        var screen = keys.screen
        #expect(screen.rows.contains { $0.contains("rows 632-650 of 650") })
        #expect(screen.rows.contains { $0.hasPrefix(" ▶ \(NationalNight.title(649)) ") })
        keys.press(.pageUp)
        #expect(keys.state.contest == 631)
        keys.press(.home)
        #expect(keys.state.contest == 0)
        screen = keys.screen
        #expect(screen.rows.contains { $0.contains("rows 1-19 of 650") })
        #expect(screen.rows[2].hasPrefix(" ▶ Ashford "))
    }

    @Test func movingUpWithinThePageDoesNotScrollIt() throws {
        var keys = Keys()
        for _ in 0..<30 { keys.press(.down) }
        #expect(keys.screen.rows.contains { $0.contains("rows 13-31 of 650") })
        for _ in 0..<5 { keys.press(.up) }
        #expect(keys.state.contest == 25)
        #expect(keys.screen.rows.contains { $0.contains("rows 13-31 of 650") })
    }

    @Test func aNewerSnapshotKeepsTheChosenContestAndTheFind() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("ham")
        // The fifth "…ham": Elmham, awaiting until the later snapshot.
        keys.press(.down, .down, .down, .down)
        let chosen = keys.chosenTitle!
        #expect(chosen == "Elmham")
        let before = keys.screen
        // More contests counted while the list is up.
        let later = NationalNight.model(extra: 650)
        keys.state.follow(from: keys.model.snapshot, to: later.snapshot)
        keys.model = later
        #expect(keys.chosenTitle == chosen)
        let after = keys.screen
        let row = try #require(after.rows.firstIndex { $0.hasPrefix(" ▶ \(chosen) ") })
        #expect(before.rows[row].hasPrefix(" ▶ \(chosen) "))
        #expect(before.rows[row] != after.rows[row])
        #expect(after.rows[23].hasPrefix(" Find: ham▏"))
    }

    @Test func contestsReorderedUnderTheListKeepTheChosenOne() throws {
        var keys = Keys()
        keys.press(.down, .down, .down)
        let chosen = keys.model.snapshot.contests[3].id
        // election.json rewritten with the contests in another order.
        var reordered = keys.model.snapshot
        reordered.contests.reverse()
        keys.state.follow(from: keys.model.snapshot, to: reordered)
        #expect(reordered.contests[keys.state.contest].id == chosen)
        // A contest that went: the place in the list stays.
        var fewer = keys.model.snapshot
        fewer.contests.remove(at: 3)
        var state = ViewState(contests: 650)
        state.contest = 3
        state.follow(from: keys.model.snapshot, to: fewer)
        #expect(state.contest == 3)
        // One contest left: no list, so no find holding the keys.
        keys.press(.character("/"))
        var one = keys.model.snapshot
        one.contests = [one.contests[0]]
        keys.state.follow(from: keys.model.snapshot, to: one)
        #expect(keys.state.find == nil)
    }
}

/// Typed text that could break the screen: it stays on its line, in its width.
@Suite struct ContestFindHostileTextTests {
    @Test(arguments: [(80, 24), (200, 60)])
    func longWideAndCombiningTextStaysOnItsLine(_ size: (Int, Int)) throws {
        var keys = Keys(width: size.0, height: size.1)
        keys.press(.character("/"))
        for _ in 0..<35 { keys.type("東区") }
        keys.type("e\u{301}\u{1b}[2J\u{7}")
        keys.type(String(repeating: "x", count: 20))
        let text = try #require(keys.state.find)
        #expect(text.count == ContestFind.longest)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        let screen = keys.screen
        let footer = screen.rows[size.1 - 1]
        // Its end where the line is short, the whole of it where there is room.
        #expect(footer.hasPrefix(size.0 == 80 ? " Find: …" : " Find: 東区東区"))
        #expect(footer.contains("é[2Jxxxxxx▏"))
        #expect(footer.hasSuffix(" 0 of 650 contests "))
        // Every row exactly the screen's width in columns.
        for row in screen.rows { #expect(DisplayWidth.of(row) == size.0) }
        #expect(screen.rows.contains { $0.contains("No contest's name or id contains \"") })
    }

    @Test func theASCIIScreenShowsAFindOfOtherLetters() throws {
        var keys = Keys()
        keys.press(.character("/"))
        keys.type("Łódź")
        let grid = Dashboard.render(keys.model, keys.state, theme: Theme(unicode: false), width: 80, height: 24)
        #expect(grid.rows[23].hasPrefix(" Find: ?od?_"))
        #expect(grid.rows.contains { $0.hasPrefix(" > ?od? Riverside ") })
        #expect(grid.rows.allSatisfy { $0.allSatisfy(\.isASCII) })
    }
}

/// The 650-contest list on the screen, whole and found, at the smallest
/// size and a wide one. Re-record with
///     COUNTNIGHT_RECORD_GOLDEN=1 swift test --filter NationalListGoldenTests
@Suite struct NationalListGoldenTests {
    static let cases = ["list", "list-end", "find", "find-id", "find-none"].flatMap { name in
        ["80x24", "200x60"].map { "national-\(name)-\($0)" }
    }

    @Test(arguments: cases)
    func screenMatchesGolden(_ name: String) throws {
        let parts = name.split(separator: "-").map(String.init)
        let size = parts.last!.split(separator: "x").map { Int($0)! }
        var keys = Keys(width: size[0], height: size[1])
        switch parts.dropFirst().dropLast().joined(separator: "-") {
        case "list-end": keys.press(.end, .up, .up)
        case "find":
            keys.press(.character("/"))
            keys.type("hàm")
            keys.press(.down, .down, .down, .down)
        case "find-id":
            keys.press(.character("/"))
            keys.type("E140064")
        case "find-none":
            keys.press(.character("/"))
            keys.type("Kirkcaldy")
        default: break
        }
        try GoldenScreenTests.compare(keys.screen, name)
    }
}
