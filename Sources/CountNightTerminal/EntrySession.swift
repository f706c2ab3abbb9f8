import CountNightCore
import CountNightFeed
import CountNightUI
import CNcursesw
import Glibc

/// `countnight enter`: the entry form on a terminal. One loop takes keys and
/// looks at the feed and the entry folder twice a second, so that what other
/// terminals hand in shows here.
public final class EntrySession {
    private let desk: EntryDesk
    /// How often the feed and the entries are looked at, in seconds.
    private let interval: Double

    public init(desk: EntryDesk, interval: Double = 0.5) {
        self.desk = desk
        self.interval = interval
    }

    public static func unusableReason() -> String? { Terminal.unusableReason() }

    /// Runs until Esc (with an empty filter) or SIGINT, SIGTERM, SIGHUP, SIGQUIT.
    public func run() throws {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in DashboardSession.quitSignals { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let signalFD = signalfd(-1, &signals, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
        defer { if signalFD >= 0 { close(signalFD) } }
        let heldErrors = HeldStandardError()
        defer { heldErrors.release() }
        let terminal = Terminal()
        try terminal.start(savedStandardError: heldErrors.savedDescriptor)
        defer { terminal.stop() }

        var state = EntryViewState(unicode: terminal.unicode)
        var model = Self.model(desk, clock: WallClock.timeOfDay(WallClock.now()))
        var dirty = true
        var lastLook = WallClock.now()
        while true {
            if dirty {
                let (width, height) = terminal.size
                terminal.paint(EntryScreen.render(model, state, width: width, height: height))
                dirty = false
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)]
            let wait = max(1, Int32(((lastLook + interval - WallClock.now()) * 1000).rounded(.up)))
            _ = poll(&fds, nfds_t(fds.count), wait)
            if fds[1].revents & Int16(POLLIN) != 0 { return }
            if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { return }
            while let key = terminal.readKey() {
                if key == .resize { terminal.invalidate() }
                let action = EntryScreen.apply(key, to: &state, model)
                if action == .quit { return }
                if action != .none {
                    Self.perform(action, desk, &state)
                    model = Self.model(desk, clock: model.clock)
                }
                dirty = true
            }
            if WallClock.now() >= lastLook + interval {
                lastLook = WallClock.now()
                desk.refresh()
                let next = Self.model(desk, clock: WallClock.timeOfDay(lastLook))
                if next != model {
                    model = next
                    dirty = true
                }
            }
        }
    }

    /// Carries out what a key asked for, and says how it went.
    public static func perform(_ action: EntryAction, _ desk: EntryDesk, _ state: inout EntryViewState) {
        switch action {
        case .none, .quit:
            return
        case .open(let contest, let box, let kind):
            switch desk.open(contest: contest, box: box, kind: kind) {
            case .failure(let problem):
                state.say(problem.message, problem: true)
            case .success(.type(let entry, let needsReason, let verified, let usual)):
                guard let form = desk.form(entry.target) else { return }
                state.mode = .form(EntryFormState(target: entry.target, role: entry.role, form: form, values: entry.figures,
                                                  reason: entry.reason, needsReason: needsReason, verifiedPapers: verified, usualSize: usual))
                state.say(entry.figures.isEmpty ? "\(entry.role == .first ? "First entry" : "Second entry (the first is not shown)") of box \(box): type each figure from the sheet, then Enter."
                          : "Carrying on your \(entry.role.rawValue) entry of box \(box).")
            case .success(.resolve(let first, let second, let differing)):
                guard let form = desk.form(first.target) else { return }
                state.mode = .mismatch(EntryMismatchState(target: first.target, form: form, first: first, second: second, differing: differing))
                state.message = nil
            }
        case .save(let form):
            guard let role = form.role else { return }
            let entry = Entry(target: form.target, role: role, operator: desk.operatorName, figures: form.values, reason: form.reason)
            if let failed = desk.save(entry) { state.say(failed.message, problem: true) }
        case .handIn(let form):
            let outcome: EntryDesk.Outcome
            if let role = form.role {
                outcome = desk.handIn(Entry(target: form.target, role: role, operator: desk.operatorName, figures: form.values, reason: form.reason))
            } else {
                outcome = desk.resolve(form.target, .reentered(form.values))
            }
            state.mode = .list
            state.say(outcome.message, problem: outcome.problem)
        case .resolve(let target, let choice):
            let outcome = desk.resolve(target, choice)
            state.mode = .list
            state.say(outcome.message, problem: outcome.problem)
        }
    }

    /// The entry screen's model: every box of every contest with where its
    /// entries stand.
    public static func model(_ desk: EntryDesk, clock: String) -> EntryScreenModel {
        let election = desk.election
        // The latest target of each box and kind, looked up once per box.
        var latest: [String: (EntryTarget, TargetEntries)] = [:]
        for (target, entries) in desk.board.targets {
            let key = "\(target.contest)\u{0}\(target.box)\u{0}\(target.kind.rawValue)"
            if let known = latest[key], known.0.revision >= target.revision { continue }
            latest[key] = (target, entries)
        }
        var rows: [EntryBoxRow] = []
        for (contestIndex, contest) in election.contests.enumerated() {
            let boxRows = desk.reader.tally.boxRows(contest: contestIndex)
            for (boxIndex, box) in contest.boxes.enumerated() {
                func words(_ kind: Batch.Kind) -> String {
                    let inForce = desk.reader.tally.revisionInForce(BatchIdentity(contest: contestIndex, kind: kind, target: .box(boxIndex)))
                    guard let (target, entries) = latest["\(contest.id)\u{0}\(box.id)\u{0}\(kind.rawValue)"],
                          target.revision > (inForce ?? 0) else {
                        return EntryBoxRow.words(nil, written: inForce)
                    }
                    let written = desk.board.written.contains(target) ? target.revision : inForce
                    return EntryBoxRow.words(desk.board.written.contains(target) ? nil : desk.phase(target, entries), written: written)
                }
                rows.append(EntryBoxRow(contest: contest.id, box: box.id, area: contest.areas[safe: contest.areaOfBox[boxIndex]]?.label ?? "",
                                        feedState: boxRows[boxIndex].state, verifiedPapers: boxRows[boxIndex].verifiedPapers,
                                        verification: words(.verification), count: words(.count)))
            }
        }
        var model = EntryScreenModel(election: election, operatorName: desk.operatorName, single: desk.single, rows: rows,
                                     pending: desk.board.pendingBoxes, clock: clock, log: desk.store.logLines(last: 1))
        model.problems = desk.board.problems
        return model
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
