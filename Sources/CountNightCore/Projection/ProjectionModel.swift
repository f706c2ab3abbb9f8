#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The projection's arithmetic. It works on areas, never on single boxes,
/// so its cost does not grow with the number of boxes counted.
///
/// For any weighting `w` of the candidates (a margin between two, a share,
/// a distance from half), the final total `w · votes` is the counted part
/// plus, for each area, its expected uncounted ballots times the area's rate
/// (`w · votes / ballots` counted there; the contest's rate for an area with
/// nothing counted). Its variance adds, per area, how much the rate of the
/// ballots still to count may differ from the rate counted so far. See
/// docs/projection.md for the reasoning and the figures chosen.
struct ProjectionModel {
    /// What the model works out for one area.
    struct AreaEvidence {
        var counted: Double
        /// Expected ballots still to count.
        var uncounted: Double
        /// The part of the area's ballots that rests on an estimate of papers
        /// in boxes not verified yet.
        var estimatedPapers: Double
    }

    /// How far a batch's rate may stray within an area, before its own
    /// batches show how far they do: as a multiple of a multinomial spread.
    static let withinPrior = 0.02
    /// The weight, in batches, of that assumption.
    static let priorBatches = 1.0
    /// The least spread between areas, as a multiple of a multinomial spread,
    /// however alike the areas counted so far are.
    static let betweenFloor = 0.12
    /// More spread while few areas are counted: their spread says little
    /// yet. Weighs `betweenPriorAreas / (areas counted + betweenPriorAreas)`.
    static let betweenPrior = 0.3
    static let betweenPriorAreas = 2.0
    /// The second stage's spread between areas in the finalists' shares of
    /// the examined ballots: a floor, and more while few areas are done.
    static let transferFloor = 0.02
    static let transferPrior = 0.15
    /// How uncertain an estimate of the papers in unverified boxes is, at
    /// best; more while it rests on few boxes (plus one over the square root
    /// of their number).
    static let papersSpread = 0.25

    let candidates: Int
    let areas: [AreaEvidence]
    let countedTotal: Double
    /// Some box is neither verified nor counted and nothing yet says how
    /// many papers such a box holds (no box verified or counted on its own,
    /// only bundles): then the model cannot say what is still to count.
    let papersUnknown: Bool
    /// Expected final votes per candidate, and their covariance.
    let totals: [Double]
    let covariance: [Double]

