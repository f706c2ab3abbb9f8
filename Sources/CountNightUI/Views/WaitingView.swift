import CountNightCore

/// What a dashboard started before its feed says while it waits.
public struct FeedWaiting: Equatable, Sendable {
    /// What is not there yet: "election.json in /srv/count/feed".
    public var awaited: String
    /// What is there but cannot be used yet (a half-written election.json), if anything.
    public var problem: String?

    public init(awaited: String, problem: String? = nil) {
        self.awaited = awaited
        self.problem = problem
    }
}

/// The screen of a dashboard waiting for its feed: a header with the clock,
/// what it waits for, and that it starts by itself.
enum WaitingView {
    static func render(_ grid: inout Grid, _ waiting: FeedWaiting, clock: String, styles: Styles = .colour) {
        grid.fill(y: 0, style: styles.header)
        let right = " WAITING FOR THE FEED  \(clock) "
        grid.put(DisplayWidth.truncate(" CountNight", to: grid.width - DisplayWidth.of(right) - 1), x: 0, y: 0, style: styles.header)
        grid.put(right, x: grid.width - DisplayWidth.of(right), y: 0, style: styles.header)
        var lines: [(String, Style)] = []
        let width = grid.width - 2
        for line in wrap("Waiting for \(waiting.awaited).", width) { lines.append((line, styles.strong)) }
        lines += wrap("The count appears here as soon as it is there; nothing needs restarting.", width).map { ($0, Style()) }
        if let problem = waiting.problem {
            lines.append(("", Style()))
            lines += wrap("Not usable yet: \(problem)", width).map { ($0, styles.problem) }
        }
        let top = max(2, (grid.height - 1 - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < grid.height - 1 {
            grid.put(line.0, x: 1, y: top + index, style: line.1)
        }
        let footer = styles.footer
        grid.fill(y: grid.height - 1, style: footer)
        grid.put("  q quit", x: 0, y: grid.height - 1, style: footer)
    }

    /// Lines of at most `width` columns, broken at spaces, and inside a word
    /// (a long path) only where it alone is wider: a path is never cut off.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(candidate) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            for character in word {
                if DisplayWidth.of(line + String(character)) > width {
                    lines.append(line)
                    line = ""
                }
                line.append(character)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
