// Benchmarks of a live night on a large feed:
//
//   countnight-bench feed DIR N
//       writes a feed of N count files (election.json lists `spareBoxes`
//       more boxes, still uncounted, for files to land into), to reuse.
//   countnight-bench landing (DIR | --boxes N [--keep DIR]) [--batches K] [--interval S]
//       the dashboard's reading path in this process (the FeedWorker that
//       hands models to the screen, at the dashboard's poll interval): after
//       its first read, lands K count files one at a time (dot-name, then
//       rename) and times each from the rename to the model that counts it,
//       drawn as a grid.
//   countnight-bench idle (DIR | --boxes N [--keep DIR]) [--seconds S] [--interval S]
//       `countnight watch --headless` and the dashboard (in a private tmux
//       server) on the unchanged feed: their CPU over S seconds once the
//       first read is done, then what one whole examination costs each.
//
// Every process started is ended by its id, and a feed made here is
// deleted, also on failure and on SIGINT or SIGTERM.
@_spi(Benchmark) import CountNightCore
import CountNightFeed
@_spi(Benchmark) import CountNightTerminal
import CountNightUI
import Foundation
import Glibc

/// Boxes that election.json lists beyond the count files written, for
/// landing benchmarks to count.
let spareBoxes = 1_000

/// What to end on the way out, whichever way out it is.
enum Cleanup {
    nonisolated(unsafe) static var pids: [pid_t] = []
    nonisolated(unsafe) static var tmuxSockets: [String] = []
    nonisolated(unsafe) static var directories: [String] = []
    nonisolated(unsafe) static var files: [String] = []
    /// Paths as bytes, for names that are not UTF-8.
    nonisolated(unsafe) static var rawFiles: [[CChar]] = []
    static let lock = NSLock()

    /// Installs the exit handler, and a thread that takes SIGINT and
    /// SIGTERM (blocked everywhere else) and exits through it. Call before
    /// any other thread starts, so that every thread leaves them to it.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        atexit { Cleanup.run() }
        let thread = Thread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            sigaddset(&set, SIGTERM)
            var signal: Int32 = 0
            sigwait(&set, &signal)
            FileHandle.standardError.write(Data("countnight-bench: signal \(signal), ending what it started\n".utf8))
            exit(128 + signal)
        }
        thread.start()
    }

    static func run() {
        lock.lock()
        defer { lock.unlock() }
        for pid in pids {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            // A dashboard given SIGTERM gives the terminal back and exits; wait a little, then insist.
            var waited = 0
            while waitpid(pid, &status, WNOHANG) == 0 && waited < 50 {
                usleep(100_000)
                waited += 1
            }
            if waited == 50 {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
        }
        pids.removeAll()
        for socket in tmuxSockets { _ = spawn("/usr/bin/tmux", ["-L", socket, "kill-server"], wait: true) }
        tmuxSockets.removeAll()
        for file in files { unlink(file) }
        files.removeAll()
        for file in rawFiles { unlink(file) }
        rawFiles.removeAll()
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        directories.removeAll()
    }

    static func add(pid: pid_t) { lock.withLock { pids.append(pid) } }
    static func forget(pid: pid_t) { lock.withLock { pids.removeAll { $0 == pid } } }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("countnight-bench: \(message)\n".utf8))
    exit(1)
}

