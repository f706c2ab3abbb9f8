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
    private var clock: Double
    private var speed: Double?
    private var paused = false
    /// Keys taken from the event loop, applied on this thread.
    private var keys: [Key] = []
    /// Trend points and log lines with the position they were made at, so
    /// that stepping back takes them away.
    private var trend: [[(position: Int, point: TrendPoint)]]
    private var log: [(position: Int, entry: LogEntry)] = []
    private let sampleBanner: String?
    private let times: [Double]

    init(replay: Replay, speed: Double?, from: Double?, sampleBanner: String?) {
        var replay = replay
        initial = replay
        let snapshot = replay.snapshot(time: replay.startTime)
        self.replay = replay
        self.speed = speed
        self.sampleBanner = sampleBanner
        clock = replay.startTime
        times = replay.entries.map(\.time)
        trend = replay.tally.snapshot(time: 0).contests.indices.map { [(0, replay.tally.trendPoint(contest: $0))] }
        super.init(model: DashboardModel(snapshot: snapshot, sampleBanner: sampleBanner))
        if let from, from > clock {
            while !self.replay.atEnd && self.replay.entries[self.replay.position].time <= from { forward() }
            clock = from
        }
        publish(makeModel(withSnapshot: true))
    }

    override func handle(_ key: Key) -> Bool {
        switch key {
        case .character(" "), .character("+"), .character("="), .character("-"), .left, .right, .home, .end:
            lock.withLock { keys.append(key) }
            nudge()
            return true
        default:
            return false
        }
    }

    override func run() {
        var lastWall = WallClock.now()
        var lastSnapshot = -Double.infinity
        var lastPublish = -Double.infinity
        var positionShown = replay.position
        var clockShown = clock
        while !isStopping {
            let pressed = lock.withLock { () -> [Key] in
                defer { keys.removeAll() }
                return keys
            }
            for key in pressed { apply(key) }
            let now = WallClock.now()
            if !paused && !replay.atEnd {
                if let speed {
                    clock = min(replay.endTime, clock + (now - lastWall) * speed)
                    // A whole night's worth at once would hold the screen: in slices.
                    var applied = 0
                    while !replay.atEnd, replay.entries[replay.position].time <= clock, applied < 2000 {
                        forward()
                        applied += 1
                    }
                } else {
                    for _ in 0..<2000 where !replay.atEnd { forward() }
                    clock = replay.atEnd ? replay.endTime : replay.entries[replay.position - 1].time
                }
            }
            lastWall = now
            let moved = replay.position != positionShown
            let snapshotDue = moved && (now - lastSnapshot >= FeedWorker.minimumModelInterval || !pressed.isEmpty || replay.atEnd)
            // Paused or at the end, nothing moves: nothing to publish.
            if snapshotDue || !pressed.isEmpty || (clock != clockShown && now - lastPublish >= 0.1) {
                publish(makeModel(withSnapshot: snapshotDue || !pressed.isEmpty))
                lastPublish = now
                clockShown = clock
                if snapshotDue || !pressed.isEmpty {
                    lastSnapshot = now
                    positionShown = replay.position
                }
            }
            if moved && !snapshotDue {
                sleep(max(0.01, min(0.1, lastSnapshot + FeedWorker.minimumModelInterval - now)))
            } else {
                sleep(paused || replay.atEnd ? 1 : (speed == nil ? 0 : 0.1))
            }
        }
    }

    private func apply(_ key: Key) {
        switch key {
        case .character(" "):
            paused.toggle()
        case .character("+"), .character("="):
            speed = speed.map { min($0 * 2, 1_000_000) }
        case .character("-"):
            speed = speed.map { max($0 / 2, 0.01) } ?? 3600
        case .right:
            paused = true
            forward()
            if replay.position > 0 { clock = replay.entries[replay.position - 1].time }
        case .left:
            paused = true
            back()
            clock = replay.position > 0 ? replay.entries[replay.position - 1].time : replay.startTime
        case .home:
            replay = initial
            trend = trend.map { Array($0.prefix(1)) }
            log.removeAll()
            clock = replay.startTime
        case .end:
            while !replay.atEnd { forward() }
            clock = replay.endTime
        default:
            break
        }
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
        for index in 0..<contests {
            let point = replay.tally.trendPoint(contest: index)
            if trend[index].last?.point != point { trend[index].append((position, point)) }
        }
    }

    private func back() {
        replay.stepBack()
        let position = replay.position
        while let last = log.last, last.position > position { log.removeLast() }
        for index in trend.indices {
            while let last = trend[index].last, last.position > position, last.position > 0 { trend[index].removeLast() }
        }
    }

    private func makeModel(withSnapshot: Bool) -> DashboardModel {
        var model = current
        if withSnapshot {
            model.snapshot = replay.snapshot(time: clock, boxes: true)
            model.trend = trend.map { $0.map(\.point) }
            model.log = log.suffix(ModelWorker.logLimit).map(\.entry)
        }
        model.clock = WallClock.timeOfDay(clock)
        model.sampleBanner = sampleBanner
        model.replay = ReplayStatus(speed: speed, paused: paused, position: replay.position, clock: clock,
                                    start: replay.startTime, end: replay.endTime, times: times,
                                    startLabel: String(WallClock.timeOfDay(replay.startTime).prefix(5)),
                                    endLabel: String(WallClock.timeOfDay(replay.endTime).prefix(5)))
        return model
    }
}
