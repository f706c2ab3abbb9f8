import CountNightCore

/// The dashboard's views, in the order of their number keys.
public enum DashboardView: Int, CaseIterable, Sendable {
    case overview = 1, areas, boxes, trend, log

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .areas: return "Areas"
        case .boxes: return "Boxes"
        case .trend: return "Trend"
        case .log: return "Log"
        }
    }
}

/// A key press, as the terminal layer reports it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end, tab, backTab, enter, escape, resize
}

/// Keys that come as escape sequences the terminal's description does not
/// list: tmux sends End as ESC [ 4 ~ whatever TERM says, and a TERM that is
/// not the terminal's own is common in a hall's borrowed laptop. Read whole,
/// so that their characters are not taken for keys (`4`: the Trend view).
public enum EscapeSequence {
    /// Whether the characters after ESC make a whole sequence: `O` and one
    /// character, or `[`, parameters and a final character.
    public static func isComplete(_ body: [Unicode.Scalar]) -> Bool {
        guard let first = body.first else { return false }
        switch first {
        case "O": return body.count == 2
        case "[": return body.count >= 2 && (0x40...0x7E).contains(body[body.count - 1].value)
        default: return true
        }
    }

    /// Whether the character after ESC starts a sequence, rather than being a
    /// key of its own typed after Escape.
    public static func starts(_ first: Unicode.Scalar) -> Bool { first == "[" || first == "O" }

    /// The key a whole sequence stands for; nil for one not known, which is
    /// then dropped.
    public static func key(_ body: [Unicode.Scalar]) -> Key? {
        switch String(String.UnicodeScalarView(body)) {
        case "[A", "OA": return .up
        case "[B", "OB": return .down
        case "[C", "OC": return .right
        case "[D", "OD": return .left
        case "[1~", "[7~", "[H", "OH": return .home
        case "[4~", "[8~", "[F", "OF": return .end
        case "[5~": return .pageUp
        case "[6~": return .pageDown
        case "[Z": return .backTab
        case "OM": return .enter
        default: return nil
        }
    }
}

/// What the person at the screen has chosen: the view, the contest, where
/// each view is scrolled to, whether help is open.
public struct ViewState: Equatable, Sendable {
    public var view: DashboardView = .overview
    public var contest = 0
    public var showHelp = false
    /// How many of the model's result alerts the person has acknowledged
    /// (the `a` key): the band shows the rest.
    public var acknowledgedAlerts = 0
    /// Scroll offsets, by view.
    public var scroll: [DashboardView: Int] = [:]
    /// Showing the list of every contest (a feed with several), `contest`
    /// being the one selected; Enter opens it, Escape comes back.
    public var contestList = false
    /// The text typed to find a contest in the list (`/`), while a find is
    /// open; nil otherwise. While it is open every printable key types.
    public var find: String?
    /// The first row of the list of contests on the screen: kept, so that
    /// the list scrolls only when the chosen row would leave the page.
    public var listTop = 0

    public init() {}

    /// Where a dashboard on a feed of `contests` contests starts: on the
    /// list of them when there are several.
    public init(contests: Int) {
        contestList = contests > 1
    }

    /// The key that acknowledges result alerts.
    public static let acknowledgeKey: Character = "a"
    /// The key that starts a find in the list of contests.
    public static let findKey: Character = "/"

    public enum Outcome: Equatable, Sendable {
        case quit
        case changed
        case unchanged
    }

    /// Applies a key on a dashboard showing `snapshot`. `page` is how many
    /// rows a page of the current view holds and `total` how many rows it
    /// has in all; `alerts` how many result alerts have been raised.
    public mutating func apply(_ key: Key, snapshot: Snapshot, page: Int, total: Int, alerts: Int = 0) -> Outcome {
        apply(key, contests: snapshot.contests.count, page: page, total: total, alerts: alerts) {
            ContestFind.matches(snapshot.contests, $0)
        }
    }

    /// Applies a key on a feed of `contests` contests known only by their
    /// number: a find's text matches none of them.
    public mutating func apply(_ key: Key, contests: Int, page: Int, total: Int, alerts: Int = 0) -> Outcome {
        apply(key, contests: contests, page: page, total: total, alerts: alerts) { $0.isEmpty ? Array(0..<contests) : [] }
    }

