import CountNightCore

/// View 1: progress, turnout, one bar per candidate, the majority and the
/// count of problems; on a big screen, a headline for the hall above the bars.
///
/// `layout` works out once where every part goes; `render` draws each part
/// into its rectangle and `extent` (for scrolling) reads the same layout.
enum OverviewView {
    /// Rows of the figures above the candidates (progress, turnout, votes)
    /// and the gap under them; rows of the result under the candidates (the
    /// projection, the majority line, the note line).
    static let rowsAbove = 4
    static let rowsBelow = 3
    /// The tallest a candidate's block grows: on a small screen six rows; on
    /// a big one the bars use the height.
    static let tallestBlock = 6
    static let tallestBlockInTheHall = 10

    /// Where each part of the overview goes, and the columns of the candidates' rows.
    struct Layout {
        var figures: Rect
        /// The hall's headline (big screens only).
        var hall: Rect?
        var candidates: Rect
        /// Party lists: the strip of seats under the bars (empty otherwise).
        var strip: Rect
        var result: Rect
        var blockHeight: Int
        var barHeight: Int
        /// Candidates on the screen at once.
        var visible: Int
        var nameWidth: Int
        var partyWidth: Int
        var barX: Int
        var barWidth: Int
        var figuresX: Int
        /// The share a full-width bar stands for.
        var scale: Double
        /// Supplementary Vote: the column of the line that elects.
        var halfColumn: Int?
    }

    /// A big screen: room for the headline for the hall.
    static func isHall(_ area: Rect) -> Bool { area.width >= 160 && area.height >= 44 }

    static func layout(_ page: Page, _ area: Rect) -> Layout {
        let contest = page.contest
        let w = area.width
        let hallHeight = isHall(area) ? HallHeadline.height : 0
        let figures = Rect(x: area.x, y: area.y, width: w, height: rowsAbove - 1)
        let hall = hallHeight > 0 ? Rect(x: area.x, y: figures.bottom + 1, width: w, height: hallHeight) : nil
        let top = (hall?.bottom ?? figures.bottom) + 1
        let result = Rect(x: area.x, y: area.bottom - rowsBelow, width: w, height: rowsBelow)
        let strip = Rect(x: area.x, y: result.y - SeatStripView.rows(contest), width: w, height: SeatStripView.rows(contest))
        let candidates = Rect(x: area.x, y: top, width: w, height: max(1, strip.y - top))
        let count = max(1, contest.candidates.count)
        let block = max(1, min(hall == nil ? tallestBlock : tallestBlockInTheHall, candidates.height / count))
        let barHeight = block >= 2 ? block - 1 : 1

        let nameWidth = min(max(12, contest.candidates.map { DisplayWidth.of($0.name) }.max() ?? 0), w >= 120 ? 28 : 18)
        let partyWidth = min(contest.candidates.map { DisplayWidth.of($0.party ?? "") }.max() ?? 0, w >= 120 ? 22 : (w >= 100 ? 16 : 12))
        let barX = 2 + nameWidth + 1 + (partyWidth > 0 ? partyWidth + 1 : 0)
        let fixed = barX + 1 + 11 + 8 + 1 + tagWidth(contest)
        let barWidth = max(8, w - fixed)
        let scale = scale(for: contest)
        var halfColumn: Int? = nil
        if contest.system == .sv {
            halfColumn = barX + Int((electingShare(contest) / scale * Double(barWidth)).rounded())
        }
        return Layout(figures: figures, hall: hall, candidates: candidates, strip: strip, result: result, blockHeight: block, barHeight: barHeight,
                      visible: max(1, candidates.height / block), nameWidth: nameWidth, partyWidth: partyWidth,
                      barX: barX, barWidth: barWidth, figuresX: barX + barWidth + 1, scale: scale, halfColumn: halfColumn)
    }

