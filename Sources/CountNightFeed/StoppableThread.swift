import Foundation

extension Thread {
    /// The stack of the threads the feed's work runs on: a process's main
    /// thread's (8 MiB), so that parsing, checking and the projection have
    /// on them the room they have on the main thread.
    public static let workStackSize = 8 << 20
}

/// A thread of its own that works under one lock, and that the thread which
/// started it can stop and wait for: the headless replay's steps, and the
/// versions prepared ahead of them. What the thread shares with its taker is
/// guarded by `condition`.
final class StoppableThread: @unchecked Sendable {
    let condition = NSCondition()
    /// Asked to stop; read under `condition`.
    private(set) var stopping = false
    /// The body has returned; read under `condition`.
    private(set) var finished = false

    /// Runs `body` on a new thread; when it returns, whoever waits on
    /// `condition` is woken.
    func start(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = Thread.workStackSize
        thread.start()
    }

    /// Asks the thread to stop and waits until it has ended.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
