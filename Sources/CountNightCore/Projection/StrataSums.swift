#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The projection's sums that depend on strata alone, not on the rest of
/// the count: for a run of strata, or added up over several. A replay makes
/// a snapshot after every batch, and a batch changes one stratum, so the
/// sums of each run of 8 strata are kept (`StrataSumsCache`), added up in
/// pairs up a binary tree (`Tree`), and a batch costs its run's sums and the
/// pairs on their way to the root. The sums are the same whether kept or
/// made afresh, so a projection does not depend on what was kept.
///
/// What does depend on the rest of the count (the estimate of papers in
/// boxes neither verified nor counted, the spreads pooled over all strata)
/// is left to `ProjectionModel`: strata partly counted are listed (`live`)
/// and worked out at every snapshot; strata with nothing counted, whose
/// ballots still to count are linear in the estimate's papers per box and
/// turnout, are kept as sums of the coefficients (`Polynomial`).
struct StrataSums: Sendable {
    /// Every sum in one array (`Layout`), so that keeping, reading and
    /// adding up sums is one array, not one per kind of sum.
    var values: [Double]
    /// Strata worked out at every snapshot: partly counted, and with a
    /// baseline those with nothing counted too. Indices into the strata.
    var live: [Int]

    /// Where each sum is in `values`, for a contest of `count` candidates
    /// and `groups` types. Squares of the candidates hold their upper
    /// triangles (i <= j).
    struct Layout {
        let count: Int
        let groups: Int
        /// Over the strata with ballots counted (see `ProjectionModel.init`).
        let countedVotes: Int, allBatches: Int, within: Int, countedTotal: Int, withinWeight: Int
        /// Box sizes: boxes, groups of boxes, squared log sizes about each
        /// group's mean.
        let sizeBoxes: Int, sizeCells: Int, sizeSquares: Int
        /// Per type: `groupVotes` and `groupOuter` with each type's
        /// `count` and `count * count` in turn, then a number per type.
        let groupVotes: Int, groupOuter: Int, groupCounted: Int, groupStrataSeen: Int
        /// Strata wholly counted (no box neither verified nor counted, and
        /// no verified papers left to count): their ballots.
        let settledBallots: Int
        /// Strata with nothing counted (without a baseline), per type: for
        /// each way of estimating (`Estimate`), the five sums of `Unseen`,
        /// each a `Polynomial`'s six coefficients.
        let unseen: Int
        let size: Int

        /// Offsets stored, not computed at each use: a run's sums are
        /// made after every batch that changes it.
        init(count: Int, groups: Int) {
            self.count = count
            self.groups = groups
            let squares = count * count
            countedVotes = 0
            allBatches = count
            within = allBatches + squares
            countedTotal = within + squares
            withinWeight = countedTotal + 1
            sizeBoxes = withinWeight + 1
            sizeCells = sizeBoxes + 1
            sizeSquares = sizeCells + 1
            groupVotes = sizeSquares + 1
            groupOuter = groupVotes + groups * count
            groupCounted = groupOuter + groups * squares
            groupStrataSeen = groupCounted + groups
            settledBallots = groupStrataSeen + groups
            unseen = settledBallots + groups
            size = unseen + groups * 2 * 5 * 6
        }

        func unseen(group: Int, _ estimate: Estimate, _ sum: Unseen) -> Int {
            unseen + ((group * 2 + estimate.rawValue) * 5 + sum.rawValue) * 6
        }
    }

    /// The estimate of papers in boxes neither verified nor counted: from
    /// the turnout of verified boxes, or papers per box alone.
    enum Estimate: Int { case turnout, perBox }
    /// Of strata with nothing counted, ballots still to count being papers
    /// verified plus the estimate e: Σ (papers + e), Σ (papers + e)², Σ e,
    /// Σ e², and Σ e² h (h: the range's weight for the estimate's own error).
    enum Unseen: Int { case ballots, ballotsSquared, estimated, estimatedSquared, rangeSquared }

    /// Nothing yet: the sums of no stratum.
    init(size: Int) {
        values = Array(repeating: 0, count: size)
        live = []
    }

    /// The strata's sums added in pairs up a binary tree over runs of
    /// strata (`Tree`), the same pairs whether kept (`StrataSumsCache`) or
    /// made afresh here, so that both give the same sums to the last bit; a
    /// tree, so that a change to one stratum costs its run and the pairs on
    /// its way to the root.
    /// Each run's sums are made into the ones given (`make(run, &sums)`:
    /// new and empty here, the run's last where kept).
    static func total(strata: Int, size: Int, make: (Range<Int>, inout StrataSums) -> Void) -> StrataSums {
        let tree = Tree(strata: strata)
        guard strata > 0 else { return StrataSums(size: size) }
        var nodes = [StrataSums?](repeating: nil, count: tree.nodes)
        tree.remake(&nodes, leaves: Array(tree.firstLeaf..<tree.firstLeaf + tree.leaves), make: make)
        return nodes[1]!
    }

