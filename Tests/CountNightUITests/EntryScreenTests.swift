import CountNightCore
import CountNightUI
import Foundation
import Testing

/// The entry screen of `countnight enter`, on the sample election: whole
/// screens against Golden/entry-*.txt (re-recorded with
/// COUNTNIGHT_RECORD_GOLDEN=1), and what keys do.
@Suite struct EntryScreenTests {
    static let election = SampleNight.election
    static var contest: Contest { election.contests[0] }

    static func model(single: Bool = false) -> EntryScreenModel {
        let states: [(BoxRow.State, Int?, String, String)] = [
            (.counted, 713, "written r1", "written r1"),
            (.verified, 688, "written r1", "2nd needed (alice)"),
            (.verified, 702, "written r1", "MISMATCH 2"),
            (.awaiting, nil, "1st typing (bob)", "-"),
            (.awaiting, nil, "typing (carol, dan)", "-"),
            (.verified, 655, "single r1 (erin)", "-"),
        ]
        let rows = contest.boxes.enumerated().map { index, box in
            let state = index < states.count ? states[index] : (.awaiting, nil, "-", "-")
            return EntryBoxRow(contest: contest.id, box: box.id, area: box.area ?? "", feedState: state.0, verifiedPapers: state.1,
                               verification: state.2, count: state.3)
        }
        return EntryScreenModel(election: election, operatorName: "alice", single: single, rows: rows, pending: 4, clock: "23:41:07",
                                log: ["2026-12-03T23:41:02Z WRITTEN mayor-verification-BGN-1-r1.json: mayor verification box=BGN-1 revision 1 entered by bob, confirmed by carol"])
    }

    static var countForm: EntryFormState {
        let target = EntryTarget(contest: contest.id, kind: .count, box: contest.boxes[1].id, revision: 1)
        var form = EntryFormState(target: target, role: .second, form: EntryForm(contest: contest, kind: .count),
                                  values: ["votes.rahman": 402, "votes.abbas": 150, "votes.king": 60], verifiedPapers: 688, usualSize: 650)
        form.buffer = "4000"
        return form
    }

    static var mismatch: EntryMismatchState {
        let target = EntryTarget(contest: contest.id, kind: .count, box: contest.boxes[2].id, revision: 1)
        let form = EntryForm(contest: contest, kind: .count)
        var figures: [String: Int] = [:]
        for field in form.fields { figures[field.key] = 0 }
        figures["votes.rahman"] = 402
        var other = figures
        other["votes.rahman"] = 420
        other["votes.duffell"] = 3
        return EntryMismatchState(target: target, form: form,
                                  first: Entry(target: target, role: .first, operator: "alice", figures: figures, complete: true),
                                  second: Entry(target: target, role: .second, operator: "bob", figures: other, complete: true),
                                  differing: [.votes("rahman"), .votes("duffell")])
    }

    static func screen(_ name: String) -> Grid {
        let parts = name.split(separator: "-")
        let size = parts.last!.split(separator: "x").map { Int($0)! }
        var state = EntryViewState()
        let theme = Theme(unicode: !name.contains("ascii"))
        var model = Self.model()
        switch parts[1] {
        case "list":
            if name.contains("filtered") { state.filter = "bow" }
            state.selected = 1
        case "form":
            state.mode = .form(countForm)
            state.say("Second entry (the first is not shown) of box \(contest.boxes[1].id): type each figure from the sheet, then Enter.")
        case "mismatch":
            state.mode = .mismatch(mismatch)
            model.operatorName = "carol"
        default:
            state.say("The two entries differ in A. Nothing written; someone who typed neither resolves it.", problem: true)
        }
        return EntryScreen.render(model, state, theme: theme, width: size[0], height: size[1])
    }

    static let cases = ["entry-list-80x24", "entry-list-ascii-80x24", "entry-list-filtered-100x30", "entry-form-80x24",
                        "entry-form-ascii-80x24", "entry-mismatch-80x24", "entry-outcome-80x24"]

