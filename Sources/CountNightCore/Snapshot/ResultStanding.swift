extension ContestSnapshot {
    /// The majority: the winner's (or leader's) votes over the runner-up's
    /// on the figures that decide the result (the final totals after a
    /// second stage); for a block contest, the margin at the last seat that
    /// elects. nil while nothing is counted.
    public var majority: Int? {
        guard valid > 0 else { return nil }
        if let totals = finalTotals, totals.count == 2 { return abs(totals[0] - totals[1]) }
        let lastSeat = electedCount - 1
        return candidates[lastSeat].votes - candidates[lastSeat + 1].votes
    }

    /// What `majority` is called, in lower case: the margin at the last seat
    /// of a block vote, the first list's lead for party lists (whose seats
    /// the last seat's margin decides), the majority otherwise.
    public var majorityName: String {
        switch system {
        case .block: "margin at seat \(seats)"
        case .list: "lead of the first list"
        case .fptp, .sv: "majority"
        }
    }

    /// The finalists' totals after a second stage, in the order of
    /// `secondStage.finalists`: declared figures once declared.
    public var finalTotals: [Int]? {
        guard let stage = secondStage else { return nil }
        guard let declaration, let transfers = declaration.transfers else { return stage.totals }
        return stage.finalists.map { id in (candidate(id)?.votes ?? 0) + (transfers[id] ?? 0) }
    }

    /// A finalist's transfers at the second stage (the declared ones once
    /// declared); nil for a candidate who is not a finalist.
    public func transfers(of id: String) -> Int? {
        guard let stage = secondStage, let index = stage.finalists.firstIndex(of: id) else { return nil }
        return declaration?.transfers?[id] ?? stage.transfers[index]
    }

    /// The votes the majority is measured against: the final totals after a
    /// second stage, else the valid votes.
    public var decidingVotes: Int { finalTotals.map { $0.reduce(0, +) } ?? valid }

    /// A finished count whose majority is within the recount margin: a
    /// candidate may ask for a recount, and the result may yet change.
    public var recountPossible: Bool {
        guard status.isFinished, !winners.isEmpty, let majority, decidingVotes > 0 else { return false }
        return Double(majority) <= recountMargin * Double(decidingVotes)
    }

    /// How firm a finished result is, in words: the count's result awaiting
    /// its declaration, or a recount possible. nil while counting and once
    /// declared with a clear majority.
    public var standing: String? {
        guard status.isFinished, !winners.isEmpty else { return nil }
        if recountPossible, let majority {
            let limit = Int((recountMargin * Double(decidingVotes)).rounded(.down))
            return "RECOUNT POSSIBLE: majority \(Format.grouped(majority)) is within the recount margin (\(Format.percent(recountMargin, decimals: 1)) of \(Format.grouped(decidingVotes)) votes, \(Format.grouped(limit)))"
        }
        if status == .complete { return "the count's result, awaiting declaration" }
        return nil
    }
}
