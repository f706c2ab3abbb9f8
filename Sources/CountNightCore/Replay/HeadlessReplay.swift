/// A replay without a screen: which snapshots to write, at which replay
/// times, and how long to wait before each at the replay's speed. Waiting
/// is the caller's.
public struct HeadlessReplay: Sendable {
    public private(set) var replay: Replay
    /// Replay seconds between snapshots; nil for one after every entry.
    public let every: Double?
    public private(set) var playback: Playback
    private var started = false
    /// The snapshot written before, for the alerts (`ResultAlert`), and when
    /// the last batch entry arrived: snapshots say it as headless watching does.
    private var previous: Snapshot?
    private var lastBatchAt: Double?
    /// Whether the snapshots hold each area's figures (`Tally.snapshot`).
    private let areas: Bool

    /// `speed`: times real time, nil for as fast as possible. `from`: a
    /// replay time to start at; everything before it is applied at once and
    /// the first snapshot is written there. `areas`: whether the lines
    /// written need each area's figures; made at every batch without
    /// them, the snapshots cost less.
    public init(replay: Replay, every: Double?, speed: Double? = nil, from: Double?, areas: Bool = true) {
        var replay = replay
        playback = Playback(times: replay.entries.map(\.time), speed: speed, from: from)
        // Only ever forward: no entry needs a way back.
        while replay.position < playback.position { replay.stepForwardForGood() }
        self.replay = replay
        self.every = every
        self.areas = areas
    }

    public var clock: Double { playback.clock }

    public struct Step: Sendable {
        public let time: Double
        public let snapshot: Snapshot
        public let events: [CountEvent]
        /// Wall seconds to wait before writing this snapshot, at the replay's speed.
        public let wait: Double
    }

    /// The next snapshot to write, or nil when the replay is over. The
    /// first is at the start (or `from`); with `every`, the last is at the
    /// end of the night even when that is not a whole step.
    public mutating func next() -> Step? { next(prepared: { _ in nil }) }

    /// `next()`, with the batch versions of entries prepared beforehand
    /// where `prepared` has them (by entry index; nil: prepared here).
    public mutating func next(prepared: (Int) -> PreparedVersion?) -> Step? {
        if !started {
            started = true
            return Step(time: clock, snapshot: stamped(replay.snapshot(time: clock, areas: areas)), events: [], wait: 0)
        }
        guard !playback.atEnd else { return nil }
        let wait: Double
        if let every {
            wait = playback.advance(to: min(playback.end, clock + every))
        } else {
            wait = playback.next() ?? 0
        }
        var events: [CountEvent] = []
        while replay.position < playback.position {
            let arrived = replay.entries[replay.position].time
            if let event = replay.stepForwardForGood(prepared: prepared(replay.position)) {
                events.append(event)
                if event.isBatchArrival { lastBatchAt = arrived }
            }
        }
        return Step(time: clock, snapshot: stamped(replay.snapshot(time: clock, areas: areas)), events: events, wait: wait)
    }

    /// The snapshot with when the last batch arrived, and the results that
    /// changed since the snapshot written before it.
    private mutating func stamped(_ snapshot: consuming Snapshot) -> Snapshot {
        snapshot.lastBatchAt = lastBatchAt
        snapshot.alerts = ResultAlert.changes(from: previous, to: snapshot)
        previous = snapshot
        return snapshot
    }
}

/// How replay times and durations are written on the command line.
public enum ReplayTime {
    /// `90s`, `15m`, `1h30m`, `2h`: seconds; nil for anything else.
    public static func duration(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII && (character.isNumber || character == ".") {
                number.append(character)
                continue
            }
            guard let value = Double(number), value >= 0 else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total.isFinite else { return nil }
        return total
    }

    /// `--from`: an RFC 3339 time, or a duration after the replay's start.
    public static func from(_ text: String, start: Double) -> Double? {
        if let time = RFC3339.parse(text) { return time }
        return duration(text).map { start + $0 }
    }
}
