#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The projection's arithmetic. It works on strata (an area's boxes of one
/// type; the areas themselves when boxes have no type), never on single
/// boxes, so its cost does not grow with the number of boxes counted.
///
/// For any weighting `w` of the candidates (a margin between two, a
/// distance from half), the final total `w · votes` is the counted part plus,
/// for each stratum, its expected uncounted ballots times the stratum's rate
/// (`w · votes / ballots` counted there; its type's rate, or the contest's,
/// for a stratum with nothing counted). Two things are said of it:
/// - a variance, from how batches and strata differ were the rest counted in
///   no particular order: it gives the 90% ranges;
/// - an allowance for the order not being random (`adverse`): small boxes
///   first, one type of vote before another, one side's areas first. A call
///   must survive the allowance taken against it, as well as the variance.
/// docs/projection.md gives the reasoning and the figures chosen.
struct ProjectionModel {
    /// What the model works out for one area (or stratum).
    struct AreaEvidence {
        var counted: Double
        /// Expected ballots still to count.
        var uncounted: Double
        /// The part of the area's ballots that rests on an estimate of papers
        /// in boxes not verified yet.
        var estimatedPapers: Double
        /// How many boxes that estimate is for, and how many of the area's
        /// boxes are known (verified or counted) to make it from.
        var estimatedBoxes: Double
        var knownBoxes: Double
    }

    /// How far a batch's rate may stray within a stratum before any batches
    /// show how far they do, as a multiple of a multinomial spread.
    static let withinPrior = 0.02
    /// The weight, in batches, that a stratum's own spread must outweigh
    /// before it counts for more than the spread pooled over all strata:
    /// two or three batches alike say little about how the rest stray.
    static let pooledBatches = 4.0
    /// The least spread between strata, as a multiple of a multinomial spread.
    static let betweenFloor = 0.12
    /// With a baseline, the floor (and the widening while few strata are
    /// counted) is on the swing from it, which differs from place to place
    /// less than shares do: this part of it.
    static let swingFloor = 0.25
    /// More spread while few strata are counted. Weighs
    /// `betweenPriorAreas / (strata counted + betweenPriorAreas)`.
    static let betweenPrior = 0.3
    static let betweenPriorAreas = 2.0
    /// The spread between strata never less than this part of the spread of
    /// all batches about the contest's rate: strata counted first may be the
    /// most alike (one side's strongholds), and their spread then understates
    /// the others'.
    static let betweenOfBatches = 1.0
    /// A type of vote of which nothing is counted may differ from the rest by
    /// this many spreads of the batches (postal votes and polling-day votes
    /// have differed by 24 to 35 points).
    static let unseenTypeSpreads = 2.5
    /// Ballots of an even split added to the counted shares where a floor
    /// is worked out from them.
    static let floorBallots = 100.0
    /// The least spread of log box size assumed for boxes whose size is
    /// unknown: the boxes known first may be the most alike (the smallest).
    static let unknownSizeSpread = 0.3
    /// The second stage's spread between areas in the finalists' shares of
    /// the examined ballots: a floor, and more while few areas are done.
    static let transferFloor = 0.02
    static let transferPrior = 0.15
    /// How uncertain an estimate of the papers in unverified boxes is, at
    /// best; more while it rests on few boxes (plus one over the square root
    /// of their number).
    static let papersSpread = 0.25

    let candidates: Int
    /// How the papers of boxes neither verified nor counted are estimated:
    /// the screens' ballots still to count in each area come from it.
    let estimate: PapersEstimate
    /// The ballots still to count, over the areas.
    let uncounted: Double
    let countedTotal: Double
    /// Some box is neither verified nor counted and nothing yet says how
    /// many papers such a box holds (no box verified or counted on its own,
    /// only bundles): then the model cannot say what is still to count.
    let papersUnknown: Bool
    /// Expected final votes per candidate, and their covariance: the
    /// covariance with the floors that a call must clear, and the one the
    /// 90% ranges are drawn from, which says what to expect were the rest
    /// counted in no particular order (no floors, no allowance).
    let totals: [Double]
    let covariance: [Double]
    let rangeCovariance: [Double]
    /// `adversePair[i * candidates + j]`: the votes by which the order of
    /// counting could plausibly move i's final lead over j against i.
    let adversePair: [Double]
    /// Against candidate a passing half of the valid votes, and against a
    /// staying at or below half.
    let adverseAboveHalf: [Double]
    let adverseBelowHalf: [Double]

    /// Where the papers of boxes neither verified nor counted are estimated from.
    struct PapersEstimate: Equatable, Sendable {
        var perBox: Double
        var turnout: Double?

        /// Boxes of an area (or stratum) are like the area's other boxes
        /// before they are like the contest's: its own papers per known box,
        /// weighed against the contest's as this many boxes.
        static let contestBoxes = 3.0

        func papers(_ state: ContestTally.AreaState, known: Double) -> Double {
            let perBox = (self.perBox * Self.contestBoxes + Double(state.papers)) / (Self.contestBoxes + known)
            var estimated = Double(state.unverifiedUncountedWithoutElectorate) * perBox
            if let turnout {
                estimated += Double(state.unverifiedUncountedElectorate) * turnout
            } else {
                estimated += Double(state.unverifiedUncountedBoxes - state.unverifiedUncountedWithoutElectorate) * perBox
            }
            return estimated
        }

