import CountNightCore

/// View 2: one row per area with its progress, turnout, leader and each
/// candidate's share where the width allows.
enum AreasView {
    static func extent(_ page: Page, _ area: Rect) -> (page: Int, total: Int) {
        (Table.rowsShown(area), page.contest.areas.count)
    }

    /// A candidate's short label for a column heading: the last word of the name.
    static func shortName(_ name: String, width: Int) -> String {
        let last = name.split(separator: " ").last.map(String.init) ?? name
        return DisplayWidth.truncate(last, to: width, glyphs: .ascii)
    }

    /// The widths of the columns that change with the screen. Every column
    /// keeps its figures whole: when the row is too wide, names narrow first,
    /// then the types, then the turnout goes.
    struct Widths: Equatable {
        var name: Int
        var types: Int
        var toCount: Int
        var leader: Int
        var turnout: Bool

        /// The row's width without the candidates' share columns.
        var used: Int {
            1 + (name + 2) + (types > 0 ? types + 2 : 0) + (8 + 2) + (7 + 2) + (toCount + 2) + (turnout ? 7 + 2 : 0) + (leader + 2) + (6 + 2)
        }

        static func fitting(_ contest: ContestSnapshot, width: Int) -> Widths {
            // Names and types from election.json: each of the snapshot's
            // areas is made when read (`AreaResults`), figures and all.
            let longestName = max(12, contest.definition.areas.map { DisplayWidth.of($0.label) }.max() ?? 0)
            let longestTypes = contest.definition.areaTypes.map { DisplayWidth.of($0.joined(separator: ",")) }.max() ?? 0
            var widths = Widths(name: min(28, longestName), types: longestTypes == 0 ? 0 : max(5, min(24, longestTypes)),
                                toCount: 16, leader: 16, turnout: true)
            let steps: [(inout Widths) -> Void] = [
                { $0.toCount = 8 },
                { $0.types = min($0.types, 10) },
                { $0.name = min($0.name, 17); $0.leader = 12 },
                { $0.types = min($0.types, 6); $0.name = min($0.name, 11); $0.leader = 10 },
                { $0.types = 0 },
                { $0.turnout = false },
            ]
            for step in steps where widths.used > width { step(&widths) }
            return widths
        }
    }

    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let contest = page.contest
        let styles = page.styles
        let byElectionIndex = Dictionary(uniqueKeysWithValues: contest.candidates.map { ($0.electionIndex, $0) })
        let typesText = contest.definition.areaTypes.map { $0.joined(separator: ",") }
        let widths = Widths.fitting(contest, width: area.width)
        var columns: [Table.Column] = [.init(title: "Area", width: widths.name, rightAligned: false)]
        if widths.types > 0 { columns.append(.init(title: "Types", width: widths.types, rightAligned: false)) }
        columns += [
            .init(title: "Verified", width: 8, rightAligned: true),
            .init(title: "Counted", width: 7, rightAligned: true),
            .init(title: widths.toCount < 16 ? "To count" : "Ballots to count", width: widths.toCount, rightAligned: true),
        ]
        if widths.turnout { columns.append(.init(title: "Turnout", width: 7, rightAligned: true)) }
        columns += [
            .init(title: "Leader", width: widths.leader, rightAligned: false),
            .init(title: "Share", width: 6, rightAligned: true),
        ]
        // Candidates in the order of the overall result, as many as fit whole.
        let shareColumns = Array(contest.candidates.prefix(max(0, (area.width - widths.used) / 8)))
        for candidate in shareColumns {
            columns.append(.init(title: shortName(candidate.name, width: 6), width: 6, rightAligned: true))
        }
        assert(!contest.areas.isLeftOut, "the areas view needs the snapshot made with the areas")
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
            var cells: [(text: String, style: Style)] = [(result.name, complete ? styles.strong : styles.plain)]
            if widths.types > 0 { cells.append((typesText[index].isEmpty ? "-" : typesText[index], styles.plain)) }
            cells += [
                ("\(result.verifiedBoxes)/\(result.boxes)", styles.plain),
                ("\(result.coveredBoxes)/\(result.boxes)", complete ? styles.done : styles.plain),
                (result.uncounted == 0 ? (complete ? "-" : "0") : Format.grouped(result.uncounted), result.uncounted == 0 ? styles.muted : styles.plain),
            ]
            if widths.turnout { cells.append((turnout, styles.plain)) }
            cells += [(leader, styles.strong), (share, styles.plain)]
            for candidate in shareColumns {
                let votes = result.votes[candidate.electionIndex]
                let text = valid == 0 ? "-" : Format.percent(Double(votes) / Double(valid), decimals: 1)
                cells.append((text, Style(foreground: styles.candidate(candidate))))
            }
            return Table.Row(cells: cells)
        }
        table.render(&grid, area, offset: page.state.offset(total: table.rowCount, rows: Table.rowsShown(area)), page: page)
    }
}
