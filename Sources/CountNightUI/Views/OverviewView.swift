import CountNightCore

/// View 1: progress, turnout, one bar per candidate, the majority and the
/// count of problems.
enum OverviewView {
    /// Rows above the candidates (progress, figures, a gap) and below them
    /// (the projection, the majority line, the note line). The gap above the
    /// projection is the last candidate's own blank row.
    static let rowsAbove = 4
    static let rowsBelow = 3

    struct Layout {
        var blockHeight: Int
        var barHeight: Int
        var visible: Int
    }

    static func layout(candidates: Int, rows: Int) -> Layout {
        let available = max(1, rows - rowsAbove - rowsBelow)
        let block = max(1, min(6, available / max(1, candidates)))
        let barHeight = block >= 2 ? block - 1 : 1
        return Layout(blockHeight: block, barHeight: barHeight, visible: max(1, available / block))
    }

    static func extent(_ model: DashboardModel, _ state: ViewState, _ area: Rect) -> (page: Int, total: Int) {
        let contest = model.snapshot.contests[Dashboard.currentContest(model, state)]
        let layout = layout(candidates: contest.candidates.count, rows: area.height - SeatStripView.rows(contest))
        return (layout.visible, contest.candidates.count)
    }

    /// The share that a full-width bar stands for: the leader's share rounded
    /// up to the next 10%, and at least 60% for Supplementary Vote so that the
    /// 50% line is always on the screen.
    static func scale(for contest: ContestSnapshot) -> Double {
        var top = contest.candidates.first?.share ?? 0
        // With a second stage, the finalists' bars grow by their transfers.
        if let stage = contest.secondStage, contest.valid > 0 {
            top = max(top, Double(stage.totals.max() ?? 0) / Double(contest.valid))
        }
        var scale = max(0.1, min(1, (top * 10).rounded(.up) / 10))
        if scale - top < 0.005 && scale < 1 { scale += 0.1 }
        if contest.system == .sv { scale = max(scale, 0.6) }
        return min(1, scale)
    }

