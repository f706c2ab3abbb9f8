/// The state of the whole count at one moment: what headless mode writes and
/// what the dashboard draws.
public struct Snapshot: Equatable, Sendable {
    public var time: Double
    public var election: String
    public var title: String
    public var rehearsal: Bool
    public var contests: [ContestSnapshot]
    public var rejectedFiles: [RejectedFile]
    public var conflicts: [Conflict]

    public var isComplete: Bool { contests.allSatisfy { $0.status == .complete } }

    /// The snapshot with a refused election.json listed first among the
    /// refused files, so that nobody misses it.
    public func listingRefusedElection(_ problem: String?) -> Snapshot {
        guard let problem else { return self }
        var snapshot = self
        snapshot.rejectedFiles.insert(RejectedFile(file: ElectionFile.name, reason: "\(problem) (the previous version stays in force)"), at: 0)
        return snapshot
    }
}

public enum ContestStatus: String, Equatable, Sendable {
    /// Nothing in force yet.
    case awaiting
    /// Verifications, but no counts.
    case verifying
    case counting
    /// Every box is covered by a count.
    case complete
}

public struct RejectedFile: Equatable, Sendable {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
}

public struct Conflict: Equatable, Sendable {
    public let contest: String
    public let identity: String
    public let revision: Int
    public let files: [String]
}

public struct Warning: Equatable, Sendable {
    public let box: String?
    public let message: String
}

public struct CandidateResult: Equatable, Sendable {
    public let id: String
    /// The candidate's place in election.json, which per-area votes follow.
    public let electionIndex: Int
    public let name: String
    public let party: String?
    public let colour: RGB?
    public let votes: Int
    public let share: Double
}

/// Per-area figures, for the areas view.
public struct AreaResult: Equatable, Sendable {
    public let name: String
    public let boxes: Int
    public let verifiedBoxes: Int
    public let coveredBoxes: Int
    public let ballotPapers: Int
    public let countedBallots: Int
    public let electorate: Int?
    /// Votes counted in the area, per candidate in election.json order.
    public let votes: [Int]
    /// The projection's estimate of the ballots still to count in the area.
    public let uncounted: Int
}

public struct ContestSnapshot: Equatable, Sendable {
    public let id: String
    public let title: String
    public let system: VotingSystem
    public let seats: Int
    public let status: ContestStatus
    public let electorate: Int?
    public let boxesTotal: Int
    public let boxesVerified: Int
    public let boxesCounted: Int
    /// Boxes covered by a count (their own, or their area's bundles).
    public let boxesCovered: Int
    public let ballotPapers: Int
    public let countedBallots: Int
    public let turnout: Double?
    public let valid: Int
    public let rejected: Int
    public let rejectedByReason: [RejectedBallots]
    /// Most votes first; ties in election.json order.
    public let candidates: [CandidateResult]
    public let leader: String?
    public let majority: Int?
    public let winners: [String]
    public let warnings: [Warning]
    public let areas: [AreaResult]
    public let projection: Projection

    init(tally: ContestTally) {
        let contest = tally.contest
        id = contest.id
        title = contest.title
        system = contest.system
        seats = contest.seats
        electorate = contest.electorate
        boxesTotal = contest.boxes.count
        boxesVerified = tally.verifiedBoxes
        boxesCounted = tally.countedBoxes
        boxesCovered = tally.coveredBoxes
        ballotPapers = tally.ballotPapers
        countedBallots = tally.countedBallots
        turnout = electorate.map { Double(tally.ballotPapers) / Double($0) }
        let valid = tally.valid
        self.valid = valid
        rejectedByReason = tally.rejectedByReason.map { RejectedBallots(reason: $0.key, count: $0.value) }
            .sorted { $0.reason < $1.reason }
        rejected = rejectedByReason.reduce(0) { $0 + $1.count }
        let order = contest.candidates.indices.sorted { a, b in
            tally.votes[a] != tally.votes[b] ? tally.votes[a] > tally.votes[b] : a < b
        }
        candidates = order.map { index in
            let candidate = contest.candidates[index]
            return CandidateResult(id: candidate.id, electionIndex: index, name: candidate.name, party: candidate.party, colour: candidate.colour,
                                   votes: tally.votes[index], share: valid == 0 ? 0 : Double(tally.votes[index]) / Double(valid))
        }
        leader = candidates[0].votes > candidates[1].votes ? candidates[0].id : nil
        let lastSeat = contest.system == .block ? contest.seats - 1 : 0
        majority = valid == 0 ? nil : candidates[lastSeat].votes - candidates[lastSeat + 1].votes

        if tally.countsInForce == 0 && tally.verificationsInForce == 0 {
            status = .awaiting
        } else if tally.countsInForce == 0 && tally.coveredBoxes < contest.boxes.count {
            status = .verifying
        } else if tally.coveredBoxes == contest.boxes.count {
            status = .complete
        } else {
            status = .counting
        }

        var winners: [String] = []
        if status == .complete, valid > 0 {
            switch contest.system {
            case .fptp:
                if let leader { winners = [leader] }
            case .sv:
                if let leader, candidates[0].votes * 2 > valid { winners = [leader] }
            case .block:
                if candidates[lastSeat].votes > candidates[lastSeat + 1].votes {
                    winners = candidates[...lastSeat].map(\.id)
                }
            }
        }
        self.winners = winners

        warnings = tally.discrepancies.sorted().map { box in
            let state = tally.boxes[box]
            let id = contest.boxes[box].id
            let papers = state.verifiedPapers ?? 0
            return Warning(box: id, message: "box \(id): verified \(Format.grouped(papers)) ballot papers but counted \(Format.grouped(state.countedBallots)) ballots")
        }

        let model = ProjectionModel(tally: tally)
        projection = Projection(tally: tally, model: model, status: status, winners: winners)
        let complete = status == .complete
        let uncounted = model.areas.map { complete ? 0 : Int($0.uncounted.rounded()) }
        areas = contest.areas.enumerated().map { index, area in
            let state = tally.areas[index]
            return AreaResult(name: area.label, boxes: state.boxCount, verifiedBoxes: state.verifiedBoxes,
                              coveredBoxes: state.coveredBoxes, ballotPapers: state.ballots, countedBallots: state.counted,
                              electorate: area.electorate, votes: state.votes,
                              uncounted: uncounted[index])
        }
    }
}
