import CountNightCore
import Glibc

/// What is kept of one target's double entry.
public struct TargetEntries: Equatable, Sendable {
    public var first: Entry?
    public var second: Entry?
    public var resolution: Resolution?
    /// The first entry was handed in under `--single`.
    public var single = false

    public init(first: Entry? = nil, second: Entry? = nil, resolution: Resolution? = nil, single: Bool = false) {
        self.first = first
        self.second = second
        self.resolution = resolution
        self.single = single
    }

    public func entry(_ role: EntryRole) -> Entry? { role == .first ? first : second }
}

/// Every entry kept in a feed's entry folder, with the batch files already
/// written from them.
public struct EntryBoard: Equatable, Sendable {
    public var targets: [EntryTarget: TargetEntries] = [:]
    /// Targets whose batch file is in the feed.
    public var written: Set<EntryTarget> = []
    /// Files of the entry folder that cannot be read, with the reason.
    public var problems: [String] = []

    public init() {}

    /// Boxes with an entry under way, awaiting its second typing, or in
    /// mismatch: not yet a batch.
    public var pendingBoxes: Int {
        Set(targets.filter { !written.contains($0.key) && ($0.value.first != nil || $0.value.second != nil) }
            .map { "\($0.key.contest)\u{0}\($0.key.box)" }).count
    }

    /// Single entries written without a second typing: unconfirmed.
    public var unconfirmedSingles: Int {
        targets.filter { $0.value.single && $0.value.second == nil && written.contains($0.key) }.count
    }
}

/// The entries in progress of a feed, in a hidden folder inside it
/// (`FEED/.countnight-entry`, which a feed reader ignores as it ignores every
/// dot-name and subdirectory), shared by every `enter` on the feed.
///
/// One file per entry, rewritten whole (dot-name, then rename) as each
/// field is confirmed, so that a crash loses at most the field being typed.
/// A role is taken by making its file with `link`, which fails when the file
/// exists, also on a network file system: two operators cannot both take the
/// first entry of a box. The batch file is made in the feed the same way, so
/// that when both entries are handed in at once only one writes it.
public struct EntryStore: Sendable {
    public static let folderName = ".countnight-entry"
    public static let logName = "log.txt"

    public let feed: String
    public var folder: String { feed + "/" + Self.folderName }