    static func render(_ grid: inout Grid, _ model: DashboardModel, _ state: ViewState, _ area: Rect) {
        let snapshot = model.snapshot
        let contest = snapshot.contests[Dashboard.currentContest(model, state)]
        let w = area.width
        var y = area.y
        let unicode = state.unicode

        // Progress and turnout.
        var x = grid.put(" Boxes  ", x: 0, y: y, style: .bold)
        x += grid.put("verified \(contest.boxesVerified)/\(contest.boxesTotal)", x: x, y: y)
        x += grid.put("   counted \(contest.boxesCovered)/\(contest.boxesTotal)", x: x, y: y)
        let turnout: String
        if let value = contest.turnout, let electorate = contest.electorate {
            turnout = "Turnout \(Format.percent(value))  (\(Format.grouped(contest.ballotPapers)) of \(Format.grouped(electorate))\(w >= 100 ? " electors" : ""))"
        } else {
            turnout = "Turnout unknown (no electorate)"
        }
        grid.put(turnout, x: max(x + 3, w - DisplayWidth.of(turnout) - 1), y: y, style: .bold)
        y += 1

        let progress = contest.ballotPapers == 0 ? 0 : Double(contest.countedBallots) / Double(contest.ballotPapers)
        let label = " Ballots counted "
        let figures = " \(Format.grouped(contest.countedBallots)) of \(Format.grouped(contest.ballotPapers)) papers  \(Format.percent(progress)) "
        let progressWidth = max(10, w - DisplayWidth.of(label) - DisplayWidth.of(figures) - 1)
        x = grid.put(label, x: 0, y: y, style: .bold)
        let (filled, rest) = Bars.progress(progress, width: progressWidth, unicode: unicode)
        x += grid.put(filled, x: x, y: y, style: Style(foreground: .basic(.green), bold: true))
        x += grid.put(rest, x: x, y: y, style: .dim)
        grid.put(figures, x: x, y: y, style: .bold)
        y += 1

        grid.put(" Valid votes \(Format.grouped(contest.valid))   Rejected ballots \(Format.grouped(contest.rejected))   Ballot papers \(Format.grouped(contest.ballotPapers))",
                 x: 0, y: y)
        y += 2

        // Candidates.
        let layout = layout(candidates: contest.candidates.count, rows: area.height - SeatStripView.rows(contest))
        let seatRanges = contest.seatProjection?.ranges
        let nameWidth = min(max(12, contest.candidates.map { DisplayWidth.of($0.name) }.max() ?? 0), w >= 120 ? 28 : 18)
        let partyWidth = min(contest.candidates.map { DisplayWidth.of($0.party ?? "") }.max() ?? 0, w >= 120 ? 22 : 12)
        let tagWidth = 8
        let fixed = 2 + nameWidth + 1 + (partyWidth > 0 ? partyWidth + 1 : 0) + 1 + 11 + 8 + 1 + tagWidth
        let barX = 2 + nameWidth + 1 + (partyWidth > 0 ? partyWidth + 1 : 0)
        let barWidth = max(8, w - fixed)
        let scale = scale(for: contest)
        let halfColumn = contest.system == .sv ? barX + Int((0.5 / scale * Double(barWidth)).rounded()) : nil
        if let halfColumn {
            grid.put("50%", x: halfColumn - 1, y: y - 1, style: .dim)
        }
        let showIntervals = !contest.status.isFinished && contest.status != .secondStage && !contest.projection.shares.isEmpty
        let seatChances = !contest.status.isFinished ? contest.projection.seats?.chances() : nil
        let offset = state.offset(total: contest.candidates.count, rows: layout.visible)
        let shown = contest.candidates.enumerated().dropFirst(offset).prefix(layout.visible)
        for (index, candidate) in shown {
            let elected = contest.winners.contains(candidate.id)
            let leads = contest.leader == candidate.id
            let labelRow = y + (layout.barHeight - 1) / 2
            let nameStyle = Style(bold: leads || elected)
            let marker = leads || elected ? (unicode ? "▶" : ">") : " "
            grid.put(marker, x: 0, y: labelRow, style: .bold)
            grid.put(DisplayWidth.truncate(candidate.name, to: nameWidth, unicode: unicode), x: 2, y: labelRow, style: nameStyle)
            if partyWidth > 0, let party = candidate.party {
                grid.put(DisplayWidth.truncate(party, to: partyWidth, unicode: unicode), x: 2 + nameWidth + 1, y: labelRow, style: .dim)
            }
            let colour = CandidatePalette.colour(candidate, index: contest.candidates.firstIndex { $0.id == candidate.id } ?? index)
            let bar = Bars.bar(candidate.share / scale, width: barWidth, unicode: unicode)
            // A finalist's second preferences, stacked onto the first in a lighter shade.
            let stageIndex = contest.secondStage?.finalists.firstIndex(of: candidate.id)
            let transfers = stageIndex.map { contest.secondStage!.transfers[$0] } ?? 0
            let stacked = transfers > 0 && contest.valid > 0
                ? Bars.bar((candidate.share + Double(transfers) / Double(contest.valid)) / scale, width: barWidth, unicode: unicode) : nil
            for row in 0..<layout.barHeight {
                if let stacked {
                    grid.put(String(repeating: unicode ? "▒" : ":", count: stacked.count), x: barX, y: y + row, style: Style(foreground: colour))
                }
                grid.put(bar, x: barX, y: y + row, style: Style(foreground: colour, bold: leads))
                if let halfColumn, halfColumn >= barX + bar.count, halfColumn < barX + barWidth {
                    grid.put(unicode ? "│" : "|", x: halfColumn, y: y + row, style: .dim)
                }
            }
            // Block: a line under the last seat that elects, with the margin there.
            if contest.system == .block, index == contest.seats - 1, index + 1 < contest.candidates.count,
               layout.blockHeight > layout.barHeight {
                let lineY = y + layout.barHeight
                let dash = unicode ? "┄" : "-"
                grid.put(String(repeating: dash, count: barX + barWidth), x: 0, y: lineY, style: .dim)
                let margin = "seat \(contest.seats) · margin \(Format.grouped(candidate.votes - contest.candidates[index + 1].votes))"
                grid.put(DisplayWidth.truncate(margin, to: w - barX - barWidth - 1), x: barX + barWidth + 1, y: lineY, style: .bold)
            }
            if showIntervals, let interval = contest.projection.shares.first(where: { $0.id == candidate.id }) {
                // On the blank row under the bar where there is one, else cut into the bar.
                let own = layout.blockHeight > layout.barHeight
                drawInterval(&grid, interval, y: own ? y + layout.barHeight : labelRow, barX: barX, barWidth: barWidth,
                             filled: own ? 0 : bar.count, scale: scale, colour: colour, unicode: unicode)
            }
            let votes = DisplayWidth.padLeft(Format.grouped(candidate.votes), to: 11)
            let share = DisplayWidth.padLeft(Format.percent(candidate.share), to: 8)
            let figuresX = barX + barWidth + 1
            grid.put(votes, x: figuresX, y: labelRow, style: Style(bold: true))
            grid.put(share, x: figuresX + 11, y: labelRow, style: Style(bold: leads || elected))
            if let tags = SeatStripView.tags(contest, candidate, ranges: seatRanges) {
                grid.put(tags.seats, x: figuresX + 20, y: labelRow, style: Style(bold: (candidate.seats ?? 0) > 0))
                if let projected = tags.projected, layout.blockHeight > 1 { grid.put(projected, x: figuresX + 20, y: labelRow + 1, style: .dim) }
            } else if let stageIndex, !elected {
                // Second stage: the transfers counted for this finalist.
                grid.put("+" + Format.grouped(contest.secondStage!.transfers[stageIndex]), x: figuresX + 20, y: labelRow, style: .bold)
            } else if elected {
                grid.put("ELECTED", x: figuresX + 20, y: labelRow, style: Style(foreground: .basic(.green), bold: true, reverse: true))
            } else if let chance = seatChances?[candidate.id] {
                // Each candidate's chance of a seat.
                grid.put(ContestSnapshot.chance(chance), x: figuresX + 20, y: labelRow,
                         style: chance >= Projection.callProbability ? .bold : .dim)
            } else if leads && !contest.status.isFinished {
                grid.put("LEADING", x: figuresX + 20, y: labelRow, style: .bold)
            }
            y += layout.blockHeight
        }
        let hidden = contest.candidates.count - shown.count
        if hidden > 0 {
            let more = "\(hidden) more candidate\(hidden == 1 ? "" : "s") (\(unicode ? "↑↓" : "Up/Down") to scroll)"
            grid.put(more, x: 2, y: min(y, area.bottom - rowsBelow - SeatStripView.rows(contest)), style: .dim)
        }
        SeatStripView.render(&grid, contest, Rect(x: 0, y: area.bottom - 3 - SeatStripView.rows(contest), width: w, height: SeatStripView.rows(contest)), unicode: unicode)

        // The projection, the majority, problems and the state of the race.
        y = area.bottom - 3
        let headline = " " + contest.projectionHeadline + " "
        x = grid.put(DisplayWidth.truncate(headline, to: w, unicode: unicode), x: 0, y: y, style: headlineStyle(contest.projection.status))
        if let basis = contest.callBasis.map({ " " + $0 }), x + DisplayWidth.of(basis) <= w {
            x += grid.put(basis, x: x, y: y, style: .plain)
        }
        if showIntervals {
            let legend = (unicode ? "├─┤" : "[-]") + " projected final share, 90% range "
            if x + DisplayWidth.of(legend) + 2 <= w { grid.put(legend, x: w - DisplayWidth.of(legend), y: y, style: .dim) }
        }
        y += 1
        var summary = " "
        if let majority = contest.majority {
            summary += (contest.system == .block ? "Margin at seat \(contest.seats) " : "Majority ") + Format.grouped(majority)
        } else {
            summary += "No votes counted yet"
        }
        let problems = contest.warnings.count + snapshot.refusedFiles.count + snapshot.conflicts.count
        var counts = "   Warnings \(contest.warnings.count) · Refused files \(snapshot.refusedFiles.count) · Conflicts \(snapshot.conflicts.count)"
        // Typed figures not yet in the feed, or in it from one typing only (countnight enter).
        var entries = model.pendingEntries > 0 ? " · Entries pending \(model.pendingEntries)" : ""
        if model.unconfirmedEntries > 0 { entries += " · Unconfirmed \(model.unconfirmedEntries)" }
        counts += entries
        var hint = problems > 0 ? "  (press 5 to see them)" : "  (5: log)"
        if let hurdle = contest.hurdleText {
            let all = DisplayWidth.of(summary + " · " + hurdle + counts + hint)
            if all <= w {
                summary += " · " + hurdle
            } else if problems == 0 && entries.isEmpty {
                // Nothing wrong: the hurdle matters more than a row of zeros.
                summary += " · " + hurdle
                counts = "   Problems 0"
                hint = ""
            }
        }
        x = grid.put(DisplayWidth.truncate(summary, to: w, unicode: unicode), x: 0, y: y, style: .bold)
        x += grid.put(counts, x: x, y: y, style: problems > 0 ? Style(foreground: .basic(.red), bold: true) : .plain)
        grid.put(hint, x: x, y: y, style: problems > 0 ? .bold : .dim)
        y += 1
        if let note = note(contest) {
            grid.put(DisplayWidth.truncate(" " + note.text, to: w), x: 0, y: y, style: note.style)
        }
    }

