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
}

/// Headless watching without the clock or the output: each step polls the
/// feed and says what line to write, if the snapshot changed.
public struct HeadlessWatch: Sendable {
    public private(set) var reader: FeedReader
    public let format: SnapshotLineFormat
    /// The last snapshot written, without its time, to tell whether anything changed.
    private var lastWritten: String?

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

    public mutating func step(time: Double) -> Step {
        let events = reader.poll()
        let snapshot = reader.snapshot(time: time)
        let content = snapshot.json(includeTime: false)
        var line: String?
        if content != lastWritten {
            lastWritten = content
            line = format.line(snapshot)
        }
        return Step(line: line, events: events, isComplete: snapshot.isComplete)
    }
}
