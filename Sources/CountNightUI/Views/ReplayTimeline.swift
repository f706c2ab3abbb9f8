import CountNightCore

/// The replay's timeline, one row under the header: where in the night the
/// batches landed (taller marks for more), what has been played, and where
/// the replay clock is.
enum ReplayTimeline {
    static func render(_ grid: inout Grid, _ replay: ReplayStatus, y: Int, glyphs: Glyphs, styles: Styles) {
        let w = grid.width
        let left = " \(replay.startLabel) "
        let total = String(replay.times.count)
        var right = " \(replay.endLabel)  \(DisplayWidth.padLeft(String(replay.position), to: total.count))/\(total)"
        let keys = "  space \(glyphs.pause)  +/- speed  \(glyphs.left)/\(glyphs.right) step  r/e start/end"
        if w - DisplayWidth.of(left + right + keys) >= 30 { right += keys }
        let width = max(10, w - DisplayWidth.of(left) - DisplayWidth.of(right))
        var x = grid.put(left, x: 0, y: y, style: styles.muted)
        let span = max(1e-9, replay.end - replay.start)
        func column(_ time: Double) -> Int { min(width - 1, max(0, Int(((time - replay.start) / span * Double(width)).rounded(.down)))) }
        var counts = Array(repeating: 0, count: width)
        for time in replay.times { counts[column(time)] += 1 }
        let most = max(1, counts.max() ?? 1)
        let here = column(replay.clock)
        let levels = glyphs.timeline
        for index in 0..<width {
            let count = counts[index]
            let mark = count == 0 ? levels[0] : levels[max(1, (count * (levels.count - 1) + most - 1) / most)]
            let played = index < here || (replay.finished && index == here)
            var style = played ? styles.done : styles.muted
            if index == here { style = Style(bold: true, reverse: true) }
            grid.put(String(mark), x: x + index, y: y, style: style)
        }
        x += width
        grid.put(right, x: x, y: y, style: styles.plain)
    }
}
