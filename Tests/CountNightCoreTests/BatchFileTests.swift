import Testing
@testable import CountNightCore

@Suite struct BatchFileTests {
    @Test func acceptsTheFormsOfTheFormat() {
        #expect(refusal(Fixtures.verification("N1", 713)) == nil)
        #expect(refusal(Fixtures.count(box: "N1", ann: 1, bob: 2, cat: 3, rejected: 4, ballots: 10)) == nil)
        #expect(refusal(Fixtures.count(area: "North", batch: "3", ann: 1, bob: 2, cat: 3)) == nil)
        #expect(refusal(#"{"contest": "mayor", "kind": "count", "box": "N1", "revision": 3, "withdrawn": true}"#) == nil)
        #expect(refusal(#"{"election": "test-2026", "contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 0, "at": "2010-10-21T23:05:00+01:00", "tray": [1.5]}"#) == nil)
    }

    @Test func readsFiguresIntoCandidateOrderWhateverTheKeyOrder() throws {
        let json = #"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"cat": 3, "ann": 1, "bob": 2}, "rejected": {"b": 1, "a": 2}}"#
        let record = try BatchFile.parse(Array(json.utf8)).get()
        let batch = try BatchFile.check(record, against: Fixtures.election()).get()
        #expect(batch.figures == .count(VoteCount(votes: [1, 2, 3], rejected: [RejectedBallots(reason: "a", count: 2), RejectedBallots(reason: "b", count: 1)], ballots: 9)))
        #expect(batch.revision == 1)
        #expect(batch.identity == BatchIdentity(contest: 0, kind: .count, target: .box(0), batch: ""))
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("{\"contest\": \"mayor\",", "not valid JSON: the file ends inside an object at line 1, column 21"),
        ("[1]", "must be a JSON object, not a list"),
        (#"{"kind": "count", "box": "N1", "votes": {}}"#, "contest: is missing"),
        (#"{"contest": "mayor", "box": "N1"}"#, #"kind: is missing; use "verification" or "count""#),
        (#"{"contest": "mayor", "kind": "recount", "box": "N1"}"#,
         #"kind: "recount" is not a kind of batch this program knows (use "verification", "count", "second-preferences" or "declaration")"#),
        (#"{"contest": "mayor", "kind": "verification", "ballotPapers": 5}"#,
         "box: is missing; a verification names the box whose papers were counted"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "area": "North", "ballotPapers": 5}"#,
         "area: a verification is of one box, so it names a box and no area"),
        (#"{"contest": "mayor", "kind": "count", "votes": {"ann": 1, "bob": 1, "cat": 1}}"#,
         "box: a count names either a box or an area, and this one names neither"),
        (#"{"contest": "mayor", "kind": "count", "box": "N1", "area": "North", "votes": {"ann": 1, "bob": 1, "cat": 1}}"#,
         "area: a count names either a box or an area, and this one names both"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1"}"#,
         "ballotPapers: is missing; a verification gives the ballot papers found in the box"),
        (#"{"contest": "mayor", "kind": "count", "box": "N1"}"#, "votes: is missing; a count gives the votes for every candidate"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 12.0}"#,
         "ballotPapers: 12.0 is not a whole number written without fraction or exponent"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 1e2}"#,
         "ballotPapers: 1e2 is not a whole number written without fraction or exponent"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": -1}"#,
         "ballotPapers: -1 is too small: the least is 0"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": "12"}"#,
         "ballotPapers: must be a whole number, not a string"),
        (#"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 100000001, "bob": 1, "cat": 1}}"#,
         "votes.ann: 100000001 is too large: the most is 100,000,000"),
        (#"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 1, "bob": 1, "cat": 1}, "revision": 0}"#,
         "revision: 0 is too small: the least is 1"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 1, "at": "21/10/2010 23:05"}"#,
         #"at: "21/10/2010 23:05" is not an RFC 3339 time with an offset, such as 2010-10-21T23:05:00+01:00"#),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 1, "withdrawn": "yes"}"#,
         "withdrawn: must be true or false, not a string"),
        (#"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 1, "bob": 1, "cat": 1}, "rejected": {"": 1}}"#,
         "rejected: a reason is empty; name the reason the ballots were rejected"),
        (#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 1, "ballotPapers": 2}"#,
         #"not valid JSON: the key "ballotPapers" appears twice in one object, so the file is ambiguous at line 1, column 78"#),
    ])
    func refusesMalformedBatches(_ json: String, _ reason: String) {
        #expect(refusal(json) == reason)
    }

