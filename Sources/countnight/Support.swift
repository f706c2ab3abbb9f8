import ArgumentParser
import CountNightCore
import CountNightFeed
import Glibc

/// Writing lines to standard output, standard error or an appended file.
enum Output {
    /// Writes text as it is (no newline added) to standard output, or throws as `line` does.
    static func write(_ text: String) throws {
        if StandardStreams.outputClosedAtStart { throw OutputFailed(message: "standard output: it was closed when countnight started") }
        guard FileWriting.writeAll(STDOUT_FILENO, Array(text.utf8)) else {
            throw OutputFailed(message: "standard output: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes the program's product to standard output, or throws saying
    /// why it could not (a full disk, a closed standard output): exit 3.
    static func line(_ text: String) throws { try line(bytes: SnapshotLineFormat.written(text)) }

    /// A line already made, newline and all, written in one go.
    static func line(bytes: [UInt8]) throws {
        assert(bytes.last == UInt8(ascii: "\n"), "a line is given with its newline")
        if StandardStreams.outputClosedAtStart { throw OutputFailed(message: "standard output: it was closed when countnight started") }
        guard FileWriting.writeAll(STDOUT_FILENO, bytes) else {
            throw OutputFailed(message: "standard output: \(String(cString: strerror(errno)))")
        }
    }

    /// A message for standard error: one line, whatever the feed's strings hold.
    static func error(_ text: String) { write(TextEscape.line(text) + "\n", to: STDERR_FILENO) }

    /// Writes all of `text`, unbuffered, so that a line is never left half written.
    static func write(_ text: String, to fd: Int32) {
        FileWriting.writeAll(fd, Array(text.utf8))
    }
}

/// Where and how headless mode writes snapshots: the same for watch and replay.
struct HeadlessOutput: ParsableArguments {
    @Option(help: "With --headless: jsonl (one JSON object a line), text (one readable line a snapshot) or nist (a NIST SP 1500-100 v2 ElectionReport a line).")
    var format: SnapshotLineFormat?

    @Option(help: "With --headless: append snapshots to this file instead of standard output.", completion: .file())
    var out: String?

    var lineFormat: SnapshotLineFormat { format ?? .jsonl }

    /// Refuses these options without --headless.
    func check(headless: Bool) throws {
        guard !headless else { return }
        if format != nil { throw ValidationError("--format goes with --headless") }
        if out != nil { throw ValidationError("--out goes with --headless") }
    }

    /// Opens where lines go: `--out`, else standard output. Writing throws
    /// `OutputFailed` when a line cannot be written.
    /// A writer of whole lines: each given as UTF-8 with its newline
    /// already on it (`SnapshotLineFormat.lineBytes`, `.written`), and
    /// written with one call, so that no line is left half written.
    func open() throws -> ([UInt8]) throws -> Void {
        guard let out else { return { try Output.line(bytes: $0) } }
        let file = try AppendFile(path: out)
        return { try file.write(bytes: $0) }
    }
}

/// A file that snapshots are appended to, each line with one unbuffered write.
final class AppendFile {
    private let fd: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FeedUnusable(message: "cannot open \(path) for appending: \(String(cString: strerror(errno)))")
        }
    }

    func write(bytes line: [UInt8]) throws {
        assert(line.last == UInt8(ascii: "\n"), "a line is given with its newline")
        guard FileWriting.writeAll(fd, line) else {
            throw OutputFailed(message: "--out \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }
}

/// A snapshot, a report or a journal entry could not be written: exit 3.
struct OutputFailed: Error {
    let message: String
}

/// Descriptors 0, 1 and 2 as the program found them.
enum StandardStreams {
    /// Whether standard output was closed at start (it is /dev/null now).
    nonisolated(unsafe) static var outputClosedAtStart = false

    /// Opens /dev/null on any of 0, 1, 2 that is closed, before anything
    /// opens a file: a journal or `--out` opened later could otherwise land
    /// on descriptor 1 or 2 and receive snapshots or messages.
    static func reopenClosed() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            if fd == STDOUT_FILENO { outputClosedAtStart = true }
            // The lowest free descriptor is this one, as those below it are open.
            let opened = Glibc.open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
    }
}

/// Waits for a time or for SIGINT/SIGTERM, whichever comes first, without a
/// signal handler: the signals are blocked and taken with sigtimedwait.
struct SignalWait {
    /// What stops a headless watch or replay, or a rehearsal, cleanly (exit 0
    /// after the line or file being written): Ctrl-C, a supervisor's SIGTERM,
    /// and SIGHUP, the terminal or session it was started from going away.
    static let stopping: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private var set = sigset_t()

    init(_ signals: [Int32]) {
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Whether a signal is waiting, without waiting.
    func pending() -> Bool { wait(seconds: 0) != nil }

    /// Waits `seconds` (a replay's pace); true when a signal came first
    /// (also one already waiting when there is no time to wait).
    func stopped(waiting seconds: Double) -> Bool {
        seconds > 0 ? wait(seconds: seconds) != nil : pending()
    }

    /// Returns the signal that arrived, or nil when the time ran out.

    func wait(seconds: Double) -> Int32? {
        var remaining = max(0, seconds)
        while true {
            var ts = timespec(tv_sec: Int(remaining), tv_nsec: Int((remaining - remaining.rounded(.down)) * 1e9))
            let start = WallClock.now()
            let got = withUnsafePointer(to: set) { sigtimedwait($0, nil, &ts) }
            if got > 0 { return got }
            if errno == EINTR {
                remaining -= WallClock.now() - start
                if remaining > 0 { continue }
            }
            return nil
        }
    }
}

/// Where the bundled sample feed is: beside the sources the binary was built
/// from, or where COUNTNIGHT_SAMPLE points.
enum SampleFeed {
    static let relativePath = "sample-feeds/tower-hamlets-2010"

    static func locate() throws -> String {
        if let path = getenv("COUNTNIGHT_SAMPLE").map({ String(cString: $0) }), !path.isEmpty { return path }
        var candidates: [String] = []
        if let executable = executablePath() {
            var directory = executable
            for _ in 0..<6 {
                directory = parent(directory)
                candidates.append(directory + "/" + relativePath)
            }
        }
        if let cwd = getcwd(nil, 0) {
            candidates.append(String(cString: cwd) + "/" + relativePath)
            free(cwd)
        }
        for candidate in candidates {
            var st = stat()
            if stat(candidate + "/election.json", &st) == 0 { return candidate }
        }
        throw FeedUnusable(message: "the bundled sample feed (\(relativePath)) was not found; run from the project folder or set COUNTNIGHT_SAMPLE")
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
