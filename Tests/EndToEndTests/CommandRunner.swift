import Foundation
import Testing

/// Runs the built `countnight` binary as a person would, and collects what it prints.
///
/// Spawned with posix_spawn and reaped with waitpid rather than through
/// Foundation's Process, which here sometimes never notices that a child ended
/// when many run at once.
final class RunningCommand: @unchecked Sendable {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sample = projectRoot.appendingPathComponent("sample-feeds/tower-hamlets-2010").path

    /// The binary sits beside the test bundle in the build folder.
    static var binary: String {
        let buildFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return buildFolder.appendingPathComponent("countnight").path
    }

    let pid: pid_t
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private var status: Int32?
    private let readers = DispatchGroup()

    /// With `outputReaderClosed`, standard output is a pipe that nobody
    /// reads any more, closed before the program starts.
    init(_ arguments: [String], environment: [String: String] = [:], outputReaderClosed: Bool = false) throws {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        pipe(&outPipe)
        pipe(&errPipe)
        // Close-on-exec, so that the children of tests running alongside do
        // not inherit them: a stray read end would keep a closed reader open.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        if outputReaderClosed {
            close(outPipe[0])
            outPipe[0] = -1
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe where fd >= 0 { posix_spawn_file_actions_addclose(&actions, fd) }
        defer {
            close(outPipe[1])
            close(errPipe[1])
        }
        do {
            pid = try spawnWithDefaultSignals(Self.binary, arguments, environment: env.map { "\($0.key)=\($0.value)" }, &actions)
        } catch {
            if outPipe[0] >= 0 { close(outPipe[0]) }
            close(errPipe[0])
            throw error
        }
        if outPipe[0] >= 0 { collect(outPipe[0]) { data in self.out.append(data) } }
        collect(errPipe[0]) { data in self.err.append(data) }
    }

    private func collect(_ fd: Int32, _ append: @escaping @Sendable (Data) -> Void) {
        readers.enter()
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let got = read(fd, &buffer, buffer.count)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { break }
                let data = Data(buffer[0..<got])
                lock.withLock { append(data) }
            }
            close(fd)
            readers.leave()
        }
    }

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// Whether the process is still running; reaps it once it ended.
    var isRunning: Bool {
        lock.withLock {
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                // Exit status, or 128 + the signal that ended it, as a shell says.
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                return false
            }
            return result == 0
        }
    }

    /// Waits until `condition` holds, up to `seconds`; returns whether it did.
    @discardableResult
    func wait(seconds: Double = 15, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    /// Waits for the process to end and for its output; returns its exit status.
    func finish(seconds: Double = 30) -> Int32? {
        guard wait(seconds: seconds, until: { !isRunning }) else {
            kill(pid, SIGKILL)
            _ = isRunning
            return nil
        }
        _ = readers.wait(timeout: .now() + 5)
        return lock.withLock { status }
    }

    func signal(_ number: Int32) { kill(pid, number) }

    func terminate() {
        if isRunning {
            kill(pid, SIGTERM)
            _ = finish(seconds: 5)
        }
    }

    deinit { terminate() }

    /// Runs to the end and returns (status, stdout, stderr).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32?, String, String) {
        let command = try RunningCommand(arguments, environment: environment)
        let status = command.finish()
        return (status, command.stdout, command.stderr)
    }
}

/// A temporary feed directory for end-to-end tests.
final class ScratchFeed {
    let url: URL
    var path: String { url.path }

    init(election: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-e2e-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try land("election.json", election)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Lands a file as writers are told to: under a dot-name, then renamed.
    func land(_ name: String, _ text: String) throws {
        let temporary = url.appendingPathComponent("." + name)
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.appendingPathComponent(name).path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func remove(_ name: String) throws { try FileManager.default.removeItem(at: url.appendingPathComponent(name)) }

    static let twoBoxes = """
        {"format": "countnight-feed/1", "id": "e2e", "title": "End to End",
         "contests": [{"id": "c", "title": "Council", "candidates": [{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bob"}],
                       "boxes": [{"id": "B1", "electorate": 500}, {"id": "B2", "electorate": 500}]}]}
        """

    static func count(_ box: String, a: Int, b: Int, revision: Int = 1) -> String {
        #"{"contest": "c", "kind": "count", "box": "\#(box)", "revision": \#(revision), "votes": {"a": \#(a), "b": \#(b)}}"#
    }
}

/// Reads one JSON snapshot line.
func snapshotObject(_ line: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
    guard let dictionary = object as? [String: Any] else { throw CocoaError(.coderInvalidValue) }
    return dictionary
}

func contest(_ snapshot: [String: Any], _ index: Int = 0) -> [String: Any] {
    (snapshot["contests"] as? [[String: Any]])?[index] ?? [:]
}

func votes(_ contest: [String: Any]) -> [String: Int] {
    var result: [String: Int] = [:]
    for candidate in contest["candidates"] as? [[String: Any]] ?? [] {
        result[candidate["id"] as? String ?? ""] = candidate["votes"] as? Int
    }
    return result
}
