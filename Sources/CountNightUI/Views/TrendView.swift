import CountNightCore

/// View 4: each candidate's share plotted against ballots counted, as the
/// night went, so that a lead that grows or shrinks shows at a glance.
enum TrendView {
    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let (model, glyphs, styles) = (page.model, page.glyphs, page.styles)
        let index = page.contestIndex
        let contest = page.contest
        if model.trendPending {
            grid.put(" Working out the trend from the batches read so far" + glyphs.ellipsis, x: 0, y: area.y + 1, style: styles.muted)
            return
        }
        let points = index < model.trend.count ? model.trend[index] : []
        guard let last = points.last, last.countedBallots > 0, points.count >= 2 else {
            grid.put(" No votes counted yet: the trend starts with the first count.", x: 0, y: area.y + 1, style: styles.muted)
            return
        }
        // Up to eight candidates, leaders first; the leader is drawn last, on top.
        let shown = Array(contest.candidates.prefix(8))
        let legendRows = shown.count > 4 && area.width < 120 ? 2 : 1
        let axisWidth = 8
        let plot = Rect(x: axisWidth, y: area.y + 1, width: area.width - axisWidth - 2, height: area.height - 3 - legendRows)
        guard plot.height >= 4, plot.width >= 10 else { return }

        let top = points.flatMap { point in shown.map { point.share($0.electionIndex) } }.max() ?? 0
        let yScale = max(0.1, min(1, (top * 10).rounded(.up) / 10))
        grid.put(" Share of valid votes against ballots counted", x: 0, y: area.y, style: styles.strong)

        // Axis and grid lines at each tenth.
        for row in 0..<plot.height {
            grid.put(glyphs.vertical, x: axisWidth - 1, y: plot.y + row, style: styles.muted)
        }
        let steps = Int((yScale * 10).rounded())
        for step in 0...steps {
            let share = Double(step) / 10
            let row = plot.y + plot.height - 1 - Int((share / yScale * Double(plot.height - 1)).rounded())
            grid.put(DisplayWidth.padLeft("\(Int((share * 100).rounded()))%", to: axisWidth - 2), x: 0, y: row, style: styles.muted)
            if step == 5 && contest.system == .sv {
                // More than half elects at the first stage: that line matters most.
                grid.put(String(repeating: glyphs.halfLine, count: plot.width), x: plot.x, y: row, style: styles.strong)
            } else if step > 0 {
                for column in stride(from: plot.x, to: plot.x + plot.width, by: 2) {
                    grid.put(glyphs.gridDot, x: column, y: row, style: styles.muted)
                }
            }
        }
        let horizontal = String(repeating: glyphs.horizontal, count: plot.width)
        grid.put(horizontal, x: plot.x, y: plot.bottom, style: styles.muted)
        grid.put("0", x: plot.x, y: plot.bottom + 1, style: styles.muted)
        let end = "\(Format.grouped(last.countedBallots)) ballots counted"
        grid.put(end, x: plot.x + plot.width - DisplayWidth.of(end), y: plot.bottom + 1, style: styles.muted)

        // One mark per column for each candidate: the share after the last
        // batch that had been counted by that column's number of ballots.
        let marks = glyphs.trendMarks
        for (position, candidate) in shown.enumerated().reversed() {
            let colour = styles.candidate(candidate)
            var pointIndex = 0
            for column in 0..<plot.width {
                let ballots = Double(column + 1) / Double(plot.width) * Double(last.countedBallots)
                while pointIndex + 1 < points.count && Double(points[pointIndex + 1].countedBallots) <= ballots { pointIndex += 1 }
                let point = points[pointIndex]
                if point.countedBallots == 0 { continue }
                let share = point.share(candidate.electionIndex)
                let row = plot.y + plot.height - 1 - Int((share / yScale * Double(plot.height - 1)).rounded())
                grid.put(String(marks[position]), x: plot.x + column, y: row, style: Style(foreground: colour, bold: position == 0))
            }
        }

        // Legend.
        var x = 1
        var y = area.bottom - legendRows
        for (position, candidate) in shown.enumerated() {
            let text = "\(marks[position]) \(candidate.name) \(Format.percent(candidate.share))   "
            if x + DisplayWidth.of(text) > area.width {
                y += 1
                x = 1
            }
            let colour = styles.candidate(candidate)
            grid.put(String(marks[position]), x: x, y: y, style: Style(foreground: colour, bold: true))
            x += 2 + grid.put(String(text.dropFirst(2)), x: x + 2, y: y, style: position == 0 ? styles.strong : styles.plain)
        }
    }
}
