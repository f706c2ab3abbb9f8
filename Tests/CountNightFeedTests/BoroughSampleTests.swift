import CountNightCore
import Foundation
import Testing
@testable import CountNightFeed

/// The second bundled sample: a borough night of three contests, each
/// ending in a declaration (synthetic).
@Suite struct BoroughSampleTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/riverside-2026").path

    func contest(_ snapshot: Snapshot, _ id: String) throws -> ContestSnapshot {
        try #require(snapshot.contests.first { $0.id == id })
    }

    @Test func everyContestIsDeclaredAsTheCountHasIt() throws {
        var reader = try FeedReader(directory: Self.path)
        _ = reader.poll()
        let snapshot = reader.snapshot(time: 0)
        #expect(snapshot.refusedFiles.isEmpty && snapshot.conflicts.isEmpty)
        let mayor = try contest(snapshot, "mayor")
        #expect(mayor.status == .declared)
        #expect(mayor.winners == ["okafor"])
        #expect(mayor.warnings.isEmpty)
        // Elected at the second stage: nobody had half of the first preferences.
        #expect(mayor.candidates[0].votes * 2 < mayor.valid)
        let stage = try #require(mayor.secondStage)
        #expect(stage.finalists == ["okafor", "hale"])
        #expect(stage.isComplete)
        #expect(stage.totals == [6434, 5194])
        #expect(mayor.declaration?.transfers?["okafor"] == stage.transfers[0])

        let ward = try contest(snapshot, "eastgate")
        #expect(ward.status == .declared)
        #expect(Set(ward.winners) == ["ahmed", "bell", "cole"])
        #expect(ward.warnings.isEmpty)
        #expect(ward.seats == 3)

        let by = try contest(snapshot, "northfield")
        #expect(by.status == .declared)
        #expect(by.winners == ["jones"])
        #expect(by.warnings.isEmpty)
        #expect(snapshot.isComplete)
    }

    @Test func replayedTheMayorGoesThroughASecondStageBeforeTheDeclaration() throws {
        let night = try RecordedNight.load(Self.path)
        var replay = night.replay
        var statuses: [ContestStatus] = []
        while !replay.atEnd {
            replay.stepForward()
            let status = replay.snapshot(time: 0).contests[0].status
            if statuses.last != status { statuses.append(status) }
        }
        #expect(statuses == [.verifying, .counting, .secondStage, .complete, .declared])
    }
}
