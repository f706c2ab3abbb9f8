import CountNightCore
import CountNightFeed
import CountNightUI
import Foundation
import Glibc

/// Makes dashboard models on its own thread, so that a large or slow feed
/// never holds up keys or drawing, and hands finished models to the event
/// loop through a pipe that wakes it. Subclasses say how models are made.
@_spi(Benchmark) public class ModelWorker: @unchecked Sendable {
    /// Older log lines are dropped past this many, to keep memory bounded on a huge night.
    static let logLimit = 10_000

    let lock = NSLock()
    /// Whether `model` changed since the event loop last took it.
    private var fresh = false
    private var stopping = false
    /// Written to wake the event loop; read end for the loop's poll().
    @_spi(Benchmark) public let wakeRead: Int32
    private let wakeWrite: Int32
    /// Written to wake the worker: to stop, or because a key was given to it.
    let stopRead: Int32
    private let stopWrite: Int32
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// The model as it stands, without the clock.
    private var model: DashboardModel

    init(model: DashboardModel) {
        self.model = model
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        pipe(&fds)
        stopRead = fds[0]
        stopWrite = fds[1]
        for fd in [wakeRead, wakeWrite, stopRead, stopWrite] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        for fd in [wakeRead, wakeWrite, stopRead, stopWrite] { close(fd) }
    }

    /// The model before the worker has made one.
    var initialModel: DashboardModel { lock.withLock { model } }
    var isStopping: Bool { lock.withLock { stopping } }

    /// The nice value models are made at: reading a large feed fills every
    /// core, and the event loop, at the process's own, must still get one
    /// at once for a key.
    static let niceness: Int32 = 5

    @_spi(Benchmark) public func start() {
        let thread = Thread { [self] in
            // Resizes must reach the event loop's thread, which curses reads.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGWINCH)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            // This thread only (Linux keeps the nice value per thread), and the reading threads it starts.
            let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            if own < ModelWorker.niceness { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, ModelWorker.niceness) }
            run()
            finished.signal()
        }
        thread.stackSize = Thread.workStackSize
        self.thread = thread
        thread.start()
    }

    @_spi(Benchmark) public func stop() {
        lock.withLock { stopping = true }
        nudge()
        if thread != nil { finished.wait() }
    }

    /// Wakes the worker from `sleep`.
    @_spi(Benchmark) public func nudge() {
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
    }

    /// Models the screen has replaced, to be freed on this thread: freeing a
    /// large night's model (its trend has a point per batch, a million on a
    /// million-file night) takes tens of milliseconds that keys should not wait for.
    private var replaced: [DashboardModel] = []

    /// Takes a model the screen no longer shows, to free it on the worker's thread.
    @_spi(Benchmark) public func discard(_ model: DashboardModel) {
        lock.withLock { replaced.append(model) }
    }

    /// Sleeps until `seconds` pass or the worker is nudged.
    func sleep(_ seconds: Double) {
        var done: [DashboardModel] = []
        lock.withLock { swap(&done, &replaced) }
        // Freed here, outside the lock.
        done.removeAll()
        var fd = pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)
        _ = Glibc.poll(&fd, 1, Int32((max(0, seconds) * 1000).rounded(.up)))
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(stopRead, &buffer, buffer.count) > 0 {}
    }

    /// The newest model, if one arrived since the last call.
    @_spi(Benchmark) public func take() -> DashboardModel? {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
        return lock.withLock {
            defer { fresh = false }
            return fresh ? model : nil
        }
    }

    /// The model as last published, for building the next one.
    var current: DashboardModel { lock.withLock { model } }

    /// Hands a new model to the event loop and wakes it.
    func publish(_ next: DashboardModel) {
        lock.withLock {
            model = next
            fresh = true
        }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// A key for the worker (a replay's controls); true when it used it.
    func handle(_ key: Key) -> Bool { false }

    /// The worker's loop, until `isStopping`.
    func run() {}
}

