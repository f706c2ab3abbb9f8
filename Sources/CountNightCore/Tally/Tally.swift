/// The running tally of a feed: every version of every batch file read so far,
/// merged by the feed's rules.
///
/// A plain value with no clock, file system or terminal: the feed reader hands
/// it the bytes of each new version, and it hands back what happened and, on
/// request, a snapshot. The result depends only on the set of versions read,
/// never on the order they arrived in or on the names of the files.
public struct Tally: Sendable {
    /// One version of one batch file, as read.
    ///
    /// It keeps the file's bytes, not the parsed record: when election.json
    /// changes (rare), every version is parsed again from them and checked
    /// against the new one. A record, with its id strings and arrays, takes
    /// more memory than the bytes it came from, and a night keeps every version.
    struct Version: Sendable {
        let file: String
        let bytes: [UInt8]
        var checked: Result<Batch, BatchRefusal>
    }

    /// What is in force for one batch identity.
    enum InForce: Equatable, Sendable {
        case nothing
        case batch(version: Int, revision: Int)
        case withdrawn(revision: Int)
        case conflict(revision: Int, versions: [Int])
    }

    struct IdentityState: Sendable {
        var versions = VersionIndices()
        var inForce: InForce = .nothing
    }

    public private(set) var election: Election
    /// Counts election changes, so that a version prepared against an older
    /// election is checked again.
    private var electionVersion = 0
    private var versions = VersionLog()
    private var identities: [BatchIdentity: IdentityState] = [:]
    private var conflicted: Set<BatchIdentity> = []
    private var contests: [ContestTally]
    /// Each file read: the digest of its latest content while it is
    /// present, so that reading the same bytes again adds nothing, and how
    /// many of its versions were valid batches, so that a deleted file's log
    /// line can say whether anything it said counts. One table, so that a
    /// version read costs one lookup of its name.
    private var files: [String: FileState] = [:]
    /// Each reason for rejected ballots once: every count names the same few.
    private var reasons = RejectionReasons()
    /// Files whose latest version was refused, with the reason.
    private var refusals: [String: String] = [:]
    /// Files that could not be read at all, with the reason.
    private var unreadable: [String: String] = [:]

    public init(election: Election) {
        self.election = election
        contests = election.contests.map(ContestTally.init(contest:))
    }

    public var versionCount: Int { versions.count }
    /// Every file that stands refused now, with the reason.
    public var refusedFiles: [String: String] { refusals.merging(unreadable) { _, io in io } }

    // MARK: Reading

    /// Reads one version of a batch file. Reading the same bytes again under
    /// the same name changes nothing and returns nil.
    @discardableResult
    public mutating func read(file: String, bytes: [UInt8]) -> TallyEvent? {
        read(preparer.prepare(file: file, bytes: bytes))
    }

    /// Reads a version prepared beforehand, perhaps on another thread.
    /// Consuming, as are the steps on its way here: the version's parts
    /// then move into the tally rather than being copied (a reference for
    /// each of a batch's figures) and the originals let go.
    @discardableResult
    public mutating func read(_ prepared: consuming PreparedVersion) -> TallyEvent? {
        let file = prepared.file, bytes = prepared.bytes, digest = prepared.digest
        // Checked against an election.json that changed since it was
        // prepared, the bytes are parsed again, even when they turn out not to be new.
        return addNew(file: file, bytes: bytes, digest: digest, checked: checked(prepared))
    }

    /// Adds a version whose digest is new for its file (`takeNew`); nil,
    /// changing nothing, when the file's latest is those bytes already.
    private mutating func addNew(file: String, bytes: [UInt8], digest: Digest,
                                 checked: consuming Result<Batch, BatchRefusal>) -> TallyEvent? {
        guard takeNew(file: file, digest: digest, valid: checked.isValid) else { return nil }
        return add(file: file, bytes: bytes, checked: checked, fileCounted: true)
    }

    /// Whether this digest is new for the file, taking it as the file's
    /// latest, and counting it among the file's valid versions when
    /// `valid`; a file that could not be read before then can be.
    /// One lookup of the name for both, as a version read costs little else.
    private mutating func takeNew(file: String, digest: Digest, valid: Bool) -> Bool {
        let wasUnreadable = !unreadable.isEmpty && unreadable[file] != nil
        guard files[file, default: FileState()].take(digest, even: wasUnreadable, valid: valid) else { return false }
        if wasUnreadable { unreadable[file] = nil }
        return true
    }