    /// Opens the entry folder of a feed, making it when it is not there.
    public init(feed: String) throws(FeedReadError) {
        self.feed = feed
        let folder = feed + "/" + Self.folderName
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw FeedReadError("cannot make \(folder): \(FileSystem.errorText(errno))")
        }
        var st = stat()
        guard stat(folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw FeedReadError("\(folder) is not a directory (move it away: entries are kept there)")
        }
    }

    /// The entry folder of a feed when there is one, without making it
    /// (for readers such as `check` and the dashboard).
    public static func existing(feed: String) -> EntryStore? {
        var st = stat()
        guard stat(feed + "/" + folderName, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return try? EntryStore(feed: feed)
    }

    static func fileName(_ target: EntryTarget, _ part: String) -> String {
        "\(target.contest)~\(target.kind.rawValue)~\(target.box)~r\(target.revision)~\(part).json"
    }

    // MARK: Reading

    /// What one file of the entry folder holds, as last read.
    enum Kept {
        case entry(Entry, single: Bool)
        case resolution(EntryTarget, Resolution)
        case problem(String)
        case other
    }

    /// Files read before, by name with their stamp, and the batches known
    /// written: a look at the folder reads only what changed since, so that
    /// a night's thousands of entries cost a listing and a `stat` each.
    final class ReadCache: @unchecked Sendable {
        var files: [String: (stamp: FileStamp, kept: Kept)] = [:]
        var written: Set<EntryTarget> = []
    }

    private let cache = ReadCache()

    /// Everything kept, as it is now.
    public func load() -> EntryBoard {
        var board = EntryBoard()
        guard let directory = try? OpenDirectory(folder) else { return board }
        let names = directory.entries().map(\.name)
        var files: [String: (stamp: FileStamp, kept: Kept)] = [:]
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let kept: Kept
            if let stamp = FileSystem.stamp(in: directory, name), let known = cache.files[name], known.stamp == stamp {
                kept = known.kept
                files[name] = known
            } else {
                switch FileSystem.read(in: directory, name, limit: .batch) {
                case .success(let read?):
                    kept = Self.decode(name, read.bytes)
                    files[name] = (read.stamp, kept)
                default:
                    kept = .problem("\(Self.folderName)/\(name): cannot be read")
                }
            }
            switch kept {
            case .entry(let entry, let single):
                var entries = board.targets[entry.target] ?? TargetEntries()
                if entry.role == .first {
                    entries.first = entry
                    entries.single = single
                } else {
                    entries.second = entry
                }
                board.targets[entry.target] = entries
            case .resolution(let target, let resolution):
                board.targets[target, default: TargetEntries()].resolution = resolution
            case .problem(let problem):
                board.problems.append(problem)
            case .other:
                continue
            }
        }
        cache.files = files
        // A batch file once written stays: deleting it withdraws nothing.
        for target in board.targets.keys where cache.written.contains(target) || FileSystem.stamp(feed + "/" + EntryBatch.fileName(target)) != nil {
            board.written.insert(target)
        }
        cache.written = board.written
        return board
    }

    static func decode(_ name: String, _ bytes: [UInt8]) -> Kept {
        let pieces = name.dropLast(5).split(separator: "~").map(String.init)
        switch pieces.last {
        case "first", "second":
            switch EntryFile.decodeEntry(bytes) {
            case .success(let (entry, single)): return .entry(entry, single: single)
            case .failure(let error): return .problem("\(folderName)/\(name): \(error)")
            }
        case "resolution":
            guard pieces.count == 5, let kind = Batch.Kind(rawValue: pieces[1]), let revision = Int(pieces[3].dropFirst()),
                  case .success(let resolution) = EntryFile.decodeResolution(bytes) else {
                return .problem("\(folderName)/\(name): not a resolution this program wrote")
            }
            return .resolution(EntryTarget(contest: pieces[0], kind: kind, box: pieces[2], revision: revision), resolution)
        default:
            return .other
        }
    }

    /// How many boxes have entries not yet written as a batch, in a feed's
    /// entry folder; 0 when it has none.
    public static func pendingBoxes(feed: String) -> Int { existing(feed: feed)?.load().pendingBoxes ?? 0 }

    // MARK: Writing

    /// Takes a role of a target for its operator, with the entry's first
    /// content. False when somebody else took it first.
    public func claim(_ entry: Entry, single: Bool) throws(FeedReadError) -> Bool {
        try FileWriting.claim(EntryFile.encode(entry, single: single), as: Self.fileName(entry.target, entry.role.rawValue), in: folder)
    }

    /// Saves an entry its operator holds, whole.
    public func save(_ entry: Entry, single: Bool) throws(FeedReadError) {
        try FileWriting.land(EntryFile.encode(entry, single: single), as: Self.fileName(entry.target, entry.role.rawValue),
                             in: folder, uniqueTemporary: true)
    }

    /// Records a resolution; false when someone else resolved it first.
    public func claim(_ resolution: Resolution, of target: EntryTarget) throws(FeedReadError) -> Bool {
        try FileWriting.claim(EntryFile.encode(resolution, of: target), as: Self.fileName(target, "resolution"), in: folder)
    }

    /// Writes the batch file of a target into the feed; false when it is
    /// already there (another terminal wrote it).
    public func writeBatch(_ bytes: [UInt8], of target: EntryTarget) throws(FeedReadError) -> Bool {
        try FileWriting.claim(bytes, as: EntryBatch.fileName(target), in: feed)
    }

    /// Appends one line to the entry log: who entered, confirmed and resolved what.
    public func log(_ line: String, at time: Double) {
        let fd = open(folder + "/" + Self.logName, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        // One write a line, so that lines of several terminals never mix.
        FileWriting.writeAll(fd, Array((RFC3339.format(time) + " " + TextEscape.line(line) + "\n").utf8))
        close(fd)
    }

    /// The log's last lines, newest last, and how many it has in all.
    public func logTail(_ count: Int) -> (lines: [String], total: Int) {
        guard case .success(let bytes) = FileSystem.read(folder + "/" + Self.logName, limit: .election) else { return ([], 0) }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        return (lines.suffix(count).map(String.init), lines.count)
    }

    public func logLines(last count: Int) -> [String] { logTail(count).lines }
}
