import Testing
@testable import CountNightCore

/// A previous result per box or per area (`previous` in election.json): the
/// projection works on the swing from it where every stratum has one, and
/// as without it otherwise.
@Suite struct BaselineTests {
    /// Wards that lean very differently, and a swing from last time that is
    /// nearly the same everywhere: Bob gains three points on Ann in every
    /// ward and wins by about six points.
    static func night(previous: Bool, swing: [Double] = [-0.03, 0.03, 0]) -> SyntheticNight {
        SyntheticNight(boxNoise: 0.03, previousSwing: previous ? swing : nil, candidates: ["ann", "bob", "cat"],
                       areas: (1...12).map { ward in
                           let lean = (Double(ward) - 6.5) * 0.04
                           return .init(name: "V\(ward)", boxes: 4, shares: [0.435 + lean, 0.495 - lean, 0.07], papersPerBox: 700...1100)
                       }, seed: 31)
    }

    @Test func previousResultsAreReadPerBoxAndPerArea() throws {
        let json = """
            {"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c",
              "candidates": [{"id": "a", "name": "A", "party": "Red"}, {"id": "b", "name": "B", "party": "Blue"}],
              "boxes": [{"id": "B1", "area": "North", "previous": {"votes": {"Red": 300, "b": 500, "Green": 100}, "total": 1000}},
                        {"id": "B2", "area": "South"}],
              "previous": {"areas": {"South": {"votes": {"Red": 600, "Blue": 200}, "total": 900}}}}]}
            """
        let contest = try ElectionFile.parse(Array(json.utf8)).contests[0]
        #expect(contest.boxes[0].previous == PreviousResult(votes: ["Red": 300, "b": 500, "Green": 100], total: 1000))
        // North from its box (Green's votes count in the total only), South from its area.
        let baseline = try #require(contest.baseline)
        #expect(baseline[0] == [0.3, 0.5])
        #expect(baseline[1] == [600.0 / 900, 200.0 / 900])
    }

    @Test func aBaselineForSomeAreasOnlyIsNotUsed() throws {
        let json = """
            {"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c",
              "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
              "boxes": [{"id": "B1", "area": "North", "previous": {"votes": {"a": 300, "b": 500}, "total": 1000}}, {"id": "B2", "area": "South"}]}]}
            """
        #expect(try ElectionFile.parse(Array(json.utf8)).contests[0].baseline == nil)
    }

    @Test(arguments: [
        (#"{"votes": {"a": 600, "b": 500}, "total": 1000}"#, "contests[0].boxes[0].previous.total: 1,000 is less than the 1,100 votes given"),
        (#"{"votes": {"a": -1}, "total": 1000}"#, "contests[0].boxes[0].previous.votes.a: -1 is too small: the least is 0"),
        (#"{"votes": {"a": 1}}"#, "contests[0].boxes[0].previous.total: is missing; give the ballots of that result in all"),
        (#"{"total": 10}"#, "contests[0].boxes[0].previous.votes: is missing"),
        (#"[1, 2]"#, "contests[0].boxes[0].previous: must be a JSON object, not a list"),
    ])
    func aBadPreviousResultIsRefusedWithItsPlace(previous: String, message: String) {
        let json = #"{"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [{"id": "B1", "previous": \#(previous)}]}]}"#
        #expect(throws: ElectionFileError(file: "election.json", problem: message)) { try ElectionFile.parse(Array(json.utf8)) }
    }

    @Test func aBlockContestsPreviousResultHasAVoteASeatOnEachBallot() throws {
        let json = #"{"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c", "system": "block", "seats": 3, "candidates": [{"id": "a", "name": "A", "party": "Red"}, {"id": "b", "name": "B", "party": "Red"}, {"id": "c", "name": "C", "party": "Blue"}, {"id": "d", "name": "D", "party": "Blue"}], "boxes": [{"id": "B1", "previous": {"votes": {"Red": 1800, "Blue": 900}, "total": 1000}}]}]}"#
        let contest = try ElectionFile.parse(Array(json.utf8)).contests[0]
        // Red's votes split between the two who stand for Red now.
        #expect(try #require(contest.baseline)[0] == [0.9, 0.9, 0.45, 0.45])
        let over = json.replacingOccurrences(of: #""Blue": 900"#, with: #""Blue": 1300"#)
        #expect(throws: ElectionFileError(file: "election.json", problem: "contests[0].boxes[0].previous.total: 1,000 is less than the 3,100 votes given over the 3 seats (a ballot has a vote a seat)")) {
            try ElectionFile.parse(Array(over.utf8))
        }
    }

    @Test func aPreviousResultForAnAreaWithNoBoxesIsRefused() {
        let json = #"{"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [{"id": "B1", "area": "North"}], "previous": {"areas": {"Nowhere": {"votes": {"a": 1}, "total": 2}}}}]}"#
        #expect(throws: ElectionFileError(file: "election.json", problem: "contests[0].previous.areas.Nowhere: no box of this contest is in an area of that name")) {
            try ElectionFile.parse(Array(json.utf8))
        }
    }

    /// Ann's best wards first: half-way through, the projection without a
    /// baseline still expects the rest to vote like Ann's wards; with one,
    /// it expects last time's result plus the swing seen so far.
    @Test func withAUniformSwingTheProjectedSharesAreRightWhileTheLosersWardsLead() throws {
        func halfway(previous: Bool) -> (ContestSnapshot, Double) {
            let night = Self.night(previous: previous)
            let (_, counts) = night.files()
            let wardFirst = counts.sorted { Int($0.name.split(separator: "-")[1].dropFirst())! > Int($1.name.split(separator: "-")[1].dropFirst())! }
            let steps = night.steps(countOrder: wardFirst)
            let final = steps.last!.candidates.first { $0.id == "bob" }!.share
            return (steps[steps.count / 2], final)
        }
        let (with, final) = halfway(previous: true)
        let (without, _) = halfway(previous: false)
        #expect(with.leader == "ann" && without.leader == "ann")
        let bobWith = try #require(with.projection.shares.first { $0.id == "bob" })
        let bobWithout = try #require(without.projection.shares.first { $0.id == "bob" })
        #expect(abs(bobWith.mid - final) < 0.02, "with a baseline: \(bobWith.mid) against \(final)")
        #expect(abs(bobWithout.mid - final) > 0.05, "without: \(bobWithout.mid) against \(final)")
        #expect(bobWith.low <= final && final <= bobWith.high)
        #expect(with.projection.favourites == ["bob"])
        #expect(without.projection.status == .tooEarly && with.projection.status == .tooEarly)
        // And over every order, no wrong call either way.
        for previous in [true, false] {
            let calibration = try #require(Calibration(tally: Self.night(previous: previous).completeTally(), contest: 0))
            for order in Calibration.Order.allCases {
                let report = calibration.run(nights: 40, order: order, seed: 8)
                #expect(report.wrongCalls == 0, "\(order.rawValue), baseline \(previous): \(report.wrongCalls)")
            }
        }
    }

    @Test func aBaselineThatMisleadsMakesNoWrongCall() throws {
        // Last time's result says Bob did far better than he did: the swing
        // from it is large and the same everywhere, but the count still decides.
        let night = Self.night(previous: true, swing: [0.10, -0.12, 0.02])
        let calibration = try #require(Calibration(tally: night.completeTally(), contest: 0))
        for order in Calibration.Order.allCases {
            let report = calibration.run(nights: 40, order: order, seed: 8)
            #expect(report.wrongCalls == 0, "\(order.rawValue): \(report.wrongCalls)")
        }
    }
}