    /// A binary tree over runs of `leafSize` strata, numbered as a heap:
    /// the root is 1, node n's children are 2n and 2n + 1, and the leaves
    /// (as many as the power of two at or above the number of runs) start
    /// at `firstLeaf`. A node over no stratum is nil; one over strata on its
    /// left side only has its left child's sums. Runs of 8, not single
    /// strata: every node keeps sums as large as the whole contest's (188
    /// numbers for 6 candidates, 962 for 12 with three types), and a
    /// contest of 10,000 areas would keep 20,000 of them; a run costs its 8
    /// strata's sums again when one changes, a quarter of a block of 32.
    struct Tree {
        static let leafSize = 8
        let strata: Int
        let leaves: Int
        let firstLeaf: Int

        init(strata: Int) {
            self.strata = strata
            leaves = (strata + Self.leafSize - 1) / Self.leafSize
            var power = 1
            while power < leaves { power *= 2 }
            firstLeaf = power
        }

        var nodes: Int { 2 * firstLeaf }
        func node(ofLeaf leaf: Int) -> Int { firstLeaf + leaf }
        func leaf(ofStratum stratum: Int) -> Int { stratum / Self.leafSize }
        func strata(ofLeaf leaf: Int) -> Range<Int> { leaf * Self.leafSize..<min(strata, (leaf + 1) * Self.leafSize) }

        /// Makes the leaves `changed` (their nodes, in order) and the pairs
        /// above them, a level at a time: a parent shared by two of them
        /// comes twice in a row, and is made once.
        func remake(_ nodes: inout [StrataSums?], leaves changed: [Int], make: (Range<Int>, inout StrataSums) -> Void) {
            // A run's sums made again into its own arrays, taken out so
            // that they are not shared: new ones at every batch cost more
            // than the run's additions.
            for node in changed {
                var sums = nodes[node].take() ?? StrataSums(size: 0)
                make(strata(ofLeaf: node - firstLeaf), &sums)
                nodes[node] = sums
            }
            // A level at a time, the list turned into its parents where it
            // lies: a new list at every level cost more than the pairs for
            // the one leaf most batches change.
            var level = changed
            while let first = level.first, first > 1 {
                var parents = 0
                for index in level.indices where parents == 0 || level[parents - 1] != level[index] / 2 {
                    level[parents] = level[index] / 2
                    parents += 1
                }
                level.removeLast(level.count - parents)
                for node in level { pair(&nodes, node) }
            }
        }

        /// Makes node `node`'s sums from its children's, in place where it
        /// has sums of its own: a batch remakes the nodes on its way to the
        /// root, and new arrays for each cost more than the additions.
        func pair(_ nodes: inout [StrataSums?], _ node: Int) {
            guard nodes[2 * node] != nil else {
                nodes[node] = nil
                return
            }
            // The node's sums taken out while they are made, so that its
            // children are read where they are, not copied (a reference
            // taken and let go for each of their arrays, at every level).
            var sums = nodes[node].take()
            // A node over its left child's strata alone keeps a copy of its
            // sums, not the same arrays: sharing them, every change to the
            // child would copy its arrays to write them.
            if sums == nil { sums = StrataSums(size: nodes[2 * node]!.values.count) }
            sums!.set(nodes[2 * node]!, plus: nodes[2 * node + 1])
            nodes[node] = sums.take()
        }
    }

    /// These sums made `left`'s and `right`'s added (`left`'s alone without
    /// `right`).
    mutating func set(_ left: StrataSums, plus right: StrataSums?) {
        if values.count != left.values.count { values = Array(repeating: 0, count: left.values.count) }
        values.withUnsafeMutableBufferPointer { values in
            left.values.withUnsafeBufferPointer { left in
                guard let right else {
                    for index in values.indices { values[index] = left[index] }
                    return
                }
                right.values.withUnsafeBufferPointer { right in
                    for index in values.indices { values[index] = left[index] + right[index] }
                }
            }
        }
        live.removeAll(keepingCapacity: true)
        live += left.live
        if let right { live += right.live }
    }

    init(states: BlockArray<ContestTally.AreaState>, range: Range<Int>, layout: Layout, group: ContestTally.StratumGroups,
         baseline: [[Double]]?) {
        self.init(size: layout.size)
        make(states: states, range: range, layout: layout, group: group, baseline: baseline)
    }

