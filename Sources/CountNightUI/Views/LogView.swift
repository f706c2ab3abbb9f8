import CountNightCore

/// View 5: what is wrong now (refused files, conflicts, warnings), then what
/// happened, newest first.
enum LogView {
    struct Line {
        let text: String
        let style: Style
    }

    /// The lines of the view: problems now, then events newest first, each
    /// wrapped to the width. An event's lines are made only when on the
    /// screen; which line starts which event is worked out for all of them
    /// (the last 10,000), most in one look at their width.
    struct Lines {
        let head: [Line]
        let log: [LogEntry]
        let styles: Styles
        let width: Int
        /// For each event, newest first, the line (after the head) it starts
        /// on; then the number of event lines.
        let starts: [Int]

        init(head: [Line], log: [LogEntry], styles: Styles, width: Int) {
            self.head = head
            self.log = log
            self.styles = styles
            self.width = width
            var starts = [0]
            starts.reserveCapacity(log.count + 1)
            var line: [UInt8] = []
            line.reserveCapacity(512)
            for entry in log.reversed() {
                // Fits when its text in bytes does: no text is wider than it has bytes.
                let indent = LogView.eventIndent(entry)
                var lines = 1
                if indent + entry.text.utf8.count > max(10, width) {
                    line.removeAll(keepingCapacity: true)
                    LogView.eventLine(entry, into: &line)
                    lines = LogView.lineCount(line, width: width, indent: indent)
                }
                starts.append(starts[starts.count - 1] + lines)
            }
            self.starts = starts
        }

        var count: Int { head.count + starts[starts.count - 1] }

        /// The event (counted from the newest) that a row of the history
        /// (after the head) belongs to: the last starting at or before it.
        func event(atRow row: Int) -> Int {
            var low = 0, high = starts.count - 1
            while high - low > 1 {
                let middle = (low + high) / 2
                if starts[middle] <= row { low = middle } else { high = middle }
            }
            return low
        }

        subscript(index: Int) -> Line {
            if index < head.count { return head[index] }
            let row = index - head.count
            let low = event(atRow: row)
            let entry = log[log.count - 1 - low]
            let indent = LogView.eventIndent(entry)
            let part = LogView.wrap(LogView.eventText(entry), width: width, indent: indent)[row - starts[low]]
            return Line(text: (row == starts[low] ? "" : String(repeating: " ", count: indent)) + part,
                        style: style(entry.kind, styles))
        }
    }

    /// An event's line; its text continues under the text, past the time and kind.
    static func eventText(_ entry: LogEntry) -> String {
        var line: [UInt8] = []
        eventLine(entry, into: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// The event's line as UTF-8, added to `line`: counted for every event
    /// at each frame, without a string made for each.
    static func eventLine(_ entry: LogEntry, into line: inout [UInt8]) {
        let space = UInt8(ascii: " ")
        line += [space, space]
        line += entry.time.utf8
        line += [space, space]
        line += entry.kind.rawValue.utf8
        line += repeatElement(space, count: max(0, 10 - entry.kind.rawValue.utf8.count) + 1)
        line += entry.text.utf8
    }

    static func eventIndent(_ entry: LogEntry) -> Int { 2 + DisplayWidth.of(entry.time) + 2 + 10 + 1 }

    /// The lines of the view, everything wrapped to `width` columns so that
    /// a refused file's reason, and every event, is read whole.
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
        return Lines(head: lines, log: model.log, styles: styles, width: width)
    }

    /// `text` in lines of at most `width` columns, broken at spaces where
    /// it can be; lines after the first are `indent` narrower.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        var text = text
        let ascii = text.withUTF8 { bytes -> [String]? in
            guard isPrintableASCII(bytes) else { return nil }
            var lines: [String] = []
            asciiBreaks(bytes, width: width, indent: indent) { lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)) }
            return lines
        }
        return ascii ?? wrapCharacters(text, width: width, indent: indent)
    }

    /// How many lines `wrap` makes of the text whose UTF-8 is `bytes`,
    /// without making them.
    static func lineCount(_ bytes: [UInt8], width: Int, indent: Int) -> Int {
        let ascii = bytes.withUnsafeBufferPointer { bytes -> Int? in
            guard isPrintableASCII(bytes) else { return nil }
            var count = 0
            asciiBreaks(bytes, width: width, indent: indent) { _ in count += 1 }
            return count
        }
        return ascii ?? wrapCharacters(String(decoding: bytes, as: UTF8.self), width: width, indent: indent).count
    }

    static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The general way, character by character, for any text.
    static func wrapCharacters(_ text: String, width: Int, indent: Int) -> [String] {
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

    /// The same breaks as `wrapCharacters`, on printable ASCII (a column a
    /// byte), given as ranges of the bytes.
    static func asciiBreaks(_ bytes: UnsafeBufferPointer<UInt8>, width: Int, indent: Int, _ line: (Range<Int>) -> Void) {
        let space = UInt8(ascii: " ")
        var start = 0
        var room = max(10, width)
        while bytes.count - start > room {
            // The last space that fits, unless it is the first character.
            var end = start + room - 1
            while end > start && bytes[end] != space { end -= 1 }
            if end == start { end = start + room }
            line(start..<end)
            start = end
            while start < bytes.count && bytes[start] == space { start += 1 }
            room = max(10, width - indent)
        }
        line(start..<bytes.count)
    }

    static func style(_ kind: LogEntry.Kind, _ styles: Styles = .colour) -> Style {
        switch kind {
        case .accepted: return styles.plain
        case .corrected, .withdrawn, .deleted, .election, .feed: return styles.notice
        case .duplicate, .superseded: return styles.muted
        case .conflict, .refused: return styles.problem
        }
    }

    /// Where the Log is scrolled to, in terms that do not depend on the
    /// width: a line of the problems above the history, or the line of an
    /// event (counted from the newest), or the end.
    enum Place: Equatable {
        case head(Int)
        case event(Int, line: Int)
        case end
    }

    /// The place that the scroll offset `offset` (as kept, perhaps past the
    /// last page, where the view shows the last page) is at: the end only
    /// when it is exactly the last page, as End leaves it. An offset past it
    /// is an event kept from a narrower screen, and stays that event.
    static func place(_ lines: Lines, offset: Int, rows: Int) -> Place {
        if offset > 0 && offset == lines.count - rows { return .end }
        if offset < lines.head.count { return .head(offset) }
        let row = offset - lines.head.count
        let event = lines.event(atRow: row)
        return .event(event, line: row - lines.starts[event])
    }

    /// The scroll offset for `place`: where its line is, even past the last
    /// page (the view then shows the last page, and keys scroll from what it
    /// shows), so that a place kept through a larger screen is found again.
    static func offset(_ place: Place, in lines: Lines, rows: Int) -> Int {
        switch place {
        case .head(let line): return min(line, lines.head.count)
        case .end: return max(0, lines.count - rows)
        case .event(let event, let line):
            guard event < lines.starts.count - 1 else { return offset(.end, in: lines, rows: rows) }
            let eventLines = lines.starts[event + 1] - lines.starts[event]
            return lines.head.count + lines.starts[event] + min(line, eventLines - 1)
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
