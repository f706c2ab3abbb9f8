import CountNightCore
import CountNightFeed
import CountNightUI
import Foundation
import Glibc

/// Reads the feed on its own thread, so that a large or slow feed never
/// holds up keys or drawing, and hands finished models to the event loop
/// through a pipe that wakes it.
final class FeedWorker: @unchecked Sendable {
    /// Older log lines are dropped past this many, to keep memory bounded on a huge night.
    static let logLimit = 10_000

    private let lock = NSLock()
    private var reader: FeedReader
    private let interval: Double
    /// Whether `model` changed since the event loop last took it.
    private var fresh = false
    private var stopping = false
    /// Written to wake the event loop; read end for the loop's poll().
    let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopRead: Int32
    private let stopWrite: Int32
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// The model as it stands, without the clock.
    private var model: DashboardModel

    init(reader: FeedReader, interval: Double, sampleBanner: String?) {
        self.reader = reader
        self.interval = interval
        let snapshot = reader.snapshot(time: 0)
        model = DashboardModel(snapshot: snapshot, boxes: snapshot.contests.indices.map { reader.tally.boxRows(contest: $0) },
                               trend: [], log: [], clock: "", sampleBanner: sampleBanner)
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        pipe(&fds)
        stopRead = fds[0]
        stopWrite = fds[1]
        for fd in [wakeRead, wakeWrite] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        for fd in [wakeRead, wakeWrite, stopRead, stopWrite] { close(fd) }
    }

    /// The model before the first poll has finished.
    var initialModel: DashboardModel { lock.withLock { model } }

    func start() {
        let thread = Thread { [self] in
            // Resizes must reach the event loop's thread, which curses reads.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGWINCH)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            run()
            finished.signal()
        }
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    func stop() {
        lock.withLock { stopping = true }
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        if thread != nil { finished.wait() }
    }

    /// The newest model, if one arrived since the last call.
    func take() -> DashboardModel? {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
        return lock.withLock {
            defer { fresh = false }
            return fresh ? model : nil
        }
    }

    /// The least time between two models: a snapshot (and its projection)
    /// is made at most this often, however short `--interval` is and however
    /// fast files land. What arrives meanwhile waits for the next one.
    static let minimumModelInterval = 0.25

    private func run() {
        var first = true
        var pending: [(event: FeedEvent, time: Double)] = []
        var lastUpdate = -Double.infinity
        while !lock.withLock({ stopping }) {
            let events = reader.poll()
            let now = WallClock.now()
            pending.append(contentsOf: events.map { ($0, now) })
            var wait = interval
            if first || !pending.isEmpty {
                let due = lastUpdate + FeedWorker.minimumModelInterval
                if first || now >= due {
                    update(events: pending, time: now, first: first)
                    pending.removeAll()
                    lastUpdate = now
                    first = false
                } else {
                    wait = min(wait, due - now)
                }
            }
            var fd = pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)
            _ = Glibc.poll(&fd, 1, Int32((wait * 1000).rounded(.up)))
        }
    }

    private func update(events: [(event: FeedEvent, time: Double)], time: Double, first: Bool) {
        let snapshot = reader.snapshot(time: time)
        var next = lock.withLock { model }
        next.snapshot = snapshot
        next.boxes = snapshot.contests.indices.map { reader.tally.boxRows(contest: $0) }
        if first {
            next.trend = reader.tally.trendHistory()
        } else {
            for index in snapshot.contests.indices {
                let point = reader.tally.trendPoint(contest: index)
                if index >= next.trend.count { next.trend.append([]) }
                if next.trend[index].last != point { next.trend[index].append(point) }
            }
        }
        // Events of one poll share their time: format it once.
        var formatted: (time: Double, clock: String)? = nil
        for (event, arrived) in events {
            if formatted?.time != arrived { formatted = (arrived, WallClock.timeOfDay(arrived)) }
            let clock = formatted!.clock
            next.log.append(FeedWorker.logEntry(event, time: clock))
            if case .batch(let batch) = event, batch.kind != .deleted { next.lastBatchRead = clock }
        }
        if next.log.count > FeedWorker.logLimit { next.log.removeFirst(next.log.count - FeedWorker.logLimit) }
        next.feedProblem = reader.unavailable
        lock.withLock {
            model = next
            fresh = true
        }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    static func logEntry(_ event: FeedEvent, time: String) -> LogEntry {
        switch event {
        case .batch(let batch):
            return LogEntry(batch, time: time)
        case .electionReloaded, .electionRefused:
            return LogEntry(time: time, kind: .election, text: event.description)
        case .feedUnavailable, .feedBack:
            return LogEntry(time: time, kind: .feed, text: event.description)
        }
    }
}
