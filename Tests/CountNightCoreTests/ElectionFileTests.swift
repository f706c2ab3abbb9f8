import Foundation
import Testing
@testable import CountNightCore

@Suite struct ElectionFileTests {
    func problem(_ json: String) -> String? {
        do {
            _ = try ElectionFile.parse(Array(json.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    /// The fixture with one piece of text replaced, to break it in one place.
    func broken(_ old: String, _ new: String) -> String {
        let json = Fixtures.electionJSON()
        precondition(json.contains(old), "fixture lacks \(old)")
        return json.replacingOccurrences(of: old, with: new)
    }

    @Test func readsTheExampleElection() throws {
        let election = Fixtures.election()
        #expect(election.id == "test-2026")
        #expect(election.title == "Test Election")
        let contest = election.contests[0]
        #expect(contest.system == .fptp)
        #expect(contest.candidates.map(\.id) == ["ann", "bob", "cat"])
        #expect(contest.candidates[0].colour == RGB(red: 0xd5, green: 0, blue: 0))
        #expect(contest.candidates[2].party == nil)
        #expect(contest.areas.map(\.label) == ["North", "South", "(boxes without an area)"])
        #expect(contest.areas.map(\.boxes) == [[0, 1], [2, 3], [4]])
        // No contest electorate: the sum of the boxes'.
        #expect(contest.electorate == 5000)
    }

    @Test func electorateIsUnknownWhenABoxLacksOne() throws {
        let json = broken(#"{"id": "P1", "electorate": 1000}"#, #"{"id": "P1"}"#)
        let election = try ElectionFile.parse(Array(json.utf8))
        #expect(election.contests[0].electorate == nil)
        var tally = Tally(election: election)
        tally.read("v.json", Fixtures.verification("N1", 500))
        #expect(tally.mayor.turnout == nil)
    }

    @Test func statedElectorateWins() throws {
        let json = broken(#""seats": 1,"#, #""seats": 1, "electorate": 182482,"#)
        #expect(try ElectionFile.parse(Array(json.utf8)).contests[0].electorate == 182_482)
    }

    @Test func defaultsSystemToFirstPastThePostAndSeatsToOne() throws {
        let json = broken(#""system": "fptp", "seats": 1,"#, "")
        let contest = try ElectionFile.parse(Array(json.utf8)).contests[0]
        #expect(contest.system == .fptp)
        #expect(contest.seats == 1)
    }

    @Test func namesThePlaceAndTheProblem() {
        #expect(problem(broken(#"{"id": "S2""#, #"{"id": "bad id!""#))
                == #"election.json: contests[0].boxes[3].id: "bad id!" is not a valid id: use only A-Z a-z 0-9 . _ -"#)
        #expect(problem(broken(#"{"id": "S2""#, #"{"id": "N1""#))
                == #"election.json: contests[0].boxes[3].id: "N1" is used by an earlier box"#)
        #expect(problem(broken(#"{"id": "bob""#, #"{"id": "ann""#))
                == #"election.json: contests[0].candidates[1].id: "ann" is used by an earlier candidate"#)
        #expect(problem(broken(##""colour": "#d50000""##, #""colour": "red""#))
                == ##"election.json: contests[0].candidates[0].colour: "red" is not a colour; write it as #rrggbb, for example #6a3d9a"##)
        #expect(problem(broken(#""system": "fptp""#, #""system": "stv""#))
                == #"election.json: contests[0].system: "stv" is not a voting system (use fptp, sv, block or list)"#)
        #expect(problem(broken(#""seats": 1"#, #""seats": 2"#))
                == #"election.json: contests[0].seats: must be 1 for fptp; use "system": "block" for several seats"#)
        #expect(problem(broken(#""format": "countnight-feed/1""#, #""format": "countnight-feed/2""#))
                == #"election.json: format: "countnight-feed/2" is not a format this program reads (expected "countnight-feed/1")"#)
        #expect(problem(broken(#""area": "North", "electorate": 1000}"#, #""area": "North", "electorate": 10.5}"#))
                == "election.json: contests[0].boxes[0].electorate: 10.5 is not a whole number written without fraction or exponent")
        #expect(problem(broken(#""area": "North", "electorate": 1000}"#, #""area": "North", "electorate": 0}"#))
                == "election.json: contests[0].boxes[0].electorate: is 0; leave it out when the box's electorate is not known")
        #expect(problem(broken(#""name": "Bob Baker""#, #""nom": "Bob Baker""#))
                == "election.json: contests[0].candidates[1].name: is missing")
        #expect(problem(broken(#""id": "test-2026""#, #""id": 2026"#))
                == "election.json: id: must be a string, not a number")
        #expect(problem(broken(#""rehearsal": false"#, #""rehearsal": "no""#))
                == "election.json: rehearsal: must be true or false, not a string")
    }

    @Test func needsTwoCandidatesOneBoxAndFewerSeatsThanCandidates() {
        let one = #"{"format": "countnight-feed/1", "id": "x", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}], "boxes": [{"id": "B"}]}]}"#
        #expect(problem(one) == "election.json: contests[0].candidates: has 1; a contest needs at least 2 candidates")
        let block = Fixtures.electionJSON(system: "block", seats: 3)
        #expect(problem(block) == "election.json: contests[0].seats: 3 seats must be fewer than the 3 candidates")
        #expect(problem(#"{"format": "countnight-feed/1", "id": "x", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": []}]}"#)
                == "election.json: contests[0].boxes: is empty; a contest needs at least 1 box")
        #expect(problem(#"{"format": "countnight-feed/1", "id": "x", "contests": []}"#)
                == "election.json: contests: is empty; a feed needs at least one contest")
    }

    @Test func refusesWhatIsNotJSON() {
        #expect(problem("") == "election.json: the file is empty")
        #expect(problem("{\"format\": }") == "election.json: not valid JSON: unexpected '}' at line 1, column 12")
        #expect(problem("[]") == "election.json: must be a JSON object, not a list")
        #expect(problem(#"{"format": "countnight-feed/1", "format": "x"}"#)?.contains("appears twice") == true)
    }

    /// A blank area, type or name is refused; ASCII is decided without the
    /// Unicode table, and must agree with it.
    @Test func blankIsUnicodeWhiteSpaceAndNothingElse() {
        var scalars = (0..<0x3100).compactMap(Unicode.Scalar.init)
        scalars += ["\u{FEFF}", "\u{E0020}", "\u{10FFFF}"]
        for scalar in scalars {
            let text = String(scalar)
            #expect(text.isBlank == scalar.properties.isWhitespace, "U+\(String(scalar.value, radix: 16))")
            #expect((" \t" + text + "\u{3000}\n").isBlank == scalar.properties.isWhitespace)
        }
        #expect("".isBlank)
        #expect(!"North".isBlank && !" a ".isBlank && !"\u{1C}".isBlank)
    }

    @Test func ignoresUnknownFields() throws {
        let json = broken(#""title": "Test Election","#, #""title": "Test Election", "organiser": {"x": [1.5]},"#)
        #expect(try ElectionFile.parse(Array(json.utf8)).title == "Test Election")
    }
}