    static func headlineStyle(_ status: Projection.Status) -> Style {
        switch status {
        case .tooEarly: return Style(foreground: .basic(.yellow), bold: true)
        case .projected: return Style(foreground: .basic(.cyan), bold: true, reverse: true)
        case .certain, .final: return Style(foreground: .basic(.green), bold: true, reverse: true)
        case .secondStage, .tied: return Style(foreground: .basic(.yellow), bold: true, reverse: true)
        }
    }

    /// The 90% range of a candidate's projected final share, on the bar's
    /// scale: ├──┤, cut out of the bar where drawn on its row.
    static func drawInterval(_ grid: inout Grid, _ interval: ShareInterval, y: Int, barX: Int, barWidth: Int, filled: Int,
                             scale: Double, colour: Colour, unicode: Bool) {
        func column(_ share: Double) -> Int {
            min(barWidth - 1, max(0, Int((share / scale * Double(barWidth)).rounded(.down))))
        }
        let low = column(interval.low), high = column(interval.high)
        for offset in low...high {
            let mark: String
            if low == high {
                mark = unicode ? "│" : "|"
            } else if offset == low {
                mark = unicode ? "├" : "["
            } else if offset == high {
                mark = unicode ? "┤" : "]"
            } else {
                mark = unicode ? "─" : "-"
            }
            let insideBar = offset < filled
            grid.put(mark, x: barX + offset, y: y, style: insideBar ? Style(foreground: colour, reverse: true) : Style(foreground: colour))
        }
    }

