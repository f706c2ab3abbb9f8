import Testing
@testable import CountNightCore

/// Each method against allocations worked by hand (the same examples as
/// docs/feed-format.md, "Party lists"): lists A 100,000, B 80,000,
/// C 30,000, D 21,000 for 7 seats.
@Suite struct SeatAllocationTests {
    static let votes = [100_000, 80_000, 30_000, 21_000]

    @Test func dhondtGivesTheSeatsOfTheLargestAverages() {
        // Averages 100,000 A, 80,000 B, 50,000 A, 40,000 B, 33,333 A, 30,000 C,
        // 26,667 B; next in line A's 25,000 (divisor 4).
        let allocation = SeatAllocation(votes: Self.votes, seats: 7, rule: ListRule(method: .dhondt))
        #expect(allocation.seats == [3, 3, 1, 0])
        #expect(allocation.ties.isEmpty)
        // B keeps its third seat while (80,000 - m) / 3 > 25,000: m up to 4,999
        // (at 5,000 the averages are equal and A has more votes). A needs
        // (100,000 + n) / 4 > 26,666.67: n = 6,667.
        #expect(allocation.lastSeat == SeatAllocation.LastSeat(winner: 1, next: 0, ahead: 4_999, needed: 6_667))
    }

    @Test func sainteLagueUsesOddDivisors() {
        // Averages 100,000 A, 80,000 B, 33,333 A, 30,000 C, 26,667 B, 21,000 D,
        // 20,000 A; next B's 16,000 (divisor 5).
        let allocation = SeatAllocation(votes: Self.votes, seats: 7, rule: ListRule(method: .sainteLague))
        #expect(allocation.seats == [3, 2, 1, 1])
        // A keeps it while (100,000 - m) / 5 > 16,000: m up to 19,999 (at 20,000
        // A and B tie on average and on votes: a lot, not a seat kept). B needs
        // (80,000 + n) / 5 > 20,000: n = 20,001.
        #expect(allocation.lastSeat == SeatAllocation.LastSeat(winner: 0, next: 1, ahead: 19_999, needed: 20_001))
    }

    @Test func largestRemainderGivesWholeHareQuotasThenRemainders() {
        // Quota 231,000 / 7 = 33,000: A 3.03, B 2.42, C 0.91, D 0.64; five whole
        // seats, the two left to C (30,000 over) and D (21,000) before B (14,000).
        let allocation = SeatAllocation(votes: Self.votes, seats: 7, rule: ListRule(method: .largestRemainder))
        #expect(allocation.seats == [3, 2, 1, 1])
        // D keeps it while 7(21,000 - m) > 98,000 + 2m (the quota falls with
        // D's votes): m up to 5,444. B needs 98,000 + 5n ≥ 147,000 (equal
        // remainders go to the list with more votes): n = 9,800.
        #expect(allocation.lastSeat == SeatAllocation.LastSeat(winner: 3, next: 1, ahead: 5_444, needed: 9_800))
    }

    @Test func aListBelowTheThresholdGetsNoSeatAndTheQuotaIsOverTheOthers() {
        // Without a threshold, quota 100: A 5 r20, B 4 r20, C 0 r60: C takes the
        // tenth seat. C has 6% and the threshold is 10%: the quota is 940 / 10,
        // A 5.53, B 4.47, and the tenth seat goes to A.
        let votes = [520, 420, 60]
        #expect(SeatAllocation(votes: votes, seats: 10, rule: ListRule(method: .largestRemainder)).seats == [5, 4, 1])
        let allocation = SeatAllocation(votes: votes, seats: 10, rule: ListRule(method: .largestRemainder, threshold: 0.10))
        #expect(allocation.seats == [6, 4, 0])
        #expect(allocation.eligible == [true, true, false])
        // D'Hondt with a 5% threshold: 4.0% is out, exactly 5% is in.
        let dhondt = SeatAllocation(votes: [900, 50, 40, 10], seats: 20, rule: ListRule(method: .dhondt, threshold: 0.05))
        #expect(dhondt.eligible == [true, true, false, false])
        #expect(dhondt.seats == [19, 1, 0, 0])
    }

