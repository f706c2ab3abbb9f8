#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import CountNightCore

/// The projection model as it was made before its sums were kept per block
/// of strata (main at ac99147): every stratum looked at, at every snapshot.
/// Kept here as the reference the model's arithmetic is checked against
/// (`StrataSumsTests`); the two may differ only by the order of additions.
struct ReferenceProjectionModel {
    let candidates: Int
    let estimate: ProjectionModel.PapersEstimate
    let uncounted: Double
    let countedTotal: Double
    let papersUnknown: Bool
    let totals: [Double]
    let covariance: [Double]
    let rangeCovariance: [Double]
    let adversePair: [Double]
    let adverseAboveHalf: [Double]
    let adverseBelowHalf: [Double]

    init(tally: ContestTally) {
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
        let estimate = ProjectionModel.PapersEstimate(
            perBox: knownBoxes > 0 ? Double(knownPapers) / Double(knownBoxes) : 0,
            turnout: verifiedElectorate > 0 ? Double(verifiedPapersWithElectorate) / Double(verifiedElectorate) : nil)
        papersUnknown = estimate.perBox == 0 && (unknownWithout > 0 || (unknownWith > 0 && estimate.turnout == nil))
        self.estimate = estimate
        let areas = tally.areas.map(estimate.evidence)
        uncounted = areas.reduce(0) { $0 + $1.uncounted }

        let states = tally.projectionStrata
        let strata = tally.strata.isEmpty ? nil : contest.strata
        let groupCount = strata == nil ? 1 : contest.types.count
        func group(_ index: Int) -> Int { strata?[index].group ?? 0 }
        let evidence = strata == nil ? areas : states.map(estimate.evidence)
        // With a previous result for every stratum, strata are compared by
        // their swing from it (rate less baseline), which differs less from
        // place to place than the rates themselves; an uncounted stratum is
        // its baseline plus the swing. Without one, the baseline is zero.
        let baseline = contest.baseline
        let noBaseline = [Double](repeating: 0, count: count)

        // First pass: counted votes; per type, the sum of V Vᵀ / n over
        // counted strata (their spread); within strata, the batches' spread
        // about the stratum's rate (pooled); box sizes.
        var countedVotes = [Double](repeating: 0, count: count)
        var groupVotes = [Double](repeating: 0, count: count * groupCount)
        var groupCounted = [Double](repeating: 0, count: groupCount)
        var groupExpected = [Double](repeating: 0, count: groupCount)
        var groupSeenExpected = [Double](repeating: 0, count: groupCount)
        var groupStrataSeen = [Double](repeating: 0, count: groupCount)
        var groupOuter = [Double](repeating: 0, count: count * count * groupCount)
        var within = [Double](repeating: 0, count: count * count)
        var allBatches = [Double](repeating: 0, count: count * count)
        var withinWeight = 0.0
        var countedTotal = 0.0
        var sizeBoxes = 0, sizeSquares = 0.0, sizeCells = 0
        /// One group of boxes' sum of squared log sizes about its own mean.
        func addSizes(boxes: Int, sum: Int, squares: Int) {
            guard boxes > 0 else { return }
            let mean = Double(sum) / 65536 / Double(boxes)
            sizeBoxes += boxes
            sizeCells += 1
            sizeSquares += Double(squares) / 65536 - Double(boxes) * mean * mean
        }
        // The sums are made on the arrays' memory: checking each array's
        // uniqueness at every element cost more than the arithmetic.
        countedVotes.withUnsafeMutableBufferPointer { countedVotes in
        groupVotes.withUnsafeMutableBufferPointer { groupVotes in
        allBatches.withUnsafeMutableBufferPointer { allBatches in
        groupOuter.withUnsafeMutableBufferPointer { groupOuter in
        within.withUnsafeMutableBufferPointer { within in
        for index in states.indices {
            let area = evidence[index]
            let g = group(index)
            groupExpected[g] += area.counted + area.uncounted
            // Box sizes: the spread of log size within strata, pooled.
            // Fields read in place: a copy of the stratum's state costs a
            // reference count for each of its arrays, for every stratum, at
            // every snapshot.
            addSizes(boxes: states[index].boxesWithCount, sum: states[index].countedSizeLog, squares: states[index].countedSizeLogSquares)
            addSizes(boxes: states[index].uncountedKnownBoxes, sum: states[index].uncountedSizeLog,
                     squares: states[index].uncountedSizeLogSquares)
            let n = area.counted
            guard n > 0 else { continue }
            countedTotal += n
            groupCounted[g] += n
            groupStrataSeen[g] += 1
            groupSeenExpected[g] += n + area.uncounted
            let ballotsSquared = states[index].ballotsSquared
            let batches = ballotsSquared > 0 ? n * n / Double(ballotsSquared) : 1
            if batches > 1.0001 { withinWeight += n * (1 - 1 / batches) }
            let base = baseline?[index] ?? noBaseline
            states[index].votes.withUnsafeBufferPointer { votes in
                states[index].crossProducts.withUnsafeBufferPointer { cross in
                    base.withUnsafeBufferPointer { base in
                        for i in 0..<count {
                            let vi = Double(votes[i])
                            let bi = base[i]
                            countedVotes[i] += vi
                            groupVotes[g * count + i] += vi - n * bi
                            for j in i..<count {
                                let vj = Double(votes[j])
                                let bj = base[j]
                                // Σ (V_b - n_b β)(V_b - n_b β)ᵀ / n_b over the stratum's batches.
                                let c = Double(cross[i * count + j]) / 65536 - vi * bj - bi * vj + n * bi * bj
                                let vv = (vi - n * bi) * (vj - n * bj) / n
                                allBatches[i * count + j] += c
                                groupOuter[(g * count + i) * count + j] += vv
                                if batches > 1.0001 { within[i * count + j] += c - vv }
                            }
                        }
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        for i in 0..<count {
            for j in 0..<i {
                allBatches[i * count + j] = allBatches[j * count + i]
                within[i * count + j] = within[j * count + i]
                for g in 0..<groupCount { groupOuter[(g * count + i) * count + j] = groupOuter[(g * count + j) * count + i] }
            }
        }
        self.countedTotal = countedTotal
        let overall = countedTotal > 0 ? countedVotes.map { $0 / countedTotal } : countedVotes
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
        let smoothing = ProjectionModel.floorBallots / Double(max(1, count))
        let multinomial = ProjectionModel.multinomial(countedVotes.map { ($0 + smoothing) / (countedTotal + ProjectionModel.floorBallots) })
        // The batches' spread about the contest's rate, and within strata, pooled.
        var batchSpread = [Double](repeating: 0, count: count * count)
        var pooled = [Double](repeating: 0, count: count * count)
        var pooledRange = [Double](repeating: 0, count: count * count)
        for index in pooled.indices {
            let i = index / count, j = index % count
            if countedTotal > 0 { batchSpread[index] = (allBatches[index] / countedTotal - overallSwing[i] * overallSwing[j]) }
            pooled[index] = ProjectionModel.withinPrior * multinomial[index] + (withinWeight > 0 ? within[index] / withinWeight : 0)
            // For the ranges, the assumed spread only until batches show one.
            pooledRange[index] = withinWeight > 0 ? within[index] / withinWeight : ProjectionModel.withinPrior * multinomial[index]
        }
        let sizeSpread = max(0.05, sizeBoxes > sizeCells ? (max(0, sizeSquares) / Double(sizeBoxes - sizeCells)).squareRoot() : 0.05)

        // Per type: its rate, and how its strata differ (see betweenOfBatches).
        var groupRate = [Double](repeating: 0, count: count * groupCount)
        var between = [Double](repeating: 0, count: count * count * groupCount)
        var betweenRange = [Double](repeating: 0, count: count * count * groupCount)
        for g in 0..<groupCount {
            let n = groupCounted[g]
            let seen = groupStrataSeen[g]
            let swing = baseline == nil ? 1 : ProjectionModel.swingFloor
            let early = swing * ProjectionModel.betweenPrior * ProjectionModel.betweenPriorAreas / (seen + ProjectionModel.betweenPriorAreas)
            let widening = swing * ProjectionModel.betweenFloor + early
            for i in 0..<count { groupRate[g * count + i] = n > 0 ? groupVotes[g * count + i] / n : overallSwing[i] }
            for i in 0..<count {
                for j in 0..<count {
                    let index = (g * count + i) * count + j
                    // How the strata counted differ; with nothing of this type
                    // counted, it may differ as much as batches do.
                    let strataSpread = n > 0
                        ? (groupOuter[index] / n - groupRate[g * count + i] * groupRate[g * count + j]) * (seen > 1 ? seen / (seen - 1) : 1)
                        : batchSpread[i * count + j]
                    between[index] = widening * multinomial[i * count + j] + ProjectionModel.betweenOfBatches * batchSpread[i * count + j] + strataSpread
                    // The ranges: no floor, no spread of all batches.
                    betweenRange[index] = early * multinomial[i * count + j] + strataSpread
                }
            }
        }

        let papersSpread = ProjectionModel.papersSpread + 1 / Double(max(1, knownBoxes)).squareRoot()
        // Boxes of unknown size (neither verified nor with an electorate):
        // the boxes known so far may be the most one-sided selection of all
        // of them by size (the smallest report first), so the unknown ones
        // may be larger, and vote unlike the known ones, by as many spreads
        // as that selection makes.
        let allBoxes = contest.boxes.count
        let unknownShift = ProjectionModel.selectionShift(seen: Double(knownBoxes) / Double(max(1, allBoxes)))
        let largerPapers = exp(unknownShift * max(sizeSpread, ProjectionModel.unknownSizeSpread)) - 1

        // Second pass: the expected totals, their covariance and the
        // allowances for the order of counting.
        // The sums and the scratch of this pass in one block, read and
        // written through pointers: it runs over every stratum not wholly
        // counted, at every snapshot, and checks of each array's uniqueness
        // and bounds at every element cost more than its arithmetic.
        let squares = count * count
        var work = [Double](repeating: 0, count: 4 * squares + 5 * count)
        var results: (totals: [Double], covariance: [Double], rangeCovariance: [Double], adversePair: [Double],
                      aboveHalf: [Double], belowHalf: [Double]) = ([], [], [], [], [], [])
        var unseenBallots = [Double](repeating: 0, count: groupCount)
        var unseenSquares = [Double](repeating: 0, count: groupCount)
        var unseenEstimated = [Double](repeating: 0, count: groupCount)
        var unseenBase = [Double](repeating: 0, count: count * groupCount)
        var unseenPapersSquared = [Double](repeating: 0, count: groupCount)
        var unseenRangePapersSquared = [Double](repeating: 0, count: groupCount)

        work.withUnsafeMutableBufferPointer { work in
        let covariance = work.baseAddress!, rangeCovariance = covariance + squares, adversePair = rangeCovariance + squares
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

        for index in states.indices {
            let area = evidence[index]
            guard area.uncounted > 0 else { continue }
            let g = group(index)
            let papers = papersSpread * area.estimatedPapers
            // For the ranges: the estimate's own error, from how box sizes
            // spread (sd of log size, about their relative spread), the
            // boxes it rests on and the boxes it is for.
            let rangePapers = area.estimatedBoxes > 0
                ? max(sizeSpread, ProjectionModel.unknownSizeSpread) * area.estimatedPapers
                    * (1 / (area.knownBoxes + ProjectionModel.PapersEstimate.contestBoxes) + 1 / area.estimatedBoxes).squareRoot()
                : 0
            guard area.counted > 0 else {
                unseenBallots[g] += area.uncounted
                unseenSquares[g] += area.uncounted * area.uncounted
                unseenEstimated[g] += area.estimatedPapers
                guard let baseline else {
                    // Without a baseline every such stratum of a type votes at
                    // the type's rate: its sums are added once, below.
                    unseenPapersSquared[g] += papers * papers
                    unseenRangePapersSquared[g] += rangePapers * rangePapers
                    continue
                }
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
                        let value = (weighted + ProjectionModel.pooledBatches * pooled[i * count + j]) / (ownWeight + ProjectionModel.pooledBatches)
                        spread[i * count + j] = value
                        spread[j * count + i] = value
                        let range = scale * (weighted + ProjectionModel.pooledBatches * pooledRange[i * count + j]) / (ownWeight + ProjectionModel.pooledBatches)
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
                shift = ProjectionModel.selectionShift(seen: groupSeenExpected[g] / max(1, groupExpected[g]))
            } else {
                // Nothing of the type counted: its own rate is a guess.
                shift = ProjectionModel.unseenTypeSpreads
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
}
