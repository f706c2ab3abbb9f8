import CountNightCore
import Foundation
import Testing
@testable import CountNightFeed

/// Headless mode tells a stale feed from a quiet one: every snapshot carries
/// when the last batch arrived and whether the feed answers, and one is
/// written when the directory goes and when it comes back (issue 13, item 8).
@Suite struct HeadlessWatchTests {
    @Test func aSnapshotIsWrittenWhenTheFeedGoesAndWhenItComesBack() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        var watch = HeadlessWatch(reader: try FeedReader(directory: feed.path), format: .jsonl)
        let first = try #require(watch.step(time: 100).line)
        #expect(first.contains(#""lastBatchAt":"1970-01-01T00:01:40Z","feed":{"answering":true}"#))
        // Quiet: nothing new to write.
        #expect(watch.step(time: 160).line == nil)
        // The directory goes (a lost mount): a snapshot saying so, the last batch's time kept.
        let moved = feed.path + ".away"
        try FileManager.default.moveItem(atPath: feed.path, toPath: moved)
        defer { try? FileManager.default.moveItem(atPath: moved, toPath: feed.path) }
        let gone = try #require(watch.step(time: 220).line)
        #expect(gone.contains(#""lastBatchAt":"1970-01-01T00:01:40Z","feed":{"answering":false,"problem":""#))
        #expect(watch.step(time: 280).line == nil)
        // Back: another, answering again.
        try FileManager.default.moveItem(atPath: moved, toPath: feed.path)
        let back = try #require(watch.step(time: 340).line)
        #expect(back.contains(#""feed":{"answering":true}"#))
        // A new batch moves lastBatchAt.
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 1, b: 5))
        #expect(try #require(watch.step(time: 400).line).contains(#""lastBatchAt":"1970-01-01T00:06:40Z""#))
    }

    @Test func aWinnerThatFlipsIsAnAlertInTheNextSnapshotOnly() throws {
        let feed = try TemporaryFeed()
        try feed.write("b1.json", TemporaryFeed.count("B1", a: 10, b: 5))
        try feed.write("b2.json", TemporaryFeed.count("B2", a: 10, b: 5))
        var watch = HeadlessWatch(reader: try FeedReader(directory: feed.path), format: .jsonl)
        #expect(try #require(watch.step(time: 1).line).contains(#""winners":["a"]"#))
        try feed.write("b2-recount.json", TemporaryFeed.count("B2", a: 10, b: 50, revision: 2))
        let flipped = try #require(watch.step(time: 2).line)
        #expect(flipped.contains(#""alerts":[{"kind":"elected-changed","banner":"RESULT CHANGED","contest":"c","message":"c: ELECTED A → ELECTED B"}]"#))
        // The alert is said once: the next change carries none.
        try feed.write("junk.json", "{")
        let next = try #require(watch.step(time: 3).line)
        #expect(next.contains(#""alerts":[{"kind":"new-problem""#))
        #expect(!next.contains("elected-changed"))
        var text = HeadlessWatch(reader: try FeedReader(directory: feed.path), format: .text)
        #expect(try #require(text.step(time: 4).line).contains("| last batch 1970-01-01T00:00:04Z"))
    }
}