        func evidence(_ state: ContestTally.AreaState) -> AreaEvidence {
            let known = Double(state.verifiedBoxes + state.unverifiedCountedBoxes)
            let estimated = papers(state, known: known)
            let counted = Double(state.counted)
            let uncounted = max(0, Double(state.papers) + estimated - counted)
            let boxes = Double(turnout == nil ? state.unverifiedUncountedBoxes : state.unverifiedUncountedWithoutElectorate)
            return AreaEvidence(counted: counted, uncounted: uncounted, estimatedPapers: min(estimated, uncounted), estimatedBoxes: boxes,
                                knownBoxes: known)
        }
    }

    /// Passes over the strata with no allocation per stratum: a snapshot
    /// is made after every batch of a replay, so this runs very often.
    /// `cached: false` makes every block's `StrataSums` afresh rather than
    /// take those kept (the same figures, bit for bit; for tests and the
    /// projection's benchmark).
    init(tally: borrowing ContestTally, cached: Bool = true) {
        let count = tally.contest.candidates.count
        let contest = tally.contest
        candidates = count
        // Papers in boxes that are neither verified nor counted: electorate
        // times the turnout of verified boxes, else papers per known box.
        let all = tally.allBoxes
        let verifiedElectorate = all.verifiedElectorate, verifiedPapersWithElectorate = all.verifiedPapersWithElectorate
        let knownPapers = all.papers, knownBoxes = all.verifiedBoxes + all.unverifiedCountedBoxes
        let unknownWithout = all.unverifiedUncountedWithoutElectorate
        let unknownWith = all.unverifiedUncountedBoxes - all.unverifiedUncountedWithoutElectorate
        let estimate = PapersEstimate(
            perBox: knownBoxes > 0 ? Double(knownPapers) / Double(knownBoxes) : 0,
            turnout: verifiedElectorate > 0 ? Double(verifiedPapersWithElectorate) / Double(verifiedElectorate) : nil)
        papersUnknown = estimate.perBox == 0 && (unknownWithout > 0 || (unknownWith > 0 && estimate.turnout == nil))
        self.estimate = estimate
        let states = tally.projectionStrata
        let groupCount = tally.projectionGroups
        let group = tally.projectionGroup
        // With a previous result for every stratum, strata are compared by
        // their swing from it (rate less baseline), which differs less from
        // place to place than the rates themselves; an uncounted stratum is
        // its baseline plus the swing. Without one, the baseline is zero.
        let baseline = contest.baseline

        // First pass: counted votes; per type, the sum of V Vᵀ / n over
        // counted strata (their spread); within strata, the batches' spread
        // about the stratum's rate (pooled); box sizes. Kept per block of
        // strata (`StrataSums`): only the strata the estimate of papers
        // reaches (`live`, and those with nothing counted) are looked at here.
        let strataSums = tally.strataSums(cached: cached)
        let layout = StrataSums.Layout(count: count, groups: groupCount)
        let squares = count * count
        // The sums (a copy, whose squares are filled in below) and every
        // working figure of this model in one allocation: some twenty arrays
        // taken and freed at every snapshot cost more than their arithmetic.
        var scratch = Scratch(capacity: strataSums.values.count + groupCount * 8 + squares * (7 + 2 * groupCount)
                                  + count * (5 + 2 * groupCount))
        defer { scratch.free() }
        let sums = scratch.take(copying: strataSums.values)
        let countedVotes = UnsafeBufferPointer(start: sums + layout.countedVotes, count: count)
        let allBatches = sums + layout.allBatches
        let within = sums + layout.within
        let countedTotal = sums[layout.countedTotal], withinWeight = sums[layout.withinWeight]
        let sizeBoxes = sums[layout.sizeBoxes], sizeCells = sums[layout.sizeCells], sizeSquares = sums[layout.sizeSquares]
        let groupVotes = sums + layout.groupVotes
        let groupOuter = sums + layout.groupOuter
        let groupCounted = sums + layout.groupCounted
        let groupStrataSeen = sums + layout.groupStrataSeen
        let groupExpected = sums + layout.settledBallots
        let groupSeenExpected = scratch.take(copying: UnsafeBufferPointer(start: groupExpected, count: groupCount))
        // The strata the estimate reaches, in order.
        var live: [(index: Int, evidence: AreaEvidence)] = []
        live.reserveCapacity(strataSums.live.count)
        var liveUncounted = 0.0
        for index in strataSums.live {
            let area = estimate.evidence(states[index])
            let g = group(index)
            groupExpected[g] += area.counted + area.uncounted
            if area.counted > 0 { groupSeenExpected[g] += area.counted + area.uncounted }
            liveUncounted += area.uncounted
            live.append((index, area))
        }
        // Strata with nothing counted (without a baseline): their sums from
        // the coefficients kept, at this estimate.
        let perBox = estimate.perBox, turnout = estimate.turnout ?? 0
        let way: StrataSums.Estimate = estimate.turnout == nil ? .perBox : .turnout
        func unseen(_ sum: StrataSums.Unseen) -> UnsafeMutablePointer<Double> {
            let values = scratch.take(groupCount)
            for g in 0..<groupCount {
                values[g] = StrataSums.Polynomial(sums + layout.unseen(group: g, way, sum)).value(perBox: perBox, turnout: turnout)
            }
            return values
        }
        let unseenBallots = unseen(.ballots)
        let unseenSquares = unseen(.ballotsSquared)
        let unseenEstimated = unseen(.estimated)
        let unseenEstimatedSquares = unseen(.estimatedSquared)
        let unseenRangeSquares = unseen(.rangeSquared)
        for g in 0..<groupCount { groupExpected[g] += unseenBallots[g] }
        if !tally.strata.isEmpty {
            var sum = 0.0
            for area in tally.areas { sum += estimate.evidence(area).uncounted }
            uncounted = sum
        } else {
            var unseenSum = 0.0
            for g in 0..<groupCount { unseenSum += unseenBallots[g] }
            uncounted = liveUncounted + unseenSum
        }
        for i in 0..<count {
            for j in 0..<i {
                allBatches[i * count + j] = allBatches[j * count + i]
                within[i * count + j] = within[j * count + i]
                for g in 0..<groupCount { groupOuter[(g * count + i) * count + j] = groupOuter[(g * count + j) * count + i] }
            }
        }
        self.countedTotal = countedTotal
        let overall = countedTotal > 0 ? countedVotes.map { $0 / countedTotal } : Array(countedVotes)
        // The contest's rate, or with a baseline its swing.
        var overallSwing = overall
        if baseline != nil {
            for i in 0..<count {
                let swing = (0..<groupCount).reduce(0.0) { $0 + groupVotes[$1 * count + i] }
                overallSwing[i] = countedTotal > 0 ? swing / countedTotal : 0
            }
        }
        // The floors' multinomial spread from shares with a few ballots'
        // worth of an even split added: a first box all for one candidate
        // must not make every floor zero.
        let smoothing = Self.floorBallots / Double(max(1, count))
        let multinomial = Self.multinomial(countedVotes.map { ($0 + smoothing) / (countedTotal + Self.floorBallots) })
        // The batches' spread about the contest's rate, and within strata, pooled.
        let batchSpread = scratch.take(squares)
        let pooled = scratch.take(squares)
        let pooledRange = scratch.take(squares)
        for index in 0..<squares {
            let i = index / count, j = index % count
            if countedTotal > 0 { batchSpread[index] = (allBatches[index] / countedTotal - overallSwing[i] * overallSwing[j]) }
            pooled[index] = Self.withinPrior * multinomial[index] + (withinWeight > 0 ? within[index] / withinWeight : 0)
            // For the ranges, the assumed spread only until batches show one.
            pooledRange[index] = withinWeight > 0 ? within[index] / withinWeight : Self.withinPrior * multinomial[index]
        }
        let sizeSpread = max(0.05, sizeBoxes > sizeCells ? (max(0, sizeSquares) / (sizeBoxes - sizeCells)).squareRoot() : 0.05)

        // Per type: its rate, and how its strata differ (see betweenOfBatches).
        let groupRate = scratch.take(count * groupCount)
        let between = scratch.take(squares * groupCount)
        let betweenRange = scratch.take(squares * groupCount)
        for g in 0..<groupCount {
            let n = groupCounted[g]
            let seen = groupStrataSeen[g]
            let swing = baseline == nil ? 1 : Self.swingFloor
            let early = swing * Self.betweenPrior * Self.betweenPriorAreas / (seen + Self.betweenPriorAreas)
            let widening = swing * Self.betweenFloor + early
            for i in 0..<count { groupRate[g * count + i] = n > 0 ? groupVotes[g * count + i] / n : overallSwing[i] }
            for i in 0..<count {
                for j in 0..<count {
                    let index = (g * count + i) * count + j
                    // How the strata counted differ; with nothing of this type
                    // counted, it may differ as much as batches do.
                    let strataSpread = n > 0
                        ? (groupOuter[index] / n - groupRate[g * count + i] * groupRate[g * count + j]) * (seen > 1 ? seen / (seen - 1) : 1)
                        : batchSpread[i * count + j]
                    between[index] = widening * multinomial[i * count + j] + Self.betweenOfBatches * batchSpread[i * count + j] + strataSpread
                    // The ranges: no floor, no spread of all batches.
                    betweenRange[index] = early * multinomial[i * count + j] + strataSpread
                }
            }
        }

        let papersSpread = Self.papersSpread + 1 / Double(max(1, knownBoxes)).squareRoot()
        // Boxes of unknown size (neither verified nor with an electorate):
        // the boxes known so far may be the most one-sided selection of all
        // of them by size (the smallest report first), so the unknown ones
        // may be larger, and vote unlike the known ones, by as many spreads
        // as that selection makes.
        let allBoxes = contest.boxes.count
        let unknownShift = Self.selectionShift(seen: Double(knownBoxes) / Double(max(1, allBoxes)))
        let largerPapers = exp(unknownShift * max(sizeSpread, Self.unknownSizeSpread)) - 1

        // Second pass: the expected totals, their covariance and the
        // allowances for the order of counting.
        // The sums and the scratch of this pass in one block, read and
        // written through pointers: it runs over every stratum not wholly
        // counted, at every snapshot, and checks of each array's uniqueness
        // and bounds at every element cost more than its arithmetic.
        let work = scratch.take(4 * squares + 5 * count)
        var results: (totals: [Double], covariance: [Double], rangeCovariance: [Double], adversePair: [Double],
                      aboveHalf: [Double], belowHalf: [Double]) = ([], [], [], [], [], [])
        let unseenBase = scratch.take(count * groupCount)
        let sizeSpreadAssumed = max(sizeSpread, Self.unknownSizeSpread)
        // Without a baseline, every stratum with nothing counted votes at its
        // type's rate: their sums are added once, below.
        let unseenPapersSquared = scratch.take(groupCount), unseenRangePapersSquared = scratch.take(groupCount)
        for g in 0..<groupCount {
            unseenPapersSquared[g] = papersSpread * papersSpread * unseenEstimatedSquares[g]
            unseenRangePapersSquared[g] = sizeSpreadAssumed * sizeSpreadAssumed * unseenRangeSquares[g]
        }

        do {
        let covariance = work, rangeCovariance = covariance + squares, adversePair = rangeCovariance + squares
        let spread = adversePair + squares, aboveHalf = spread + squares, belowHalf = aboveHalf + count
        let rates = belowHalf + count, rowSums = rates + count, totals = rowSums + count
        for i in 0..<count { totals[i] = countedVotes[i] }
        /// Adds, for each weighting, `ballots × imbalance × spread(w)` and
        /// the extra papers voting at the rate less that allowance.
        func addAdverse(ballots: Double, imbalance: Double, extra: Double) {
            guard imbalance > 0 || extra > 0 else { return }
            var total = 0.0
            for i in 0..<count {
                var row = 0.0
                for j in 0..<count { row += spread[i * count + j] }
                rowSums[i] = row
                total += row
            }
            var rateSum = 0.0
            for i in 0..<count { rateSum += rates[i] }
            for i in 0..<count {
                for j in 0..<count where j != i {
                    let sd = max(0, spread[i * count + i] + spread[j * count + j] - 2 * spread[i * count + j]).squareRoot()
                    let shift = imbalance * sd
                    adversePair[i * count + j] += ballots * shift + extra * max(0, shift - (rates[i] - rates[j]))
                }
                // w = e_i - ½·1: wᵀ S w = S_ii - Σ_j S_ij + ¼ ΣΣ S.
                let sd = max(0, spread[i * count + i] - rowSums[i] + total / 4).squareRoot()
                let shift = imbalance * sd
                let margin = rates[i] - rateSum / 2
                aboveHalf[i] += ballots * shift + extra * max(0, shift - margin)
                belowHalf[i] += ballots * shift + extra * max(0, shift + margin)
            }
        }

        for (index, area) in live {
            guard area.uncounted > 0 else { continue }
            let g = group(index)
            let papers = papersSpread * area.estimatedPapers
            // For the ranges: the estimate's own error, from how box sizes
            // spread (sd of log size, about their relative spread), the
            // boxes it rests on and the boxes it is for.
            let rangePapers = area.estimatedBoxes > 0
                ? sizeSpreadAssumed * area.estimatedPapers
                    * (1 / (area.knownBoxes + PapersEstimate.contestBoxes) + 1 / area.estimatedBoxes).squareRoot()
                : 0
            // Nothing counted: live only with a baseline (`StrataSums`).
            if area.counted == 0, let baseline {
                unseenBallots[g] += area.uncounted
                unseenSquares[g] += area.uncounted * area.uncounted
                unseenEstimated[g] += area.estimatedPapers
                let base = baseline[index]
                for i in 0..<count {
                    let rate = groupRate[g * count + i] + base[i]
                    totals[i] += area.uncounted * rate
                    unseenBase[g * count + i] += area.uncounted * base[i]
                    for j in 0..<count {
                        let product = rate * (groupRate[g * count + j] + base[j])
                        covariance[i * count + j] += papers * papers * product
                        rangeCovariance[i * count + j] += rangePapers * rangePapers * product
                    }
                }
                continue
            }
            let state = states[index]
            let n = area.counted
            for i in 0..<count { rates[i] = Double(state.votes[i]) / n }
            let batches = state.ballotsSquared > 0 ? n * n / Double(state.ballotsSquared) : 1
            // The stratum's own spread, weighed against the pooled one.
            let ownWeight = max(0, batches - 1)
            let scale = area.uncounted * area.uncounted / batches + area.uncounted * (n / batches)
            state.crossProducts.withUnsafeBufferPointer { cross in
                for i in 0..<count {
                    for j in i..<count {
                        let own = ownWeight > 0 ? (Double(cross[i * count + j]) / 65536 / n - rates[i] * rates[j]) * batches / ownWeight : 0
                        let weighted = ownWeight * max(own, i == j ? 0 : -Double.infinity)
                        let value = (weighted + Self.pooledBatches * pooled[i * count + j]) / (ownWeight + Self.pooledBatches)
                        spread[i * count + j] = value
                        spread[j * count + i] = value
                        let range = scale * (weighted + Self.pooledBatches * pooledRange[i * count + j]) / (ownWeight + Self.pooledBatches)
                            + rangePapers * rangePapers * rates[i] * rates[j]
                        rangeCovariance[i * count + j] += range
                        if j != i { rangeCovariance[j * count + i] += range }
                    }
                }
            }
            // The counted batches' mean is itself uncertain, and the ballots
            // to come form batches that stray like these did (`scale`).
            for i in 0..<count {
                totals[i] += area.uncounted * rates[i]
                for j in 0..<count {
                    covariance[i * count + j] += scale * spread[i * count + j] + papers * papers * rates[i] * rates[j]
                }
            }
            // Boxes not counted unlike the counted ones in size: by more than
            // chance would make them, they may vote unlike them too.
            let counted = Double(state.boxesWithCount)
            guard counted > 0 else { continue }
            let countedMean = Double(state.countedSizeLog) / 65536 / counted
            var knownBoxes = Double(state.uncountedKnownBoxes)
            var knownSum = Double(state.uncountedSizeLog) / 65536
            let withElectorate = Double(state.unverifiedUncountedBoxes - state.unverifiedUncountedWithoutElectorate)
            var unknownBoxes = Double(state.unverifiedUncountedWithoutElectorate)
            if let turnout = estimate.turnout, turnout > 0 {
                knownBoxes += withElectorate
                knownSum += Double(state.uncountedElectorateLog) / 65536 + withElectorate * log(turnout)
            } else {
                unknownBoxes += withElectorate
            }
            var imbalance = 0.0
            if knownBoxes > 0 {
                let gap = abs(knownSum / knownBoxes - countedMean) / sizeSpread
                imbalance = max(0, gap - (1 / counted + 1 / knownBoxes).squareRoot())
            }
            if knownBoxes + unknownBoxes > 0 {
                imbalance = (knownBoxes * imbalance + unknownBoxes * unknownShift) / (knownBoxes + unknownBoxes)
            }
            addAdverse(ballots: area.uncounted, imbalance: imbalance, extra: area.estimatedPapers * largerPapers)
        }

        if baseline == nil {
            for g in 0..<groupCount where unseenBallots[g] > 0 {
                for i in 0..<count {
                    let rate = groupRate[g * count + i]
                    totals[i] += unseenBallots[g] * rate
                    for j in 0..<count {
                        let product = rate * groupRate[g * count + j]
                        covariance[i * count + j] += unseenPapersSquared[g] * product
                        rangeCovariance[i * count + j] += unseenRangePapersSquared[g] * product
                    }
                }
            }
        }

        // Strata not yet counted each stray, and together they may differ
        // from the strata of their type counted so far (strongholds first):
        // by chance (variance) and by the order (allowance).
        for g in 0..<groupCount where unseenBallots[g] > 0 {
            let unseen = unseenSquares[g] + unseenBallots[g] * unseenBallots[g]
            // In no particular order, the unseen strata's mean strays from
            // the seen strata's as the mean of that many strata does.
            let unseenRange = unseenSquares[g] + unseenBallots[g] * unseenBallots[g] / max(1, groupStrataSeen[g])
            for i in 0..<count {
                rates[i] = groupRate[g * count + i] + unseenBase[g * count + i] / unseenBallots[g]
                for j in 0..<count {
                    let value = between[(g * count + i) * count + j]
                    covariance[i * count + j] += unseen * value
                    rangeCovariance[i * count + j] += unseenRange * betweenRange[(g * count + i) * count + j]
                    spread[i * count + j] = value
                }
            }
            let shift: Double
            if groupCounted[g] > 0 {
                shift = Self.selectionShift(seen: groupSeenExpected[g] / max(1, groupExpected[g]))
            } else {
                // Nothing of the type counted: its own rate is a guess.
                shift = Self.unseenTypeSpreads
                for i in 0..<count { for j in 0..<count { spread[i * count + j] = batchSpread[i * count + j] } }
            }
            addAdverse(ballots: unseenBallots[g], imbalance: shift, extra: unseenEstimated[g] * largerPapers)
        }
        func array(_ start: UnsafeMutablePointer<Double>, _ count: Int) -> [Double] { Array(UnsafeBufferPointer(start: start, count: count)) }
        results = (array(totals, count), array(covariance, squares), array(rangeCovariance, squares), array(adversePair, squares),
                   array(aboveHalf, count), array(belowHalf, count))
        }
        (totals, covariance, rangeCovariance, adversePair, adverseAboveHalf, adverseBelowHalf) = results
    }

