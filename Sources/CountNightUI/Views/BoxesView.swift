import CountNightCore

/// View 3: every box with its state, verified papers and counted ballots.
enum BoxesView {
    static func extent(_ page: Page, _ area: Rect) -> (page: Int, total: Int) {
        (Table.rowsShown(area), page.contest.boxes.count)
    }

    static func style(_ state: BoxRow.State, _ styles: Styles = .colour) -> Style {
        switch state {
        case .awaiting: return styles.muted
        case .verified: return styles.info
        case .counted: return styles.done
        case .discrepancy: return styles.warningBand
        case .conflict: return styles.alarm
        }
    }

    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let boxes = page.contest.boxes
        let styles = page.styles
        let offset = page.state.offset(total: boxes.count, rows: Table.rowsShown(area))
        // Widths from every box, so that columns stay put while scrolling.
        let idWidth = min(24, max(6, boxes.lazy.map { $0.id.utf8.count }.max() ?? 0))
        var areaWidth = min(30, max(8, boxes.lazy.map { $0.area.utf8.count }.max() ?? 0))
        let typeWidth = min(12, boxes.lazy.compactMap { $0.type.map(DisplayWidth.of) }.max() ?? 0)
        var columns: [Table.Column] = [
            .init(title: "Box", width: idWidth, rightAligned: false),
            .init(title: "Area", width: areaWidth, rightAligned: false),
        ]
        if typeWidth > 0 {
            // The type beside the area, the area narrower so that the figures stay on the screen.
            areaWidth = max(8, min(areaWidth, area.width - 46 - idWidth - max(4, typeWidth)))
            columns[1] = .init(title: "Area", width: areaWidth, rightAligned: false)
            columns.append(.init(title: "Type", width: max(4, typeWidth), rightAligned: false))
        }
        columns += [
            .init(title: "State", width: 11, rightAligned: false),
            .init(title: "Verified", width: 10, rightAligned: true),
            .init(title: "Counted", width: 14, rightAligned: true),
        ]
        let table = Table(columns: columns, rowCount: boxes.count) { index -> Table.Row in
            let box = boxes[index]
            let counted: String
            if let ballots = box.countedBallots {
                counted = Format.grouped(ballots)
            } else {
                counted = box.state == .counted ? "in bundles" : "-"
            }
            return Table.Row(cells: [(box.id, .plain), (box.area, styles.muted)] + (typeWidth > 0 ? [(box.type ?? "-", .plain)] : []) + [
                (box.state.rawValue, style(box.state, styles)),
                (box.verifiedPapers.map(Format.grouped) ?? "-", .plain),
                (counted, .plain),
            ])
        }
        if boxes.isEmpty {
            grid.put(" No boxes.", x: 0, y: area.y, style: styles.muted)
            return
        }
        table.render(&grid, area, offset: offset, page: page)
    }
}
