import CountNightCore
import Glibc

/// A recorded night, from a feed directory or a journal, ready to replay.
public struct RecordedNight: Sendable {
    public let election: Election
    /// election.json's bytes as the night began (a rehearsal writes them first).
    public let electionBytes: [UInt8]
    public let entries: [NightEntry]
    /// Journal lines that were skipped, each with its number and why, and
    /// entries whose time was out of order or too far from the others (a
    /// journal's line, a directory's file), with how they are played.
    public let problems: [String]

    public var replay: Replay { Replay(election: election, entries: entries) }

    /// Loads `path`: a feed directory (its batch files in the order of their
    /// `at` times, those without one by modification time, ties by name) or
    /// a journal written by `watch --record` (in the order of arrival).
    public static func load(_ path: String) throws(ElectionFileError) -> RecordedNight {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw ElectionFileError(file: path, problem: "cannot read: \(FileSystem.errorText(errno))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return try directory(path) }
        return try journal(path)
    }

    static func directory(_ path: String) throws(ElectionFileError) -> RecordedNight {
        let open: OpenDirectory
        do {
            open = try OpenDirectory(path)
        } catch {
            throw ElectionFileError(file: path, problem: "cannot read the feed directory: \(error.message)")
        }
        let electionPath = FeedReader.join(path, ElectionFile.name)
        let electionBytes: [UInt8]
        switch FileSystem.read(electionPath, limit: .election) {
        case .success(let bytes): electionBytes = bytes
        case .failure(let problem): throw ElectionFileError(file: electionPath, problem: problem.message)
        }
        // The directory is listed and its files read while election.json is parsed.
        let look = FirstLook(open)
        let election: Election
        do {
            election = try ElectionFile.parse(electionBytes, file: electionPath)
        } catch {
            look.cancel()
            throw error
        }
        var entries: [NightEntry] = []
        let names: [String]
        let early: Slots<FileSystem.Read>
        if let plain = look.plainBatchFiles() {
            (names, early) = plain
        } else {
            let batchFiles = look.listing().filter { FeedReader.isBatchFileName($0.name) }
            for entry in batchFiles {
                if let problem = entry.nameProblem { entries.append(NightEntry(time: 0, file: entry.name, change: .unreadable(problem))) }
            }
            names = batchFiles.filter { $0.nameProblem == nil }.map(\.name)
            early = look.reads(for: names)
        }
        let namesNotUTF8 = entries.count
        // Read and parsed on every core, as the first poll of a live feed
        // is; only for their `at`: each is checked when the replay reaches it.
        FeedReader.readAll(names, in: open, early: early, prepare: { BatchFile.at($1) }) { read in
            switch read.result {
            case .success(nil):
                break
            case .success(let (at, stamp, bytes)?):
                entries.append(NightEntry(time: at ?? stamp.modified, file: read.name, change: .version(bytes)))
            case .failure(let problem):
                let time = FileSystem.stamp(in: open, read.name).map { Double($0.modifiedSeconds) } ?? 0
                entries.append(NightEntry(time: time, file: read.name, change: .unreadable(problem.message)))
            }
        }
        // By time, and files of the same time by name. Read in name order,
        // the files need only a sort by time that keeps that order (Swift's
        // sort is stable): a night whose batches say the same minute was
        // sorted by comparing names, 1.7 million of them for 100,000 files.
        // Files whose names are not UTF-8 come first, so not then.
        if namesNotUTF8 == 0 {
            entries.sort { $0.time < $1.time }
        } else {
            entries.sort { $0.time != $1.time ? $0.time < $1.time : $0.file < $1.file }
        }
        // One batch with a wrong clock (`at` in 9999) must not make the replay wait for years either.
        let played = Journal.playableTimes(entries, place: { $1.file }, called: "at")
        return RecordedNight(election: election, electionBytes: electionBytes, entries: played.entries, problems: played.problems)
    }

    static func journal(_ path: String) throws(ElectionFileError) -> RecordedNight {
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: .none) {
        case .success(let read): bytes = read
        case .failure(let problem): throw ElectionFileError(file: path, problem: problem.message)
        }
        let contents = Journal.parse(bytes)
        guard let first = contents.entries.firstIndex(where: { $0.isElection }),
              case .version(let electionBytes) = contents.entries[first].change else {
            let lines = contents.problems.isEmpty ? "" : " (\(contents.problems.count) line\(contents.problems.count == 1 ? "" : "s") skipped: \(contents.problems[0]))"
            throw ElectionFileError(file: path, problem: "not a journal with an election.json line: write one with countnight watch FEED --record JOURNAL\(lines)")
        }
        let election = try ElectionFile.parse(electionBytes, file: "\(path): election.json")
        var entries = contents.entries
        entries.remove(at: first)
        return RecordedNight(election: election, electionBytes: electionBytes, entries: entries, problems: contents.problems)
    }
}

/// Appends journal lines, each written whole with one write and flushed at
/// once, so that a writer killed at any moment leaves at most its last
/// line torn. A write that fails (a full disk) may leave part of a line:
/// the next write starts on a fresh line, so that only the failed entry is
/// lost, and every loss is counted for the user to see.
public final class JournalWriter: @unchecked Sendable {
    private let fd: Int32
    public let path: String
    /// Why the latest write failed, naming the journal; nil while none has.
    public private(set) var failure: String?
    /// How many entries could not be written.
    public private(set) var lost = 0
    private var freshLineNeeded = false

    public init(path: String) throws(FeedReadError) {
        self.path = path
        // Read as well as appended to: its last byte says whether a line was torn.
        fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedReadError("cannot open \(path) for appending: \(FileSystem.errorText(errno))") }
        // A torn last line from a writer that was killed gets its newline,
        // so that it stays one bad line and does not spoil the next.
        let size = lseek(fd, 0, SEEK_END)
        var last: UInt8 = 0
        if size > 0, pread(fd, &last, 1, size - 1) == 1, last != UInt8(ascii: "\n") { freshLineNeeded = true }
    }

    deinit { close(fd) }

    /// False when the entry could not be written (see `failure`).
    @discardableResult
    public func append(_ entry: NightEntry) -> Bool {
        // The newline that ends a torn line goes with the next entry, in the
        // same write: a blank line is skipped on reading.
        let line = (freshLineNeeded ? "\n" : "") + Journal.line(entry) + "\n"
        guard FileWriting.writeAll(fd, Array(line.utf8)) else {
            failure = "--record \(path): \(FileSystem.errorText(errno))"
            lost += 1
            freshLineNeeded = true
            return false
        }
        freshLineNeeded = false
        return true
    }

    /// What the user is told of the losses so far.
    public var lossReport: String? {
        failure.map { "\($0); \(lost) entr\(lost == 1 ? "y" : "ies") not recorded, the journal lacks them" }
    }
}
