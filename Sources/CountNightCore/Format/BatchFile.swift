/// A batch file as read, before it is checked against election.json.
///
/// Checking is split in two so that when election.json changes, every batch
/// can be checked again without reading or parsing any file again.
public struct BatchRecord: Equatable, Sendable {
    public var election: String?
    public var contest: String
    public var box: String?
    public var area: String?
    public var batch: String
    public var revision: Int
    public var at: Double?
    /// What the batch says, by its kind.
    public var content: Content

    public enum Content: Equatable, Sendable {
        /// A higher revision that takes back the batch of this kind.
        case withdrawn(Batch.Kind)
        case verification(ballotPapers: Int)
        case count(CountRecord)
        /// The declared count, the ballot papers declared if given, the ids
        /// declared elected, and transfers (sv) if given.
        case declaration(CountRecord, ballotPapers: Int?, elected: [String], transfers: [CandidateFigure]?)
        /// Transfers found for each candidate, and ballots with no second
        /// preference for anyone still in the race.
        case secondPreferences(transfers: [CandidateFigure], nonTransferable: Int)
    }

    public var kind: Batch.Kind {
        switch content {
        case .withdrawn(let kind): kind
        case .verification: .verification
        case .count: .count
        case .declaration: .declaration
        case .secondPreferences: .secondPreferences
        }
    }
}

/// A figure for one candidate, by id, as a file gives it.
public struct CandidateFigure: Equatable, Sendable {
    public let id: String
    public let count: Int
}

/// A count's (or a declaration's) figures as a file gives them.
public struct CountRecord: Equatable, Sendable {
    public var votes: [CandidateFigure]
    /// Sorted by reason.
    public var rejected: [RejectedBallots]
    /// The ballot papers covered, when the file says.
    public var ballots: Int?
}

/// Reads and checks batch files (feed format v1).
public enum BatchFile {
    public static let maxFigure = 100_000_000
    public static let maxBatchNameLength = 64

    /// The batch's `at`, when the file parses and gives one.
    public static func at(_ bytes: [UInt8]) -> Double? {
        if case .success(let record) = parse(bytes) { record.at } else { nil }
    }

    /// Reads the bytes of a batch file. The error is a reason a person can act on.
    public static func parse(_ bytes: [UInt8]) -> Result<BatchRecord, BatchRefusal> {
        // Most files have the usual shape and are read without a JSON tree;
        // any other file, and every refusal, is read the general way.
        if !bytes.isEmpty, bytes.count <= SizeLimit.batch.bytes, let record = QuickBatchReader.record(bytes) { return .success(record) }
        return generalParse(bytes)
    }

    /// `parse` without the quick reading: what the quick reading must agree
    /// with (the tests and the batch fuzzer compare them).
    @_spi(Fuzzing) public static func generalParse(_ bytes: [UInt8]) -> Result<BatchRecord, BatchRefusal> {
        if bytes.isEmpty { return .failure(BatchRefusal("the file is empty")) }
        if bytes.count > SizeLimit.batch.bytes {
            return .failure(BatchRefusal(SizeLimit.batch.refusal(size: bytes.count)))
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(BatchRefusal("not valid JSON: \(error)"))
        }
        do {
            return .success(try record(FieldReader(value, path: "")))
        } catch {
            return .failure(BatchRefusal(error.description))
        }
    }

