import Foundation
import Testing

/// A private tmux server with one window running a shell, for driving the
/// real dashboard as a person would: keys in, screen text out.
///
/// Every server is ended by the test that made it (`defer { tmux.close() }`),
/// also when the test fails: `kill-server` first, then SIGKILL for the
/// server and the processes of its window that are still there (the shell
/// ignores SIGTERM), each known by its own pid and start time.
final class TmuxScreen {
    let socket = "countnight-test-" + UUID().uuidString.prefix(8)
    private var processes: [RecordedProcess] = []
    private var closed = false

    /// tmux on PATH (or in /usr/bin), nil when it is not installed.
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        return directories.map { $0 + "/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// With CI=true a missing tmux fails these tests rather than skipping them.
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var mustRun: Bool { path != nil || required }
    static let skipNote: Comment = "tmux is not installed: the dashboard tests in a real terminal are skipped (with CI=true they fail)"

    init(width: Int, height: Int) throws {
        guard Self.path != nil else { throw TmuxMissing() }
        // A plain shell with a fixed prompt, so that the test can see it come back.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)",
                  "env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp", "TERM=tmux-256color", "LANG=C.UTF-8", "PS1=READY$ ", "sh"])
        do {
            let pids = try tmux(["display-message", "-p", "-t", "main", "#{pid} #{pane_pid}"])
                .split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            processes = pids.compactMap(RecordedProcess.init)
            guard processes.count == 2 else { throw TmuxFailed(what: "the pids of tmux and its shell are not known") }
            try tmux(["set", "-g", "status", "off"])
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Ends the server and everything running in its window.
    func close() {
        guard !closed else { return }
        closed = true
        // What the window runs now (the dashboard, a `dash -c`), before it goes.
        var all = processes
        if processes.count == 2 { all += RecordedProcess.descendants(of: processes[1].pid) }
        _ = try? tmux(["kill-server"])
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline && all.contains(where: \.isRunning) { Thread.sleep(forTimeInterval: 0.02) }
        for process in all where process.isRunning { kill(process.pid, SIGKILL) }
        unlink("/tmp/tmux-\(getuid())/\(socket)")
    }

    /// A new screen, once its shell shows the prompt.
    static func atPrompt(width: Int, height: Int) throws -> TmuxScreen {
        let screen = try TmuxScreen(width: width, height: height)
        #expect(screen.waitFor("READY$"))
        return screen
    }

    /// Runs a tmux command and waits for it with waitpid. Its output goes
    /// through a file, not a pipe: the server that the first command starts
    /// would hold a pipe open for ever.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        guard let path = Self.path else { throw TmuxMissing() }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }.map { "\($0.key)=\($0.value)" }
        let pid = try spawnWithDefaultSignals(path, ["-L", socket] + arguments, environment: environment, &actions)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw TmuxFailed(what: "tmux \(arguments.first ?? "") exited with status \(status)") }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// The process the shell in the window is running now (the dashboard).
    var foregroundChild: pid_t? {
        guard processes.count == 2 else { return nil }
        return RecordedProcess.children(of: processes[1].pid).first
    }

    /// Types a command line at the shell prompt and runs it.
    func run(_ commandLine: String) throws {
        try type(commandLine)
        try press("Enter")
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", "main", "-l", text]) }
    func press(_ key: String) throws { try tmux(["send-keys", "-t", "main", key]) }
    func resize(width: Int, height: Int) throws { try tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"]) }
    var screen: String { (try? tmux(["capture-pane", "-p", "-t", "main"])) ?? "" }
    var lines: [String] { screen.components(separatedBy: "\n") }

    /// A tmux format of the window, e.g. "#{alternate_on}" (1 while a program
    /// has the alternate screen) or "#{cursor_flag}" (0 while the cursor is hidden).
    func format(_ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", "main", format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen shows `text`; returns whether it did.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 10) -> Bool {
        waitUntil(seconds: seconds) { $0.contains(text) }
    }

    @discardableResult
    func waitUntil(seconds: Double = 10, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(screen) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let last = screen
        if condition(last) { return true }
        // What was on the screen instead, for whoever reads the failure.
        print("the screen after \(seconds) s of waiting:\n\(last)")
        return false
    }
}

/// A process known by its pid and the time it started, so that a pid the
/// system has since given to another process is never signalled.
struct RecordedProcess {
    let pid: pid_t
    private let started: String

    init?(_ pid: pid_t) {
        guard let started = Self.startTime(pid) else { return nil }
        self.pid = pid
        self.started = started
    }

    var isRunning: Bool {
        guard Self.startTime(pid) == started else { return false }
        // A zombie has ended; only its parent's wait is missing.
        return Self.state(pid) != "Z"
    }

    static func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0) }
    }

    static func descendants(of pid: pid_t) -> [RecordedProcess] {
        children(of: pid).flatMap { child in [RecordedProcess(child)].compactMap { $0 } + descendants(of: child) }
    }

    /// Fields of /proc/PID/stat after the command name, which may hold spaces.
    private static func statFields(_ pid: pid_t) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: end)...].split(separator: " ")
    }

    private static func state(_ pid: pid_t) -> Substring? { statFields(pid)?.first }

    private static func startTime(_ pid: pid_t) -> String? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return String(fields[19])
    }
}

struct TmuxMissing: Error, CustomStringConvertible {
    var description: String { "tmux is required here (CI=true) but is not installed: apt-get install tmux" }
}

struct TmuxFailed: Error, CustomStringConvertible {
    let what: String
    var description: String { what }
}
