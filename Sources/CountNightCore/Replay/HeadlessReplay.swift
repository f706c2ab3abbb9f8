/// A replay without a screen: which snapshots to write, at which replay
/// times. Pacing (sleeping between them) is the caller's.
public struct HeadlessReplay: Sendable {
    public private(set) var replay: Replay
    /// Replay seconds between snapshots; nil for one after every entry.
    public let every: Double?
    public private(set) var clock: Double
    private var started = false

    /// `from`: a replay time to start at; everything before it is applied
    /// at once and the first snapshot is written there.
    public init(replay: Replay, every: Double?, from: Double?) {
        var replay = replay
        clock = replay.startTime
        if let from, from > clock {
            replay.seek(to: replay.entries(through: from))
            clock = from
        }
        self.replay = replay
        self.every = every
    }

    public struct Step: Sendable {
        public let time: Double
        public let snapshot: Snapshot
        public let events: [CountEvent]
    }

    /// The next snapshot to write, or nil when the replay is over. The
    /// first is at the start (or `from`); with `every`, the last is at the
    /// end of the night even when that is not a whole step.
    public mutating func next() -> Step? {
        if !started {
            started = true
            return Step(time: clock, snapshot: replay.snapshot(time: clock), events: [])
        }
        guard !replay.atEnd else { return nil }
        var events: [CountEvent] = []
        if let every {
            let target = min(replay.endTime, clock + every)
            while !replay.atEnd, replay.entries[replay.position].time <= target {
                if let event = replay.stepForward() { events.append(event) }
            }
            clock = replay.atEnd ? max(target, replay.endTime) : target
        } else {
            clock = max(clock, replay.entries[replay.position].time)
            if let event = replay.stepForward() { events.append(event) }
        }
        return Step(time: clock, snapshot: replay.snapshot(time: clock), events: events)
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