    static func note(_ contest: ContestSnapshot) -> (text: String, style: Style)? {
        if let stage = contest.secondStage {
            let names = stage.finalists.map { id in contest.candidates.first { $0.id == id }?.name ?? id }
            let totals = zip(names, stage.totals).map { "\($0) \(Format.grouped($1))" }.joined(separator: " · ")
            let progress = stage.isComplete ? "complete" : "\(stage.areasComplete) of \(stage.areas) areas examined, \(Format.grouped(stage.toExamine)) ballots to go"
            return ("Second stage (first + transfers ▒): \(totals) · \(progress)", Style(foreground: .basic(.yellow), bold: true))
        }
        if contest.status == .complete && contest.winners.isEmpty {
            if contest.system == .sv && contest.leader != nil {
                return ("Nobody has more than half of the valid votes: a second stage is needed.", Style(foreground: .basic(.yellow), bold: true, reverse: true))
            }
            return ("A tie for the last place that elects: no winner until it is resolved.", Style(foreground: .basic(.yellow), bold: true, reverse: true))
        }
        if contest.system == .sv && !contest.status.isFinished {
            return ("Supplementary Vote: more than 50% elects at the first stage (the line marks 50%).", .dim)
        }
        if contest.system == .block {
            return ("\(contest.seats) seats: the first \(contest.seats) are elected when the count is complete.", .dim)
        }
        return nil
    }
}
