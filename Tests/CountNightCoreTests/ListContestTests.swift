import Testing
@testable import CountNightCore

/// A party-list contest through the tally: seats on the votes counted,
/// the last seat's margin, the projection's seats and the file's checks.
@Suite struct ListContestTests {
    static func electionJSON(method: String = "dhondt", seats: Int = 7, threshold: String = "") -> String {
        """
        {"format": "countnight-feed/1", "id": "council-2026", "contests": [{"id": "council", "system": "list",
          "seats": \(seats), "method": "\(method)"\(threshold.isEmpty ? "" : ", \"threshold\": \(threshold)"),
          "candidates": [{"id": "a", "name": "Alpha", "colour": "#d50000",
                          "candidates": [{"id": "a1", "name": "Ann Able"}, {"id": "a2", "name": "Abe Ash"}]},
                         {"id": "b", "name": "Beta", "colour": "#1e88e5"},
                         {"id": "c", "name": "Gamma"}, {"id": "d", "name": "Delta"}],
          "boxes": [{"id": "B1", "area": "North", "electorate": 200000}, {"id": "B2", "area": "North", "electorate": 200000},
                    {"id": "B3", "area": "South", "electorate": 200000}, {"id": "B4", "area": "South", "electorate": 200000}]}]}
        """
    }

