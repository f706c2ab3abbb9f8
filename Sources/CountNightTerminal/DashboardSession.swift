import CountNightCore
import CountNightFeed
import CountNightUI
import CNcursesw
import Foundation
import Glibc

/// The live dashboard: one event loop that takes key presses, resizes, feed
/// updates and the clock tick, and repaints only when the screen changed.
public final class DashboardSession {
    /// Makes the worker once the signals are blocked, so that its thread
    /// leaves them to the event loop.
    private let makeWorker: () -> ModelWorker

    /// The live dashboard on a feed.
    public init(reader: FeedReader, interval: Double) {
        makeWorker = { FeedWorker(reader: reader, interval: interval) }
    }

    /// The live dashboard on a feed that is not there yet (`awaited` says
    /// what is missing): a waiting screen until it is, then the count.
    public init(waitingFor directory: String, awaited: String, interval: Double, record journal: JournalWriter?) {
        makeWorker = { FeedWorker(waitingFor: directory, awaited: awaited, interval: interval, record: journal) }
    }

    /// The dashboard on a replay; `speed` nil for as fast as possible.
    public init(replay: Replay, speed: Double?, from: Double?, sampleBanner: String? = nil) {
        makeWorker = { ReplayWorker(replay: replay, speed: speed, from: from, sampleBanner: sampleBanner) }
    }

    /// Why this terminal cannot show the dashboard, or nil when it can.
    public static func unusableReason() -> String? { Terminal.unusableReason() }

    /// Signals that quit the dashboard as q does (exit 0). Ctrl-\ (SIGQUIT)
    /// is among them: the Swift runtime would otherwise draw a backtrace over
    /// the screen and wait 30 s for a key.
    static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Every other signal whose default action ends the program, and that a
    /// process sends (not a fault of the program itself): the dashboard gives
    /// the terminal back, then dies of it, so that whoever sent it sees it.
    /// SIGPIPE is ignored for the whole program; faults (SIGSEGV, SIGABRT,
    /// ...) are the crash handler's; SIGTSTP and SIGWINCH are curses'.
    static let endingSignals: [Int32] = [SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT, SIGXCPU, SIGXFSZ]
        + Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())

    /// Runs until q or a signal in `quitSignals`; after a signal in
    /// `endingSignals`, gives the terminal back and dies of that signal.
    /// Whatever the program writes to standard error meanwhile is held and
    /// written after the screen is given back.
    public func run() throws {
        if let signal = try runUntilQuit(), !Self.quitSignals.contains(signal) { Self.die(of: signal) }
    }

    /// Ends the process as `signal`'s default action would have, once the
    /// terminal is given back. The signal is still blocked for the loop's
    /// descriptor: unblocked with its default action, it ends the process.
    static func die(of signal: Int32) -> Never {
        Glibc.signal(signal, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signal)
        exit(128 + signal)
    }

    /// The signal waiting on a descriptor from `signalDescriptor`; one that
    /// cannot be told quits as SIGTERM would.
    static func signalRead(from fd: Int32) -> Int32 {
        var info = signalfd_siginfo()
        let got = read(fd, &info, MemoryLayout<signalfd_siginfo>.size)
        return got == MemoryLayout<signalfd_siginfo>.size ? Int32(info.ssi_signo) : SIGTERM
    }

    /// Blocks the quit and ending signals in this thread (and the threads it
    /// starts after) and returns a descriptor to read them from, so that an
    /// event loop takes them with its keys.
    static func signalDescriptor() -> Int32 {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in quitSignals + endingSignals { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        return signalfd(-1, &signals, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
    }

    /// The event loop; returns the signal that ended it, nil for q.
    private func runUntilQuit() throws -> Int32? {
        // Taken through a descriptor, not a handler: blocked before the
        // worker thread starts, so every thread leaves them to the loop.
        let signalFD = Self.signalDescriptor()
        defer { if signalFD >= 0 { close(signalFD) } }

        let heldErrors = HeldStandardError()
        defer { heldErrors.release() }

        // The worker is stopped after the terminal is given back: a poll of a
        // huge feed under way must not hold the screen after q.
        let worker = makeWorker()
        defer { worker.stop() }

        let terminal = Terminal()
        try terminal.start(savedStandardError: heldErrors.savedDescriptor)
        defer { terminal.stop() }
        worker.start()

        var model = worker.initialModel
        // Glyphs and styles for this terminal, chosen once.
        let theme = Theme(unicode: terminal.unicode, colour: terminal.colours > 0)
        var state = ViewState(contests: model.snapshot.contests.count)
        var alerts = AlertLog()
        if model.replay == nil {
            model.clock = WallClock.timeOfDay(WallClock.now())
            model.now = WallClock.now()
        }
        var dirty = true
        // The size the dashboard was last shown at (not the message that the
        // terminal is too small): a resize keeps the Log at the event it showed.
        var shownSize = terminal.size
        func keepShownSize(_ size: (width: Int, height: Int)) {
            if size.width >= Dashboard.minimumWidth && size.height >= Dashboard.minimumHeight { shownSize = size }
        }
        while true {
            if dirty {
                let (width, height) = terminal.size
                keepShownSize((width, height))
                terminal.paint(Dashboard.render(model, state, theme: theme, width: width, height: height))
                dirty = false
            }
            // Sleep until a key, a feed update, a signal or the next second.
            let now = WallClock.now()
            let untilNextSecond = Int32(((now.rounded(.down) + 1 - now) * 1000).rounded(.up))
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: worker.wakeRead, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, nfds_t(fds.count), max(1, untilNextSecond))
            if fds[2].revents & Int16(POLLIN) != 0 { return Self.signalRead(from: signalFD) }
            if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { return nil }
            if let update = worker.take() {
                let previous = model
                // The feed came: start as a dashboard started on it would.
                if model.waiting != nil && update.waiting == nil {
                    state = ViewState(contests: update.snapshot.contests.count)
                }
                // The same contest stays chosen if the feed's contests moved.
                state.follow(from: model.snapshot, to: update.snapshot)
                model = update
                // A replay's clock is its own; a live feed's is the wall's.
                if model.replay == nil {
                    model.clock = previous.clock
                    model.now = previous.now
                }
                alerts.update(from: previous, to: &model)
                worker.discard(previous)
                dirty = true
            }
            while let key = terminal.readKey() {
                if key == .resize {
                    terminal.invalidate()
                    state = Dashboard.resized(state, model, theme: theme, from: shownSize, to: terminal.size)
                    keepShownSize(terminal.size)
                }
                // Help open: every key closes it, the replay's too; a find
                // takes every key that types (r, e, space: letters of a name).
                if !state.showHelp && state.find == nil && worker.handle(key) { continue }
                let (width, height) = terminal.size
                let extent = Dashboard.scrollExtent(model, state, theme: theme, width: width, height: height)
                switch state.apply(key, snapshot: model.snapshot, page: extent.page, total: extent.total, alerts: model.alerts.count) {
                case .quit: return nil
                case .changed: dirty = true
                case .unchanged: break
                }
                if key == .resize { dirty = true }
            }
            let wall = WallClock.now()
            let clock = WallClock.timeOfDay(wall)
            if model.replay == nil && clock != model.clock {
                model.clock = clock
                model.now = wall
                dirty = true
            }
        }
    }
}