    /// The rules of a batch file's fields, whichever way its bytes were read.
    static func record<Fields: BatchFields>(_ fields: Fields) throws(FieldError) -> BatchRecord {
        let election = try fields.string(.election)
        guard let contest = try fields.string(.contest) else { throw FieldError(path: "contest", message: "is missing") }
        guard let kindName = try fields.string(.kind) else {
            throw FieldError(path: "kind", message: "is missing; use \"verification\" or \"count\"")
        }
        guard let kind = Batch.Kind(rawValue: kindName) else {
            throw FieldError(path: "kind", message: "\"\(kindName)\" is not a kind of batch this program knows (use \"verification\", \"count\", \"second-preferences\" or \"declaration\")")
        }
        let box = try fields.string(.box)
        let area = try fields.string(.area)
        switch (kind, box, area) {
        case (.verification, nil, _):
            throw FieldError(path: "box", message: "is missing; a verification names the box whose papers were counted")
        case (.verification, _, .some):
            throw FieldError(path: "area", message: "a verification is of one box, so it names a box and no area")
        case (.count, nil, nil):
            throw FieldError(path: "box", message: "a count names either a box or an area, and this one names neither")
        case (.count, .some, .some):
            throw FieldError(path: "area", message: "a count names either a box or an area, and this one names both")
        case (.secondPreferences, nil, nil):
            throw FieldError(path: "box", message: "second preferences name either a box or an area, and these name neither")
        case (.secondPreferences, .some, .some):
            throw FieldError(path: "area", message: "second preferences name either a box or an area, and these name both")
        case (.declaration, .some, _):
            throw FieldError(path: "box", message: "a declaration is of the whole contest, so it names no box")
        case (.declaration, _, .some):
            throw FieldError(path: "area", message: "a declaration is of the whole contest, so it names no area")
        default: break
        }
        let batch = try fields.string(.batch) ?? ""
        // Characters as a person counts them, as the message says.
        if batch.count > maxBatchNameLength {
            throw FieldError(path: "batch", message: "is \(batch.count) characters long; a batch name has at most \(maxBatchNameLength)")
        }
        let revision = try fields.integer(.revision, in: 1...maxFigure) ?? 1
        let at = try fields.at()
        let withdrawn = try fields.bool(.withdrawn) ?? false
        func record(_ content: BatchRecord.Content) -> BatchRecord {
            BatchRecord(election: election, contest: contest, box: box, area: area, batch: batch, revision: revision, at: at,
                        content: content)
        }
        if withdrawn { return record(.withdrawn(kind)) }
        func figures(_ field: BatchKey) throws(FieldError) -> [CandidateFigure]? {
            try fields.figures(field, in: 0...maxFigure, keyProblem: { _ in nil })
        }

        switch kind {
        case .secondPreferences:
            guard let transfers = try figures(.transfers) else {
                throw FieldError(path: "transfers", message: "is missing; second preferences give the transfers found for each candidate")
            }
            return record(.secondPreferences(transfers: transfers,
                                             nonTransferable: try fields.integer(.nonTransferable, in: 0...maxFigure) ?? 0))
        case .verification:
            guard let papers = try fields.integer(.ballotPapers, in: 0...maxFigure) else {
                throw FieldError(path: "ballotPapers", message: "is missing; a verification gives the ballot papers found in the box")
            }
            return record(.verification(ballotPapers: papers))
        case .count, .declaration:
            guard let votes = try figures(.votes) else {
                throw FieldError(path: "votes", message: "is missing; a \(kind.rawValue) gives the votes for every candidate")
            }
            var count = CountRecord(votes: votes, rejected: [], ballots: nil)
            let blankReason = FieldError(path: "rejected", message: "a reason is empty; name the reason the ballots were rejected")
            if let rejected = try fields.figures(.rejected, in: 0...maxFigure, keyProblem: { $0.isBlank ? blankReason : nil }) {
                count.rejected = rejected.map { RejectedBallots(reason: $0.id, count: $0.count) }
                // In place: a count names one reason or a few.
                if count.rejected.count > 1 { count.rejected.sort { $0.reason < $1.reason } }
            }
            count.ballots = try fields.integer(.ballots, in: 0...maxFigure)
            guard kind == .declaration else { return record(.count(count)) }
            let papers = try fields.integer(.ballotPapers, in: 0...maxFigure)
            guard let elected = try fields.strings(.elected, what: "a candidate id") else {
                throw FieldError(path: "elected", message: "is missing; a declaration names the candidates declared elected")
            }
            let transfers = try figures(.transfers)
            return record(.declaration(count, ballotPapers: papers, elected: elected, transfers: transfers))
        }
    }

