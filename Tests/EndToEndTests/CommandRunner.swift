import Foundation
import Testing

/// Runs the built `countnight` binary as a person would, and collects what it prints.
final class RunningCommand: @unchecked Sendable {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary sits beside the test bundle in the build folder.
    static var binary: String {
        let buildFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return buildFolder.appendingPathComponent("countnight").path
    }

    let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = directory ?? Self.projectRoot
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        outPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.lock.withLock { self?.out.append(data) }
        }
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.lock.withLock { self?.err.append(data) }
        }
        try process.run()
    }

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }

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

    /// Waits for the process to end and returns its exit status.
    func finish(seconds: Double = 30) -> Int32? {
        guard wait(seconds: seconds, until: { !process.isRunning }) else {
            process.terminate()
            return nil
        }
        // Let the pipes drain.
        Thread.sleep(forTimeInterval: 0.05)
        return process.terminationStatus
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

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
