/// A recorded count night played back: the entries in night order, a
/// position among them, and the tally as it stood there. Stepping forward
/// or back costs what the entries involved cost, never a re-read of the
/// night (except across a change of election.json, which checks every
/// version again, as it did live).
public struct Replay: Sendable {
    /// What applying one entry did, for the log.
    public enum Event: Equatable, Sendable {
        case batch(TallyEvent)
        case electionReloaded
        case electionRefused(String)
    }

    private enum Undo: Sendable {
        case tally(Tally.Undo)
        case election(previous: Election, problem: String?)
    }

    public let entries: [NightEntry]
    public private(set) var tally: Tally
    /// How many entries are applied.
    public private(set) var position = 0
    /// Why the latest election.json of the replay is refused, if it is.
    public private(set) var electionProblem: String?
    /// The calls shown so far, held from snapshot to snapshot.
    private var calls = CallHold()
    private var undos: [Undo] = []

    public init(election: Election, entries: [NightEntry]) {
        tally = Tally(election: election)
        self.entries = entries
        undos.reserveCapacity(entries.count)
    }

    /// The replay clock's start: a second before the first entry.
    public var startTime: Double { (entries.first?.time ?? 0) - 1 }
    public var endTime: Double { entries.last?.time ?? 0 }
    public var atEnd: Bool { position == entries.count }

    /// Applies the next entry.
    @discardableResult
    public mutating func stepForward() -> Event? {
        guard position < entries.count else { return nil }
        let entry = entries[position]
        position += 1
        if entry.isElection {
            switch entry.change {
            case .version(let bytes):
                do {
                    let election = try ElectionFile.parse(bytes)
                    undos.append(.election(previous: tally.election, problem: electionProblem))
                    electionProblem = nil
                    guard election != tally.election else { return nil }
                    tally.replaceElection(election)
                    // Calls made on another election.json start afresh.
                    calls = CallHold()
                    return .electionReloaded
                } catch {
                    undos.append(.election(previous: tally.election, problem: electionProblem))
                    electionProblem = error.problem
                    return .electionRefused(error.problem)
                }
            case .deleted, .unreadable:
                undos.append(.election(previous: tally.election, problem: electionProblem))
                electionProblem = entry.change == .deleted ? "the file is gone" : "cannot be read"
                return .electionRefused(electionProblem!)
            }
        }
        switch entry.change {
        case .version(let bytes):
            let (event, undo) = tally.readUndoably(file: entry.file, bytes: bytes)
            undos.append(.tally(undo))
            return event.map(Event.batch)
        case .deleted:
            let (event, undo) = tally.removeUndoably(file: entry.file)
            undos.append(.tally(undo))
            return .batch(event)
        case .unreadable(let reason):
            let (event, undo) = tally.refuseUndoably(file: entry.file, reason: reason)
            undos.append(.tally(undo))
            return event.map(Event.batch)
        }
    }

    /// Takes back the latest entry applied.
    public mutating func stepBack() {
        guard position > 0, let undo = undos.popLast() else { return }
        position -= 1
        // Stepped back, the calls start afresh from the batches in force.
        calls = CallHold()
        switch undo {
        case .tally(let change):
            tally.undo(change)
        case .election(let previous, let problem):
            if previous != tally.election { tally.replaceElection(previous) }
            electionProblem = problem
        }
    }

    /// Moves to `target` entries applied, stepping from where it is.
    public mutating func seek(to target: Int) {
        let target = max(0, min(entries.count, target))
        while position > target { stepBack() }
        while position < target { stepForward() }
    }

    /// The snapshot at the replay clock's `time`, with a refused
    /// election.json listed among the refused files as live.
    /// A call once shown in a snapshot is held in the next (`CallHold`).
    public mutating func snapshot(time: Double) -> Snapshot {
        calls.hold(tally.snapshot(time: time).listingRefusedElection(electionProblem))
    }
}