    @Test func equalAveragesGoToTheListWithMoreVotesAndEqualVotesToALot() {
        // Seat 2: A's second average (200 / 2) equals B's first (100): A has more votes.
        let byVotes = SeatAllocation(votes: [200, 100], seats: 2, rule: ListRule(method: .dhondt))
        #expect(byVotes.seats == [2, 0])
        #expect(byVotes.ties.isEmpty)
        // Equal votes for one seat: only a lot can decide; shown for the first.
        let lot = SeatAllocation(votes: [0, 300, 300], seats: 1, rule: ListRule(method: .sainteLague))
        #expect(lot.seats == [0, 1, 0])
        #expect(lot.ties == [SeatAllocation.SeatTie(seat: 1, lists: [1, 2], given: [1])])
        // Equal votes, enough seats for both: no lot.
        #expect(SeatAllocation(votes: [300, 300], seats: 2, rule: ListRule(method: .dhondt)).ties.isEmpty)
        // Equal remainders and equal votes at the last remainder seat.
        let remainders = SeatAllocation(votes: [50, 25, 25], seats: 3, rule: ListRule(method: .largestRemainder))
        // Quota 33.3: A one whole seat; remainders A 16.7, B 25, C 25: B and C.
        #expect(remainders.seats == [1, 1, 1])
        let hare = SeatAllocation(votes: [40, 30, 30], seats: 2, rule: ListRule(method: .largestRemainder))
        // Quota 50: no whole quotas; remainders 40, 30, 30: A, then a lot between B and C.
        #expect(hare.seats == [1, 1, 0])
        #expect(hare.ties == [SeatAllocation.SeatTie(seat: 1, lists: [1, 2], given: [1])])
    }

    @Test func noVotesNoSeats() {
        let allocation = SeatAllocation(votes: [0, 0, 0], seats: 5, rule: ListRule(method: .dhondt))
        #expect(allocation.seats == [0, 0, 0])
        #expect(allocation.lastSeat == nil)
    }

    @Test func theSeatsAlwaysAddUpAndMoreVotesNeverLoseASeat() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let lists = Int(random.next() % 6) + 2
            let votes = (0..<lists).map { _ in Int(random.next() % 5000) + 1 }
            let seats = Int(random.next() % 30) + 1
            for method in ListMethod.allCases {
                let rule = ListRule(method: method)
                let now = SeatAllocation.seatsOnly(votes: votes, seats: seats, rule: rule)
                #expect(now.reduce(0, +) == seats)
                var more = votes
                more[0] += Int(random.next() % 2000)
                #expect(SeatAllocation.seatsOnly(votes: more, seats: seats, rule: rule)[0] >= now[0] || method == .largestRemainder)
            }
        }
    }

    @Test func theListSeatDrawsAreTheBlockSeatChancesDraws() {
        // One sampler for both: the block contests' seat chances are the
        // shares of NormalDraws' results in which each candidate is placed
        // to take a seat, ties in ballot order.
        let totals = [5200.0, 4900, 800]
        let covariance = [40_000.0, -30_000, -10_000, -30_000, 35_000, -5_000, -10_000, -5_000, 15_000]
        var wins = [0, 0, 0]
        NormalDraws.draw(mean: totals, covariance: covariance, count: 2000) { drawn in
            for i in 0..<3 {
                let ahead = (0..<3).filter { j in j != i && (drawn[j] > drawn[i] || (drawn[j] == drawn[i] && j < i)) }.count
                if ahead < 2 { wins[i] += 1 }
            }
        }
        #expect(wins.map { Double($0) / 2000 } == ProjectionModel.seatChances(totals: totals, covariance: covariance, seats: 2))
    }
}
