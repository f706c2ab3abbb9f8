import CountNightCore

/// Every contest of the feed, one row each: its state, progress, leader or
/// winners, and projection. Enter opens the selected one.
enum ContestListView {
    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let contests = page.snapshot.contests
        let (styles, glyphs) = (page.styles, page.glyphs)
        let selected = page.contestIndex
        // On a narrow screen the system and the leader's own column go: the
        // result column names the leader or the elected.
        let narrow = area.width < 120
        let longest = contests.map { DisplayWidth.of($0.title) }.max() ?? 0
        let titleWidth = 2 + max(8, min(narrow ? area.width - 56 : 30, longest))
        var columns: [Table.Column] = [.init(title: "Contest", width: titleWidth, rightAligned: false)]
        if !narrow { columns.append(.init(title: "System", width: 9, rightAligned: false)) }
        columns += [
            .init(title: "State", width: 9, rightAligned: false),
            .init(title: "Counted", width: 7, rightAligned: true),
        ]
        if !narrow { columns.append(.init(title: "Leader or elected", width: 24, rightAligned: false)) }
        let used = 1 + columns.reduce(0) { $0 + $1.width + 2 }
        let projectionWidth = max(10, area.width - used - 1)
        columns.append(.init(title: "Projection", width: projectionWidth, rightAligned: false))
        let table = Table(columns: columns, rowCount: contests.count) { index -> Table.Row in
            let contest = contests[index]
            let system = contest.system == .block || contest.system == .list ? "\(contest.system.rawValue) \(contest.seats)" : contest.system.rawValue
            // Against what the projection expects in all, not only the papers verified so far.
            let progress = contest.status.isFinished ? 1 : contest.projection.counted
            var who = contest.leader.flatMap(contest.name(of:)) ?? "-"
            if !contest.winners.isEmpty { who = contest.names(of: contest.winners).joined(separator: ", ") }
            let rowStyle = index == selected ? Style(bold: true, reverse: true) : styles.plain
            let projection = OverviewView.headlineStyle(contest.projection.status, styles)
            var cells: [(text: String, style: Style)] = [((index == selected ? glyphs.marker + " " : "  ") + contest.title, rowStyle)]
            if !narrow { cells.append((system, styles.plain)) }
            cells += [
                (contest.status == .secondStage ? "2ND STAGE" : contest.status.label, contest.status.isFinished ? styles.done : styles.plain),
                (Format.percent(progress, decimals: 0), styles.plain),
            ]
            if !narrow { cells.append((who, contest.winners.isEmpty ? styles.plain : styles.strong)) }
            let text = narrow ? Dashboard.firstFitting(shortHeadlines(contest), width: projectionWidth) ?? shortHeadlines(contest).last!
                : contest.projectionHeadline
            cells.append((text, Style(foreground: projection.foreground, bold: projection.bold)))
            return Table.Row(cells: cells)
        }
        let shown = Table.rowsShown(area)
        let offset = max(0, min(selected - shown + 1, contests.count - shown))
        table.render(&grid, Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1), offset: max(0, offset), page: page)
        let d = glyphs.dot
        grid.put(" \(contests.count) contests \(d) \(glyphs.arrows) choose \(d) Enter open \(d) Esc back here from a contest", x: 0, y: area.bottom - 1, style: styles.muted)
    }

    /// The projection in a few words, for a narrow list, with the leader or
    /// the elected: richest first, then shorter forms that keep the figures whole.
    static func shortHeadlines(_ contest: ContestSnapshot) -> [String] {
        let projection = contest.projection
        let names = contest.names(of: projection.winners).joined(separator: ", ")
        let lastNames = contest.names(of: projection.winners).compactMap { $0.split(separator: " ").last }
            .joined(separator: ", ")
        let count = projection.winners.count
        let leader = contest.leader.flatMap(contest.name(of:))
        let leaderLast = leader.map { $0.split(separator: " ").last.map(String.init) ?? $0 }
        switch projection.status {
        case .tooEarly:
            if contest.countedBallots == 0 { return ["too early"] }
            return [leader.map { "too early to call (\($0) leads)" }, leaderLast.map { "too early to call (\($0) leads)" }, "too early to call"]
                .compactMap { $0 }
        case .projected:
            let chance = ContestSnapshot.chance(projection.probability)
            return ["PROJECTED \(names) \(chance)", "PROJECTED \(lastNames) \(chance)", "PROJECTED \(count) \(chance)"]
        case .certain: return ["CERTAIN: \(names)", "CERTAIN: \(lastNames)", "CERTAIN: \(count) winners"]
        case .final:
            let word = contest.status == .declared ? "DECLARED" : "ELECTED"
            let recount = contest.recountPossible ? ", RECOUNT POSSIBLE" : ""
            return ["\(word): \(names)\(recount)", "\(word): \(lastNames)\(recount)", "\(word): \(count) elected\(recount)", "\(word)\(recount)"]
        case .secondStage: return [contest.status == .complete ? "SECOND STAGE" : "2nd stage expected"]
        case .tied: return ["TIED"]
        }
    }
}
