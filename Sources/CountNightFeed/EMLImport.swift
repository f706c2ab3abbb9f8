import CountNightCore
import Glibc

/// EML 510 count files made into a feed directory (docs/import.md): one
/// party-list contest per EML contest, a box per polling station, a count
/// and a verification per station, checked against the files' own totals
/// before anything is written.
public enum EMLImport {
    public struct Options: Sendable {
        public var seats: Int?
        public var method: ListMethod

        public init(seats: Int? = nil, method: ListMethod = .dhondt) {
            self.seats = seats
            self.method = method
        }
    }

    /// What was written, for the command to report.
    public struct Summary: Equatable, Sendable {
        public var contests: [(id: String, lists: Int, boxes: Int, valid: Int, rejected: Int)]
        public var files: Int
        /// Boxes written without an electorate (Cast 0, or fewer than the papers).
        public var boxesWithoutElectorate: Int

        public static func == (a: Summary, b: Summary) -> Bool {
            a.files == b.files && a.boxesWithoutElectorate == b.boxesWithoutElectorate
                && a.contests.map(\.id) == b.contests.map(\.id) && a.contests.map(\.valid) == b.contests.map(\.valid)
        }
    }

    /// The feed's files (election.json first), in memory.
    public static func feed(_ counts: [EMLCount], options: Options) throws(EMLError) -> (files: [(name: String, bytes: [UInt8])], summary: Summary) {
        guard let first = counts.first else { throw EMLError(file: "", line: nil, message: "no file to import") }
        for count in counts.dropFirst() where count.electionID != first.electionID {
            throw EMLError(file: count.file, line: nil, message: "is of election \(count.electionID), and \(first.file) of \(first.electionID): import one election at a time")
        }
        let seats: Int
        if let given = options.seats {
            seats = given
        } else if first.category == "TK" {
            seats = 150
        } else if first.category == "EK" {
            seats = 75
        } else {
            throw EMLError(file: first.file, line: nil, message: "an EML 510 file does not say how many seats there are: give them with --seats")
        }

        // Contests by id across the files, each file's stations an area.
        struct Merged {
            var contest: EMLContest
            var units: [(unit: EMLUnit, area: String, file: String)]
            var total: EMLVotes
        }
        var merged: [Merged] = []
        for count in counts {
            let area = count.authorityName.flatMap { $0.isEmpty ? nil : $0 } ?? count.authorityID ?? count.file
            for contest in count.contests {
                if let index = merged.firstIndex(where: { $0.contest.id == contest.id }) {
                    let known = merged[index].contest.total.lists.map { [$0.id, $0.name] }
                    guard contest.total.lists.map({ [$0.id, $0.name] }) == known else {
                        throw EMLError(file: count.file, line: nil, message: "contest \(contest.id) has other lists than in \(merged[index].units[0].file)")
                    }
                    merged[index].units += contest.units.map { ($0, area, count.file) }
                    merged[index].total = add(merged[index].total, contest.total)
                } else {
                    merged.append(Merged(contest: contest, units: contest.units.map { ($0, area, count.file) }, total: contest.total))
                }
            }
        }

        var files: [(name: String, bytes: [UInt8])] = []
        var summary = Summary(contests: [], files: 0, boxesWithoutElectorate: 0)
        var election = JSONWriter()
        var contestIDs = Set<String>()
        var batches: [(name: String, bytes: [UInt8])] = []
        var boxIDs = Set<String>()
        election.object { e in
            e.key("format"); e.string(Election.format)
            e.key("id"); e.string(identifier(first.electionID, fallback: "election"))
            e.key("title"); e.string(first.electionName.isEmpty ? first.electionID : first.electionName)
            e.key("contests"); e.array { list in
                for entry in merged {
                    let contestID = unique(identifier(entry.contest.id, fallback: "contest"), in: &contestIDs)
                    let lists = entry.total.lists
                    let listIDs = lists.map { "list-" + identifier($0.id, fallback: "x") }
                    list.object { c in
                        c.key("id"); c.string(contestID)
                        c.key("title"); c.string(entry.contest.name ?? (first.electionName.isEmpty ? contestID : first.electionName))
                        c.key("system"); c.string("list")
                        c.key("seats"); c.int(seats)
                        c.key("method"); c.string(options.method.rawValue)
                        if let cast = entry.total.cast, cast > 0 {
                            c.key("electorate"); c.int(cast)
                        }
                        c.key("candidates"); c.array { candidates in
                            for (index, item) in lists.enumerated() {
                                candidates.object { k in
                                    k.key("id"); k.string(listIDs[index])
                                    k.key("name"); k.string(item.name.isEmpty ? "list \(item.id)" : item.name)
                                }
                            }
                        }
                        c.key("boxes"); c.array { boxes in
                            for (unit, area, _) in entry.units {
                                let boxID = unique(identifier(unit.id, fallback: "box"), in: &boxIDs)
                                let valid = unit.votes.lists.reduce(0) { $0 + $1.votes }
                                let rejected = unit.votes.rejected.reduce(0) { $0 + $1.count }
                                let papers = max(valid + rejected, unit.votes.admitted ?? 0)
                                boxes.object { b in
                                    b.key("id"); b.string(boxID)
                                    b.key("area"); b.string(area)
                                    // Cast is the station's electorate; 0 or fewer than its papers
                                    // (voters may vote at any station) is no electorate.
                                    if let cast = unit.votes.cast, cast > 0, cast >= papers {
                                        b.key("electorate"); b.int(cast)
                                    } else {
                                        summary.boxesWithoutElectorate += 1
                                    }
                                }
                                batches.append(("count-\(boxID).json", countBatch(contestID, boxID, unit, listIDs: listIDs, lists: lists)))
                                if let admitted = unit.votes.admitted {
                                    var v = JSONWriter()
                                    v.object { o in
                                        o.key("contest"); o.string(contestID)
                                        o.key("kind"); o.string("verification")
                                        o.key("box"); o.string(boxID)
                                        o.key("ballotPapers"); o.int(admitted)
                                    }
                                    batches.append(("verification-\(boxID).json", Array(v.text.utf8)))
                                }
                            }
                        }
                    }
                    summary.contests.append((contestID, lists.count, entry.units.count, entry.total.totalCounted ?? 0,
                                             entry.total.rejected.reduce(0) { $0 + $1.count }))
                }
            }
        }
        // Stations must name the file's lists, and only those.
        for entry in merged {
            let known = entry.total.lists.map(\.id)
            for (unit, _, file) in entry.units where unit.votes.lists.map(\.id) != known {
                let missing = known.filter { id in !unit.votes.lists.contains { $0.id == id } }
                let extra = unit.votes.lists.map(\.id).filter { !known.contains($0) }
                let what = !extra.isEmpty ? "list \(extra[0]), which its <TotalVotes> does not have"
                    : !missing.isEmpty ? "no votes for list \(missing[0])" : "the lists in another order than its <TotalVotes>"
                throw EMLError(file: file, line: unit.line, message: "polling station \(unit.id) has \(what)")
            }
        }
        files.append((ElectionFile.name, Array(election.text.utf8)))
        files += batches
        summary.files = files.count
        return (files, summary)
    }

