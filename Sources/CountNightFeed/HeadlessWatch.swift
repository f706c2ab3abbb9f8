import CountNightCore

/// How headless mode writes snapshots.
public enum SnapshotLineFormat: String, Sendable, CaseIterable {
    /// One JSON object a line.
    case jsonl
    /// One readable line a snapshot.
    case text
    /// A NIST SP 1500-100 v2 ElectionReport a line.
    case nist

    /// The snapshot as one line in this format.
    public func line(_ snapshot: Snapshot) -> String {
        switch self {
        case .jsonl: return snapshot.json()
        case .text: return snapshot.textLine()
        case .nist: return snapshot.nistJSON()
        }
    }

    /// The line as UTF-8 with its newline, as it is written out.
    public func lineBytes(_ snapshot: Snapshot) -> [UInt8] {
        switch self {
        case .jsonl: return snapshot.jsonLine()
        case .text, .nist: return Self.written(line(snapshot))
        }
    }

    /// A line as it is written out: UTF-8, ending in a newline.
    public static func written(_ line: String) -> [UInt8] { Array((line + "\n").utf8) }

    /// Whether its lines give each area's figures (`ContestSnapshot.areas`):
    /// a snapshot made for the others leaves them out.
    public var writesAreas: Bool { self == .nist }
}

/// Headless watching without the clock or the output: each step polls the
/// feed and says what line to write, if the snapshot changed.
public struct HeadlessWatch: Sendable {
    public private(set) var reader: FeedReader
    public let format: SnapshotLineFormat
    /// The last snapshot written, to tell whether anything changed and what
    /// result changed since (`ResultAlert`).
    private var lastWritten: Snapshot?
    /// When the last batch file was read, by the caller's clock.
    private var lastBatchAt: Double?

    public init(reader: FeedReader, format: SnapshotLineFormat) {
        self.reader = reader
        self.format = format
    }

    public struct Step: Sendable {
        /// The line to write, when the snapshot changed (always on the first step).
        public let line: String?
        public let events: [FeedEvent]
        public let isComplete: Bool
    }

    /// Polls the feed. A snapshot is written when anything its line says
    /// changed: the count, the feed's state (the directory gone or back), or
    /// when the last batch arrived; it carries the alerts found against the
    /// snapshot written before it. Its areas' figures are made only for the
    /// lines that give them (NIST), so a change to them alone (a count moved
    /// between boxes of two areas, the contest's figures the same) writes a
    /// line only there.
    public mutating func step(time: Double) -> Step {
        let events = reader.poll()
        // A poll that changed nothing (the feed going or coming back is an
        // event) leaves the snapshot as it was but for its time: no need to
        // make it again.
        if let lastWritten, events.isEmpty {
            return Step(line: nil, events: events, isComplete: lastWritten.isComplete)
        }
        for event in events {
            if case .count(let counted) = event, counted.isBatchArrival { lastBatchAt = time }
        }
        var snapshot = reader.snapshot(time: time, areas: format.writesAreas, json: format == .jsonl)
        snapshot.lastBatchAt = lastBatchAt
        snapshot.feedProblem = reader.unavailable
        var line: String?
        if lastWritten.map({ !Self.sameContent($0, snapshot) }) ?? true {
            snapshot.alerts = ResultAlert.changes(from: lastWritten, to: snapshot)
            lastWritten = snapshot
            line = format.line(snapshot)
        }
        return Step(line: line, events: events, isComplete: snapshot.isComplete)
    }

    /// Whether two snapshots say the same, whenever they were taken.
    static func sameContent(_ a: Snapshot, _ b: Snapshot) -> Bool {
        var a = a, b = b
        a.time = 0; b.time = 0
        a.alerts = []; b.alerts = []
        return a == b
    }
}
