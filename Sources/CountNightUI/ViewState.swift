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

    public init() {}

    /// Where a dashboard on a feed of `contests` contests starts: on the
    /// list of them when there are several.
    public init(contests: Int) {
        contestList = contests > 1
    }

    /// The key that acknowledges result alerts.
    public static let acknowledgeKey: Character = "a"

    public enum Outcome: Equatable, Sendable {
        case quit
        case changed
        case unchanged
    }

    /// Applies a key. `contests` is how many contests the feed has, `page`
    /// how many rows a page of the current view holds and `total` how many
    /// rows it has in all; `alerts` how many result alerts have been raised.
    public mutating func apply(_ key: Key, contests: Int, page: Int, total: Int, alerts: Int = 0) -> Outcome {
        maxScroll = max(0, total - page)
        let before = self
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
        if contestList && contests > 1 {
            switch key {
            case .up: contest = max(0, contest - 1)
            case .down: contest = min(contests - 1, contest + 1)
            case .home: contest = 0
            case .end: contest = contests - 1
            case .enter: contestList = false
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

    private var maxScroll = 0

    private mutating func scrollBy(_ rows: Int) {
        scroll[view] = max(0, min(maxScroll, (scroll[view] ?? 0) + rows))
    }

    /// The scroll offset of the current view, kept within `rows` rows shown
    /// out of `total`.
    public func offset(total: Int, rows: Int) -> Int {
        max(0, min(scroll[view] ?? 0, total - rows))
    }
}
