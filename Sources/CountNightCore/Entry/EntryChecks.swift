/// A sentence shown under the form as figures are typed.
public struct EntryNotice: Equatable, Sendable {
    public enum Severity: Equatable, Sendable {
        /// Shown; the entry can still be handed in (the sheet may say so).
        case warning
        /// The figures cannot be true: the entry cannot be handed in.
        case blocking
    }

    public let severity: Severity
    public let message: String

    public init(_ severity: Severity, _ message: String) {
        self.severity = severity
        self.message = message
    }
}

/// What the operator typing a box is told about the figures so far.
public enum EntryChecks {
    /// A box's papers above this share of its electors is unusual enough to look again.
    public static let highTurnout = 0.9
    /// A total this many times the box's usual size, or a fraction as small, is far from it.
    public static let farFactor = 2.0

    /// What the box is expected to hold: its electors at the turnout of the
    /// contest's verified boxes so far; nil when either is unknown.
    public static func usualSize(electorate: Int?, verifiedPapers: Int, verifiedElectorate: Int) -> Int? {
        guard let electorate, verifiedElectorate > 0, verifiedPapers > 0 else { return nil }
        return Int((Double(electorate) * Double(verifiedPapers) / Double(verifiedElectorate)).rounded())
    }

    /// The notices for the figures typed so far (fields not yet typed count
    /// as 0 for what cannot be true, and are not judged otherwise).
    /// Impossible figures are found by the feed's own checks of a batch
    /// (a negative figure, more papers than the box has electors), so that
    /// the form refuses exactly what a reader of the feed would refuse.
    public static func notices(_ target: EntryTarget, figures: [String: Int], form: EntryForm, election: Election,
                               verifiedPapers: Int?, usualSize: Int?) -> [EntryNotice] {
        guard let contest = election.contests.first(where: { $0.id == target.contest }),
              let boxIndex = contest.boxIndex(target.box) else {
            return [EntryNotice(.blocking, "box \(target.box) is not in contest \(target.contest) of election.json")]
        }
        var notices: [EntryNotice] = []
        let zeroFilled = Dictionary(uniqueKeysWithValues: form.fields.map { ($0.key, figures[$0.key] ?? 0) })
        if case .failure(let refusal) = EntryBatch.bytes(target, figures: zeroFilled, form: form, election: election,
                                                          enteredBy: [], resolvedBy: nil, single: false, reason: nil, at: 0) {
            notices.append(EntryNotice(.blocking, refusal.reason))
        }
        let box = contest.boxes[boxIndex]
        let complete = form.fields.allSatisfy { figures[$0.key] != nil }
        // The papers this sheet speaks for: verified, or counted.
        let papers: Int?
        switch target.kind {
        case .verification:
            papers = figures[EntryField.ballotPapers.key]
        default:
            if contest.system == .block {
                papers = figures[EntryField.ballots.key]
            } else {
                papers = complete ? form.fields.reduce(0) { $0 + (figures[$1.key] ?? 0) } : nil
            }
            if complete, let verifiedPapers, let papers, papers != verifiedPapers {
                let what = contest.system == .block ? "the ballot papers counted" : "votes plus rejected"
                let gap = papers - verifiedPapers
                notices.append(EntryNotice(.warning, "\(what) come to \(Format.grouped(papers)), \(Format.grouped(abs(gap))) \(gap > 0 ? "more" : "fewer") than the \(Format.grouped(verifiedPapers)) papers verified for box \(box.id)"))
            }
        }
        if let papers, let electorate = box.electorate, papers <= electorate,
           Double(papers) > highTurnout * Double(electorate) {
            notices.append(EntryNotice(.warning, "\(Format.grouped(papers)) papers are \(Format.percent(Double(papers) / Double(electorate), decimals: 0)) of box \(box.id)'s \(Format.grouped(electorate)) electors"))
        }
        if let usualSize, usualSize > 0 {
            if let papers, Double(papers) > farFactor * Double(usualSize) || Double(papers) * farFactor < Double(usualSize) {
                notices.append(EntryNotice(.warning, "\(Format.grouped(papers)) papers is far from this box's usual size (about \(Format.grouped(usualSize)))"))
            } else {
                // One figure over the box's usual size: often a digit typed twice.
                for (index, field) in form.fields.enumerated() where field != .ballots && field != .ballotPapers {
                    if let value = figures[field.key], Double(value) > farFactor * Double(usualSize) {
                        notices.append(EntryNotice(.warning, "\(form.labels[index]): \(Format.grouped(value)) is far more than this box's usual size (about \(Format.grouped(usualSize)) papers)"))
                    }
                }
            }
        }
        return notices
    }

    /// Whether an entry with these notices can be handed in.
    public static func blocks(_ notices: [EntryNotice]) -> Bool { notices.contains { $0.severity == .blocking } }
}
