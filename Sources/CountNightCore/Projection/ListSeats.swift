import Foundation

/// The projection's seats for a party-list contest, derived from the
/// projection model's own outputs (its projected final votes per list and
/// the covariance its 90% share ranges use) without changing the model:
/// final results are drawn from that normal distribution with the sampler
/// of the block contests' seat chances, and each drawn result goes through
/// the contest's seat rule (`SeatAllocation`). docs/projection.md, "Party lists".
public struct ListSeatProjection: Equatable, Sendable {
    public enum Basis: String, Equatable, Sendable {
        /// Drawn from the model: ranges and probabilities.
        case projected
        /// No ballots left could move a seat (or the count is finished).
        case certain
    }

    public let basis: Basis
    let ids: [String]
    let seats: Int
    let rule: ListRule
    let totals: [Double]
    let covariance: [Double]
    /// The seats on the votes counted, for a certain result.
    let counted: [Int]
    /// Each list's projected seats, in election.json order (`ranges(...)`):
    /// worked out once, as the screen is drawn every second.
    public private(set) var ranges: [ListSeatRange] = []

    /// nil while nothing is known of what is left (too early to say).
    init?(contest: Contest, votes: [Int], model: ProjectionModel, remainingBallots: Int?, finished: Bool, mayBeCertain: Bool) {
        guard let rule = contest.listRule else { return nil }
        ids = contest.candidateIDs
        seats = contest.seats
        self.rule = rule
        totals = model.totals
        covariance = model.rangeCovariance
        counted = SeatAllocation.seatsOnly(votes: votes, seats: seats, rule: rule)
        if finished || (mayBeCertain && votes.reduce(0, +) > 0 && remainingBallots.map({
            !SeatAllocation.couldMove(votes: votes, seats: contest.seats, rule: rule, ballotsLeft: $0)
        }) == true) {
            basis = .certain
        } else if model.countedTotal > 0 && !model.papersUnknown {
            basis = .projected
        } else {
            return nil
        }
        ranges = ranges(draws: 2000)
    }

    /// Each list's projected seats, in election.json order: the 90% range
    /// (5th to 95th percentile of the simulated results, as the share
    /// ranges), the seats most often drawn, and the probability of each
    /// number of seats drawn. For a certain result, the counted seats.
    func ranges(draws: Int) -> [ListSeatRange] {
        if basis == .certain {
            return ids.indices.map { ListSeatRange(id: ids[$0], low: counted[$0], high: counted[$0], likeliest: counted[$0],
                                                   probabilities: [counted[$0]: 1]) }
        }
        var tallies = Array(repeating: [Int: Int](), count: ids.count)
        NormalDraws.draw(mean: totals, covariance: covariance, count: draws) { drawn in
            let votes = drawn.map { Int(max(0, $0).rounded()) }
            let seats = SeatAllocation.seatsOnly(votes: votes, seats: self.seats, rule: rule)
            for (list, n) in seats.enumerated() { tallies[list][n, default: 0] += 1 }
        }
        let tail = Int((Double(draws) * (1 - Projection.intervalLevel) / 2).rounded())
        return ids.indices.map { list in
            let counts = tallies[list].sorted { $0.key < $1.key }
            func percentile(_ below: Int) -> Int {
                var seen = 0
                for (n, count) in counts {
                    seen += count
                    if seen > below { return n }
                }
                return counts.last?.key ?? 0
            }
            let likeliest = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? 0
            return ListSeatRange(id: ids[list], low: percentile(tail), high: percentile(draws - 1 - tail), likeliest: likeliest,
                                 probabilities: tallies[list].mapValues { Double($0) / Double(draws) })
        }
    }
}

public struct ListSeatRange: Equatable, Sendable {
    public let id: String
    public let low: Int
    public let high: Int
    public let likeliest: Int
    /// Number of seats -> the share of simulated results giving that many.
    public let probabilities: [Int: Double]
}

/// Results drawn from a multivariate normal distribution: a Cholesky factor
/// of the covariance (a little added to the diagonal so that a settled list
/// with no spread factors), Box-Muller normals from SplitMix64 with the
/// fixed seed the block seat chances use, so that the same tally always
/// gives the same figures and both draw the same results.
enum NormalDraws {
    static func draw(mean: [Double], covariance: [Double], count: Int, seed: UInt64 = 0x5EA7, _ body: ([Double]) -> Void) {
        let n = mean.count
        var factor = [Double](repeating: 0, count: n * n)
        let trace = (0..<n).reduce(0.0) { $0 + covariance[$1 * n + $1] }
        let jitter = max(1e-9, trace * 1e-12)
        for row in 0..<n {
            for column in 0...row {
                var sum = covariance[row * n + column] + (row == column ? jitter : 0)
                for k in 0..<column { sum -= factor[row * n + k] * factor[column * n + k] }
                if row == column {
                    factor[row * n + column] = max(0, sum).squareRoot()
                } else {
                    factor[row * n + column] = factor[column * n + column] > 0 ? sum / factor[column * n + column] : 0
                }
            }
        }
        var random = SplitMix64(seed: seed)
        var normals = [Double](repeating: 0, count: n)
        var drawn = [Double](repeating: 0, count: n)
        for _ in 0..<count {
            var index = 0
            while index < n {
                let u1 = max(Double.leastNonzeroMagnitude, Double(random.next() >> 11) / Double(1 << 53))
                let u2 = Double(random.next() >> 11) / Double(1 << 53)
                let radius = (-2 * log(u1)).squareRoot()
                normals[index] = radius * cos(2 * Double.pi * u2)
                if index + 1 < n { normals[index + 1] = radius * sin(2 * Double.pi * u2) }
                index += 2
            }
            for row in 0..<n {
                var value = mean[row]
                for k in 0...row { value += factor[row * n + k] * normals[k] }
                drawn[row] = value
            }
            body(drawn)
        }
    }
}
