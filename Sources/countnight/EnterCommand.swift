import ArgumentParser
import CountNightCore
import CountNightFeed
import CountNightTerminal
import Glibc

struct EnterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enter",
        abstract: "Key in boxes' figures at the venue, each typed twice by two operators, into the feed.",
        discussion: """
            Lists the boxes with their state; type to filter, Tab chooses verification or
            count, Enter opens the box's sheet. A batch file is written into FEED only when
            two different operators have typed the same figures (the second does not see
            the first's). When they differ, nothing is written: a third operator opens the
            box and keeps one entry or types the differing fields again. Entries in
            progress are kept in FEED/.countnight-entry, field by field, so that several
            terminals can work on one feed and a terminal that stops loses nothing
            confirmed. Esc (with an empty filter) or Ctrl-C quits. See docs/entry.md.

            Examples:
              countnight enter /srv/count/feed --operator alice
              countnight enter /srv/count/feed --operator bob
              countnight enter /tmp/small-count --operator carol --single

            Exit status: 0 on Esc, Ctrl-C, SIGTERM or SIGHUP; 2 the feed cannot be used
            (invalid or missing election.json, an entry folder that cannot be made) or
            the terminal cannot show the form; 64 bad arguments; 128 + N ended by
            another signal N (SIGUSR1...), after giving the terminal back.
            """)

    @Argument(help: "The feed directory (holding election.json).")
    var feed: String

    @Option(name: .customLong("operator"), help: "Who is typing: recorded in every entry and batch (letters, digits, . _ -).")
    var operatorName: String

    @Flag(help: "One typing is enough: batches are written marked \"entry\": \"single\" (unconfirmed).")
    var single = false

    func validate() throws {
        if let problem = Identifier.problem(operatorName) { throw ValidationError("--operator \(operatorName): \(problem)") }
    }

    /// For `check`: the entries of a feed not yet written, and the single
    /// entries written unconfirmed, on standard error. Not problems of the
    /// feed, so they do not change check's exit status.
    static func reportEntries(feed: String) {
        guard let entries = EntryStore.existing(feed: feed)?.load() else { return }
        if entries.pendingBoxes > 0 {
            Output.error("entries pending: \(entries.pendingBoxes) box\(entries.pendingBoxes == 1 ? "" : "es") typed with countnight enter await a second typing or a resolution (not yet in the feed)")
        }
        if entries.unconfirmedSingles > 0 {
            Output.error("unconfirmed: \(entries.unconfirmedSingles) batch\(entries.unconfirmedSingles == 1 ? "" : "es") written from a single typing (enter --single)")
        }
        for problem in entries.problems { Output.error("entry folder: \(problem)") }
    }

    func run() throws {
        try Self.reportingErrors {
            if let reason = EntrySession.unusableReason() {
                throw FeedUnusable(message: "enter needs a terminal: \(reason)")
            }
            let desk: EntryDesk
            do {
                desk = try EntryDesk(feed: feed, operator: operatorName, single: single)
            } catch {
                throw FeedUnusable(message: "\(error)")
            }
            do {
                try EntrySession(desk: desk).run()
            } catch {
                throw FeedUnusable(message: "\(error)")
            }
        }
    }
}