    /// These sums made again as those of the strata `range`: from zero,
    /// in the same order as made new, so to the same bits.
    mutating func make(states: BlockArray<ContestTally.AreaState>, range: Range<Int>, layout: Layout,
                       group: ContestTally.StratumGroups, baseline: [[Double]]?) {
        let count = layout.count
        if values.count == layout.size {
            values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            values = [Double](repeating: 0, count: layout.size)
        }
        // Its own list while the values are written (taken, so not shared).
        var live: [Int] = []
        swap(&live, &self.live)
        live.removeAll(keepingCapacity: true)
        defer { self.live = live }
        let noBaseline = count <= Self.noBaseline.count ? Self.noBaseline : [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { values in
            /// One group of boxes' sum of squared log sizes about its own mean.
            func addSizes(boxes: Int, sum: Int, squares: Int) {
                guard boxes > 0 else { return }
                let mean = Double(sum) / 65536 / Double(boxes)
                values[layout.sizeBoxes] += Double(boxes)
                values[layout.sizeCells] += 1
                values[layout.sizeSquares] += Double(squares) / 65536 - Double(boxes) * mean * mean
            }
            for index in range {
                let g = group(index)
                addSizes(boxes: states[index].boxesWithCount, sum: states[index].countedSizeLog,
                         squares: states[index].countedSizeLogSquares)
                addSizes(boxes: states[index].uncountedKnownBoxes, sum: states[index].uncountedSizeLog,
                         squares: states[index].uncountedSizeLogSquares)
                let n = Double(states[index].counted)
                if n == 0 {
                    if baseline != nil {
                        live.append(index)
                    } else {
                        Self.addUnseen(states[index], group: g, layout: layout, to: values)
                    }
                    continue
                }
                if states[index].unverifiedUncountedBoxes == 0 && Double(states[index].papers) <= n {
                    // Wholly counted: nothing of it is estimated or still to come.
                    values[layout.settledBallots + g] += n
                } else {
                    live.append(index)
                }
                values[layout.countedTotal] += n
                values[layout.groupCounted + g] += n
                values[layout.groupStrataSeen + g] += 1
                let ballotsSquared = states[index].ballotsSquared
                let batches = ballotsSquared > 0 ? n * n / Double(ballotsSquared) : 1
                if batches > 1.0001 { values[layout.withinWeight] += n * (1 - 1 / batches) }
                let base = baseline?[index] ?? noBaseline
                states[index].votes.withUnsafeBufferPointer { votes in
                    states[index].crossProducts.withUnsafeBufferPointer { cross in
                        for i in 0..<count {
                            let vi = Double(votes[i])
                            let bi = base[i]
                            values[layout.countedVotes + i] += vi
                            values[layout.groupVotes + g * count + i] += vi - n * bi
                            for j in i..<count {
                                let vj = Double(votes[j])
                                let bj = base[j]
                                // Σ (V_b - n_b β)(V_b - n_b β)ᵀ / n_b over the stratum's batches.
                                let c = Double(cross[i * count + j]) / 65536 - vi * bj - bi * vj + n * bi * bj
                                let vv = (vi - n * bi) * (vj - n * bj) / n
                                values[layout.allBatches + i * count + j] += c
                                values[layout.groupOuter + (g * count + i) * count + j] += vv
                                if batches > 1.0001 { values[layout.within + i * count + j] += c - vv }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A baseline of no swing for contests without one, kept rather than
    /// made at every run's sums (more candidates than this make their own).
    private static let noBaseline = [Double](repeating: 0, count: 64)

    /// A stratum with nothing counted. Its ballots still to count are its
    /// verified papers and the estimate for its boxes neither verified nor
    /// counted, `e = a + b·perBox + c·turnout` (`ProjectionModel.PapersEstimate`),
    /// so sums of e, e² and e² times the stratum's own weight are sums of
    /// the coefficients' products, kept for both ways of estimating.
    private static func addUnseen(_ state: ContestTally.AreaState, group g: Int, layout: Layout,
                                  to values: UnsafeMutableBufferPointer<Double>) {
        let papers = Double(state.papers)
        let contestBoxes = ProjectionModel.PapersEstimate.contestBoxes
        let share = 1 / (contestBoxes + Double(state.verifiedBoxes + state.unverifiedCountedBoxes))
        func add(_ estimate: Estimate, boxes: Double, electorate: Double) {
            // e = boxes · (perBox · contestBoxes + papers) / (contestBoxes + known) + electorate · turnout
            let a = boxes * papers * share, b = boxes * contestBoxes * share, c = electorate
            func polynomial(_ sum: Unseen) -> Polynomial { Polynomial(values.baseAddress! + layout.unseen(group: g, estimate, sum)) }
            polynomial(.ballots).add(papers + a, b, c)
            polynomial(.ballotsSquared).addSquare(papers + a, b, c, weight: 1)
            polynomial(.estimated).add(a, b, c)
            polynomial(.estimatedSquared).addSquare(a, b, c, weight: 1)
            if boxes > 0 { polynomial(.rangeSquared).addSquare(a, b, c, weight: share + 1 / boxes) }
        }
        add(.turnout, boxes: Double(state.unverifiedUncountedWithoutElectorate), electorate: Double(state.unverifiedUncountedElectorate))
        add(.perBox, boxes: Double(state.unverifiedUncountedBoxes), electorate: 0)
    }

    /// c0 + cp·p + ct·t + cpp·p² + cpt·p·t + ctt·t², summed over strata,
    /// its six coefficients in that order at `start`. Papers, boxes,
    /// papers per box and turnout are never negative, so neither is any
    /// coefficient or term: no sum cancels.
    struct Polynomial {
        let start: UnsafeMutablePointer<Double>

        init(_ start: UnsafeMutablePointer<Double>) { self.start = start }

        func add(_ a: Double, _ b: Double, _ c: Double) {
            start[0] += a
            start[1] += b
            start[2] += c
        }

        /// Adds weight · (a + b·p + c·t)².
        func addSquare(_ a: Double, _ b: Double, _ c: Double, weight: Double) {
            start[0] += weight * a * a
            start[1] += weight * 2 * a * b
            start[2] += weight * 2 * a * c
            start[3] += weight * b * b
            start[4] += weight * 2 * b * c
            start[5] += weight * c * c
        }

        func value(perBox p: Double, turnout t: Double) -> Double {
            start[0] + start[1] * p + start[2] * t + start[3] * p * p + start[4] * p * t + start[5] * t * t
        }
    }
}

/// The `StrataSums` of each run of strata, kept with the stamps of the
/// strata's contents they were made from, and the sums of pairs of them up
/// the strata's tree (`StrataSums.Tree`). A snapshot looks into the blocks of
/// strata whose stamp changed (`ContestTally.strataStamps`), makes again the
/// runs holding a stratum whose own stamp changed, and adds again the pairs
/// above them.
/// Shared by a tally and its copies: a copy that changes a stratum stamps
/// it anew (stamps come from this cache's counter, so no two changes share
/// one), and sums kept for another copy's contents are then simply made
/// again. Locked: copies of a tally may be read on different threads.
final class StrataSumsCache: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var counter: UInt64 = 0
    /// Each block's and each stratum's stamp as the kept sums were made,
    /// and the tree's nodes.
    private var blockStamps: [UInt64?] = []
    private var stratumStamps: [UInt64?] = []
    private var nodes: [StrataSums?] = []
    private var size = -1

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func nextStamp() -> UInt64 {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        counter += 1
        return counter
    }

    /// Every stratum's sums added up, the same as `StrataSums.total` adds
    /// them afresh: a run's kept where its strata's stamps match, and the
    /// pairs above a run made again added again.
    /// Each run's sums are made again into those kept for it (`make(run, &sums)`).
    func total(blockStamps: [UInt64], strata: BlockArray<ContestTally.AreaState>, size: Int,
               make: (Range<Int>, inout StrataSums) -> Void) -> StrataSums {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let tree = StrataSums.Tree(strata: strata.count)
        guard strata.count > 0 else { return StrataSums(size: size) }
        if stratumStamps.count != strata.count || self.size != size {
            self.blockStamps = Array(repeating: nil, count: blockStamps.count)
            stratumStamps = Array(repeating: nil, count: strata.count)
            nodes = Array(repeating: nil, count: tree.nodes)
            self.size = size
        }
        // The strata are in order, so a run holding two changed strata
        // comes twice in a row, and is listed once.
        var changed: [Int] = []
        for block in blockStamps.indices where self.blockStamps[block] != blockStamps[block] {
            self.blockStamps[block] = blockStamps[block]
            for stratum in strata.indices(ofBlock: block) where stratumStamps[stratum] != strata[stratum].sumsStamp {
                stratumStamps[stratum] = strata[stratum].sumsStamp
                let node = tree.node(ofLeaf: tree.leaf(ofStratum: stratum))
                if changed.last != node { changed.append(node) }
            }
        }
        tree.remake(&nodes, leaves: changed, make: make)
        return nodes[1]!
    }
}
