import CountNightCore
import Glibc

/// What a file looked like when last seen: if none of this changed, the file
/// is not read again.
struct FileStamp: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    /// Times in nanoseconds since 1970, whole: a feed of a million files
    /// keeps a stamp for each, so they are kept small.
    let modifiedNanoseconds: Int64
    let changedNanoseconds: Int64
    let isRegular: Bool

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modifiedNanoseconds = FileStamp.nanoseconds(st.st_mtim)
        changedNanoseconds = FileStamp.nanoseconds(st.st_ctim)
        isRegular = (st.st_mode & S_IFMT) == S_IFREG
    }

    /// When the file was last modified, as the system gives it: whole
    /// seconds since 1970 (rounded down) and nanoseconds from 0 into the next.
    private var modifiedTimespec: (seconds: Int64, nanoseconds: Int64) {
        let (seconds, nanoseconds) = modifiedNanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return nanoseconds < 0 ? (seconds - 1, nanoseconds + 1_000_000_000) : (seconds, nanoseconds)
    }

    /// When the file was last modified, in whole seconds since 1970 (rounded down).
    var modifiedSeconds: Int64 { modifiedTimespec.seconds }

    /// When the file was last modified, in seconds since 1970.
    var modified: Double {
        let time = modifiedTimespec
        return Double(time.seconds) + Double(time.nanoseconds) / 1e9
    }

    private static func nanoseconds(_ time: timespec) -> Int64 {
        // Wraps only for times past the year 2262; a wrapped time still differs from the last one.
        Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }
}

/// The few system calls the feed needs, kept in one place.
enum FileSystem {
    /// The stamp of what `path` names, following symbolic links; nil when it
    /// does not exist or cannot be examined.
    static func stamp(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStamp(st)
    }

    /// The same for a name in an open directory.
    static func stamp(in directory: OpenDirectory, _ name: String) -> FileStamp? {
        var st = stat()
        guard fstatat(directory.fd, name, &st, 0) == 0 else { return nil }
        return FileStamp(st)
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A name as the directory gives it. A name that is not UTF-8 cannot be
    /// opened through a Swift string, so it is refused rather than read: it
    /// stands under its name with each byte that is not UTF-8 shown as U+FFFD
    /// (as inotify's names are decoded), and the reason shows those bytes as
    /// `%FF`, so that a person can find the file.
    static func name(_ bytes: [UInt8]) -> (name: String, problem: String?) {
        if let name = String(validating: bytes, as: UTF8.self) { return (name, nil) }
        var shown = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            // The longest prefix that is valid UTF-8 goes as it is; then one byte escaped.
            var end = rest.endIndex
            while end > rest.startIndex, String(validating: rest[rest.startIndex..<end], as: UTF8.self) == nil { end -= 1 }
            if end > rest.startIndex {
                shown += String(decoding: rest[rest.startIndex..<end], as: UTF8.self).replacingOccurrences(of: "%", with: "%25")
                rest = rest[end...]
            } else {
                shown += "%" + (rest.first! < 16 ? "0" : "") + String(rest.first!, radix: 16, uppercase: true)
                rest = rest.dropFirst()
            }
        }
        return (String(decoding: bytes, as: UTF8.self),
                "the file's name is not UTF-8 (its bytes: \(shown)), so it is not read; rename it with a UTF-8 name")
    }

    /// Reads a regular file of at most `limit` bytes without ever blocking on
    /// something that is not a regular file.
    static func read(_ path: String, limit: SizeLimit) -> Result<[UInt8], FeedReadError> {
        read(at: AT_FDCWD, path, limit: limit).map(\.bytes)
    }

    /// A batch file read: its bytes and the stamp of what was read; nil
    /// when it is not a regular file (a FIFO, a directory...).
    typealias Read = Result<(bytes: [UInt8], stamp: FileStamp)?, FeedReadError>

    /// Reads a name in an open directory.
    static func read(in directory: OpenDirectory, _ name: String, limit: SizeLimit) -> Read {
        switch read(at: directory.fd, name, limit: limit) {
        case .success(let read): return .success(read)
        case .failure(let error) where error.notRegular: return .success(nil)
        case .failure(let error): return .failure(error)
        }
    }

