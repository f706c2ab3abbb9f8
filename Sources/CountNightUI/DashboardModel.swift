import CountNightCore

/// Everything the dashboard shows, gathered at the edge (feed, clock) and
/// handed to rendering as one value.
public struct DashboardModel: Equatable, Sendable {
    public var snapshot: Snapshot
    /// Per contest: how the count moved through the night, for the trend view.
    public var trend: [[TrendPoint]]
    /// The trend of the night before the first model is still being worked
    /// out (a large feed's start): `trend` then has only what came after it.
    public var trendPending = false
    /// What happened, oldest first.
    public var log: [LogEntry]
    /// The wall-clock time shown in the header, already formatted.
    public var clock: String
    /// Why the feed cannot be read now, if it cannot.
    public var feedProblem: String?
    /// Why `--record` cannot write its journal, with the entries lost.
    public var recordingProblem: String?
    /// When (wall clock, formatted) a batch file was last read.
    public var lastBatchRead: String?
    /// When a batch file was last read, and the time now, by the same clock:
    /// the header's "last batch 4 min ago". nil where there is no such clock
    /// (a replay has its own).
    public var lastBatchAt: Double?
    public var now: Double?
    /// Results that changed after they were shown, oldest first; the band
    /// shows those not yet acknowledged (`ViewState.acknowledgedAlerts`).
    public var alerts: [ShownAlert] = []
    /// A banner for a sample night: what it is and how to watch a real feed.
    public var sampleBanner: String?
    /// Set while replaying a recorded night: `clock` is then the replay's.
    public var replay: ReplayStatus?
    /// Boxes whose figures are typed with `countnight enter` but not yet
    /// written as a batch (awaiting their second typing, or in mismatch).
    public var pendingEntries = 0
    /// Batches written from a single typing (`enter --single`): unconfirmed.
    public var unconfirmedEntries = 0
    /// Set while the feed is not there yet: the waiting screen is shown instead.
    public var waiting: FeedWaiting?
    /// Set while a poll reads many files (a large feed's first read): how
    /// far it has got. The count shown is the one before it.
    public var reading: FeedReading?

    public init(snapshot: Snapshot, trend: [[TrendPoint]] = [], log: [LogEntry] = [],
                clock: String = "", feedProblem: String? = nil, lastBatchRead: String? = nil, sampleBanner: String? = nil) {
        self.snapshot = snapshot
        self.trend = trend
        self.log = log
        self.clock = clock
        self.feedProblem = feedProblem
        self.lastBatchRead = lastBatchRead
        self.sampleBanner = sampleBanner
    }
}

/// Where a replay stands, for the header and its timeline.
public struct ReplayStatus: Equatable, Sendable {
    /// Times real time; nil for as fast as possible.
    public var speed: Double?
    public var paused: Bool
    /// Entries applied, of `times.count`.
    public var position: Int
    /// The replay clock, and the night's first and last entry times.
    public var clock: Double
    public var start: Double
    public var end: Double
    /// When each entry happened, in order: where batches landed on the timeline.
    public var times: [Double]
    /// The start and end as the header shows them (local time).
    public var startLabel: String
    public var endLabel: String

    public init(speed: Double?, paused: Bool, position: Int, clock: Double, start: Double, end: Double,
                times: [Double], startLabel: String, endLabel: String) {
        self.speed = speed
        self.paused = paused
        self.position = position
        self.clock = clock
        self.start = start
        self.end = end
        self.times = times
        self.startLabel = startLabel
        self.endLabel = endLabel
    }

    public var finished: Bool { position == times.count }

    /// "×60", "×0.5", "×max".
    public var speedLabel: String { speedLabel(.unicode) }

    /// The speed with the terminal's sign for times (× or x).
    public func speedLabel(_ glyphs: Glyphs) -> String {
        guard let speed else { return glyphs.times + "max" }
        if speed >= 1 && speed == speed.rounded() { return glyphs.times + String(Int(speed)) }
        var text = Format.fixed(speed, decimals: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return glyphs.times + text
    }
}

/// A result alert as the dashboard raised it, with the clock it was raised at.
public struct ShownAlert: Equatable, Sendable {
    public let alert: ResultAlert
    public let clock: String

    public init(_ alert: ResultAlert, clock: String) {
        self.alert = alert
        self.clock = clock
    }
}

/// One line of the log view.
public struct LogEntry: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case accepted, corrected, withdrawn, duplicate, superseded, conflict, refused, deleted, election, feed
    }

    public let time: String
    public let kind: Kind
    public let text: String

    public init(time: String, kind: Kind, text: String) {
        self.time = time
        self.kind = kind
        self.text = text
    }

    /// What reading a batch file did, as a log line.
    public init(_ event: TallyEvent, time: String) {
        self.init(time: time, kind: Kind(rawValue: event.kind.rawValue) ?? .accepted, text: "\(event.file): \(event.detail)")
    }
}

/// How far a poll that reads many files has got.
public struct FeedReading: Equatable, Sendable {
    /// Files read and counted so far, of how many.
    public var filesRead: Int
    public var files: Int

    public init(filesRead: Int, files: Int) {
        self.filesRead = filesRead
        self.files = files
    }
}
