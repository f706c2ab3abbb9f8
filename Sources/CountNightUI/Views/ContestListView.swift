import CountNightCore

/// Every contest of the feed, one row each: its state, progress, leader or
/// winners, and projection. Enter opens the selected one; `/` finds one by
/// typing part of its name or id, and the list keeps the contests found.
enum ContestListView {
    /// The rows of contests a page of the list shows: the table leaves its
    /// last row to the line of keys.
    static func rowsShown(_ area: Rect) -> Int { Table.rowsShown(tableArea(area)) }

    private static func tableArea(_ area: Rect) -> Rect {
        Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1)
    }

    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let contests = page.snapshot.contests
        let (styles, glyphs) = (page.styles, page.glyphs)
        let find = page.state.find
        let rows = page.listRows
        let chosen = ContestFind.chosenRow(page.state.contest, in: rows)
        let needle = ContestFind.fold(find ?? "")
        // On a narrow screen the system and the leader's own column go: the
        // result column names the leader or the elected.
        let narrow = area.width < 120
        // Of every contest, not only those found: the columns stay put while a find is typed.
        let top = ViewState.listTop(page.state.listTop, chosen: chosen ?? 0, shown: rowsShown(area), rows: rows.count)
        // Found by its id alone: the id, first so that a short column keeps
        // it whole, says why the row is there.
        func title(_ contest: ContestSnapshot) -> String {
            needle.isEmpty || ContestFind.titleContains(contest, needle) ? contest.title : "\(contest.id) \(contest.title)"
        }
        let onScreen = rows[min(top, rows.count)..<min(rows.count, top + rowsShown(area))]
        let longest = max(contests.indices.reduce(0) { max($0, DisplayWidth.of(contests[$1].title)) },
                          onScreen.reduce(0) { max($0, DisplayWidth.of(title(contests[$1]))) })
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
        let table = Table(columns: columns, rowCount: rows.count) { row -> Table.Row in
            let contest = contests[rows[row]]
            let selected = row == chosen
            let system = contest.system == .block || contest.system == .list ? "\(contest.system.rawValue) \(contest.seats)" : contest.system.rawValue
            // Against what the projection expects in all, not only the papers verified so far.
            let progress = contest.status.isFinished ? 1 : contest.projection.counted
            var who = contest.leader.flatMap(contest.name(of:)) ?? "-"
            if !contest.winners.isEmpty { who = contest.names(of: contest.winners).joined(separator: ", ") }
            let rowStyle = selected ? Style(bold: true, reverse: true) : styles.plain
            let projection = OverviewView.headlineStyle(contest.projection.status, styles)
            var cells: [(text: String, style: Style)] = [((selected ? glyphs.marker + " " : "  ") + title(contest), rowStyle)]
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
        table.render(&grid, tableArea(area), offset: top, page: page)
        let d = glyphs.dot
        let y = area.bottom - 1
        guard let find else {
            let keys = [" \(contests.count) contests \(d) \(glyphs.arrows) choose \(d) Enter open \(d) / find \(d) Esc back here from a contest",
                        " \(contests.count) contests \(d) \(glyphs.arrows) choose \(d) Enter open \(d) / find"]
            grid.put(Dashboard.firstFitting(keys, width: area.width) ?? keys[1], x: 0, y: y, style: styles.muted)
            return
        }
        if rows.isEmpty {
            // Said plainly where the rows would be, with the way out.
            let quoted = "\"" + DisplayWidth.truncate(find, to: max(1, area.width - 40), glyphs: glyphs) + "\""
            grid.put("  No contest's name or id contains \(quoted).", x: 0, y: area.y + 1, style: styles.strong, limit: area.width)
            grid.put("  Backspace edits the find; Esc clears it.", x: 0, y: area.y + 2, style: styles.plain, limit: area.width)
        }
        let keys = [" \(glyphs.arrows) PgUp PgDn Home End choose \(d) Enter open \(d) Backspace edit \(d) Esc clear the find",
                    " \(glyphs.arrows) choose \(d) Enter open \(d) Esc clear the find"]
        grid.put(Dashboard.firstFitting(keys, width: area.width) ?? keys[1], x: 0, y: y, style: styles.muted)
    }

    /// The find's own line, in place of the dashboard's keys (every key
    /// types while it is open): the text with a cursor, then how many
    /// contests it leaves. A text too long for the line shows its end.
    static func findLine(_ grid: inout Grid, _ page: Page, find: String, y: Int) {
        let (styles, glyphs) = (page.styles, page.glyphs)
        let contests = page.snapshot.contests
        let found = page.listRows.count
        let count = " \(found) of \(contests.count) contests "
        let label = " Find: "
        grid.fill(y: y, style: styles.footer)
        let x = grid.put(label, x: 0, y: y, style: styles.footer)
        let room = max(1, grid.width - x - DisplayWidth.of(glyphs.cursor) - DisplayWidth.of(count) - 1)
        let text = ending(find, width: room, glyphs: glyphs)
        let end = x + grid.put(text, x: x, y: y, style: styles.header)
        grid.put(glyphs.cursor, x: end, y: y, style: styles.header)
        grid.put(count, x: grid.width - DisplayWidth.of(count), y: y, style: found == 0 ? styles.alarm : styles.footer)
    }

    /// The end of `text` in `width` columns, with an ellipsis before it when cut.
    static func ending(_ text: String, width: Int, glyphs: Glyphs) -> String {
        if DisplayWidth.of(text) <= width { return text }
        var kept: [Character] = []
        var used = DisplayWidth.of(glyphs.ellipsis)
        for character in text.reversed() {
            let w = DisplayWidth.of(character)
            if used + w > width { break }
            kept.append(character)
            used += w
        }
        return glyphs.ellipsis + String(kept.reversed())
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
