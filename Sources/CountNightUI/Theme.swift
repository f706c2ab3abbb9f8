import CountNightCore

/// The characters the dashboard draws with, chosen once when the terminal
/// starts: Unicode where the locale is UTF-8, ASCII look-alikes elsewhere.
/// Views take every symbol from here, so that no view asks which terminal it
/// is on.
public struct Glyphs: Equatable, Sendable {
    public let isUnicode: Bool
    /// Marks the leader or the elected: ▶.
    public let marker: String
    /// Separates clauses of a line: ·.
    public let dot: String
    /// The dotted grid lines of the trend.
    public let gridDot: String
    /// Ends a cut text: ….
    public let ellipsis: String
    /// Lines: │ ─, the seat line ┄, the trend's 50% line ╌.
    public let vertical: String
    /// The majority line in a strip of seats: ┃.
    public let heavyVertical: String
    /// A cell holding two seats, left and right half: ▌; nil where there is none (ASCII).
    public let halfCell: String?
    public let horizontal: String
    public let seatLine: String
    public let halfLine: String
    /// The 90% range of a projected share: ├─┤.
    public let rangeLeft: String
    public let rangeRight: String
    /// A finalist's transfers stacked onto the bar: ▒.
    public let transfer: String
    /// The unfilled part of a progress bar: ░.
    public let progressRest: String
    /// A full cell of a bar, and the partial cells from one eighth up.
    public let full: Character
    public let eighths: [Character]
    /// The scroll keys as the footer names them: ↑↓.
    public let arrows: String
    public let left: String
    public let right: String
    /// The trend's marks, one per candidate.
    public let trendMarks: [Character]
    /// The replay timeline's marks, from no batch to the most.
    public let timeline: [Character]
    public let pause: String
    public let times: String
    /// Where typing goes in a field: ▏; one step up: ↑; a figure not yet
    /// typed: ·; a problem that blocks: ✖ (the entry screen).
    public let cursor: String
    public let up: String
    public let untyped: String
    public let blocking: String

    public static let unicode = Glyphs(
        isUnicode: true, marker: "▶", dot: "·", gridDot: "·", ellipsis: "…", vertical: "│", heavyVertical: "┃", halfCell: "▌", horizontal: "─", seatLine: "┄", halfLine: "╌",
        rangeLeft: "├", rangeRight: "┤", transfer: "▒", progressRest: "░", full: "█",
        eighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"], arrows: "↑↓", left: "←", right: "→",
        trendMarks: ["●", "■", "▲", "◆", "★", "✚", "▼", "◉"], timeline: ["·", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        pause: "‖", times: "×", cursor: "▏", up: "↑", untyped: "·", blocking: "✖")

    /// Where the locale is not UTF-8: bars of `#` (no partial cells), `|`
    /// for lines, `.` for a cut text.
    public static let ascii = Glyphs(
        isUnicode: false, marker: ">", dot: "-", gridDot: ".", ellipsis: ".", vertical: "|", heavyVertical: "|", halfCell: nil, horizontal: "-", seatLine: "-", halfLine: "-",
        rangeLeft: "[", rangeRight: "]", transfer: ":", progressRest: ".", full: "#",
        eighths: [], arrows: "Up/Dn", left: "left", right: "right",
        trendMarks: ["o", "#", "^", "+", "*", "x", "v", "@"], timeline: [".", "|", "|", "|", "|", "|", "|", "|", "|"],
        pause: "pause", times: "x", cursor: "_", up: "Up", untyped: ".", blocking: "X")
}

/// What each kind of thing on the screen looks like, by its meaning. Bold
/// and reverse carry the meaning on their own, so that a terminal without
/// colour (or with NO_COLOR) still shows it: the terminal drops colours it
/// does not have, and `monochrome` leaves them out from the start.
public struct Styles: Equatable, Sendable {
    public var plain = Style.plain
    public var muted = Style.dim
    public var strong = Style.bold
    public var header = Style(bold: true, reverse: true)
    public var footer = Style(reverse: true)
    public var footerCurrent = Style(bold: true, underline: true)
    public var rehearsal = Style(foreground: .basic(.white), background: .basic(.red), bold: true)
    public var rehearsalBand = Style(foreground: .basic(.white), background: .basic(.red), bold: true, reverse: true)
    /// A band that must not be missed: the feed not answering, a recording
    /// that failed, a result that changed.
    public var alarm = Style(foreground: .basic(.red), bold: true, reverse: true)
    public var problem = Style(foreground: .basic(.red), bold: true)
    public var warning = Style(foreground: .basic(.yellow), bold: true)
    public var notice = Style(foreground: .basic(.yellow))
    public var warningBand = Style(foreground: .basic(.yellow), bold: true, reverse: true)
    public var elected = Style(foreground: .basic(.green), bold: true, reverse: true)
    public var done = Style(foreground: .basic(.green), bold: true)
    public var info = Style(foreground: .basic(.cyan))
    public var projected = Style(foreground: .basic(.cyan), bold: true, reverse: true)
    public var sample = Style(foreground: .basic(.yellow), bold: true)
    public var heading = Style(bold: true, underline: true)

    public init() {}

    public static let colour = Styles()

    /// The same meanings without any colour.
    public static let monochrome: Styles = {
        var styles = Styles()
        for path in [\Styles.rehearsal, \.rehearsalBand, \.alarm, \.problem, \.warning, \.notice, \.warningBand, \.elected,
                     \.done, \.info, \.projected, \.sample] {
            styles[keyPath: path].foreground = .default
            styles[keyPath: path].background = .default
        }
        styles.rehearsal.reverse = true
        styles.rehearsalBand.reverse = false
        return styles
    }()

    /// A candidate's own colour: the party's, else one of a fixed few by the
    /// candidate's place on the ballot (election.json), so that it stays the
    /// same in every view and when the candidate is overtaken.
    public func candidate(_ candidate: CandidateResult) -> Colour {
        if let colour = candidate.colour { return .rgb(colour) }
        return .basic(Styles.fallback[candidate.electionIndex % Styles.fallback.count])
    }

    static let fallback: [BasicColour] = [.cyan, .yellow, .green, .magenta, .blue, .red, .white]
}

/// The glyphs and styles of one terminal, handed to rendering.
public struct Theme: Equatable, Sendable {
    public var glyphs: Glyphs
    public var styles: Styles

    public init(glyphs: Glyphs = .unicode, styles: Styles = .colour) {
        self.glyphs = glyphs
        self.styles = styles
    }

    /// The theme for a terminal: `unicode` when the locale is UTF-8,
    /// `colour` when it has colours and NO_COLOR is not set.
    public init(unicode: Bool, colour: Bool = true) {
        self.init(glyphs: unicode ? .unicode : .ascii, styles: colour ? .colour : .monochrome)
    }
}
