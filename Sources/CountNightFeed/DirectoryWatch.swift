import Glibc

/// Tells whether anything in the feed directory may have changed since the
/// last look, so that a quiet feed costs no scan at all.
///
/// Uses Linux inotify on the directory. It only ever says "look": the scan
/// itself still decides what changed. It says "look" when it cannot know:
/// at the start, when inotify is not available or its queue overflowed, when
/// the directory itself was moved or deleted, and at least every
/// `rescanEvery` polls, because inotify does not see changes made on other
/// machines to a network file system, nor a symbolic link's target changing.
final class DirectoryWatch: @unchecked Sendable {
    static let rescanEvery = 30

    private let directory: String
    private var fd: Int32 = -1
    private var watch: Int32 = -1
    private var pollsSinceScan = 0

    init(directory: String) {
        self.directory = directory
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether this poll should scan the directory.
    func shouldScan() -> Bool {
        pollsSinceScan += 1
        guard fd >= 0 else { return true }
        var changed = drain()
        if watch < 0 {
            let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_ATTRIB
                | IN_DELETE_SELF | IN_MOVE_SELF)
            watch = inotify_add_watch(fd, directory, mask)
            changed = true
        }
        if pollsSinceScan >= DirectoryWatch.rescanEvery { changed = true }
        if changed { pollsSinceScan = 0 }
        return changed
    }

    /// Reads every waiting event; true when there was any.
    private func drain() -> Bool {
        var any = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = read(fd, &buffer, buffer.count)
            if got <= 0 { break }
            any = true
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= got {
                let (mask, length) = buffer.withUnsafeBytes { raw -> (UInt32, UInt32) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.mask, event.len)
                }
                if mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    // The watch no longer follows the directory by its name: set it up again.
                    if watch >= 0 { inotify_rm_watch(fd, watch) }
                    watch = -1
                }
                offset += MemoryLayout<inotify_event>.size + Int(length)
            }
        }
        return any
    }
}
