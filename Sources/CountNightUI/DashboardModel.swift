import CountNightCore

/// Everything the dashboard shows, gathered at the edge (feed, clock) and
/// handed to rendering as one value.
public struct DashboardModel: Equatable, Sendable {
    public var snapshot: Snapshot
    /// Per contest: every box and its state, for the boxes view.
    public var boxes: [[BoxRow]]
    /// Per contest: how the count moved through the night, for the trend view.
    public var trend: [[TrendPoint]]
    /// What happened, oldest first.
    public var log: [LogEntry]
    /// The wall-clock time shown in the header, already formatted.
    public var clock: String
    /// Why the feed cannot be read now, if it cannot.
    public var feedProblem: String?
    /// When (wall clock, formatted) a batch file was last read.
    public var lastBatchRead: String?
    /// A banner for a sample night: what it is and how to watch a real feed.
    public var sampleBanner: String?

    public init(snapshot: Snapshot, boxes: [[BoxRow]] = [], trend: [[TrendPoint]] = [], log: [LogEntry] = [],
                clock: String = "", feedProblem: String? = nil, lastBatchRead: String? = nil, sampleBanner: String? = nil) {
        self.snapshot = snapshot
        self.boxes = boxes
        self.trend = trend
        self.log = log
        self.clock = clock
        self.feedProblem = feedProblem
        self.lastBatchRead = lastBatchRead
        self.sampleBanner = sampleBanner
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
