import CountNightCore
import Foundation
import Testing
@testable import CountNightFeed

/// Replays of the sample night: order, stepping, and the last snapshot.
@Suite struct ReplayTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-feeds/tower-hamlets-2010").path

    func night() throws -> RecordedNight { try RecordedNight.load(Self.sample) }

    @Test func steppingBackAndForwardGivesTheStateOfAReplayFromTheStart() throws {
        let night = try night()
        var replay = night.replay
        for _ in 0..<60 { replay.stepForward() }
        let at60 = replay.snapshot(time: 0)
        for _ in 0..<25 { replay.stepBack() }
        var fresh = night.replay
        for _ in 0..<35 { fresh.stepForward() }
        #expect(replay.position == 35)
        #expect(replay.snapshot(time: 0) == fresh.snapshot(time: 0))
        for _ in 0..<25 { replay.stepForward() }
        #expect(replay.snapshot(time: 0) == at60)
    }
}