    /// Makes room for `more` versions at once, so that a big feed's first
    /// read does not grow its tables again and again as it goes. Only the
    /// first: a later exact reservation would undo the doubling by which
    /// the tables grow, and copy every version on every large poll.
    public mutating func reserveCapacity(adding more: Int) {
        guard more >= 1024, versions.isEmpty else { return }
        versions.reserveCapacity(more)
        files.reserveCapacity(files.count + more)
        identities.reserveCapacity(identities.count + more)
    }

    // MARK: Undoing, for replays that step back

    /// What one change did, so that it can be taken back exactly.
    public struct Undo: Sendable {
        let file: String
        let digest: Digest?
        let refusal: String?
        let unreadable: String?
        /// Whether a version was appended, and what was in force for its
        /// identity before it.
        var appended: Bool
        let inForceBefore: InForce
    }

    private func undoRecord(file: String, appended: Bool, inForceBefore: InForce = .nothing) -> Undo {
        Undo(file: file, digest: files[file]?.digest, refusal: refusals.isEmpty ? nil : refusals[file],
             unreadable: unreadable.isEmpty ? nil : unreadable[file],
             appended: appended, inForceBefore: inForceBefore)
    }

    /// `read(_:)` of a version prepared beforehand, and how to take it back.
    public mutating func readUndoably(_ prepared: consuming PreparedVersion) -> (TallyEvent?, Undo) {
        let file = prepared.file, bytes = prepared.bytes, digest = prepared.digest
        var before = InForce.nothing
        // Checked once: after election.json changed, a check parses the bytes again.
        let checked = checked(prepared)
        if case .success(let batch) = checked { before = identities[batch.identity]?.inForce ?? .nothing }
        let count = versions.count
        var undo = undoRecord(file: file, appended: false, inForceBefore: before)
        let event = addNew(file: file, bytes: bytes, digest: digest, checked: checked)
        // Reading the same bytes again appends nothing.
        undo.appended = versions.count > count
        return (event, undo)
    }

    /// `remove(file:)`, and how to take it back.
    public mutating func removeUndoably(file: String) -> (TallyEvent, Undo) {
        let undo = undoRecord(file: file, appended: false)
        return (remove(file: file), undo)
    }

    /// `refuse(file:reason:)`, and how to take it back.
    public mutating func refuseUndoably(file: String, reason: String) -> (TallyEvent?, Undo) {
        let undo = undoRecord(file: file, appended: false)
        return (refuse(file: file, reason: reason), undo)
    }

    /// Takes back the latest change still standing. Changes must be taken
    /// back newest first; each costs what the change itself cost.
    public mutating func undo(_ undo: Undo) {
        if undo.appended, let version = versions.last {
            if case .success(let batch) = version.checked, var state = identities[batch.identity] {
                let identity = batch.identity
                state.versions.removeLast()
                let current = state.inForce
                // While the version is still there, for `current` may name it.
                if current != undo.inForceBefore {
                    if let old = inForceBatch(current) { contests[identity.contest].apply(old, sign: -1) }
                    if let restored = inForceBatch(undo.inForceBefore) { contests[identity.contest].apply(restored, sign: 1) }
                    if case .conflict = undo.inForceBefore { conflicted.insert(identity) } else { conflicted.remove(identity) }
                }
                state.inForce = undo.inForceBefore
                identities[identity] = state.versions.isEmpty ? nil : state
                files[version.file, default: FileState(validVersions: 1)].validVersions -= 1
            }
            versions.removeLast()
        }
        if undo.digest != nil || files[undo.file] != nil { files[undo.file, default: FileState()].digest = undo.digest }
        if undo.refusal != nil || !refusals.isEmpty { refusals[undo.file] = undo.refusal }
        if undo.unreadable != nil || !unreadable.isEmpty { unreadable[undo.file] = undo.unreadable }
    }

    /// What prepares versions for this tally's election, on any thread.
    public var preparer: VersionPreparer { VersionPreparer(election: election, electionVersion: electionVersion) }

    static func check(_ record: Result<BatchRecord, BatchRefusal>, against election: Election) -> Result<Batch, BatchRefusal> {
        record.flatMap { BatchFile.check($0, against: election) }
    }

