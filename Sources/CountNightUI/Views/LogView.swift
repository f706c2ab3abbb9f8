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

        var count: Int { head.count + log.count }

        subscript(index: Int) -> Line {
            if index < head.count { return head[index] }
            let entry = log[log.count - 1 - (index - head.count)]
            return Line(text: "  \(entry.time)  \(DisplayWidth.padRight(entry.kind.rawValue, to: 10)) \(entry.text)", style: style(entry.kind))
        }
    }

    static func lines(_ model: DashboardModel, _ state: ViewState) -> Lines {
        let snapshot = model.snapshot
        let contest = snapshot.contests[Dashboard.currentContest(model, state)]
        var lines: [Line] = []
        let problems = snapshot.refusedFiles.count + snapshot.conflicts.count + contest.warnings.count
        lines.append(Line(text: problems == 0 ? "Now: no refused files, conflicts or warnings." : "Now: \(problems) to look at", style: .bold))
        for file in snapshot.refusedFiles {
            lines.append(Line(text: "  REFUSED   \(file.file): \(file.reason)", style: Style(foreground: .basic(.red), bold: true)))
        }
        for conflict in snapshot.conflicts {
            lines.append(Line(text: "  CONFLICT  \(conflict.files.joined(separator: ", ")): \(conflict.consequence)",
                              style: Style(foreground: .basic(.red), bold: true)))
        }
        for warning in contest.warnings {
            lines.append(Line(text: "  WARNING   \(warning.message)", style: Style(foreground: .basic(.yellow), bold: true)))
        }
        lines.append(Line(text: "", style: .plain))
        lines.append(Line(text: "What happened, newest first (\(model.log.count) events)", style: .bold))
        return Lines(head: lines, log: model.log)
    }

    static func style(_ kind: LogEntry.Kind) -> Style {
        switch kind {
        case .accepted: return .plain
        case .corrected, .withdrawn, .deleted, .election, .feed: return Style(foreground: .basic(.yellow))
        case .duplicate, .superseded: return .dim
        case .conflict, .refused: return Style(foreground: .basic(.red), bold: true)
        }
    }

    static func extent(_ model: DashboardModel, _ state: ViewState, _ area: Rect) -> (page: Int, total: Int) {
        (area.height, lines(model, state).count)
    }

    static func render(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ area: Rect) {
        let all = lines(model, state)
        let offset = state.offset(total: all.count, rows: area.height)
        for (row, index) in (offset..<min(all.count, offset + area.height)).enumerated() {
            let line = all[index]
            grid.put(DisplayWidth.truncate(line.text, to: area.width - 1, unicode: state.unicode), x: 1, y: area.y + row, style: line.style)
        }
    }
}
