import CountNightCore
import Dispatch
import Foundation

/// Something the reader noticed on a poll, for the log and for messages.
public enum FeedEvent: Equatable, Sendable {
    /// What an entry read from the directory did to the count.
    case count(CountEvent)
    /// The feed directory cannot be read; reading resumes when it is back.
    case feedUnavailable(String)
    case feedBack
    /// Entries could not be written to the journal: what failed and how many are lost.
    case recordingFailed(String)

    public var description: String {
        switch self {
        case .count(let event): return event.description
        case .feedUnavailable(let problem): return "\(problem); reading resumes when it is back"
        case .feedBack: return "the feed directory can be read again"
        case .recordingFailed(let problem): return "RECORDING FAILED: \(problem)"
        }
    }
}

/// Reads a feed directory into the count, poll by poll: what it finds on
/// the disk becomes entries (a version read, a deletion, a file that cannot
/// be read), applied to the same `CountState` a replay applies its entries to.
///
/// A poll lists the directory and examines each batch file; only files whose
/// stamp (inode, size, times) changed are read again, so a poll with nothing
/// new reads no file.
///
/// Poll one reader: copies share what the system says changed (`DirectoryWatch`)
/// and the look taken at the opening (`FirstLook`), and the first to poll
/// takes them.
public struct FeedReader: Sendable {
    public let directory: String
    public private(set) var state: CountState
    public var tally: Tally { state.tally }
    /// For each batch file present: its stamp when last read (nil when it
    /// could not be read) and the poll that last saw it.
    private var stamps: [String: (stamp: FileStamp?, seen: UInt32)] = [:]
    /// Which scan last saw each file; 32 bits, as a million files keep one
    /// each (it wraps after four billion scans, and only equality is asked).
    private var generation: UInt32 = 0
    private var electionStamp: FileStamp?
    /// Why the latest election.json is refused, while the previous one stays
    /// (the problem alone; the file is election.json).
    public var electionProblem: String? { state.electionProblem }
    /// Why the directory cannot be read now, if it cannot.
    public private(set) var unavailable: String?
    /// How many times a batch file was opened and read: a poll with nothing
    /// new adds none.
    public private(set) var filesRead = 0
    /// A quiet directory is still scanned once in this many polls, and not
    /// before the last whole scan's duration × 200 has passed (`DirectoryWatch`).
    public static var pollsBetweenFullScans: Int { DirectoryWatch.rescanEvery }
    /// The most of the time a quiet directory's safety scans may take.
    public static var safetyScanShare: Double { DirectoryWatch.safetyShare }
    /// The clock entries are stamped with and safety scans are spaced by;
    /// tests set their own.
    public var clock: @Sendable () -> Double = WallClock.now
    /// How many polls listed the directory and examined all its files.
    public private(set) var scans = 0
    private let watch: DirectoryWatch
    private let reading: Reading
    /// The directory as the reader found it when opened, for the first poll.
    private var firstLook: FirstLook?
    /// How many files were read when the reader was opened, waiting until
    /// that reading ended; 0 once the first poll took them.
    var filesReadAtOpening: Int { firstLook?.filesRead ?? 0 }
    /// Where every new version read is recorded, when recording.
    private var journal: JournalWriter?
    private var lostReported = 0
    private var electionBytes: [UInt8]
    /// Read once (`readOnce`): no list of what each file did, and no
    /// file's stamp kept for a next poll, which never comes.
    private var readingOnce = false

    /// How a reader follows its directory.
    public enum Reading: Sendable {
        /// Polled for as long as the night lasts: the system says what changed between polls.
        case live
        /// Read at one moment (`snapshot`, `check`): every poll examines every file.
        case once
    }

    /// Reads election.json; the error names the file, the place and the problem.
    /// Meanwhile a thread of its own lists the directory and reads the first
    /// batch files (`FirstLook`), until the first poll takes them.
    public init(directory: String, reading: Reading = .live) throws(ElectionFileError) {
        try self.init(directory: directory, reading: reading, readingAhead: true)
    }

