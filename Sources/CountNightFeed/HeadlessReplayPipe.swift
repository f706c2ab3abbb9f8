import CountNightCore
import Foundation

/// A headless replay's steps made on a thread of their own, a few ahead of
/// the thread that writes them: at `--speed max` a replay makes a snapshot
/// after every batch, and its lines (each contest's JSON, the line joined
/// and written) then take the other core instead of waiting their turn.
/// The steps come out in order, the same as `HeadlessReplay.next()` gives;
/// waiting at the replay's speed stays with the writer.
public final class HeadlessReplayPipe: @unchecked Sendable {
    private let condition = NSCondition()
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
    /// The thread has made its last step, or stopped, and ended.
    private var finished = false
    private var stopping = false
    private var writerWaits = false
    /// Closed by the writer (its own thread's flag, not shared).
    private var closed = false
    private var makerWaits = false
    /// How many steps may wait to be written: enough to keep both threads
    /// busy, few enough that snapshots do not pile up in memory.
    private let capacity: Int

    public init(_ replay: consuming HeadlessReplay, capacity: Int = 256) {
        self.capacity = max(1, capacity)
        // Moved to the thread, not copied: with a copy left in the closure,
        // the thread's first step would copy the tally's tables (all of
        // them after `--from`) and both would stay until the end.
        let handed = Handed(consume replay)
        let thread = Thread { [self] in
            var replay = handed.take()
            var made: [HeadlessReplay.Step] = []
            var dropping: [HeadlessReplay.Step] = []
            // A few steps made before each look at the other side.
            let batch = max(1, self.capacity / 8)
            var more = true
            while more {
                while made.count < batch, let step = replay.next() { made.append(step) }
                more = made.count == batch
                condition.lock()
                // Wait for room for them.
                while ready.count + made.count > self.capacity && !stopping {
                    makerWaits = true
                    condition.wait()
                }
                makerWaits = false
                if stopping {
                    condition.unlock()
                    break
                }
                ready += made
                made.removeAll(keepingCapacity: true)
                swap(&spent, &dropping)
                if writerWaits { condition.broadcast() }
                condition.unlock()
                dropping.removeAll(keepingCapacity: true)
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next step, waiting for it to be made; nil after the last, and
    /// once closed.
    public func next() -> HeadlessReplay.Step? {
        if closed { return nil }
        if nextTaken == taken.count {
            nextTaken = 0
            condition.lock()
            spent += taken
            taken.removeAll(keepingCapacity: true)
            while ready.isEmpty && !finished {
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

    /// The replay on its way to the thread.
    private final class Handed: @unchecked Sendable {
        private var replay: HeadlessReplay?
        init(_ replay: consuming HeadlessReplay) { self.replay = consume replay }
        func take() -> HeadlessReplay {
            var taken: HeadlessReplay?
            swap(&taken, &replay)
            return taken!
        }
    }

    /// Stops making steps and waits until the thread has ended: called
    /// when the writer stops early (a signal, a failed write), and after
    /// the last step.
    public func close() {
        closed = true
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
