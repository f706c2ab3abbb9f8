import ArgumentParser
import CountNightCore
import CountNightFeed
import Glibc

/// Writing lines to standard output, standard error or an appended file.
enum Output {
    static func line(_ text: String) { write(text + "\n", to: STDOUT_FILENO) }
    static func error(_ text: String) { write(text + "\n", to: STDERR_FILENO) }

    /// Writes all of `text`, unbuffered, so that a line is never left half written.
    static func write(_ text: String, to fd: Int32) {
        FileWriting.writeAll(fd, Array(text.utf8))
    }
}

/// Where and how headless mode writes snapshots: the same for watch and replay.
struct HeadlessOutput: ParsableArguments {
    @Option(help: "With --headless: jsonl (one JSON object a line) or text (one readable line a snapshot).")
    var format: SnapshotLineFormat?

    @Option(help: "With --headless: append snapshots to this file instead of standard output.")
    var out: String?

    var lineFormat: SnapshotLineFormat { format ?? .jsonl }

    /// Refuses these options without --headless.
    func check(headless: Bool) throws {
        guard !headless else { return }
        if format != nil { throw ValidationError("--format goes with --headless") }
        if out != nil { throw ValidationError("--out goes with --headless") }
    }

    /// Opens where lines go: `--out`, else standard output.
    func open() throws -> (String) -> Void {
        guard let out else { return { Output.line($0) } }
        let file = try AppendFile(path: out)
        return { file.write($0) }
    }
}

/// A file that snapshots are appended to, flushed line by line.
final class AppendFile {
    private let handle: UnsafeMutablePointer<FILE>

    init(path: String) throws {
        guard let handle = fopen(path, "a") else {
            throw FeedUnusable(message: "cannot open \(path) for appending: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
    }

    func write(_ line: String) {
        fputs(line + "\n", handle)
        fflush(handle)
    }

    deinit { fclose(handle) }
}

/// Waits for a time or for SIGINT/SIGTERM, whichever comes first, without a
/// signal handler: the signals are blocked and taken with sigtimedwait.
struct SignalWait {
    private var set = sigset_t()

    init(_ signals: [Int32]) {
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Returns the signal that arrived, or nil when the time ran out.
    /// Whether a signal is waiting, without waiting.
    func pending() -> Bool { wait(seconds: 0) != nil }

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