/// Reads the feed, at most every `interval`, and makes a model when
/// something changed.
@_spi(Benchmark) public final class FeedWorker: ModelWorker, @unchecked Sendable {
    /// Nil only while the feed is not there yet (`waitForFeed`); read
    /// after it only, and mutated in place, not copied out of an optional.
    private var reader: FeedReader!
    private let interval: Double
    private let directory: String
    /// Where a reader opened after waiting records, when recording.
    private let journal: JournalWriter?
    /// Entries typed with `countnight enter` beside the feed: boxes awaiting
    /// their second typing, and the entry log's lines not yet in the log.
    private var pendingEntries = 0
    private var unconfirmedEntries = 0
    private var entryLogSeen = 0
    private var entryLogNew: [String] = []
    /// Kept once found, so that each look reads only the entries that changed.
    private var entryStore: EntryStore?

    /// `trendAtOnce`: `FeedWorker.trendAtOnce` unless a test sets its own.
    /// `trendHeldBy`: the thread working out the trend waits for it first
    /// (tests, to land files before the trend is joined). `modelInterval`
    /// and `readingShownFrom`: `minimumModelInterval` and `readingShownFrom`
    /// unless a test sets its own.
    @_spi(Benchmark) public init(reader: FeedReader, interval: Double, trendAtOnce: Int = FeedWorker.trendAtOnce, trendHeldBy: DispatchSemaphore? = nil,
                                 modelInterval: Double = FeedWorker.minimumModelInterval,
                                 readingShownFrom: Int = FeedWorker.readingShownFrom) {
        var reader = reader
        let snapshot = reader.snapshot(time: 0, boxes: true)
        self.reader = reader
        self.interval = interval
        self.trendAtOnce = trendAtOnce
        trendHold = trendHeldBy
        self.modelInterval = modelInterval
        showReadingFrom = readingShownFrom
        directory = reader.directory
        journal = nil
        super.init(model: FeedWorker.model(snapshot))
    }

    /// A worker that waits for the feed (its directory, its election.json)
    /// and starts the count when it is there.
    init(waitingFor directory: String, awaited: String, interval: Double, record journal: JournalWriter?) {
        self.directory = directory
        self.interval = interval
        self.journal = journal
        trendAtOnce = FeedWorker.trendAtOnce
        trendHold = nil
        modelInterval = FeedWorker.minimumModelInterval
        showReadingFrom = FeedWorker.readingShownFrom
        let nothing = Tally(election: Election(id: "", title: "", contests: [])).snapshot(time: 0)
        var model = DashboardModel(snapshot: nothing)
        model.waiting = FeedWaiting(awaited: awaited)
        super.init(model: model)
    }

    private static func model(_ snapshot: Snapshot) -> DashboardModel {
        DashboardModel(snapshot: snapshot, trend: [], log: [], clock: "")
    }

    /// Looks for the feed every `interval` until it can be read, saying on
    /// the waiting screen what it waits for; false when stopped meanwhile.
    private func waitForFeed() -> Bool {
        while reader == nil {
            if isStopping { return false }
            var waiting = current.waiting ?? FeedWaiting(awaited: directory)
            switch FeedStart.attempt(directory) {
            case .opened(var opened):
                if let journal { opened.record(to: journal) }
                var model = FeedWorker.model(opened.snapshot(time: 0, boxes: true))
                model.clock = current.clock
                reader = opened
                publish(model)
                return true
            case .waiting(let awaited):
                waiting = FeedWaiting(awaited: awaited)
            case .unusable(let error):
                // Still being written, perhaps: shown, and looked at again.
                waiting.problem = error.description
            }
            if waiting != current.waiting {
                var model = current
                model.waiting = waiting
                publish(model)
            }
            sleep(interval)
        }
        return true
    }

    /// The least time between two models: a snapshot (and its projection)
    /// is made at most this often, however short `--interval` is and however
    /// fast files land. What arrives meanwhile waits for the next one.
    @_spi(Benchmark) public static let minimumModelInterval = 0.25

