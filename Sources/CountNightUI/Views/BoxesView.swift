import CountNightCore

/// View 3: every box with its state, verified papers and counted ballots.
enum BoxesView {
    static func extent(_ model: DashboardModel, _ state: ViewState, _ area: Rect) -> (page: Int, total: Int) {
        let index = Dashboard.currentContest(model, state)
        return (Table.rowsShown(area), index < model.snapshot.contests.count ? model.snapshot.contests[index].boxes.count : 0)
    }

    static func style(_ state: BoxRow.State) -> Style {
        switch state {
        case .awaiting: return .dim
        case .verified: return Style(foreground: .basic(.cyan))
        case .counted: return Style(foreground: .basic(.green), bold: true)
        case .discrepancy: return Style(foreground: .basic(.yellow), bold: true, reverse: true)
        case .conflict: return Style(foreground: .basic(.red), bold: true, reverse: true)
        }
    }

    static func render(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ area: Rect) {
        let index = Dashboard.currentContest(model, state)
        let boxes = index < model.snapshot.contests.count ? model.snapshot.contests[index].boxes : []
        let offset = state.offset(total: boxes.count, rows: Table.rowsShown(area))
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
            return Table.Row(cells: [(box.id, .plain), (box.area, .dim)] + (typeWidth > 0 ? [(box.type ?? "-", .plain)] : []) + [
                (box.state.rawValue, style(box.state)),
                (box.verifiedPapers.map(Format.grouped) ?? "-", .plain),
                (counted, .plain),
            ])
        }
        if boxes.isEmpty {
            grid.put(" No boxes.", x: 0, y: area.y, style: .dim)
            return
        }
        table.render(&grid, area, offset: offset, unicode: state.unicode)
    }
}
