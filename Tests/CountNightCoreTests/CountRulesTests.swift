import Testing
@testable import CountNightCore

/// The rules of the count, each in one place, as the screens and reports use them.
@Suite struct CountRulesTests {
    @Test func aTieKeepsBallotOrderAndOvertakingReordersTheCandidates() {
        #expect(Contest.ranking([5, 9, 9, 1]) == [1, 2, 0, 3])
        #expect(Contest.ranking([0.5, 0.25, 0.5]) == [0, 2, 1])
        var tally = Tally(election: Fixtures.election())
        tally.read("n1", Fixtures.count(box: "N1", ann: 40, bob: 40, cat: 10))
        // Tied: Ann stands first on the ballot, so first on the screen.
        #expect(tally.mayor.candidates.map(\.id) == ["ann", "bob", "cat"])
        tally.read("s1", Fixtures.count(box: "S1", ann: 10, bob: 30, cat: 0))
        #expect(tally.mayor.candidates.map(\.id) == ["bob", "ann", "cat"])
        #expect(tally.mayor.candidates.map(\.electionIndex) == [1, 0, 2])
    }

    /// The ranking is most votes first and ballot order within a tie, for
    /// any number of candidates (a few are ranked by insertion, many by sorting).
    @Test func theRankingIsMostVotesFirstWithTiesInBallotOrder() {
        var random = SplitMix64(seed: 11)
        for round in 0..<2000 {
            let count = round < 1900 ? Int(random.next() % 12) : Int(30 + random.next() % 10)
            let votes = (0..<count).map { _ in Int(random.next() % 6) }
            let order = Contest.ranking(votes)
            #expect(order.sorted() == Array(votes.indices), "\(votes)")
            for (a, b) in zip(order, order.dropFirst()) {
                #expect(votes[a] > votes[b] || (votes[a] == votes[b] && a < b), "\(votes): \(order)")
            }
            let shares = votes.map { Double($0) / 7 }
            #expect(Contest.ranking(shares) == order)
        }
    }

    @Test func anAreaHasALeaderOnlyWhenOneCandidateIsAloneAtTheTop() {
        #expect(Contest.soleLeader([5, 9, 2]) == 1)
        #expect(Contest.soleLeader([9, 5, 9]) == nil)
        #expect(Contest.soleLeader([9, 9, 12]) == 2)
        #expect(Contest.soleLeader([0, 0, 0]) == nil)
        #expect(Contest.soleLeader([3]) == 0)
        #expect(Contest.soleLeader([0]) == nil)
        #expect(Contest.soleLeader([]) == nil)
        // The same as the first of the ranking when it stands alone.
        var random = SplitMix64(seed: 5)
        for _ in 0..<500 {
            let votes = (0..<Int(1 + random.next() % 5)).map { _ in Int(random.next() % 4) }
            let order = Contest.ranking(votes)
            let alone = votes[order[0]] > 0 && (order.count == 1 || votes[order[0]] > votes[order[1]])
            #expect(Contest.soleLeader(votes) == (alone ? order[0] : nil), "\(votes)")
        }
        var tally = Tally(election: Fixtures.election())
        tally.read("n1", Fixtures.count(box: "N1", ann: 40, bob: 40, cat: 10))
        tally.read("s1", Fixtures.count(box: "S1", ann: 10, bob: 30, cat: 0))
        #expect(tally.mayor.areas.map(\.leader) == [nil, 1, nil])
    }

    @Test func exactlyHalfDoesNotElectUnderSupplementaryVote() throws {
        #expect(Contest.isMajority(51, of: 100))
        #expect(!Contest.isMajority(50, of: 100))
        var tally = Tally(election: Fixtures.election(system: "sv"))
        for box in ["N1", "N2", "S1", "S2", "P1"] { tally.read(box, Fixtures.count(box: box, ann: 10, bob: 6, cat: 4)) }
        // Ann has 50 of 100: a second stage, not a winner.
        #expect(tally.mayor.winners.isEmpty)
        #expect(tally.mayor.secondStage != nil)
    }

    @Test func aBlockVoteElectsEverySeatAndTheMarginIsAtTheLastSeat() {
        #expect(Fixtures.election(system: "block", seats: 2).contests[0].electedCount == 2)
        #expect(Fixtures.election().contests[0].electedCount == 1)
        var tally = Tally(election: Fixtures.election(system: "block", seats: 2))
        for box in ["N1", "N2", "S1", "S2", "P1"] {
            tally.read(box, Fixtures.count(box: box, ann: 30, bob: 20, cat: 12, ballots: 40))
        }
        #expect(tally.mayor.winners == ["ann", "bob"])
        #expect(tally.mayor.majority == 40)
    }

    @Test func anAreaLeaderIsNamedOnlyWhenAheadAndTheTrendFollowsTheCount() {
        var tally = Tally(election: Fixtures.election())
        tally.read("n1", Fixtures.count(box: "N1", ann: 20, bob: 20, cat: 5))
        tally.read("s1", Fixtures.count(box: "S1", ann: 3, bob: 9, cat: 1))
        let mayor = tally.mayor
        #expect(mayor.areas.map(\.name) == ["North", "South", Area.unnamedLabel])
        #expect(mayor.areas.map(\.leader) == [nil, 1, nil])
        #expect(mayor.trendPoint == TrendPoint(countedBallots: 58, votes: [23, 29, 6]))
        #expect(mayor.name(of: "bob") == "Bob Baker")
        #expect(mayor.names(of: ["cat", "nobody", "ann"]) == ["Cat Clay", "Ann Able"])
    }
}
