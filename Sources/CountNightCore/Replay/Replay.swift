/// A recorded count night played back: the entries in night order, a
/// position among them, and the tally as it stood there. Stepping forward
/// or back costs what the entries involved cost, never a re-read of the
/// night (except across a change of election.json, which checks every
/// version again, as it did live).
public struct Replay: Sendable {
    public let entries: [NightEntry]
    /// The count as it stood after the entries applied.
    public private(set) var state: CountState
    /// How many entries are applied.
    public private(set) var position = 0
    private var undos: [CountState.Undo] = []
    /// Entries applied for good (`stepForwardForGood`): stepping back stops here.
    public private(set) var forGood = 0

    public init(election: Election, entries: [NightEntry]) {
        state = CountState(election: election)
        self.entries = entries
        undos.reserveCapacity(entries.count)
    }

    public var tally: Tally { state.tally }
    /// Why the latest election.json of the replay is refused, if it is.
    public var electionProblem: String? { state.electionProblem }

    /// The replay clock's start: a second before the first entry.
    public var startTime: Double { (entries.first?.time ?? 0) - 1 }
    public var endTime: Double { entries.last?.time ?? 0 }
    public var atEnd: Bool { position == entries.count }

    /// Applies the next entry. `prepared`: its batch version parsed and
    /// checked beforehand, perhaps on another thread (`CountState.apply`).
    @discardableResult
    public mutating func stepForward(prepared: consuming PreparedVersion? = nil) -> CountEvent? {
        guard position < entries.count else { return nil }
        // Room for the whole night's tables at its first entry, as a feed's
        // first read makes: grown by doubling as the replay went, the
        // tables of files and batch identities were copied some seventeen
        // times over a night of 100,000 files, a tenth of the stepping's
        // time. Not in `init`: a copy kept at the start (the dashboard's, to
        // rewind to) would hold the room too.
        if position == 0 { state.reserveCapacity(adding: entries.count) }
        let (event, undo) = state.apply(entries[position], prepared: prepared)
        position += 1
        undos.append(undo)
        return event
    }

    /// Applies the next entry with no way back, as a live read does: for a
    /// replay that only goes forward (headless), which then makes no undo
    /// for every entry, some lookups and a record kept each. Stepping back
    /// stops at the entries applied so.
    @discardableResult
    public mutating func stepForwardForGood(prepared: consuming PreparedVersion? = nil) -> CountEvent? {
        guard position < entries.count else { return nil }
        if position == 0 { state.reserveCapacity(adding: entries.count) }
        let event = state.applyForward(entries[position], prepared: prepared)
        position += 1
        forGood = position
        return event
    }

    /// Takes back the latest entry applied; nothing when it was applied for good.
    public mutating func stepBack() {
        guard position > forGood, let undo = undos.popLast() else { return }
        position -= 1
        state.undo(undo)
    }

    /// Moves to `target` entries applied, stepping from where it is; not
    /// back past the entries applied for good.
    public mutating func seek(to target: Int) {
        let target = max(forGood, min(entries.count, target))
        while position > target { stepBack() }
        while position < target { stepForward() }
    }

    /// The snapshot at the replay clock's `time` (see `CountState.snapshot`).
    public mutating func snapshot(time: Double, boxes: Bool = false, areas: Bool = true, json: Bool = false) -> Snapshot {
        state.snapshot(time: time, boxes: boxes, areas: areas, json: json)
    }
}
