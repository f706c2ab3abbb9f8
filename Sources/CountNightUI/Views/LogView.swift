import CountNightCore

/// View 5: what is wrong now (refused files, conflicts, warnings), then what
/// happened, newest first.
enum LogView {
    struct Line {
        let text: String
        let style: Style
    }

    /// The lines of the view: problems now, then events newest first. Event
    /// lines are made only for the rows on the screen.
    struct Lines {
        let head: [Line]
        let log: [LogEntry]
        let styles: Styles

        var count: Int { head.count + log.count }

        subscript(index: Int) -> Line {
            if index < head.count { return head[index] }
            let entry = log[log.count - 1 - (index - head.count)]
            return Line(text: "  \(entry.time)  \(DisplayWidth.padRight(entry.kind.rawValue, to: 10)) \(entry.text)", style: style(entry.kind, styles))
        }
    }

    /// The lines of the view, problems wrapped to `width` columns so that a
    /// refused file's reason is read whole; events are cut (the file names
    /// them whole: `countnight check`).
    static func lines(_ page: Page, width: Int) -> Lines {
        let (model, snapshot, contest, styles) = (page.model, page.snapshot, page.contest, page.styles)
        var lines: [Line] = []
        func add(_ text: String, _ style: Style) {
            for (index, part) in wrap(text, width: width, indent: 12).enumerated() {
                lines.append(Line(text: (index == 0 ? "" : String(repeating: " ", count: 12)) + part, style: style))
            }
        }
        let problems = snapshot.refusedFiles.count + snapshot.conflicts.count + contest.warnings.count
        lines.append(Line(text: problems == 0 ? "Now: no refused files, conflicts or warnings." : "Now: \(problems) to look at", style: styles.strong))
        for alert in model.alerts.reversed() {
            add("  \(alert.alert.kind == .newProblem ? "PROBLEM" : "CHANGED")   \(alert.clock) \(alert.alert.message)", styles.problem)
        }
        for file in snapshot.refusedFiles {
            add("  REFUSED   \(file.file): \(file.reason)", styles.problem)
        }
        for conflict in snapshot.conflicts {
            add("  CONFLICT  \(conflict.files.joined(separator: ", ")): \(conflict.consequence)",
                styles.problem)
        }
        for warning in contest.warnings {
            add("  WARNING   \(warning.message)", styles.warning)
        }
        lines.append(Line(text: "", style: styles.plain))
        lines.append(Line(text: "What happened, newest first (\(model.log.count) events)", style: styles.strong))
        return Lines(head: lines, log: model.log, styles: styles)
    }

    /// `text` in lines of at most `width` columns, broken at spaces where
    /// it can be; lines after the first are `indent` narrower.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        var lines: [String] = []
        var rest = Substring(text)
        var room = max(10, width)
        while DisplayWidth.of(String(rest)) > room {
            var used = 0, cut = rest.startIndex, lastSpace: String.Index? = nil
            for index in rest.indices {
                let w = DisplayWidth.of(rest[index])
                if used + w > room { break }
                if rest[index] == " " { lastSpace = index }
                used += w
                cut = rest.index(after: index)
            }
            let end = lastSpace.map { $0 > rest.startIndex ? $0 : cut } ?? cut
            lines.append(String(rest[..<end]))
            rest = rest[end...].drop { $0 == " " }
            room = max(10, width - indent)
        }
        lines.append(String(rest))
        return lines
    }

    static func style(_ kind: LogEntry.Kind, _ styles: Styles = .colour) -> Style {
        switch kind {
        case .accepted: return styles.plain
        case .corrected, .withdrawn, .deleted, .election, .feed: return styles.notice
        case .duplicate, .superseded: return styles.muted
        case .conflict, .refused: return styles.problem
        }
    }

    static func extent(_ page: Page, _ area: Rect) -> (page: Int, total: Int) {
        (area.height, lines(page, width: area.width - 1).count)
    }

    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let all = lines(page, width: area.width - 1)
        let offset = page.state.offset(total: all.count, rows: area.height)
        for (row, index) in (offset..<min(all.count, offset + area.height)).enumerated() {
            let line = all[index]
            grid.put(DisplayWidth.truncate(line.text, to: area.width - 1, glyphs: page.glyphs), x: 1, y: area.y + row, style: line.style)
        }
    }
}
