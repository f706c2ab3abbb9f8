/// The one state a count night is applied to, live or replayed: the tally,
/// why the latest election.json is refused (if it is), and the calls shown
/// so far. The feed reader turns the disk into entries and applies them
/// here; a replay applies recorded entries here and keeps their undos. Both
/// therefore say the same thing of the same entry.
public struct CountState: Sendable {
    public private(set) var tally: Tally
    /// Why the latest election.json is refused, while the previous one stays
    /// (the problem alone; the file is election.json).
    public private(set) var electionProblem: String?
    /// The calls shown so far, held from snapshot to snapshot.
    private var calls = CallHold()
    /// Each contest's snapshot as last made, remade only when it changed.
    private var made = ContestSnapshotCache()
    /// Each contest's JSON as last written, with what it was written from.
    private var written = ContestJSONCache()

    /// How to take one applied entry back exactly.
    public enum Undo: Sendable {
        case tally(Tally.Undo)
        case election(previous: Election, problem: String?)
    }

    public init(election: Election) {
        tally = Tally(election: election)
    }

    public var election: Election { tally.election }

    /// Applies one entry. `prepared`: the entry's batch version parsed and
    /// checked beforehand (perhaps on another thread), for a version of a
    /// batch file; it is prepared here otherwise. `file`: the path named in
    /// an election.json refusal.
    public mutating func apply(_ entry: NightEntry, prepared: consuming PreparedVersion? = nil,
                               electionPath: String = ElectionFile.name) -> (event: CountEvent?, undo: Undo) {
        if entry.isElection { return applyElection(entry.change, path: electionPath) }
        switch entry.change {
        case .version(let bytes):
            let (event, undo) = tally.readUndoably(prepared ?? tally.preparer.prepare(file: entry.file, bytes: bytes))
            return (event.map(CountEvent.batch), .tally(undo))
        case .deleted:
            let (event, undo) = tally.removeUndoably(file: entry.file)
            return (.batch(event), .tally(undo))
        case .unreadable(let reason):
            let (event, undo) = tally.refuseUndoably(file: entry.file, reason: reason)
            return (event.map(CountEvent.batch), .tally(undo))
        }
    }

    /// Makes room for `more` batch versions about to be applied (`Tally.reserveCapacity`).
    public mutating func reserveCapacity(adding more: Int) { tally.reserveCapacity(adding: more) }

    /// `apply(_:prepared:electionPath:)` for a reader that never steps
    /// back (a live watch): no undo is made, which spares a big feed's first
    /// read a few lookups for every file.
    public mutating func applyForward(_ entry: NightEntry, prepared: consuming PreparedVersion? = nil,
                                      electionPath: String = ElectionFile.name) -> CountEvent? {
        guard !entry.isElection, case .version(let bytes) = entry.change else {
            return apply(entry, prepared: prepared, electionPath: electionPath).event
        }
        return tally.read(prepared ?? tally.preparer.prepare(file: entry.file, bytes: bytes)).map(CountEvent.batch)
    }

    private mutating func applyElection(_ change: NightEntry.Change, path: String) -> (event: CountEvent?, undo: Undo) {
        let undo = Undo.election(previous: tally.election, problem: electionProblem)
        let problem: String
        switch change {
        case .version(let bytes):
            do {
                let election = try ElectionFile.parse(bytes, file: path)
                let wasRefused = electionProblem != nil
                electionProblem = nil
                // The version in force again after a refusal: the refusal goes, and the log says so.
                guard election != tally.election else { return (wasRefused ? .electionUsable : nil, undo) }
                tally.replaceElection(election)
                // Calls made on another election.json start afresh.
                calls = CallHold()
                return (.electionReloaded, undo)
            } catch {
                problem = error.problem
            }
        case .deleted:
            problem = "the file is gone"
        case .unreadable(let reason):
            problem = reason
        }
        // Said once: the same refusal again is no news.
        guard electionProblem != problem else { return (nil, undo) }
        electionProblem = problem
        return (.electionRefused(problem), undo)
    }

    /// Takes back an entry applied; entries are taken back newest first.
    public mutating func undo(_ undo: Undo) {
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

    /// The tally's snapshot, with a refused election.json listed among the
    /// refused files so that nobody misses it. A call once shown in a
    /// snapshot is held in the next (`CallHold`).
    /// `boxes`: with every contest's box rows, for the screens. `areas`:
    /// with each area's figures (see `Tally.snapshot`). `json`: with
    /// each contest's JSON made for `Snapshot.json`, written again only for
    /// the contests that changed: on a night of many contests, writing a
    /// snapshot a batch then costs the batch's contest, not every contest.
    public mutating func snapshot(time: Double, boxes: Bool = false, areas: Bool = true, json: Bool = false) -> Snapshot {
        var snapshot = calls.hold(unheldSnapshot(time: time, boxes: boxes, areas: areas))
        snapshot.encodedContests.versions = snapshot.contests.indices.map { index in
            made.changes(of: index).map { ContestVersion(electionVersion: made.electionVersion, changes: $0) }
        }
        if json { written.encode(&snapshot) }
        return snapshot
    }

    /// The snapshot before calls are held, each contest remade only when it changed.
    mutating func unheldSnapshot(time: Double, boxes: Bool = false, areas: Bool = true) -> Snapshot {
        tally.snapshot(time: time, boxes: boxes, areas: areas, reusing: &made).listingRefusedElection(electionProblem)
    }
}

/// What applying one entry did to the count, for the log: live and replayed alike.
public enum CountEvent: Equatable, Sendable {
    /// A batch file was read, refused or deleted.
    case batch(TallyEvent)
    /// A new valid election.json was applied and every batch checked again.
    case electionReloaded
    /// election.json changed but cannot be used; the previous one stays.
    case electionRefused(String)
    /// election.json, refused before, is the version in force again.
    case electionUsable

    /// A batch file arrived (read, refused, in conflict...; not deleted):
    /// what the feed's freshness (`lastBatchAt`) counts.
    public var isBatchArrival: Bool {
        if case .batch(let event) = self { event.kind != .deleted } else { false }
    }

    public var description: String {
        switch self {
        case .batch(let event): return event.description
        case .electionReloaded: return "election.json changed: the new version applies and every batch was checked again"
        case .electionUsable: return "election.json can be used again: it is the version in force, and nothing is refused for it"
        case .electionRefused(let problem): return "election.json changed but is refused, the previous version stays in force: election.json: \(problem)"
        }
    }
}
