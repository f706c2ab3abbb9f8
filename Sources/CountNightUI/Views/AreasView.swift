import CountNightCore

/// View 2: one row per area with its progress, turnout, leader and each
/// candidate's share where the width allows.
enum AreasView {
    static func extent(_ model: DashboardModel, _ state: ViewState, _ area: Rect) -> (page: Int, total: Int) {
        (Table.rowsShown(area), model.snapshot.contests[Dashboard.currentContest(model, state)].areas.count)
    }

    /// A candidate's short label for a column heading: the last word of the name.
    static func shortName(_ name: String, width: Int) -> String {
        let last = name.split(separator: " ").last.map(String.init) ?? name
        return DisplayWidth.truncate(last, to: width, unicode: false)
    }

    static func render(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ area: Rect) {
        let contest = model.snapshot.contests[Dashboard.currentContest(model, state)]
        let byElectionIndex = Dictionary(uniqueKeysWithValues: contest.candidates.map { ($0.electionIndex, $0) })
        let narrow = area.width < 100
        let typesText = contest.areas.map { $0.types.joined(separator: ",") }
        let typeWidth = min(narrow ? 6 : 24, typesText.map(DisplayWidth.of).max() ?? 0)
        // With types, the name and leader narrower at 80 columns so that the figures stay on the screen.
        let nameWidth = min(narrow ? (typeWidth > 0 ? 11 : 17) : 28, max(12, contest.areas.map { DisplayWidth.of($0.name) }.max() ?? 0))
        let leaderWidth = narrow ? (typeWidth > 0 ? 10 : 12) : 16
        var columns: [Table.Column] = [
            .init(title: "Area", width: nameWidth, rightAligned: false),
        ]
        if typeWidth > 0 { columns.append(.init(title: "Types", width: max(5, typeWidth), rightAligned: false)) }
        columns += [
            .init(title: "Verified", width: 8, rightAligned: true),
            .init(title: "Counted", width: 7, rightAligned: true),
            .init(title: narrow ? "To count" : "Ballots to count", width: narrow ? 8 : 16, rightAligned: true),
            .init(title: "Turnout", width: 7, rightAligned: true),
            .init(title: "Leader", width: leaderWidth, rightAligned: false),
            .init(title: "Share", width: 6, rightAligned: true),
        ]
        let used = 1 + columns.reduce(0) { $0 + $1.width + 2 }
        // Candidates in the order of the overall result, as many as fit.
        let shareColumns = Array(contest.candidates.prefix(max(0, (area.width - used) / 8)))
        for candidate in shareColumns {
            columns.append(.init(title: shortName(candidate.name, width: 6), width: 6, rightAligned: true))
        }
        let table = Table(columns: columns, rowCount: contest.areas.count) { index -> Table.Row in
            let result = contest.areas[index]
            let valid = result.votes.reduce(0, +)
            var leader = "-"
            var share = ""
            if let top = result.leader {
                leader = byElectionIndex[top]?.name ?? "-"
                share = Format.percent(Double(result.votes[top]) / Double(valid), decimals: 1)
            } else if valid > 0 {
                leader = "tie"
                share = Format.percent(Double(result.votes.max() ?? 0) / Double(valid), decimals: 1)
            }
            let turnout = result.electorate.map { Format.percent(Double(result.ballotPapers) / Double($0), decimals: 1) } ?? "-"
            let complete = result.coveredBoxes == result.boxes
            var cells: [(text: String, style: Style)] = [(result.name, Style(bold: complete))]
            if typeWidth > 0 { cells.append((typesText[index].isEmpty ? "-" : typesText[index], .plain)) }
            cells += [
                ("\(result.verifiedBoxes)/\(result.boxes)", .plain),
                ("\(result.coveredBoxes)/\(result.boxes)", complete ? Style(foreground: .basic(.green), bold: true) : .plain),
                (result.uncounted == 0 ? (complete ? "-" : "0") : Format.grouped(result.uncounted), result.uncounted == 0 ? .dim : .plain),
                (turnout, .plain),
                (leader, .bold),
                (share, .plain),
            ]
            for candidate in shareColumns {
                let votes = result.votes[candidate.electionIndex]
                let text = valid == 0 ? "-" : Format.percent(Double(votes) / Double(valid), decimals: 1)
                cells.append((text, Style(foreground: CandidatePalette.colour(candidate, index: candidate.electionIndex))))
            }
            return Table.Row(cells: cells)
        }
        table.render(&grid, area, offset: state.offset(total: table.rowCount, rows: Table.rowsShown(area)), unicode: state.unicode)
    }
}