    /// `matching` gives the contests a find's text leaves, in the list's order.
    private mutating func apply(_ key: Key, contests: Int, page: Int, total: Int, alerts: Int,
                                matching: (String) -> [Int]) -> Outcome {
        maxScroll = max(0, total - page)
        let before = self
        let listing = contestList && contests > 1
        // A find takes every key that types, the acknowledge key too.
        if listing && !showHelp, let text = find {
            switch key {
            case .escape:
                // Back to the whole list, the chosen contest in the middle of the page.
                (find, listTop) = (nil, max(0, contest - page / 2))
            case .enter:
                let rows = matching(text)
                guard let row = ContestFind.chosenRow(contest, in: rows) else { return .unchanged }
                contest = rows[row]
                (find, contestList, listTop) = (nil, false, max(0, contest - page / 2))
            case .up, .down, .pageUp, .pageDown, .home, .end: move(key, in: matching(text), page: page)
            case .resize: return .changed
            default:
                guard let edited = ContestFind.edited(text, by: key) else { break }
                find = edited
                // The chosen contest stays while the text still finds it.
                let rows = matching(edited)
                if !rows.contains(contest), let first = rows.first { contest = first }
                listTop = Self.listTop(listTop, chosen: ContestFind.chosenRow(contest, in: rows) ?? 0, shown: page, rows: rows.count)
            }
            return self == before ? .unchanged : .changed
        }
        // Acknowledging comes first, in every view and over the help.
        if key == .character(Self.acknowledgeKey) || key == .character("A") {
            guard alerts > acknowledgedAlerts else { return .unchanged }
            acknowledgedAlerts = alerts
            return .changed
        }
        if showHelp {
            switch key {
            case .character("q"), .character("Q"): return .quit
            case .resize: return .changed
            default:
                showHelp = false
                return .changed
            }
        }
        if listing {
            switch key {
            case .up, .down, .pageUp, .pageDown, .home, .end: move(key, in: Array(0..<contests), page: page)
            case .enter: contestList = false
            case .character(Self.findKey): find = ""
            case .character(let c) where ("1"..."5").contains(c):
                contestList = false
                view = DashboardView(rawValue: Int(String(c))!)!
            case .character("c"), .character("C"): contest = (contest + 1) % contests
            case .character("q"), .character("Q"): return .quit
            case .character("?"), .character("h"): showHelp = true
            case .resize: return .changed
            default: break
            }
            return self == before ? .unchanged : .changed
        }
        switch key {
        case .escape where contests > 1:
            contestList = true
        case .character(Self.findKey) where contests > 1:
            // Straight to the list, finding.
            (contestList, find) = (true, "")
        case .character("q"), .character("Q"):
            return .quit
        case .character("?"), .character("h"):
            showHelp = true
        case .character(let c) where ("1"..."5").contains(c):
            view = DashboardView(rawValue: Int(String(c))!)!
        case .tab:
            view = DashboardView(rawValue: view.rawValue % DashboardView.allCases.count + 1)!
        case .backTab:
            view = DashboardView(rawValue: (view.rawValue + DashboardView.allCases.count - 2) % DashboardView.allCases.count + 1)!
        case .character("c"), .character("C"):
            if contests > 1 {
                contest = (contest + 1) % contests
                scroll = [:]
            }
        case .up: scrollBy(-1)
        case .down: scrollBy(1)
        case .pageUp: scrollBy(-max(1, page - 1))
        case .pageDown: scrollBy(max(1, page - 1))
        case .home: scroll[view] = 0
        case .end: scroll[view] = maxScroll
        case .resize:
            return .changed
        default:
            break
        }
        return self == before ? .unchanged : .changed
    }

    /// Moves the choice in the list of contests, whose rows are `rows` (the
    /// contests a find leaves), `page` of them on the screen: a page key
    /// turns the page and keeps the choice where it was on it.
    private mutating func move(_ key: Key, in rows: [Int], page: Int) {
        guard let row = ContestFind.chosenRow(contest, in: rows) else { return }
        let step = max(1, page - 1)
        var target = row
        switch key {
        case .up: target = row - 1
        case .down: target = row + 1
        case .pageUp: (target, listTop) = (row - step, listTop - step)
        case .pageDown: (target, listTop) = (row + step, listTop + step)
        case .home: target = 0
        case .end: target = rows.count - 1
        default: return
        }
        target = max(0, min(rows.count - 1, target))
        contest = rows[target]
        listTop = Self.listTop(listTop, chosen: target, shown: page, rows: rows.count)
    }

    /// The first row of a list of `rows` rows shown `shown` at a time, from
    /// `top` as it was: moved only as far as it takes to show the chosen row.
    public static func listTop(_ top: Int, chosen: Int, shown: Int, rows: Int) -> Int {
        let shown = max(1, shown)
        let top = max(min(top, chosen), chosen - shown + 1)
        return max(0, min(top, rows - shown))
    }

    /// Keeps the same contest chosen when the feed's contests change under
    /// it (an election.json rewritten with contests added or reordered):
    /// found by its id; where it is gone, the place in the list stays.
    public mutating func follow(from old: Snapshot, to new: Snapshot) {
        // No list left to find in: the keys are the views' again.
        if new.contests.count <= 1 { find = nil }
        guard old.contests.indices.contains(contest) else { return }
        let id = old.contests[contest].id
        if new.contests.indices.contains(contest) && new.contests[contest].id == id { return }
        if let index = new.contests.firstIndex(where: { $0.id == id }) { contest = index }
    }

    private var maxScroll = 0

    /// From the offset shown: a kept offset past the last page (the page
    /// got longer, the screen larger) shows the last page, and a key moves
    /// from there.
    private mutating func scrollBy(_ rows: Int) {
        scroll[view] = max(0, min(maxScroll, min(maxScroll, scroll[view] ?? 0) + rows))
    }

    /// The scroll offset of the current view, kept within `rows` rows shown
    /// out of `total`.
    public func offset(total: Int, rows: Int) -> Int {
        max(0, min(scroll[view] ?? 0, total - rows))
    }
}