    /// A prepared version checked against this tally's election: as
    /// prepared, or parsed again when the election changed since.
    private func checked(_ prepared: consuming PreparedVersion) -> Result<Batch, BatchRefusal> {
        prepared.electionVersion == electionVersion ? prepared.checked : Tally.check(BatchFile.parse(prepared.bytes), against: election)
    }

    /// Records that a file could not be read at all (too large, unreadable):
    /// it is refused, and nothing else changes.
    @discardableResult
    public mutating func refuse(file: String, reason: String) -> TallyEvent? {
        if unreadable[file] == reason { return nil }
        unreadable[file] = reason
        return TallyEvent(kind: .refused, file: file, detail: reason)
    }

    /// A file was deleted. Nothing is withdrawn: a batch is withdrawn only by a
    /// higher revision that says so.
    @discardableResult
    public mutating func remove(file: String) -> TallyEvent {
        let refused = refusals[file] != nil || unreadable[file] != nil
        files[file]?.digest = nil
        refusals[file] = nil
        unreadable[file] = nil
        let withdraw = "(withdraw a batch with a higher revision and \"withdrawn\": true)"
        let detail: String
        switch (refused, (files[file]?.validVersions ?? 0) > 0) {
        case (true, false): detail = "file deleted; it had been refused and never counted"
        case (true, true): detail = "file deleted; its last version had been refused, and what an earlier version of it said still counts \(withdraw)"
        default: detail = "file deleted; what it said still counts \(withdraw)"
        }
        return TallyEvent(kind: .deleted, file: file, detail: detail)
    }

    /// Applies a new election.json: every version read so far is checked again.
    public mutating func replaceElection(_ newElection: Election) {
        election = newElection
        electionVersion += 1
        contests = newElection.contests.map(ContestTally.init(contest:))
        identities = [:]
        conflicted = []
        for file in files.keys { files[file]?.validVersions = 0 }
        let all = versions
        versions = VersionLog()
        let latestVersion = Dictionary(all.enumerated().map { ($1.file, $0) }, uniquingKeysWith: { _, b in b })
        for version in all {
            add(file: version.file, bytes: version.bytes, checked: Tally.check(BatchFile.parse(version.bytes), against: newElection))
        }
        // Only a file's latest version decides whether it stands refused.
        refusals = [:]
        for (file, index) in latestVersion where files[file]?.digest != nil {
            if case .failure(let refusal) = versions[index].checked { refusals[file] = refusal.reason }
        }
    }

    /// Adds a version and merges it. `checked` is consuming, as the batch
    /// is kept: copied in, each of its figures was a reference taken and
    /// let go for every file. `fileCounted`: the file's valid versions
    /// already count it (`takeNew`).
    @discardableResult
    private mutating func add(file: String, bytes: [UInt8], checked: consuming Result<Batch, BatchRefusal>,
                              fileCounted: Bool = false) -> TallyEvent {
        let index = versions.count
        let batch: Batch
        switch consume checked {
        case .failure(let refusal):
            let reason = refusal.reason
            versions.append(Version(file: file, bytes: bytes, checked: .failure(refusal)))
            refusals[file] = reason
            return TallyEvent(kind: .refused, file: file, detail: reason)
        case .success(let read):
            var read = read
            reasons.intern(&read)
            batch = read
        }
        versions.append(Version(file: file, bytes: bytes, checked: .success(batch)))
        if !refusals.isEmpty { refusals[file] = nil }
        if !fileCounted { files[file, default: FileState()].validVersions += 1 }
        let identity = batch.identity
        // The identity's state changed where it lies: one lookup of the identity.
        let (before, after) = Tally.place(index, in: &identities[identity, default: IdentityState()], versions: versions)
        if before != after {
            if let old = inForceBatch(before) { contests[identity.contest].apply(old, sign: -1) }
            if let new = inForceBatch(after) { contests[identity.contest].apply(new, sign: 1) }
            if case .conflict = after { conflicted.insert(identity) } else if !conflicted.isEmpty { conflicted.remove(identity) }
        }
        return event(for: batch, file: file, before: before, after: after)
    }

    private func inForceBatch(_ inForce: InForce) -> Batch? {
        guard case .batch(let index, _) = inForce, case .success(let batch) = versions[index].checked else { return nil }
        return batch
    }

