import CountNightCore

/// Something the reader noticed on a poll, for the log and for messages.
public enum FeedEvent: Equatable, Sendable {
    /// A batch file was read, refused or deleted.
    case batch(TallyEvent)
    /// A new valid election.json was applied and every batch checked again.
    case electionReloaded
    /// election.json changed but cannot be used; the previous one stays.
    case electionRefused(String)
    /// The feed directory cannot be read; reading resumes when it is back.
    case feedUnavailable(String)
    case feedBack

    public var description: String {
        switch self {
        case .batch(let event): return event.description
        case .electionReloaded: return "election.json changed: the new version applies and every batch was checked again"
        case .electionRefused(let problem): return "election.json changed but is refused, the previous version stays in force: \(problem)"
        case .feedUnavailable(let problem): return "\(problem); reading resumes when it is back"
        case .feedBack: return "the feed directory can be read again"
        }
    }
}

/// Reads a feed directory into a tally, poll by poll.
///
/// A poll lists the directory and examines each batch file; only files whose
/// stamp (inode, size, times) changed are read again, so a poll with nothing
/// new reads no file.
public struct FeedReader: Sendable {
    public let directory: String
    public private(set) var tally: Tally
    private var stamps: [String: FileStamp] = [:]
    private var electionStamp: FileStamp?
    /// Why the latest election.json is refused, while the previous one stays.
    public private(set) var electionProblem: String?
    /// Why the directory cannot be read now, if it cannot.
    public private(set) var unavailable: String?
    /// How many times a batch file was opened and read: a poll with nothing
    /// new adds none.
    public private(set) var filesRead = 0

    /// Reads election.json; the error names the file, the place and the problem.
    public init(directory: String) throws(ElectionFileError) {
        self.directory = directory
        let path = FeedReader.join(directory, ElectionFile.name)
        if case .failure(let problem) = FileSystem.list(directory) {
            throw ElectionFileError(file: directory, problem: "cannot read the feed directory: \(problem.message)")
        }
        guard let stamp = FileSystem.stamp(path) else {
            throw ElectionFileError(file: path, problem: "not found; a feed directory needs an election.json (see docs/feed-format.md)")
        }
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: 16 << 20) {
        case .success(let read): bytes = read
        case .failure(let problem): throw ElectionFileError(file: path, problem: problem.message)
        }
        tally = Tally(election: try ElectionFile.parse(bytes, file: path))
        electionStamp = stamp
    }

    public var election: Election { tally.election }

    /// Whether a name in the feed directory is a batch file.
    public static func isBatchFileName(_ name: String) -> Bool {
        name.hasSuffix(".json") && name != ElectionFile.name && !name.hasPrefix(".") && !name.hasPrefix("~")
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Looks at the directory once and reads what is new.
    public mutating func poll() -> [FeedEvent] {
        var events: [FeedEvent] = []
        let names: [String]
        switch FileSystem.list(directory) {
        case .failure(let error):
            let problem = "cannot read the feed directory \(directory): \(error.message)"
            if unavailable != problem {
                unavailable = problem
                events.append(.feedUnavailable(problem))
            }
            return events
        case .success(let listed):
            names = listed
            if unavailable != nil {
                unavailable = nil
                events.append(.feedBack)
            }
        }
        pollElection(&events)

        var present: Set<String> = []
        for name in names.sorted() where FeedReader.isBatchFileName(name) {
            let path = FeedReader.join(directory, name)
            guard let stamp = FileSystem.stamp(path), stamp.isRegular else { continue }
            present.insert(name)
            if stamps[name] == stamp { continue }
            stamps[name] = stamp
            filesRead += 1
            switch FileSystem.read(path, limit: BatchFile.maxBytes) {
            case .success(let bytes):
                if let event = tally.read(file: name, bytes: bytes) { events.append(.batch(event)) }
            case .failure(let problem):
                if let event = tally.refuse(file: name, reason: problem.message) { events.append(.batch(event)) }
            }
        }
        for name in stamps.keys.sorted() where !present.contains(name) {
            stamps[name] = nil
            events.append(.batch(tally.remove(file: name)))
        }
        return events
    }

    private mutating func pollElection(_ events: inout [FeedEvent]) {
        let path = FeedReader.join(directory, ElectionFile.name)
        let stamp = FileSystem.stamp(path)
        if stamp == electionStamp { return }
        electionStamp = stamp
        let problem: String
        if stamp == nil {
            problem = "\(path): the file is gone"
        } else {
            switch FileSystem.read(path, limit: 16 << 20) {
            case .failure(let error):
                problem = "\(path): \(error.message)"
            case .success(let bytes):
                do {
                    let election = try ElectionFile.parse(bytes, file: path)
                    electionProblem = nil
                    if election != tally.election {
                        tally.replaceElection(election)
                        events.append(.electionReloaded)
                    }
                    return
                } catch {
                    problem = error.description
                }
            }
        }
        if electionProblem != problem {
            electionProblem = problem
            events.append(.electionRefused(problem))
        }
    }

    /// The tally's snapshot, with a refused election.json listed among the
    /// refused files so that nobody misses it.
    public func snapshot(time: Double) -> Snapshot {
        var snapshot = tally.snapshot(time: time)
        if let electionProblem {
            snapshot.rejectedFiles.insert(
                RejectedFile(file: ElectionFile.name, reason: "\(electionProblem) (the previous version stays in force)"), at: 0)
        }
        return snapshot
    }
}
