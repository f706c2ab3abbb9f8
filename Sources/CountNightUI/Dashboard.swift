import CountNightCore

/// A rectangle of the screen given to one part of the dashboard.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public var bottom: Int { y + height }
}

/// Draws the whole dashboard: a pure function from (model, view state, size)
/// to a grid of styled cells.
public enum Dashboard {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ model: DashboardModel, _ state: ViewState, width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            grid.put(smallTerminalMessage(width: width, height: height), x: 0, y: 0, style: .bold)
            return state.unicode ? grid : grid.asciiOnly()
        }
        if let waiting = model.waiting {
            WaitingView.render(&grid, waiting, clock: model.clock)
            return state.unicode ? grid : grid.asciiOnly()
        }
        header(&grid, model, state, contest: currentContest(model, state))
        let content = contentArea(model, width: width, height: height)
        if showsContestList(model, state) {
            ContestListView.render(&grid, model, state, content)
        } else {
            views(&grid, model, state, content)
        }
        footer(&grid, state, contests: model.snapshot.contests.count, replaying: model.replay != nil, y: height - 1)
        if state.showHelp { help(&grid, state, replaying: model.replay != nil) }
        return state.unicode ? grid : grid.asciiOnly()
    }

    static func showsContestList(_ model: DashboardModel, _ state: ViewState) -> Bool {
        state.contestList && model.snapshot.contests.count > 1
    }

    private static func views(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ content: Rect) {
        switch state.view {
        case .overview: OverviewView.render(&grid, model, state, content)
        case .areas: AreasView.render(&grid, model, state, content)
        case .boxes: BoxesView.render(&grid, model, state, content)
        case .trend: TrendView.render(&grid, model, state, content)
        case .log: LogView.render(&grid, model, state, content)
        }
    }

    /// The one line shown when the terminal is too small: the sizes come
    /// first, so that even a very narrow terminal shows them.
    public static func smallTerminalMessage(width: Int, height: Int) -> String {
        // Cut without an ellipsis: on a tiny terminal every column is for the sizes.
        String("Need \(minimumWidth)×\(minimumHeight), now \(width)×\(height). CountNight: enlarge the terminal, or press q to quit.".prefix(max(0, width)))
    }

    /// How many rows the current view shows on a page, and has in all, for scrolling.
    public static func scrollExtent(_ model: DashboardModel, _ state: ViewState, width: Int, height: Int) -> (page: Int, total: Int) {
        guard width >= minimumWidth, height >= minimumHeight, model.waiting == nil else { return (1, 0) }
        let content = contentArea(model, width: width, height: height)
        if showsContestList(model, state) { return (Table.rowsShown(content), model.snapshot.contests.count) }
        switch state.view {
        case .overview: return OverviewView.extent(model, state, content)
        case .areas: return AreasView.extent(model, state, content)
        case .boxes: return BoxesView.extent(model, state, content)
        case .trend: return (content.height, content.height)
        case .log: return LogView.extent(model, state, content)
        }
    }

    /// The rows between the header (with its banners) and the key legend.
    static func contentArea(_ model: DashboardModel, width: Int, height: Int) -> Rect {
        let banners = [model.snapshot.rehearsal, model.sampleBanner != nil, model.feedProblem != nil, model.recordingProblem != nil, model.replay != nil].filter { $0 }.count
        let top = 1 + banners
        return Rect(x: 0, y: top, width: width, height: height - 1 - top)
    }

    static func currentContest(_ model: DashboardModel, _ state: ViewState) -> Int {
        model.snapshot.contests.isEmpty ? 0 : min(state.contest, model.snapshot.contests.count - 1)
    }

    // MARK: Header and footer

    static let headerStyle = Style(bold: true, reverse: true)
    static let rehearsalStyle = Style(foreground: .basic(.white), background: .basic(.red), bold: true, reverse: false)

    /// The header row and its banners, in the rows `contentArea` leaves above the view.
    private static func header(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, contest index: Int) {
        var y = 0
        let snapshot = model.snapshot
        let contest = snapshot.contests[index]
        let style = snapshot.rehearsal ? rehearsalStyle : headerStyle
        grid.fill(y: y, style: style)
        var status = contest.status.label
        var left = " \(snapshot.title) · \(contest.title)"
        if snapshot.contests.count > 1 { left += " (\(index + 1) of \(snapshot.contests.count), c: next)" }
        if showsContestList(model, state) {
            left = " \(snapshot.title) · every contest"
            // How many contests stand at each state, in the order of the night.
            let order: [ContestStatus] = [.declared, .complete, .secondStage, .counting, .verifying, .awaiting]
            status = order.compactMap { state in
                let count = snapshot.contests.filter { $0.status == state }.count
                return count > 0 ? "\(count) \(state.label)" : nil
            }.joined(separator: " · ")
        }
        if snapshot.rehearsal { status = "REHEARSAL · " + status }
        if let replay = model.replay {
            status = "REPLAY \(replay.paused ? "PAUSED " : "")\(replay.speedLabel) · " + status
        }
        let right = " \(status)  \(model.clock) "
        let rightWidth = DisplayWidth.of(right)
        grid.put(DisplayWidth.truncate(left, to: grid.width - rightWidth - 1), x: 0, y: y, style: style)
        grid.put(right, x: grid.width - rightWidth, y: y, style: style)
        y += 1
        if snapshot.rehearsal {
            let unit = "  REHEARSAL · NOT REAL RESULTS  "
            grid.fill(y: y, style: rehearsalStyle.with { $0.reverse = true })
            grid.put(String(repeating: unit, count: grid.width / unit.count + 1), x: 0, y: y, style: rehearsalStyle.with { $0.reverse = true })
            y += 1
        }
        if let banner = model.sampleBanner {
            let style = Style(foreground: .basic(.yellow), bold: true)
            grid.put(DisplayWidth.truncate(" " + banner, to: grid.width), x: 0, y: y, style: style)
            y += 1
        }
        if let replay = model.replay {
            ReplayTimeline.render(&grid, replay, y: y, unicode: state.unicode)
            y += 1
        }
        if let problem = model.feedProblem {
            let style = Style(foreground: .basic(.red), bold: true, reverse: true)
            grid.fill(y: y, style: style)
            let text = " FEED NOT ANSWERING: \(problem) · last batch read \(model.lastBatchRead ?? "never")"
            grid.put(DisplayWidth.truncate(text, to: grid.width), x: 0, y: y, style: style)
            y += 1
        }
        if let problem = model.recordingProblem {
            // The count goes on; the journal does not have all of it.
            let style = Style(foreground: .basic(.red), bold: true, reverse: true)
            grid.fill(y: y, style: style)
            grid.put(DisplayWidth.truncate(" RECORDING FAILED: \(problem)", to: grid.width), x: 0, y: y, style: style)
            y += 1
        }
    }

    private static func footer(_ grid: inout Grid, _ state: ViewState, contests: Int, replaying: Bool, y: Int) {
        let style = Style(reverse: true)
        grid.fill(y: y, style: style)
        var x = 0
        for view in DashboardView.allCases {
            let label = " \(view.rawValue) \(view.title) "
            let current = view == state.view
            x += grid.put(label, x: x, y: y, style: current ? Style(bold: true, underline: true) : style)
        }
        let arrows = state.unicode ? "↑↓" : "Up/Dn"
        let wide = grid.width >= 120
        var keys = wide ? "  Tab next  \(arrows) PgUp PgDn Home End scroll" : "  \(arrows) PgUp PgDn"
        // In a replay, the key that starts the night again comes first; ? lists the scroll keys.
        if replaying { keys = wide ? "  space pause  r rewind" + keys : "  r rewind" }
        if contests > 1 { keys += "  c contest  Esc all" }
        keys += "  ? help  q quit"
        grid.put(DisplayWidth.truncate(keys, to: grid.width - x), x: x, y: y, style: style)
    }

    private static func help(_ grid: inout Grid, _ state: ViewState, replaying: Bool) {
        var lines = [
            "CountNight keys",
            "",
            "1 to 5, Tab     switch view: Overview, Areas, Boxes, Trend, Log",
            "Shift-Tab       previous view",
            "Up, Down        scroll a line",
            "PgUp, PgDn      scroll a page",
            "Home, End       go to the top or the bottom",
            "c               next contest, when the feed has several",
            "Esc, Enter      the list of every contest; open the one chosen",
            "?               this help",
            "q, Ctrl-C       quit",
            "",
            "Refused files, conflicts and warnings are listed in the Log (5).",
            "Press any key to close this help.",
        ]
        if replaying {
            lines.insert(contentsOf: ["space           pause or resume the replay",
                                      "+, -            faster, slower: 1, 2, 5, 10, 20 ... times",
                                      "Right, Left     step one batch forward or back",
                                      "r, e            rewind to the start, go to the end of the night"], at: 2)
        }
        let width = min(grid.width - 4, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4)
        let height = lines.count + 2
        let x0 = (grid.width - width) / 2
        let y0 = max(1, (grid.height - height) / 2)
        let style = Style(reverse: true)
        for row in 0..<height { grid.fill(y: y0 + row, style: style, from: x0, to: x0 + width) }
        for (index, line) in lines.enumerated() {
            grid.put(line, x: x0 + 2, y: y0 + 1 + index, style: index == 0 ? Style(bold: true, reverse: true) : style, limit: width - 4)
        }
    }
}

extension Style {
    func with(_ change: (inout Style) -> Void) -> Style {
        var copy = self
        change(&copy)
        return copy
    }
}

/// Colours for candidates that election.json gives none, so that bars still differ.
enum CandidatePalette {
    static let fallback: [BasicColour] = [.cyan, .yellow, .green, .magenta, .blue, .red, .white]

    static func colour(_ candidate: CandidateResult, index: Int) -> Colour {
        if let colour = candidate.colour { return .rgb(colour) }
        return .basic(fallback[index % fallback.count])
    }
}