    private func batch(_ index: Int) -> Batch { Tally.batch(index, in: versions) }

    private static func batch(_ index: Int, in versions: VersionLog) -> Batch {
        guard case .success(let batch) = versions[index].checked else { preconditionFailure("only checked versions are kept per identity") }
        return batch
    }

    /// Adds version `index` to its identity's versions and merges them:
    /// what was in force before, and after.
    private static func place(_ index: Int, in state: inout IdentityState, versions: VersionLog) -> (before: InForce, after: InForce) {
        let before = state.inForce
        state.versions.append(index)
        state.inForce = resolve(state.versions, versions: versions)
        return (before, state.inForce)
    }

    /// The merging rules: a version that its own file replaced with a later
    /// version of the same batch takes no part; of the others, the highest
    /// revision is in force; at that revision, equal figures are one batch and
    /// different figures are a conflict.
    ///
    /// The first rule is what makes a live watch and `check` agree: `check`
    /// reads each file once, as it is, and a dashboard that kept a file's
    /// earlier version in play would call a file edited in place without a
    /// higher revision a conflict with itself, where `check` sees none.
    private static func resolve(_ list: VersionIndices, versions: VersionLog) -> InForce {
        func batch(_ index: Int) -> Batch { Tally.batch(index, in: versions) }
        // The first version of a batch, by far the most common: in force alone.
        if let index = list.only {
            let only = batch(index)
            return only.figures == .withdrawn ? .withdrawn(revision: only.revision) : .batch(version: index, revision: only.revision)
        }
        let indices = list.all
        let standing = Tally.standing(indices, files: indices.map { versions[$0].file })
        guard let top = standing.map({ batch($0).revision }).max() else { return .nothing }
        let atTop = standing.filter { batch($0).revision == top }
        let first = batch(atTop[0]).figures
        if atTop.allSatisfy({ batch($0).figures == first }) {
            if first == .withdrawn { return .withdrawn(revision: top) }
            // The version chosen is the one with the least file name, so the
            // choice does not depend on the order files arrived in.
            let chosen = atTop.min { versions[$0].file < versions[$1].file }!
            return .batch(version: chosen, revision: top)
        }
        return .conflict(revision: top, versions: atTop)
    }

    /// Of one batch's versions, in the order read, those that no later
    /// version from the same file replaced.
    static func standing(_ indices: [Int], files: [String]) -> [Int] {
        var last: [String: Int] = [:]
        for (index, file) in zip(indices, files) { last[file] = index }
        return zip(indices, files).filter { last[$0.1] == $0.0 }.map(\.0)
    }

    /// What a version did. The words are put together only when someone
    /// reads them: a big feed's first poll makes an event for every file.
    private func event(for batch: Batch, file: String, before: InForce, after: InForce) -> TallyEvent {
        let name = BatchName(identity: batch.identity, election: election)
        let revision = batch.revision
        if case .batch(let old, let oldRevision) = before, versions[old].file == file, oldRevision == revision,
           batch.figures != self.batch(old).figures {
            return TallyEvent(kind: .corrected, file: file, about: .changedInPlace(name, revision: revision))
        }
        switch (before, after) {
        case (_, .conflict(let revision, let indices)):
            return TallyEvent(kind: .conflict, file: file,
                              about: .conflict(name, revision: revision, files: Set(indices.map { versions[$0].file }).sorted()))
        case (.nothing, .batch):
            return TallyEvent(kind: .accepted, file: file, about: .accepted(name, revision: revision))
        case (_, .withdrawn(let revision)) where before != after:
            return TallyEvent(kind: .withdrawn, file: file, about: .withdrawn(name, revision: revision))
        case (.batch(_, let old), .batch(_, let new)) where new > old,
             (.withdrawn(let old), .batch(_, let new)) where new > old,
             (.conflict(let old, _), .batch(_, let new)) where new > old:
            return TallyEvent(kind: .corrected, file: file, about: .corrected(name, revision: revision, replacing: old))
        default:
            switch after {
            case .batch(_, let current), .withdrawn(let current), .conflict(let current, _):
                if revision < current {
                    return TallyEvent(kind: .superseded, file: file, about: .superseded(name, revision: revision, inForce: current))
                }
            case .nothing:
                break
            }
            return TallyEvent(kind: .duplicate, file: file, about: .duplicate(name, revision: revision))
        }
    }

