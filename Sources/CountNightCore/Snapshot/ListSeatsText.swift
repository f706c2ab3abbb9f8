/// Party lists' seats in words, for every text that shows them (the text
/// report, the snapshot line, the dashboard).
extension ContestSnapshot {
    /// `last seat: VVD ahead by 312; CDA needs 313 to take it`; nil before any vote.
    public var lastSeatText: String? {
        guard let last = seatAllocation?.lastSeat else { return nil }
        let name = { (index: Int) in self.candidates.first { $0.electionIndex == index }?.name ?? "" }
        return "last seat: \(name(last.winner)) ahead by \(Format.grouped(last.ahead)); \(name(last.next)) needs \(Format.grouped(last.needed)) to take it"
    }

    /// `7 seats`, and while the count goes on with a projection `projected 6-8`.
    public func seatsText(_ candidate: CandidateResult, projected ranges: [ListSeatRange]?) -> String? {
        guard let seats = candidate.seats else { return nil }
        var text = "\(seats) seat\(seats == 1 ? "" : "s")"
        if !status.isFinished, let range = ranges?.first(where: { $0.id == candidate.id }), seatProjection?.basis == .projected {
            text += range.low == range.high ? ", projected \(range.low)" : ", projected \(range.low)-\(range.high)"
        }
        return text
    }
}
