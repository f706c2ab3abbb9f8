/// Double entry of a box's figures at the venue: two operators type the same
/// sheet independently, and only figures they agree on (or that a third person
/// resolved) become a batch of the feed. These are the rules as values and
/// functions; where entries are kept on disk is the feed layer's business.

/// One figure of a form, in the order it is typed.
public enum EntryField: Hashable, Sendable {
    /// verification: the ballot papers found in the box.
    case ballotPapers
    /// count of a block contest: the ballot papers the count covers.
    case ballots
    /// count: a candidate's votes, by candidate id.
    case votes(String)
    /// count: ballots rejected for a reason.
    case rejected(String)

    /// How the field is stored and named in messages: `votes.ann`.
    public var key: String {
        switch self {
        case .ballotPapers: return "ballotPapers"
        case .ballots: return "ballots"
        case .votes(let id): return "votes.\(id)"
        case .rejected(let reason): return "rejected.\(reason)"
        }
    }
}

/// The sheet of one box: what is typed, and in which order.
public struct EntryForm: Equatable, Sendable {
    /// The reasons a ballot is rejected at a UK count, as the count sheet lists them.
    public static let rejectionReasons = [
        "want of official mark",
        "voting for more candidates than allowed",
        "writing or mark by which the voter could be identified",
        "unmarked or wholly void for uncertainty",
    ]

    public let kind: Batch.Kind
    public let fields: [EntryField]
    /// What each field is called on screen, in the same order.
    public let labels: [String]

    /// The form for a kind of batch of a contest: verification, the papers;
    /// count, (for block contests the papers counted,) the votes for each
    /// candidate in ballot order, then the rejected ballots by reason.
    public init(contest: Contest, kind: Batch.Kind) {
        self.kind = kind
        var fields: [EntryField] = []
        var labels: [String] = []
        if kind == .verification {
            fields.append(.ballotPapers)
            labels.append("Ballot papers")
        } else {
            if contest.system == .block {
                fields.append(.ballots)
                labels.append("Ballot papers counted")
            }
            for candidate in contest.candidates {
                fields.append(.votes(candidate.id))
                labels.append(candidate.name + (candidate.party.map { " (\($0))" } ?? ""))
            }
            for reason in Self.rejectionReasons {
                fields.append(.rejected(reason))
                labels.append("Rejected: " + reason)
            }
        }
        self.fields = fields
        self.labels = labels
    }

    public func index(of key: String) -> Int? { fields.firstIndex { $0.key == key } }
}

/// What an entry is of: one kind of batch of one box, at one revision.
public struct EntryTarget: Hashable, Sendable {
    public let contest: String
    public let kind: Batch.Kind
    public let box: String
    public let revision: Int

    public init(contest: String, kind: Batch.Kind, box: String, revision: Int) {
        self.contest = contest
        self.kind = kind
        self.box = box
        self.revision = revision
    }

    /// `mayor verification box=BGN-1 revision 2`: the words of the log.
    public var label: String { "\(contest) \(kind.rawValue) box=\(box) revision \(revision)" }
}

/// Which of the two independent typings an entry is.
public enum EntryRole: String, Equatable, Sendable, CaseIterable {
    case first, second
}

/// One operator's typing of one sheet, as far as it got.
public struct Entry: Equatable, Sendable {
    public let target: EntryTarget
    public let role: EntryRole
    public let `operator`: String
    /// Figures confirmed so far, by field key.
    public var figures: [String: Int]
    /// Why a box already written is entered again (a correction).
    public var reason: String?
    /// Every field confirmed and the entry handed in.
    public var complete: Bool
    /// When it was last saved (seconds since 1970).
    public var at: Double?

    public init(target: EntryTarget, role: EntryRole, operator: String, figures: [String: Int] = [:],
                reason: String? = nil, complete: Bool = false, at: Double? = nil) {
        self.target = target
        self.role = role
        self.operator = `operator`
        self.figures = figures
        self.reason = reason
        self.complete = complete
        self.at = at
    }
}

/// A third person's decision on two entries that differ.
public struct Resolution: Equatable, Sendable {
    public enum Choice: Equatable, Sendable {
        /// The first entry's figures stand.
        case first
        case second
        /// The differing fields typed again from the sheet, by field key.
        case reentered([String: Int])
    }