    private static func countBatch(_ contest: String, _ box: String, _ unit: EMLUnit, listIDs: [String], lists: [EMLVotes.List]) -> [UInt8] {
        var out = JSONWriter()
        out.object { o in
            o.key("contest"); o.string(contest)
            o.key("kind"); o.string("count")
            o.key("box"); o.string(box)
            o.key("votes"); o.object { v in
                for (index, list) in lists.enumerated() {
                    v.key(escaping: listIDs[index]); v.int(unit.votes.lists.first { $0.id == list.id }?.votes ?? 0)
                }
            }
            let rejected = unit.votes.rejected.filter { $0.count > 0 }
            if !rejected.isEmpty {
                o.key("rejected"); o.object { r in for entry in rejected { r.key(escaping: entry.reason); r.int(entry.count) } }
            }
        }
        return Array(out.text.utf8)
    }

    private static func add(_ a: EMLVotes, _ b: EMLVotes) -> EMLVotes {
        var sum = a
        for index in sum.lists.indices { sum.lists[index].votes += b.lists[index].votes }
        sum.cast = (a.cast ?? 0) + (b.cast ?? 0)
        sum.totalCounted = (a.totalCounted ?? 0) + (b.totalCounted ?? 0)
        for entry in b.rejected {
            if let index = sum.rejected.firstIndex(where: { $0.reason == entry.reason }) { sum.rejected[index].count += entry.count }
            else { sum.rejected.append(entry) }
        }
        return sum
    }

