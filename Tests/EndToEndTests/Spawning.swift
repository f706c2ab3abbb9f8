import Foundation

/// Starts a program with posix_spawn, with no signal blocked and every signal
/// at its default action. The test runner's threads block most signals, and a
/// child inherits that mask: a tmux server started so never notices its
/// shell end and outlives `kill-server`; a countnight started so would not
/// see the signals a test sends it as a person's shell would deliver them.
func spawnWithDefaultSignals(_ path: String, _ arguments: [String], environment: [String]? = nil,
                             _ actions: inout posix_spawn_file_actions_t) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = (environment ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }).map { strdup($0) } + [nil]
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard result == 0 else { throw SpawnFailed(path: path, error: result) }
    return pid
}

struct SpawnFailed: Error, CustomStringConvertible {
    let path: String
    let error: Int32
    var description: String { "cannot start \(path): \(String(cString: strerror(error)))" }
}
