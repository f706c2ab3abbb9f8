import CountNightCore

/// On a big screen (160×48 and up) the overview opens with a headline to
/// be read across the hall: the share of the elected or the leader in large
/// digits, and beside it the state of the result, the name and the majority.
enum HallHeadline {
    /// Rows taken: the digits are five rows high, with a row above and below.
    static let height = 7

    /// Digits five rows high, three cells wide (each cell drawn two columns
    /// wide); "#" is a filled cell.
    static let font: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"],
        ".": [" ", " ", " ", " ", "#"],
        "%": ["# #", "  #", " # ", "#  ", "# #"],
        "-": ["   ", "   ", "###", "   ", "   "],
    ]

    /// `text` in large digits: five rows, each the same width.
    static func big(_ text: String, glyphs: Glyphs) -> [String] {
        (0..<5).map { row in
            text.map { character -> String in
                let pattern = font[character]?[row] ?? "   "
                return pattern.map { $0 == "#" ? String(repeating: glyphs.full, count: 2) : "  " }.joined()
            }.joined(separator: " ")
        }
    }

    /// Who the headline is about, the share shown in large digits, and the
    /// word for the state of the result.
    static func subject(_ contest: ContestSnapshot, glyphs: Glyphs = .unicode) -> (id: String?, share: Double?, word: String) {
        let d = " \(glyphs.dot) "
        let projection = contest.projection
        let id = contest.winners.first ?? (projection.isCall(finished: contest.status.isFinished) ? projection.winners.first : nil)
            ?? contest.leader
        var share = id.flatMap { contest.candidate($0)?.share }
        // After a second stage, the winner's share of the final votes.
        if let id, let stage = contest.secondStage, let totals = contest.finalTotals, let index = stage.finalists.firstIndex(of: id),
           totals.reduce(0, +) > 0 {
            share = Double(totals[index]) / Double(totals.reduce(0, +))
        }
        let word: String
        if !contest.winners.isEmpty {
            word = contest.status == .declared ? "DECLARED ELECTED" : (contest.recountPossible ? "ELECTED\(d)RECOUNT POSSIBLE" : "ELECTED")
        } else {
            switch projection.status {
            case .projected: word = "PROJECTED WINNER"
            case .certain: word = "WINNER CERTAIN"
            case .secondStage: word = contest.status == .complete ? "SECOND STAGE" : "LEADING\(d)SECOND STAGE EXPECTED"
            case .tied: word = "TIED"
            case .final: word = "ELECTED"
            case .tooEarly: word = contest.countedBallots == 0 ? "AWAITING THE COUNT" : (contest.status == .secondStage ? "SECOND STAGE" : "LEADING\(d)TOO EARLY TO CALL")
            }
        }
        return (id, share, word)
    }

    static func render(_ grid: inout Grid, _ page: Page, _ rect: Rect) {
        let (contest, styles, glyphs) = (page.contest, page.styles, page.glyphs)
        let (id, share, word) = subject(contest, glyphs: glyphs)
        let digits = big(share.map { Format.percent($0, decimals: 1) } ?? "--", glyphs: glyphs)
        let candidate = id.flatMap { contest.candidate($0) }
        let colour = candidate.map { styles.candidate($0) } ?? .default
        let x0 = 4
        for (row, line) in digits.enumerated() {
            grid.put(line, x: x0, y: rect.y + 1 + row, style: Style(foreground: colour, bold: true))
        }
        let textX = x0 + DisplayWidth.of(digits[0]) + 6
        let room = rect.width - textX - 2
        var y = rect.y + 1
        let status = contest.winners.isEmpty ? OverviewView.headlineStyle(contest.projection.status, styles) : styles.elected
        grid.put(DisplayWidth.truncate(" \(word) ", to: room, glyphs: glyphs), x: textX, y: y, style: status)
        y += 2
        if let candidate {
            let names = contest.winners.count > 1 ? contest.names(of: contest.winners).joined(separator: ", ") : candidate.name
            grid.put(DisplayWidth.truncate(names, to: room, glyphs: glyphs), x: textX, y: y, style: styles.strong)
            if contest.winners.count <= 1, let party = candidate.party, DisplayWidth.of(names) + 3 + DisplayWidth.of(party) <= room {
                grid.put(party, x: textX + DisplayWidth.of(names) + 3, y: y, style: styles.muted)
            }
            y += 1
            var line = "\(Format.grouped(candidate.votes)) votes"
            if let transfers = contest.transfers(of: candidate.id) {
                line += " + \(Format.grouped(transfers)) transfers"
                if let share { line += " = \(Format.percent(share, decimals: 1)) of the votes in the final" }
            }
            if let majority = contest.majority { line += "   majority \(Format.grouped(majority))" }
            grid.put(DisplayWidth.truncate(line, to: room, glyphs: glyphs), x: textX, y: y, style: styles.strong)
            y += 1
        }
        let counted = contest.status.isFinished ? "count complete" : "\(Format.percent(contest.projection.counted, decimals: 0)) of all ballots expected counted"
        let last = contest.standing ?? counted
        grid.put(DisplayWidth.truncate(last, to: room, glyphs: glyphs), x: textX, y: y, style: styles.plain)
    }
}