    public let `operator`: String
    public let choice: Choice
    public var at: Double?

    public init(operator: String, choice: Choice, at: Double? = nil) {
        self.operator = `operator`
        self.choice = choice
        self.at = at
    }
}

/// What two complete entries say together.
public enum EntryComparison: Equatable, Sendable {
    case match
    /// The fields that differ, in the form's order.
    case mismatch([EntryField])
}

/// Where the double entry of one target stands.
public enum EntryPhase: Equatable, Sendable {
    /// Nobody has started.
    case open
    /// Only the first typing is under way.
    case firstUnderWay(String)
    /// The first typing is handed in; a second, by someone else, is needed.
    case secondNeeded(firstBy: String)
    /// Both are under way, or one handed in and the other not yet.
    case bothUnderWay(first: String, second: String)
    /// Both handed in and equal: the batch can be written.
    case agreed
    /// Both handed in and different: a third person must resolve.
    case mismatch([EntryField])
    /// Resolved by a third person: the batch can be written.
    case resolved(by: String)
    /// Single entry (`--single`), handed in: the batch can be written, unconfirmed.
    case single(by: String)
}

/// Why an operator cannot do what they asked; said to them as it is.
public struct EntryProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What an operator can do with a target now.
public enum EntryTask: Equatable, Sendable {
    /// Type (or carry on typing) this role's entry.
    case type(EntryRole)
    /// Resolve the mismatch of two entries.
    case resolve([EntryField])
    /// Nothing left to type: the batch is written or can be.
    case done
}

/// The rules of double entry.
public enum EntryRules {
    /// How the two complete entries compare, field by field in the form's order.
    public static func compare(_ first: Entry, _ second: Entry, form: EntryForm) -> EntryComparison {
        let differing = form.fields.filter { first.figures[$0.key] != second.figures[$0.key] }
        return differing.isEmpty ? .match : .mismatch(differing)
    }

    /// Where a target stands, from what is kept of it. `single` is true when
    /// the first entry was handed in under `--single`.
    public static func phase(first: Entry?, second: Entry?, resolution: Resolution?, single: Bool, form: EntryForm) -> EntryPhase {
        if let resolution { return .resolved(by: resolution.operator) }
        switch (first, second) {
        case (nil, nil): return .open
        case (let first?, nil):
            if first.complete { return single ? .single(by: first.operator) : .secondNeeded(firstBy: first.operator) }
            return .firstUnderWay(first.operator)
        case (nil, let second?): return .firstUnderWay(second.operator)
        case (let first?, let second?):
            guard first.complete && second.complete else { return .bothUnderWay(first: first.operator, second: second.operator) }
            switch compare(first, second, form: form) {
            case .match: return .agreed
            case .mismatch(let fields): return .mismatch(fields)
            }
        }
    }

    /// What `operator` may do with a target: carry on their own entry, take
    /// the free one, or resolve a mismatch of two others' entries. The
    /// second typing is by someone other than the first, and a mismatch is
    /// resolved by someone who typed neither.
    public static func task(for name: String, first: Entry?, second: Entry?, resolution: Resolution?,
                            single: Bool, form: EntryForm) -> Result<EntryTask, EntryProblem> {
        if let first, first.operator == name, !first.complete { return .success(.type(.first)) }
        if let second, second.operator == name, !second.complete { return .success(.type(.second)) }
        switch phase(first: first, second: second, resolution: resolution, single: single, form: form) {
        case .open:
            return .success(.type(.first))
        case .firstUnderWay(let by), .secondNeeded(let by):
            if by == name { return .failure(EntryProblem("\(name) typed the first entry; the second must be typed by someone else")) }
            if second != nil { return .failure(EntryProblem("\(second!.operator) is typing the second entry")) }
            return .success(.type(.second))
        case .bothUnderWay(let a, let b):
            return .failure(EntryProblem("\(a) and \(b) are typing this box; wait for them to hand in"))
        case .mismatch(let fields):
            if name == first?.operator || name == second?.operator {
                return .failure(EntryProblem("the two entries differ; someone who typed neither (not \(first!.operator) or \(second!.operator)) resolves it"))
            }
            return .success(.resolve(fields))
        case .agreed, .resolved, .single:
            return .success(.done)
        }
    }

