import CountNightCore
import Foundation
import Testing
@testable import CountNightFeed

/// A journal on a disk that fills up: the entry that did not fit is lost and
/// said to be, the next one starts on a fresh line, and a replay keeps every
/// whole entry. Needs a small tmpfs of its own (root, and a system that lets
/// it mount one).
enum SmallDisk {
    /// Whether this process may mount a tmpfs of its own.
    static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = NSTemporaryDirectory() + "countnight-mount-probe-" + UUID().uuidString
        guard mkdir(probe, 0o700) == 0 else { return false }
        defer { rmdir(probe) }
        guard mount("tmpfs", probe, "tmpfs", 0, "size=8k") == 0 else { return false }
        umount(probe)
        return true
    }()
}

@Suite(.enabled(if: SmallDisk.canMount, "cannot mount a small tmpfs here (not root, or not allowed): the full-disk journal test is skipped"))
struct FullDiskJournalTests {
    @Test func theEntryAfterAFailedWriteStartsOnAFreshLine() throws {
        let disk = NSTemporaryDirectory() + "countnight-full-" + UUID().uuidString
        #expect(mkdir(disk, 0o700) == 0)
        defer { rmdir(disk) }
        try #require(mount("tmpfs", disk, "tmpfs", 0, "size=16k") == 0)
        defer { umount(disk) }
        // Half the disk taken by something else.
        let filler = disk + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: 8192)))
        let path = disk + "/night.journal"
        let writer = try JournalWriter(path: path)
        #expect(writer.append(NightEntry(time: 1, file: "election.json", change: .version(Array(TemporaryFeed.election.utf8)))))
        // Entries of about 1,500 bytes until one does not fit.
        let padding = String(repeating: "x", count: 1400)
        var written: [String] = []
        for index in 1...20 {
            let name = "b\(index).json"
            let json = #"{"contest": "c", "kind": "verification", "box": "B1", "batch": "\#(index)", "ballotPapers": 10, "note": "\#(padding)"}"#
            guard writer.append(NightEntry(time: Double(1 + index), file: name, change: .version(Array(json.utf8)))) else { break }
            written.append(name)
        }
        #expect(writer.lost == 1)
        #expect(writer.lossReport?.contains("No space left on device") == true, "\(writer.lossReport ?? "")")
        #expect(writer.lossReport?.hasSuffix("1 entry not recorded, the journal lacks them") == true)
        // Room again: the next entry is whole, on a line of its own.
        unlink(filler)
        #expect(writer.append(NightEntry(time: 50, file: "after.json", change: .version(Array(TemporaryFeed.count("B2", a: 1, b: 2).utf8)))))
        let night = try RecordedNight.load(path)
        #expect(night.entries.map(\.file) == written + ["after.json"])
        #expect(written.count >= 2)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).last == "")
        // The failed write left part of a line (the disk's last page filled
        // up mid-entry): one torn line, named, and nothing else lost.
        #expect(night.problems == ["line \(written.count + 2): torn (a write cut short, as on a full disk); skipped"])
    }
}
