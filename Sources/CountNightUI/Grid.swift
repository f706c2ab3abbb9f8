import CountNightCore

/// A colour as the dashboard asks for it; the terminal layer maps it to what
/// the terminal has.
public enum Colour: Hashable, Sendable {
    case `default`
    /// One of the eight basic terminal colours.
    case basic(BasicColour)
    /// A party colour from election.json.
    case rgb(RGB)
}

public enum BasicColour: Int, Hashable, Sendable, CaseIterable {
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn. Bold and reverse carry meaning on their own, so that
/// a terminal without colour (or with NO_COLOR set) still shows it.
public struct Style: Hashable, Sendable {
    public var foreground: Colour = .default
    public var background: Colour = .default
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false

    public init(foreground: Colour = .default, background: Colour = .default, bold: Bool = false,
                reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let reverse = Style(reverse: true)
    public static let dim = Style(dim: true)
}

public struct Cell: Hashable, Sendable {
    /// The character shown; a wide character's second column holds nil.
    public var character: Character?
    public var style: Style

    public init(_ character: Character? = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }
}

/// The screen as a grid of styled cells: what rendering produces and what
/// the terminal layer paints. Tests compare it as text.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// For a terminal without UTF-8: text from the feed (a name with an
    /// accent, a wide character) is written in ASCII as it is put. The
    /// dashboard's own symbols come from `Glyphs.ascii`.
    public let ascii: Bool

    public init(width: Int, height: Int, ascii: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.ascii = ascii
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes text from (x, y), clipped at `limit` columns (and the edge).
    /// Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if column + w > end { break }
            if column >= 0 {
                if ascii && !character.isASCII {
                    let shown = w == 2 ? "??" : String(Grid.asciiLookAlikes[character] ?? "?")
                    for (offset, replacement) in shown.enumerated() { self[column + offset, y] = Cell(replacement, style: style) }
                } else {
                    self[column, y] = Cell(character, style: style)
                    if w == 2 { self[column + 1, y] = Cell(nil, style: style) }
                }
            }
            column += w
        }
        return column - x
    }

    /// Paints a run of cells with one style, keeping their characters.
    public mutating func restyle(x: Int, y: Int, count: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) {
            var cell = self[column, y]
            change(&cell.style)
            self[column, y] = cell
        }
    }

    public mutating func fill(y: Int, style: Style, from x: Int = 0, to end: Int? = nil) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, end ?? width) { self[column, y] = Cell(" ", style: style) }
    }

    /// Letters of names that have an ASCII look-alike; anything else not
    /// ASCII becomes "?".
    static let asciiLookAlikes: [Character: Character] = [
        "é": "e", "è": "e", "ê": "e", "ë": "e", "á": "a", "à": "a", "â": "a", "ä": "a", "ö": "o", "ó": "o", "ô": "o",
        "ü": "u", "ú": "u", "í": "i", "ï": "i", "ç": "c", "ñ": "n", "É": "E", "Ö": "O", "Ü": "U", "—": "-", "’": "'",
    ]

    /// The grid as plain text, one line a row, trailing spaces kept.
    public var text: String { rows.joined(separator: "\n") }

    public var rows: [String] {
        (0..<height).map { y in
            String((0..<width).compactMap { cells[y * width + $0].character })
        }
    }
}

/// How many columns a character takes in a terminal.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        // Most of what a screen shows is ASCII: no Unicode tables for it.
        if let ascii = character.asciiValue { return ascii < 0x20 || ascii == 0x7F ? 0 : 1 }
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark { return 0 }
        // East Asian wide and fullwidth ranges, and emoji.
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    public static func of(_ text: String) -> Int {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        return text.reduce(0) { $0 + of($1) }
    }

    /// The text cut to `width` columns, with an ellipsis when cut.
    public static func truncate(_ text: String, to width: Int, glyphs: Glyphs = .unicode) -> String {
        if of(text) <= width { return text }
        guard width > 0 else { return "" }
        let ellipsis = glyphs.ellipsis
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + ellipsis
    }

    public static func padRight(_ text: String, to width: Int, glyphs: Glyphs = .unicode) -> String {
        let cut = truncate(text, to: width, glyphs: glyphs)
        return cut + String(repeating: " ", count: max(0, width - of(cut)))
    }

    public static func padLeft(_ text: String, to width: Int, glyphs: Glyphs = .unicode) -> String {
        let cut = truncate(text, to: width, glyphs: glyphs)
        return String(repeating: " ", count: max(0, width - of(cut))) + cut
    }
}