    /// Columns after the share: "+1,240 ELECTED" after a second stage,
    /// else ELECTED, LEADING or a chance of a seat.
    static func tagWidth(_ contest: ContestSnapshot) -> Int {
        guard contest.secondStage != nil else { return 8 }
        let widest = contest.candidates.compactMap { contest.transfers(of: $0.id) }.map { DisplayWidth.of("+" + Format.grouped($0)) }.max() ?? 0
        return max(8, widest + 1 + 7)
    }

    static func extent(_ page: Page, _ area: Rect) -> (page: Int, total: Int) {
        (layout(page, area).visible, page.contest.candidates.count)
    }

    /// The share of the valid first preferences that elects, on the bars'
    /// scale: half of them at the first stage; after a second stage, half of
    /// the votes in the final (first preferences plus transfers of the two
    /// finalists), so that the winner's bar with transfers passes the line.
    static func electingShare(_ contest: ContestSnapshot) -> Double {
        guard let totals = contest.finalTotals, contest.valid > 0 else { return 0.5 }
        return Double(totals.reduce(0, +)) / 2 / Double(contest.valid)
    }

    /// The share that a full-width bar stands for: the leader's share rounded
    /// up to the next 10%, and at least 60% for Supplementary Vote so that the
    /// 50% line is always on the screen.
    static func scale(for contest: ContestSnapshot) -> Double {
        var top = contest.candidates.first?.share ?? 0
        // With a second stage, the finalists' bars grow by their transfers.
        if let totals = contest.finalTotals, contest.valid > 0 {
            top = max(top, Double(totals.max() ?? 0) / Double(contest.valid))
        }
        var scale = max(0.1, min(1, (top * 10).rounded(.up) / 10))
        if scale - top < 0.005 && scale < 1 { scale += 0.1 }
        if contest.system == .sv { scale = max(scale, 0.6) }
        return min(1, scale)
    }

    static func render(_ grid: inout Grid, _ page: Page, _ area: Rect) {
        let layout = layout(page, area)
        drawFigures(&grid, page, layout.figures)
        if let hall = layout.hall { HallHeadline.render(&grid, page, hall) }
        drawCandidates(&grid, page, layout)
        SeatStripView.render(&grid, page.contest, layout.strip, glyphs: page.glyphs, styles: page.styles)
        drawResult(&grid, page, layout)
    }

    // MARK: The parts

    /// Progress and turnout, the ballots counted of the papers verified, the votes.
    static func drawFigures(_ grid: inout Grid, _ page: Page, _ rect: Rect) {
        let (contest, styles, glyphs) = (page.contest, page.styles, page.glyphs)
        let w = rect.width
        var y = rect.y
        var x = grid.put(" Boxes  ", x: 0, y: y, style: styles.strong)
        x += grid.put("verified \(contest.boxesVerified)/\(contest.boxesTotal)", x: x, y: y)
        x += grid.put("   counted \(contest.boxesCovered)/\(contest.boxesTotal)", x: x, y: y)
        var turnouts = ["Turnout unknown (no electorate)", "Turnout unknown"]
        if let value = contest.turnout, let electorate = contest.electorate {
            let figures = "Turnout \(Format.percent(value))  (\(Format.grouped(contest.ballotPapers)) of \(Format.grouped(electorate))"
            turnouts = [figures + (w >= 100 ? " electors)" : ")"), figures + ")", "Turnout \(Format.percent(value))"]
        }
        if let turnout = Dashboard.firstFitting(turnouts, width: w - x - 4) {
            grid.put(turnout, x: w - DisplayWidth.of(turnout) - 1, y: y, style: styles.strong)
        }
        y += 1

        // The bar is of the papers verified so far; the projection's "X%
        // counted" is of every ballot expected, and says so on its own row.
        let progress = contest.ballotPapers == 0 ? 0 : Double(contest.countedBallots) / Double(contest.ballotPapers)
        let label = " Verified papers counted "
        let counted = Format.grouped(contest.countedBallots), papers = Format.grouped(contest.ballotPapers)
        let room = w - DisplayWidth.of(label) - 10 - 1
        let figures = Dashboard.firstFitting([" \(counted) of \(papers) papers  \(Format.percent(progress)) ",
                                              " \(counted)  \(Format.percent(progress)) "], width: room) ?? ""
        let progressWidth = max(10, w - DisplayWidth.of(label) - DisplayWidth.of(figures) - 1)
        x = grid.put(label, x: 0, y: y, style: styles.strong)
        let (filled, rest) = Bars.progress(progress, width: progressWidth, glyphs: glyphs)
        x += grid.put(filled, x: x, y: y, style: styles.done)
        x += grid.put(rest, x: x, y: y, style: styles.muted)
        grid.put(figures, x: x, y: y, style: styles.strong)
        y += 1

        let votes = [" Valid votes \(Format.grouped(contest.valid))   Rejected ballots \(Format.grouped(contest.rejected))   Ballot papers \(papers)",
                     " Valid votes \(Format.grouped(contest.valid))   Rejected \(Format.grouped(contest.rejected))"]
        grid.put(Dashboard.firstFitting(votes, width: w) ?? votes[1], x: 0, y: y)
    }

