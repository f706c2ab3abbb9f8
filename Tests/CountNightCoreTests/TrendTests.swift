import Testing
@testable import CountNightCore

/// A contest's trend keeps a chart's worth of points, however many batches.
@Suite struct TrendTests {
    func point(_ counted: Int) -> TrendPoint { TrendPoint(countedBallots: counted, votes: [counted / 2, counted - counted / 2]) }

    @Test func pointsCloserThanTheSpacingAreOnePointAndTheLastIsTheCountAsItIs() {
        var points: [TrendPoint] = []
        for counted in stride(from: 0, through: 1000, by: 10) { Trend.add(point(counted), to: &points, spacing: 100) }
        #expect(points.map(\.countedBallots) == [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
        // The same count again adds nothing; a small step replaces the last point.
        Trend.add(point(1000), to: &points, spacing: 100)
        Trend.add(point(1050), to: &points, spacing: 100)
        #expect(points.map(\.countedBallots).suffix(2) == [1000, 1050])
        Trend.add(point(1090), to: &points, spacing: 100)
        #expect(points.map(\.countedBallots).suffix(2) == [1000, 1090])
        // A correction that takes ballots away is a point too.
        Trend.add(point(700), to: &points, spacing: 100)
        #expect(points.last == point(700))
        // Spacing 1 keeps every change, as before.
        var every: [TrendPoint] = []
        for counted in [0, 3, 3, 4, 9] { Trend.add(point(counted), to: &every, spacing: 1) }
        #expect(every.map(\.countedBallots) == [0, 3, 4, 9])
    }

    @Test func aNightOfManyBatchesKeepsAChartsWorthOfPoints() throws {
        let boxes = (0..<4000).map { #"{"id": "B\#($0)", "area": "A\#($0 / 40)", "electorate": 500}"# }.joined(separator: ",")
        let election = try ElectionFile.parse(Array(#"{"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [\#(boxes)]}]}"#.utf8))
        var tally = Tally(election: election)
        for box in 0..<4000 {
            tally.read(file: "b\(box).json", bytes: Array(#"{"contest": "c", "kind": "count", "box": "B\#(box)", "votes": {"a": \#(100 + box % 7), "b": 90}}"#.utf8))
        }
        let trend = tally.trendHistory()[0]
        // Electorate 2,000,000: points 1,000 ballots apart or more (a box is some 190).
        let counted = tally.trendPoint(contest: 0).countedBallots
        #expect(trend.count <= counted / 1000 + 2)
        #expect(trend.count > counted / 1200)
        #expect(trend.first?.countedBallots == 0)
        #expect(trend.last == tally.trendPoint(contest: 0))
        #expect(zip(trend.dropLast(), trend.dropFirst().dropLast()).allSatisfy { $1.countedBallots - $0.countedBallots >= 1000 })
    }
}