    // MARK: Views of the state

    func contestTally(_ index: Int) -> ContestTally { contests[index] }
    var conflictedIdentities: Set<BatchIdentity> { conflicted }

    /// What the trend of the night so far is worked out from, taken as the
    /// tally stands: it shares the tally's storage until the tally changes,
    /// so that the working out can run beside a reader that goes on reading.
    public var trendSource: TrendSource {
        TrendSource(election: election, electionVersion: electionVersion, versions: versions)
    }

    /// Whether a trend worked out from `source` is of this tally's
    /// contests: no election.json replaced it since.
    public func isContinuation(of source: TrendSource) -> Bool { source.electionVersion == electionVersion }

    /// Where in `versions` the versions that were checked are, ordered as
    /// the night went: by `at`, then by file name, those without a time
    /// last. Indices, not the versions: a million of them sort in a few
    /// megabytes.
    static func nightOrder(_ versions: VersionLog) -> [Int] {
        // A file's versions keep the order they were read in (a later one
        // replaces an earlier one): none is placed before an earlier version
        // of its file, whatever its `at`.
        var latestAt: [String: Double] = [:]
        var times: [Double] = []
        var order: [Int] = []
        times.reserveCapacity(versions.count)
        for index in versions.indices {
            let version = versions[index]
            guard case .success(let batch) = version.checked else {
                times.append(.infinity)
                continue
            }
            let time = max(batch.at ?? .infinity, latestAt[version.file] ?? -.infinity)
            latestAt[version.file] = time
            times.append(time)
            order.append(index)
        }
        order.sort { a, b in
            if times[a] != times[b] { return times[a] < times[b] }
            let (fileA, fileB) = (versions[a].file, versions[b].file)
            if fileA != fileB { return fileA < fileB }
            return a < b
        }
        return order
    }

    /// Adds a version checked against this same election, as a replay does.
    mutating func readChecked(_ version: Version) {
        files[version.file]?.digest = nil
        add(file: version.file, bytes: version.bytes, checked: version.checked)
    }

    /// The batches in force now, in a fixed order (contest, kind, then the
    /// order of their files' names).
    func batchesInForce() -> [Batch] {
        var found: [(batch: Batch, file: String)] = []
        for state in identities.values {
            guard case .batch(let index, _) = state.inForce, case .success(let batch) = versions[index].checked else { continue }
            found.append((batch, versions[index].file))
        }
        func rank(_ entry: (batch: Batch, file: String)) -> (Int, Int, String) {
            (entry.batch.contest, entry.batch.kind == .verification ? 0 : 1, entry.file)
        }
        return found.sorted { rank($0) < rank($1) }.map(\.batch)
    }

    /// The revision in force for a batch identity (withdrawn or in
    /// conflict included), nil when nothing is: a correction is the next.
    public func revisionInForce(_ identity: BatchIdentity) -> Int? {
        switch identities[identity]?.inForce ?? .nothing {
        case .nothing: return nil
        case .batch(_, let revision), .withdrawn(let revision), .conflict(let revision, _): return revision
        }
    }

    /// Ballots counted in an area's own bundles (mixed ballots of its boxes,
    /// not box by box): a count of one of its boxes would count them twice.
    public func bundleBallots(contest: Int, area: Int) -> Int {
        contests[contest].areas.indices.contains(area) ? contests[contest].areas[area].bundleCounted : 0
    }

    // MARK: Snapshot

    /// Each contest's projection made again, alone, for a snapshot of this
    /// same tally (which already holds them): to time the projection apart,
    /// every block of strata summed afresh rather than taken from those kept.
    /// For the benchmark only (`@_spi(Benchmark) import CountNightCore`).
    @_spi(Benchmark) public func projections(for snapshot: Snapshot) -> [Projection] {
        zip(contests, snapshot.contests).map { tally, contest in
            Projection(tally: tally, model: ProjectionModel(tally: tally, cached: false), status: contest.status, winners: contest.winners,
                       secondStage: contest.secondStage)
        }
    }

    /// The state of the count now. `time` is when the snapshot is taken, from
    /// whatever clock the caller keeps.
    /// `boxes`: with every contest's box rows, for the screens. `areas`:
    /// with each area's figures (`ContestSnapshot.areas`), for the areas
    /// view and the exports; the headless lines leave them out.
    public func snapshot(time: Double, boxes: Bool = false, areas: Bool = true) -> Snapshot {
        var unused = ContestSnapshotCache()
        return snapshot(time: time, boxes: boxes, areas: areas, reusing: &unused)
    }

