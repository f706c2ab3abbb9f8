import CountNightCore
import CountNightFeed
import CountNightUI
import Foundation

/// Plays a recorded night on its own thread at the chosen speed, takes the
/// replay's keys, and makes the dashboard's models: a snapshot at most four
/// times a second, the clock and timeline ten times a second.
final class ReplayWorker: ModelWorker, @unchecked Sendable {
    private var replay: Replay
    private let initial: Replay
    /// The replay clock, speed and pause; `replay` follows its position.
    private var playback: Playback
    /// Keys taken from the event loop, applied on this thread.
    private var keys: [Key] = []
    /// Trend points and log lines with the position they were made at, so
    /// that stepping back takes them away.
    private var trend: [[(position: Int, point: TrendPoint)]]
    private var log: [(position: Int, entry: LogEntry)] = []
    private let sampleBanner: String?
    /// A whole night's worth at once would hold the screen: applied in slices of this many.
    private static let slice = 2000

    init(replay: Replay, speed: Double?, from: Double?, sampleBanner: String?) {
        var replay = replay
        initial = replay
        let snapshot = replay.snapshot(time: replay.startTime)
        self.replay = replay
        self.sampleBanner = sampleBanner
        playback = Playback(times: replay.entries.map(\.time), speed: speed, from: from)
        trend = replay.tally.election.contests.indices.map { [(0, replay.tally.trendPoint(contest: $0))] }
        super.init(model: DashboardModel(snapshot: snapshot, sampleBanner: sampleBanner))
        follow()
        publish(makeModel(withSnapshot: true))
    }

    /// The replay's own keys. Home and End are not among them: they scroll
    /// the view, as they do live.
    static func isReplayKey(_ key: Key) -> Bool {
        switch key {
        case .character(" "), .character("+"), .character("="), .character("-"), .left, .right,
             .character("r"), .character("R"), .character("e"), .character("E"):
            return true
        default:
            return false
        }
    }

    override func handle(_ key: Key) -> Bool {
        guard Self.isReplayKey(key) else { return false }
        lock.withLock { keys.append(key) }
        nudge()
        return true
    }

    override func run() {
        var lastWall = WallClock.now()
        var lastSnapshot = -Double.infinity
        var lastPublish = -Double.infinity
        var positionShown = replay.position
        var clockShown = playback.clock
        while !isStopping {
            let pressed = lock.withLock { () -> [Key] in
                defer { keys.removeAll() }
                return keys
            }
            for key in pressed { apply(key) }
            let now = WallClock.now()
            playback.run(wall: now - lastWall, limit: Self.slice)
            follow()
            lastWall = now
            let moved = replay.position != positionShown
            let snapshotDue = moved && (now - lastSnapshot >= FeedWorker.minimumModelInterval || !pressed.isEmpty || replay.atEnd)
            // Paused or at the end, nothing moves: nothing to publish.
            if snapshotDue || !pressed.isEmpty || (playback.clock != clockShown && now - lastPublish >= 0.1) {
                publish(makeModel(withSnapshot: snapshotDue || !pressed.isEmpty))
                lastPublish = now
                clockShown = playback.clock
                if snapshotDue || !pressed.isEmpty {
                    lastSnapshot = now
                    positionShown = replay.position
                }
            }
            if moved && !snapshotDue {
                sleep(max(0.01, min(0.1, lastSnapshot + FeedWorker.minimumModelInterval - now)))
            } else {
                sleep(playback.paused || playback.atEnd ? 1 : (playback.speed == nil ? 0 : 0.1))
            }
        }
    }

    private func apply(_ key: Key) {
        switch key {
        case .character(" "): playback.togglePause()
        case .character("+"), .character("="): playback.faster()
        case .character("-"): playback.slower()
        case .right: playback.step(by: 1)
        case .left: playback.step(by: -1)
        case .character("r"), .character("R"):
            playback.rewind()
            // Starting again from the empty tally is quicker than undoing the night.
            replay = initial
            trend = trend.map { Array($0.prefix(1)) }
            log.removeAll()
        case .character("e"), .character("E"): playback.toEnd()
        default: break
        }
        follow()
    }

    /// Brings the tally to where the playback stands.
    private func follow() {
        while replay.position > playback.position { back() }
        while replay.position < playback.position { forward() }
    }

    private func forward() {
        let time = replay.entries[replay.position].time
        let event = replay.stepForward()
        let position = replay.position
        if let event { log.append((position, FeedWorker.logEntry(.count(event), time: WallClock.timeOfDay(time)))) }
        if log.count > ModelWorker.logLimit * 2 { log.removeFirst(log.count - ModelWorker.logLimit) }
        // An election.json with more contests brings their trends in.
        let contests = replay.tally.election.contests.count
        while trend.count < contests { trend.append([]) }
        for index in 0..<contests { addTrendPoint(contest: index, position: position) }
    }

    /// The contest's count as it is now, at `position`, added to its trend (`Trend.add`).
    private func addTrendPoint(contest index: Int, position: Int) {
        Trend.add((position, replay.tally.trendPoint(contest: index)), to: &trend[index],
                  spacing: replay.tally.trendSpacing(contest: index)) { $0.point }
    }

    private func back() {
        replay.stepBack()
        let position = replay.position
        while let last = log.last, last.position > position { log.removeLast() }
        for index in trend.indices {
            while let last = trend[index].last, last.position > position, last.position > 0 { trend[index].removeLast() }
            // A point taken out may have stood for this position too: the trend ends at the count as it is.
            if index < replay.tally.election.contests.count { addTrendPoint(contest: index, position: position) }
        }
    }

    private func makeModel(withSnapshot: Bool) -> DashboardModel {
        var model = current
        if withSnapshot {
            model.snapshot = replay.snapshot(time: playback.clock, boxes: true)
            model.trend = trend.map { $0.map(\.point) }
            model.log = log.suffix(ModelWorker.logLimit).map(\.entry)
        }
        model.clock = WallClock.timeOfDay(playback.clock)
        model.sampleBanner = sampleBanner
        model.replay = ReplayStatus(speed: playback.speed, paused: playback.paused, position: replay.position, clock: playback.clock,
                                    start: playback.start, end: playback.end, times: playback.times,
                                    startLabel: String(WallClock.timeOfDay(playback.start).prefix(5)),
                                    endLabel: String(WallClock.timeOfDay(playback.end).prefix(5)))
        return model
    }
}