    private static func read(at directory: Int32, _ name: String, limit sizeLimit: SizeLimit) -> Result<(bytes: [UInt8], stamp: FileStamp), FeedReadError> {
        let limit = sizeLimit.bytes
        let fd = openat(directory, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(FeedReadError("cannot be opened: \(errorText(errno))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(FeedReadError("cannot be examined: \(errorText(errno))")) }
        let stamp = FileStamp(st)
        guard stamp.isRegular else { return .failure(FeedReadError("is not a regular file", notRegular: true)) }
        if Int(st.st_size) > limit {
            return .failure(FeedReadError(sizeLimit.refusal(size: Int(st.st_size))))
        }
        // One byte more than the stated size, to see a file that grew meanwhile.
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                if count > limit { break }
                bytes.append(contentsOf: repeatElement(0, count: max(4096, count)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(FeedReadError("cannot be read: \(errorText(errno))"))
            }
            if got == 0 { break }
            count += got
            // A regular file reads short only at its end: no need to ask again.
            if count < bytes.count { break }
        }
        if count > limit {
            return .failure(FeedReadError(sizeLimit.refusal(size: nil)))
        }
        bytes.removeSubrange(count...)
        return .success((bytes, stamp))
    }
}

/// A directory open for one poll: its entries, and a handle to open them by
/// name without resolving the directory's path again for each. Opening names
/// from several threads at once is safe; listing is done by one.
final class OpenDirectory: @unchecked Sendable {
    struct Entry {
        let name: String
        /// False when the directory already says it is not a regular file or a link.
        let mayBeRegular: Bool
        /// True when the directory says it is a regular file (not a link, not unknown).
        let typeKnown: Bool
        /// Why the file cannot be read by its name (the name is not UTF-8),
        /// said with the name's bytes; nil for every name that can.
        let nameProblem: String?
    }

    private let dir: OpaquePointer
    let fd: Int32

    init(_ path: String) throws(FeedReadError) {
        guard let dir = opendir(path) else { throw FeedReadError(FileSystem.errorText(errno)) }
        self.dir = dir
        fd = dirfd(dir)
    }

    deinit { closedir(dir) }

    func entries() -> [Entry] {
        rewinddir(dir)
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            // Straight from the system's buffer: a copy of each name first was
            // a tenth of listing a large directory.
            let (name, problem) = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                let raw = UnsafeRawPointer(pointer)
                let bytes = UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self),
                                                count: strlen(raw.assumingMemoryBound(to: CChar.self)))
                if let name = String(validating: bytes, as: UTF8.self) { return (name, nil as String?) }
                return FileSystem.name(Array(bytes))
            }
            if name == "." || name == ".." { continue }
            let type = Int32(entry.pointee.d_type)
            entries.append(Entry(name: name, mayBeRegular: type == DT_REG || type == DT_LNK || type == DT_UNKNOWN,
                                 typeKnown: type == DT_REG, nameProblem: problem))
        }
        return entries
    }

    /// The places of entries in the order of their names, as
    /// `sorted { $0.name < $1.name }` puts them. Names of ASCII alone are
    /// ordered by their bytes, which for them is the order of `<`, with their
    /// first sixteen bytes compared as two whole numbers: comparing each pair
    /// of names as strings was a third of listing a large directory. Any
    /// other name and the strings are compared. Places, not entries: the
    /// names are then taken in order once, not copied into a sorted list and
    /// each looked at again (100,000 names lie in 6 MB, out of the cache).
    static func nameOrder(_ entries: [Entry]) -> [Int] {
        var keys: [(high: UInt64, low: UInt64, index: Int32)] = []
        keys.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            var name = entry.name
            guard let key = name.withUTF8({ sortKey($0) }) else { return entries.indices.sorted { entries[$0].name < entries[$1].name } }
            keys.append((key.high, key.low, Int32(index)))
        }
        keys.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            // Sixteen bytes alike: the rest decides (an ASCII name has no NUL, so
            // the zeros that fill a short key sort before any byte of a longer name).
            return entries[Int(a.index)].name < entries[Int(b.index)].name
        }
        return keys.map { Int($0.index) }
    }

    /// The first sixteen bytes of an ASCII name as two whole numbers that
    /// order as the bytes do, zeros after its end; nil for any other name.
    private static func sortKey(_ bytes: UnsafeBufferPointer<UInt8>) -> (high: UInt64, low: UInt64)? {
        var high: UInt64 = 0, low: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            guard byte < 0x80 else { return nil }
            if offset < 8 {
                high |= UInt64(byte) << (56 - 8 * UInt64(offset))
            } else if offset < 16 {
                low |= UInt64(byte) << (56 - 8 * UInt64(offset - 8))
            }
        }
        return (high, low)
    }
}

public struct FeedReadError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    let notRegular: Bool
    public init(_ message: String) { self.init(message, notRegular: false) }
    init(_ message: String, notRegular: Bool) {
        self.message = message
        self.notRegular = notRegular
    }
    public var description: String { message }
}

/// The names in a directory, without `.` and `..`.
public func directoryNames(_ path: String) throws(FeedReadError) -> [String] {
    try OpenDirectory(path).entries().map(\.name)
}

/// Writing files as feed writers are told to.
public enum FileWriting {
    /// Writes all of `bytes` to `fd`, retrying interrupted and short
    /// writes; false when the system refuses.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Writes a whole file into `directory` under a dot-name, then renames
    /// it, so that a reader of the directory never sees half of it.
    /// With `uniqueTemporary`, the dot-name carries the process id, for a
    /// file that several processes may rewrite at once.
    public static func land(_ bytes: [UInt8], as name: String, in directory: String,
                            uniqueTemporary: Bool = false) throws(FeedReadError) {
        let temporary = directory + "/." + name + (uniqueTemporary ? ".\(getpid())" : "") + ".landing"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedReadError("cannot write \(temporary): \(FileSystem.errorText(errno))") }
        let written = writeAll(fd, bytes)
        let error = errno
        close(fd)
        guard written else {
            unlink(temporary)
            throw FeedReadError("cannot write \(temporary): \(FileSystem.errorText(error))")
        }
        guard rename(temporary, directory + "/" + name) == 0 else {
            let error = errno
            unlink(temporary)
            throw FeedReadError("cannot rename \(temporary) to \(name): \(FileSystem.errorText(error))")
        }
    }

    /// Makes a whole file under `name` only if no file has that name yet:
    /// written under a dot-name, then linked (which fails when the name
    /// exists, atomically, also on a network file system). False when the
    /// name was taken.
    public static func claim(_ bytes: [UInt8], as name: String, in directory: String) throws(FeedReadError) -> Bool {
        let temporary = directory + "/." + name + ".\(getpid()).claiming"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedReadError("cannot write \(temporary): \(FileSystem.errorText(errno))") }
        let written = writeAll(fd, bytes) && fsync(fd) == 0
        let error = errno
        close(fd)
        defer { unlink(temporary) }
        guard written else { throw FeedReadError("cannot write \(temporary): \(FileSystem.errorText(error))") }
        if link(temporary, directory + "/" + name) == 0 { return true }
        if errno == EEXIST { return false }
        throw FeedReadError("cannot make \(directory)/\(name): \(FileSystem.errorText(errno))")
    }
}