    static func count(_ box: String, _ a: Int, _ b: Int, _ c: Int, _ d: Int, rejected: Int = 0) -> String {
        #"{"contest": "council", "kind": "count", "box": "\#(box)", "votes": {"a": \#(a), "b": \#(b), "c": \#(c), "d": \#(d)}"#
            + (rejected > 0 ? #", "rejected": {"blank": \#(rejected)}"# : "") + "}"
    }

    func tally(_ json: String = electionJSON()) throws -> Tally {
        Tally(election: try ElectionFile.parse(Array(json.utf8)))
    }

    @Test func theCompleteCountHasEachListsSeatsTheLastSeatAndCertainRanges() throws {
        var tally = try tally()
        // Four boxes adding up to the worked example: A 100,000, B 80,000, C 30,000, D 21,000.
        tally.read("1", Self.count("B1", 25_000, 20_000, 7_500, 5_250))
        tally.read("2", Self.count("B2", 25_000, 20_000, 7_500, 5_250))
        tally.read("3", Self.count("B3", 25_000, 20_000, 7_500, 5_250))
        tally.read("4", Self.count("B4", 25_000, 20_000, 7_500, 5_250, rejected: 12))
        let contest = tally.snapshot(time: 0).contests[0]
        #expect(contest.status == .complete)
        #expect(contest.candidates.map(\.seats) == [3, 3, 1, 0])
        #expect(contest.winners == ["a", "b", "c"])
        let json = tally.snapshot(time: 0).json(includeTime: false)
        #expect(json.contains(#""id":"a","name":"Alpha","party":null,"votes":100000,"share":0.4329004329004329,"seats":3}"#), "\(json)")
        #expect(json.contains(#""lastSeat":{"seat":7,"list":"b","next":"a","ahead":4999,"needed":6667}"#))
        #expect(json.contains(#""seats":{"certain":true,"lists":[{"id":"a","low":3,"high":3,"likeliest":3,"probabilities":{"3":1.0}}"#))
        #expect(contest.textSummary().contains("Alpha 43.29% 3 seats"))
        let report = SnapshotReport(snapshot: tally.snapshot(time: 0)).text
        #expect(report.contains("  Alpha      100,000   43.29%  3 seats  ELECTED\n"), "\(report)")
        #expect(report.contains("  Delta       21,000    9.09%  0 seats\n"))
        #expect(report.contains("  last seat: Beta ahead by 4,999; Alpha needs 6,667 to take it\n"))
        #expect(contest.textSummary().contains("last seat: Beta ahead by 4,999; Alpha needs 6,667 to take it"))
    }

    @Test func whileCountingTheProjectionGivesSeatRangesThatHoldTheCountedSeats() throws {
        var tally = try tally()
        tally.read("v1", #"{"contest": "council", "kind": "verification", "box": "B1", "ballotPapers": 57750}"#)
        tally.read("v2", #"{"contest": "council", "kind": "verification", "box": "B2", "ballotPapers": 57750}"#)
        tally.read("v3", #"{"contest": "council", "kind": "verification", "box": "B3", "ballotPapers": 57750}"#)
        tally.read("v4", #"{"contest": "council", "kind": "verification", "box": "B4", "ballotPapers": 57750}"#)
        tally.read("1", Self.count("B1", 25_000, 20_000, 7_500, 5_250))
        tally.read("3", Self.count("B3", 24_000, 21_000, 7_500, 5_250))
        let contest = tally.snapshot(time: 0).contests[0]
        #expect(contest.status == .counting)
        let projection = try #require(contest.seatProjection)
        #expect(projection.basis == .projected)
        let ranges = projection.ranges
        #expect(ranges.map(\.id) == ["a", "b", "c", "d"])
        for (range, counted) in zip(ranges, [3, 3, 1, 0]) {
            #expect(range.low <= counted && counted <= range.high)
            #expect(abs(range.probabilities.values.reduce(0, +) - 1) < 1e-9)
        }
        // Every simulated result shares out all seven seats.
        #expect(ranges.reduce(0) { $0 + $1.likeliest } == 7)
    }

    @Test func aSeatDecidedOnlyByLotIsAWarning() throws {
        var tally = try tally(Self.electionJSON(method: "sainte-lague", seats: 1))
        for box in ["B1", "B2", "B3", "B4"] { tally.read(box, Self.count(box, 10, 10, 3, 1)) }
        let contest = tally.snapshot(time: 0).contests[0]
        #expect(contest.warnings.map(\.message)
                == ["seat 1 tied between Alpha, Beta (equal averages and equal votes): to be decided by lot; shown meanwhile for Alpha, the first in election.json"])
    }

    @Test(arguments: [
        (#""method": "dhondt", "threshold": 1.5"#, "contests[0].threshold: must be a share of the valid votes from 0 to below 1 (0.05 for 5%)"),
        (#""method": "hare""#, #"contests[0].method: "hare" is not a seat allocation method (use dhondt, sainte-lague or largest-remainder)"#),
        (#""method": "dhondt", "threshold": "5%""#, "contests[0].threshold: must be a number, not a string"),
    ])
    func aBadListRuleIsRefusedWithItsPlace(fields: String, message: String) {
        let json = Self.electionJSON().replacingOccurrences(of: #""method": "dhondt""#, with: fields)
        #expect(throws: ElectionFileError(file: "election.json", problem: message)) { try ElectionFile.parse(Array(json.utf8)) }
    }

    @Test func aListMayHaveMoreSeatsThanListsAndItsOwnCandidates() throws {
        let election = try ElectionFile.parse(Array(Self.electionJSON(seats: 150).utf8))
        #expect(election.contests[0].seats == 150)
        #expect(election.contests[0].candidates[0].members == [ListMember(id: "a1", name: "Ann Able"), ListMember(id: "a2", name: "Abe Ash")])
        #expect(election.contests[0].listRule == ListRule(method: .dhondt))
    }

    @Test func seatsAreCertainWhenNoBallotsLeftCouldMoveOne() throws {
        // B1..B3 verified and counted (the worked example's votes). B4's 4,000
        // electors could not move a seat, even all for one list (A needs 6,667
        // to take B's last seat); 8,000 could.
        func contest(lastBox electorate: Int) throws -> ContestSnapshot {
            let json = Self.electionJSON().replacingOccurrences(of: #"{"id": "B4", "area": "South", "electorate": 200000}"#,
                                                                with: #"{"id": "B4", "area": "South", "electorate": \#(electorate)}"#)
            var tally = try tally(json)
            // Verified: what is left of them is known to be nothing.
            for (box, papers) in [("B1", 87_000), ("B2", 72_000), ("B3", 72_000)] {
                tally.read("v" + box, #"{"contest": "council", "kind": "verification", "box": "\#(box)", "ballotPapers": \#(papers)}"#)
            }
            tally.read("1", Self.count("B1", 40_000, 30_000, 10_000, 7_000))
            tally.read("2", Self.count("B2", 30_000, 25_000, 10_000, 7_000))
            tally.read("3", Self.count("B3", 30_000, 25_000, 10_000, 7_000))
            return tally.snapshot(time: 0).contests[0]
        }
        let settled = try contest(lastBox: 4_000)
        #expect(settled.status == .counting)
        #expect(settled.seatProjection?.basis == .certain, "\(settled.projection.remainingBallots as Any) \(settled.warnings)")
        #expect(settled.seatProjection?.ranges.map(\.low) == [3, 3, 1, 0])
        let open = try contest(lastBox: 8_000)
        #expect(open.seatProjection?.basis == .projected)
    }
}
