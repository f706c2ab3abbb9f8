/// A scrolling table: a bold header row, then rows, each cell with its style.
struct Table {
    struct Column {
        let title: String
        let width: Int
        let rightAligned: Bool
    }

    struct Row {
        let cells: [(text: String, style: Style)]
    }

    let columns: [Column]
    let rowCount: Int
    /// Makes one row; only the rows on the screen are made, so that a feed
    /// of many thousand boxes costs no more to draw than a small one.
    let row: (Int) -> Row

    static func rowsShown(_ area: Rect) -> Int { max(1, area.height - 2) }

    func render(_ grid: inout Grid, _ area: Rect, offset: Int, page: Page) {
        var x = 1
        for column in columns {
            let title = column.rightAligned ? DisplayWidth.padLeft(column.title, to: column.width) : column.title
            grid.put(title, x: x, y: area.y, style: page.styles.heading, limit: column.width)
            x += column.width + 2
        }
        let shown = Table.rowsShown(area)
        for (line, index) in (offset..<min(rowCount, offset + shown)).enumerated() {
            let row = self.row(index)
            var x = 1
            for (column, cell) in zip(columns, row.cells) {
                let text = column.rightAligned ? DisplayWidth.padLeft(cell.text, to: column.width, glyphs: page.glyphs)
                    : DisplayWidth.truncate(cell.text, to: column.width, glyphs: page.glyphs)
                grid.put(text, x: x, y: area.y + 1 + line, style: cell.style, limit: column.width)
                x += column.width + 2
            }
        }
        if rowCount > shown {
            let last = min(rowCount, offset + shown)
            let position = "rows \(offset + 1)-\(last) of \(rowCount)"
            grid.put(position, x: max(1, area.width - DisplayWidth.of(position) - 1), y: area.bottom - 1, style: page.styles.muted)
        }
    }
}