    /// Working figures of one model, taken in turn from one allocation,
    /// each zeroed.
    private struct Scratch {
        private let base: UnsafeMutablePointer<Double>
        private let capacity: Int
        private var used = 0

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        mutating func take(_ count: Int) -> UnsafeMutablePointer<Double> {
            precondition(used + count <= capacity, "the projection's scratch is too small")
            let start = base + used
            start.initialize(repeating: 0, count: count)
            used += count
            return start
        }

        mutating func take<Values: Collection<Double>>(copying values: Values) -> UnsafeMutablePointer<Double> {
            let start = take(values.count)
            for (offset, value) in values.enumerated() { start[offset] = value }
            return start
        }

        func free() { base.deallocate() }
    }

    /// How far, in spreads, the mean of the strata not yet counted can be
    /// from that of those counted, were the counted ones the most one-sided
    /// part `seen` of them: φ(z) / (f (1 - f)) with z = Φ⁻¹(1 - f).
    static func selectionShift(seen: Double) -> Double {
        let f = min(0.99, max(0.01, seen))
        let z = Normal.quantile(1 - f)
        let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
        return density / (f * (1 - f))
    }

    /// The spread of votes among ballots with these rates, were each ballot
    /// an independent draw: diag(p) - p pᵀ / max(1, Σp). Positive
    /// semi-definite also for block contests, where Σp can pass 1.
    static func multinomial(_ rates: [Double]) -> [Double] {
        let count = rates.count
        let total = max(1, rates.reduce(0, +))
        var matrix = Array(repeating: 0.0, count: count * count)
        for i in 0..<count {
            for j in 0..<count { matrix[i * count + j] = (i == j ? rates[i] : 0) - rates[i] * rates[j] / total }
        }
        return matrix
    }

