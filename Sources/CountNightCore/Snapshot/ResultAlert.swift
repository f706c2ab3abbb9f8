/// A result that changed after it was shown, or a problem that appeared
/// after a result was: what must be said loudly, not as one more log line.
/// Found by comparing the snapshot shown (or written) before with the next,
/// the same way for the live dashboard, replays and headless mode.
public struct ResultAlert: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// Who is elected changed, or nobody is any more (a recount, a
        /// corrected batch).
        case electedChanged = "elected-changed"
        /// The projected or certain winner changed.
        case callChanged = "call-changed"
        /// A call was withdrawn: too early to call again.
        case callWithdrawn = "call-withdrawn"
        /// The declaration differs from the count.
        case declarationDiffers = "declaration-differs"
        /// A refused file, a conflict or figures that do not add up, after a
        /// contest was called or elected.
        case newProblem = "new-problem"
    }

    public let kind: Kind
    /// The contest it is about; nil for a problem of the whole feed.
    public let contest: String?
    public let message: String
    /// The time of the snapshot it was found in.
    public let time: Double

    public init(kind: Kind, contest: String?, message: String, time: Double) {
        self.kind = kind
        self.contest = contest
        self.message = message
        self.time = time
    }

    /// What the band says before the message.
    public var banner: String { kind == .newProblem ? "NEW PROBLEM" : "RESULT CHANGED" }

    /// What changed between the snapshot shown before and the next one.
    /// Nothing on the first snapshot, for contests that were not in the
    /// previous one, or when nothing was shown as a result.
    public static func changes(from previous: Snapshot?, to next: Snapshot) -> [ResultAlert] {
        guard let previous else { return [] }
        var alerts: [ResultAlert] = []
        let time = next.time
        var anyResultShown = false
        // Contests are looked at in place, by index, and copied out only when
        // something changed: a contest's snapshot copied is some 25 references
        // taken and let go, 1,300 copies a batch on a national night.
        for index in next.contests.indices {
            // The same place in both, unless election.json changed: a search
            // for every contest cost a national night's replay 650 x 650
            // comparisons of names a batch.
            let place: Int
            if index < previous.contests.count, previous.contests[index].id == next.contests[index].id {
                place = index
            } else if let found = previous.contests.firstIndex(where: { $0.id == next.contests[index].id }) {
                place = found
            } else {
                continue
            }
            // Nothing an alert looks at changed (most contests, after one
            // batch): none, and no sets of winners made to find that out.
            if previous.contests[place].winners == next.contests[index].winners
                && previous.contests[place].status == next.contests[index].status
                && previous.contests[place].warnings == next.contests[index].warnings
                && previous.contests[place].projection.status == next.contests[index].projection.status
                && previous.contests[place].projection.winners == next.contests[index].projection.winners {
                if previous.contests[place].showsResult { anyResultShown = true }
                continue
            }
            let before = previous.contests[place], contest = next.contests[index]
            let title = contest.title
            let was = before.shownResult, now = contest.shownResult
            if was != nil { anyResultShown = true }
            if let was, was.winners != now?.winners || (was.elected && now?.elected == false) {
                let kind: Kind = was.elected ? .electedChanged : (now == nil ? .callWithdrawn : .callChanged)
                let after: String
                if let now {
                    after = "\(now.label) \(contest.listed(now.winners))"
                } else if was.elected {
                    after = "nobody elected now (\(contest.status.label))"
                } else {
                    after = "withdrawn: \(contest.projectionHeadline)"
                }
                alerts.append(ResultAlert(kind: kind, contest: contest.id,
                                          message: "\(title): \(was.label) \(before.listed(was.winners)) → \(after)", time: time))
            }
            if before.status != .declared, contest.status == .declared, let declaration = contest.declaration {
                let differing = contest.candidates.filter { declaration.countedVotes[$0.id] != $0.votes }
                if !differing.isEmpty {
                    alerts.append(ResultAlert(kind: .declarationDiffers, contest: contest.id,
                                              message: "\(title): the declaration differs from the count for \(contest.listed(Set(differing.map(\.id)))) (5: log)", time: time))
                }
            }
            if let was {
                let known = Set(before.warnings.filter(\.doesNotAddUp).map(\.message))
                for warning in contest.warnings where warning.doesNotAddUp && !known.contains(warning.message) {
                    alerts.append(ResultAlert(kind: .newProblem, contest: contest.id,
                                              message: "\(title) (\(was.label) \(before.listed(was.winners))): \(warning.message)", time: time))
                }
            }
        }
        // Refused files and conflicts belong to the whole feed: worth an
        // alert once any result has been shown.
        guard anyResultShown else { return alerts }
        let refusedBefore = Set(previous.refusedFiles.map(\.file))
        let refused = next.refusedFiles.filter { !refusedBefore.contains($0.file) }
        if !refused.isEmpty {
            let list = refused.prefix(3).map { "\($0.file): \($0.reason)" }.joined(separator: "; ")
            let more = refused.count > 3 ? "; \(refused.count - 3) more (5: log)" : ""
            alerts.append(ResultAlert(kind: .newProblem, contest: nil,
                                      message: "\(refused.count) refused file\(refused.count == 1 ? "" : "s") after a result was shown: \(list)\(more)", time: time))
        }
        let conflictsBefore = Set(previous.conflicts.map { "\($0.contest) \($0.identity) \($0.revision)" })
        let conflicts = next.conflicts.filter { !conflictsBefore.contains("\($0.contest) \($0.identity) \($0.revision)") }
        if !conflicts.isEmpty {
            let list = conflicts.prefix(3).map { "\($0.contest) \($0.identity) (\($0.files.joined(separator: ", ")))" }.joined(separator: "; ")
            alerts.append(ResultAlert(kind: .newProblem, contest: nil,
                                      message: "\(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s") after a result was shown: \(list)", time: time))
        }
        return alerts
    }
}

extension ContestSnapshot {
    /// The result a screen shows for the contest: who is elected, or else
    /// who is projected or certain to win; nil when nothing is called.
    var shownResult: (winners: Set<String>, elected: Bool, label: String)? {
        guard showsResult else { return nil }
        if !winners.isEmpty { return (Set(winners), true, status == .declared ? "DECLARED" : "ELECTED") }
        return (Set(projection.winners), false, projection.status == .certain ? "CERTAIN" : "PROJECTED")
    }

    /// Whether a result is shown (`shownResult` is not nil), without making it.
    var showsResult: Bool {
        if !winners.isEmpty { return true }
        switch projection.status {
        case .projected, .certain: return true
        default: return false
        }
    }

    /// The candidates of `ids` by name, in the order of the result.
    func listed(_ ids: Set<String>) -> String {
        names(of: candidates.map(\.id).filter(ids.contains)).joined(separator: ", ")
    }
}
