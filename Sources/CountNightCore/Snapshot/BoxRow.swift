/// One box as the boxes view shows it.
public struct BoxRow: Equatable, Sendable {
    public enum State: String, Equatable, Sendable {
        /// Nothing in force yet.
        case awaiting
        /// Papers verified, votes not yet counted.
        case verified
        /// Covered by a count: its own, or its area's bundles.
        case counted
        /// Verified papers and box-level counted ballots differ, or the box
        /// (or, for a box counted in its area's bundles, its area) holds more
        /// ballots than it can.
        case discrepancy
        /// A batch of this box is in conflict and counts for nothing.
        case conflict
    }

    public let id: String
    public let area: String
    /// The box's type (postal, polling-day...), if election.json gives one.
    public let type: String?
    public let state: State
    public let verifiedPapers: Int?
    /// Ballots of the box's own counts; nil when it has none (it may still be
    /// counted in its area's bundles).
    public let countedBallots: Int?
}

/// How a contest's count moved through the night: a point each time it
/// moved, kept at least `spacing` counted ballots apart (the last point is
/// always the count as it is). A chart a few hundred columns wide cannot show
/// more, and a night of a million batches would otherwise keep (and copy,
/// for each new screen) a million points.
public enum Trend {
    /// Points closer than this many counted ballots are one point: some two
    /// thousand points across the contest's electorate (every point when its
    /// electorate is not known).
    public static func spacing(electorate: Int?) -> Int { max(1, (electorate ?? 0) / 2000) }

    /// Adds the count as it is now: after the last point when that stands at
    /// least `spacing` from the point before it, else in the last point's
    /// place; the same as the last, it adds nothing. Every point but the last
    /// is thus `spacing` or more from the one before it.
    public static func add(_ point: TrendPoint, to points: inout [TrendPoint], spacing: Int) {
        add(point, to: &points, spacing: spacing) { $0 }
    }

    /// A history worked out while the count went on (`TrendSource.history`),
    /// continued with the points kept meanwhile, as they came: those of
    /// `live` after its first, which is the count the history ends with. The
    /// same as working the history out at the start and adding each point then.
    public static func continuing(_ history: [[TrendPoint]], with live: [[TrendPoint]], spacing: (Int) -> Int) -> [[TrendPoint]] {
        live.indices.map { contest in
            guard contest < history.count else { return live[contest] }
            var points = history[contest]
            for point in live[contest].dropFirst() { add(point, to: &points, spacing: spacing(contest)) }
            return points
        }
    }

    /// The same for points kept with something of their own (a replay keeps
    /// where in the night each was made).
    public static func add<Kept>(_ kept: Kept, to list: inout [Kept], spacing: Int, point: (Kept) -> TrendPoint) {
        let new = point(kept)
        guard let last = list.last else { return list.append(kept) }
        if point(last) == new { return }
        // The last point stays when it stands `spacing` from the one before it.
        if list.count >= 2, abs(point(last).countedBallots - point(list[list.count - 2]).countedBallots) < spacing {
            list[list.count - 1] = kept
        } else {
            list.append(kept)
        }
    }
}

/// A point of the night: the ballots counted so far and each candidate's votes.
public struct TrendPoint: Equatable, Sendable {
    public let countedBallots: Int
    /// In election.json order.
    public let votes: [Int]

    public init(countedBallots: Int, votes: [Int]) {
        self.countedBallots = countedBallots
        self.votes = votes
    }

    public func share(_ candidate: Int) -> Double {
        let valid = votes.reduce(0, +)
        return valid == 0 ? 0 : Double(votes[candidate]) / Double(valid)
    }
}

extension Tally {
    /// Every box of a contest with its state, in election.json order.
    public func boxRows(contest index: Int) -> [BoxRow] {
        let tally = contestTally(index)
        let contest = tally.contest
        let conflictedBoxes = Set(conflictedIdentities.compactMap { identity -> Int? in
            guard identity.contest == index, case .box(let box) = identity.target else { return nil }
            return box
        })
        return contest.boxes.indices.map { box in
            let state = tally.boxes[box]
            let area = tally.areas[contest.areaOfBox[box]]
            let areaCovered = area.isCovered
            let rowState: BoxRow.State
            if conflictedBoxes.contains(box) {
                rowState = .conflict
            } else if tally.discrepancies.contains(box) || tally.boxesNotAddingUp.contains(box)
                        || (state.countBatches == 0 && tally.areasNotAddingUp.contains(contest.areaOfBox[box])) {
                rowState = .discrepancy
            } else if state.countBatches > 0 || areaCovered {
                rowState = .counted
            } else if state.verifiedPapers != nil {
                rowState = .verified
            } else {
                rowState = .awaiting
            }
            return BoxRow(id: contest.boxes[box].id, area: contest.areas[contest.areaOfBox[box]].label, type: contest.boxes[box].type,
                          state: rowState,
                          verifiedPapers: state.verifiedPapers, countedBallots: state.countBatches > 0 ? state.countedBallots : nil)
        }
    }

    /// The current point of the night for a contest.
    /// How far apart, in counted ballots, the points of a contest's trend
    /// are kept (`Trend`).
    public func trendSpacing(contest index: Int) -> Int { Trend.spacing(electorate: election.contests[index].electorate) }

    public func trendPoint(contest index: Int) -> TrendPoint {
        let tally = contestTally(index)
        return TrendPoint(countedBallots: tally.countedBallots, votes: tally.votes)
    }

    /// How the night went so far (`TrendSource.history`).
    public func trendHistory() -> [[TrendPoint]] { trendSource.history()! }
}

/// The versions read and the election they were checked against, from which
/// the trend of the night so far is worked out: on a large night, on a
/// thread of its own while the dashboard already shows the count.
public struct TrendSource: Sendable {
    let election: Election
    let electionVersion: Int
    let versions: VersionLog

    public var versionCount: Int { versions.count }

    /// The versions replayed in the order their `at` times give (then file
    /// name), with a point each time a contest's count moved; the last point
    /// of each contest is its count as the tally stood. Nil when `stop` says
    /// to stop, which it is asked every few thousand versions.
    public func history(stop: () -> Bool = { false }) -> [[TrendPoint]]? {
        var replay = Tally(election: election)
        var history: [[TrendPoint]] = Array(repeating: [], count: election.contests.count)
        let spacing = history.indices.map(replay.trendSpacing(contest:))
        for index in history.indices { history[index].append(replay.trendPoint(contest: index)) }
        if stop() { return nil }
        // Asked again after the sort, which at a million versions takes seconds.
        for (done, index) in Tally.nightOrder(versions).enumerated() {
            if done % 4096 == 0, stop() { return nil }
            let version = versions[index]
            replay.readChecked(version)
            // Only the batch's own contest moved.
            guard case .success(let batch) = version.checked else { continue }
            Trend.add(replay.trendPoint(contest: batch.contest), to: &history[batch.contest], spacing: spacing[batch.contest])
        }
        return history
    }
}

