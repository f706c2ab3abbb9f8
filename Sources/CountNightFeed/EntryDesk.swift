import CountNightCore

/// One operator's place at the entry of a feed: the feed as read, the
/// entries kept beside it, and what the operator does with them. Several
/// desks (terminals) on one feed share the entry folder; nothing is held in
/// memory that another desk needs.
public final class EntryDesk {
    public let store: EntryStore
    public private(set) var reader: FeedReader
    public let operatorName: String
    /// `--single`: a first entry handed in is written without a second.
    public let single: Bool
    public private(set) var board = EntryBoard()
    private let now: () -> Double

    /// What opening a box's sheet leads to.
    public enum Opening: Equatable {
        /// Type (or carry on) this operator's entry; the sheet asks for a
        /// reason first when `needsReason` (a correction).
        case type(Entry, needsReason: Bool, verifiedPapers: Int?, usualSize: Int?)
        /// Resolve a mismatch of two others' entries.
        case resolve(first: Entry, second: Entry, differing: [EntryField])
    }

    /// What came of an action, said to the operator; `problem` when it did
    /// not go through.
    public struct Outcome: Equatable {
        public let message: String
        public let problem: Bool
        /// The batch file written by this action, if one was.
        public let written: String?
    }

    public init(feed: String, operator name: String, single: Bool, now: @escaping () -> Double = WallClock.now) throws(ElectionFileError) {
        reader = try FeedReader(directory: feed)
        do {
            store = try EntryStore(feed: feed)
        } catch {
            throw ElectionFileError(file: feed + "/" + EntryStore.folderName, problem: "the feed cannot hold entries: \(error.message)")
        }
        operatorName = name
        self.single = single
        self.now = now
        refresh()
    }

    public var election: Election { reader.election }

    /// Reads what changed in the feed and the entries again, and writes any
    /// batch that two entries agree on but that is not written yet (a
    /// terminal that stopped between hand-in and writing). Returns the batch
    /// files written.
    @discardableResult
    public func refresh() -> [String] {
        _ = reader.poll()
        board = store.load()
        var written: [String] = []
        for (target, entries) in board.targets where !board.written.contains(target) {
            switch phase(target, entries) {
            case .agreed, .resolved, .single:
                if let file = settle(target).written { written.append(file) }
            default: break
            }
        }
        return written
    }

    public func form(_ target: EntryTarget) -> EntryForm? {
        election.contests.first { $0.id == target.contest }.map { EntryForm(contest: $0, kind: target.kind) }
    }

    public func phase(_ target: EntryTarget, _ entries: TargetEntries) -> EntryPhase {
        guard let form = form(target) else { return .open }
        return EntryRules.phase(first: entries.first, second: entries.second, resolution: entries.resolution,
                                single: entries.single, form: form)
    }

    /// The revision in force in the feed for a box's batch of a kind.
    public func revisionInForce(contest: String, box: String, kind: Batch.Kind) -> Int? {
        guard let contestIndex = election.contestIndex(contest), let boxIndex = election.contests[contestIndex].boxIndex(box) else { return nil }
        return reader.tally.revisionInForce(BatchIdentity(contest: contestIndex, kind: kind, target: .box(boxIndex)))
    }

    /// The target the next entry of a box goes to: an entry under way, or
    /// the revision after the one written (in the feed or by a desk whose
    /// file the feed has not been read for yet).
    public func currentTarget(contest: String, box: String, kind: Batch.Kind) -> (target: EntryTarget, underWay: Bool) {
        let mine = board.targets.keys.filter { $0.contest == contest && $0.box == box && $0.kind == kind }
        let written = mine.filter { board.written.contains($0) }.map(\.revision).max()
        let known = max(revisionInForce(contest: contest, box: box, kind: kind) ?? 0, written ?? 0)
        if let open = mine.filter({ !board.written.contains($0) && $0.revision > known }).max(by: { $0.revision < $1.revision }) {
            return (open, true)
        }
        return (EntryTarget(contest: contest, kind: kind, box: box, revision: EntryRules.nextRevision(inForce: known == 0 ? nil : known)), false)
    }

