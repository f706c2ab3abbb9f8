import CountNightCore
import Glibc

/// What a file looked like when last seen: if none of this changed, the file
/// is not read again.
struct FileStamp: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: timespec
    let changed: timespec
    let isRegular: Bool

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size && a.isRegular == b.isRegular
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modified = st.st_mtim
        changed = st.st_ctim
        isRegular = (st.st_mode & S_IFMT) == S_IFREG
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

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// The names in a directory, or the system's reason it cannot be listed.
    static func list(_ directory: String) -> Result<[String], FeedReadError> {
        guard let dir = opendir(directory) else {
            return .failure(FeedReadError(errorText(errno)))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// Reads a regular file of at most `limit` bytes without ever blocking on
    /// something that is not a regular file.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], FeedReadError> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(FeedReadError("cannot be opened: \(errorText(errno))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(FeedReadError("cannot be examined: \(errorText(errno))")) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(FeedReadError("is not a regular file")) }
        if Int(st.st_size) > limit {
            return .failure(FeedReadError("the file is \(Format.grouped(Int(st.st_size))) bytes, over the 1 MiB limit for a batch"))
        }
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
        }
        if count > limit {
            return .failure(FeedReadError("the file is over the 1 MiB limit for a batch"))
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }
}

public struct FeedReadError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
