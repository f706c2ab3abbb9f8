import CountNightCore

/// The replay's timeline, one row under the header: where in the night the
/// batches landed (taller marks for more), what has been played, and where
/// the replay clock is.
enum ReplayTimeline {
    static let levels: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func render(_ grid: inout Grid, _ replay: ReplayStatus, y: Int, unicode: Bool) {
        let w = grid.width
        let left = " \(replay.startLabel) "
        let total = String(replay.times.count)
        var right = " \(replay.endLabel)  \(DisplayWidth.padLeft(String(replay.position), to: total.count))/\(total)"
        let keys = unicode ? "  space ‖  +/- speed  ←/→ step  Home/End" : "  space pause  +/- speed  left/right step  Home/End"
        if w - DisplayWidth.of(left + right + keys) >= 30 { right += keys }
        let width = max(10, w - DisplayWidth.of(left) - DisplayWidth.of(right))
        var x = grid.put(left, x: 0, y: y, style: .dim)
        let span = max(1e-9, replay.end - replay.start)
        func column(_ time: Double) -> Int { min(width - 1, max(0, Int(((time - replay.start) / span * Double(width)).rounded(.down)))) }
        var counts = Array(repeating: 0, count: width)
        for time in replay.times { counts[column(time)] += 1 }
        let most = max(1, counts.max() ?? 1)
        let here = column(replay.clock)
        for index in 0..<width {
            let count = counts[index]
            var mark: Character = count == 0 ? (unicode ? "·" : ".") : levels[max(1, (count * 8 + most - 1) / most)]
            if !unicode && count > 0 { mark = "|" }
            let played = index < here || (replay.finished && index == here)
            var style = played ? Style(foreground: .basic(.green), bold: true) : .dim
            if index == here { style = Style(bold: true, reverse: true) }
            grid.put(String(mark), x: x + index, y: y, style: style)
        }
        x += width
        grid.put(right, x: x, y: y, style: .plain)
    }
}