    /// Opens a box's sheet of a kind for this operator: takes the free
    /// entry (atomically: two desks cannot both take it), or carries on this
    /// operator's, or shows a mismatch to a third person.
    public func open(contest: String, box: String, kind: Batch.Kind) -> Result<Opening, EntryProblem> {
        guard kind == .verification || kind == .count else { return .failure(EntryProblem("only verifications and counts are typed here")) }
        guard let contestIndex = election.contestIndex(contest), let boxIndex = election.contests[contestIndex].boxIndex(box) else {
            return .failure(EntryProblem("box \(box) is not in contest \(contest) of election.json"))
        }
        let area = election.contests[contestIndex].areaOfBox[boxIndex]
        if kind == .count, reader.tally.bundleBallots(contest: contestIndex, area: area) > 0 {
            let name = election.contests[contestIndex].areas[area].label
            return .failure(EntryProblem("\(name) is counted in bundles of mixed ballots: a count of box \(box) alone would count its ballots twice (type its verification here; bundles are written as files)"))
        }
        board = store.load()
        // Two tries: another desk may take the free role between looking and claiming.
        for _ in 0..<2 {
            let (target, _) = currentTarget(contest: contest, box: box, kind: kind)
            let entries = board.targets[target] ?? TargetEntries()
            let form = EntryForm(contest: election.contests[contestIndex], kind: kind)
            let task = EntryRules.task(for: operatorName, first: entries.first, second: entries.second, resolution: entries.resolution,
                                       single: entries.single, form: form)
            switch task {
            case .failure(let problem): return .failure(problem)
            case .success(.done):
                return .failure(EntryProblem("\(target.label) is agreed and written; Enter on it again makes a correction once the feed shows it"))
            case .success(.resolve(let differing)):
                return .success(.resolve(first: entries.first!, second: entries.second!, differing: differing))
            case .success(.type(let role)):
                let context = boxContext(contestIndex, boxIndex)
                let reason = role == .second ? entries.first?.reason : nil
                if let existing = entries.entry(role), existing.operator == operatorName {
                    return .success(.type(existing, needsReason: role == .first && EntryRules.reasonProblem(revision: target.revision, reason: existing.reason) != nil,
                                          verifiedPapers: context.verified, usualSize: context.usual))
                }
                let entry = Entry(target: target, role: role, operator: operatorName, reason: reason, at: now())
                do {
                    if try store.claim(entry, single: single && role == .first) {
                        store.log("\(operatorName) took the \(role.rawValue) entry of \(target.label)", at: now())
                        board = store.load()
                        return .success(.type(entry, needsReason: role == .first && target.revision > 1,
                                              verifiedPapers: context.verified, usualSize: context.usual))
                    }
                } catch {
                    return .failure(EntryProblem(error.message))
                }
                board = store.load()
            }
        }
        return .failure(EntryProblem("another terminal took this box's entry just now; choose it again"))
    }

    private func boxContext(_ contestIndex: Int, _ boxIndex: Int) -> (verified: Int?, usual: Int?) {
        let rows = reader.tally.boxRows(contest: contestIndex)
        let boxes = election.contests[contestIndex].boxes
        var papers = 0
        var electorate = 0
        for (index, row) in rows.enumerated() where index != boxIndex {
            if let verified = row.verifiedPapers, let boxElectorate = boxes[index].electorate {
                papers += verified
                electorate += boxElectorate
            }
        }
        return (rows[boxIndex].verifiedPapers,
                EntryChecks.usualSize(electorate: boxes[boxIndex].electorate, verifiedPapers: papers, verifiedElectorate: electorate))
    }

    /// Keeps what the operator confirmed so far.
    public func save(_ entry: Entry) -> Outcome? {
        var entry = entry
        entry.at = now()
        do {
            try store.save(entry, single: single && entry.role == .first)
            return nil
        } catch {
            return Outcome(message: "Could not keep the entry: \(error.message)", problem: true, written: nil)
        }
    }

    /// Hands an entry in, and writes the batch when the two entries agree.
    public func handIn(_ entry: Entry) -> Outcome {
        var entry = entry
        entry.complete = true
        if let failed = save(entry) { return failed }
        store.log("\(operatorName) handed in the \(entry.role.rawValue) entry of \(entry.target.label)", at: now())
        board = store.load()
        return settle(entry.target)
    }