    /// Through pointers: the ranges ask this for every candidate at every
    /// snapshot, and the arrays' bounds checks cost more than the products.
    private func quadratic(_ matrix: [Double], _ w: [Double]) -> Double {
        let n = candidates
        precondition(matrix.count >= n * n && w.count >= n)
        return matrix.withUnsafeBufferPointer { matrix in
            w.withUnsafeBufferPointer { w in
                var sum = 0.0
                for i in 0..<n where w[i] != 0 {
                    var row = 0.0
                    for j in 0..<n where w[j] != 0 { row += matrix[i * n + j] * w[j] }
                    sum += w[i] * row
                }
                return sum
            }
        }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<candidates { sum += a[i] * b[i] }
        return sum
    }

    /// The expected final value of `w · votes`, and its variance.
    func moments(_ w: [Double]) -> (mean: Double, variance: Double) {
        (dot(w, totals), max(0, quadratic(covariance, w)))
    }

    /// The probability that `w · votes` ends above zero (ties count as not),
    /// with `against` votes of allowance taken from it first.
    func probabilityPositive(_ w: [Double], against: Double = 0) -> Double {
        let (mean, variance) = moments(w)
        return Self.probabilityPositive(mean: mean, variance: variance, against: against)
    }

    private static func probabilityPositive(mean: Double, variance: Double, against: Double) -> Double {
        let shifted = mean - against
        if variance <= 1e-9 { return shifted > 0.5 ? 1 : 0 }
        // A tie is a whole number of votes: continuity, half a vote.
        return Normal.cdf((shifted - 0.5) / variance.squareRoot())
    }