    /// One block per candidate on the screen: the name, the bar (with the
    /// transfers stacked on it after a second stage), the figures and the tag.
    static func drawCandidates(_ grid: inout Grid, _ page: Page, _ layout: Layout) {
        let (contest, styles, glyphs, state) = (page.contest, page.styles, page.glyphs, page.state)
        var y = layout.candidates.y
        let (barX, barWidth, scale) = (layout.barX, layout.barWidth, layout.scale)
        if let halfColumn = layout.halfColumn {
            let label = contest.finalTotals != nil ? "half of final" : "50%"
            grid.put(label, x: min(halfColumn - 1, grid.width - DisplayWidth.of(label)), y: y - 1, style: styles.muted)
        }
        let showIntervals = !contest.status.isFinished && contest.status != .secondStage && !contest.projection.shares.isEmpty
        let seatChances = !contest.status.isFinished ? contest.projection.seats?.chances() : nil
        let seatRanges = contest.seatProjection?.ranges
        let offset = state.offset(total: contest.candidates.count, rows: layout.visible)
        let shown = contest.candidates.enumerated().dropFirst(offset).prefix(layout.visible)
        for (index, candidate) in shown {
            let elected = contest.winners.contains(candidate.id)
            let leads = contest.leader == candidate.id
            let labelRow = y + (layout.barHeight - 1) / 2
            grid.put(leads || elected ? glyphs.marker : " ", x: 0, y: labelRow, style: styles.strong)
            grid.put(DisplayWidth.truncate(candidate.name, to: layout.nameWidth, glyphs: glyphs), x: 2, y: labelRow,
                     style: leads || elected ? styles.strong : styles.plain)
            if layout.partyWidth > 0, let party = candidate.party {
                grid.put(DisplayWidth.truncate(party, to: layout.partyWidth, glyphs: glyphs), x: 2 + layout.nameWidth + 1, y: labelRow, style: styles.muted)
            }
            let colour = styles.candidate(candidate)
            let bar = Bars.bar(candidate.share / scale, width: barWidth, glyphs: glyphs)
            // A finalist's second preferences, stacked onto the first in a lighter shade.
            let transfers = contest.transfers(of: candidate.id)
            let stacked = (transfers ?? 0) > 0 && contest.valid > 0
                ? Bars.bar((Double(candidate.votes) + Double(transfers!)) / Double(contest.valid) / scale, width: barWidth, glyphs: glyphs) : nil
            for row in 0..<layout.barHeight {
                if let stacked {
                    grid.put(String(repeating: glyphs.transfer, count: stacked.count), x: barX, y: y + row, style: Style(foreground: colour))
                }
                grid.put(bar, x: barX, y: y + row, style: Style(foreground: colour, bold: leads))
                if let halfColumn = layout.halfColumn, halfColumn >= barX + max(bar.count, stacked?.count ?? 0), halfColumn < barX + barWidth {
                    grid.put(glyphs.vertical, x: halfColumn, y: y + row, style: styles.muted)
                }
            }
            // Block: a line under the last seat that elects, with the margin there.
            if contest.system == .block, index == contest.seats - 1, index + 1 < contest.candidates.count,
               layout.blockHeight > layout.barHeight {
                let lineY = y + layout.barHeight
                grid.put(String(repeating: glyphs.seatLine, count: barX + barWidth), x: 0, y: lineY, style: styles.muted)
                let margin = "seat \(contest.seats) \(glyphs.dot) margin \(Format.grouped(candidate.votes - contest.candidates[index + 1].votes))"
                if let text = Dashboard.firstFitting([margin, "margin \(Format.grouped(candidate.votes - contest.candidates[index + 1].votes))"],
                                                     width: grid.width - barX - barWidth - 1) {
                    grid.put(text, x: barX + barWidth + 1, y: lineY, style: styles.strong)
                }
            }
            if showIntervals, let interval = contest.projection.shares.first(where: { $0.id == candidate.id }) {
                // On the blank row under the bar where there is one, else cut into the bar.
                let own = layout.blockHeight > layout.barHeight
                drawInterval(&grid, interval, y: own ? y + layout.barHeight : labelRow, barX: barX, barWidth: barWidth,
                             filled: own ? 0 : bar.count, scale: scale, colour: colour, glyphs: glyphs)
            }
            let figuresX = layout.figuresX
            grid.put(DisplayWidth.padLeft(Format.grouped(candidate.votes), to: 11), x: figuresX, y: labelRow, style: styles.strong)
            grid.put(DisplayWidth.padLeft(Format.percent(candidate.share), to: 8), x: figuresX + 11, y: labelRow,
                     style: leads || elected ? styles.strong : styles.plain)
            var tagX = figuresX + 20
            if let tags = SeatStripView.tags(contest, candidate, ranges: seatRanges) {
                // A party list: its seats, and while counting the projection's range under them.
                grid.put(tags.seats, x: tagX, y: labelRow, style: (candidate.seats ?? 0) > 0 ? styles.strong : styles.plain)
                if let projected = tags.projected, layout.blockHeight > 1 { grid.put(projected, x: tagX, y: labelRow + 1, style: styles.muted) }
                y += layout.blockHeight
                continue
            }
            if let transfers {
                // Second stage: the transfers counted for each finalist, the winner's too.
                tagX += grid.put("+" + Format.grouped(transfers) + " ", x: tagX, y: labelRow, style: styles.strong)
            }
            if elected {
                grid.put("ELECTED", x: tagX, y: labelRow, style: styles.elected)
            } else if let chance = seatChances?[candidate.id] {
                // Each candidate's chance of a seat.
                grid.put(ContestSnapshot.chance(chance), x: tagX, y: labelRow,
                         style: chance >= Projection.callProbability ? styles.strong : styles.muted)
            } else if leads && !contest.status.isFinished && transfers == nil {
                grid.put("LEADING", x: tagX, y: labelRow, style: styles.strong)
            }
            y += layout.blockHeight
        }
        let hidden = contest.candidates.count - shown.count
        if hidden > 0 {
            let more = "\(hidden) more candidate\(hidden == 1 ? "" : "s") (\(glyphs.arrows) to scroll)"
            grid.put(more, x: 2, y: min(y, layout.strip.y), style: styles.muted)
        }
    }