    /// `readingAhead: false`: no `FirstLook`, every file is read at the
    /// first poll; for the benchmark that measures the memory a version
    /// keeps, which files held by the look would hide.
    @_spi(Benchmark) public init(directory: String, reading: Reading, readingAhead: Bool) throws(ElectionFileError) {
        self.directory = directory
        self.reading = reading
        watch = DirectoryWatch(directory: directory, watching: reading == .live)
        // Watched from before the directory is opened for the look, so that
        // whatever changes after the look is named at the first poll. Without
        // a look, the first poll starts the watch and examines everything.
        if readingAhead { watch.start() }
        let path = FeedReader.join(directory, ElectionFile.name)
        let open: OpenDirectory
        do {
            open = try OpenDirectory(directory)
        } catch {
            throw ElectionFileError(file: directory, problem: "cannot read the feed directory: \(error.message)")
        }
        guard let stamp = FileSystem.stamp(path) else {
            throw ElectionFileError(file: path, problem: "not found; a feed directory needs an election.json (see docs/feed-format.md)")
        }
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: .election) {
        case .success(let read): bytes = read
        case .failure(let problem): throw ElectionFileError(file: path, problem: problem.message)
        }
        let look = readingAhead ? FirstLook(open) : nil
        do {
            state = CountState(election: try ElectionFile.parse(bytes, file: path))
        } catch {
            look?.cancel()
            throw error
        }
        electionStamp = stamp
        electionBytes = bytes
        firstLook = look
    }

    /// Records from now on every new version read, deletion and unreadable
    /// file in `journal`, starting with election.json as it is.
    public mutating func record(to journal: JournalWriter) {
        self.journal = journal
        journal.append(NightEntry(time: clock(), file: ElectionFile.name, change: .version(electionBytes)))
    }

    /// Applies what was found on the disk to the count and, when it changed
    /// anything, records it in the journal.
    private mutating func apply(_ file: String, _ change: NightEntry.Change, prepared: consuming PreparedVersion? = nil,
                                _ events: inout [FeedEvent]) {
        let entry = NightEntry(time: clock(), file: file, change: change)
        guard let event = state.applyForward(entry, prepared: prepared) else { return }
        if !readingOnce { events.append(.count(event)) }
        journal?.append(entry)
    }

    public var election: Election { tally.election }

    /// Whether a name in the feed directory is a batch file.
    public static func isBatchFileName(_ name: String) -> Bool {
        name.hasSuffix(".json") && name != ElectionFile.name && !name.hasPrefix(".") && !name.hasPrefix("~")
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Looks at the directory once and reads what is new. When the system
    /// says nothing in the directory changed since the last look, that is
    /// all; when it names the files that changed, only those are examined.
    ///
    /// `progress`: told every thousand files or so how far a poll that
    /// reads many has got (files read and counted, of how many), on the
    /// polling thread, as the first read of a large feed takes seconds.
    public mutating func poll(progress: ((_ read: Int, _ of: Int) -> Void)? = nil) -> [FeedEvent] {
        var events = pollFeed(progress: progress)
        if let journal, journal.lost > lostReported {
            lostReported = journal.lost
            events.append(.recordingFailed(journal.lossReport ?? ""))
        }
        return events
    }

    /// Reads the feed once and gives the count, for the commands that
    /// report from its snapshot (`snapshot`, `check`, `calibrate`): what each
    /// file did is let go as it is made, and nothing is kept for a later
    /// poll (the stamps that tell a changed file), so the reader is used up.
    /// A large feed's first poll made an event a file, and a stamp a file
    /// in a table of its own, for nobody.
    public consuming func readOnce() -> CountState {
        readingOnce = true
        _ = pollFeed(progress: nil)
        return state
    }

    /// Why recording fails, with the entries lost; nil while it works or when not recording.
    public var recordingFailure: String? { journal?.lossReport }

    private mutating func pollFeed(progress: ((Int, Int) -> Void)?) -> [FeedEvent] {
        var events: [FeedEvent] = []
        let changes = unavailable == nil ? watch.changes(now: clock()) : .unknown
        let look = firstLook.take()
        if case .none = changes, look == nil { return events }
        let open: OpenDirectory
        do {
            open = try OpenDirectory(directory)
        } catch {
            look?.discard()
            let problem = "cannot read the feed directory \(directory): \(error.message)"
            if unavailable != problem {
                unavailable = problem
                events.append(.feedUnavailable(problem))
            }
            return events
        }
        if unavailable != nil {
            unavailable = nil
            events.append(.feedBack)
        }
        pollElection(&events)
        // The look stands for a whole examination made at the opening, and
        // what changed since is named, unless the system lost track (events
        // lost, no watch): then the look may be out of date. A reader that
        // reads once examines everything at every poll, so it takes the look.
        var unknown = false
        if case .unknown = changes { unknown = true }
        if let look, reading == .once || !unknown {
            wholeExamination(open, look: look, &events, progress: progress)
            if case .named(let names) = changes { examine(names, in: open, &events, progress: progress) }
            return events
        }
        look?.discard()
        switch changes {
        case .named(let names):
            examine(names, in: open, &events, progress: progress)
        case .none:
            break
        case .unknown:
            wholeExamination(open, look: nil, &events, progress: progress)
        }
        return events
    }

    private mutating func wholeExamination(_ open: OpenDirectory, look: FirstLook?, _ events: inout [FeedEvent],
                                           progress: ((Int, Int) -> Void)?) {
        let started = clock()
        scan(open, look: look, &events, progress: progress)
        let ended = clock()
        watch.examined(duration: ended - started, now: ended)
    }

    /// Examines every file in the directory: at the start, and whenever the
    /// system cannot say what changed.
    private mutating func scan(_ open: OpenDirectory, look: FirstLook?, _ events: inout [FeedEvent],
                               progress: ((Int, Int) -> Void)?) {
        scans += 1
        generation &+= 1
        // A first look at a directory of plain batch files (see
        // `FirstLook.plainBatchFiles`) lists what to read, in name order,
        // on its own thread: the readers start at once. Nothing was known
        // before, so nothing is gone.
        if stamps.isEmpty, let first = look?.plainBatchFiles() {
            if !readingOnce { stamps.reserveCapacity(first.names.count) }
            readSorted(first.names, in: open, early: first.early, &events, progress: progress)
            return
        }
        var changed: [String] = []
        let entries = look?.listing() ?? open.entries()
        stamps.reserveCapacity(entries.count)
        changed.reserveCapacity(entries.count)
        for entry in entries where entry.mayBeRegular && FeedReader.isBatchFileName(entry.name) {
            if let problem = entry.nameProblem {
                stamps[entry.name] = (nil, generation)
                apply(entry.name, .unreadable(problem), &events)
            } else if !stamps.isEmpty, let known = stamps[entry.name] {
                // Known files are examined without opening them.
                guard let stamp = FileSystem.stamp(in: open, entry.name), stamp.isRegular else { continue }
                stamps[entry.name] = (stamp == known.stamp ? known.stamp : nil, generation)
                if stamp != known.stamp { changed.append(entry.name) }
            } else if !entry.typeKnown {
                // A link or an unknown type: look before opening, so that
                // nothing but a regular file is ever opened.
                if FileSystem.stamp(in: open, entry.name)?.isRegular == true { changed.append(entry.name) }
            } else {
                changed.append(entry.name)
            }
        }
        read(changed, in: open, look: look, &events, progress: progress)
        let gone = stamps.filter { $0.value.seen != generation }.keys.sorted()
        for name in gone {
            stamps[name] = nil
            apply(name, .deleted, &events)
        }
    }

    /// Examines only the files the system named as changed.
    private mutating func examine(_ names: Set<String>, in open: OpenDirectory, _ events: inout [FeedEvent],
                                  progress: ((Int, Int) -> Void)?) {
        var changed: [String] = []
        var gone: [String] = []
        for name in names where FeedReader.isBatchFileName(name) {
            let known = stamps[name]
            guard let stamp = FileSystem.stamp(in: open, name), stamp.isRegular else {
                if known != nil { gone.append(name) }
                continue
            }
            if known?.stamp != stamp { changed.append(name) }
        }
        read(changed, in: open, &events, progress: progress)
        for name in gone.sorted() {
            stamps[name] = nil
            apply(name, .deleted, &events)
        }
    }

    /// Reads the files that changed, in name order so that the log reads the
    /// same on every machine.
    private mutating func read(_ names: [String], in open: OpenDirectory, look: FirstLook? = nil,
                               _ events: inout [FeedEvent], progress: ((Int, Int) -> Void)?) {
        let changed = zip(names, names.dropFirst()).allSatisfy({ $0 < $1 }) ? names : names.sorted()
        readSorted(changed, in: open, early: look?.reads(for: changed), &events, progress: progress)
    }

    /// `read`, of names already in name order; `early`: what was read of
    /// them already, by index.
    private mutating func readSorted(_ changed: [String], in open: OpenDirectory, early: Slots<FileSystem.Read>?,
                                     _ events: inout [FeedEvent], progress: ((Int, Int) -> Void)?) {
        filesRead += changed.count
        state.reserveCapacity(adding: changed.count)
        var merged = 0
        let preparer = state.tally.preparer
        FeedReader.readAll(changed, in: open, early: early,
                           prepare: { preparer.prepare(file: $0, bytes: $1) }) { (read: consuming FileRead<PreparedVersion>) in
            merged += 1
            if merged % 1024 == 0 { progress?(merged, changed.count) }
            // Moved out of the read, not copied: a version's parts go on into the tally.
            let (name, result) = read.parts()
            switch consume result {
            case .success(nil):
                break
            case .success(let (prepared, stamp, bytes)?):
                if !readingOnce { stamps[name] = (stamp, generation) }
                apply(name, .version(bytes), prepared: prepared, &events)
            case .failure(let problem):
                // Tried again when it changes.
                stamps[name] = (FileSystem.stamp(in: open, name), generation)
                apply(name, .unreadable(problem.message), &events)
            }
        }
    }

    /// A file read, with what `prepare` made of it on the reading thread.
    struct FileRead<Prepared: Sendable>: Sendable {
        let name: String
        let result: Result<(Prepared, FileStamp, [UInt8])?, FeedReadError>

        consuming func parts() -> (name: String, result: Result<(Prepared, FileStamp, [UInt8])?, FeedReadError>) { (name, result) }
    }

    /// Reads, parses and checks files and hands each to `merge`, in the order
    /// of `names`. When there are many, worker threads read and parse chunks
    /// of them on every core while this thread merges the chunks already
    /// done: this is most of the work of the first poll of a large feed.
    /// The workers are this thread's own, so that they run at its priority:
    /// the dashboard reads at a lower one than the thread that answers keys.
    ///
    /// `prepare` runs on the reading threads, and what it lets go is freed
    /// there: a value made on one thread and freed on another waits on the
    /// lock of the first thread's share of the allocator.
    /// `early`: files already read, by index in `names` (`FirstLook`).
    /// `chunkSize`: files a worker reads at a time (smaller in tests).
    static func readAll<Prepared: Sendable>(_ names: [String], in directory: OpenDirectory, early: Slots<FileSystem.Read>? = nil,
                                            chunkSize: Int = 256,
                                            prepare: @escaping @Sendable (String, [UInt8]) -> Prepared,
                                            merge: (consuming FileRead<Prepared>) -> Void) {
        @Sendable func readOne(_ index: Int) -> FileRead<Prepared> {
            let name = names[index]
            let read = (early.flatMap { index < $0.count ? $0.take(index) : nil })
                ?? FileSystem.read(in: directory, name, limit: .batch)
            return FileRead(name: name, result: read.map { read in
                read.map { (prepare(name, $0.bytes), $0.stamp, $0.bytes) }
            })
        }
        let chunks = (names.count + chunkSize - 1) / chunkSize
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, chunks)
        guard workers > 1 else {
            for index in names.indices { merge(readOne(index)) }
            return
        }
        let done = (0..<chunks).map { _ in DispatchSemaphore(value: 0) }
        // Workers stay at most `window` chunks ahead of the merging: files
        // read but not yet merged are memory (some 8 MB at 32 chunks). At 8
        // chunks on 2 cores, one chunk late (its worker not on a core)
        // stopped the other worker and the merging with it, and a core stood
        // idle. Not more per worker on a large machine: the bound is memory.
        let window = max(32, workers * 4)
        // Slots for the chunks that can be in flight, used in turn: chunk c
        // is read only once the merging has taken chunk c - window, whose
        // slots it then uses. A slot for every file was some 20 MB at
        // 100,000 files, made empty before the first file was read.
        let results = Slots<FileRead<Prepared>>(count: min(names.count, window * chunkSize))
        // Made at zero and signalled: libdispatch traps when a semaphore is
        // disposed of with a value below the one it was made with.
        let allowed = (0..<chunks).map { _ in DispatchSemaphore(value: 0) }
        for chunk in 0..<min(window, chunks) { allowed[chunk].signal() }
        let finished = DispatchGroup()
        for worker in 0..<workers {
            finished.enter()
            // A thread made here takes this thread's nice value (Linux keeps it per thread).
            let thread = Thread {
                var chunk = worker
                while chunk < chunks {
                    allowed[chunk].wait()
                    for index in chunk * chunkSize..<min(names.count, (chunk + 1) * chunkSize) {
                        results.set(index % results.count, readOne(index))
                    }
                    done[chunk].signal()
                    chunk += workers
                }
                finished.leave()
            }
            thread.stackSize = Thread.workStackSize
            thread.start()
        }
        for chunk in 0..<chunks {
            done[chunk].wait()
            for index in chunk * chunkSize..<min(names.count, (chunk + 1) * chunkSize) { merge(results.take(index % results.count)!) }
            if chunk + window < chunks { allowed[chunk + window].signal() }
        }
        finished.wait()
    }

    private mutating func pollElection(_ events: inout [FeedEvent]) {
        let path = FeedReader.join(directory, ElectionFile.name)
        let stamp = FileSystem.stamp(path)
        if stamp == electionStamp { return }
        electionStamp = stamp
        let change: NightEntry.Change
        if stamp == nil {
            change = .deleted
        } else {
            switch FileSystem.read(path, limit: .election) {
            case .failure(let error): change = .unreadable(error.message)
            case .success(let bytes): change = .version(bytes)
            }
        }
        let entry = NightEntry(time: clock(), file: ElectionFile.name, change: change)
        // The journal keeps every new state of the file, whether or not it
        // can be used, so that a replay refuses what was refused live.
        switch change {
        case .version(let bytes):
            if bytes != electionBytes {
                electionBytes = bytes
                journal?.append(entry)
            }
        case .deleted:
            electionBytes = []
            journal?.append(entry)
        case .unreadable:
            // The same bytes readable again are a new state of the file: journaled, so that a replay sees it.
            electionBytes = []
            journal?.append(entry)
        }
        if let event = state.apply(entry, electionPath: path).event { events.append(.count(event)) }
    }

    /// The tally's snapshot, with a refused election.json listed among the
    /// refused files so that nobody misses it.
    /// A call once shown in a snapshot is held in the next (`CallHold`).
    public mutating func snapshot(time: Double, boxes: Bool = false, areas: Bool = true, json: Bool = false) -> Snapshot {
        state.snapshot(time: time, boxes: boxes, areas: areas, json: json)
    }
}

/// Slots that threads fill and empty, each slot by one thread at a time,
/// handed over by a semaphore (the readers' chunks) or by the thread that
/// filled them ending (`FirstLook`).
final class Slots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>
    var count: Int { slots.count }

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Value) { slots[index] = value }

    /// Moves a slot's value out, so that its memory goes as soon as it is used.
    func take(_ index: Int) -> Value? { slots[index].take() }
}