    /// `snapshot(time:boxes:areas:)`, making again only the contests that
    /// changed since `cache` last saw them: on a night of many contests, a
    /// batch costs the work of its own contest.
    func snapshot(time: Double, boxes: Bool, areas: Bool, reusing cache: inout ContestSnapshotCache) -> Snapshot {
        if cache.electionVersion != electionVersion || cache.contests.count != contests.count {
            cache = ContestSnapshotCache(electionVersion: electionVersion, contests: Array(repeating: nil, count: contests.count))
        }
        var contestSnapshots: [ContestSnapshot] = []
        contestSnapshots.reserveCapacity(contests.count)
        // By index: `for contest in contests` copied each contest's tally
        // (a few dozen references taken and let go), 650 a snapshot on a
        // national night where one contest changed.
        for index in contests.indices {
            if let cached = cache.contests[index], cached.changes == contests[index].changes, cached.areas == areas {
                contestSnapshots.append(cached.snapshot)
            } else {
                var made = ContestSnapshot(tally: contests[index], areas: areas)
                // The election's, so that a new election.json (a new version, the cache made again) changes it.
                made.recountMargin = election.recountMargin
                cache.contests[index] = (contests[index].changes, areas, made)
                contestSnapshots.append(made)
            }
        }
        if boxes { for index in contestSnapshots.indices { contestSnapshots[index].boxes = boxRows(contest: index) } }
        // Made only when there is something to list: sorted, even an empty
        // list was a list made and let go at every snapshot.
        let refused = self.refusedFiles
        let refusedFiles = refused.isEmpty ? [] : refused.map { RefusedFile(file: $0.key, reason: $0.value) }.sorted { $0.file < $1.file }
        let conflicts = conflicted.isEmpty ? [] : conflicted.compactMap { identity -> Conflict? in
            guard case .conflict(let revision, let indices) = identities[identity]?.inForce else { return nil }
            return Conflict(contest: election.contests[identity.contest].id, identity: identity.label(in: election),
                            revision: revision, files: Set(indices.map { versions[$0].file }).sorted())
        }.sorted { ($0.contest, $0.identity) < ($1.contest, $1.identity) }
        return Snapshot(time: time, election: election.id, title: election.title, rehearsal: election.rehearsal,
                        contests: contestSnapshots, refusedFiles: refusedFiles, conflicts: conflicts)
    }
}

/// A batch's versions, by index into the tally's: most batches have one,
/// kept without an array of its own.
struct VersionIndices: Sendable {
    private var first = -1
    private var more: [Int] = []

    var isEmpty: Bool { first < 0 }
    /// The index, when there is exactly one.
    var only: Int? { first >= 0 && more.isEmpty ? first : nil }
    var all: [Int] { first < 0 ? [] : [first] + more }

    mutating func append(_ index: Int) {
        if first < 0 { first = index } else { more.append(index) }
    }

    mutating func removeLast() {
        if more.isEmpty { first = -1 } else { more.removeLast() }
    }
}

/// The reasons for rejected ballots seen so far, each kept once: a night of
/// a million counts that name the same four reasons keeps four strings, not
/// four million.
struct RejectionReasons: Sendable {
    private var known: Set<String> = []
    /// The first few reasons kept, looked through before the set: a count
    /// names one reason or a few, and comparing a reason with those costs
    /// less than hashing it.
    private var first: [String] = []
    private static let firstCount = 8

    private mutating func intern(_ reason: String) -> String {
        for kept in first where kept == reason { return kept }
        let kept = known.insert(reason).memberAfterInsert
        if first.count < Self.firstCount { first.append(kept) }
        return kept
    }