    /// The figures a resolution settles on, with every field of the form.
    public static func resolve(_ first: Entry, _ second: Entry, _ resolution: Resolution, form: EntryForm) -> Result<[String: Int], EntryProblem> {
        if resolution.operator == first.operator || resolution.operator == second.operator {
            return .failure(EntryProblem("\(resolution.operator) typed one of the entries; a mismatch is resolved by someone who typed neither"))
        }
        guard case .mismatch(let differing) = compare(first, second, form: form) else { return .success(first.figures) }
        switch resolution.choice {
        case .first: return .success(first.figures)
        case .second: return .success(second.figures)
        case .reentered(let typed):
            var figures = first.figures
            for field in differing {
                guard let value = typed[field.key] else {
                    return .failure(EntryProblem("\(field.key) differs between the entries and was not typed again"))
                }
                figures[field.key] = value
            }
            return .success(figures)
        }
    }

    /// The revision a new entry of a box makes: the next after the one in
    /// force (a correction), or 1.
    public static func nextRevision(inForce: Int?) -> Int { (inForce ?? 0) + 1 }

    /// A correction says why; a first revision needs no reason.
    public static func reasonProblem(revision: Int, reason: String?) -> EntryProblem? {
        guard revision > 1, (reason ?? "").allSatisfy(\.isWhitespace) else { return nil }
        return EntryProblem("this box is already written: a correction (revision \(revision)) needs its reason")
    }
}

/// The batch file an entry's figures become.
public enum EntryBatch {
    /// The name of the batch file: `mayor-count-BGN-1-r2.json`.
    public static func fileName(_ target: EntryTarget) -> String {
        "\(target.contest)-\(target.kind == .verification ? "verification" : "count")-\(target.box)-r\(target.revision).json"
    }

    /// The batch file's bytes, checked by the feed's own rules against the
    /// election (as any reader would check it): the refusal when they break one.
    /// `enteredBy` lists the operators (first, then second); `resolvedBy` the
    /// person who settled a mismatch; `single` marks an unconfirmed single entry.
    public static func bytes(_ target: EntryTarget, figures: [String: Int], form: EntryForm, election: Election,
                             enteredBy: [String], resolvedBy: String?, single: Bool, reason: String?,
                             at: Double) -> Result<[UInt8], BatchRefusal> {
        var json = JSONWriter()
        json.object { o in
            o.key("election"); o.string(election.id)
            o.key("contest"); o.string(target.contest)
            o.key("kind"); o.string(target.kind.rawValue)
            o.key("box"); o.string(target.box)
            o.key("revision"); o.int(target.revision)
            if target.kind == .verification {
                o.key("ballotPapers"); o.int(figures[EntryField.ballotPapers.key] ?? 0)
            } else {
                if let ballots = figures[EntryField.ballots.key] { o.key("ballots"); o.int(ballots) }
                o.key("votes")
                o.object { v in
                    for case .votes(let id) in form.fields {
                        v.key(escaping: id); v.int(figures[EntryField.votes(id).key] ?? 0)
                    }
                }
                let rejected = form.fields.compactMap { field -> (String, Int)? in
                    guard case .rejected(let reason) = field, let count = figures[field.key], count > 0 else { return nil }
                    return (reason, count)
                }
                if !rejected.isEmpty {
                    o.key("rejected")
                    o.object { r in for (reason, count) in rejected { r.key(escaping: reason); r.int(count) } }
                }
            }
            o.key("at"); o.string(RFC3339.format(at))
            o.key("enteredBy"); o.array { list in for name in enteredBy { list.string(name) } }
            if let resolvedBy { o.key("resolvedBy"); o.string(resolvedBy) }
            if single { o.key("entry"); o.string("single") }
            if let reason, !reason.isEmpty { o.key("reason"); o.string(reason) }
        }
        let bytes = Array((json.text + "\n").utf8)
        switch BatchFile.parse(bytes) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let record):
            switch BatchFile.check(record, against: election) {
            case .failure(let refusal): return .failure(refusal)
            case .success: return .success(bytes)
            }
        }
    }
}
