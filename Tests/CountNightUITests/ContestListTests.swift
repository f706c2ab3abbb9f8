import CountNightCore
import Testing
@testable import CountNightUI

/// A feed of several contests opens on the list of them.
@Suite struct ContestListTests {
    static func model() throws -> DashboardModel {
        let election = try ElectionFile.parse(Array("""
            {"format": "countnight-feed/1", "id": "borough", "title": "Borough night", "contests": [
              {"id": "mayor", "title": "Mayor", "system": "fptp",
               "candidates": [{"id": "ann", "name": "Ann Able"}, {"id": "bob", "name": "Bob Baker"}],
               "boxes": [{"id": "M1", "area": "North"}, {"id": "M2", "area": "South"}]},
              {"id": "ward", "title": "Bow ward", "system": "block", "seats": 2,
               "candidates": [{"id": "cy", "name": "Cy Cole"}, {"id": "di", "name": "Di Dove"}, {"id": "ed", "name": "Ed Eve"}],
               "boxes": [{"id": "W1"}]},
              {"id": "by", "title": "Mile End by-election", "system": "fptp",
               "candidates": [{"id": "fay", "name": "Fay Fox"}, {"id": "gus", "name": "Gus Gale"}],
               "boxes": [{"id": "B1"}]}]}
            """.utf8))
        var tally = Tally(election: election)
        tally.read(file: "m1", bytes: Array(#"{"contest": "mayor", "kind": "count", "box": "M1", "votes": {"ann": 600, "bob": 400}}"#.utf8))
        tally.read(file: "w1", bytes: Array(#"{"contest": "ward", "kind": "count", "box": "W1", "ballots": 500, "votes": {"cy": 400, "di": 350, "ed": 200}}"#.utf8))
        return DashboardModel(snapshot: tally.snapshot(time: 0), clock: "23:15:00")
    }

    @Test func theListHasARowForEveryContestWithItsStateLeaderAndProjection() throws {
        let model = try Self.model()
        let state = ViewState(contests: 3)
        #expect(state.contestList)
        let grid = Dashboard.render(model, state, width: 140, height: 24)
        #expect(grid.rows[0].contains("Borough night · every contest"))
        #expect(grid.rows[0].contains("1 COMPLETE · 1 COUNTING · 1 AWAITING"))
        let mayor = try #require(grid.rows.first { $0.contains("Mayor") })
        #expect(mayor.contains("▶ Mayor") && mayor.contains("fptp") && mayor.contains("COUNTING") && mayor.contains("Ann Able"))
        // Counted against what is expected in all: one box of two.
        #expect(mayor.contains(" 50% "))
        #expect(mayor.contains("Too early to call"))
        let ward = try #require(grid.rows.first { $0.contains("Bow ward") })
        #expect(ward.contains("block 2") && ward.contains("COMPLETE") && ward.contains("Cy Cole, Di Dove") && ward.contains("ELECTED: Cy Cole, Di Dove"))
        let by = try #require(grid.rows.first { $0.contains("Mile End by-elect") })
        #expect(by.contains("AWAITING") && by.contains("Too early to call: nothing counted yet"))
    }

    @Test func onANarrowScreenTheProjectionIsShortAndTheSystemGoes() throws {
        let grid = Dashboard.render(try Self.model(), ViewState(contests: 3), width: 80, height: 24)
        #expect(grid.rows[1].contains("Projection") && !grid.rows[1].contains("System"))
        #expect(grid.rows.contains { $0.contains("▶ Mayor") && $0.contains("too early to call") })
        #expect(grid.rows.contains { $0.contains("Bow ward") && $0.contains("ELECTED: Cy Cole") })
    }

    @Test func enterOpensTheChosenContestAndEscapeComesBack() throws {
        let model = try Self.model()
        var state = ViewState(contests: 3)
        #expect(state.apply(.down, contests: 3, page: 10, total: 3) == .changed)
        #expect(state.apply(.enter, contests: 3, page: 10, total: 3) == .changed)
        #expect(!state.contestList && state.contest == 1)
        var grid = Dashboard.render(model, state, width: 100, height: 24)
        #expect(grid.rows[0].contains("Borough night · Bow ward (2 of 3, c: next)"))
        #expect(grid.rows.contains { $0.contains("Cy Cole") && $0.contains("ELECTED") })
        #expect(state.apply(.escape, contests: 3, page: 10, total: 3) == .changed)
        #expect(state.contestList && state.contest == 1)
        grid = Dashboard.render(model, state, width: 100, height: 24)
        #expect(grid.rows.contains { $0.contains("▶ Bow ward") })
        // A number opens the chosen contest in that view.
        _ = state.apply(.up, contests: 3, page: 10, total: 3)
        _ = state.apply(.character("2"), contests: 3, page: 10, total: 3)
        #expect(!state.contestList && state.contest == 0 && state.view == .areas)
        // One contest: no list, and Escape does nothing.
        var single = ViewState(contests: 1)
        #expect(!single.contestList)
        #expect(single.apply(.escape, contests: 1, page: 10, total: 3) == .unchanged)
    }
}

/// A declared result on the screen.
@Suite struct DeclaredScreenTests {
    @Test func theHeaderSaysDeclaredAndTheBarsShowTheDeclaredFigures() throws {
        var tally = Tally(election: SampleNight.election)
        for file in SampleNight.files { tally.read(file: file.name, bytes: file.bytes) }
        // Declared after a recount moved three votes, and the figures differ.
        let declaration = #"{"contest": "mayor", "kind": "declaration", "elected": ["rahman"], "votes": {"rahman": 23286, "abbas": 11251, "king": 5348, "griffiths": 2800, "duffell": 2300}, "rejected": {"unmarked or wholly void for uncertainty": 1734}}"#
        tally.read(file: "declaration.json", bytes: Array(declaration.utf8))
        let grid = Dashboard.render(DashboardModel(snapshot: tally.snapshot(time: 0)), ViewState(), width: 100, height: 30)
        #expect(grid.rows[0].contains("DECLARED"))
        #expect(grid.rows.contains { $0.contains("Lutfur Rahman") && $0.contains("23,286") && $0.contains("ELECTED") })
        #expect(grid.rows.contains { $0.contains("DECLARED: Lutfur Rahman elected") })
        #expect(grid.rows.contains { $0.contains("Warnings 2") })
    }
}