    /// Versions up to which the trend of a night already read is worked out
    /// before the first model (some 0.1 s); past it, on a thread of its own,
    /// so that the count shows first.
    @_spi(Benchmark) public static let trendAtOnce = 10_000

    /// A poll reading this many files or more is shown as it goes (`FeedReading`).
    @_spi(Benchmark) public static let readingShownFrom = 10_000

    private let modelInterval: Double
    private let showReadingFrom: Int

    /// Works out the trend of the night read so far on a thread of its own,
    /// below the reading's priority, and wakes the worker when it is done.
    /// A newer start (election.json replaced meanwhile) makes it stop.
    private func workOutTrend(_ source: TrendSource) {
        let generation = lock.withLock { () -> Int in
            trendGeneration += 1
            pendingTrend = source
            // A trend of the election replaced, done but not yet joined.
            trendWorkedOut = nil
            return trendGeneration
        }
        let hold = trendHold
        let thread = Thread { [weak self] in
            hold?.wait()
            let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, max(own, ModelWorker.niceness + 5))
            let stale = { () -> Bool in
                guard let self else { return true }
                return self.isStopping || self.lock.withLock { self.trendGeneration != generation }
            }
            guard let history = source.history(stop: stale), let self else { return }
            self.lock.withLock {
                if self.trendGeneration == generation { self.trendWorkedOut = history }
            }
            self.nudge()
        }
        thread.start()
    }

    /// Joins a trend worked out on its own thread to the model, with the
    /// points added since.
    private func joinTrend() {
        guard let (source, history) = lock.withLock({ () -> (TrendSource, [[TrendPoint]])? in
            guard let history = trendWorkedOut, let source = pendingTrend else { return nil }
            trendWorkedOut = nil
            return (source, history)
        }) else { return }
        // A trend of an election replaced since, not yet started again
        // (the model waits `modelInterval`), is never joined: it
        // stays pending, and `update` starts it again.
        guard reader.state.tally.isContinuation(of: source) else { return }
        lock.withLock { pendingTrend = nil }
        var next = current
        next.trendPending = false
        let contests = next.snapshot.contests
        next.trend = Trend.continuing(history, with: next.trend) { contests[$0].trendSpacing }
        publish(next)
    }

    override func run() {
        guard waitForFeed() else { return }
        var first = true
        var pending: [(event: FeedEvent, time: Double)] = []
        var lastUpdate = -Double.infinity
        // Entries typed beside the feed changed since the last model: kept
        // until a model shows them, as the events are, for a change seen
        // within `modelInterval` of the last model is seen only once.
        var entriesChanged = false
        // A read shown as it went (`FeedReading`), not yet followed by a model.
        var readingShown = false
        while !isStopping {
            joinTrend()
            var lastShown = WallClock.now()
            let events = reader.poll { [self] read, files in
                // A read of many files (a large feed's first) is shown as it
                // goes, at most as often as models are made.
                guard files >= showReadingFrom else { return }
                let now = WallClock.now()
                guard now - lastShown >= modelInterval else { return }
                lastShown = now
                // Followed by a model without it, whether or not the read changed anything.
                readingShown = true
                var next = current
                next.reading = FeedReading(filesRead: read, files: files)
                publish(next)
            }
            let now = WallClock.now()
            pending.append(contentsOf: events.map { ($0, now) })
            entriesChanged = lookAtEntries() || entriesChanged
            var wait = interval
            if first || !pending.isEmpty || entriesChanged || readingShown {
                let due = lastUpdate + modelInterval
                if first || now >= due {
                    update(events: pending, time: now, first: first)
                    pending.removeAll()
                    entriesChanged = false
                    readingShown = false
                    lastUpdate = now
                    first = false
                } else {
                    wait = min(wait, due - now)
                }
            }
            sleep(wait)
        }
    }

    private let trendAtOnce: Int
    private let trendHold: DispatchSemaphore?
    /// Guarded by `lock`: what the trend being worked out is worked out from,
    /// which start of it is the current one, and the trend once worked out,
    /// waiting to be joined to the model.
    private var pendingTrend: TrendSource?
    private var trendGeneration = 0
    private var trendWorkedOut: [[TrendPoint]]?

    private func update(events: [(event: FeedEvent, time: Double)], time: Double, first: Bool) {
        let snapshot = reader.snapshot(time: time, boxes: true)
        var next = current
        next.snapshot = snapshot
        next.reading = nil
        let pending = lock.withLock { pendingTrend }
        // election.json replaced while the trend was worked out: every
        // version was checked again, so the trend is worked out again too.
        let restart = pending.map { !reader.state.tally.isContinuation(of: $0) } ?? false
        if first || restart {
            let source = reader.state.tally.trendSource
            if source.versionCount <= trendAtOnce && !restart {
                next.trend = source.history()!
            } else {
                next.trend = snapshot.contests.map { [$0.trendPoint] }
                next.trendPending = true
                workOutTrend(source)
            }
        } else {
            for index in snapshot.contests.indices {
                if index >= next.trend.count { next.trend.append([]) }
                let point = snapshot.contests[index].trendPoint
                if next.trendPending {
                    // Kept as they come, to be joined to the trend worked
                    // out as though each had been added to it (`Trend.continuing`).
                    if next.trend[index].last != point { next.trend[index].append(point) }
                } else {
                    Trend.add(point, to: &next.trend[index], spacing: snapshot.contests[index].trendSpacing)
                }
            }
        }
        // Events of one poll share their time: format it once.
        var formatted: (time: Double, clock: String)? = nil
        for (event, arrived) in events {
            if formatted?.time != arrived { formatted = (arrived, WallClock.timeOfDay(arrived)) }
            let clock = formatted!.clock
            next.log.append(FeedWorker.logEntry(event, time: clock))
            if case .count(let counted) = event, counted.isBatchArrival {
                next.lastBatchRead = clock
                next.lastBatchAt = arrived
            }
        }
        next.pendingEntries = pendingEntries
        next.unconfirmedEntries = unconfirmedEntries
        for line in entryLogNew {
            // Each line starts with its time in UTC; the log shows the local clock of reading.
            let text = line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? line
            next.log.append(LogEntry(time: formatted?.clock ?? WallClock.timeOfDay(time), kind: .feed, text: "entry: " + text))
        }
        entryLogNew.removeAll()
        if next.log.count > FeedWorker.logLimit { next.log.removeFirst(next.log.count - FeedWorker.logLimit) }
        next.feedProblem = reader.unavailable
        next.snapshot.lastBatchAt = next.lastBatchAt
        next.snapshot.feedProblem = reader.unavailable
        next.recordingProblem = reader.recordingFailure
        publish(next)
    }

    /// Looks at the feed's entry folder, if it has one; true when the
    /// pending boxes or the entry log changed.
    private func lookAtEntries() -> Bool {
        if entryStore == nil { entryStore = EntryStore.existing(feed: reader.directory) }
        guard let store = entryStore else { return false }
        let board = store.load()
        let pendingNow = board.pendingBoxes
        let unconfirmedBefore = unconfirmedEntries
        unconfirmedEntries = board.unconfirmedSingles
        let (lines, total) = store.logTail(FeedWorker.logLimit)
        let fresh = max(0, min(lines.count, total - entryLogSeen))
        entryLogNew.append(contentsOf: lines.suffix(fresh))
        entryLogSeen = total
        defer { pendingEntries = pendingNow }
        return pendingNow != pendingEntries || fresh > 0 || unconfirmedBefore != unconfirmedEntries
    }

    static func logEntry(_ event: FeedEvent, time: String) -> LogEntry {
        switch event {
        case .count(.batch(let batch)):
            return LogEntry(batch, time: time)
        case .count(.electionReloaded), .count(.electionRefused), .count(.electionUsable):
            return LogEntry(time: time, kind: .election, text: event.description)
        case .feedUnavailable, .feedBack, .recordingFailed:
            return LogEntry(time: time, kind: .feed, text: event.description)
        }
    }
}