/// Starts a program with the signals unblocked, its output to `output`
/// (or /dev/null); waits for it when asked, else returns its pid.
@discardableResult
func spawn(_ program: String, _ arguments: [String], output: String = "/dev/null", wait: Bool = false) -> pid_t {
    var pid: pid_t = 0
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    guard posix_spawn(&pid, program, &actions, &attributes, argv, environ) == 0 else { fail("cannot start \(program)") }
    if wait {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
    return pid
}

/// The text a program prints, run to its end.
func output(of program: String, _ arguments: [String]) -> String {
    let file = NSTemporaryDirectory() + "countnight-bench-out-\(getpid())"
    spawn(program, arguments, output: file, wait: true)
    defer { unlink(file) }
    return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
}

/// The count file of box `box` of a feed from `makeFeed`.
func countFile(box: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let votes = (0..<6).map { #""k\#($0)": \#(Int.random(in: 0...150, using: &generator))"# }.joined(separator: ", ")
    return #"{"election": "bench", "contest": "c", "kind": "count", "box": "B\#(box)", "votes": {\#(votes)}, "rejected": {"unmarked or wholly void for uncertainty": \#(Int.random(in: 0...5, using: &generator))}, "at": "2026-05-07T23:00:00+01:00"}"#
}

/// Writes a file as a feed writer does: under a dot-name, then renamed into
/// place, so that the reader never sees it half written. Returns the time
/// of the rename.
func land(_ name: String, _ body: String, in directory: String) -> Double {
    let temporary = directory + "/." + name
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { fail("cannot write \(temporary)") }
    _ = body.withCString { write(fd, $0, strlen($0)) }
    close(fd)
    guard rename(temporary, directory + "/" + name) == 0 else { fail("cannot rename \(temporary)") }
    return now()
}

/// Where a live benchmark's feed is: a directory given, or one made of
/// `boxes` count files (kept in `keep`, reused from there when it is a feed already).
struct BenchFeed {
    var directory: String
    var options: [String: Double] = [:]

    /// Parses `DIR | --boxes N [--keep DIR]` and the numeric `allowed` options.
    init(_ arguments: ArraySlice<String>, allowed: [String: Double]) {
        var rest = arguments
        var boxes: Int?
        var keep: String?
        var given: String?
        options = allowed
        while let argument = rest.popFirst() {
            switch argument {
            case "--boxes":
                guard let value = rest.popFirst().flatMap({ Int($0) }), value >= 1 else { usage() }
                boxes = value
            case "--keep":
                guard let value = rest.popFirst() else { usage() }
                keep = value
            case let option where allowed[option] != nil:
                guard let value = rest.popFirst().flatMap({ Double($0) }), value > 0 else { usage() }
                options[option] = value
            case let path where !path.hasPrefix("-") && given == nil:
                given = path
            default:
                usage()
            }
        }
        if let given {
            guard boxes == nil, keep == nil else { usage() }
            directory = given
        } else if let boxes {
            let target = keep ?? (NSTemporaryDirectory() + "countnight-bench-\(getpid())-\(boxes)")
            if keep == nil { Cleanup.lock.withLock { Cleanup.directories.append(target) } }
            if FileManager.default.fileExists(atPath: target + "/election.json") {
                say("reusing the feed in \(target)")
            } else {
                let start = now()
                do { try makeLiveFeed(at: target, files: boxes) } catch { fail("cannot write the feed: \(error)") }
                say(String(format: "made a feed of %d batch files in %@ (%.0f s)", boxes, target, now() - start))
            }
            directory = target
        } else {
            usage()
        }
        guard FileManager.default.fileExists(atPath: directory + "/election.json") else { fail("\(directory) has no election.json") }
    }
}

/// The largest feed of one file per box whose election.json stays well
/// within its 16 MiB limit; larger feeds are counted in area bundles.
let largestBoxFeed = 200_000

/// A feed of `files` batch files for the live benchmarks, with `spareBoxes`
/// boxes left to count.
func makeLiveFeed(at directory: String, files: Int) throws {
    if files <= largestBoxFeed {
        try makeFeed(at: directory, boxes: files, spare: spareBoxes)
    } else {
        try makeBundledFeed(at: directory, files: files, spare: spareBoxes)
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

/// Lands files into a large feed while the dashboard's worker reads it, and
/// times each from its rename to the model that counts it, drawn.
func landingBench(_ feed: BenchFeed) {
    let interval = feed.options["--interval"]!
    let batches = Int(feed.options["--batches"]!)
    let reader: FeedReader
    do { reader = try FeedReader(directory: feed.directory) } catch { fail(error.description) }
    let theme = Theme(unicode: true)
    let start = now()
    let worker = FeedWorker(reader: reader, interval: interval)
    worker.start()
    defer { worker.stop() }
    /// The next model from the worker, as the dashboard's event loop takes it.
    func nextModel(timeout: Double) -> DashboardModel? {
        let deadline = now() + timeout
        while now() < deadline {
            var fd = pollfd(fd: worker.wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, Int32((deadline - now()) * 1000) + 1)
            if let model = worker.take() { return model }
        }
        return nil
    }
    // Models of the read as it goes (`FeedReading`) come before the first read's own.
    var firstModel = nextModel(timeout: 3600)
    while let shown = firstModel, shown.reading != nil { firstModel = nextModel(timeout: 3600) }
    guard var model = firstModel, let contest = model.snapshot.contests.first else { fail("the first read did not end") }
    let firstRead = now() - start
    let files = (try? FileManager.default.contentsOfDirectory(atPath: feed.directory).filter(FeedReader.isBatchFileName).count) ?? 0
    // The spare boxes (the last of election.json) still awaiting a count: files land into them.
    let awaiting = contest.boxes.suffix(spareBoxes).filter { $0.state == .awaiting }.map(\.id)
    guard awaiting.count >= 2 * batches else { fail("only \(awaiting.count) boxes are left to count in \(feed.directory); make a new feed") }
    say(String(format: "feed: %@, %d batch files, %d boxes covered of %d; first read %.1f s; poll interval %.2f s; landing %d files, load average %@",
               feed.directory, files, contest.boxesCovered, contest.boxesTotal, firstRead, interval, batches, loadAverage()))
    var generator = SystemRandomNumberGenerator()
    var boxes = awaiting.makeIterator()
    // A large night's trend is worked out after its first model, beside the landings.
    var trendReady: Double? = model.trendPending ? nil : firstRead
    var landedWhilePending: [Double] = []
    /// Lands one file and times it to the model that counts it (taken as
    /// the event loop takes it, the model it replaces handed back) and to
    /// that model drawn; `nudge` wakes the worker at once, as if its poll
    /// were due just then.
    func landOne(nudge: Bool) -> (taken: Double, drawn: Double) {
        let box = boxes.next()!
        let covered = model.snapshot.contests[0].boxesCovered
        let name = "count-\(box).json"
        let landed = land(name, countFile(box: Int(box.dropFirst())!), in: feed.directory)
        if nudge { worker.nudge() }
        while true {
            guard let next = nextModel(timeout: 60) else { fail("\(name) was not counted within 60 s") }
            let previous = model
            model = next
            if trendReady == nil && !model.trendPending { trendReady = now() - start }
            worker.discard(previous)
            if model.snapshot.contests[0].boxesCovered > covered { break }
        }
        let taken = now()
        _ = Dashboard.render(model, ViewState(contests: model.snapshot.contests.count), theme: theme, width: 100, height: 30)
        if trendReady == nil { landedWhilePending.append(now() - landed) }
        return (taken - landed, now() - landed)
    }
    // A random moment in the polling cycle, as files land on a real night.
    var landings: [(taken: Double, drawn: Double)] = []
    for _ in 0..<batches {
        usleep(UInt32(Double.random(in: 0.3...(0.3 + interval), using: &generator) * 1e6))
        landings.append(landOne(nudge: false))
    }
    // The worst moment: just after a poll looked, so that the file waits a
    // whole interval and then all the work of the poll that finds it. That
    // work alone, with the poll made at once:
    var work: [Double] = []
    for _ in 0..<batches {
        usleep(300_000)
        work.append(landOne(nudge: true).drawn)
    }
    let sorted = landings.map(\.taken).sorted(), sortedDrawn = landings.map(\.drawn).sorted(), sortedWork = work.sorted()
    let goal = interval + 0.05
    say("batch files | landed | poll interval s | p50 ms | p99 ms | max ms | p50 drawn ms | p99 drawn ms | goal (interval + 50 ms) ms | p99 drawn / goal")
    say(String(format: "%d | %d | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f", files, batches, interval,
               percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000, sorted.last! * 1000,
               percentile(sortedDrawn, 0.5) * 1000, percentile(sortedDrawn, 0.99) * 1000, goal * 1000,
               percentile(sortedDrawn, 0.99) / goal))
    say("poll made at once, the work from poll to drawn: landed | p50 ms | p99 ms | max ms | worst case (interval + p99) / goal")
    say(String(format: "%d | %.0f | %.0f | %.0f | %.2f", batches, percentile(sortedWork, 0.5) * 1000, percentile(sortedWork, 0.99) * 1000,
               sortedWork.last! * 1000, (interval + percentile(sortedWork, 0.99)) / goal))
    if let trendReady {
        let pending = landedWhilePending.sorted()
        say(String(format: "trend of the night read worked out %.1f s after the start (%.1f s after the first model); %d landed meanwhile%@",
                   trendReady, trendReady - firstRead, pending.count,
                   pending.isEmpty ? "" : String(format: ", drawn p50 %.0f ms, max %.0f ms", percentile(pending, 0.5) * 1000, pending.last! * 1000)))
    } else {
        say("trend of the night read: still being worked out at the end")
    }
    say("load average after: \(loadAverage())")
}

/// CPU seconds (user + system) a process has used, from /proc/PID/stat.
func cpuSeconds(_ pid: pid_t) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Waits until `pids` use almost no CPU (under 2% of a core each over 2 s
/// running), and returns how long that took.
func waitUntilQuiet(_ pids: [pid_t], limit: Double) -> Double {
    let start = now()
    var quietFor = 0
    var last = pids.map { cpuSeconds($0) ?? 0 }
    while now() - start < limit {
        usleep(500_000)
        let current = pids.map { pid -> Double in
            guard let seconds = cpuSeconds(pid) else { fail("process \(pid) ended") }
            return seconds
        }
        let busiest = zip(current, last).map { $0 - $1 }.max() ?? 0
        quietFor = busiest < 0.01 ? quietFor + 1 : 0
        last = current
        if quietFor >= 4 { return now() - start - 2 }
    }
    fail("still busy after \(Int(limit)) s")
}

/// The dashboard and headless watching on an unchanged feed: CPU over a
/// window once the first read is done, then the cost of one whole examination.
func idleBench(_ feed: BenchFeed) {
    let seconds = feed.options["--seconds"]!
    let interval = String(feed.options["--interval"]!)
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let countnight = me.deletingLastPathComponent().appendingPathComponent("countnight").path
    guard FileManager.default.isExecutableFile(atPath: countnight) else { fail("build countnight first: swift build -c release") }
    let lines = NSTemporaryDirectory() + "countnight-bench-idle-\(getpid()).txt"
    Cleanup.lock.withLock { Cleanup.files.append(lines) }
    let start = now()
    let headless = spawn(countnight, ["watch", feed.directory, "--headless", "--format", "text", "--interval", interval], output: lines)
    Cleanup.add(pid: headless)
    let socket = "countnight-bench-idle-\(getpid())"
    Cleanup.lock.withLock { Cleanup.tmuxSockets.append(socket) }
    spawn("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "100", "-y", "30",
                            "exec env TERM=tmux-256color LANG=C.UTF-8 \(countnight) watch \(feed.directory) --interval \(interval)"], wait: true)
    // The pane's shell execs the dashboard: wait until it has.
    var pane: pid_t?
    for _ in 0..<100 {
        if let pid = pid_t(output(of: "/usr/bin/tmux", ["-L", socket, "display-message", "-p", "-t", "main", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)),
           (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("countnight") == true {
            pane = pid
            break
        }
        usleep(100_000)
    }
    guard let dashboard = pane else { fail("the dashboard did not start in tmux") }
    Cleanup.add(pid: dashboard)
    // Headless writes its first line once the first read is done; the dashboard then goes quiet.
    while (try? FileManager.default.attributesOfItem(atPath: lines)[.size] as? Int) ?? 0 == 0 {
        if now() - start > 3600 { fail("headless watch wrote nothing in an hour") }
        usleep(100_000)
    }
    let headlessRead = now() - start
    let settled = waitUntilQuiet([headless, dashboard], limit: 3600)
    say(String(format: "feed: %@; poll interval %@ s; first read: headless wrote its first line after %.1f s, both quiet after %.1f s",
               feed.directory, interval, headlessRead, now() - start))
    _ = settled
    let processes = [("dashboard", dashboard), ("headless watch", headless)]
    // The window, sampled every second to show any examination as a step.
    let before = processes.map { cpuSeconds($0.1)! }
    var steps = processes.map { _ in [Double]() }
    var last = before
    let windowStart = now()
    say("load average at the start of the window: \(loadAverage())")
    while now() - windowStart < seconds {
        usleep(UInt32(min(1, seconds - (now() - windowStart)) * 1e6))
        let current = processes.map { pid -> Double in
            guard let cpu = cpuSeconds(pid.1) else { fail("\(pid.0) ended") }
            return cpu
        }
        for index in processes.indices { steps[index].append(current[index] - last[index]) }
        last = current
    }
    let window = now() - windowStart
    say("load average at the end of the window: \(loadAverage())")
    say("process | window s | CPU s | % of one core | busiest second, ms of CPU")
    var idleShare: [Double] = []
    for (index, process) in processes.enumerated() {
        let cpu = last[index] - before[index]
        idleShare.append(cpu / window * 100)
        say(String(format: "%@ | %.1f | %.3f | %.3f | %.0f", process.0, window, cpu, cpu / window * 100, (steps[index].max() ?? 0) * 1000))
    }
    // The rule: a safety examination waits at least the last whole
    // examination's duration / DirectoryWatch.safetyShare after it; the
    // last was the first read itself.
    // The rule (DirectoryWatch): a safety examination comes after 30 polls,
    // and not before the last whole examination's duration / share has
    // passed since it; the last was the first read itself.
    let share = FeedReader.safetyScanShare
    let due = max(Double(FeedReader.pollsBetweenFullScans) * Double(interval)!, headlessRead / share)
    say(String(format: "safety examination: the last whole examination was the first read (about %.1f s), so by the rule the next comes about %.0f s after it: %@. "
               + "An examination shows as a step in the busiest second, as large as its cost below.",
               headlessRead, due, due < now() - start - headlessRead ? "due within the window" : "not due within the window"))
    // A whole examination, provoked: a name that is not UTF-8 cannot be
    // examined by name, so both look at every file. Its removal makes a second.
    var oddPath = Array((feed.directory + "/countnight-bench-").utf8) + [0xFF, 0]
    Cleanup.lock.withLock { Cleanup.rawFiles.append(oddPath.map { CChar(bitPattern: $0) }) }
    say("process | whole examination (file added), CPU s | whole examination (file removed), CPU s")
    var costs = processes.map { _ in [Double]() }
    for _ in 0..<2 {
        let cpu = processes.map { cpuSeconds($0.1)! }
        if costs[0].isEmpty {
            let fd = oddPath.withUnsafeMutableBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
            guard fd >= 0 else { fail("cannot add a file to \(feed.directory)") }
            close(fd)
        } else {
            _ = oddPath.withUnsafeMutableBufferPointer { unlink(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
        }
        // Time for the next poll to see it before looking for quiet.
        usleep(UInt32((Double(interval)! + 0.5) * 1e6))
        _ = waitUntilQuiet([headless, dashboard], limit: 600)
        for index in processes.indices { costs[index].append(cpuSeconds(processes[index].1)! - cpu[index]) }
    }
    for (index, process) in processes.enumerated() {
        say(String(format: "%@ | %.2f | %.2f", process.0, costs[index][0], costs[index][1]))
    }
    // An examination's CPU is at most its duration (one thread stats the
    // files), and the next waits duration / share: over a long quiet night
    // examinations add at most `share` of one core.
    say(String(format: "A safety examination costs what one of these does, and by the rule the next waits %.0f times its duration: "
               + "it adds at most %.1f%% of one core. Idle with examinations, at most: dashboard %.2f%%, headless watch %.2f%% of one core.",
               1 / share, share * 100, idleShare[0] + share * 100, idleShare[1] + share * 100))
}