    /// The chance that candidate `a` ends with more votes than `b`, after
    /// the order's allowance is taken against `a`.
    func probabilityAhead(_ a: Int, of b: Int, allowance: Bool = true) -> Double {
        // `moments` of w = e_a - e_b written out, with no array for w: a
        // snapshot asks this for every pair it calls. The same additions in
        // the same order, so the same bits (each product is by ±1, and a sum
        // of two does not depend on their order).
        let n = candidates
        let mean = totals[a] - totals[b]
        let variance = max(0, (covariance[a * n + a] - covariance[a * n + b]) - (covariance[b * n + a] - covariance[b * n + b]))
        return Self.probabilityPositive(mean: mean, variance: variance, against: allowance ? adversePair[a * n + b] : 0)
    }

    /// The chance that every one of `group` ends ahead of everyone else: at
    /// least one less the chances of each pair being the wrong way round.
    func probabilityGroupAhead(_ group: [Int], allowance: Bool = true) -> Double {
        var miss = 0.0
        for a in group {
            for b in 0..<candidates where !group.contains(b) { miss += 1 - probabilityAhead(a, of: b, allowance: allowance) }
        }
        return max(0, 1 - miss)
    }

    /// The chance that candidate `a` ends with more than half of the valid
    /// votes, after the allowance against it.
    func probabilityOverHalf(_ a: Int, allowance: Bool = true) -> Double {
        var w = Array(repeating: -0.5, count: candidates)
        w[a] = 0.5
        return probabilityPositive(w, against: allowance ? adverseAboveHalf[a] / 2 : 0)
    }

