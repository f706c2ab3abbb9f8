/// A snapshot written out for a person: a few lines per contest.
public struct SnapshotReport {
    public let snapshot: Snapshot

    public static let warningsShown = 10

    public init(snapshot: Snapshot) { self.snapshot = snapshot }

    public var text: String {
        var lines: [String] = []
        lines.append(snapshot.title + (snapshot.rehearsal ? "  [REHEARSAL]" : ""))
        lines.append("as of \(RFC3339.format(snapshot.time))")
        for contest in snapshot.contests {
            lines.append("")
            lines.append("\(contest.title) (\(contest.system.rawValue)\(contest.seats > 1 ? ", \(contest.seats) seats" : "")): \(contest.status.label)")
            let progress = contest.ballotPapers == 0 ? 0 : Double(contest.countedBallots) / Double(contest.ballotPapers)
            lines.append("  boxes: \(contest.boxesVerified) of \(contest.boxesTotal) verified, \(contest.boxesCovered) of \(contest.boxesTotal) counted")
            // Ballots counted twice raise the papers with them: the progress alone would look whole.
            let notAddingUp = contest.warnings.contains(where: \.doesNotAddUp) ? "; the figures do not add up, see the warnings" : ""
            lines.append("  ballots counted: \(Format.grouped(contest.countedBallots)) of \(Format.grouped(contest.ballotPapers)) ballot papers (\(Format.percent(progress)))\(notAddingUp)")
            if let turnout = contest.turnout, let electorate = contest.electorate {
                lines.append("  turnout: \(Format.percent(turnout)) of \(Format.grouped(electorate))")
            } else {
                lines.append("  turnout: unknown (no electorate in election.json)")
            }
            lines.append("  valid votes: \(Format.grouped(contest.valid)); rejected: \(Format.grouped(contest.rejected))")
            let seatRanges = contest.seatProjection?.ranges
            let nameWidth = contest.candidates.map { $0.name.count + ($0.party.map { $0.count + 3 } ?? 0) }.max() ?? 0
            for candidate in contest.candidates {
                var label = candidate.name + (candidate.party.map { " (\($0))" } ?? "")
                label += String(repeating: " ", count: max(0, nameWidth - label.count))
                let votes = Format.grouped(candidate.votes)
                let share = Format.percent(candidate.share)
                var line = "  \(label)  \(String(repeating: " ", count: max(0, 11 - votes.count)))\(votes)  \(String(repeating: " ", count: max(0, 7 - share.count)))\(share)"
                if let seats = contest.seatsText(candidate, projected: seatRanges) { line += "  " + seats }
                if contest.winners.contains(candidate.id) {
                    line += "  ELECTED"
                } else if contest.leader == candidate.id {
                    line += "  leading"
                }
                lines.append(line)
            }
            if let lastSeat = contest.lastSeatText { lines.append("  " + lastSeat) }
            if let majority = contest.majority {
                lines.append("  \(contest.majorityName): \(Format.grouped(majority))")
            }
            lines.append("  projection: \(contest.projectionHeadline)")
            if let basis = contest.callBasis { lines.append("  the call rests on: \(basis)") }
            if let hurdle = contest.hurdleText { lines.append("  \(hurdle)") }
            if contest.projection.status != .final, !contest.projection.shares.isEmpty {
                let ranges = contest.projection.shares.prefix(4).compactMap { share -> String? in
                    guard let name = contest.name(of: share.id) else { return nil }
                    return "\(name) \(Format.percent(share.low, decimals: 1))-\(Format.percent(share.high, decimals: 1))"
                }
                lines.append("  projected final shares (90%): " + ranges.joined(separator: ", "))
            }
            if let stage = contest.secondStage {
                let names = contest.names(of: stage.finalists)
                lines.append("  nobody has more than half of the valid votes: second stage between \(names.joined(separator: " and "))")
                for (index, name) in names.enumerated() {
                    lines.append("    \(name): \(Format.grouped(stage.firstPreferences[index])) + \(Format.grouped(stage.transfers[index])) transfers = \(Format.grouped(stage.totals[index]))")
                }
                lines.append("    non-transferable \(Format.grouped(stage.nonTransferable)); \(stage.areasComplete) of \(stage.areas) areas examined, \(Format.grouped(stage.toExamine)) ballots still to examine")
            } else if contest.status == .complete && contest.winners.isEmpty {
                lines.append(contest.system == .sv ? "  second place is tied: the finalists are decided by lot" : "  a tie: no winner")
            }
            // A report is read by a person: a long list of warnings is cut short.
            for warning in contest.warnings.prefix(SnapshotReport.warningsShown) { lines.append("  warning: \(warning.message)") }
            if contest.warnings.count > SnapshotReport.warningsShown {
                lines.append("  and \(contest.warnings.count - SnapshotReport.warningsShown) more warnings (the JSON snapshot lists them all)")
            }
        }
        if !snapshot.refusedFiles.isEmpty || !snapshot.conflicts.isEmpty {
            lines.append("")
            lines.append(contentsOf: CheckReport.unescapedFileLines(snapshot).map { "refused or in conflict: " + $0 })
        }
        return lines.map(TextEscape.line).joined(separator: "\n")
    }
}

/// What `check` prints: every refused file and every conflict, `file: reason`,
/// then every place where the figures do not add up, `contest: what`.
public enum CheckReport {
    /// One line each, escaped for a terminal.
    public static func lines(_ snapshot: Snapshot) -> [String] {
        var lines = unescapedFileLines(snapshot)
        for contest in snapshot.contests {
            for warning in contest.warnings where warning.doesNotAddUp {
                lines.append("\(contest.id): does not add up: \(warning.message)")
            }
        }
        return lines.map(TextEscape.line)
    }

    /// Refused files and conflicts alone, as they are.
    static func unescapedFileLines(_ snapshot: Snapshot) -> [String] {
        var lines = snapshot.refusedFiles.map { "\($0.file): \($0.reason)" }
        for conflict in snapshot.conflicts {
            lines.append("\(conflict.files.joined(separator: ", ")): conflict: \(conflict.consequence)")
        }
        return lines
    }

    /// Figures that do not add up, over all contests.
    public static func notAddingUp(_ snapshot: Snapshot) -> Int {
        snapshot.contests.reduce(0) { $0 + $1.warnings.filter(\.doesNotAddUp).count }
    }

    /// Whether `check` fails: something refused, in conflict, or not adding up.
    public static func fails(_ snapshot: Snapshot) -> Bool {
        !snapshot.refusedFiles.isEmpty || !snapshot.conflicts.isEmpty || notAddingUp(snapshot) > 0
    }
}