    /// Checks a read batch against election.json; the error is a reason a person can act on.
    public static func check(_ record: BatchRecord, against election: Election) -> Result<Batch, BatchRefusal> {
        if let named = record.election, named != election.id {
            return .failure(BatchRefusal("election \"\(named)\" is not this feed's election \"\(election.id)\" (a file from another election or a rehearsal?)"))
        }
        guard let contestIndex = election.contestIndex(record.contest) else {
            let known = election.contests.map(\.id).joined(separator: ", ")
            return .failure(BatchRefusal("contest \"\(record.contest)\" is not in election.json (contests: \(known))"))
        }
        let contest = election.contests[contestIndex]
        let target: Batch.Target
        if record.kind == .declaration {
            target = .contest
        } else if let boxID = record.box {
            guard let box = contest.boxIndex(boxID) else {
                return .failure(BatchRefusal("box \"\(boxID)\" is not a box of contest \"\(contest.id)\" in election.json"))
            }
            target = .box(box)
        } else if let areaName = record.area {
            guard let area = contest.areaIndex(areaName) else {
                return .failure(BatchRefusal("area \"\(areaName)\" is not the area of any box of contest \"\(contest.id)\" in election.json"))
            }
            target = .area(area)
        } else {
            return .failure(BatchRefusal("names neither a box nor an area"))
        }
        let identity = BatchIdentity(contest: contestIndex, kind: record.kind, target: target, batch: record.batch)
        let figures: Figures
        let coveredPapers: Int
        switch record.content {
        case .withdrawn:
            return .success(Batch(identity: identity, revision: record.revision, at: record.at, figures: .withdrawn))
        case .secondPreferences(let given, let nonTransferable):
            guard contest.system == .sv else {
                return .failure(BatchRefusal("kind: only a Supplementary Vote contest has second preferences, and \"\(contest.id)\" is \(contest.system.rawValue)"))
            }
            var transfers = [Int](repeating: 0, count: contest.candidates.count)
            for figure in given {
                guard let index = contest.candidateIndex(figure.id) else {
                    return .failure(BatchRefusal("transfers.\(figure.id): \"\(figure.id)\" is not a candidate of contest \"\(contest.id)\""))
                }
                transfers[index] = figure.count
            }
            figures = .secondPreferences(transfers: transfers, nonTransferable: nonTransferable)
            coveredPapers = 0
        case .verification(let papers):
            coveredPapers = papers
            figures = .verification(ballotPapers: papers)
        case .count(let given):
            switch voteCount(given, kind: .count, declaredPapers: nil, contest: contest) {
            case .success(let count):
                figures = .count(count)
                coveredPapers = count.ballots
            case .failure(let refusal):
                return .failure(refusal)
            }
        case .declaration(let given, let papers, let elected, let transfers):
            let count: VoteCount
            switch voteCount(given, kind: .declaration, declaredPapers: papers, contest: contest) {
            case .success(let counted): count = counted
            case .failure(let refusal): return .failure(refusal)
            }
            coveredPapers = count.ballots
            switch declaration(count, declaredPapers: papers, elected: elected, transfers: transfers, contest: contest) {
            case .success(let declared): figures = .declaration(declared)
            case .failure(let refusal): return .failure(refusal)
            }
        }
        if case .box(let box) = target, let electorate = contest.boxes[box].electorate, coveredPapers > electorate {
            let what = record.kind == .verification ? "ballot papers" : "ballots"
            return .failure(BatchRefusal("\(Format.grouped(coveredPapers)) \(what) exceed box \(contest.boxes[box].id)'s electorate of \(Format.grouped(electorate))"))
        }
        return .success(Batch(identity: identity, revision: record.revision, at: record.at, figures: figures))
    }
}

extension BatchFile {
    /// A count's (or a declaration's) votes, rejected ballots and ballots,
    /// checked against each other by the rules of the contest's system.
    static func voteCount(_ record: CountRecord, kind: Batch.Kind, declaredPapers: Int?, contest: Contest) -> Result<VoteCount, BatchRefusal> {
        let votes: [Int]
        switch everyCandidate(record.votes, field: "votes", of: contest, kind: kind) {
        case .success(let all): votes = all
        case .failure(let refusal): return .failure(refusal)
        }
        let valid = votes.reduce(0, +)
        let rejected = record.rejected.reduce(0) { $0 + $1.count }
        let ballots: Int
        switch contest.system {
        case .fptp, .sv, .list:
            if let given = record.ballots, given != valid + rejected {
                return .failure(BatchRefusal("ballots: \(Format.grouped(given)) is not the \(Format.grouped(valid)) votes plus \(Format.grouped(rejected)) rejected = \(Format.grouped(valid + rejected))"))
            }
            ballots = valid + rejected
        case .block where kind == .declaration:
            // A declaration gives its ballot papers, if any, as ballotPapers.
            if let papers = declaredPapers, valid > papers * contest.seats {
                return .failure(BatchRefusal("votes: \(Format.grouped(valid)) votes in all are more than \(contest.seats) seats × \(Format.grouped(papers)) ballot papers"))
            }
            ballots = declaredPapers ?? 0
        case .block:
            guard let given = record.ballots else {
                return .failure(BatchRefusal("ballots: is missing; in a block contest voters have up to \(contest.seats) votes each, so a count must say how many ballot papers it covers"))
            }
            if rejected > given {
                return .failure(BatchRefusal("rejected: \(Format.grouped(rejected)) rejected ballots are more than the \(Format.grouped(given)) ballots"))
            }
            let papers = given - rejected
            for (index, count) in votes.enumerated() where count > papers {
                return .failure(BatchRefusal("votes.\(contest.candidates[index].id): \(Format.grouped(count)) votes are more than the \(Format.grouped(papers)) valid ballot papers (ballots less rejected)"))
            }
            if valid > papers * contest.seats {
                return .failure(BatchRefusal("votes: \(Format.grouped(valid)) votes in all are more than \(contest.seats) seats × \(Format.grouped(papers)) valid ballot papers"))
            }
            ballots = given
        }
        return .success(VoteCount(votes: votes, rejected: record.rejected, ballots: ballots))
    }

