import CountNightCore

/// Party lists on the overview: a strip of the seats, one cell a seat in
/// its list's colour, largest list first, with the majority line marked;
/// under it the last seat's margin. Also the seats beside each bar.
enum SeatStripView {
    /// Rows it takes under the bars: none for other contests.
    static func rows(_ contest: ContestSnapshot) -> Int { contest.system == .list ? 2 : 0 }

    /// Seats needed for a majority: more than half.
    static func majority(_ seats: Int) -> Int { seats / 2 + 1 }

    static func render(_ grid: inout Grid, _ contest: ContestSnapshot, _ rect: Rect, glyphs: Glyphs, styles: Styles) {
        guard contest.system == .list, rect.height >= 1 else { return }
        let seats = contest.seats
        let label = " Seats "
        var x = rect.x + grid.put(label, x: rect.x, y: rect.y, style: styles.strong)
        // The lists' seats in the order of the bars, one colour each.
        var cells: [Style?] = []
        for candidate in contest.candidates {
            cells += Array(repeating: Style(foreground: styles.candidate(candidate)), count: candidate.seats ?? 0)
        }
        // Seats not given yet (nothing counted): empty cells.
        cells += Array(repeating: nil, count: max(0, seats - cells.count))
        let room = rect.width - (x - rect.x) - 2
        // One cell a seat; where they do not fit, two a cell (left and right
        // half), or, narrower still (or in ASCII), a cell for every `group`
        // seats in the colour of the list holding its middle seat.
        let group = max(1, (seats + room - 2) / max(1, room - 1))
        let halves = glyphs.halfCell != nil && group == 2
        let perCell = halves ? 2 : group
        let majority = majority(seats)
        var column = 0
        var seat = 0
        var markerDrawn = seats < 2
        while seat < seats, column < room {
            if !markerDrawn && seat >= majority {
                // The majority line, between the seats that make one and the rest.
                grid.put(glyphs.heavyVertical, x: x + column, y: rect.y, style: styles.strong)
                column += 1
                markerDrawn = true
            }
            if halves {
                // Left half in the first seat's colour, right half in the next's;
                // a pair is never split across the majority line.
                let left = cells[seat]
                let pairs = seat + 1 < seats && seat + 1 != majority
                let right = pairs ? cells[seat + 1] : nil
                var style = left ?? styles.muted
                if pairs, let right { style.background = right.foreground }
                grid.put(left == nil ? glyphs.gridDot : glyphs.halfCell!, x: x + column, y: rect.y, style: style)
                seat += pairs ? 2 : 1
            } else {
                let middle = min(seats - 1, seat + perCell / 2)
                if let style = cells[middle] {
                    grid.put(String(glyphs.full), x: x + column, y: rect.y, style: style)
                } else {
                    grid.put(glyphs.gridDot, x: x + column, y: rect.y, style: styles.muted)
                }
                seat += perCell
            }
            column += 1
        }
        x += column
        let grouped = perCell > 2 || (perCell == 2 && !halves) ? ", \(perCell) a cell" : ""
        for legend in [" \(seats) seats, \(majority) for a majority" + grouped, " \(seats) seats" + grouped]
        where x + DisplayWidth.of(legend) <= rect.x + rect.width {
            grid.put(legend, x: x, y: rect.y, style: styles.muted)
            break
        }
        if rect.height >= 2 {
            let text = contest.lastSeatText.map { " " + $0.prefix(1).uppercased() + $0.dropFirst() } ?? " No seat given yet: nothing counted"
            grid.put(DisplayWidth.truncate(text, to: rect.width, glyphs: glyphs), x: rect.x, y: rect.y + 1, style: styles.strong)
        }
    }

    /// Beside a list's bar: `7 seats`, and under it while counting the
    /// projection's range, `6-8`.
    static func tags(_ contest: ContestSnapshot, _ candidate: CandidateResult, ranges: [ListSeatRange]?) -> (seats: String, projected: String?)? {
        guard let seats = candidate.seats else { return nil }
        var projected: String?
        if !contest.status.isFinished, contest.seatProjection?.basis == .projected,
           let range = ranges?.first(where: { $0.id == candidate.id }) {
            projected = range.low == range.high ? "proj \(range.low)" : "\(range.low)-\(range.high)"
        }
        return ("\(seats) seat\(seats == 1 ? "" : "s")", projected)
    }
}
