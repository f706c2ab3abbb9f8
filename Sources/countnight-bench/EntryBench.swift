// `countnight-bench entry [--boxes N] [--runs R]`: keystrokes to a confirmed
// batch on screen with `countnight enter`, on a feed of N batch files.
//
// Two operators' desks on one feed, in this process, as two terminals: for
// each of R boxes the first operator types a verification and hands it in;
// then the second types the same figures, and the time is taken from the
// second operator's last Enter to the screen (the grid the terminal paints)
// showing the batch written: the key's handling, the batch checked and
// written (dot-name, then link), the feed polled, the entry folder read, the
// list of every box rebuilt and the screen drawn. Beside it, in the same run,
// a key that only moves the cursor in the list (the screen drawn again,
// nothing read or written): the ratio says what confirming costs above that.
import CountNightCore
import CountNightFeed
import CountNightTerminal
import CountNightUI
import Foundation

func entryBench(boxes: Int, runs: Int) {
    let directory = NSTemporaryDirectory() + "countnight-entry-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
        try makeFeed(at: directory, boxes: boxes)
    } catch {
        FileHandle.standardError.write(Data("cannot make the feed: \(error)\n".utf8))
        exit(2)
    }
    let alice: EntryDesk
    let bob: EntryDesk
    do {
        alice = try EntryDesk(feed: directory, operator: "alice", single: false)
        bob = try EntryDesk(feed: directory, operator: "bob", single: false)
    } catch {
        FileHandle.standardError.write(Data("cannot open the feed: \(error)\n".utf8))
        exit(2)
    }
    var confirm: [Double] = []
    var move: [Double] = []
    for run in 0..<runs {
        let box = "B\(run * 997 % boxes)"
        for (desk, timed) in [(alice, false), (bob, true)] {
            var state = EntryViewState()
            var model = EntrySession.model(desk, clock: "00:00:00")
            // A cursor move in the list, as the session handles it: the screen drawn again.
            var start = now()
            _ = EntryScreen.apply(.down, to: &state, model)
            _ = EntryScreen.render(model, state, width: 80, height: 24)
            if timed { move.append(now() - start) }
            EntrySession.perform(.open(contest: "c", box: box, kind: .verification), desk, &state)
            for key in "642" { _ = EntryScreen.apply(.character(key), to: &state, model) }
            EntrySession.perform(EntryScreen.apply(.enter, to: &state, model), desk, &state)
            start = now()
            let action = EntryScreen.apply(.enter, to: &state, model)
            EntrySession.perform(action, desk, &state)
            model = EntrySession.model(desk, clock: "00:00:00")
            let grid = EntryScreen.render(model, state, width: 80, height: 24)
            if timed {
                confirm.append(now() - start)
                guard grid.text.contains("Written c-verification-\(box)-r1.json") else {
                    FileHandle.standardError.write(Data("the batch of \(box) was not written: \(state.message ?? "")\n".utf8))
                    exit(1)
                }
            }
        }
    }
    say("batch files | runs | confirm median ms | confirm slowest ms | cursor move median ms | ratio")
    say(String(format: "%d | %d | %.1f | %.1f | %.1f | %.1f", boxes, runs, median(confirm) * 1000, confirm.max()! * 1000,
               median(move) * 1000, median(confirm) / median(move)))
}
