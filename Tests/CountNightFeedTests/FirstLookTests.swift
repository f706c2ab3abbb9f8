import CountNightCore
import Foundation
import Testing
@_spi(Benchmark) @testable import CountNightFeed

/// The look taken at the opening: its order of names, and the first poll
/// it lists for when every batch file is plain.
@Suite struct FirstLookTests {
    static func entries(_ names: [String]) -> [OpenDirectory.Entry] {
        names.map { OpenDirectory.Entry(name: $0, mayBeRegular: true, typeKnown: true, nameProblem: nil) }
    }

    /// Names alike in their first sixteen bytes, names that are prefixes of
    /// others, digits and capitals: ordered as strings order them.
    @Test func asciiNamesAreInTheOrderOfStrings() {
        let names = ["count-10.json", "count-9.json", "count-100000.json", "count-1000000000-a.json", "count-1000000000-b.json",
                     "count-1000000000.json", "count-100000000", "count-10000000", "Count-1.json", "c", "", "count-1.json~",
                     "a-long-common-prefix-2.json", "a-long-common-prefix-10.json", "a-long-common-prefix.json", "zz", "z z", "z\u{7F}"]
        let entries = Self.entries(names.shuffled())
        let sorted = OpenDirectory.nameOrder(entries).map { entries[$0].name }
        #expect(sorted == names.sorted())
        #expect(sorted.first == "")
        #expect(sorted.last == "z\u{7F}")
    }

    /// One name beyond ASCII and every name is compared as a string, whose
    /// order is not that of the bytes for names not in composed form.
    @Test func otherNamesAreInTheOrderOfStringsToo() {
        let names = ["e\u{301}-2.json", "\u{E9}-1.json", "e-3.json", "f.json", "count-1.json", "Ω.json"]
        let entries = Self.entries(names.shuffled())
        let sorted = OpenDirectory.nameOrder(entries).map { entries[$0].name }
        #expect(sorted == names.sorted())
    }

    static func election(boxes: Int) -> String {
        let list = (1...boxes).map { #"{"id": "B\#($0)", "area": "X", "electorate": 500}"# }.joined(separator: ", ")
        return """
            {"format": "countnight-feed/1", "id": "look-test", "title": "Look Test",
             "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [\(list)]}]}
            """
    }

    /// More files than the look reads for certain, under names that sort
    /// differently as numbers, as bytes and by length.
    static func feed(boxes: Int) throws -> (TemporaryFeed, names: [String]) {
        let feed = try TemporaryFeed(election: election(boxes: boxes))
        var names: [String] = []
        for box in 1...boxes {
            let name = switch box % 3 {
            case 0: "count-\(box).json"
            case 1: "a-long-common-prefix-\(box).json"
            default: "z\(box).json"
            }
            try feed.write(name, TemporaryFeed.count("B\(box)", a: box, b: 1))
            names.append(name)
        }
        return (feed, names)
    }

    /// The first poll of plain batch files goes by the look's list: every
    /// file counted once, its event in name order, as the poll that lists
    /// the directory itself gives them.
    @Test func theFirstPollOfPlainFilesCountsEachOnceInNameOrder() throws {
        let boxes = FirstLook.fewest + 44
        let (feed, names) = try Self.feed(boxes: boxes)
        var reader = try FeedReader(directory: feed.path, reading: .once)
        let events = reader.poll()
        #expect(events.compactMap { if case .count(.batch(let event)) = $0 { event.file } else { nil } } == names.sorted())
        let counted = reader.snapshot(time: 0).contests[0]
        #expect(counted.candidates.map(\.votes).sorted() == [boxes, boxes * (boxes + 1) / 2])
        #expect(reader.filesRead == boxes)
        #expect(reader.snapshot(time: 0).refusedFiles.isEmpty)

        // A link among them: the poll lists the directory itself, with the same result.
        try FileManager.default.createSymbolicLink(atPath: feed.path + "/link.json", withDestinationPath: feed.path + "/z2.json")
        var listing = try FeedReader(directory: feed.path, reading: .once)
        let listed = listing.poll().compactMap { if case .count(.batch(let event)) = $0 { event.file } else { nil } }
        #expect(listed.filter { $0 != "link.json" } == names.sorted())
        #expect(listed.contains("link.json"))
        #expect(listing.snapshot(time: 0).contests[0].candidates.map(\.votes) == counted.candidates.map(\.votes))
    }

    /// Many more files than the readers may hold at once (small chunks):
    /// the slots they fill are used in turn, and every file comes out once,
    /// in order, with its own bytes.
    @Test func filesReadByTheWorkersComeOutOnceInOrder() throws {
        let (feed, names) = try Self.feed(boxes: 300)
        let sorted = names.sorted()
        let open = try OpenDirectory(feed.path)
        var merged: [(name: String, bytes: Int)] = []
        FeedReader.readAll(sorted, in: open, chunkSize: 2, prepare: { name, bytes in name.utf8.count + bytes.count }) { read in
            guard case .success(let (prepared, _, bytes)?) = read.result else { return }
            #expect(prepared == read.name.utf8.count + bytes.count)
            merged.append((read.name, bytes.count))
        }
        #expect(merged.map(\.name) == sorted)
        for (name, count) in merged {
            let expected = try Data(contentsOf: URL(fileURLWithPath: feed.path + "/" + name)).count
            #expect(count == expected, "\(name)")
        }
    }

    /// A replay of the directory takes the same files from the look.
    @Test func aReplayOfPlainFilesHasEveryFile() throws {
        let (feed, names) = try Self.feed(boxes: FirstLook.fewest + 10)
        let night = try RecordedNight.load(feed.path)
        #expect(night.entries.map(\.file).sorted() == names.sorted())
    }

    /// Batches that say the same time play in the order of their files'
    /// names, written in another order; a later time plays after them.
    @Test func aReplayPlaysFilesOfTheSameTimeInNameOrder() throws {
        let feed = try TemporaryFeed(election: Self.election(boxes: 40))
        func count(_ box: Int, at time: String) -> String {
            #"{"contest": "c", "kind": "count", "box": "B\#(box)", "votes": {"a": 1, "b": 2}, "at": "\#(time)"}"#
        }
        var names: [String] = []
        for box in (1...39).shuffled() {
            let name = box % 2 == 0 ? "count-\(box).json" : "z-\(box).json"
            try feed.write(name, count(box, at: "2026-05-07T23:00:00+01:00"))
            names.append(name)
        }
        try feed.write("a-late.json", count(40, at: "2026-05-07T23:05:00+01:00"))
        let played = try RecordedNight.load(feed.path).entries.map(\.file)
        #expect(played == names.sorted() + ["a-late.json"])
    }
}