    /// The chance that candidate `a` ends with at most half of the valid
    /// votes, after the allowance against that.
    func probabilityNotOverHalf(_ a: Int) -> Double {
        var w = Array(repeating: 0.5, count: candidates)
        w[a] = -0.5
        // At exactly half `a` is not elected: that counts here.
        return probabilityPositive(w, against: adverseBelowHalf[a] / 2 - 1)
    }

    /// For each candidate, the share of `draws` simulated final results in
    /// which they are among the first `seats`: final totals drawn from the
    /// model's normal distribution (a fixed seed, so the same tally always
    /// gives the same figures).
    static func seatChances(totals: [Double], covariance: [Double], seats: Int, draws: Int = 2000) -> [Double] {
        let n = totals.count
        var wins = [Int](repeating: 0, count: n)
        NormalDraws.draw(mean: totals, covariance: covariance, count: draws) { drawn in
            for i in 0..<n {
                var ahead = 0
                for j in 0..<n where j != i && (drawn[j] > drawn[i] || (drawn[j] == drawn[i] && j < i)) { ahead += 1 }
                if ahead < seats { wins[i] += 1 }
            }
        }
        return wins.map { Double($0) / Double(draws) }
    }

    /// The normal quantile of the ranges' level, worked out once: it is
    /// found by bisection, and every snapshot draws the ranges.
    static let intervalQuantile = Normal.quantile(0.5 + Projection.intervalLevel / 2)

    /// Projected final shares of the valid votes with intervals.
    func shares(totals: [Double], ids: [String]) -> [ShareInterval] {
        let valid = totals.reduce(0, +)
        guard valid > 0 else { return [] }
        let z = Self.intervalQuantile
        var w = Array(repeating: 0.0, count: candidates)
        return (0..<candidates).map { index in
            let mid = totals[index] / valid
            // share - mid ≈ (votes - mid x valid) / valid
            for i in 0..<candidates { w[i] = -mid }
            w[index] = 1 - mid
            let spread = max(0, quadratic(rangeCovariance, w)).squareRoot() / valid
            return ShareInterval(id: ids[index], low: max(0, mid - z * spread), mid: mid, high: min(1, mid + z * spread))
        }
        .sorted { $0.mid != $1.mid ? $0.mid > $1.mid : false }
    }
}

