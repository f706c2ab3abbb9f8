/// Horizontal bars with sub-cell precision.
public enum Bars {
    /// A bar `fraction` of `width` cells long: full cells and one partial
    /// cell in eighths where the glyphs have them (Unicode); whole cells
    /// only in ASCII.
    public static func bar(_ fraction: Double, width: Int, glyphs: Glyphs) -> String {
        guard width > 0, fraction.isFinite, fraction > 0 else { return "" }
        let clamped = min(1, fraction)
        guard !glyphs.eighths.isEmpty else {
            return String(repeating: glyphs.full, count: Int((clamped * Double(width)).rounded()))
        }
        let total = Int((clamped * Double(width * 8)).rounded())
        var text = String(repeating: glyphs.full, count: total / 8)
        if total % 8 > 0 { text.append(glyphs.eighths[total % 8 - 1]) }
        return text
    }

    /// A progress bar of exactly `width` cells: the filled part and the rest.
    public static func progress(_ fraction: Double, width: Int, glyphs: Glyphs) -> (filled: String, rest: String) {
        let filled = bar(fraction, width: width, glyphs: glyphs)
        return (filled, String(repeating: glyphs.progressRest, count: max(0, width - filled.count)))
    }
}
