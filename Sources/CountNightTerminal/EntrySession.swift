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

    /// Runs until Esc (with an empty filter) or SIGINT, SIGTERM, SIGHUP,
    /// SIGQUIT; after another signal that ends a program (SIGUSR1...), gives
    /// the terminal back and dies of it, as the dashboard does.
    public func run() throws {
        if let signal = try runUntilQuit(), !DashboardSession.quitSignals.contains(signal) { DashboardSession.die(of: signal) }
    }

    /// The event loop; returns the signal that ended it, nil for Esc.
    private func runUntilQuit() throws -> Int32? {
        let signalFD = DashboardSession.signalDescriptor()
        defer { if signalFD >= 0 { close(signalFD) } }
        let heldErrors = HeldStandardError()
        defer { heldErrors.release() }
        let terminal = Terminal()
        try terminal.start(savedStandardError: heldErrors.savedDescriptor)
        defer { terminal.stop() }

        var state = EntryViewState()
        let theme = Theme(unicode: terminal.unicode, colour: terminal.colours > 0)
        var model = Self.model(desk, clock: WallClock.timeOfDay(WallClock.now()))
        var dirty = true
        var lastLook = WallClock.now()
        while true {
            if dirty {
                let (width, height) = terminal.size
                terminal.paint(EntryScreen.render(model, state, theme: theme, width: width, height: height))
                dirty = false
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)]
            let wait = max(1, Int32(((lastLook + interval - WallClock.now()) * 1000).rounded(.up)))
            _ = poll(&fds, nfds_t(fds.count), wait)
            if fds[1].revents & Int16(POLLIN) != 0 { return DashboardSession.signalRead(from: signalFD) }
            if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { return nil }
            while let key = terminal.readKey() {
                if key == .resize { terminal.invalidate() }
                let action = EntryScreen.apply(key, to: &state, model)
                if action == .quit { return nil }
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
    /// entries stand. Made after every action and every look at the feed, so
    /// it costs a pass over the boxes and a look-up per entry kept, not a
    /// look-up in the tally per box (100,000 boxes: a few milliseconds).
    public static func model(_ desk: EntryDesk, clock: String) -> EntryScreenModel {
        let election = desk.election
        // Per contest, box and kind: the latest entry target kept, and the
        // latest revision written from entries.
        var latest: [[[Int: (EntryTarget, TargetEntries)]]] = election.contests.map { _ in [[:], [:]] }
        var written: [[[Int: (revision: Int, singleBy: String?)]]] = election.contests.map { _ in [[:], [:]] }
        for (target, entries) in desk.board.targets {
            guard let contestIndex = election.contestIndex(target.contest),
                  let boxIndex = election.contests[contestIndex].boxIndex(target.box) else { continue }
            let kind = target.kind == .verification ? 0 : 1
            if desk.board.written.contains(target) {
                if (written[contestIndex][kind][boxIndex]?.revision ?? 0) < target.revision {
                    let single = entries.single && entries.second == nil && entries.resolution == nil
                    written[contestIndex][kind][boxIndex] = (target.revision, single ? entries.first?.operator : nil)
                }
            } else if (latest[contestIndex][kind][boxIndex]?.0.revision ?? 0) < target.revision {
                latest[contestIndex][kind][boxIndex] = (target, entries)
            }
        }
        var rows: [EntryBoxRow] = []
        rows.reserveCapacity(election.contests.reduce(0) { $0 + $1.boxes.count })
        for (contestIndex, contest) in election.contests.enumerated() {
            let boxRows = desk.reader.tally.boxRows(contest: contestIndex)
            for (boxIndex, box) in contest.boxes.enumerated() {
                let row = boxRows[boxIndex]
                func words(_ kind: Int, inFeed: Bool) -> String {
                    let writtenHere = written[contestIndex][kind][boxIndex]
                    if let (target, entries) = latest[contestIndex][kind][boxIndex], target.revision > (writtenHere?.revision ?? 0) {
                        return EntryBoxRow.words(desk.phase(target, entries), written: nil)
                    }
                    if let writtenHere {
                        return writtenHere.singleBy.map { "single r\(writtenHere.revision) (\($0))" } ?? "written r\(writtenHere.revision)"
                    }
                    // A batch written by another writer: in force, of whatever revision.
                    return inFeed ? "in the feed" : "-"
                }
                rows.append(EntryBoxRow(contest: contest.id, box: box.id, area: contest.areas[safe: contest.areaOfBox[boxIndex]]?.label ?? "",
                                        feedState: row.state, verifiedPapers: row.verifiedPapers,
                                        verification: words(0, inFeed: row.verifiedPapers != nil),
                                        count: desk.reader.tally.bundleBallots(contest: contestIndex, area: contest.areaOfBox[boxIndex]) > 0
                                            ? "area bundles" : words(1, inFeed: row.countedBallots != nil)))
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