/// The result alerts raised while the dashboard runs: each model from the
/// worker is compared with the one shown before it (`ResultAlert.changes`,
/// as headless mode does), and every model carries the list.
struct AlertLog {
    private var raised: [ShownAlert] = []

    mutating func update(from previous: DashboardModel, to next: inout DashboardModel) {
        // A replay stepped or wound back is not the result changing.
        let forward = (previous.replay?.position ?? 0) <= (next.replay?.position ?? 0)
        if forward {
            raised += ResultAlert.changes(from: previous.snapshot, to: next.snapshot).map { ShownAlert($0, clock: next.clock) }
        }
        next.alerts = raised
    }
}

/// Holds standard error in a temporary file while curses owns the screen,
/// so that no message is painted over the dashboard, and writes it out after.
final class HeldStandardError {
    private var saved: Int32 = -1
    private var held: Int32 = -1
    /// Where standard error went before it was held.
    var savedDescriptor: Int32 { saved >= 0 ? saved : STDERR_FILENO }

    init() {
        var template = Array("/tmp/countnight-stderr-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return }
        unlink(&template)
        saved = dup(STDERR_FILENO)
        held = fd
        dup2(fd, STDERR_FILENO)
    }

    func release() {
        guard saved >= 0 else { return }
        dup2(saved, STDERR_FILENO)
        close(saved)
        saved = -1
        lseek(held, 0, SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = read(held, &buffer, buffer.count)
            if got <= 0 { break }
            var offset = 0
            while offset < got {
                let written = buffer.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, got - offset) }
                if written <= 0 { break }
                offset += written
            }
        }
        close(held)
    }
}
