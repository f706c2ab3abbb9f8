import CountNightCore
import Glibc

/// Opening a feed that may not be there yet: a venue puts its screens up
/// before the count's folder, or its election.json, exists.
public enum FeedStart {
    public enum Attempt: Sendable {
        case opened(FeedReader)
        /// What the feed waits for: "election.json in /srv/count/feed".
        case waiting(String)
        /// election.json (or the directory) is there and cannot be used.
        case unusable(ElectionFileError)
    }

    /// One look at the feed.
    public static func attempt(_ directory: String) -> Attempt {
        if let awaited = awaiting(directory) { return .waiting(awaited) }
        do {
            return .opened(try FeedReader(directory: directory))
        } catch {
            return .unusable(error)
        }
    }

    /// What the feed waits for, or nil when it is there, or when waiting
    /// cannot help: a path that is a regular file, a parent that is not a
    /// directory, a directory that cannot be read (the reader says why).
    public static func awaiting(_ directory: String) -> String? {
        var st = stat()
        if stat(directory, &st) != 0 {
            return errno == ENOENT ? "the feed directory \(directory)" : nil
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        let election = FeedReader.join(directory, ElectionFile.name)
        if stat(election, &st) != 0 && errno == ENOENT { return "\(ElectionFile.name) in \(directory)" }
        return nil
    }
}
