import CountNightCore

/// How headless mode writes snapshots.
public enum SnapshotLineFormat: String, Sendable, CaseIterable {
    /// One JSON object a line.
    case jsonl
    /// One readable line a snapshot.
    case text

    /// The snapshot as one line in this format.
    public func line(_ snapshot: Snapshot) -> String {
        self == .jsonl ? snapshot.json() : snapshot.textLine()
    }
}

/// Headless watching without the clock or the output: each step polls the
/// feed and says what line to write, if the snapshot changed.
public struct HeadlessWatch: Sendable {
    public private(set) var reader: FeedReader
    public let format: SnapshotLineFormat
    /// The last snapshot written, its time set aside, to tell whether anything changed.
    private var lastWritten: Snapshot?

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
        // A poll that changed nothing leaves the snapshot as it was (but for
        // its time): no need to make it again.
        if let lastWritten, events.isEmpty {
            return Step(line: nil, events: events, isComplete: lastWritten.isComplete)
        }
        let snapshot = reader.snapshot(time: time)
        var timeless = snapshot
        timeless.time = 0
        var line: String?
        if timeless != lastWritten {
            lastWritten = timeless
            line = format.line(snapshot)
        }
        return Step(line: line, events: events, isComplete: snapshot.isComplete)
    }
}