    /// Swaps each reason of a batch for the one kept. A count's reasons
    /// are swapped where they lie, which the batch's only reference to its
    /// figures allows: rebuilt, each batch cost a list made and one let go
    /// on the merging thread.
    mutating func intern(_ batch: inout Batch) {
        switch batch.figures {
        case .count(var count) where !count.rejected.isEmpty:
            // The batch lets go of its figures, so that `count` holds the only reference to its list.
            batch.figures = .withdrawn
            for index in count.rejected.indices { count.rejected[index].reason = intern(count.rejected[index].reason) }
            batch.figures = .count(count)
        case .declaration(let declaration):
            let rejected = declaration.count.rejected.map { RejectedBallots(reason: intern($0.reason), count: $0.count) }
            let count = VoteCount(votes: declaration.count.votes, rejected: rejected, ballots: declaration.count.ballots)
            batch.figures = .declaration(Declaration(count: count, elected: declaration.elected,
                                                     declaredPapers: declaration.declaredPapers, transfers: declaration.transfers))
        case .withdrawn, .verification, .secondPreferences, .count:
            return
        }
    }
}

/// What the tally knows of one file name (`Tally.files`).
struct FileState: Sendable {
    var digest: Digest?
    // 32 bits: a million files keep one each.
    var validVersions: Int32 = 0

    /// Takes `new` as the file's latest content: false, changing nothing,
    /// when it already is (unless `even`, as for a file that could not be read since).
    mutating func take(_ new: Digest, even: Bool, valid: Bool) -> Bool {
        if digest == new && !even { return false }
        digest = new
        if valid { validVersions += 1 }
        return true
    }
}

/// Contest snapshots as last made, each with the count of changes of its
/// contest then, for the election version then.
struct ContestSnapshotCache: Sendable {
    var electionVersion = -1
    /// Each contest's snapshot, the count of its changes it was made at,
    /// and whether it holds the areas' figures.
    var contests: [(changes: Int, areas: Bool, snapshot: ContestSnapshot)?] = []

    /// The count of changes the contest's snapshot was last made at.
    func changes(of contest: Int) -> Int? { contests.indices.contains(contest) ? contests[contest]?.changes : nil }
}

/// The part of reading a version that needs nothing but its bytes and the
/// election: parsing and checking. Pure, so that many files can be prepared
/// at once on several cores.
public struct VersionPreparer: Sendable {
    let election: Election
    let electionVersion: Int

    public func prepare(file: String, bytes: [UInt8]) -> PreparedVersion {
        PreparedVersion(file: file, bytes: bytes, digest: Digest(bytes), checked: Tally.check(BatchFile.parse(bytes), against: election),
                        electionVersion: electionVersion)
    }
}

/// A batch file version parsed and checked, ready to be added to a tally.
///
/// The parsed record is not kept: it is let go on the thread that parsed
/// it. Kept, it went to the thread that merges, and freeing it there waited
/// on the lock of the parsing thread's share of the allocator: on the first
/// read of 100,000 files the merging thread slept a third of its time on it.
/// Checked against another version of the election (election.json changed
/// in between), the bytes are parsed again (`Tally.checked(_:)`).
public struct PreparedVersion: Sendable {
    let file: String
    let bytes: [UInt8]
    let digest: Digest
    let checked: Result<Batch, BatchRefusal>
    let electionVersion: Int
}

/// What reading one version did, for the log.
public struct TallyEvent: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable {
        case accepted, corrected, withdrawn, duplicate, superseded, conflict, refused, deleted
    }

    /// What the event is about, kept as parts until it is put into words.
    enum About: Equatable, Sendable {
        case text(String)
        case accepted(BatchName, revision: Int)
        case corrected(BatchName, revision: Int, replacing: Int)
        case withdrawn(BatchName, revision: Int)
        case superseded(BatchName, revision: Int, inForce: Int)
        case duplicate(BatchName, revision: Int)
        case conflict(BatchName, revision: Int, files: [String])
        case changedInPlace(BatchName, revision: Int)
    }

    public let kind: Kind
    public let file: String
    let about: About

    public init(kind: Kind, file: String, detail: String) {
        self.init(kind: kind, file: file, about: .text(detail))
    }

    init(kind: Kind, file: String, about: About) {
        self.kind = kind
        self.file = file
        self.about = about
    }

    public static func == (a: TallyEvent, b: TallyEvent) -> Bool {
        a.kind == b.kind && a.file == b.file && a.detail == b.detail
    }

    /// What happened, in words.
    public var detail: String {
        switch about {
        case .text(let text):
            return text
        case .accepted(let name, let revision):
            return "\(name) revision \(revision)"
        case .corrected(let name, let revision, let old):
            return "\(name) revision \(revision) replaces revision \(old)"
        case .withdrawn(let name, let revision):
            return "\(name) withdrawn at revision \(revision)"
        case .superseded(let name, let revision, let current):
            return "\(name) revision \(revision) is older than revision \(current) already in force; it does not count"
        case .duplicate(let name, let revision):
            return "\(name) revision \(revision) has the same figures as a version already read; counted once"
        case .conflict(let name, let revision, let files):
            return "\(name) revision \(revision) has different figures in \(files.joined(separator: ", ")); \(Conflict.rule)"
        case .changedInPlace(let name, let revision):
            return "\(name) revision \(revision) changed in place, without a higher revision: it counts as the file is now (raise the revision when correcting)"
        }
    }

    public var description: String { "\(kind.rawValue): \(file): \(detail)" }
}

