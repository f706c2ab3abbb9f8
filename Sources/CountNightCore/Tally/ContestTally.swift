#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

        /// Whether the box's figures cannot all be true: more ballots counted
        /// than papers verified or electors, or more papers verified than
        /// electors. Two batch names for one box's ballots give this.
        func doesNotAddUp(electorate: Int?) -> Bool {
            if let verified = verifiedPapers, countBatches > 0, countedBallots > verified { return true }
            guard let electorate else { return false }
            return (verificationBatches > 0 && papers > electorate) || (countBatches > 0 && countedBallots > electorate)
        }
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
        /// Ballots counted in the area's own bundles, not box by box.
        var bundleCounted = 0
        /// Second preferences found in the area, per candidate, and the
        /// examined ballots with none for anyone still in the race.
        var transfers: [Int]
        var nonTransferable = 0

        // What the projection needs of the area (see docs/projection.md).
        /// Count batches in force that hold ballots, and the sum of their
        /// ballots squared: how many batches the area's count is made of.
        var countBatches = 0
        var ballotsSquared = 0
        /// For each pair of candidates i <= j, the sum over count batches of
        /// votes(i) x votes(j) / ballots, in units of 1/65536. Fixed point, so
        /// that the sum is exact whatever order the batches arrive in.
        var crossProducts: [Int]
        /// Verified papers not yet matched by the box's own count, summed
        /// over verified boxes.
        var verifiedShortfall = 0
        /// The stamp of the stratum's contents as the projection's kept sums
        /// know them (`StrataSumsCache`), new at every batch that changes it.
        var sumsStamp: UInt64 = 0
        /// Electorate not yet matched by the box's own count, summed over
        /// unverified boxes that have an electorate.
        var unverifiedElectorateLeft = 0
        /// Unverified boxes without an electorate: nothing bounds them.
        var unboundedBoxes = 0
        /// The electorate of unverified boxes that have one.
        var unverifiedElectorate = 0
        var unverifiedCountedBoxes = 0
        var unverifiedUncountedBoxes = 0
        var unverifiedUncountedElectorate = 0
        var unverifiedUncountedWithoutElectorate = 0
        /// Over verified boxes with an electorate: for an estimate of turnout.
        var verifiedElectorate = 0
        var verifiedPapersWithElectorate = 0
        /// Box sizes, as logarithms in units of 1/65536 (exact sums in any
        /// order): of boxes with their own count, and of boxes not counted
        /// whose papers are verified. The projection compares the two, since
        /// small boxes finishing first is the commonest order on a night.
        var countedSizeLog = 0
        var countedSizeLogSquares = 0
        var uncountedKnownBoxes = 0
        var uncountedSizeLog = 0
        var uncountedSizeLogSquares = 0
        /// Logarithms of the electorates of unverified boxes not counted.
        var uncountedElectorateLog = 0

        init(boxCount: Int, candidates: Int) {
            self.boxCount = boxCount
            votes = Array(repeating: 0, count: candidates)
            transfers = Array(repeating: 0, count: candidates)
            crossProducts = Array(repeating: 0, count: candidates * candidates)
        }

        /// The most ballots that can still be counted in the area: each
        /// verified box's papers less what has been counted of it (bundles by
        /// area), and the electorate of each unverified box; nil when an
        /// unverified box has no electorate.
        var remainingBound: Int? {
            unboundedBoxes > 0 ? nil : max(0, verifiedShortfall - bundleCounted) + unverifiedElectorateLeft
        }

        var papers: Int { verifiedPapers + unverifiedCounted }
        var ballots: Int { max(papers, counted) }
        /// Coverage of an area: every box verified and its bundles have
        /// counted at least the verified papers, so every box is counted,
        /// whichever batches counted it.
        var isCovered: Bool { verifiedBoxes == boxCount && counted >= verifiedPapers }
        var coveredBoxes: Int { isCovered ? boxCount : boxesWithCount }
        /// Ballots of the area counted, by box or in bundles.
        var isReporting: Bool { counted > 0 }
        var uncountedPapers: Int { max(0, papers - counted) }

        /// The most ballots the area's boxes can hold: the verified papers of
        /// its verified boxes and the electorate of the others, and never more
        /// than its electorate; nil when an unverified box has no electorate
        /// and the area none either.
        func capacity(electorate: Int?) -> Int? {
            let boxes = unboundedBoxes > 0 ? nil : verifiedPapers + unverifiedElectorate
            switch (boxes, electorate) {
            case let (boxes?, electorate?): return min(boxes, electorate)
            case let (boxes, electorate): return boxes ?? electorate
            }
        }

        /// Whether the area's bundles bring its counted ballots over what its
        /// boxes can hold, as a bundle counted under two batch names does.
        /// Box-level counts alone are checked box by box.
        func doesNotAddUp(electorate: Int?) -> Bool {
            guard bundleCounted > 0, let capacity = capacity(electorate: electorate) else { return false }
            return counted > capacity
        }
    }

    let contest: Contest
    var votes: [Int]
    var rejectedByReason: [String: Int] = [:]
    var countedBallots = 0
    var countsInForce = 0
    var verificationsInForce = 0
    var boxes: [BoxState]
    var areas: BlockArray<AreaState>
    /// The same sums per stratum (an area's boxes of one type), kept only
    /// when boxes have types; otherwise the strata are the areas.
    var strata: BlockArray<AreaState>
    /// The same sums over every box of the contest, kept as boxes change
    /// rather than added up over the areas at every snapshot: the
    /// projection's estimate of unverified papers is made from them.
    private(set) var allBoxes: AreaState
    /// For each block of `projectionStrata`, a stamp of its contents: a new
    /// one whenever a stratum of the block changes (the stratum takes the
    /// same stamp, `AreaState.sumsStamp`), so that the projection's kept
    /// sums look into a block only then, and make again only the run of
    /// strata that holds it (`StrataSumsCache`).
    private var strataStamps: [UInt64]
    private let strataSumsCache = StrataSumsCache()
    /// Over the areas: how many have an unverified box without an
    /// electorate, and the sum of the others' `remainingBound`.
    private var unboundedAreas = 0
    private var boundedRemaining = 0
    var ballotPapers = 0
    var coveredBoxes = 0
    /// Areas with ballots counted: what a call rests on ("12 of 14 areas
    /// reporting"), kept as they change rather than counted over every
    /// area at every snapshot.
    var areasReporting = 0
    var verifiedBoxes = 0
    var countedBoxes = 0
    /// Boxes whose verified papers and box-level counted ballots differ.
    var discrepancies: Set<Int> = []
    /// Boxes and areas whose figures cannot all be true (see
    /// `BoxState.doesNotAddUp` and `AreaState.doesNotAddUp`).
    var boxesNotAddingUp: Set<Int> = []
    var areasNotAddingUp: Set<Int> = []
    /// The declaration in force, if the result has been declared.
    var declaration: Declaration?
    /// How many times a batch was applied or taken away: a contest's
    /// snapshot made at one count is still right while it stays the same.
    private(set) var changes = 0
    /// Supplementary Vote's second stage: second preferences found for each
    /// candidate, and ballots with none for anyone still in the race.
    var transfers: [Int]
    var nonTransferable = 0

    init(contest: Contest) {
        self.contest = contest
        votes = Array(repeating: 0, count: contest.candidates.count)
        transfers = Array(repeating: 0, count: contest.candidates.count)
        boxes = Array(repeating: BoxState(), count: contest.boxes.count)
        areas = BlockArray(contest.areas.map { AreaState(boxCount: $0.boxes.count, candidates: contest.candidates.count) })
        strata = BlockArray([])
        if contest.hasTypes {
            var sizes = [Int](repeating: 0, count: contest.strata.count)
            for stratum in contest.stratumOfBox { sizes[stratum] += 1 }
            strata = BlockArray(sizes.map { AreaState(boxCount: $0, candidates: contest.candidates.count) })
        }
        allBoxes = AreaState(boxCount: contest.boxes.count, candidates: 0)
        strataStamps = Array(repeating: 0, count: strata.isEmpty ? areas.blockCount : strata.blockCount)
        for (index, box) in contest.boxes.enumerated() {
            Self.addBox(BoxState(), electorate: box.electorate, to: &areas[contest.areaOfBox[index]], sign: 1)
            if !strata.isEmpty { Self.addBox(BoxState(), electorate: box.electorate, to: &strata[contest.stratumOfBox[index]], sign: 1) }
            Self.addBox(BoxState(), electorate: box.electorate, to: &allBoxes, sign: 1)
        }
        for area in areas { addBound(area.remainingBound, sign: 1) }
    }

    /// The projection's sums over the strata, added up: each run of strata's
    /// kept since it last changed, or made now (`cached: false` makes them all).
    func strataSums(cached: Bool = true) -> StrataSums {
        let states = projectionStrata
        let layout = StrataSums.Layout(count: contest.candidates.count, groups: projectionGroups)
        // What `make` needs, taken out first: a local function that reads
        // the tally's properties captures a copy of the whole tally.
        let group = projectionGroup, baseline = contest.baseline
        func make(_ strata: Range<Int>, into sums: inout StrataSums) {
            sums.make(states: states, range: strata, layout: layout, group: group, baseline: baseline)
        }
        if cached { return strataSumsCache.total(blockStamps: strataStamps, strata: states, size: layout.size, make: make) }
        return StrataSums.total(strata: states.count, size: layout.size, make: make)
    }

    /// The stratum of the projection a batch changes, if any.
    private func projectionStratum(of batch: Batch) -> Int? {
        switch batch.figures {
        case .withdrawn, .declaration: return nil
        case .verification, .count, .secondPreferences: return strata.isEmpty ? area(of: batch.target) : stratum(of: batch.target)
        }
    }

    /// The most ballots that can still be counted in the contest: the sum of
    /// its areas' `remainingBound`, nil when any is nil.
    var remainingBound: Int? { unboundedAreas > 0 ? nil : boundedRemaining }

    private mutating func addBound(_ remaining: Int?, sign: Int) {
        if let left = remaining { boundedRemaining += sign * left } else { unboundedAreas += sign }
    }

    /// What the projection estimates from: per stratum.
    var projectionStrata: BlockArray<AreaState> {
        get { strata.isEmpty ? areas : strata }
        _modify { if strata.isEmpty { yield &areas } else { yield &strata } }
    }
    /// The groups the projection's strata fall in: the box types, or one
    /// when the strata are the areas.
    var projectionGroups: Int { strata.isEmpty ? 1 : contest.types.count }
    /// The group of each stratum, as a value of its own: a method of the
    /// tally passed as a function would carry a copy of the whole tally
    /// (some forty references, each retained and released) into every
    /// snapshot's projection.
    var projectionGroup: StratumGroups { StratumGroups(contest: contest, byType: !strata.isEmpty) }

    struct StratumGroups {
        let contest: Contest
        let byType: Bool
        func callAsFunction(_ stratum: Int) -> Int { byType ? contest.strata[stratum].group : 0 }
    }

    /// The stratum of a box's or a bundle's batch.
    private func stratum(of target: Batch.Target) -> Int? {
        switch target {
        case .box(let box): return contest.stratumOfBox[box]
        case .area(let area): return contest.bundleStratum[area]
        case .contest: return nil
        }
    }

    var valid: Int { votes.reduce(0, +) }

    /// The contest's electorate is smaller than its boxes' together, or than
    /// the ballot papers verified or counted.
    var electorateTooSmall: Bool {
        guard let electorate = contest.electorate else { return false }
        return electorate < ballotPapers || (contest.boxElectorate.map { electorate < $0 } ?? false)
    }

    /// Somewhere the figures do not add up: a box, an area or the contest
    /// holds more ballots than it can. Nothing is then called certain, since
    /// the lead may be made of ballots counted twice.
    var figuresDoNotAddUp: Bool { !boxesNotAddingUp.isEmpty || !areasNotAddingUp.isEmpty || electorateTooSmall }

    /// Adds (sign +1) or takes away (sign -1) a batch in force.
    mutating func apply(_ batch: Batch, sign: Int) {
        changes += 1
        if let stratum = projectionStratum(of: batch) {
            let stamp = strataSumsCache.nextStamp()
            strataStamps[BlockArray<AreaState>.block(of: stratum)] = stamp
            projectionStrata[stratum].sumsStamp = stamp
        }
        switch batch.figures {
        case .withdrawn:
            return
        case .verification(let papers):
            verificationsInForce += sign
            guard case .box(let box) = batch.target else { return }
            updateBox(box) { state in
                state.papers += sign * papers
                state.verificationBatches += sign
            }
        case .declaration(let declared):
            declaration = sign > 0 ? declared : nil
        case .secondPreferences(let transfers, let none):
            guard let area = area(of: batch.target) else { return }
            for index in transfers.indices {
                self.transfers[index] += sign * transfers[index]
                areas[area].transfers[index] += sign * transfers[index]
            }
            nonTransferable += sign * none
            areas[area].nonTransferable += sign * none
        case .count(let count):
            guard let area = area(of: batch.target) else { return }
            countsInForce += sign
            for index in votes.indices { votes[index] += sign * count.votes[index] }
            for entry in count.rejected {
                // One lookup of the reason, not two: a reason's words are hashed whole.
                let change = sign * entry.count
                if let at = rejectedByReason.index(forKey: entry.reason) {
                    let total = rejectedByReason.values[at] + change
                    if total == 0 { rejectedByReason.remove(at: at) } else { rejectedByReason.values[at] = total }
                } else if change != 0 {
                    rejectedByReason[entry.reason] = change
                }
            }
            countedBallots += sign * count.ballots
            for index in votes.indices { areas[area].votes[index] += sign * count.votes[index] }
            Self.addEvidence(count, to: &areas[area], sign: sign)
            if !strata.isEmpty, let stratum = stratum(of: batch.target) {
                for index in votes.indices { strata[stratum].votes[index] += sign * count.votes[index] }
                Self.addEvidence(count, to: &strata[stratum], sign: sign)
                if case .area = batch.target {
                    strata[stratum].counted += sign * count.ballots
                    strata[stratum].bundleCounted += sign * count.ballots
                }
            }
            switch batch.target {
            case .box(let box):
                updateBox(box) { state in
                    state.countedBallots += sign * count.ballots
                    state.countBatches += sign
                }
            case .area(let area):
                updateArea(area) { state in
                    state.counted += sign * count.ballots
                    state.bundleCounted += sign * count.ballots
                }
            case .contest:
                break
            }
        }
    }

    /// The area a box's or a bundle's batch belongs to.
    private func area(of target: Batch.Target) -> Int? {
        switch target {
        case .box(let box): return contest.areaOfBox[box]
        case .area(let area): return area
        case .contest: return nil
        }
    }

    /// `product` (0 or more) rounded half away from zero, at most 1e17:
    /// what `Int(min(1e17, product.rounded()))` gives, without a call into
    /// the maths library for each of the twenty-odd products of a batch.
    @inline(__always)
    static func roundedProduct(_ product: Double) -> Int {
        let capped = min(1e17, product)
        let whole = Int(capped)
        // Exact: both are doubles of the same sign less than one apart.
        return capped - Double(whole) >= 0.5 ? whole + 1 : whole
    }

    /// Adds what a count batch tells of how batches within its area differ.
    /// Wrapping arithmetic: absurd figures give absurd spreads, never a trap.
    private static func addEvidence(_ count: VoteCount, to area: inout AreaState, sign: Int) {
        let ballots = count.ballots
        guard ballots > 0 else { return }
        area.countBatches += sign
        area.ballotsSquared &+= sign &* ballots &* ballots
        let votes = count.votes
        let count = votes.count
        let scale = 65536 / Double(ballots)
        area.crossProducts.withUnsafeMutableBufferPointer { cross in
            for i in 0..<count where votes[i] > 0 {
                let vi = Double(votes[i]) * scale
                for j in i..<count where votes[j] > 0 {
                    cross[i * count + j] &+= sign &* roundedProduct(vi * Double(votes[j]))
                }
            }
        }
    }

    /// Changes an area's sums where they lie, and the contest's totals that
    /// follow from them: copied out and back, every change took and let go
    /// of a reference to each of the area's lists.
    private mutating func updateArea(_ area: Int, _ change: (inout AreaState) -> Void) {
        let old = (ballots: areas[area].ballots, covered: areas[area].coveredBoxes, bound: areas[area].remainingBound,
                   reporting: areas[area].isReporting)
        change(&areas[area])
        ballotPapers += areas[area].ballots - old.ballots
        coveredBoxes += areas[area].coveredBoxes - old.covered
        areasReporting += (areas[area].isReporting ? 1 : 0) - (old.reporting ? 1 : 0)
        addBound(old.bound, sign: -1)
        addBound(areas[area].remainingBound, sign: 1)
        if areas[area].doesNotAddUp(electorate: contest.areas[area].electorate) {
            areasNotAddingUp.insert(area)
        } else if !areasNotAddingUp.isEmpty {
            areasNotAddingUp.remove(area)
        }
    }

    private mutating func updateBox(_ box: Int, _ change: (inout BoxState) -> Void) {
        let before = boxes[box]
        change(&boxes[box])
        let after = boxes[box]
        verifiedBoxes += (after.verifiedPapers == nil ? 0 : 1) - (before.verifiedPapers == nil ? 0 : 1)
        countedBoxes += (after.countBatches > 0 ? 1 : 0) - (before.countBatches > 0 ? 1 : 0)
        let electorate = contest.boxes[box].electorate
        updateArea(contest.areaOfBox[box]) { area in
            Self.addBox(before, electorate: electorate, to: &area, sign: -1)
            Self.addBox(after, electorate: electorate, to: &area, sign: 1)
        }
        if !strata.isEmpty {
            let stratum = contest.stratumOfBox[box]
            Self.addBox(before, electorate: electorate, to: &strata[stratum], sign: -1)
            Self.addBox(after, electorate: electorate, to: &strata[stratum], sign: 1)
        }
        Self.addBox(before, electorate: electorate, to: &allBoxes, sign: -1)
        Self.addBox(after, electorate: electorate, to: &allBoxes, sign: 1)
        if let papers = after.verifiedPapers, after.countBatches > 0, papers != after.countedBallots {
            discrepancies.insert(box)
        } else if !discrepancies.isEmpty {
            // Asked only of a set with something in it: hashing the box
            // for an empty one was a part of every batch's cost.
            discrepancies.remove(box)
        }
        if after.doesNotAddUp(electorate: electorate) {
            boxesNotAddingUp.insert(box)
        } else if !boxesNotAddingUp.isEmpty {
            boxesNotAddingUp.remove(box)
        }
    }

    private static func addBox(_ box: BoxState, electorate: Int?, to area: inout AreaState, sign: Int) {
        if let papers = box.verifiedPapers {
            area.verifiedBoxes += sign
            area.verifiedPapers += sign * papers
            area.verifiedShortfall += sign * max(0, papers - box.countedBallots)
            if let electorate {
                area.verifiedElectorate += sign * electorate
                area.verifiedPapersWithElectorate += sign * papers
            }
        } else {
            area.unverifiedCounted += sign * box.countedBallots
            if let electorate {
                area.unverifiedElectorateLeft += sign * max(0, electorate - box.countedBallots)
                area.unverifiedElectorate += sign * electorate
            } else {
                area.unboundedBoxes += sign
            }
            if box.countBatches > 0 {
                area.unverifiedCountedBoxes += sign
            } else {
                area.unverifiedUncountedBoxes += sign
                if let electorate {
                    area.unverifiedUncountedElectorate += sign * electorate
                } else {
                    area.unverifiedUncountedWithoutElectorate += sign
                }
            }
        }
        area.counted += sign * box.countedBallots
        area.boxesWithCount += box.countBatches > 0 ? sign : 0
        if box.countBatches > 0 {
            let size = sizeLog(box.verifiedPapers ?? box.countedBallots)
            area.countedSizeLog += sign * size
            area.countedSizeLogSquares &+= sign &* ((size &* size) >> 16)
        } else if let papers = box.verifiedPapers {
            let size = sizeLog(papers)
            area.uncountedKnownBoxes += sign
            area.uncountedSizeLog += sign * size
            area.uncountedSizeLogSquares &+= sign &* ((size &* size) >> 16)
        } else if let electorate {
            area.uncountedElectorateLog += sign * sizeLog(electorate)
        }
    }

    /// log(size) in units of 1/65536.
    static func sizeLog(_ size: Int) -> Int { Int((log(Double(max(1, size))) * 65536).rounded()) }
}