    @Test(arguments: cases)
    func screenMatchesGolden(_ name: String) throws {
        let text = Self.screen(name).text + "\n"
        let file = GoldenScreenTests.folder.appendingPathComponent(name + ".txt")
        if GoldenScreenTests.recording {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(golden == text, "\(name) differs from its golden screen; re-record with COUNTNIGHT_RECORD_GOLDEN=1 if the change is meant")
    }

    @Test func theListShowsEachBoxsStateAndWhereItsEntriesStand() {
        let rows = Self.screen("entry-list-80x24").rows
        #expect(rows[0].contains("operator alice") && rows[0].contains("4 pending"))
        let second = rows.first { $0.contains(Self.contest.boxes[1].id) }!
        #expect(second.hasPrefix("▶") && second.contains("verified") && second.contains("688") && second.contains("2nd needed (alice)"))
        #expect(rows.contains { $0.contains("MISMATCH 2") })
        #expect(rows.contains { $0.contains("1st typing (bob)") })
        let ascii = Self.screen("entry-list-ascii-80x24")
        #expect(ascii.rows.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(ascii.rows.contains { $0.hasPrefix("> ") })
    }

    @Test func withoutColourTheChosenRowAndAMismatchStandOutInReverse() {
        let grid = Self.screen("entry-list-80x24")
        let chosen = grid.rows.firstIndex { $0.hasPrefix("▶") }!
        #expect(grid[5, chosen].style.reverse)
        let mismatchRow = grid.rows.firstIndex { $0.contains("MISMATCH") }!
        let column = Array(grid.rows[mismatchRow]).firstIndex(of: "M")!
        #expect(grid[column, mismatchRow].style.bold && grid[column, mismatchRow].style.reverse)
        #expect(grid.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
    }

    @Test func theFormShowsTheLiveChecksAsSentences() {
        let rows = Self.screen("entry-form-80x24").rows
        #expect(rows[1].contains("count · r1 · SECOND ENTRY"))
        #expect(rows.contains { $0.contains("Votes 4,612 + rejected 0 = 4,612") && $0.contains("verified papers 688") })
        #expect(rows.contains { $0.contains("✖ 4,612 ballots exceed box") })
        #expect(rows.contains { $0.contains("! John Griffiths (Liberal Democrat): 4,000 is far more than this box's usual") })
    }

    /// The entry screen on the first entry of box BGN-1's verification.
    static func verificationSheet(revision: Int = 1, needsReason: Bool = false) -> EntryViewState {
        let target = EntryTarget(contest: contest.id, kind: .verification, box: "BGN-1", revision: revision)
        var state = EntryViewState()
        state.mode = .form(EntryFormState(target: target, role: .first, form: EntryForm(contest: contest, kind: .verification),
                                          needsReason: needsReason))
        return state
    }

    @Test func typingAFigureAndEnterKeepsItAndMovesOn() {
        var state = Self.verificationSheet()
        let model = Self.model()
        for key in "71x3" { _ = EntryScreen.apply(.character(key), to: &state, model) }
        _ = EntryScreen.apply(.character("\u{7f}"), to: &state, model)
        _ = EntryScreen.apply(.character("2"), to: &state, model)
        let saved = EntryScreen.apply(.enter, to: &state, model)
        guard case .save(let form) = saved else {
            Issue.record("Enter on a figure should keep it, not \(saved)")
            return
        }
        #expect(form.values == ["ballotPapers": 712])
        #expect(form.current == 1)
        guard case .handIn(let handed) = EntryScreen.apply(.enter, to: &state, model) else {
            Issue.record("Enter once every field is typed should hand in")
            return
        }
        #expect(handed.values == ["ballotPapers": 712])
    }

    @Test func anImpossibleFigureCannotBeHandedIn() {
        var state = Self.verificationSheet()
        let model = Self.model()
        for key in "99999" { _ = EntryScreen.apply(.character(key), to: &state, model) }
        _ = EntryScreen.apply(.enter, to: &state, model)
        #expect(EntryScreen.apply(.enter, to: &state, model) == .none)
        #expect(state.messageIsProblem)
        #expect(state.message?.hasPrefix("Cannot hand in: 99,999 ballot papers exceed box BGN-1's electorate of") == true)
    }

    @Test func typingFiltersTheBoxesAndAreasAndEnterOpensTheChosenKind() {
        var state = EntryViewState()
        let model = Self.model()
        for key in "BOW" { _ = EntryScreen.apply(.character(key), to: &state, model) }
        let rows = EntryScreen.filteredRows(model, state)
        #expect(!rows.isEmpty && rows.allSatisfy { $0.area.lowercased().contains("bow") || $0.box.lowercased().contains("bow") })
        _ = EntryScreen.apply(.tab, to: &state, model)
        #expect(EntryScreen.apply(.enter, to: &state, model) == .open(contest: "mayor", box: rows[0].box, kind: .count))
        #expect(EntryScreen.apply(.escape, to: &state, model) == .none)
        #expect(state.filter.isEmpty)
        #expect(EntryScreen.apply(.escape, to: &state, model) == .quit)
    }

    @Test func aCorrectionAsksItsReasonFirst() {
        var state = Self.verificationSheet(revision: 2, needsReason: true)
        let model = Self.model()
        #expect(EntryScreen.apply(.enter, to: &state, model) == .none)
        #expect(state.message == "A correction needs its reason: type why the box is entered again.")
        for key in "recount" { _ = EntryScreen.apply(.character(key), to: &state, model) }
        guard case .save(let form) = EntryScreen.apply(.enter, to: &state, model) else {
            Issue.record("the reason should be kept")
            return
        }
        #expect(form.reason == "recount" && form.current == 0)
    }

    @Test func aMismatchIsSettledByChoosingOrTypingAgain() {
        var state = EntryViewState()
        state.mode = .mismatch(Self.mismatch)
        let model = Self.model()
        #expect(EntryScreen.apply(.character("2"), to: &state, model) == .resolve(Self.mismatch.target, .second))
        _ = EntryScreen.apply(.character("r"), to: &state, model)
        guard case .form(let form) = state.mode else {
            Issue.record("r should open the differing fields")
            return
        }
        #expect(form.role == nil && form.fields.count == 2)
        for key in ["4", "1", "0"] { _ = EntryScreen.apply(.character(Character(key)), to: &state, model) }
        #expect(EntryScreen.apply(.enter, to: &state, model) == .none)
        _ = EntryScreen.apply(.character("0"), to: &state, model)
        _ = EntryScreen.apply(.enter, to: &state, model)
        guard case .handIn(let typed) = EntryScreen.apply(.enter, to: &state, model) else {
            Issue.record("Enter should hand in the fields typed again")
            return
        }
        #expect(typed.values == ["votes.rahman": 410, "votes.duffell": 0])
    }
}

@Suite struct EntriesOnTheDashboardTests {
    @Test func boxesAwaitingTheirSecondTypingAreCountedOnTheOverview() {
        var model = SampleNight.model(upTo: 0.5)
        let before = Dashboard.render(model, ViewState(), width: 100, height: 30)
        #expect(!before.text.contains("Entries pending"))
        model.pendingEntries = 3
        model.unconfirmedEntries = 1
        let grid = Dashboard.render(model, ViewState(), width: 100, height: 30)
        #expect(grid.rows.contains { $0.contains("Majority 3,493   Warnings 0 · Refused files 0 · Conflicts 0 · Entries pending 3 · Unconfirmed 1") })
        // The count itself is untouched.
        #expect(grid.rows.filter { !$0.contains("Entries pending") } == before.rows.filter { !$0.contains("Problems 0") })
    }
}
