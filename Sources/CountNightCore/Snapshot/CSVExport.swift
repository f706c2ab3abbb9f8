/// The snapshot as CSV (RFC 4180): one row per unit and candidate, for
/// spreadsheets and pandas. docs/exports.md lists the columns.
public enum CSVUnit: String, Sendable, CaseIterable {
    case contest, area, box
}

/// A box's own votes: the box-level counts in force, added up. Boxes counted
/// only in their area's mixed bundles have none (their votes cannot be told apart).
public struct BoxResult: Equatable, Sendable {
    public let row: BoxRow
    /// Per candidate in election.json order; nil without a box-level count.
    public let votes: [Int]?
    public let rejected: Int?
}

extension Tally {
    /// Every box of a contest with its own counted votes, in election.json order.
    public func boxResults(contest index: Int) -> [BoxResult] {
        let contest = election.contests[index]
        var votes = [[Int]?](repeating: nil, count: contest.boxes.count)
        var rejected = [Int?](repeating: nil, count: contest.boxes.count)
        for batch in batchesInForce() where batch.contest == index {
            guard case .box(let box) = batch.target, let count = batch.figures.voteCount else { continue }
            let sum = votes[box] ?? [Int](repeating: 0, count: contest.candidates.count)
            votes[box] = zip(sum, count.votes).map { $0 + $1 }
            rejected[box] = (rejected[box] ?? 0) + count.rejectedTotal
        }
        return zip(boxRows(contest: index), contest.boxes.indices).map { row, box in
            BoxResult(row: row, votes: votes[box], rejected: rejected[box])
        }
    }
}

extension Snapshot {
    public static let csvHeader = ["contest", "unit_type", "unit", "area", "candidate_id", "candidate", "party",
                                   "votes", "share", "seats", "rejected", "counted_ballots", "status", "elected"]

    /// The rows, header first, each line ending CRLF as RFC 4180 says.
    /// `boxes` (from `Tally.boxResults`, one list per contest) is needed for `.box`.
    public func csv(by unit: CSVUnit, boxes: [[BoxResult]] = []) -> String {
        var lines = [Self.csvHeader.map(CSV.field).joined(separator: ",")]
        func share(_ votes: Int, of valid: Int) -> String { valid == 0 ? "0" : String(Double(votes) / Double(valid)) }
        for (contestIndex, contest) in contests.enumerated() {
            let ordered = contest.candidates.sorted { $0.electionIndex < $1.electionIndex }
            func row(_ unitType: String, _ unitName: String, _ area: String, _ candidate: CandidateResult, votes: String, share: String,
                     seats: String, rejected: String, counted: String, status: String, elected: String) {
                lines.append([contest.id, unitType, unitName, area, candidate.id, candidate.name, candidate.party ?? "", votes, share,
                              seats, rejected, counted, status, elected].map(CSV.field).joined(separator: ","))
            }
            switch unit {
            case .contest:
                for candidate in contest.candidates {
                    row("contest", contest.id, "", candidate, votes: String(candidate.votes), share: String(candidate.share),
                        seats: candidate.seats.map(String.init) ?? "", rejected: String(contest.rejected),
                        counted: String(contest.countedBallots), status: contest.status.rawValue,
                        elected: contest.winners.contains(candidate.id) ? "true" : "false")
                }
            case .area:
                assert(!contest.areas.isLeftOut, "rows by area need the snapshot made with the areas")
                for area in contest.areas {
                    let valid = area.votes.reduce(0, +)
                    let status = area.coveredBoxes == area.boxes ? "complete"
                        : area.countedBallots > 0 ? "counting" : area.verifiedBoxes > 0 ? "verifying" : "awaiting"
                    // A block ballot has several votes: its rejected ballots are not the ballots less the votes.
                    let rejected = contest.system == .block ? "" : String(area.countedBallots - valid)
                    for candidate in ordered {
                        let votes = area.votes[candidate.electionIndex]
                        row("area", area.name, area.name, candidate, votes: String(votes), share: share(votes, of: valid), seats: "",
                            rejected: rejected, counted: String(area.countedBallots), status: status, elected: "")
                    }
                }
            case .box:
                let results = contestIndex < boxes.count ? boxes[contestIndex] : []
                for result in results {
                    let valid = result.votes?.reduce(0, +) ?? 0
                    for candidate in ordered {
                        let votes = result.votes?[candidate.electionIndex]
                        row("box", result.row.id, result.row.area, candidate, votes: votes.map(String.init) ?? "",
                            share: votes.map { share($0, of: valid) } ?? "", seats: "", rejected: result.rejected.map(String.init) ?? "",
                            counted: result.row.countedBallots.map(String.init) ?? "", status: result.row.state.rawValue, elected: "")
                    }
                }
            }
        }
        return lines.map { $0 + "\r\n" }.joined()
    }
}

enum CSV {
    /// RFC 4180: a field with a comma, a quote, CR or LF is quoted, quotes doubled.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingQuotes() + "\""
    }
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out
    }
}
