import CountNightCore
@_spi(Benchmark) import CountNightFeed
@_spi(Benchmark) import CountNightTerminal
import CountNightUI
import Foundation
import Testing

/// The dashboard's feed thread, without a terminal.
@Suite struct FeedWorkerTests {
    /// A feed of `boxes` boxes (300 unless said), each count at its own
    /// second, in a directory of its own.
    struct Feed {
        let directory: String
        let files: [(name: String, text: String)]
        let boxes: Int

        init(boxes: Int = 300) throws {
            directory = NSTemporaryDirectory() + "countnight-worker-" + UUID().uuidString
            self.boxes = boxes
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            files = (0..<boxes).map { box in
                let at = String(format: "2026-05-07T22:%02d:%02d+01:00", box / 60, box % 60)
                return ("count-B\(box).json", #"{"contest": "c", "kind": "count", "box": "B\#(box)", "at": "\#(at)", "votes": {"a": \#(100 + box % 7), "b": \#(90 + box % 11)}}"#)
            }
            try writeElection(title: "T")
        }

        /// Writes election.json with this title and these boxes (all unless said), as a feed should.
        func writeElection(title: String, boxes: Range<Int>? = nil) throws {
            let boxes = (boxes ?? 0..<self.boxes).map { #"{"id": "B\#($0)", "area": "A\#($0 / 30)", "electorate": 500}"# }.joined(separator: ",")
            try land(("election.json", #"{"format": "countnight-feed/1", "id": "t", "title": "\#(title)", "contests": [{"id": "c", "title": "C", "candidates": [{"id": "a", "name": "Al Ash"}, {"id": "b", "name": "Bo Birch"}], "boxes": [\#(boxes)]}]}"#))
        }

        /// Writes a batch file as a feed should: under another name, then renamed.
        func land(_ file: (name: String, text: String)) throws {
            try file.text.write(toFile: directory + "/." + file.name, atomically: false, encoding: .utf8)
            rename(directory + "/." + file.name, directory + "/" + file.name)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The models the worker hands the event loop, until one says `done`.
    func models(of worker: FeedWorker, until done: (DashboardModel) -> Bool) -> [DashboardModel] {
        var models: [DashboardModel] = []
        // A limit, not a timing: the worker reads at nice 5, and a machine
        // busy with the other tests can leave it waiting for a core.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            var fd = pollfd(fd: worker.wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 100)
            if let model = worker.take() {
                models.append(model)
                if done(model) { break }
            }
        }
        return models
    }

    /// A worker on the feed, started, for which every night is large: its
    /// trend is worked out on threads of their own, each waiting for `hold`.
    func heldWorker(_ feed: Feed, hold: DispatchSemaphore) throws -> FeedWorker {
        let worker = FeedWorker(reader: try FeedReader(directory: feed.directory), interval: 0.05, trendAtOnce: 0, trendHeldBy: hold)
        worker.start()
        return worker
    }

    /// Lets every thread still held go, and stops the worker.
    func finish(_ worker: FeedWorker, hold: DispatchSemaphore) {
        for _ in 0..<4 { hold.signal() }
        worker.stop()
    }

    /// The trend of the whole feed worked out at once.
    func wholeTrend(_ feed: Feed) throws -> [[TrendPoint]] {
        var whole = try FeedReader(directory: feed.directory)
        _ = whole.poll()
        return whole.state.tally.trendHistory()
    }

    @Test func aNightAlreadyReadShowsItsCountFirstAndItsTrendOnceWorkedOut() throws {
        let feed = try Feed()
        defer { feed.remove() }
        for file in feed.files.dropLast() { try feed.land(file) }
        // The trend held until the last count has landed.
        let hold = DispatchSemaphore(value: 0)
        let worker = try heldWorker(feed, hold: hold)
        defer { finish(worker, hold: hold) }
        let before = models(of: worker) { $0.snapshot.contests.first?.boxesCovered == 299 }
        let first = try #require(before.last)
        #expect(first.snapshot.contests[0].boxesCovered == 299)
        #expect(first.trendPending)
        try feed.land(feed.files.last!)
        let landed = models(of: worker) { $0.snapshot.contests[0].boxesCovered == 300 }
        // Counted at once, the trend still being worked out.
        #expect(try #require(landed.last).trendPending)
        hold.signal()
        let after = models(of: worker) { !$0.trendPending }
        let last = try #require(after.last)
        #expect(!last.trendPending)
        #expect(last.snapshot.contests[0].boxesCovered == 300)
        // The trend as though the whole night had been worked out at once.
        #expect(last.trend == (try wholeTrend(feed)))
        #expect(last.trend[0].count > 100)
    }

    @Test func aNewElectionJSONWhileTheTrendIsWorkedOutStartsItAgain() throws {
        let feed = try Feed()
        defer { feed.remove() }
        for file in feed.files.dropLast() { try feed.land(file) }
        let hold = DispatchSemaphore(value: 0)
        let worker = try heldWorker(feed, hold: hold)
        defer { finish(worker, hold: hold) }
        let before = models(of: worker) { $0.snapshot.contests.first?.boxesCovered == 299 }
        #expect(try #require(before.last).trendPending)
        // Every version is checked again against the new election.json,
        // which leaves out ten boxes: their counts are refused.
        try feed.writeElection(title: "T2", boxes: 10..<300)
        let renamed = models(of: worker) { $0.snapshot.title == "T2" }
        let new = try #require(renamed.last)
        #expect(new.snapshot.title == "T2")
        #expect(new.trendPending)
        try feed.land(feed.files.last!)
        // The trend of the first election, and then that of the second.
        hold.signal()
        hold.signal()
        let after = models(of: worker) { !$0.trendPending && $0.snapshot.contests[0].boxesCovered == 290 }
        let last = try #require(after.last)
        #expect(!last.trendPending)
        #expect(last.trend == (try wholeTrend(feed)))
        #expect(last.trend[0].count > 100)
    }

    @Test func entriesTypedJustAfterAModelAreShownInTheNext() throws {
        let feed = try Feed()
        defer { feed.remove() }
        // Models three seconds apart at least: the typing below comes before the next is due.
        let worker = FeedWorker(reader: try FeedReader(directory: feed.directory), interval: 0.05, modelInterval: 3)
        worker.start()
        defer { worker.stop() }
        #expect(!models(of: worker) { _ in true }.isEmpty)
        // The first typing of a box, within the least time between two models of the first.
        let desk = try EntryDesk(feed: feed.directory, operator: "alice", single: false)
        guard case .type(var entry, _, _, _) = try desk.open(contest: "c", box: "B1", kind: .count).get() else {
            Issue.record("alice was not given a sheet to type")
            return
        }
        entry.figures = ["votes.a": 100, "votes.b": 90]
        for reason in EntryForm.rejectionReasons { entry.figures["rejected.\(reason)"] = 0 }
        #expect(!desk.handIn(entry).problem)
        let shown = models(of: worker) { $0.pendingEntries == 1 }
        #expect(shown.last?.pendingEntries == 1)
    }

    @Test func aLargeReadIsShownAsItGoesAndTheNextModelEndsIt() throws {
        let feed = try Feed(boxes: 3000)
        defer { feed.remove() }
        for file in feed.files { try feed.land(file) }
        // Shown from 1,000 files, every time the reader tells how far it has
        // got; a poll every 30 s, or when nudged.
        let worker = FeedWorker(reader: try FeedReader(directory: feed.directory), interval: 30, modelInterval: 0, readingShownFrom: 1000)
        worker.start()
        defer { worker.stop() }
        let first = models(of: worker) { $0.reading == nil && $0.snapshot.contests.first?.boxesCovered == 3000 }
        let reading = first.compactMap(\.reading)
        #expect(reading == [FeedReading(filesRead: 1024, files: 3000), FeedReading(filesRead: 2048, files: 3000)]
            || reading == [FeedReading(filesRead: 2048, files: 3000)])
        // The figures shown meanwhile are those before the read.
        #expect(first.filter { $0.reading != nil }.allSatisfy { $0.snapshot.contests[0].boxesCovered == 0 })
        #expect(first.last?.reading == nil)
        // Every file written again the same, then one poll: all read again,
        // nothing changes, and the band still goes.
        for file in feed.files { try feed.land(file) }
        worker.nudge()
        let again = models(of: worker) { $0.reading != nil }
        #expect(again.last?.reading?.files == 3000)
        let after = models(of: worker) { $0.reading == nil }
        #expect(after.last?.reading == nil)
        #expect(after.last?.snapshot.contests[0].boxesCovered == 3000)
    }

    @Test func aSmallNightHasItsTrendInItsFirstModel() throws {
        let feed = try Feed()
        defer { feed.remove() }
        for file in feed.files { try feed.land(file) }
        let worker = FeedWorker(reader: try FeedReader(directory: feed.directory), interval: 0.05)
        worker.start()
        defer { worker.stop() }
        let taken = models(of: worker) { $0.snapshot.contests.first?.boxesCovered == 300 }
        let first = try #require(taken.first { $0.snapshot.contests.first?.boxesCovered == 300 })
        // 300 files: no read large enough to be shown as it goes.
        #expect(taken.allSatisfy { $0.reading == nil })
        #expect(!first.trendPending)
        #expect(first.trend == (try wholeTrend(feed)))
    }
}
