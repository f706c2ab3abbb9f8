import Glibc

/// Tells what in the feed directory may have changed since the last look, so
/// that a quiet feed costs nothing and a busy one only the files named.
///
/// Uses Linux inotify on the directory. The files it names are still
/// examined (stamp, then content) before anything is read. It says "look at
/// everything" when it cannot know: at the start, when inotify is not
/// available or its queue overflowed, when the directory itself was moved or
/// deleted, and now and then as a safety examination, because inotify does
/// not see changes made on other machines to a network file system, nor a
/// symbolic link's target changing.
///
/// A safety examination is due after `rescanEvery` polls, and on a large
/// directory not before the last whole examination's duration divided by
/// `safetyShare` has passed since it: a quiet feed of a million files spends
/// at most 0.5% of the time on them (one of 3 s, then none for 600 s).
final class DirectoryWatch: @unchecked Sendable {
    static let rescanEvery = 30
    /// The most of the time safety examinations may take: half of the 1% of
    /// one core an idle night may use, the rest being the dashboard's clock
    /// redrawn every second (0.2% on a million files, `countnight-bench idle`).
    static let safetyShare = 0.005

    private let directory: String
    private var fd: Int32 = -1
    private var watch: Int32 = -1
    private var pollsSinceScan = 0
    /// When the last whole examination ended (the caller's clock), and how
    /// long after it the next safety examination waits.
    private var lastExamined = -Double.infinity
    private var safetyGap = 0.0

    /// Not `watching`: every look is a whole examination, as for a reader
    /// that reads the directory once (`FeedReader.Reading.once`).
    init(directory: String, watching: Bool = true) {
        self.directory = directory
        fd = watching ? inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) : -1
    }

    deinit { if fd >= 0 { close(fd) } }

    enum Changes {
        /// Nothing happened in the directory.
        case none
        /// Only these names changed (created, written, renamed, deleted).
        case named(Set<String>)
        /// Anything may have changed: examine every file.
        case unknown
    }

    /// What changed since the last call; `now` is the caller's clock.
    func changes(now: Double) -> Changes {
        pollsSinceScan += 1
        guard fd >= 0 else { return .unknown }
        var names: Set<String> = []
        var everything = drain(into: &names)
        if watch < 0 {
            start()
            everything = true
        }
        // A clock set back (NTP) must not put the safety examinations off by as much.
        let gapPassed = now >= lastExamined + safetyGap || now < lastExamined
        if pollsSinceScan >= DirectoryWatch.rescanEvery && gapPassed { everything = true }
        if everything {
            pollsSinceScan = 0
            return .unknown
        }
        return names.isEmpty ? .none : .named(names)
    }

    /// Starts watching, if not already: what changes from now on is named
    /// by the next call to `changes`. A watch that cannot be set up is tried
    /// again there, which then says to look at everything.
    func start() {
        guard fd >= 0, watch < 0 else { return }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_ATTRIB
            | IN_DELETE_SELF | IN_MOVE_SELF)
        watch = inotify_add_watch(fd, directory, mask)
    }

    /// A whole examination ended at `now` and took `duration` seconds: the
    /// next safety examination waits accordingly.
    func examined(duration: Double, now: Double) {
        safetyGap = duration / DirectoryWatch.safetyShare
        lastExamined = now
        // Also a whole examination the watch did not ask for (the first poll's look).
        pollsSinceScan = 0
    }

    /// Reads every waiting event, collecting the names they are about.
    /// Returns true when the events cannot be trusted to name every change.
    private func drain(into names: inout Set<String>) -> Bool {
        var everything = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = read(fd, &buffer, buffer.count)
            if got <= 0 { break }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= got {
                let (mask, length) = buffer.withUnsafeBytes { raw -> (UInt32, UInt32) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.mask, event.len)
                }
                if mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    // Events were lost, or the watch no longer follows the
                    // directory by its name: set it up again and look at everything.
                    if watch >= 0 { inotify_rm_watch(fd, watch) }
                    watch = -1
                    everything = true
                } else if length > 0 {
                    let start = offset + header
                    let nameBytes = buffer[start..<min(got, start + Int(length))].prefix { $0 != 0 }
                    // A name that is not UTF-8 cannot be examined by name: only a whole look finds it.
                    if let name = String(validating: nameBytes, as: UTF8.self) { names.insert(name) } else { everything = true }
                }
                offset += header + Int(length)
            }
        }
        return everything
    }
}