    /// The projection, the majority with the count of problems, and a note
    /// on the state of the race: each row drops whole parts when short of
    /// room, never a figure's end.
    static func drawResult(_ grid: inout Grid, _ page: Page, _ layout: Layout) {
        let (contest, snapshot, styles, glyphs) = (page.contest, page.snapshot, page.styles, page.glyphs)
        let w = layout.result.width
        var y = layout.result.y
        let headline = " " + contest.projectionHeadline + " "
        var x = grid.put(DisplayWidth.truncate(headline, to: w, glyphs: glyphs), x: 0, y: y, style: headlineStyle(contest.projection.status, styles))
        let showIntervals = !contest.status.isFinished && contest.status != .secondStage && !contest.projection.shares.isEmpty
        let legend = showIntervals ? glyphs.rangeLeft + glyphs.horizontal + glyphs.rangeRight + " projected final share, 90% range " : ""
        let legendWidth = legend.isEmpty ? 0 : DisplayWidth.of(legend) + 2
        var basis = contest.callBasis ?? contest.standing
        if contest.projection.status == .tooEarly && contest.countedBallots > 0 && contest.status != .secondStage {
            // "X% counted" is of every ballot expected, not of the papers verified so far.
            basis = "of all ballots expected"
        }
        // The range's legend outranks the basis: without it the marks cannot be read.
        if let basis = basis.map({ " " + $0 }), x + DisplayWidth.of(basis) + legendWidth <= w {
            x += grid.put(basis, x: x, y: y, style: contest.recountPossible ? styles.warningBand : styles.plain)
        }
        if !legend.isEmpty, x + legendWidth <= w { grid.put(legend, x: w - DisplayWidth.of(legend), y: y, style: styles.muted) }
        y += 1

        var majority = " No votes counted yet"
        if let value = contest.majority {
            majority = " " + contest.majorityName.prefix(1).uppercased() + contest.majorityName.dropFirst() + " " + Format.grouped(value)
            if contest.finalTotals != nil { majority += " after transfers" }
        }
        let problems = contest.warnings.count + snapshot.refusedFiles.count + snapshot.conflicts.count
        let d = glyphs.dot
        // Typed figures not yet in the feed, or in it from one typing only (countnight enter).
        var entries = page.model.pendingEntries > 0 ? " \(d) Entries pending \(page.model.pendingEntries)" : ""
        if page.model.unconfirmedEntries > 0 { entries += " \(d) Unconfirmed \(page.model.unconfirmedEntries)" }
        let counts = "  Warnings \(contest.warnings.count) \(d) Refused files \(snapshot.refusedFiles.count) \(d) Conflicts \(snapshot.conflicts.count)" + entries
        let short = "  Problems \(problems)" + entries
        let hint = problems > 0 ? " (press 5 to see them)" : "  (5: log)"
        let shortHint = problems > 0 ? " (5: log)" : ""
        let hurdle = contest.hurdleText.map { " \(d) " + $0 } ?? ""
        // Richest first. With problems, their count outranks the hurdle.
        var variants: [(String, String, String)] = [(majority + hurdle, counts, hint), (majority + hurdle, counts, shortHint)]
        variants += problems > 0 || !entries.isEmpty
            ? [(majority, counts, hint), (majority, counts, shortHint), (majority + hurdle, short, shortHint), (majority, short, shortHint)]
            : [(majority + hurdle, short, ""), (majority, counts, hint), (majority, short, "")]
        // Each with three spaces before the counts where they fit, else two.
        variants = variants.flatMap { [($0.0, " " + $0.1, $0.2), $0] }
        let (summary, countsText, hintText) = variants.first { DisplayWidth.of($0.0 + $0.1 + $0.2) <= w } ?? variants.last!
        x = grid.put(summary, x: 0, y: y, style: styles.strong)
        x += grid.put(countsText, x: x, y: y, style: problems > 0 ? styles.problem : styles.plain)
        grid.put(hintText, x: x, y: y, style: problems > 0 ? styles.strong : styles.muted)
        y += 1
        if let note = note(contest, page) {
            let text = Dashboard.firstFitting(note.texts.map { " " + $0 }, width: w) ?? DisplayWidth.truncate(" " + note.texts.last!, to: w, glyphs: glyphs)
            grid.put(text, x: 0, y: y, style: note.style)
        }
    }

