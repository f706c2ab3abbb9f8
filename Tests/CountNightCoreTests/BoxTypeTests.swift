import Testing
@testable import CountNightCore

/// Boxes with a `type`: each area's postal and polling-day boxes are
/// estimated apart, and a type with nothing counted holds back a call.
@Suite struct BoxTypeTests {
    /// Ten areas, each with four polling-day boxes (Ann 62%) and four postal
    /// boxes (Bob 70%) of 1,000 papers: Bob wins 43,200 to 36,800.
    static func election(types: Bool) -> Election {
        var boxes: [String] = []
        for area in 1...10 {
            for box in 1...4 {
                boxes.append(#"{"id": "D\#(area)-\#(box)", "area": "A\#(area)"\#(types ? #", "type": "polling-day""# : "")}"#)
                boxes.append(#"{"id": "P\#(area)-\#(box)", "area": "A\#(area)"\#(types ? #", "type": "postal""# : "")}"#)
            }
        }
        let json = """
            {"format": "countnight-feed/1", "id": "t", "contests": [{"id": "mayor", "system": "fptp",
              "candidates": [{"id": "ann", "name": "Ann Able"}, {"id": "bob", "name": "Bob Baker"}, {"id": "cat", "name": "Cat Clay"}],
              "boxes": [\(boxes.joined(separator: ","))]}]}
            """
        return try! ElectionFile.parse(Array(json.utf8))
    }

    @Test func theTypeIsReadAndABlankOneIsRefusedWithItsPlace() throws {
        let contest = Self.election(types: true).contests[0]
        #expect(contest.boxes[0].type == "polling-day")
        #expect(contest.boxes[1].type == "postal")
        // Two types in each of ten areas, and each area's bundles of mixed ballots.
        #expect(contest.strata.count == 30)
        #expect(Self.election(types: false).contests[0].strata.count == 10)
        let blank = #"{"format": "countnight-feed/1", "id": "t", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [{"id": "B1", "type": " "}]}]}"#
        #expect(throws: ElectionFileError(file: "election.json", problem: "contests[0].boxes[0].type: is empty; leave it out for a box without a type")) {
            try ElectionFile.parse(Array(blank.utf8))
        }
    }

    @Test func pollingDayVotesAloneNeverCallTheRaceWhileThePostalVotesWait() {
        var tally = Tally(election: Self.election(types: true))
        for area in 1...10 {
            for box in 1...4 {
                tally.read("v-d\(area)-\(box)", Fixtures.verification("D\(area)-\(box)", 1000))
                tally.read("v-p\(area)-\(box)", Fixtures.verification("P\(area)-\(box)", 1000))
            }
        }
        var statuses: [Projection.Status] = []
        for area in 1...10 {
            for box in 1...4 {
                tally.read("c-d\(area)-\(box)", Fixtures.count(box: "D\(area)-\(box)", ann: 620, bob: 380, cat: 0))
                statuses.append(tally.mayor.projection.status)
                #expect(tally.mayor.projection.winners != ["ann"], "called for Ann after polling-day box \(area)-\(box)")
            }
        }
        // Every polling-day box counted: Ann leads by 9,600 with 40,000 postal votes to come.
        #expect(tally.mayor.leader == "ann")
        #expect(tally.mayor.projection.status == .tooEarly)
        for area in 1...10 {
            for box in 1...4 {
                tally.read("c-p\(area)-\(box)", Fixtures.count(box: "P\(area)-\(box)", ann: 300, bob: 700, cat: 0))
                #expect(tally.mayor.projection.winners != ["ann"])
            }
        }
        #expect(tally.mayor.winners == ["bob"])
        #expect(tally.mayor.votes("bob") == 43_200)
    }
}
