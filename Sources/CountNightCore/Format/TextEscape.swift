/// Text written for people (check, reports, headless lines, standard error)
/// carries strings from the feed and from journals. A newline in a box id
/// would forge a line of its own and an ESC would command the user's
/// terminal, so every such line is escaped: one line stays one line.
public enum TextEscape {
    /// `text` with C0 controls, DEL and C1 controls written as `\n`, `\t`,
    /// `\r` or `\u{1B}`, and a backslash as `\\`, so that an escaped line
    /// cannot be mistaken for a plain one.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where needsEscape(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a name has a character that a line of text must escape.
    public static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { isControl($0) }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\\" || isControl(scalar)
    }
}

extension Calibration.Report {
    /// `text` with the feed's strings (the contest id, candidates' names)
    /// escaped, as every text output is: a name cannot break a line or
    /// command the terminal.
    public var escapedText: String {
        var escaped = Calibration.Report(contest: TextEscape.line(contest), order: order, seed: seed, batches: batches, outcome: outcome,
                                         outcomeNames: outcomeNames.map(TextEscape.line), nights: nights)
        escaped.throughSecondStage = throughSecondStage
        return escaped.text
    }
}
