import Testing
@testable import CountNightCore

/// A snapshot made without the areas' figures (as the headless lines are
/// made, at every batch of a replay) says the same in every line as one
/// made with them, and the areas reporting that a call rests on are kept
/// right as batches come and go.
@Suite struct SnapshotAreasTests {
    /// Areas with ballots counted, read from the areas' own figures.
    static func reportingByArea(_ contest: ContestSnapshot) -> Int {
        contest.areas.filter { $0.countedBallots > 0 }.count
    }

    static func expectSameLines(_ replay: inout Replay, _ where: String) {
        let with = replay.snapshot(time: 0)
        let without = replay.snapshot(time: 0, areas: false)
        let contest = with.contests[0]
        #expect(contest.areas.count == contest.definition.areas.count, "\(`where`)")
        #expect(without.contests[0].areas.isEmpty, "\(`where`)")
        #expect(contest.areasReporting == Self.reportingByArea(contest), "\(`where`)")
        #expect(without.contests[0].areasReporting == contest.areasReporting, "\(`where`)")
        #expect(without.json() == with.json(), "\(`where`)")
        #expect(without.textLine() == with.textLine(), "\(`where`)")
        #expect(without.contests[0].callBasis == contest.callBasis, "\(`where`)")
        // The line as written is the JSON and its newline, from each
        // contest's JSON made beforehand as from the snapshot itself.
        let line = Array((with.json() + "\n").utf8)
        #expect(with.jsonLine() == line, "\(`where`)")
        #expect(replay.snapshot(time: 0, areas: false, json: true).jsonLine() == line, "\(`where`)")
    }

    @Test(arguments: [StrataSumsTests.Kind.bundles, .mixed])
    func linesAreTheSameWithoutTheAreasAllNightForwardAndBack(kind: StrataSumsTests.Kind) {
        let night = StrataSumsTests.night(kind)
        let entries = KeptSumsTests.entries(night)
        var replay = Replay(election: night.election, entries: entries)
        var calls = 0
        var reportingSeen = Set<Int>()
        while !replay.atEnd {
            replay.stepForward()
            // Asked in turn with and without the areas: a contest's
            // snapshot kept without them must not be given for one asked with them.
            Self.expectSameLines(&replay, "after entry \(replay.position)")
            let contest = replay.snapshot(time: 0).contests[0]
            reportingSeen.insert(contest.areasReporting)
            if contest.callBasis != nil { calls += 1 }
        }
        // Every area reports by the end, having started from none.
        let last = replay.snapshot(time: 0).contests[0]
        #expect(last.areasReporting == last.definition.areas.count)
        #expect(reportingSeen.count > 3)
        // The night with bundles is called before its end, so the call's basis was compared too.
        if kind == .bundles { #expect(calls > 0) }
        // Back over the night: batches taken away take their areas out of the reporting ones.
        while replay.position > 1 {
            replay.stepBack()
            if replay.position % 5 == 0 { Self.expectSameLines(&replay, "back at entry \(replay.position)") }
        }
        #expect(replay.snapshot(time: 0, areas: false).contests[0].areasReporting == 0)
    }

    /// A new election.json makes the tally again from every batch: the
    /// areas reporting are counted again with it, and the lines say the
    /// same with or without the areas' figures on either side of it.
    @Test func theAreasReportingAreMadeAgainWithANewElection() {
        let night = StrataSumsTests.night(.bundles)
        var entries = KeptSumsTests.entries(night)
        let renamed = night.electionJSON.replacingOccurrences(of: "Synthetic night", with: "Synthetic night, corrected")
        let middle = entries.count / 2
        entries.insert(NightEntry(time: entries[middle].time, file: ElectionFile.name, change: .version(Array(renamed.utf8))), at: middle)
        var replay = Replay(election: night.election, entries: entries)
        var replaced = false
        while !replay.atEnd {
            replay.stepForward()
            if replay.position == middle + 1 {
                replaced = true
                #expect(replay.snapshot(time: 0).title == "Synthetic night, corrected")
                #expect(replay.snapshot(time: 0).contests[0].areasReporting > 0)
            }
            if replay.position % 3 == 0 || replay.position == middle + 1 { Self.expectSameLines(&replay, "after entry \(replay.position)") }
        }
        #expect(replaced)
        // And back across it: the first election again, the count taken back with it.
        while replay.position > middle - 3 {
            replay.stepBack()
            Self.expectSameLines(&replay, "back at entry \(replay.position)")
        }
        #expect(replay.snapshot(time: 0).title == "Synthetic night")
    }

    @Test func aHeadlessReplayWithoutTheAreasWritesTheSameLines() {
        let night = StrataSumsTests.night(.bundles)
        let replay = Replay(election: night.election, entries: KeptSumsTests.entries(night))
        var with = HeadlessReplay(replay: replay, every: nil, from: nil)
        var without = HeadlessReplay(replay: replay, every: nil, from: nil, areas: false)
        var steps = 0
        while let a = with.next() {
            guard let b = without.next() else {
                Issue.record("the replay without the areas ended early")
                return
            }
            #expect(b.snapshot.contests.allSatisfy { $0.areas.isEmpty })
            #expect(a.snapshot.json() == b.snapshot.json())
            #expect(a.snapshot.textLine() == b.snapshot.textLine())
            steps += 1
        }
        #expect(without.next() == nil)
        #expect(steps > 100)
    }
}