/// A batch identity's parts as names, for words put together later:
/// `mayor count area=Bow East batch=3`.
struct BatchName: Equatable, Sendable, CustomStringConvertible {
    let contest: String
    let kind: Batch.Kind
    let isBox: Bool
    /// Empty for a declaration, which is of the whole contest.
    let target: String
    let batch: String

    init(identity: BatchIdentity, election: borrowing Election) {
        let contest = election.contests[identity.contest]
        self.contest = contest.id
        kind = identity.kind
        switch identity.target {
        case .box(let box):
            isBox = true
            target = contest.boxes[box].id
        case .area(let area):
            isBox = false
            target = contest.areas[area].label
        case .contest:
            isBox = false
            target = ""
        }
        batch = identity.batch
    }

    var label: String {
        let place = target.isEmpty ? "" : " \(isBox ? "box" : "area")=\(target)"
        return kind.rawValue + place + (batch.isEmpty ? "" : " batch=\(batch)")
    }
    var description: String { "\(contest) \(label)" }
}

/// A 64-bit digest and the length: enough to tell whether a file's bytes
/// changed since they were last read. The bytes are taken eight at a time,
/// each word multiplied in: a byte at a time (FNV-1a), one multiply waiting
/// on the last, it was a tenth of a reading thread's work on a big feed.
struct Digest: Equatable, Sendable {
    let hash: UInt64
    /// Batch files are at most 1 MiB; 32 bits keep a file's entry small.
    let length: UInt32

    init(_ bytes: [UInt8]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                hash = Digest.mix(hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
            }
            if offset < raw.count {
                var last: UInt64 = 0
                for index in offset..<raw.count { last |= UInt64(raw[index]) << (8 * UInt64(index - offset)) }
                hash = Digest.mix(hash ^ last)
            }
        }
        self.length = UInt32(truncatingIfNeeded: bytes.count)
        self.hash = Digest.mix(hash ^ (hash >> 32))
    }

    /// Every bit of the word moves the high ones; the shift brings them down again.
    private static func mix(_ word: UInt64) -> UInt64 {
        let product = word &* 0x9E37_79B9_7F4A_7C15
        return product ^ (product >> 29)
    }
}

/// The versions read, in the order read, kept in blocks: a trend worked out
/// beside the reading (`TrendSource`) shares them, and a version read
/// meanwhile copies the last block, not a million versions.
struct VersionLog: RandomAccessCollection, Sendable {
    private static let blockBits = 12
    private static let blockMask = (1 << blockBits) - 1
    private var blocks: [[Tally.Version]] = []

    var startIndex: Int { 0 }
    private(set) var endIndex = 0

    subscript(index: Int) -> Tally.Version { blocks[index >> Self.blockBits][index & Self.blockMask] }

    mutating func append(_ version: consuming Tally.Version) {
        if endIndex & Self.blockMask == 0 {
            var block: [Tally.Version] = []
            block.reserveCapacity(Self.blockMask + 1)
            blocks.append(block)
        }
        blocks[blocks.count - 1].append(version)
        endIndex += 1
    }

    mutating func removeLast() {
        blocks[blocks.count - 1].removeLast()
        if blocks[blocks.count - 1].isEmpty { blocks.removeLast() }
        endIndex -= 1
    }

    mutating func reserveCapacity(_ count: Int) { blocks.reserveCapacity((count + Self.blockMask) >> Self.blockBits) }
}


private extension Result where Success == Batch {
    /// A batch, not a refusal.
    var isValid: Bool { if case .success = self { true } else { false } }
}
