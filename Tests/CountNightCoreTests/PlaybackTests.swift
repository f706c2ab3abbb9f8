import Testing
@testable import CountNightCore

/// The replay's clock, speed and position, driven by given wall times as the
/// dashboard, headless replay and rehearse drive it.
@Suite struct PlaybackTests {
    /// Entries at 100, 110, 110, 130 and 400 seconds.
    static let times: [Double] = [100, 110, 110, 130, 400]

    @Test func theClockStartsASecondBeforeTheFirstEntryAndRunsAtTheSpeed() {
        var playback = Playback(times: Self.times, speed: 10)
        #expect(playback.clock == 99)
        #expect(playback.position == 0)
        playback.run(wall: 0.05)
        #expect(playback.clock == 99.5)
        #expect(playback.position == 0)
        playback.run(wall: 1.1)
        // 99.5 + 11 = 110.5: the first three entries are due.
        #expect(playback.clock == 110.5)
        #expect(playback.position == 3)
        playback.run(wall: 1000)
        #expect(playback.clock == 400)
        #expect(playback.atEnd)
    }

    @Test func pauseAndResumeKeepThePosition() {
        var playback = Playback(times: Self.times, speed: 10)
        playback.run(wall: 1.2)
        let (clock, position) = (playback.clock, playback.position)
        playback.togglePause()
        playback.run(wall: 60)
        #expect(playback.paused)
        #expect(playback.clock == clock)
        #expect(playback.position == position)
        playback.togglePause()
        playback.run(wall: 2)
        #expect(playback.clock == clock + 20)
        #expect(playback.position == 4)
    }

    @Test func aSpeedChangeKeepsThePositionAndStepsThroughRoundValues() {
        var playback = Playback(times: Self.times, speed: 1)
        playback.run(wall: 11.5)
        #expect(playback.position == 3)
        var shown: [Double?] = []
        for _ in 0..<5 {
            playback.faster()
            shown.append(playback.speed)
        }
        #expect(shown == [2, 5, 10, 20, 50])
        #expect(playback.clock == 110.5)
        #expect(playback.position == 3)
        playback.slower()
        playback.slower()
        #expect(playback.speed == 10)
        // From a speed between steps (the sample's ×94), the next round one either way.
        var sample = Playback(times: Self.times, speed: 94)
        sample.faster()
        #expect(sample.speed == 100)
        sample = Playback(times: Self.times, speed: 94)
        sample.slower()
        #expect(sample.speed == 50)
    }

    @Test func speedsAreRoundAndStayWithinWhatSpeedAccepts() {
        #expect(Array(Playback.speeds.prefix(7)) == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1])
        #expect(Playback.speeds.last == 1_000_000)
        #expect(Playback.speeds.contains(20))
        var top = Playback(times: Self.times, speed: 1_000_000)
        top.faster()
        #expect(top.speed == 1_000_000)
        var bottom = Playback(times: Self.times, speed: 0.01)
        bottom.slower()
        #expect(bottom.speed == 0.01)
        var max = Playback(times: Self.times, speed: nil)
        max.faster()
        #expect(max.speed == nil)
        max.slower()
        #expect(max.speed == Playback.slowerThanMax)
    }

    @Test func stepPausesAndShowsTheTimeOfTheLastEntryApplied() {
        var playback = Playback(times: Self.times, speed: 60)
        playback.step(by: 1)
        #expect(playback.paused)
        #expect(playback.position == 1)
        #expect(playback.clock == 100)
        playback.step(by: 1)
        playback.step(by: 1)
        #expect(playback.position == 3)
        #expect(playback.clock == 110)
        playback.step(by: -1)
        #expect(playback.position == 2)
        #expect(playback.clock == 110)
        playback.step(by: -1)
        playback.step(by: -1)
        playback.step(by: -1)
        #expect(playback.position == 0)
        #expect(playback.clock == 99)
        // Paused, the clock stands.
        playback.run(wall: 100)
        #expect(playback.position == 0)
    }

    @Test func rewindAndEndGoToTheStartAndTheEndOfTheNight() {
        var playback = Playback(times: Self.times, speed: 60)
        playback.run(wall: 1)
        playback.toEnd()
        #expect(playback.atEnd)
        #expect(playback.clock == 400)
        playback.rewind()
        #expect(playback.position == 0)
        #expect(playback.clock == 99)
        #expect(!playback.paused)
        playback.run(wall: 0.5)
        #expect(playback.position == 3)
    }

    @Test func fromStartsPartWayWithEverythingBeforeItDue() {
        let playback = Playback(times: Self.times, speed: 60, from: 120)
        #expect(playback.clock == 120)
        #expect(playback.position == 3)
        let early = Playback(times: Self.times, speed: 60, from: 50)
        #expect(early.clock == 99)
        #expect(early.position == 0)
        let onAnEntry = Playback(times: Self.times, speed: 60, from: 110)
        #expect(onAnEntry.position == 3)
    }

    @Test func asFastAsPossibleAppliesInSlicesAndTheClockFollowsTheEntries() {
        var playback = Playback(times: Self.times, speed: nil)
        playback.run(wall: 0, limit: 2)
        #expect(playback.position == 2)
        #expect(playback.clock == 110)
        #expect(playback.wallSeconds(until: 400) == 0)
        playback.run(wall: 0, limit: 2)
        playback.run(wall: 0, limit: 2)
        #expect(playback.atEnd)
        #expect(playback.clock == 400)
    }

    @Test func headlessStepsSayHowLongToWaitAtTheSpeed() {
        var playback = Playback(times: Self.times, speed: 10)
        var waits: [Double] = []
        while let wait = playback.next() { waits.append(wait) }
        #expect(waits == [0.1, 1, 0, 2, 27])
        #expect(playback.atEnd)

        var every = Playback(times: Self.times, speed: 2)
        #expect(every.advance(to: 129) == 15)
        #expect(every.position == 3)
        // Never back: an earlier time costs nothing and moves nothing.
        #expect(every.advance(to: 50) == 0)
        #expect(every.clock == 129)
    }

    /// A journal with a night's break and a clock wrong once (year 9999):
    /// played through, the replay waits at most an hour between entries.
    @Test func gapsAreBoundedAsTheJournalSays() throws {
        let base = 1_288_000_000.0
        let arrivals: [Double] = [base, base + 60, base + 4 * 3600, base + 4 * 3600 + 30, 253_402_300_000, base + 4 * 3600 + 90]
        let numbered = arrivals.enumerated().map { index, time in
            (place: "line \(index + 1)", entry: NightEntry(time: time, file: "b\(index).json", change: .deleted))
        }
        let (entries, problems) = Journal.playableTimes(numbered.map(\.entry), place: { index, _ in numbered[index].place })
        #expect(problems.count == 2)
        var playback = Playback(times: entries.map(\.time), speed: 1)
        var waits: [Double] = []
        while let wait = playback.next() { waits.append(wait) }
        #expect(waits == [1, 60, Journal.longestGap, 30, 0, 60])
        #expect(waits.allSatisfy { $0 <= Journal.longestGap })
    }
}
