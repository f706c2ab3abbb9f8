import CountNightCore
import Foundation

/// A headless replay's steps made on a thread of their own, a few ahead of
/// the thread that writes them: at `--speed max` a replay makes a snapshot
/// after every batch, and its lines (each contest's JSON, the line joined
/// and written) then take the other core instead of waiting their turn.
/// The steps come out in order, the same as `HeadlessReplay.next()` gives;
/// waiting at the replay's speed stays with the writer.
public final class HeadlessReplayPipe: @unchecked Sendable {
    /// The thread that makes the steps; its lock guards what follows.
    private let maker = StoppableThread()
    private var condition: NSCondition { maker.condition }
    /// Steps made and not yet taken, and those the writer took and has not
    /// yet handed out. Each side takes all there is in one look, and wakes
    /// the other only when it waits: a handoff per step cost more than the
    /// lines it moved to the other core.
    private var ready: [HeadlessReplay.Step] = []
    private var taken: [HeadlessReplay.Step] = []
    private var nextTaken = 0
    /// Steps written, handed back so that the thread that made them frees
    /// them: freed on the writer's thread, each snapshot's memory went back
    /// to the maker's arena of the allocator under its lock, and the two
    /// threads spent an eighth of their time waiting for each other there.
    private var spent: [HeadlessReplay.Step] = []
    private var writerWaits = false
    /// Closed by the writer (its own thread's flag, not shared).
    private var closed = false
    private var makerWaits = false
    /// How many steps may wait to be written: enough to keep both threads
    /// busy, few enough that snapshots do not pile up in memory (a national
    /// night's snapshot is about 1 MB: at 256 a slow writer, such as a pipe
    /// to another program, held 370 MB of them).
    private let capacity: Int
    private let ahead: PreparedAhead

    public init(_ replay: consuming HeadlessReplay, capacity: Int = 64) {
        self.capacity = max(1, capacity)
        // Moved to the thread, not copied: with a copy left in the closure,
        // the thread's first step would copy the tally's tables (all of
        // them after `--from`) and both would stay until the end.
        // The batch files ahead parsed and checked on a third thread: the
        // making thread was parsing each file again as it stepped.
        let ahead = PreparedAhead(entries: replay.replay.entries, from: replay.replay.position, preparer: replay.replay.tally.preparer)
        self.ahead = ahead
        let handed = Handed(consume replay)
        maker.start { [self] in
            var replay = handed.take()
            var made: [HeadlessReplay.Step] = []
            var dropping: [HeadlessReplay.Step] = []
            // A few steps made before each look at the other side.
            // Half the pipe: the writer, the faster side, waits between
            // handovers, and each wake is a system call.
            let batch = max(1, self.capacity / 2)
            var more = true
            while more {
                // The steps written are freed one a step made, not all at the
                // handover: a step's memory then goes back to the allocator's
                // per-thread cache just before the next step takes the same
                // sizes again, rather than some thousands of blocks at once
                // overflowing it into the allocator's slower lists.
                while made.count < batch, let step = replay.next(prepared: ahead.take) {
                    made.append(step)
                    if !dropping.isEmpty { dropping.removeLast() }
                }
                more = made.count == batch
                dropping.removeAll(keepingCapacity: true)
                condition.lock()
                // Wait for room for them.
                while ready.count + made.count > self.capacity && !maker.stopping {
                    makerWaits = true
                    condition.wait()
                }
                makerWaits = false
                if maker.stopping {
                    condition.unlock()
                    break
                }
                Self.move(&made, to: &ready)
                swap(&spent, &dropping)
                if writerWaits { condition.broadcast() }
                condition.unlock()
            }
        }
    }

