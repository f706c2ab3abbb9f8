/// How a party-list contest turns votes into seats (docs/feed-format.md,
/// "Party lists", works an example of each).
public enum ListMethod: String, Equatable, Sendable, CaseIterable {
    /// Largest averages with divisors 1, 2, 3, ...
    case dhondt
    /// Largest averages with divisors 1, 3, 5, ...
    case sainteLague = "sainte-lague"
    /// Hare quota (valid votes of the lists in the race over the seats):
    /// each list its whole quotas, the seats left to the largest remainders.
    case largestRemainder = "largest-remainder"

    public var label: String {
        switch self {
        case .dhondt: return "D'Hondt"
        case .sainteLague: return "Sainte-Laguë"
        case .largestRemainder: return "largest remainder (Hare)"
        }
    }
}

/// A party-list contest's rule: the method, and the share of the valid votes
/// a list needs for any seat.
public struct ListRule: Equatable, Sendable {
    public let method: ListMethod
    /// A fraction of the valid votes (0.05 for 5%); a list below it gets no seat.
    public let threshold: Double?

    public init(method: ListMethod, threshold: Double? = nil) {
        self.method = method
        self.threshold = threshold
    }
}

/// The seats each list would have on some votes: the one place where the
/// seat rule of a party-list contest is applied (snapshot, screens, the
/// projection's seat ranges and the last seat's margin all come here).
public struct SeatAllocation: Equatable, Sendable {
    /// Seats per list, in election.json order.
    public let seats: [Int]
    /// Whether each list passed the threshold (all true without one).
    public let eligible: [Bool]
    /// Seats the rule could not tell apart (equal averages or remainders and
    /// equal votes in all): given in election.json order, to be drawn by lot.
    public let ties: [SeatTie]
    /// Which list took the last seat, and which would have had it next.
    public let lastSeat: LastSeat?

    /// Who won the last seat awarded and who comes next, in votes.
    public struct LastSeat: Equatable, Sendable {
        /// The list that took it, and the list next in line (election.json indices).
        public let winner: Int
        public let next: Int
        /// The most votes the winner could lose and still keep the seat
        /// outright (a tie to be drawn by lot is not keeping it).
        public let ahead: Int
        /// The fewest votes the next list would need to gain to take it
        /// outright, everything else as counted.
        public let needed: Int
    }

    public struct SeatTie: Equatable, Sendable {
        /// The first seat of the tie, counted from 1 (for largest remainder,
        /// the first seat given on remainders).
        public let seat: Int
        /// The lists tied, and those that got the seats in election.json order.
        public let lists: [Int]
        public let given: [Int]
    }

    /// Allocates `seats` among lists with these valid votes.
    ///
    /// Ties, where the law is silent or says "by lot": equal averages (or
    /// remainders) go first to the list with more votes in all, as Spain's and
    /// several other D'Hondt laws say; lists equal in that too are a tie to be
    /// drawn by lot, reported in `ties`, and given here in election.json order.
    public init(votes: [Int], seats: Int, rule: ListRule) {
        self.init(votes: votes, seats: seats, rule: rule, withMargin: true)
    }

