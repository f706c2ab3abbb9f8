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
    public func trendPoint(contest index: Int) -> TrendPoint {
        let tally = contestTally(index)
        return TrendPoint(countedBallots: tally.countedBallots, votes: tally.votes)
    }

    /// How the night went so far: the versions read, replayed in the order
    /// their `at` times give (then file name), with a point each time a
    /// contest's count moved.
    public func trendHistory() -> [[TrendPoint]] {
        var replay = Tally(election: election)
        var history: [[TrendPoint]] = Array(repeating: [], count: election.contests.count)
        for index in history.indices { history[index].append(replay.trendPoint(contest: index)) }
        for version in versionsInNightOrder() {
            replay.readChecked(version)
            for index in history.indices {
                let point = replay.trendPoint(contest: index)
                if point.countedBallots != history[index].last?.countedBallots || point.votes != history[index].last?.votes {
                    history[index].append(point)
                }
            }
        }
        return history
    }
}
