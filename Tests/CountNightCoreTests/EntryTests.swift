import Testing
@testable import CountNightCore

/// The rules of double entry, as a venue's staff meet them.
@Suite struct EntryTests {
    let election = Fixtures.election()
    var contest: Contest { election.contests[0] }
    var countForm: EntryForm { EntryForm(contest: contest, kind: .count) }
    var verificationForm: EntryForm { EntryForm(contest: contest, kind: .verification) }
    let countTarget = EntryTarget(contest: "mayor", kind: .count, box: "N1", revision: 1)
    let verificationTarget = EntryTarget(contest: "mayor", kind: .verification, box: "N1", revision: 1)

    func sheet(ann: Int, bob: Int, cat: Int, unmarked: Int = 0) -> [String: Int] {
        var figures = ["votes.ann": ann, "votes.bob": bob, "votes.cat": cat]
        for reason in EntryForm.rejectionReasons { figures["rejected.\(reason)"] = 0 }
        figures["rejected.unmarked or wholly void for uncertainty"] = unmarked
        return figures
    }

    func entry(_ role: EntryRole, _ name: String, _ figures: [String: Int], complete: Bool = true, target: EntryTarget? = nil) -> Entry {
        Entry(target: target ?? countTarget, role: role, operator: name, figures: figures, complete: complete)
    }

    func read(_ bytes: [UInt8]) throws -> (BatchRecord, Batch) {
        let record = try BatchFile.parse(bytes).get()
        return (record, try BatchFile.check(record, against: election).get())
    }

    @Test func theCountSheetIsTheCandidatesInBallotOrderThenTheRejectedByReason() {
        #expect(countForm.fields.map(\.key) == ["votes.ann", "votes.bob", "votes.cat"] + EntryForm.rejectionReasons.map { "rejected.\($0)" })
        #expect(countForm.labels.prefix(3) == ["Ann Able (Red)", "Bob Baker (Blue)", "Cat Clay"])
        #expect(verificationForm.fields == [.ballotPapers])
        let block = Fixtures.election(system: "block", seats: 2).contests[0]
        #expect(EntryForm(contest: block, kind: .count).fields.first == .ballots)
    }

    @Test func twoEqualEntriesAgreeAndBecomeABatchNamingBothOperators() throws {
        let first = entry(.first, "alice", sheet(ann: 400, bob: 150, cat: 60, unmarked: 5))
        let second = entry(.second, "bob", sheet(ann: 400, bob: 150, cat: 60, unmarked: 5))
        #expect(EntryRules.compare(first, second, form: countForm) == .match)
        #expect(EntryRules.phase(first: first, second: second, resolution: nil, single: false, form: countForm) == .agreed)
        let bytes = try EntryBatch.bytes(countTarget, figures: first.figures, form: countForm, election: election,
                                         enteredBy: ["alice", "bob"], resolvedBy: nil, single: false, reason: nil,
                                         at: RFC3339.parse("2026-12-03T22:05:00Z")!).get()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""enteredBy":["alice","bob"]"#))
        #expect(text.contains(#""at":"2026-12-03T22:05:00Z""#))
        #expect(!text.contains("single"))
        let (record, batch) = try read(bytes)
        #expect(batch.figures == .count(VoteCount(votes: [400, 150, 60], rejected: [RejectedBallots(reason: "unmarked or wholly void for uncertainty", count: 5)], ballots: 615)))
        #expect(record.at == RFC3339.parse("2026-12-03T22:05:00Z"))
        #expect(EntryBatch.fileName(countTarget) == "mayor-count-N1-r1.json")
    }

