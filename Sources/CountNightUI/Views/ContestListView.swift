import CountNightCore

/// Every contest of the feed, one row each: its state, progress, leader or
/// winners, and projection. Enter opens the selected one.
enum ContestListView {
    static func render(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ area: Rect) {
        let contests = model.snapshot.contests
        let selected = Dashboard.currentContest(model, state)
        let narrow = area.width < 120
        let titleWidth = 2 + min(narrow ? 20 : 30, max(8, contests.map { DisplayWidth.of($0.title) }.max() ?? 0))
        let columns: [Table.Column] = [
            .init(title: "Contest", width: titleWidth, rightAligned: false),
            .init(title: "System", width: 9, rightAligned: false),
            .init(title: "State", width: 9, rightAligned: false),
            .init(title: "Counted", width: 7, rightAligned: true),
            .init(title: "Leader or elected", width: narrow ? 16 : 24, rightAligned: false),
            .init(title: "Projection", width: max(10, area.width - titleWidth - 9 - 9 - 7 - (narrow ? 16 : 24) - 13), rightAligned: false),
        ]
        let table = Table(columns: columns, rowCount: contests.count) { index -> Table.Row in
            let contest = contests[index]
            let system = contest.system == .block ? "block \(contest.seats)" : contest.system.rawValue
            // Against what the projection expects in all, not only the papers verified so far.
            let progress = contest.status == .complete ? 1 : contest.projection.counted
            let names = { (ids: [String]) in ids.compactMap { id in contest.candidates.first { $0.id == id }?.name }.joined(separator: ", ") }
            var who = contest.leader.map { names([$0]) } ?? "-"
            if !contest.winners.isEmpty { who = names(contest.winners) }
            let rowStyle = index == selected ? Style(bold: true, reverse: true) : Style.plain
            let projection = OverviewView.headlineStyle(contest.projection.status)
            return Table.Row(cells: [
                ((index == selected ? (state.unicode ? "▶ " : "> ") : "  ") + contest.title, rowStyle),
                (system, .plain),
                (contest.status.rawValue.uppercased(), contest.status == .complete ? Style(foreground: .basic(.green), bold: true) : .plain),
                (Format.percent(progress, decimals: 0), .plain),
                (who, contest.winners.isEmpty ? .plain : Style(bold: true)),
                (contest.projectionHeadline, Style(foreground: projection.foreground, bold: projection.bold)),
            ])
        }
        let shown = Table.rowsShown(area)
        let offset = max(0, min(selected - shown + 1, contests.count - shown))
        table.render(&grid, Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1), offset: max(0, offset), unicode: state.unicode)
        grid.put(" \(contests.count) contests · ↑↓ choose · Enter open · Esc back here from a contest", x: 0, y: area.bottom - 1, style: .dim)
    }
}
