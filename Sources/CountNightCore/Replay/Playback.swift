/// Where a replay stands in the night and how it moves on: the replay clock,
/// the speed, whether it is paused, and how many of the night's entries are
/// due. It has no clock of its own: whoever drives it (the dashboard, a
/// headless replay, a rehearsal) says how much wall time went by, and it
/// says how much wall time the next step takes. The tally follows
/// `position`; moving it is the driver's.
public struct Playback: Equatable, Sendable {
    /// The speeds `+` and `-` step through: round multiples of real time,
    /// within what `--speed` accepts.
    public static let speeds: [Double] = {
        var steps: [Double] = []
        // In whole hundredths, so that 0.05 reads 0.05, not 0.05000000000000001.
        var hundredths = 1
        while hundredths <= 100_000_000 {
            for mantissa in [1, 2, 5] where hundredths * mantissa <= 100_000_000 {
                steps.append(Double(hundredths * mantissa) / 100)
            }
            hundredths *= 10
        }
        return steps
    }()
    /// Where `-` goes from as fast as possible.
    public static let slowerThanMax = 1000.0

    /// When each entry happened, in order (never going back).
    public let times: [Double]
    /// Times real time; nil for as fast as possible.
    public private(set) var speed: Double?
    public private(set) var paused = false
    /// The replay clock.
    public private(set) var clock: Double
    /// How many entries are applied.
    public private(set) var position = 0

    /// `from`: a replay time to start at; every entry up to it is due at once.
    public init(times: [Double], speed: Double?, from: Double? = nil) {
        self.times = times
        self.speed = speed
        clock = (times.first ?? 0) - 1
        if let from, from > clock {
            clock = from
            position = Self.count(times, through: from)
        }
    }

    /// The replay clock's start: a second before the first entry.
    public var start: Double { (times.first ?? 0) - 1 }
    public var end: Double { times.last ?? 0 }
    public var atEnd: Bool { position == times.count }

    /// Wall time went by: the clock runs on at the speed (never past the
    /// end; not while paused) and the entries it reached are applied, at most
    /// `limit` at a time so that a driver with a screen stays answering. As
    /// fast as possible, the clock follows the entries instead.
    public mutating func run(wall elapsed: Double, limit: Int = .max) {
        guard !paused, !atEnd else { return }
        let most = position + min(max(1, limit), times.count - position)
        if let speed {
            clock = min(end, clock + max(0, elapsed) * speed)
            position = min(Self.count(times, through: clock), most)
        } else {
            position = most
            clock = max(clock, times[position - 1])
        }
    }

    /// Applies the next entry, the clock moving to its time; returns the wall
    /// seconds that takes at this speed (0 as fast as possible), or nil at the end.
    public mutating func next() -> Double? {
        guard !atEnd else { return nil }
        let wait = wallSeconds(until: times[position])
        clock = max(clock, times[position])
        position += 1
        return wait
    }

    /// Moves the clock on to `time` (not back), applying every entry up to
    /// it; returns the wall seconds that takes at this speed.
    @discardableResult
    public mutating func advance(to time: Double) -> Double {
        let wait = wallSeconds(until: time)
        clock = max(clock, time)
        position = max(position, Self.count(times, through: clock))
        return wait
    }

    /// Wall seconds for the clock to reach `time` at this speed.
    public func wallSeconds(until time: Double) -> Double {
        guard let speed, time > clock else { return 0 }
        return (time - clock) / speed
    }

    public mutating func togglePause() { paused.toggle() }
    public mutating func pause() { paused = true }

    /// The next round speed up; as fast as possible stays so.
    public mutating func faster() {
        guard let current = speed else { return }
        speed = Self.speeds.first { $0 > current * 1.000001 } ?? current
    }

    /// The next round speed down; from as fast as possible, `slowerThanMax`.
    public mutating func slower() {
        guard let current = speed else {
            speed = Self.slowerThanMax
            return
        }
        speed = Self.speeds.last { $0 < current / 1.000001 } ?? current
    }

    /// One entry forward (`by: 1`) or back (`by: -1`), paused there: the
    /// clock shows the time of the last entry applied.
    public mutating func step(by entries: Int) {
        paused = true
        position = max(0, min(times.count, position + entries))
        clock = position > 0 ? times[position - 1] : start
    }

    /// Back to the start of the night: nothing applied.
    public mutating func rewind() {
        position = 0
        clock = start
    }

    /// To the end of the night: everything applied.
    public mutating func toEnd() {
        position = times.count
        clock = max(clock, end)
    }

    /// How many of `times` are at or before `time`.
    static func count(_ times: [Double], through time: Double) -> Int {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