    /// Settles a mismatch of two others' entries.
    public func resolve(_ target: EntryTarget, _ choice: Resolution.Choice) -> Outcome {
        board = store.load()
        guard let entries = board.targets[target], let first = entries.first, let second = entries.second, let form = form(target) else {
            return Outcome(message: "There is no mismatch of \(target.label) to resolve.", problem: true, written: nil)
        }
        let resolution = Resolution(operator: operatorName, choice: choice, at: now())
        if case .failure(let problem) = EntryRules.resolve(first, second, resolution, form: form) {
            return Outcome(message: problem.message, problem: true, written: nil)
        }
        do {
            guard try store.claim(resolution, of: target) else {
                return Outcome(message: "Someone else resolved \(target.label) just now.", problem: true, written: nil)
            }
        } catch {
            return Outcome(message: "Could not keep the resolution: \(error.message)", problem: true, written: nil)
        }
        let how: String
        switch choice {
        case .first: how = "kept \(first.operator)'s figures"
        case .second: how = "kept \(second.operator)'s figures"
        case .reentered(let figures): how = "typed \(figures.keys.sorted().joined(separator: ", ")) again"
        }
        store.log("\(operatorName) resolved the mismatch of \(target.label): \(how)", at: now())
        board = store.load()
        return settle(target)
    }

    /// Writes the batch of a target whose entries agree (or were resolved,
    /// or are a single entry); otherwise says where it stands.
    func settle(_ target: EntryTarget) -> Outcome {
        guard let entries = board.targets[target], let form = form(target) else {
            return Outcome(message: "\(target.label): nothing kept.", problem: true, written: nil)
        }
        let figures: [String: Int]
        let enteredBy: [String]
        var resolvedBy: String?
        var isSingle = false
        switch phase(target, entries) {
        case .open, .firstUnderWay:
            return Outcome(message: "Kept; \(target.label) is not handed in yet.", problem: false, written: nil)
        case .secondNeeded(let by):
            return Outcome(message: "Handed in. Box \(target.box) now needs its second entry, by someone other than \(by).", problem: false, written: nil)
        case .bothUnderWay(let a, let b):
            let waiting = entries.first?.complete == true ? b : a
            return Outcome(message: "Handed in. Waiting for \(waiting)'s entry of box \(target.box).", problem: false, written: nil)
        case .mismatch(let fields):
            let names = fields.map { field in form.labels[form.fields.firstIndex(of: field)!] }
            store.log("MISMATCH \(target.label): \(entries.first!.operator) and \(entries.second!.operator) differ in \(names.joined(separator: "; ")); both kept", at: now())
            return Outcome(message: "The two entries differ in \(fields.count == 1 ? "" : "\(fields.count) fields: ")\(names.joined(separator: "; ")). Nothing written; someone who typed neither resolves it.",
                           problem: true, written: nil)
        case .agreed:
            figures = entries.first!.figures
            enteredBy = [entries.first!.operator, entries.second!.operator]
        case .resolved(let by):
            guard case .success(let settled) = EntryRules.resolve(entries.first!, entries.second!, entries.resolution!, form: form) else {
                return Outcome(message: "\(target.label): the resolution cannot be applied.", problem: true, written: nil)
            }
            figures = settled
            enteredBy = [entries.first!.operator, entries.second!.operator]
            resolvedBy = by
        case .single(let by):
            figures = entries.first!.figures
            enteredBy = [by]
            isSingle = true
        }
        let reason = entries.first?.reason
        switch EntryBatch.bytes(target, figures: figures, form: form, election: election, enteredBy: enteredBy,
                                resolvedBy: resolvedBy, single: isSingle, reason: reason, at: now()) {
        case .failure(let refusal):
            return Outcome(message: "Not written: \(refusal.reason)", problem: true, written: nil)
        case .success(let bytes):
            let file = EntryBatch.fileName(target)
            do {
                guard try store.writeBatch(bytes, of: target) else {
                    board.written.insert(target)
                    return Outcome(message: "\(file) was already written by another terminal.", problem: false, written: nil)
                }
            } catch {
                return Outcome(message: "Not written: \(error.message)", problem: true, written: nil)
            }
            board.written.insert(target)
            let who = isSingle ? "entered by \(enteredBy[0]) alone (single entry, unconfirmed)"
                : "entered by \(enteredBy[0]), confirmed by \(enteredBy[1])" + (resolvedBy.map { ", resolved by \($0)" } ?? "")
            store.log("WRITTEN \(file): \(who)", at: now())
            _ = reader.poll()
            return Outcome(message: "Written \(file): \(who).", problem: false, written: file)
        }
    }
}
