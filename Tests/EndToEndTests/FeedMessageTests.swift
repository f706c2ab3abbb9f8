import Foundation
import Testing

/// Issue 11, item 12: what `countnight check` tells a person about a bad
/// file says what is wrong with it, in the unit it is measured in, with the
/// limit; and a file is never lost without a word.
@Suite struct FeedMessageTests {
    @Test func checkNamesEachBadFileWithTheRightLimit() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("huge-number.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 9223372036854775808, "b": 1}}"#)
        let name33 = String(repeating: "é", count: 33)
        try feed.land("name33.json", #"{"contest": "c", "kind": "count", "box": "B2", "batch": "\#(name33)", "votes": {"a": 1, "b": 1}}"#)
        let name65 = String(repeating: "é", count: 65)
        try feed.land("name65.json", #"{"contest": "c", "kind": "count", "box": "B2", "batch": "\#(name65)", "votes": {"a": 1, "b": 1}}"#)
        let (status, out, _) = try RunningCommand.run(["check", feed.path])
        #expect(status == 1)
        #expect(out.split(separator: "\n").map(String.init) == [
            "huge-number.json: votes.a: 9223372036854775808 is too large: the most is 100,000,000",
            "name65.json: batch: is 65 characters long; a batch name has at most 64",
        ])
    }

    @Test func aFileWhoseNameIsNotUTF8IsRefusedWithItsNameShown() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let name: [UInt8] = Array("count-".utf8) + [0xFF] + Array("%1.json".utf8)
        let path = Array(feed.path.utf8) + [UInt8(ascii: "/")] + name
        try writeRaw(path, ScratchFeed.count("B1", a: 5, b: 3))
        // The feed's own clean-up goes by Swift strings, which cannot name this file.
        defer { _ = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { unlink($0.baseAddress!) } }
        let (status, out, _) = try RunningCommand.run(["check", feed.path])
        #expect(status == 1)
        #expect(out == "count-\u{FFFD}%1.json: the file's name is not UTF-8 (its bytes: count-%FF%251.json), so it is not read; rename it with a UTF-8 name\n")
        let (_, snapshot, _) = try RunningCommand.run(["snapshot", feed.path])
        #expect(snapshot.contains(#""countedBallots":0"#))
    }

    @Test func anOversizedElectionFileIsToldItsOwnLimit() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let padding = String(repeating: " ", count: 17_000_000 - ScratchFeed.twoBoxes.utf8.count)
        try feed.land("election.json", ScratchFeed.twoBoxes + padding)
        let (status, out, err) = try RunningCommand.run(["check", feed.path])
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.contains("election.json: the file is 17,000,000 bytes, over the 16 MiB limit for election.json"))
    }

    @Test func aSignedColourIsNotAColour() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes.replacingOccurrences(of: #""name": "Ann"}"#, with: ##""name": "Ann", "colour": "#+12345"}"##))
        let (status, _, err) = try RunningCommand.run(["check", feed.path])
        #expect(status == 2)
        #expect(err.contains(##"election.json: contests[0].candidates[0].colour: "#+12345" is not a colour; write it as #rrggbb, for example #6a3d9a"##))
    }

    private func writeRaw(_ path: [UInt8], _ text: String) throws {
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { Glibc.open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// Issue 11: a file edited in place without a higher revision was a
/// CONFLICT to a live watch and clean to `check`. Both now say the same.
@Suite(.serialized) struct InPlaceEditTests {
    @Test func headlessWatchAndCheckAgreeOnAFileEditedInPlace() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.1"])
        defer { watch.terminate() }
        #expect(watch.wait { watch.stdoutLines.count == 1 })
        try feed.land("b1.json", ScratchFeed.count("B1", a: 10, b: 5))
        #expect(watch.wait { watch.stdoutLines.count == 2 })
        try feed.land("b1.json", ScratchFeed.count("B1", a: 12, b: 5))
        #expect(watch.wait { watch.stdoutLines.count == 3 })
        let live = try snapshotObject(watch.stdoutLines[2])
        #expect(votes(contest(live)) == ["a": 12, "b": 5])
        #expect((live["conflicts"] as? [Any])?.isEmpty == true)
        #expect(watch.wait { watch.stderr.contains("b1.json: c count box=B1 revision 1 changed in place, without a higher revision: it counts as the file is now") })

        let (status, out, err) = try RunningCommand.run(["check", feed.path])
        #expect(status == 0)
        #expect(out.isEmpty)
        #expect(err.contains("0 refused, 0 in conflict"))
        let (_, snapshot, _) = try RunningCommand.run(["snapshot", feed.path])
        #expect(votes(contest(try snapshotObject(snapshot))) == ["a": 12, "b": 5])
    }
}