    private init(votes: [Int], seats total: Int, rule: ListRule, withMargin: Bool) {
        let valid = votes.reduce(0, +)
        let eligible = votes.map { list in
            guard let threshold = rule.threshold, valid > 0 else { return true }
            return Double(list) >= threshold * Double(valid)
        }
        self.eligible = eligible
        let inRace = votes.indices.filter { eligible[$0] && votes[$0] > 0 }
        var seats = [Int](repeating: 0, count: votes.count)
        var ties: [SeatTie] = []
        var last: (winner: Int, next: Int)?
        // Larger first: more votes in all before election.json order.
        func before(_ a: Int, _ b: Int) -> Bool { votes[a] != votes[b] ? votes[a] > votes[b] : a < b }

        if !inRace.isEmpty && total > 0 {
            switch rule.method {
            case .dhondt, .sainteLague:
                let step = rule.method == .dhondt ? 1 : 2
                // The average a list offers for its next seat, as a fraction
                // votes / divisor: compared by cross-multiplying, exactly.
                func divisor(_ list: Int) -> Int { step * seats[list] + 1 }
                func higher(_ a: Int, _ b: Int) -> Int {
                    let left = votes[a] * divisor(b), right = votes[b] * divisor(a)
                    return left > right ? 1 : (left < right ? -1 : 0)
                }
                var seat = 0
                var lastWinner = inRace[0]
                while seat < total {
                    var best = inRace[0]
                    for list in inRace.dropFirst() {
                        let order = higher(list, best)
                        if order > 0 || (order == 0 && before(list, best)) { best = list }
                    }
                    // Lists with the same average and the same votes take the next
                    // seats one each; a lot only matters when too few are left.
                    // (Only where fewer seats are left than lists could a lot matter.)
                    let tied = ties.isEmpty && total - seat < inRace.count
                        ? inRace.filter { higher($0, best) == 0 && votes[$0] == votes[best] } : []
                    if tied.count > total - seat {
                        let given = Array(tied.sorted().prefix(total - seat))
                        ties.append(SeatTie(seat: seat + 1, lists: tied.sorted(), given: given))
                    }
                    seats[best] += 1
                    lastWinner = best
                    seat += 1
                }
                var next: Int?
                for list in inRace where list != lastWinner && (next == nil || higher(list, next!) > 0 || (higher(list, next!) == 0 && before(list, next!))) {
                    next = list
                }
                if let next { last = (lastWinner, next) }
            case .largestRemainder:
                let pool = inRace.reduce(0) { $0 + votes[$1] }
                // Quota = pool / seats: whole quotas are votes x seats / pool, and the
                // remainders are compared as (votes x seats) mod pool, exactly.
                var remainder = [Int](repeating: 0, count: votes.count)
                for list in inRace {
                    seats[list] = votes[list] * total / pool
                    remainder[list] = votes[list] * total % pool
                }
                let left = total - seats.reduce(0, +)
                let order = inRace.sorted { remainder[$0] != remainder[$1] ? remainder[$0] > remainder[$1] : before($0, $1) }
                for list in order.prefix(left) { seats[list] += 1 }
                if left > 0, left < order.count {
                    let edge = order[left - 1]
                    let tied = order.filter { remainder[$0] == remainder[edge] && votes[$0] == votes[edge] }
                    if tied.count > 1 && tied.contains(order[left]) {
                        let given = tied.filter { order.prefix(left).contains($0) }
                        ties.append(SeatTie(seat: total - left + 1, lists: tied.sorted(), given: given.sorted()))
                    }
                    last = (order[left - 1], order[left])
                }
            }
        }
        // The lists that never entered the race (below the threshold) can
        // still be next: take the strongest of them if no list in the race is.
        if last == nil, total > 0, let winner = seats.indices.filter({ seats[$0] > 0 }).min(by: { before($1, $0) }),
           let next = votes.indices.filter({ $0 != winner && !inRace.contains($0) }).min(by: before) {
            last = (winner, next)
        }
        self.seats = seats
        self.ties = ties
        if let last, withMargin {
            let winnerSeats = seats[last.winner], nextSeats = seats[last.next]
            let ahead = SeatAllocation.largest(upTo: votes[last.winner]) { loss in
                var changed = votes
                changed[last.winner] -= loss
                let after = SeatAllocation(votes: changed, seats: total, rule: rule, withMargin: false)
                return after.seats[last.winner] >= winnerSeats && !after.drawsLots(last.winner)
            }
            let needed = SeatAllocation.smallest { gain in
                var changed = votes
                changed[last.next] += gain
                let after = SeatAllocation(votes: changed, seats: total, rule: rule, withMargin: false)
                return after.seats[last.next] > nextSeats && !after.drawsLots(last.next)
            }
            lastSeat = needed.map { LastSeat(winner: last.winner, next: last.next, ahead: ahead, needed: $0) }
        } else {
            lastSeat = nil
        }
    }

    /// Whether a list's seats hang on a lot: margins count only seats held outright.
    func drawsLots(_ list: Int) -> Bool { ties.contains { $0.lists.contains(list) } }

    /// The largest n in 0...limit for which `holds` (true at 0, and
    /// assumed to stay false once false: more votes lost never gain a seat).
    private static func largest(upTo limit: Int, _ holds: (Int) -> Bool) -> Int {
        var low = 0, high = limit
        while low < high {
            let mid = low + (high - low + 1) / 2
            if holds(mid) { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The smallest n ≥ 1 for which `holds`, searched by doubling up to
    /// the feed's largest figure; nil if even that is not enough.
    private static func smallest(_ holds: (Int) -> Bool) -> Int? {
        var high = 1
        while !holds(high) {
            if high >= 4 * ElectionFile.maxFigure { return nil }
            high *= 2
        }
        var low = high / 2 + 1
        if high == 1 { return 1 }
        while low < high {
            let mid = low + (high - low) / 2
            if holds(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The seats alone, without the last seat's margin: for the projection's
    /// thousands of simulated results.
    static func seatsOnly(votes: [Int], seats: Int, rule: ListRule) -> [Int] {
        SeatAllocation(votes: votes, seats: seats, rule: rule, withMargin: false).seats
    }

    /// Whether any ballots left could move a seat: false only when no list,
    /// given every one of them, would gain a seat. For the largest-averages
    /// methods that settles every list (docs/feed-format.md); for largest
    /// remainder it is the same test.
    static func couldMove(votes: [Int], seats: Int, rule: ListRule, ballotsLeft: Int) -> Bool {
        guard ballotsLeft > 0 else { return false }
        let now = seatsOnly(votes: votes, seats: seats, rule: rule)
        for list in votes.indices {
            var changed = votes
            changed[list] += ballotsLeft
            if seatsOnly(votes: changed, seats: seats, rule: rule) != now { return true }
        }
        return false
    }
}

extension Contest {
    /// The seats each list would have on these votes (election.json order);
    /// nil for a contest that is not a party list.
    public func allocateSeats(_ votes: [Int]) -> SeatAllocation? {
        listRule.map { SeatAllocation(votes: votes, seats: seats, rule: $0) }
    }
}