    /// Figures for every candidate of the contest, none unknown and none missing.
    static func everyCandidate(_ entries: [CandidateFigure], field: String, of contest: Contest,
                               kind: Batch.Kind) -> Result<[Int], BatchRefusal> {
        var figures = [Int?](repeating: nil, count: contest.candidates.count)
        var given = 0
        for (position, entry) in entries.enumerated() {
            guard let index = contest.candidateIndex(entry.id, likelyAt: position) else {
                return .failure(BatchRefusal("\(field).\(entry.id): \"\(entry.id)\" is not a candidate of contest \"\(contest.id)\""))
            }
            if figures[index] == nil { given += 1 }
            figures[index] = entry.count
        }
        if given == figures.count { return .success(figures.map { $0! }) }
        let missing = contest.candidates.indices.filter { figures[$0] == nil }.map { contest.candidates[$0].id }
        if !missing.isEmpty {
            let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
            return .failure(BatchRefusal("\(field): no entry for \(missing.count == 1 ? "candidate" : "candidates") \(list); a \(kind.rawValue) gives every candidate's \(field), 0 included"))
        }
        return .success(figures.map { $0! })
    }

    /// The parts of a declaration a count does not have: who is elected,
    /// the papers, and transfers.
    static func declaration(_ count: VoteCount, declaredPapers: Int?, elected ids: [String], transfers given: [CandidateFigure]?,
                            contest: Contest) -> Result<Declaration, BatchRefusal> {
        var elected: [Int] = []
        for (position, id) in ids.enumerated() {
            guard let index = contest.candidateIndex(id) else {
                return .failure(BatchRefusal("elected[\(position)]: \"\(id)\" is not a candidate of contest \"\(contest.id)\""))
            }
            if elected.contains(index) { return .failure(BatchRefusal("elected: \"\(id)\" is named twice")) }
            elected.append(index)
        }
        if elected.isEmpty || elected.count > contest.seats {
            return .failure(BatchRefusal("elected: names \(elected.count) candidate\(elected.count == 1 ? "" : "s") for \(contest.seats) seat\(contest.seats == 1 ? "" : "s")"))
        }
        if let papers = declaredPapers, contest.system != .block, papers != count.ballots {
            return .failure(BatchRefusal("ballotPapers: \(Format.grouped(papers)) is not the \(Format.grouped(count.validVotes)) votes plus \(Format.grouped(count.rejectedTotal)) rejected = \(Format.grouped(count.ballots))"))
        }
        var transfers: [Int]? = nil
        if let given {
            guard contest.system == .sv else {
                return .failure(BatchRefusal("transfers: only a Supplementary Vote contest has transfers, and \"\(contest.id)\" is \(contest.system.rawValue)"))
            }
            var counts = [Int](repeating: 0, count: contest.candidates.count)
            for figure in given {
                guard let index = contest.candidateIndex(figure.id) else {
                    return .failure(BatchRefusal("transfers.\(figure.id): \"\(figure.id)\" is not a candidate of contest \"\(contest.id)\""))
                }
                counts[index] = figure.count
            }
            transfers = counts
        }
        return .success(Declaration(count: count, elected: elected, declaredPapers: declaredPapers, transfers: transfers))
    }
}

/// Why a batch file is refused, in words a person can act on.
public struct BatchRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
