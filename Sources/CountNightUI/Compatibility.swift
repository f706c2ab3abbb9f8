/// The entry screen (`countnight enter`) is drawn with the flags and the
/// final ASCII pass the dashboard used before its `Theme`; these keep it
/// working until it is drawn from the theme too.
extension DisplayWidth {
    public static func truncate(_ text: String, to width: Int, unicode: Bool) -> String {
        truncate(text, to: width, glyphs: unicode ? .unicode : .ascii)
    }
}

extension Dashboard {
    static let rehearsalStyle = Styles.colour.rehearsal
}

extension Grid {
    /// Paints a run of cells with one style, keeping their characters.
    public mutating func restyle(x: Int, y: Int, count: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) {
            var cell = self[column, y]
            change(&cell.style)
            self[column, y] = cell
        }
    }

    /// The same grid with every character a terminal without UTF-8 can show:
    /// the symbols become their ASCII look-alikes, anything else not ASCII
    /// "?", a wide character's two columns "??".
    public func asciiOnly() -> Grid {
        var copy = Grid(width: width, height: height, ascii: true)
        for y in 0..<height {
            for x in 0..<width {
                var cell = self[x, y]
                if let character = cell.character, !character.isASCII {
                    cell.character = Grid.symbolLookAlikes[character] ?? Grid.asciiLookAlikes[character] ?? "?"
                } else if cell.character == nil {
                    cell.character = "?"
                }
                copy[x, y] = cell
            }
        }
        return copy
    }

    static let symbolLookAlikes: [Character: Character] = [
        "·": "-", "…": ".", "×": "x", "▶": ">", "│": "|", "─": "-", "╌": "-", "░": ".", "█": "#", "↑": "^", "↓": "v",
        "▏": " ", "▎": " ", "▍": " ", "▌": " ", "▋": " ", "▊": " ", "▉": " ",
    ]
}
