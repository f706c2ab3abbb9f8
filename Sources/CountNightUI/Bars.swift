/// Horizontal bars with sub-cell precision.
public enum Bars {
    /// Eighth blocks from one eighth to a full cell.
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// A bar `fraction` of `width` cells long: full blocks and one partial
    /// eighth block in Unicode; `#` for each full cell in ASCII.
    public static func bar(_ fraction: Double, width: Int, unicode: Bool) -> String {
        guard width > 0, fraction.isFinite, fraction > 0 else { return "" }
        let clamped = min(1, fraction)
        if !unicode {
            return String(repeating: "#", count: Int((clamped * Double(width)).rounded()))
        }
        let total = Int((clamped * Double(width * 8)).rounded())
        var text = String(repeating: "█", count: total / 8)
        if total % 8 > 0 { text.append(eighths[total % 8 - 1]) }
        return text
    }

    /// A progress bar of exactly `width` cells: the filled part and the rest.
    public static func progress(_ fraction: Double, width: Int, unicode: Bool) -> (filled: String, rest: String) {
        let filled = bar(fraction, width: width, unicode: unicode)
        let used = filled.count
        return (filled, String(repeating: unicode ? "░" : ".", count: max(0, width - used)))
    }
}
