import CountNightCore
import Foundation
import Synchronization

/// The feed directory listed, and the first of its batch files read, on a
/// thread of its own while the reader parses election.json and until the
/// first poll: on a large feed that parse is a tenth of a second of one
/// core, with the other idle and the files waiting. The first poll takes the look as a whole examination
/// made when the reader was opened (`FeedReader`), and examines what the
/// system names as changed since, as any poll does.
///
/// The look only reads bytes: parsing and checking a file need the election,
/// and are done at the first poll as for any file read then.
final class FirstLook: @unchecked Sendable {
    /// The directory's entries, in name order: kept only when the first poll
    /// needs them (not `plain`); otherwise the listing is let go on the look's thread.
    private var entries: [OpenDirectory.Entry] = []
    /// The names of the batch files the look may read, in name order: those
    /// of regular files with UTF-8 names.
    private var candidates: [String] = []
    /// Every batch file's name is UTF-8 and the directory says each is a
    /// regular file: the candidates are then the first poll's whole list,
    /// and the polling thread has nothing to look at before reading them.
    private var plain = false
    /// The first candidates in name order, by index in `candidates`, and what
    /// reading each gave; only files read whole are kept (see `reads(for:)`).
    private var reads: [(index: Int, read: FileSystem.Read?)] = []
    private let stopping = Atomic<Bool>(false)
    /// The reader was not made (election.json refused): list and read nothing more.
    private let cancelled = Atomic<Bool>(false)
    private let ended = DispatchSemaphore(value: 0)

    /// The most the look holds: some 64 MiB counting each file's bytes and
    /// what keeping them costs. A million-box election.json takes over a
    /// second to parse; the files read meanwhile wait in memory.
    static let mostBytes = 64 << 20
    /// The look reads at least this many files, stopped or not, so that a
    /// small feed is read the same way whichever thread is quicker.
    static let fewest = 256
    private static let keepingCost = 96

    init(_ directory: OpenDirectory) {
        let thread = Thread { [self] in
            defer { ended.signal() }
            if cancelled.load(ordering: .relaxed) { return }
            // In name order, so that the first poll's files come out in the
            // order they are read in, and need no sorting on the polling thread.
            let listed = directory.entries()
            if cancelled.load(ordering: .relaxed) { return }
            let order = OpenDirectory.nameOrder(listed)
            plain = true
            candidates.reserveCapacity(listed.count)
            for index in order where FeedReader.isBatchFileName(listed[index].name) {
                if listed[index].typeKnown && listed[index].nameProblem == nil {
                    candidates.append(listed[index].name)
                } else {
                    plain = false
                }
            }
            // The listing is let go here, while the polling thread still
            // parses election.json, unless the first poll needs it.
            if !plain { entries = order.map { listed[$0] } }
            var held = 0
            for (index, name) in candidates.enumerated() {
                if held >= Self.mostBytes || cancelled.load(ordering: .relaxed)
                    || reads.count >= Self.fewest && stopping.load(ordering: .relaxed) { break }
                let read = FileSystem.read(in: directory, name, limit: .batch)
                // A file that could not be read whole is read again at the
                // first poll, and its stamp taken then: kept from here, a stamp
                // taken at the poll would hide a repair made in between.
                guard case .success(let file?) = read else { continue }
                held += file.bytes.count + Self.keepingCost
                reads.append((index, read))
            }
        }
        thread.stackSize = Thread.workStackSize
        thread.start()
    }

    /// Tells the thread to read no more files (it still finishes the
    /// listing, and the first few files); what it read stays.
    func stopReading() { stopping.store(true, ordering: .relaxed) }

    /// The reader was not made: the thread stops as soon as it can.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Not used (the first poll could not trust it): stops the thread and
    /// lets go of what it listed and read.
    func discard() {
        cancel()
        waitForEnd()
        entries = []
        candidates = []
        reads = []
    }

    /// The directory's entries, once the thread has ended (it reads no
    /// more files once asked); handed over, not kept.
    func listing() -> [OpenDirectory.Entry] {
        stopReading()
        waitForEnd()
        defer { entries = [] }
        // Let go when the batch files were all plain: the other names are no
        // batch files, which is all a listing is read for.
        if plain { return candidates.map { OpenDirectory.Entry(name: $0, mayBeRegular: true, typeKnown: true, nameProblem: nil) } }
        return entries
    }

    /// When every batch file is plain (see `plain`): their names in name
    /// order, and what the look read of them by index; nil otherwise.
    /// Handed over, not kept.
    func plainBatchFiles() -> (names: [String], early: Slots<FileSystem.Read>)? {
        stopReading()
        waitForEnd()
        guard plain else { return nil }
        let early = Slots<FileSystem.Read>(count: (reads.last?.index ?? -1) + 1)
        for (index, read) in reads { if let read { early.set(index, read) } }
        reads = []
        defer { candidates = [] }
        return (candidates, early)
    }

    /// How many files the look read, once its thread has ended.
    var filesRead: Int {
        waitForEnd()
        return reads.count
    }

    /// What the look read of `sorted` (names in sorted order), by index;
    /// handed over, not kept: a name it did not read is read then.
    /// The slots reach only as far as the last name it read.
    func reads(for sorted: [String]) -> Slots<FileSystem.Read> {
        waitForEnd()
        defer { reads = [] }
        var found: [(index: Int, at: Int)] = []
        found.reserveCapacity(reads.count)
        var at = 0
        for (index, name) in sorted.enumerated() {
            while at < reads.count && candidates[reads[at].index] < name { at += 1 }
            guard at < reads.count else { break }
            if candidates[reads[at].index] == name { found.append((index, at)) }
        }
        let early = Slots<FileSystem.Read>(count: (found.last?.index ?? -1) + 1)
        for (index, at) in found {
            if let read = reads[at].read.take() { early.set(index, read) }
        }
        return early
    }

    /// Waits for the thread to end; any thread may wait, any number of
    /// times (the semaphore is signalled again for the next).
    private func waitForEnd() {
        ended.wait()
        ended.signal()
    }
}
