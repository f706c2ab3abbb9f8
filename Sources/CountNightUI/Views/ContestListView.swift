import CountNightCore

/// Every contest of the feed, one row each: its state, progress, leader or
/// winners, and projection. Enter opens the selected one.
enum ContestListView {
    static func render(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ area: Rect) {
        let contests = model.snapshot.contests
        let selected = Dashboard.currentContest(model, state)
        let narrow = area.width < 120
        let titleWidth = 2 + min(narrow ? 18 : 30, max(8, contests.map { DisplayWidth.of($0.title) }.max() ?? 0))
        let whoWidth = narrow ? 14 : 24
        var columns: [Table.Column] = [.init(title: "Contest", width: titleWidth, rightAligned: false)]
        // On a narrow screen the system goes: the projection matters more.
        if !narrow { columns.append(.init(title: "System", width: 9, rightAligned: false)) }
        columns += [
            .init(title: "State", width: 9, rightAligned: false),
            .init(title: "Counted", width: 7, rightAligned: true),
            .init(title: narrow ? "Leader" : "Leader or elected", width: whoWidth, rightAligned: false),
        ]
        let used = 1 + columns.reduce(0) { $0 + $1.width + 2 }
        columns.append(.init(title: "Projection", width: max(10, area.width - used - 1), rightAligned: false))
        let table = Table(columns: columns, rowCount: contests.count) { index -> Table.Row in
            let contest = contests[index]
            let system = contest.system == .block ? "block \(contest.seats)" : contest.system.rawValue
            // Against what the projection expects in all, not only the papers verified so far.
            let progress = contest.status.isFinished ? 1 : contest.projection.counted
            let names = { (ids: [String]) in ids.compactMap { id in contest.candidates.first { $0.id == id }?.name }.joined(separator: ", ") }
            var who = contest.leader.map { names([$0]) } ?? "-"
            if !contest.winners.isEmpty { who = names(contest.winners) }
            let rowStyle = index == selected ? Style(bold: true, reverse: true) : Style.plain
            let projection = OverviewView.headlineStyle(contest.projection.status)
            var cells: [(text: String, style: Style)] = [((index == selected ? (state.unicode ? "▶ " : "> ") : "  ") + contest.title, rowStyle)]
            if !narrow { cells.append((system, .plain)) }
            cells += [
                (contest.status == .secondStage ? "2ND STAGE" : contest.status.label, contest.status.isFinished ? Style(foreground: .basic(.green), bold: true) : .plain),
                (Format.percent(progress, decimals: 0), .plain),
                (who, contest.winners.isEmpty ? .plain : Style(bold: true)),
                (narrow ? shortHeadline(contest) : contest.projectionHeadline, Style(foreground: projection.foreground, bold: projection.bold)),
            ]
            return Table.Row(cells: cells)
        }
        let shown = Table.rowsShown(area)
        let offset = max(0, min(selected - shown + 1, contests.count - shown))
        table.render(&grid, Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1), offset: max(0, offset), unicode: state.unicode)
        grid.put(" \(contests.count) contests · ↑↓ choose · Enter open · Esc back here from a contest", x: 0, y: area.bottom - 1, style: .dim)
    }

    /// The projection in a few words, for a narrow list.
    static func shortHeadline(_ contest: ContestSnapshot) -> String {
        let projection = contest.projection
        let names = projection.winners.compactMap { id in contest.candidates.first { $0.id == id }?.name }.joined(separator: ", ")
        switch projection.status {
        case .tooEarly: return contest.countedBallots == 0 ? "too early" : "too early to call"
        case .projected: return "PROJECTED \(names) \(ContestSnapshot.chance(projection.probability))"
        case .certain: return "CERTAIN: \(names)"
        case .final: return contest.status == .declared ? "DECLARED: \(names)" : "ELECTED: \(names)"
        case .secondStage: return contest.status == .complete ? "SECOND STAGE" : "2nd stage expected"
        case .tied: return "TIED"
        }
    }
}