    /// The next step, waiting for it to be made; nil after the last, and
    /// once closed.
    public func next() -> HeadlessReplay.Step? {
        if closed { return nil }
        if nextTaken == taken.count {
            nextTaken = 0
            condition.lock()
            Self.move(&taken, to: &spent)
            // The maker has made its last step, or stopped, once it has ended.
            while ready.isEmpty && !maker.finished {
                writerWaits = true
                condition.wait()
            }
            writerWaits = false
            swap(&ready, &taken)
            if makerWaits { condition.broadcast() }
            condition.unlock()
            guard !taken.isEmpty else { return nil }
        }
        let step = taken[nextTaken]
        nextTaken += 1
        return step
    }

    /// Steps moved from one list to the end of another. Swapped when the
    /// other is empty, as it mostly is: appended, each step's snapshot was
    /// copied (a few dozen references taken) and the originals let go.
    private static func move(_ steps: inout [HeadlessReplay.Step], to list: inout [HeadlessReplay.Step]) {
        if list.isEmpty {
            swap(&steps, &list)
        } else {
            list += steps
            steps.removeAll(keepingCapacity: true)
        }
    }

    /// The replay on its way to the thread.
    private final class Handed: @unchecked Sendable {
        private var replay: HeadlessReplay?
        init(_ replay: consuming HeadlessReplay) { self.replay = consume replay }
        func take() -> HeadlessReplay { replay.take()! }
    }

    /// Stops making steps and waits until the thread has ended: called
    /// when the writer stops early (a signal, a failed write), and after
    /// the last step.
    public func close() {
        closed = true
        maker.stop()
        ahead.stop()
    }
}

/// Batch versions of a replay's entries parsed and checked on a thread of
/// its own, a few hundred entries ahead of the thread that steps, which
/// takes each by its entry's index and never waits: an entry not prepared
/// yet (or not a batch version) it prepares itself. A version prepared for
/// the election at the start and stepped after election.json changed is
/// checked again when read (`Tally.read`), so what comes out is the same.
final class PreparedAhead: @unchecked Sendable {
    /// The thread that prepares; its lock guards what follows.
    private let preparing = StoppableThread()
    private var condition: NSCondition { preparing.condition }
    /// Prepared runs of entries, oldest first, and the taker's own run.
    private var runs: [[(index: Int, prepared: PreparedVersion?)]] = []
    private var current: [(index: Int, prepared: PreparedVersion?)] = []
    private var next = 0
    private var preparerWaits = false
    private static let run = 64
    private static let runsAhead = 8

    init(entries: [NightEntry], from start: Int, preparer: VersionPreparer) {
        preparing.start { [self] in
            var made: [(index: Int, prepared: PreparedVersion?)] = []
            made.reserveCapacity(Self.run)
            var index = start
            while index < entries.count {
                let entry = entries[index]
                if !entry.isElection, case .version(let bytes) = entry.change {
                    made.append((index, preparer.prepare(file: entry.file, bytes: bytes)))
                } else {
                    made.append((index, nil))
                }
                index += 1
                guard made.count == Self.run || index == entries.count else { continue }
                condition.lock()
                while runs.count >= Self.runsAhead && !preparing.stopping {
                    preparerWaits = true
                    condition.wait()
                }
                preparerWaits = false
                if preparing.stopping {
                    condition.unlock()
                    break
                }
                runs.append(made)
                condition.unlock()
                made = []
                made.reserveCapacity(Self.run)
            }
        }
    }

    /// The version prepared for entry `index`, if it is ready; the taker
    /// asks in increasing order of index, once for each: a version is moved
    /// out when taken, so asked again it is nil (and the taker prepares it).
    func take(_ index: Int) -> PreparedVersion? {
        while true {
            while next < current.count && current[next].index < index { next += 1 }
            if next < current.count {
                guard current[next].index == index else { return nil }
                // Moved out, not copied: each is taken once.
                return current[next].prepared.take()
            }
            condition.lock()
            guard !runs.isEmpty else {
                condition.unlock()
                return nil
            }
            current = runs.removeFirst()
            next = 0
            if preparerWaits { condition.broadcast() }
            condition.unlock()
        }
    }

    /// Stops preparing and waits until the thread has ended.
    func stop() { preparing.stop() }
}
