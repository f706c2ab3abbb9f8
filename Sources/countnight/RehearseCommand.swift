import ArgumentParser
import CountNightCore
import CountNightFeed
import Glibc

struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Write a recorded night's files into a directory as the night went, to rehearse a venue.",
        discussion: """
            election.json goes first, marked "rehearsal": true, so that every screen
            watching the directory shows the REHEARSAL banner. Then each batch file is
            written when its time comes (at --speed), under a dot-name and renamed, so
            that a reader never sees half a file; deletions in a journal are made too.
            Ctrl-C, SIGTERM or SIGHUP stop it after the file being written, leaving whole
            files only.

            Examples:
              countnight rehearse night.journal --into /srv/count/feed --speed 60
              countnight rehearse sample-feeds/tower-hamlets-2010 \\
                  --into /tmp/rehearsal --speed max

            Exit status: 0 done or stopped (Ctrl-C, SIGTERM, SIGHUP); 2 the source cannot be used or the
            directory cannot be written; 64 bad arguments (including a directory that is not
            empty, without --force).
            """)

    @Argument(help: "A feed directory, or a journal file.", completion: .file())
    var source: String

    @Option(help: "The directory to write into: empty or absent, unless --force.", completion: .directory)
    var into: String

    @Option(parsing: .unconditional, help: ArgumentHelp(ReplaySpeed.help))
    var speed = ReplaySpeed(factor: 60)

    @Flag(help: "Write into a directory that is not empty.")
    var force = false

    func validate() throws {
        var st = stat()
        if stat(into, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw ValidationError("--into \(into) is not a directory") }
            if !force, let names = try? directoryNames(into), !names.isEmpty {
                throw ValidationError("--into \(into) is not empty (\(names.count) entr\(names.count == 1 ? "y" : "ies")); rehearse into an empty directory, or add --force")
            }
        }
    }

    func run() throws {
        try Self.reportingErrors {
            let signals = SignalWait(SignalWait.stopping)
            let night = try loadNight(source)
            guard let marked = ElectionFile.markedAsRehearsal(night.electionBytes) else {
                throw FeedUnusable(message: "\(source): election.json is not a JSON object")
            }
            if mkdir(into, 0o755) != 0 && errno != EEXIST {
                throw FeedUnusable(message: "cannot make \(into): \(String(cString: strerror(errno)))")
            }
            try land(ElectionFile.name, marked)
            var playback = Playback(times: night.entries.map(\.time), speed: speed.factor)
            var written = 0
            for entry in night.entries {
                if signals.stopped(waiting: playback.next() ?? 0) { break }
                switch entry.change {
                case .version(let bytes):
                    // Every election.json written carries the mark; one that cannot
                    // carry it (not a JSON object) is not written at all.
                    if entry.isElection {
                        guard let marked = ElectionFile.markedAsRehearsal(bytes) else {
                            Output.error("countnight: rehearsal: a later election.json is not a JSON object and cannot be marked as a rehearsal; not written")
                            continue
                        }
                        try land(entry.file, marked)
                    } else {
                        try land(entry.file, bytes)
                    }
                case .deleted:
                    unlink(into + "/" + entry.file)
                case .unreadable:
                    continue
                }
                written += 1
            }
            Output.error("countnight: rehearsal: wrote \(written) of \(night.entries.count) files into \(into)")
        }
    }

    private func land(_ name: String, _ bytes: [UInt8]) throws {
        // Journal names are checked when read; checked again where a file is made.
        if let problem = Journal.fileNameProblem(name) { throw FeedUnusable(message: "refusing to write a file whose name \(problem)") }
        do {
            try FileWriting.land(bytes, as: name, in: into)
        } catch {
            throw FeedUnusable(message: error.message)
        }
    }
}
