/// The running totals of one contest, kept up to date batch by batch so that
/// a new version costs work in proportion to its own size.
struct ContestTally: Sendable {
    struct BoxState: Sendable {
        /// Papers of the verifications in force; several batches of one box
        /// (a box verified in parts) add up.
        var papers = 0
        var verificationBatches = 0
        var verifiedPapers: Int? { verificationBatches > 0 ? papers : nil }
        /// Ballots of the box-level counts in force.
        var countedBallots = 0
        var countBatches = 0
    }

    /// Sums over an area's boxes and bundles; what is derived from them
    /// (papers, coverage) is recomputed from these in constant time.
    struct AreaState: Sendable {
        var boxCount = 0
        var verifiedBoxes = 0
        var verifiedPapers = 0
        /// Box-level counted ballots of boxes not yet verified: they stand in
        /// for the papers until the verification arrives.
        var unverifiedCounted = 0
        /// Every ballot counted in the area: box-level and area bundles.
        var counted = 0
        /// Votes counted in the area, per candidate in election.json order.
        var votes: [Int] = []
        var boxesWithCount = 0

        var papers: Int { verifiedPapers + unverifiedCounted }
        var ballots: Int { max(papers, counted) }
        var coveredBoxes: Int {
            verifiedBoxes == boxCount && counted >= verifiedPapers ? boxCount : boxesWithCount
        }
        var uncountedPapers: Int { max(0, papers - counted) }
    }

    let contest: Contest
    var votes: [Int]
    var rejectedByReason: [String: Int] = [:]
    var countedBallots = 0
    var countsInForce = 0
    var verificationsInForce = 0
    var boxes: [BoxState]
    var areas: [AreaState]
    var ballotPapers = 0
    var coveredBoxes = 0
    var verifiedBoxes = 0
    var countedBoxes = 0
    /// Boxes whose verified papers and box-level counted ballots differ.
    var discrepancies: Set<Int> = []

    init(contest: Contest) {
        self.contest = contest
        votes = Array(repeating: 0, count: contest.candidates.count)
        boxes = Array(repeating: BoxState(), count: contest.boxes.count)
        areas = contest.areas.map { AreaState(boxCount: $0.boxes.count, votes: Array(repeating: 0, count: contest.candidates.count)) }
    }

    var valid: Int { votes.reduce(0, +) }

    /// Adds (sign +1) or takes away (sign -1) a batch in force.
    mutating func apply(_ batch: Batch, sign: Int) {
        let figures = batch.figures
        if figures.withdrawn { return }
        switch batch.kind {
        case .verification:
            verificationsInForce += sign
            guard case .box(let box) = batch.target else { return }
            updateBox(box) { state in
                state.papers += sign * figures.ballotPapers
                state.verificationBatches += sign
            }
        case .count:
            countsInForce += sign
            for index in votes.indices { votes[index] += sign * figures.votes[index] }
            for entry in figures.rejected {
                let total = rejectedByReason[entry.reason, default: 0] + sign * entry.count
                rejectedByReason[entry.reason] = total == 0 ? nil : total
            }
            countedBallots += sign * figures.ballots
            let area: Int
            switch batch.target {
            case .box(let box): area = contest.areaOfBox[box]
            case .area(let named): area = named
            }
            for index in votes.indices { areas[area].votes[index] += sign * figures.votes[index] }
            switch batch.target {
            case .box(let box):
                updateBox(box) { state in
                    state.countedBallots += sign * figures.ballots
                    state.countBatches += sign
                }
            case .area(let area):
                updateArea(area) { $0.counted += sign * figures.ballots }
            }
        }
    }

    private mutating func updateArea(_ area: Int, _ change: (inout AreaState) -> Void) {
        var state = areas[area]
        change(&state)
        setArea(area, state)
    }

    private mutating func setArea(_ area: Int, _ state: AreaState) {
        ballotPapers += state.ballots - areas[area].ballots
        coveredBoxes += state.coveredBoxes - areas[area].coveredBoxes
        areas[area] = state
    }

    private mutating func updateBox(_ box: Int, _ change: (inout BoxState) -> Void) {
        let before = boxes[box]
        verifiedBoxes -= before.verifiedPapers == nil ? 0 : 1
        countedBoxes -= before.countBatches > 0 ? 1 : 0
        let area = contest.areaOfBox[box]
        var areaState = areas[area]
        Self.addBox(before, to: &areaState, sign: -1)
        change(&boxes[box])
        Self.addBox(boxes[box], to: &areaState, sign: 1)
        setArea(area, areaState)
        let state = boxes[box]
        verifiedBoxes += state.verifiedPapers == nil ? 0 : 1
        countedBoxes += state.countBatches > 0 ? 1 : 0
        if let papers = state.verifiedPapers, state.countBatches > 0, papers != state.countedBallots {
            discrepancies.insert(box)
        } else {
            discrepancies.remove(box)
        }
    }

    private static func addBox(_ box: BoxState, to area: inout AreaState, sign: Int) {
        if let papers = box.verifiedPapers {
            area.verifiedBoxes += sign
            area.verifiedPapers += sign * papers
        } else {
            area.unverifiedCounted += sign * box.countedBallots
        }
        area.counted += sign * box.countedBallots
        area.boxesWithCount += box.countBatches > 0 ? sign : 0
    }
}