    @Test func refusesWhatDoesNotFitTheElection() {
        #expect(refusal(#"{"election": "other-2026", "contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 1}"#)
                == #"election "other-2026" is not this feed's election "test-2026" (a file from another election or a rehearsal?)"#)
        #expect(refusal(#"{"contest": "council", "kind": "verification", "box": "N1", "ballotPapers": 1}"#)
                == #"contest "council" is not in election.json (contests: mayor)"#)
        #expect(refusal(Fixtures.verification("Z9", 1)) == #"box "Z9" is not a box of contest "mayor" in election.json"#)
        #expect(refusal(Fixtures.count(area: "East", ann: 1, bob: 1, cat: 1))
                == #"area "East" is not the area of any box of contest "mayor" in election.json"#)
        #expect(refusal(#"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 1, "bob": 1}}"#)
                == #"votes: no entry for candidate "cat"; a count gives every candidate's votes, 0 included"#)
        #expect(refusal(#"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 1, "bob": 1, "cat": 1, "dan": 1}}"#)
                == #"votes.dan: "dan" is not a candidate of contest "mayor""#)
        #expect(refusal(Fixtures.count(box: "N1", ann: 1, bob: 2, cat: 3, rejected: 1, ballots: 8))
                == "ballots: 8 is not the 6 votes plus 1 rejected = 7")
    }

    @Test func refusesABoxLevelBatchOverTheBoxElectorate() {
        #expect(refusal(Fixtures.verification("N1", 1001)) == "1,001 ballot papers exceed box N1's electorate of 1,000")
        #expect(refusal(Fixtures.count(box: "N1", ann: 1000, bob: 1, cat: 0))
                == "1,001 ballots exceed box N1's electorate of 1,000")
        // An area bundle is not held to one box's electorate.
        #expect(refusal(Fixtures.count(area: "North", ann: 1500, bob: 1, cat: 0)) == nil)
    }

    @Test func blockCountsNeedBallotsAndAtMostSeatsVotesEach() {
        let block = Fixtures.election(system: "block", seats: 2)
        #expect(refusal(Fixtures.count(box: "N1", ann: 5, bob: 5, cat: 5), against: block)
                == "ballots: is missing; in a block contest voters have up to 2 votes each, so a count must say how many ballot papers it covers")
        #expect(refusal(Fixtures.count(box: "N1", ann: 10, bob: 9, cat: 1, rejected: 1, ballots: 11), against: block) == nil)
        #expect(refusal(Fixtures.count(box: "N1", ann: 11, bob: 9, cat: 1, rejected: 1, ballots: 11), against: block)
                == "votes.ann: 11 votes are more than the 10 valid ballot papers (ballots less rejected)")
        #expect(refusal(Fixtures.count(box: "N1", ann: 10, bob: 10, cat: 1, rejected: 1, ballots: 11), against: block)
                == "votes: 21 votes in all are more than 2 seats × 10 valid ballot papers")
        #expect(refusal(Fixtures.count(box: "N1", ann: 1, bob: 1, cat: 1, rejected: 5, ballots: 4), against: block)
                == "rejected: 5 rejected ballots are more than the 4 ballots")
    }
}

/// Issue 11, item 12: each message says what is wrong in the unit that is
/// checked, with the limit.
@Suite struct LimitMessageTests {
    @Test func aWholeNumberBeyondSixtyFourBitsIsTooLargeNotMalformed() {
        #expect(refusal(#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": 9223372036854775808}"#)
                == "ballotPapers: 9223372036854775808 is too large: the most is 100,000,000")
        #expect(refusal(#"{"contest": "mayor", "kind": "verification", "box": "N1", "ballotPapers": -9223372036854775809}"#)
                == "ballotPapers: -9223372036854775809 is too small: the least is 0")
    }

    @Test func aBatchNameIsCountedInCharactersAsTheMessageSays() {
        let accented33 = String(repeating: "é", count: 33)
        #expect(refusal(#"{"contest": "mayor", "kind": "verification", "box": "N1", "batch": "\#(accented33)", "ballotPapers": 1}"#) == nil)
        let accented64 = String(repeating: "é", count: 64)
        #expect(refusal(#"{"contest": "mayor", "kind": "verification", "box": "N1", "batch": "\#(accented64)", "ballotPapers": 1}"#) == nil)
        #expect(refusal(#"{"contest": "mayor", "kind": "verification", "box": "N1", "batch": "\#(accented64)x", "ballotPapers": 1}"#)
                == "batch: is 65 characters long; a batch name has at most 64")
    }

    @Test func anIdOfLettersOutsideASCIIIsToldSoNotThatItIsTooLong() {
        let id = String(repeating: "é", count: 33)
        #expect(Identifier.problem(id) == "\"\(id)\" is not a valid id: use only A-Z a-z 0-9 . _ -")
        #expect(Identifier.problem(String(repeating: "a", count: 65)) == "\"\(String(repeating: "a", count: 65))\" is 65 characters long; an id has at most 64")
    }

    @Test func aBatchOverItsLimitIsToldTheBatchLimit() {
        let big = Array(repeating: UInt8(ascii: " "), count: SizeLimit.batch.bytes + 1)
        guard case .failure(let refusal) = BatchFile.parse(big) else { Issue.record("accepted"); return }
        #expect(refusal.reason == "the file is 1,048,577 bytes, over the 1 MiB limit for a batch")
        #expect(SizeLimit.election.refusal(size: 17_000_000) == "the file is 17,000,000 bytes, over the 16 MiB limit for election.json")
    }

    @Test func aColourIsSixHexadecimalDigitsWithoutASign() {
        #expect(RGB(hex: "#+12345") == nil)
        #expect(RGB(hex: "#-12345") == nil)
        #expect(RGB(hex: "# 12345") == nil)
        #expect(RGB(hex: "#6a3d9a") == RGB(red: 0x6a, green: 0x3d, blue: 0x9a))
    }
}