    static func headlineStyle(_ status: Projection.Status, _ styles: Styles = .colour) -> Style {
        switch status {
        case .tooEarly: return styles.warning
        case .projected: return styles.projected
        case .certain, .final: return styles.elected
        case .secondStage, .tied: return styles.warningBand
        }
    }

    /// The 90% range of a candidate's projected final share, on the bar's
    /// scale: ├──┤, cut out of the bar where drawn on its row.
    static func drawInterval(_ grid: inout Grid, _ interval: ShareInterval, y: Int, barX: Int, barWidth: Int, filled: Int,
                             scale: Double, colour: Colour, glyphs: Glyphs) {
        func column(_ share: Double) -> Int {
            min(barWidth - 1, max(0, Int((share / scale * Double(barWidth)).rounded(.down))))
        }
        let low = column(interval.low), high = column(interval.high)
        for offset in low...high {
            let mark: String
            if low == high {
                mark = glyphs.vertical
            } else if offset == low {
                mark = glyphs.rangeLeft
            } else if offset == high {
                mark = glyphs.rangeRight
            } else {
                mark = glyphs.horizontal
            }
            let insideBar = offset < filled
            grid.put(mark, x: barX + offset, y: y, style: insideBar ? Style(foreground: colour, reverse: true) : Style(foreground: colour))
        }
    }