/// The standard normal distribution.
enum Normal {
    static func cdf(_ x: Double) -> Double {
        x.isNaN ? 0.5 : 0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// x with Φ(x) = p, found by bisection of [-10, 10] (`bisection`),
    /// with the same result to the last bit but some 20 evaluations of Φ
    /// rather than 57: every snapshot works out an allowance from it, and
    /// the bisection's chain of `erfc` calls cost a replay as much time as
    /// the rest of the projection's model.
    ///
    /// A close root `guess` is found first (a rational approximation, then
    /// Newton's steps). Wherever the bisection's midpoint is farther than
    /// `sure` from it, which side Φ puts the midpoint on is known without
    /// working Φ out: checked, not assumed, by Φ at `guess ± sure / 2`
    /// falling either side of p (Φ as computed is monotone over distances
    /// far above its last bit: its slope is at least 0.026 over the p used).
    /// Should that check fail, or p be far out in a tail, it is the plain
    /// bisection.
    static func quantile(_ p: Double) -> Double {
        guard p > 0.001 && p < 0.999 else { return bisection(p) }
        // Abramowitz and Stegun 26.2.23 (within 4.5e-4), then Newton's
        // steps on Φ(x) - p: each squares the error (4.5e-4, 1e-7, 1e-14).
        let q = min(p, 1 - p)
        let t = (-2 * log(q)).squareRoot()
        var guess = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        if p < 0.5 { guess = -guess }
        for _ in 0..<3 {
            let density = exp(-guess * guess / 2) / (2 * Double.pi).squareRoot()
            guess -= (cdf(guess) - p) / density
        }
        let sure = 1e-11
        guard guess.isFinite, cdf(guess - sure / 2) < p, !(cdf(guess + sure / 2) < p) else { return bisection(p) }
        // The first `known` steps, all farther than `sure` from the guess,
        // taken at once: they end on the interval of width 20 / 2^known
        // about the guess (its ends are exact: whole multiples of 20 / 2^34),
        // unless the guess is that close to one of its ends. Stepping one
        // by one, each step's side was a branch the processor could not
        // foresee, and cost more than the erfc calls saved.
        let known = 34
        let width = 20 / Double(1 << known)
        let low = -10 + ((guess + 10) / width).rounded(.down) * width
        let high = low + width
        guard low < guess - sure && high > guess + sure else { return bisection(p, known: guess, within: sure) }
        return bisection(p, low: low, high: high, step: known, known: guess, within: sure)
    }

    /// x with Φ(x) = p by bisection of [-10, 10], from its step `step`
    /// between `low` and `high`. Φ is worked out at every midpoint, except
    /// farther than `within` from a `known` close root, whose side is sure.
    static func bisection(_ p: Double, low: Double = -10, high: Double = 10, step: Int = 0,
                          known root: Double? = nil, within sure: Double = 0) -> Double {
        var low = low, high = high
        for _ in step..<80 {
            let mid = (low + high) / 2
            // Low and high are neighbouring numbers: no step changes them again.
            if mid == low || mid == high { break }
            let below: Bool
            if let root, mid < root - sure {
                below = true
            } else if let root, mid > root + sure {
                below = false
            } else {
                below = cdf(mid) < p
            }
            if below { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}

extension Projection {
    /// The projection for a contest's tally. `status` and `winners` are the
    /// snapshot's own, from the counted figures.
    init(tally: borrowing ContestTally, model: borrowing ProjectionModel, status contestStatus: ContestStatus, winners: [String],
         secondStage: SecondStage? = nil) {
        let contest = tally.contest
        let ids = contest.candidateIDs
        let sv = contest.system == .sv
        let seats = contest.electedCount

        var bound = tally.remainingBound
        if contestStatus.isFinished { bound = 0 }
        remainingBallots = bound

        let totals = model.totals
        let uncounted = model.uncounted
        // Unknown papers: the bound is all there is to say of what is left.
        let unknown = model.papersUnknown && !contestStatus.isFinished
        if contestStatus.isFinished {
            expectedRemaining = 0
        } else if unknown {
            expectedRemaining = bound ?? Int(uncounted.rounded())
        } else {
            expectedRemaining = Int(uncounted.rounded())
        }
        let expectedBallots = Double(tally.countedBallots + expectedRemaining)
        counted = expectedBallots > 0 ? Double(tally.countedBallots) / expectedBallots : 0

        let projectedOrder = Contest.ranking(totals)
        let countedOrder = Contest.ranking(tally.votes)
        // Nothing counted, or nothing known of what is left: no model to speak of.
        let anything = model.countedTotal > 0 && !unknown
        let favouriteIndices = Array(projectedOrder.prefix(seats))
        favourites = anything ? favouriteIndices.map { ids[$0] } : []
        shares = anything ? model.shares(totals: totals, ids: ids) : []
        if contest.system == .block && (anything || contestStatus.isFinished) {
            self.seats = SeatModel(ids: ids, seats: seats, totals: totals, covariance: model.covariance,
                                   decided: contestStatus.isFinished ? winners : nil)
        } else {
            self.seats = nil
        }
        if anything {
            probability = sv ? model.probabilityOverHalf(projectedOrder[0]) : model.probabilityGroupAhead(favouriteIndices)
            chance = sv ? model.probabilityOverHalf(projectedOrder[0], allowance: false)
                : model.probabilityGroupAhead(favouriteIndices, allowance: false)
        } else {
            probability = nil
        }
        if sv && anything {
            // Nobody passes half: at least one less each one's chance of
            // passing, with the allowance taken in that candidate's favour.
            let passing = ids.indices.reduce(0.0) { $0 + (1 - model.probabilityNotOverHalf($1)) }
            secondStageProbability = max(0, 1 - passing)
        } else {
            secondStageProbability = nil
        }

        let valid = tally.valid
        let lead = tally.votes[countedOrder[seats - 1]] - tally.votes[countedOrder[seats]]
        if contest.system != .block, let left = bound ?? (expectedRemaining > 0 ? expectedRemaining : nil), left > 0 {
            hurdle = Double(left + lead) / Double(2 * left)
        } else {
            hurdle = nil
        }
        var certain: Certainty?
        // Figures that do not add up may hold ballots counted twice: nothing is certain on them.
        if let bound, valid > 0, !tally.figuresDoNotAddUp {
            if sv {
                let top = tally.votes[countedOrder[0]]
                if Contest.isMajority(top, of: valid + bound) { certain = Certainty(lead: top, against: valid + bound) }
            } else if lead > bound {
                certain = Certainty(lead: lead, against: bound)
            }
        }
        finalists = []
        finalistsProbability = nil
        method = Projection.methodDescription

        if contestStatus.isFinished {
            if !winners.isEmpty {
                call = .final(winners)
            } else if secondStage?.isTied == true {
                call = .tied
            } else if sv && valid > 0 && (ids.count == 2 || tally.votes[countedOrder[1]] > tally.votes[countedOrder[2]]) {
                call = .secondStage
                finalists = countedOrder.prefix(2).map { ids[$0] }
                finalistsProbability = 1
                secondStageProbability = 1
            } else {
                call = .tied
            }
        } else if let certain {
            call = .certain(countedOrder.prefix(seats).map { ids[$0] }, certain)
        } else if let probability, probability >= Projection.callProbability {
            call = .projected(favourites)
        } else if let secondStage = secondStageProbability, secondStage >= Projection.callProbability {
            call = .secondStage
            let two = Array(projectedOrder.prefix(2))
            finalists = two.map { ids[$0] }
            finalistsProbability = model.probabilityGroupAhead(two)
        } else {
            call = .tooEarly
        }
        if let secondStage, contestStatus == .secondStage { projectSecondStage(secondStage, mayBeCertain: !tally.figuresDoNotAddUp) }
        if isCall(finished: contestStatus.isFinished) { calledAt = counted }
    }

    /// While second preferences are counted: certain when the leader after
    /// transfers leads by more than the ballots left to examine; projected
    /// from the transfer rates in the areas examined so far, with a wide
    /// spread for how the rest may differ.
    private mutating func projectSecondStage(_ stage: SecondStage, mayBeCertain: Bool) {
        finalists = stage.finalists
        finalistsProbability = 1
        secondStageProbability = 1
        let left = stage.toExamine
        remainingBallots = left
        expectedRemaining = left
        let examined = stage.areaTransfers.reduce(0) { $0 + $1.examined }
        counted = examined + left > 0 ? Double(examined) / Double(examined + left) : 1
        let totals = stage.totals
        let leader = totals[0] >= totals[1] ? 0 : 1
        let lead = abs(totals[0] - totals[1])
        hurdle = left > 0 ? Double(left + lead) / Double(2 * left) : nil
        if lead > left && mayBeCertain {
            favourites = [stage.finalists[leader]]
            probability = 1
            call = .certain(favourites, Certainty(lead: lead, against: left))
            return
        }
        // Transfer rates where ballots have been examined, and how much the
        // areas differ in the finalists' share of them.
        let done = stage.areaTransfers.filter { $0.examined > 0 }
        guard !done.isEmpty else {
            call = .tooEarly
            favourites = []
            probability = nil
            return
        }
        let firstRate = Double(done.reduce(0) { $0 + $1.first }) / Double(examined)
        let secondRate = Double(done.reduce(0) { $0 + $1.second }) / Double(examined)
        let difference = firstRate - secondRate
        var spread = 0.0
        for area in done {
            let d = Double(area.first - area.second) / Double(area.examined) - difference
            spread += Double(area.examined) / Double(examined) * d * d
        }
        // Transfer rates differ less from area to area than first
        // preferences do: a smaller floor, as wide while few areas are done.
        let floor = (ProjectionModel.transferFloor + ProjectionModel.transferPrior * ProjectionModel.betweenPriorAreas
            / (Double(done.count) + ProjectionModel.betweenPriorAreas)) * (firstRate + secondRate)
        let remaining = Double(left)
        let mean = Double(totals[0] - totals[1]) + remaining * difference
        let variance = remaining * remaining * (spread + floor)
            + remaining * max(0, firstRate + secondRate - difference * difference)
        let firstWins = variance > 0 ? Normal.cdf((mean - 0.5) / variance.squareRoot()) : (mean > 0.5 ? 1 : 0)
        let favourite = firstWins >= 0.5 ? 0 : 1
        let chance = favourite == 0 ? firstWins : 1 - firstWins
        favourites = [stage.finalists[favourite]]
        probability = chance
        // The transfers' model has no allowance for the order: its chance is the probability.
        self.chance = chance
        call = chance >= Projection.transferCallProbability ? .projected(favourites) : .tooEarly
    }
}