    /// Two passes over the areas, no allocation per area: a snapshot is
    /// made after every batch of a replay, so this runs very often.
    init(tally: ContestTally) {
        let count = tally.contest.candidates.count
        candidates = count
        // Papers in boxes that are neither verified nor counted: electorate
        // times the turnout of verified boxes, else papers per known box.
        var verifiedElectorate = 0, verifiedPapersWithElectorate = 0, knownPapers = 0, knownBoxes = 0
        let states = tally.areas
        for index in states.indices {
            let state = states[index]
            verifiedElectorate += state.verifiedElectorate
            verifiedPapersWithElectorate += state.verifiedPapersWithElectorate
            knownPapers += state.papers
            knownBoxes += state.verifiedBoxes + state.unverifiedCountedBoxes
        }
        let papersPerBox = knownBoxes > 0 ? Double(knownPapers) / Double(knownBoxes) : 0
        let turnout: Double? = verifiedElectorate > 0 ? Double(verifiedPapersWithElectorate) / Double(verifiedElectorate) : nil
        var unknownWithout = 0, unknownWith = 0
        for index in states.indices {
            unknownWithout += states[index].unverifiedUncountedWithoutElectorate
            unknownWith += states[index].unverifiedUncountedBoxes - states[index].unverifiedUncountedWithoutElectorate
        }
        papersUnknown = papersPerBox == 0 && (unknownWithout > 0 || (unknownWith > 0 && turnout == nil))

        // First pass: each area's ballots still to count, the counted votes,
        // and the sum of V Vᵀ / N over counted areas (for their spread).
        var areas: [AreaEvidence] = []
        areas.reserveCapacity(tally.areas.count)
        var countedVotes = [Double](repeating: 0, count: count)
        var outer = [Double](repeating: 0, count: count * count)
        var countedTotal = 0.0, areasCounted = 0.0
        for index in states.indices {
            var estimated = 0.0
            let state = states[index]
            estimated = Double(state.unverifiedUncountedWithoutElectorate) * papersPerBox
            if let turnout {
                estimated += Double(state.unverifiedUncountedElectorate) * turnout
            } else {
                estimated += Double(state.unverifiedUncountedBoxes - state.unverifiedUncountedWithoutElectorate) * papersPerBox
            }
            let counted = Double(state.counted)
            let uncounted = max(0, Double(state.papers) + estimated - counted)
            areas.append(AreaEvidence(counted: counted, uncounted: uncounted, estimatedPapers: min(estimated, uncounted)))
            guard counted > 0 else { continue }
            countedTotal += counted
            areasCounted += 1
            state.votes.withUnsafeBufferPointer { votes in
                for i in 0..<count {
                    let vi = Double(votes[i])
                    countedVotes[i] += vi
                    guard vi != 0 else { continue }
                    for j in 0..<count { outer[i * count + j] += vi * Double(votes[j]) / counted }
                }
            }
        }
        self.areas = areas
        self.countedTotal = countedTotal
        let overall = countedTotal > 0 ? countedVotes.map { $0 / countedTotal } : countedVotes

        // How areas' rates differ: the spread of the counted areas' rates
        // about the contest's, plus a floor (a few areas alike say little
        // about the areas not yet seen), wider while few are counted.
        let widening = Self.betweenFloor + Self.betweenPrior * Self.betweenPriorAreas / (areasCounted + Self.betweenPriorAreas)
        var between = Self.multinomial(overall)
        for index in between.indices {
            between[index] *= widening
            if countedTotal > 0 {
                between[index] += outer[index] / countedTotal - overall[index / count] * overall[index % count]
            }
        }

        let papersSpread = Self.papersSpread + 1 / Double(max(1, knownBoxes)).squareRoot()

        // Second pass: the expected totals and their covariance.
        var totals = countedVotes
        var covariance = [Double](repeating: 0, count: count * count)
        var rates = [Double](repeating: 0, count: count)
        var unseenBallots = 0.0, unseenSquares = 0.0
        for index in states.indices {
            let area = areas[index]
            guard area.uncounted > 0 else { continue }
            let state = states[index]
            let papers = papersSpread * area.estimatedPapers
            if area.counted > 0 {
                let n = area.counted
                var sum = 0.0
                for i in 0..<count {
                    rates[i] = Double(state.votes[i]) / n
                    sum += rates[i]
                }
                let total = max(1, sum)
                let ballotsSquared = Double(state.ballotsSquared)
                let batches = ballotsSquared > 0 ? n * n / ballotsSquared : 1
                let weight = batches - 1 + Self.priorBatches
                // The counted batches' mean is itself uncertain, and the
                // ballots to come form batches that stray like these did:
                // their own spread, weighed against the assumed one.
                let scale = area.uncounted * area.uncounted / batches + area.uncounted * (n / batches)
                let dataWeight = scale * batches / weight
                let priorWeight = scale * Self.priorBatches * Self.withinPrior / weight
                state.crossProducts.withUnsafeBufferPointer { cross in
                    for i in 0..<count {
                        totals[i] += area.uncounted * rates[i]
                        for j in i..<count {
                            let rr = rates[i] * rates[j]
                            let spread = Double(cross[i * count + j]) / 65536 / n - rr
                            let prior = (i == j ? rates[i] : 0) - rr / total
                            let value = dataWeight * spread + priorWeight * prior + papers * papers * rr
                            covariance[i * count + j] += value
                            if i != j { covariance[j * count + i] += value }
                        }
                    }
                }
            } else {
                unseenBallots += area.uncounted
                unseenSquares += area.uncounted * area.uncounted
                for i in 0..<count {
                    totals[i] += area.uncounted * overall[i]
                    for j in 0..<count { covariance[i * count + j] += papers * papers * overall[i] * overall[j] }
                }
            }
        }
        // Areas not yet counted each stray, and together they may differ
        // from the areas counted so far (strongholds counted first).
        let unseen = unseenSquares + unseenBallots * unseenBallots
        if unseen > 0 {
            for index in covariance.indices { covariance[index] += unseen * between[index] }
        }
        self.totals = totals
        self.covariance = covariance
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

    private func quadratic(_ matrix: [Double], _ w: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<candidates where w[i] != 0 {
            var row = 0.0
            for j in 0..<candidates where w[j] != 0 { row += matrix[i * candidates + j] * w[j] }
            sum += w[i] * row
        }
        return sum
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

    /// The probability that `w · votes` ends above zero (ties count as not).
    func probabilityPositive(_ w: [Double]) -> Double {
        let (mean, variance) = moments(w)
        if variance <= 1e-9 { return mean > 0.5 ? 1 : 0 }
        // A tie is a whole number of votes: continuity, half a vote.
        return Normal.cdf((mean - 0.5) / variance.squareRoot())
    }

    /// The chance that candidate `a` ends with more votes than `b`.
    func probabilityAhead(_ a: Int, of b: Int) -> Double {
        var w = Array(repeating: 0.0, count: candidates)
        w[a] = 1
        w[b] = -1
        return probabilityPositive(w)
    }

    /// The chance that every one of `group` ends ahead of everyone else: at
    /// least one less the chances of each pair being the wrong way round.
    func probabilityGroupAhead(_ group: [Int]) -> Double {
        var miss = 0.0
        for a in group {
            for b in 0..<candidates where !group.contains(b) { miss += 1 - probabilityAhead(a, of: b) }
        }
        return max(0, 1 - miss)
    }

    /// The chance that candidate `a` ends with more than half of the valid votes.
    func probabilityOverHalf(_ a: Int) -> Double {
        var w = Array(repeating: -0.5, count: candidates)
        w[a] = 0.5
        return probabilityPositive(w)
    }

    /// For each candidate, the share of `draws` simulated final results in
    /// which they are among the first `seats`: final totals drawn from the
    /// model's normal distribution (a fixed seed, so the same tally always
    /// gives the same figures).
    static func seatChances(totals: [Double], covariance: [Double], seats: Int, draws: Int = 2000) -> [Double] {
        let n = totals.count
        // Cholesky factor of the covariance, with a little added to the
        // diagonal so that a spread of zero (a settled candidate) factors.
        var factor = [Double](repeating: 0, count: n * n)
        let trace = (0..<n).reduce(0.0) { $0 + covariance[$1 * n + $1] }
        let jitter = max(1e-9, trace * 1e-12)
        for i in 0..<n {
            for j in 0...i {
                var sum = covariance[i * n + j] + (i == j ? jitter : 0)
                for k in 0..<j { sum -= factor[i * n + k] * factor[j * n + k] }
                factor[i * n + j] = i == j ? max(0, sum).squareRoot() : (factor[j * n + j] > 0 ? sum / factor[j * n + j] : 0)
            }
        }
        var random = SplitMix64(seed: 0x5EA7)
        var wins = [Int](repeating: 0, count: n)
        var normals = [Double](repeating: 0, count: n)
        var drawn = [Double](repeating: 0, count: n)
        for _ in 0..<draws {
            var index = 0
            while index < n {
                // Box-Muller: two normals from two uniforms.
                let u1 = max(Double.leastNonzeroMagnitude, Double(random.next() >> 11) / Double(1 << 53))
                let u2 = Double(random.next() >> 11) / Double(1 << 53)
                let radius = (-2 * log(u1)).squareRoot()
                normals[index] = radius * cos(2 * Double.pi * u2)
                if index + 1 < n { normals[index + 1] = radius * sin(2 * Double.pi * u2) }
                index += 2
            }
            for i in 0..<n {
                var value = totals[i]
                for k in 0...i { value += factor[i * n + k] * normals[k] }
                drawn[i] = value
            }
            for i in 0..<n {
                var ahead = 0
                for j in 0..<n where j != i && (drawn[j] > drawn[i] || (drawn[j] == drawn[i] && j < i)) { ahead += 1 }
                if ahead < seats { wins[i] += 1 }
            }
        }
        return wins.map { Double($0) / Double(draws) }
    }

    /// Projected final shares of the valid votes with intervals.
    func shares(totals: [Double], ids: [String]) -> [ShareInterval] {
        let valid = totals.reduce(0, +)
        guard valid > 0 else { return [] }
        let z = Normal.quantile(0.5 + Projection.intervalLevel / 2)
        return (0..<candidates).map { index in
            let mid = totals[index] / valid
            // share - mid ≈ (votes - mid x valid) / valid
            var w = Array(repeating: -mid, count: candidates)
            w[index] = 1 - mid
            let spread = moments(w).variance.squareRoot() / valid
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

    /// x with Φ(x) = p, found by bisection: called a handful of times.
    static func quantile(_ p: Double) -> Double {
        var low = -10.0, high = 10.0
        for _ in 0..<80 {
            let mid = (low + high) / 2
            if cdf(mid) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}

extension Projection {
    /// The projection for a contest's tally. `status` and `winners` are the
    /// snapshot's own, from the counted figures.
    init(tally: ContestTally, model: ProjectionModel, status contestStatus: ContestStatus, winners: [String],
         secondStage: SecondStage? = nil) {
        let contest = tally.contest
        let ids = contest.candidates.map(\.id)
        let sv = contest.system == .sv
        let seats = contest.system == .block ? contest.seats : 1

        var bound: Int? = 0
        for index in tally.areas.indices {
            if let sum = bound, let left = tally.areas[index].remainingBound { bound = sum + left } else { bound = nil }
        }
        if contestStatus.isFinished { bound = 0 }
        remainingBallots = bound

        let totals = model.totals
        let uncounted = model.areas.reduce(0) { $0 + $1.uncounted }
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

        let projectedOrder = ids.indices.sorted { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }
        let countedOrder = ids.indices.sorted { tally.votes[$0] != tally.votes[$1] ? tally.votes[$0] > tally.votes[$1] : $0 < $1 }
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
        } else {
            probability = nil
        }
        if sv && anything {
            let passing = ids.indices.reduce(0.0) { $0 + model.probabilityOverHalf($1) }
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
                if 2 * top > valid + bound { certain = Certainty(lead: top, against: valid + bound) }
            } else if lead > bound {
                certain = Certainty(lead: lead, against: bound)
            }
        }
        certainty = nil
        finalists = []
        finalistsProbability = nil
        method = Projection.methodDescription
        self.winners = []

        if contestStatus.isFinished {
            if !winners.isEmpty {
                status = .final
                self.winners = winners
            } else if secondStage?.isTied == true {
                status = .tied
            } else if sv && valid > 0 && (ids.count == 2 || tally.votes[countedOrder[1]] > tally.votes[countedOrder[2]]) {
                status = .secondStage
                finalists = countedOrder.prefix(2).map { ids[$0] }
                finalistsProbability = 1
                secondStageProbability = 1
            } else {
                status = .tied
            }
        } else if let certain {
            status = .certain
            certainty = certain
            self.winners = countedOrder.prefix(seats).map { ids[$0] }
        } else if let probability, probability >= Projection.callProbability {
            status = .projected
            self.winners = favourites
        } else if let secondStage = secondStageProbability, secondStage >= Projection.callProbability {
            status = .secondStage
            let two = Array(projectedOrder.prefix(2))
            finalists = two.map { ids[$0] }
            finalistsProbability = model.probabilityGroupAhead(two)
        } else {
            status = .tooEarly
        }
        if let secondStage, contestStatus == .secondStage { projectSecondStage(secondStage, mayBeCertain: !tally.figuresDoNotAddUp) }
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
        winners = []
        certainty = nil
        if lead > left && mayBeCertain {
            status = .certain
            winners = [stage.finalists[leader]]
            favourites = winners
            probability = 1
            certainty = Certainty(lead: lead, against: left)
            return
        }
        // Transfer rates where ballots have been examined, and how much the
        // areas differ in the finalists' share of them.
        let done = stage.areaTransfers.filter { $0.examined > 0 }
        guard !done.isEmpty else {
            status = .tooEarly
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
        if chance >= Projection.callProbability {
            status = .projected
            winners = favourites
        } else {
            status = .tooEarly
        }
    }
}