    /// An EML id as a feed id: characters other than `A-Z a-z 0-9 . _ -`
    /// become `-` (`0668::SB1` is `0668-SB1`), at most 64.
    static func identifier(_ text: String, fallback: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let ok = scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
            if ok { out.unicodeScalars.append(scalar) } else if !out.hasSuffix("-") { out += "-" }
        }
        let trimmed = String(out.prefix(64))
        return trimmed.isEmpty || trimmed == "-" ? fallback : trimmed
    }

    private static func unique(_ id: String, in used: inout Set<String>) -> String {
        var candidate = id
        var n = 2
        while used.contains(candidate) {
            candidate = String(id.prefix(60)) + "-\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// Every way the feed's snapshot differs from the files' own totals:
    /// each list's votes, the rejected ballots by reason, the valid votes.
    /// Empty when they reconcile exactly.
    public static func differences(_ snapshot: Snapshot, _ counts: [EMLCount], summary: Summary) -> [String] {
        var problems = snapshot.refusedFiles.map { "\($0.file) refused: \($0.reason)" }
        problems += snapshot.conflicts.map { "conflict: \($0.identity)" }
        var totals: [String: EMLVotes] = [:]
        var order: [String] = []
        for count in counts {
            for contest in count.contests {
                if let known = totals[contest.id] { totals[contest.id] = add(known, contest.total) } else {
                    totals[contest.id] = contest.total
                    order.append(contest.id)
                }
            }
        }
        for (index, id) in order.enumerated() where index < snapshot.contests.count {
            let expected = totals[id]!
            let contest = snapshot.contests[index]
            for list in expected.lists {
                let got = contest.candidates.first { $0.id == "list-" + identifier(list.id, fallback: "x") }?.votes ?? -1
                if got != list.votes { problems.append("contest \(id), list \(list.id): \(got) votes in the feed, \(list.votes) in <TotalVotes>") }
            }
            if let counted = expected.totalCounted, counted != contest.valid {
                problems.append("contest \(id): \(contest.valid) valid votes in the feed, <TotalCounted> \(counted)")
            }
            for entry in expected.rejected {
                let got = contest.rejectedByReason.first { $0.reason == entry.reason }?.count ?? 0
                if got != entry.count { problems.append("contest \(id), rejected \"\(entry.reason)\": \(got) in the feed, \(entry.count) in <TotalVotes>") }
            }
            let extra = contest.rejectedByReason.filter { entry in entry.count > 0 && !expected.rejected.contains { $0.reason == entry.reason } }
            problems += extra.map { "contest \(id), rejected \"\($0.reason)\": \($0.count) in the feed, none in <TotalVotes>" }
        }
        return problems
    }

    /// Writes the feed into `directory` (absent, or an empty directory):
    /// first into a temporary directory beside it, which is read back as a
    /// feed and checked against the files' totals, then renamed into place.
    /// On any error nothing is left behind.
    public static func write(_ files: [(name: String, bytes: [UInt8])], into directory: String,
                             check: (Snapshot) -> [String]) throws(EMLError) {
        let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        let slash = trimmed.lastIndex(of: "/")
        let parent = slash.map { String(trimmed[..<$0]) } ?? "."
        let base = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        let temporary = (parent.isEmpty ? "" : parent + "/") + ".\(base).importing-\(getpid())"
        guard mkdir(temporary, 0o755) == 0 else {
            throw EMLError(file: directory, line: nil, message: "cannot make \(temporary): \(String(cString: strerror(errno)))")
        }
        func removeTemporary() {
            for file in files { unlink(temporary + "/" + file.name) }
            rmdir(temporary)
        }
        do {
            for file in files { try FileWriting.land(file.bytes, as: file.name, in: temporary) }
        } catch {
            removeTemporary()
            throw EMLError(file: directory, line: nil, message: error.description)
        }
        var reader: FeedReader
        do {
            reader = try FeedReader(directory: temporary, reading: .once)
        } catch {
            removeTemporary()
            throw EMLError(file: directory, line: nil, message: "the feed made is not valid: \(error.problem)")
        }
        _ = reader.poll()
        let problems = check(reader.snapshot(time: 0))
        if !problems.isEmpty {
            removeTemporary()
            throw EMLError(file: directory, line: nil, message: "the feed does not reconcile with the files' own totals, so nothing was written: " + problems.prefix(5).joined(separator: "; "))
        }
        guard rename(temporary, trimmed) == 0 else {
            let error = errno
            removeTemporary()
            throw EMLError(file: directory, line: nil, message: "cannot rename \(temporary) to \(directory): \(String(cString: strerror(error)))")
        }
    }
}
