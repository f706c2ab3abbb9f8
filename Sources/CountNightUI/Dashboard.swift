import CountNightCore

/// A rectangle of the screen given to one part of the dashboard.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public var bottom: Int { y + height }
}

/// What every part of the screen is drawn from: the model, the person's
/// choices, and the terminal's glyphs and styles.
struct Page {
    let model: DashboardModel
    let state: ViewState
    let theme: Theme
    var glyphs: Glyphs { theme.glyphs }
    var styles: Styles { theme.styles }
    var snapshot: Snapshot { model.snapshot }
    var contestIndex: Int { Dashboard.currentContest(model, state) }
    var contest: ContestSnapshot { model.snapshot.contests[contestIndex] }
    /// The contests the list shows (those a find leaves), found once for
    /// the list and the find's line.
    let listRows: [Int]

    init(model: DashboardModel, state: ViewState, theme: Theme) {
        (self.model, self.state, self.theme) = (model, state, theme)
        listRows = Dashboard.showsContestList(model, state) ? ContestFind.matches(model.snapshot.contests, state.find ?? "") : []
    }
}

/// Draws the whole dashboard: a pure function from (model, view state,
/// theme, size) to a grid of styled cells.
public enum Dashboard {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ model: DashboardModel, _ state: ViewState, theme: Theme = Theme(),
                              width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height, ascii: !theme.glyphs.isUnicode)
        guard width >= minimumWidth, height >= minimumHeight else {
            grid.put(smallTerminalMessage(width: width, height: height, glyphs: theme.glyphs), x: 0, y: 0, style: theme.styles.strong)
            return grid
        }
        if let waiting = model.waiting {
            WaitingView.render(&grid, waiting, clock: model.clock, styles: theme.styles)
            return grid
        }
        let page = Page(model: model, state: state, theme: theme)
        header(&grid, page)
        let content = contentArea(model, state, width: width, height: height)
        if showsContestList(model, state) {
            ContestListView.render(&grid, page, content)
        } else {
            views(&grid, page, content)
        }
        footer(&grid, page, y: height - 1)
        if state.showHelp { help(&grid, page) }
        return grid
    }

    static func showsContestList(_ model: DashboardModel, _ state: ViewState) -> Bool {
        state.contestList && model.snapshot.contests.count > 1
    }

    private static func views(_ grid: inout Grid, _ page: Page, _ content: Rect) {
        switch page.state.view {
        case .overview: OverviewView.render(&grid, page, content)
        case .areas: AreasView.render(&grid, page, content)
        case .boxes: BoxesView.render(&grid, page, content)
        case .trend: TrendView.render(&grid, page, content)
        case .log: LogView.render(&grid, page, content)
        }
    }

    /// The one line shown when the terminal is too small: the sizes come
    /// first, so that even a very narrow terminal shows them.
    public static func smallTerminalMessage(width: Int, height: Int, glyphs: Glyphs = .unicode) -> String {
        // Cut without an ellipsis: on a tiny terminal every column is for the sizes.
        let times = glyphs.times
        return String("Need \(minimumWidth)\(times)\(minimumHeight), now \(width)\(times)\(height). CountNight: enlarge the terminal, or press q to quit.".prefix(max(0, width)))
    }

    /// How many rows the current view shows on a page, and has in all, for scrolling.
    public static func scrollExtent(_ model: DashboardModel, _ state: ViewState, theme: Theme = Theme(),
                                    width: Int, height: Int) -> (page: Int, total: Int) {
        guard width >= minimumWidth, height >= minimumHeight, model.waiting == nil else { return (1, 0) }
        let content = contentArea(model, state, width: width, height: height)
        if showsContestList(model, state) {
            return (ContestListView.rowsShown(content), ContestFind.matches(model.snapshot.contests, state.find ?? "").count)
        }
        let page = Page(model: model, state: state, theme: theme)
        switch state.view {
        case .overview: return OverviewView.extent(page, content)
        case .areas: return AreasView.extent(page, content)
        case .boxes: return BoxesView.extent(page, content)
        case .trend: return (content.height, content.height)
        case .log: return LogView.extent(page, content)
        }
    }

    /// The view state for a terminal resized from `old` to `new` columns and
    /// rows: the Log, whose events wrap to the width, is kept at the same
    /// event (or at its end), not at the same line, which after the events
    /// wrap anew would be another part of the history; also while another
    /// view or the list of contests is shown, for when the Log is shown
    /// again. Other views scroll by rows that do not change with the width.
    public static func resized(_ state: ViewState, _ model: DashboardModel, theme: Theme = Theme(),
                               from old: (width: Int, height: Int), to new: (width: Int, height: Int)) -> ViewState {
        guard let scrolled = state.scroll[.log], scrolled > 0, model.waiting == nil, !model.snapshot.contests.isEmpty,
              old.width >= minimumWidth, old.height >= minimumHeight, new.width >= minimumWidth, new.height >= minimumHeight,
              old != new
        else { return state }
        var log = state
        log.view = .log
        log.contestList = false
        let page = Page(model: model, state: log, theme: theme)
        let before = contentArea(model, log, width: old.width, height: old.height)
        let after = contentArea(model, log, width: new.width, height: new.height)
        let oldLines = LogView.lines(page, width: before.width - 1)
        let place = LogView.place(oldLines, offset: scrolled, rows: before.height)
        var state = state
        state.scroll[.log] = LogView.offset(place, in: LogView.lines(page, width: after.width - 1), rows: after.height)
        return state
    }

    /// The bands under the header, in order: each takes a row from the view.
    enum Band {
        case rehearsal, sample, replay, reading, feed, recording, alert
    }

    static func bands(_ model: DashboardModel, _ state: ViewState) -> [Band] {
        var bands: [Band] = []
        if model.snapshot.rehearsal { bands.append(.rehearsal) }
        if model.sampleBanner != nil { bands.append(.sample) }
        if model.replay != nil { bands.append(.replay) }
        if model.reading != nil { bands.append(.reading) }
        if model.feedProblem != nil { bands.append(.feed) }
        if model.recordingProblem != nil { bands.append(.recording) }
        if model.alerts.count > state.acknowledgedAlerts { bands.append(.alert) }
        return bands
    }

    /// The rows between the header (with its bands) and the key legend.
    static func contentArea(_ model: DashboardModel, _ state: ViewState, width: Int, height: Int) -> Rect {
        let top = 1 + bands(model, state).count
        return Rect(x: 0, y: top, width: width, height: height - 1 - top)
    }

    static func currentContest(_ model: DashboardModel, _ state: ViewState) -> Int {
        model.snapshot.contests.isEmpty ? 0 : min(state.contest, model.snapshot.contests.count - 1)
    }

    /// The first of `texts` that fits in `width` columns, else nil: a line
    /// drops whole parts when space is short, never the end of a figure.
    static func firstFitting(_ texts: [String], width: Int) -> String? {
        texts.first { DisplayWidth.of($0) <= width }
    }

    // MARK: Header and footer

    /// "25 s", "4 min", "2 h 5 min".
    static func duration(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded(.down)))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    /// The header's freshness: how long ago the last batch arrived.
    static func freshness(_ model: DashboardModel) -> String? {
        guard let now = model.now else { return nil }
        guard let last = model.lastBatchAt else { return "no batch yet" }
        return "last batch \(duration(now - last)) ago"
    }

    /// The header row and its bands, in the rows `contentArea` leaves above the view.
    private static func header(_ grid: inout Grid, _ page: Page) {
        let (model, state, glyphs, styles) = (page.model, page.state, page.glyphs, page.styles)
        let snapshot = model.snapshot
        let index = page.contestIndex
        let contest = snapshot.contests[index]
        let style = snapshot.rehearsal ? styles.rehearsal : styles.header
        let dot = " \(glyphs.dot) "
        grid.fill(y: 0, style: style)
        var status = contest.status.label
        // Richest first; with several contests the contest's name outlasts
        // the election's title, and "(1 of 3)" outlasts the key hint.
        var lefts = [" \(snapshot.title)\(dot)\(contest.title)", " \(contest.title)"]
        let position = " (\(index + 1) of \(snapshot.contests.count))"
        if snapshot.contests.count > 1 {
            lefts = [" \(snapshot.title)\(dot)\(contest.title) (\(index + 1) of \(snapshot.contests.count), c: next)",
                     " \(contest.title) (\(index + 1) of \(snapshot.contests.count), c: next)",
                     " \(contest.title)\(position)"]
        }
        if Dashboard.showsContestList(model, state) {
            lefts = [" \(snapshot.title)\(dot)every contest", " every contest"]
            // How many contests stand at each state, in the order of the night.
            let order: [ContestStatus] = [.declared, .complete, .secondStage, .counting, .verifying, .awaiting]
            // One pass, reading the state alone: a national night has 650 contests.
            var counts: [ContestStatus: Int] = [:]
            for index in snapshot.contests.indices { counts[snapshot.contests[index].status, default: 0] += 1 }
            status = order.compactMap { state in counts[state].map { "\($0) \(state.label)" } }.joined(separator: dot)
        }
        if snapshot.rehearsal { status = "REHEARSAL\(dot)" + status }
        if let replay = model.replay {
            status = "REPLAY \(replay.paused ? "PAUSED " : "")\(replay.speedLabel(glyphs))\(dot)" + status
        }
        let fresh = freshness(model)
        let clock = model.clock.isEmpty ? nil : model.clock
        // The state first, then how fresh the feed is, then the clock: the
        // wall's time is on every phone, a stale feed is not.
        var rights: [String] = []
        for parts in [[status, fresh, clock], [status, fresh], [status, clock], [status]] {
            let text = " " + parts.compactMap { $0 }.joined(separator: "  ") + " "
            if !rights.contains(text) { rights.append(text) }
        }
        let tried = fresh != nil ? 2 : 1
        var chosen: (left: String, right: String)? = nil
        search: for right in rights.prefix(tried) {
            for left in lefts where DisplayWidth.of(left) + DisplayWidth.of(right) + 1 <= grid.width {
                chosen = (left, right)
                break search
            }
        }
        // Nothing whole fits: the title is cut (with several contests, the
        // contest's name, its position kept).
        let right = chosen?.right ?? rights[tried - 1]
        let room = grid.width - DisplayWidth.of(right) - 1
        let left = chosen?.left ?? (snapshot.contests.count > 1 && !Dashboard.showsContestList(model, state)
            ? " " + DisplayWidth.truncate(contest.title, to: room - 1 - DisplayWidth.of(position), glyphs: glyphs) + position
            : DisplayWidth.truncate(lefts[0], to: room, glyphs: glyphs))
        grid.put(left, x: 0, y: 0, style: style)
        grid.put(right, x: grid.width - DisplayWidth.of(right), y: 0, style: style)
        for (index, band) in bands(model, state).enumerated() { drawBand(&grid, band, page, y: 1 + index) }
    }

    /// One band under the header: what must not be missed, whole where it fits.
    private static func drawBand(_ grid: inout Grid, _ band: Band, _ page: Page, y: Int) {
        let (model, state, glyphs, styles) = (page.model, page.state, page.glyphs, page.styles)
        let dot = " \(glyphs.dot) "
        switch band {
        case .rehearsal:
            // Whole units only, centred: never "REHEARSAL · NO".
            let unit = "  REHEARSAL\(dot)NOT REAL RESULTS  "
            let units = max(1, grid.width / DisplayWidth.of(unit))
            let text = String(repeating: unit, count: units)
            grid.fill(y: y, style: styles.rehearsalBand)
            grid.put(text, x: max(0, (grid.width - DisplayWidth.of(text)) / 2), y: y, style: styles.rehearsalBand)
        case .sample:
            grid.put(DisplayWidth.truncate(" " + (model.sampleBanner ?? ""), to: grid.width, glyphs: glyphs), x: 0, y: y, style: styles.sample)
        case .replay:
            ReplayTimeline.render(&grid, model.replay!, y: y, glyphs: glyphs, styles: styles)
        case .reading:
            // The figures below are those before the read: said, so that a
            // night of a million files does not look like a night with none.
            let reading = model.reading!
            // 99% at most: the figures come with the next model, not the last file.
            let share = reading.files > 0 ? min(99, reading.filesRead * 100 / reading.files) : 0
            let head = " READING THE FEED\(dot)\(Format.grouped(reading.filesRead)) of \(Format.grouped(reading.files)) files (\(share)%)"
            let text = firstFitting([head + "\(dot)the figures follow when it is read", head, " READING \(share)%"], width: grid.width) ?? head
            drawBand(&grid, text, y: y, style: styles.warningBand)
        case .feed:
            // The time of the last read is what people need: it comes
            // before the reason, which the log keeps whole.
            let last = " FEED NOT ANSWERING\(dot)last batch read \(model.lastBatchRead ?? "never")"
            let text = firstFitting([last + dot + (model.feedProblem ?? ""), last + "  (5: log)", last], width: grid.width) ?? last
            drawBand(&grid, text, y: y, style: styles.alarm)
        case .recording:
            drawBand(&grid, DisplayWidth.truncate(" RECORDING FAILED: \(model.recordingProblem ?? "")", to: grid.width, glyphs: glyphs),
                     y: y, style: styles.alarm)
        case .alert:
            let pending = model.alerts.count - state.acknowledgedAlerts
            let latest = model.alerts.last!
            let key = "  [\(ViewState.acknowledgeKey): acknowledge]"
            let more = pending > 1 ? " (+\(pending - 1) more, 5: log)" : ""
            let (banner, message) = (latest.alert.banner, latest.alert.message)
            let head = " \(banner) \(latest.clock): "
            // Whole first; then without the time and the key's words (the
            // footer lists the key); a long message last, cut where the log has it whole.
            let short = " \(banner): "
            let text = firstFitting([head + message + more + key, head + message + key, short + message + more + "  [\(ViewState.acknowledgeKey)]",
                                     short + message + "  [\(ViewState.acknowledgeKey)]", short + message],
                                    width: grid.width)
                ?? DisplayWidth.truncate(short + message, to: grid.width - 10, glyphs: glyphs) + " (5: log) "
            drawBand(&grid, text, y: y, style: styles.alarm)
        }
    }

    private static func drawBand(_ grid: inout Grid, _ text: String, y: Int, style: Style) {
        grid.fill(y: y, style: style)
        grid.put(text, x: 0, y: y, style: style)
    }

    private static func footer(_ grid: inout Grid, _ page: Page, y: Int) {
        let (state, styles) = (page.state, page.styles)
        if let find = state.find, showsContestList(page.model, state) {
            ContestListView.findLine(&grid, page, find: find, y: y)
            return
        }
        grid.fill(y: y, style: styles.footer)
        var x = 0
        for view in DashboardView.allCases {
            let label = " \(view.rawValue) \(view.title) "
            x += grid.put(label, x: x, y: y, style: view == state.view ? styles.footerCurrent : styles.footer)
        }
        // Keys in the order shown, each with its rank: when space is short,
        // whole keys go, the least needed first.
        var keys: [(text: String, rank: Int)] = []
        let wide = grid.width >= 120
        keys.append((wide ? "Tab next  \(page.glyphs.arrows) PgUp PgDn Home End scroll" : "\(page.glyphs.arrows) PgUp PgDn", 6))
        // In a replay, the key that starts the night again comes first; ? lists the scroll keys.
        if page.model.replay != nil {
            keys.insert(contentsOf: (wide ? [("space pause", 5)] : []) + [("r rewind", 2)], at: 0)
        }
        if page.snapshot.contests.count > 1 { keys += [("c contest", 3), ("Esc all", 4), ("\(ViewState.findKey) find", 7)] }
        if page.model.alerts.count > state.acknowledgedAlerts { keys.append(("\(ViewState.acknowledgeKey) acknowledge", 0)) }
        keys += [("? help", 1), ("q quit", 2)]
        var room = grid.width - x
        var kept: Set<Int> = []
        for (index, key) in keys.enumerated().sorted(by: { $0.element.rank < $1.element.rank }) where DisplayWidth.of(key.text) + 2 <= room {
            kept.insert(index)
            room -= DisplayWidth.of(key.text) + 2
        }
        let text = keys.enumerated().filter { kept.contains($0.offset) }.map { "  " + $0.element.text }.joined()
        grid.put(text, x: x, y: y, style: styles.footer)
    }

    private static func help(_ grid: inout Grid, _ page: Page) {
        let replaying = page.model.replay != nil
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
            "/               find a contest by name or id; Enter opens, Esc clears",
            "\(ViewState.acknowledgeKey)               acknowledge a RESULT CHANGED or NEW PROBLEM band",
            "?               this help",
            "q, Ctrl-C       quit",
            "",
            "Refused files, conflicts, warnings, changed results: in the Log (5).",
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
        let style = page.styles.footer
        for row in 0..<height { grid.fill(y: y0 + row, style: style, from: x0, to: x0 + width) }
        for (index, line) in lines.enumerated() {
            grid.put(line, x: x0 + 2, y: y0 + 1 + index, style: index == 0 ? page.styles.header : style, limit: width - 4)
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