    /// The note under the majority: the second stage's totals, or what the
    /// system means. Longest first; the first that fits is shown.
    static func note(_ contest: ContestSnapshot, _ page: Page) -> (texts: [String], style: Style)? {
        let (styles, glyphs) = (page.styles, page.glyphs)
        let d = " \(glyphs.dot) "
        if let stage = contest.secondStage, let totals = contest.finalTotals {
            let names = contest.names(of: stage.finalists)
            let lastNames = names.map { $0.split(separator: " ").last.map(String.init) ?? $0 }
            let full = zip(names, totals).map { "\($0) \(Format.grouped($1))" }.joined(separator: d)
            let brief = zip(lastNames, totals).map { "\($0) \(Format.grouped($1))" }.joined(separator: d)
            let progress = stage.isComplete ? "complete" : "\(stage.areasComplete) of \(stage.areas) areas examined, \(Format.grouped(stage.toExamine)) ballots to go"
            let shortProgress = stage.isComplete ? "complete" : "\(stage.areasComplete)/\(stage.areas) areas"
            return (["Second stage (first + transfers \(glyphs.transfer)): \(full)\(d)\(progress)",
                     "Second stage: \(full)\(d)\(progress)",
                     "Second stage: \(brief)\(d)\(progress)",
                     "Second stage: \(brief)\(d)\(shortProgress)"], styles.warning)
        }
        if contest.status == .complete && contest.winners.isEmpty {
            if contest.system == .sv && contest.leader != nil {
                return (["Nobody has more than half of the valid votes: a second stage is needed.",
                         "Nobody has more than half: a second stage is needed."], styles.warningBand)
            }
            return (["A tie for the last place that elects: no winner until it is resolved.",
                     "A tie for the last place that elects: no winner yet."], styles.warningBand)
        }
        if contest.system == .sv && !contest.status.isFinished {
            return (["Supplementary Vote: more than 50% elects at the first stage (the line marks 50%).",
                     "Supplementary Vote: more than 50% elects at the first stage."], styles.muted)
        }
        if contest.system == .block {
            return (["\(contest.seats) seats: the first \(contest.seats) are elected when the count is complete.",
                     "\(contest.seats) seats: the first \(contest.seats) are elected."], styles.muted)
        }
        return nil
    }
}