    @Test func aTypoInTheSecondEntryIsAMismatchNamingTheField() {
        let first = entry(.first, "alice", sheet(ann: 400, bob: 150, cat: 60))
        let second = entry(.second, "bob", sheet(ann: 400, bob: 105, cat: 60))
        #expect(EntryRules.compare(first, second, form: countForm) == .mismatch([.votes("bob")]))
        #expect(EntryRules.phase(first: first, second: second, resolution: nil, single: false, form: countForm) == .mismatch([.votes("bob")]))
        // Neither typist resolves it; a third person does.
        #expect(EntryRules.task(for: "alice", first: first, second: second, resolution: nil, single: false, form: countForm)
                == .failure(EntryProblem("the two entries differ; someone who typed neither (not alice or bob) resolves it")))
        #expect(EntryRules.task(for: "carol", first: first, second: second, resolution: nil, single: false, form: countForm)
                == .success(.resolve([.votes("bob")])))
    }

    @Test func theSecondEntryIsTypedBySomeoneElse() {
        let first = entry(.first, "alice", sheet(ann: 1, bob: 2, cat: 3))
        #expect(EntryRules.task(for: "alice", first: first, second: nil, resolution: nil, single: false, form: countForm)
                == .failure(EntryProblem("alice typed the first entry; the second must be typed by someone else")))
        #expect(EntryRules.task(for: "bob", first: first, second: nil, resolution: nil, single: false, form: countForm) == .success(.type(.second)))
        // The second may start while the first is still typing: it never sees it.
        let typing = entry(.first, "alice", ["votes.ann": 1], complete: false)
        #expect(EntryRules.task(for: "bob", first: typing, second: nil, resolution: nil, single: false, form: countForm) == .success(.type(.second)))
        #expect(EntryRules.task(for: "alice", first: typing, second: nil, resolution: nil, single: false, form: countForm) == .success(.type(.first)))
        let secondTyping = entry(.second, "bob", [:], complete: false)
        #expect(EntryRules.task(for: "carol", first: typing, second: secondTyping, resolution: nil, single: false, form: countForm)
                == .failure(EntryProblem("alice and bob are typing this box; wait for them to hand in")))
        #expect(EntryRules.task(for: "dave", first: nil, second: nil, resolution: nil, single: false, form: countForm) == .success(.type(.first)))
    }

    @Test func aResolutionKeepsOneEntryOrTheFieldsTypedAgain() throws {
        let first = entry(.first, "alice", sheet(ann: 400, bob: 150, cat: 60))
        let second = entry(.second, "bob", sheet(ann: 400, bob: 105, cat: 66))
        #expect(try EntryRules.resolve(first, second, Resolution(operator: "carol", choice: .first), form: countForm).get()["votes.bob"] == 150)
        #expect(try EntryRules.resolve(first, second, Resolution(operator: "carol", choice: .second), form: countForm).get()["votes.cat"] == 66)
        let typedAgain = try EntryRules.resolve(first, second, Resolution(operator: "carol", choice: .reentered(["votes.bob": 151, "votes.cat": 61])),
                                                form: countForm).get()
        #expect(typedAgain == sheet(ann: 400, bob: 151, cat: 61))
        #expect(EntryRules.resolve(first, second, Resolution(operator: "carol", choice: .reentered(["votes.bob": 151])), form: countForm)
                == .failure(EntryProblem("votes.cat differs between the entries and was not typed again")))
        #expect(EntryRules.resolve(first, second, Resolution(operator: "bob", choice: .second), form: countForm)
                == .failure(EntryProblem("bob typed one of the entries; a mismatch is resolved by someone who typed neither")))
        let resolution = Resolution(operator: "carol", choice: .first)
        #expect(EntryRules.phase(first: first, second: second, resolution: resolution, single: false, form: countForm) == .resolved(by: "carol"))
        let bytes = try EntryBatch.bytes(countTarget, figures: typedAgain, form: countForm, election: election, enteredBy: ["alice", "bob"],
                                         resolvedBy: "carol", single: false, reason: nil, at: 0).get()
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""resolvedBy":"carol""#))
        #expect(try read(bytes).1.figures.voteCount?.votes == [400, 151, 61])
    }

    @Test func aCorrectionIsTheNextRevisionWithItsReason() throws {
        #expect(EntryRules.nextRevision(inForce: nil) == 1)
        #expect(EntryRules.nextRevision(inForce: 1) == 2)
        #expect(EntryRules.reasonProblem(revision: 1, reason: nil) == nil)
        #expect(EntryRules.reasonProblem(revision: 2, reason: "  ") == EntryProblem("this box is already written: a correction (revision 2) needs its reason"))
        #expect(EntryRules.reasonProblem(revision: 2, reason: "recount") == nil)
        let target = EntryTarget(contest: "mayor", kind: .verification, box: "N1", revision: 2)
        let bytes = try EntryBatch.bytes(target, figures: ["ballotPapers": 702], form: verificationForm, election: election,
                                         enteredBy: ["alice", "bob"], resolvedBy: nil, single: false, reason: "recount of the box", at: 0).get()
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""reason":"recount of the box""#))
        #expect(EntryBatch.fileName(target) == "mayor-verification-N1-r2.json")
        var tally = Tally(election: election)
        tally.read("v1.json", Fixtures.verification("N1", 700))
        #expect(tally.revisionInForce(BatchIdentity(contest: 0, kind: .verification, target: .box(0))) == 1)
        let event = tally.read(file: EntryBatch.fileName(target), bytes: bytes)
        #expect(event?.kind == .corrected)
        #expect(tally.mayor.ballotPapers == 702)
        #expect(tally.revisionInForce(BatchIdentity(contest: 0, kind: .verification, target: .box(0))) == 2)
        #expect(tally.revisionInForce(BatchIdentity(contest: 0, kind: .count, target: .box(0))) == nil)
    }

    @Test func aSingleEntryIsWrittenAloneAndMarked() throws {
        let first = entry(.first, "alice", ["ballotPapers": 700], target: verificationTarget)
        #expect(EntryRules.phase(first: first, second: nil, resolution: nil, single: true, form: verificationForm) == .single(by: "alice"))
        #expect(EntryRules.phase(first: first, second: nil, resolution: nil, single: false, form: verificationForm) == .secondNeeded(firstBy: "alice"))
        #expect(EntryRules.task(for: "bob", first: first, second: nil, resolution: nil, single: true, form: verificationForm) == .success(.done))
        let bytes = try EntryBatch.bytes(verificationTarget, figures: first.figures, form: verificationForm, election: election,
                                         enteredBy: ["alice"], resolvedBy: nil, single: true, reason: nil, at: 0).get()
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""enteredBy":["alice"],"entry":"single""#))
        #expect(try read(bytes).1.figures == .verification(ballotPapers: 700))
    }

    @Test func entriesAndResolutionsReadBackAsKept() throws {
        let kept = Entry(target: countTarget, role: .second, operator: "bob", figures: ["votes.ann": 4, "votes.bob": -1],
                         reason: "recount", complete: false, at: 1_800_000_000.5)
        let (entry, single) = try EntryFile.decodeEntry(EntryFile.encode(kept, single: true)).get()
        #expect(entry == kept)
        #expect(single)
        let resolution = Resolution(operator: "carol", choice: .reentered(["votes.bob": 3]), at: 1_800_000_000)
        #expect(try EntryFile.decodeResolution(EntryFile.encode(resolution, of: countTarget)).get() == resolution)
        #expect(throws: FieldError.self) { try EntryFile.decodeEntry(Array(#"{"contest": "mayor", "kind": "declaration", "box": "N1"}"#.utf8)).get() }
    }

    // MARK: Live checks

    func notices(_ target: EntryTarget, _ figures: [String: Int], verified: Int? = nil, usual: Int? = nil) -> [EntryNotice] {
        EntryChecks.notices(target, figures: figures, form: target.kind == .count ? countForm : verificationForm, election: election,
                            verifiedPapers: verified, usualSize: usual)
    }

    @Test func figuresThatCannotBeTrueBlock() {
        let negative = notices(countTarget, ["votes.ann": -3])
        #expect(negative == [EntryNotice(.blocking, "votes.ann: -3 is too small: the least is 0")])
        #expect(EntryChecks.blocks(negative))
        let overElectorate = notices(verificationTarget, ["ballotPapers": 1001])
        #expect(overElectorate == [EntryNotice(.blocking, "1,001 ballot papers exceed box N1's electorate of 1,000")])
        // A count is judged as it is typed: the votes so far already exceed the box.
        #expect(notices(countTarget, ["votes.ann": 600, "votes.bob": 500]) == [EntryNotice(.blocking, "1,100 ballots exceed box N1's electorate of 1,000")])
    }

    @Test func aCountThatDoesNotMatchTheVerifiedPapersWarns() {
        let figures = sheet(ann: 400, bob: 150, cat: 60, unmarked: 5)
        #expect(notices(countTarget, figures, verified: 615).isEmpty)
        let short = notices(countTarget, figures, verified: 618)
        #expect(short == [EntryNotice(.warning, "votes plus rejected come to 615, 3 fewer than the 618 papers verified for box N1")])
        #expect(!EntryChecks.blocks(short))
        // Not judged until every field is typed.
        #expect(notices(countTarget, ["votes.ann": 400], verified: 618).isEmpty)
    }

    @Test func papersAgainstTheElectorateWarnAboveNineInTen() {
        #expect(notices(verificationTarget, ["ballotPapers": 900]).isEmpty)
        #expect(notices(verificationTarget, ["ballotPapers": 950]) == [EntryNotice(.warning, "950 papers are 95% of box N1's 1,000 electors")])
    }

    @Test func aFigureFarFromTheBoxsUsualSizeWarns() {
        #expect(EntryChecks.usualSize(electorate: 1000, verifiedPapers: 1200, verifiedElectorate: 2000) == 600)
        #expect(EntryChecks.usualSize(electorate: nil, verifiedPapers: 1200, verifiedElectorate: 2000) == nil)
        #expect(notices(verificationTarget, ["ballotPapers": 610], usual: 600).isEmpty)
        #expect(notices(verificationTarget, ["ballotPapers": 61], usual: 600) == [EntryNotice(.warning, "61 papers is far from this box's usual size (about 600)")])
        // A digit typed twice in one candidate's votes.
        #expect(notices(countTarget, ["votes.ann": 4000 / 3], usual: 600) == [EntryNotice(.blocking, "1,333 ballots exceed box N1's electorate of 1,000"),
                                                                                EntryNotice(.warning, "Ann Able (Red): 1,333 is far more than this box's usual size (about 600 papers)")])
    }
}
