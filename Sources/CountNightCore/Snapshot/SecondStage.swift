/// Supplementary Vote's second stage: when the first stage is complete and
/// nobody has more than half of the valid votes, the two leaders go through,
/// and the second preferences for them on the other candidates' ballots are
/// added to their first preferences.
public struct SecondStage: Equatable, Sendable {
    /// The two finalists, most first preferences first.
    public let finalists: [String]
    public let firstPreferences: [Int]
    /// Second preferences for each finalist, counted so far.
    public let transfers: [Int]
    /// Examined ballots whose second preference was for nobody still in the race
    /// (second preferences for eliminated candidates included).
    public let nonTransferable: Int
    public var totals: [Int] { zip(firstPreferences, transfers).map { $0 + $1 } }
    /// Areas whose transfers and non-transferable ballots reach the first
    /// preferences of the eliminated candidates there.
    public let areasComplete: Int
    public let areas: Int
    /// Ballots of eliminated candidates not yet examined, in the areas not complete.
    public let toExamine: Int
    /// Per area: transfers to each finalist and ballots examined, for the projection.
    let areaTransfers: [(first: Int, second: Int, examined: Int)]

    public var isComplete: Bool { areasComplete == areas }
    /// The elected finalist once complete; nil before, and on a tie.
    public var winner: String? {
        guard isComplete, totals[0] != totals[1] else { return nil }
        return totals[0] > totals[1] ? finalists[0] : finalists[1]
    }
    public var isTied: Bool { isComplete && totals[0] == totals[1] }

    public static func == (a: SecondStage, b: SecondStage) -> Bool {
        a.finalists == b.finalists && a.firstPreferences == b.firstPreferences && a.transfers == b.transfers
            && a.nonTransferable == b.nonTransferable && a.areasComplete == b.areasComplete && a.areas == b.areas
            && a.toExamine == b.toExamine
    }

    /// The second stage of a contest whose first stage is complete, and what
    /// is worth a warning; no stage when someone passed half, nothing was
    /// counted, or the second place is tied (then decided by lot).
    static func make(tally: ContestTally) -> (stage: SecondStage?, warnings: [Warning]) {
        let contest = tally.contest
        let votes = tally.votes
        let valid = votes.reduce(0, +)
        let order = Contest.ranking(votes)
        guard valid > 0, !Contest.isMajority(votes[order[0]], of: valid), order.count >= 2 else { return (nil, []) }
        let name = { (index: Int) in contest.candidates[index].name }
        if order.count > 2 && votes[order[1]] == votes[order[2]] {
            let tied = order.filter { votes[$0] == votes[order[1]] }.map(name).joined(separator: ", ")
            return (nil, [Warning(box: nil, message: "second place is tied between \(tied): who goes to the second stage is decided by lot")])
        }
        let finalists = [order[0], order[1]]
        var warnings: [Warning] = []
        for index in contest.candidates.indices where !finalists.contains(index) && tally.transfers[index] > 0 {
            warnings.append(Warning(box: nil, message: "second preferences for \(name(index)) are not counted: \(Format.grouped(tally.transfers[index])) found, but only \(name(order[0])) and \(name(order[1])) are in the second stage"))
        }
        var complete = 0, toExamine = 0
        var perArea: [(first: Int, second: Int, examined: Int)] = []
        for index in tally.areas.indices {
            let area = tally.areas[index]
            let eliminated = contest.candidates.indices.filter { !finalists.contains($0) }.reduce(0) { $0 + area.votes[$1] }
            let examined = area.transfers.reduce(0, +) + area.nonTransferable
            if examined >= eliminated { complete += 1 } else { toExamine += eliminated - examined }
            perArea.append((area.transfers[finalists[0]], area.transfers[finalists[1]], examined))
        }
        let transfers = finalists.map { tally.transfers[$0] }
        let others = contest.candidates.indices.filter { !finalists.contains($0) }.reduce(0) { $0 + tally.transfers[$1] }
        let stage = SecondStage(finalists: finalists.map { contest.candidates[$0].id }, firstPreferences: finalists.map { votes[$0] },
                                transfers: transfers, nonTransferable: tally.nonTransferable + others,
                                areasComplete: complete, areas: tally.areas.count, toExamine: toExamine, areaTransfers: perArea)
        if stage.isTied {
            warnings.append(Warning(box: nil, message: "the finalists tie at \(Format.grouped(stage.totals[0])): the winner is decided by lot"))
        }
        return (stage, warnings)
    }
}
