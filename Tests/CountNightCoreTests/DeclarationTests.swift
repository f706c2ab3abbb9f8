import Testing
@testable import CountNightCore

/// The returning officer's declaration: checked like a count, then in force
/// over the counted figures, with every difference listed.
@Suite struct DeclarationTests {
    static func declaration(ann: Int, bob: Int, cat: Int, rejected: Int = 0, elected: [String] = ["ann"],
                            papers: Int? = nil, revision: Int = 1, extra: String = "") -> String {
        var fields = [#""contest": "mayor", "kind": "declaration", "revision": \#(revision)"#,
                      #""votes": {"ann": \#(ann), "bob": \#(bob), "cat": \#(cat)}"#,
                      #""elected": [\#(elected.map { "\"\($0)\"" }.joined(separator: ", "))]"#]
        if rejected > 0 { fields.append(#""rejected": {"unmarked or wholly void for uncertainty": \#(rejected)}"#) }
        if let papers { fields.append(#""ballotPapers": \#(papers)"#) }
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    func countedNight() -> Tally {
        var tally = Tally(election: Fixtures.election())
        for (box, ann, bob) in [("N1", 60, 40), ("N2", 50, 30), ("S1", 20, 70), ("S2", 45, 35), ("P1", 30, 25)] {
            tally.read("c-\(box)", Fixtures.count(box: box, ann: ann, bob: bob, cat: 5, rejected: 1))
        }
        return tally
    }

    @Test(arguments: [
        (#"{"contest": "mayor", "kind": "declaration", "box": "N1", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann"]}"#,
         "box: a declaration is of the whole contest, so it names no box"),
        (#"{"contest": "mayor", "kind": "declaration", "area": "North", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann"]}"#,
         "area: a declaration is of the whole contest, so it names no area"),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}}"#,
         "elected: is missing; a declaration names the candidates declared elected"),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": "ann"}"#,
         "elected: must be a list, not a string"),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["zed"]}"#,
         #"elected[0]: "zed" is not a candidate of contest "mayor""#),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann", "bob"]}"#,
         "elected: names 2 candidates for 1 seat"),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1}, "elected": ["ann"]}"#,
         #"votes: no entry for candidate "cat"; a declaration gives every candidate's votes, 0 included"#),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann"], "ballotPapers": 9}"#,
         "ballotPapers: 9 is not the 3 votes plus 0 rejected = 3"),
        (#"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann"], "transfers": {"ann": 1}}"#,
         #"transfers: only a Supplementary Vote contest has transfers, and "mayor" is fptp"#),
    ])
    func badDeclarationsAreRefusedWithTheReason(json: String, reason: String) {
        let got = refusal(json)
        #expect(got?.hasPrefix(reason) == true, "\(got ?? "accepted")")
    }

    @Test func anAgreeingDeclarationIsInForceWithoutWarnings() throws {
        var tally = countedNight()
        #expect(tally.mayor.status == .complete)
        let event = tally.read("declaration.json", Self.declaration(ann: 205, bob: 200, cat: 25, rejected: 5, papers: 435))
        #expect(event?.detail == "mayor declaration revision 1")
        let mayor = tally.mayor
        #expect(mayor.status == .declared)
        #expect(mayor.winners == ["ann"])
        #expect(mayor.warnings.isEmpty)
        #expect(mayor.projection.status == .final)
        #expect(mayor.projectionHeadline == "DECLARED: Ann Able elected")
        #expect(mayor.declaration?.countedVotes == ["ann": 205, "bob": 200, "cat": 25])
        #expect(tally.snapshot(time: 0).isComplete)
        let json = tally.snapshot(time: 0).json()
        #expect(json.contains(#""status":"declared""#))
        #expect(json.contains(#""declaration":{"elected":["ann"],"ballotPapers":435,"countedVotes":{"ann":205,"bob":200,"cat":25}}"#))
    }

    @Test func aDeclarationThatDiffersShowsTheDeclaredFiguresAndListsEveryDifference() {
        var tally = countedNight()
        // A recount moved votes after the last batch, and a different winner.
        tally.read("declaration.json", Self.declaration(ann: 199, bob: 203, cat: 25, rejected: 8, elected: ["bob"], papers: 435))
        let mayor = tally.mayor
        #expect(mayor.status == .declared)
        #expect(mayor.winners == ["bob"])
        #expect(mayor.votes("bob") == 203)
        #expect(mayor.candidates.first?.id == "bob")
        #expect(mayor.rejected == 8)
        #expect(mayor.warnings.map(\.message) == [
            "declared 199 votes for Ann Able but 205 were counted",
            "declared 203 votes for Bob Baker but 200 were counted",
            "declared 8 rejected ballots but 5 were counted",
            "declared elected Bob Baker but the count elects Ann Able",
        ])
    }

    @Test func aDeclarationBeforeTheCountIsCompleteSaysSoAndCanBeWithdrawn() {
        var tally = Tally(election: Fixtures.election())
        tally.read("c-n1", Fixtures.count(box: "N1", ann: 60, bob: 40, cat: 5))
        tally.read("declaration.json", Self.declaration(ann: 60, bob: 40, cat: 5))
        #expect(tally.mayor.status == .declared)
        #expect(tally.mayor.warnings.map(\.message) == ["declared while the count is not complete: 1 of 5 boxes counted"])
        tally.read("declaration-withdrawn.json", #"{"contest": "mayor", "kind": "declaration", "revision": 2, "withdrawn": true}"#)
        #expect(tally.mayor.status == .counting)
        #expect(tally.mayor.declaration == nil)
        #expect(tally.mayor.warnings.isEmpty)
    }

    @Test func svTransfersAreCheckedAgainstTheSecondStage() {
        var tally = Tally(election: Fixtures.election(system: "sv"))
        for box in ["N1", "N2", "S1", "S2", "P1"] { tally.read("c-\(box)", Fixtures.count(box: box, ann: 40, bob: 35, cat: 25)) }
        tally.read("t-north", #"{"contest": "mayor", "kind": "second-preferences", "area": "North", "transfers": {"ann": 10, "bob": 12}, "nonTransferable": 28}"#)
        tally.read("d", Self.declaration(ann: 200, bob: 175, cat: 125, extra: #""transfers": {"ann": 10, "bob": 14, "cat": 0}"#))
        let mayor = tally.mayor
        #expect(mayor.declaration?.transfers == ["ann": 10, "bob": 14, "cat": 0])
        // South and P1 have not been examined: the count elects nobody yet.
        #expect(mayor.warnings.map(\.message) == [
            "declared elected Ann Able but the count elects nobody yet",
            "declared 14 transfers for Bob Baker but 12 were counted",
        ])
    }
}
