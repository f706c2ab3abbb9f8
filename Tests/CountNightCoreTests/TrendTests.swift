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

    /// A night of 400 boxes in 10 areas, each count at its own time.
    func night() throws -> (Election, [(file: String, bytes: [UInt8])]) {
        let boxes = (0..<400).map { #"{"id": "B\#($0)", "area": "A\#($0 / 40)", "electorate": 500}"# }.joined(separator: ",")
        let election = try ElectionFile.parse(Array(#"{"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [\#(boxes)]}]}"#.utf8))
        let files = (0..<400).map { box in
            let at = String(format: "2026-05-07T22:%02d:%02d+01:00", box / 10, box % 10 * 6)
            return ("b\(box).json", Array(#"{"contest": "c", "kind": "count", "box": "B\#(box)", "at": "\#(at)", "votes": {"a": \#(100 + box % 7), "b": \#(90 + box % 11)}}"#.utf8))
        }
        return (election, files)
    }

    @Test func aTrendWorkedOutWhileTheCountGoesOnJoinsThePointsAddedSince() throws {
        let (election, files) = try night()
        var tally = Tally(election: election)
        for file in files.prefix(250) { tally.read(file: file.file, bytes: file.bytes) }
        // Taken when the dashboard's first model is made; the reading goes on.
        let source = tally.trendSource
        #expect(source.versionCount == 250)
        var live = [[tally.trendPoint(contest: 0)]]
        let spacing = tally.trendSpacing(contest: 0)
        for file in files.dropFirst(250) {
            tally.read(file: file.file, bytes: file.bytes)
            Trend.add(tally.trendPoint(contest: 0), to: &live[0], spacing: spacing)
        }
        let history = try #require(source.history())
        // The history ends where the live points start.
        #expect(history[0].last == live[0][0])
        #expect(history[0].last?.countedBallots == (0..<250).reduce(0) { $0 + 190 + $1 % 7 + $1 % 11 })
        let joined = Trend.continuing(history, with: live) { _ in spacing }
        // The same as the trend worked out from the whole night at the end.
        #expect(joined == tally.trendHistory())
        #expect(joined[0].count > 150)
        #expect(tally.isContinuation(of: source))
    }

    @Test func aTrendBeingWorkedOutStopsWhenAskedAndAnotherElectionEndsIt() throws {
        let (election, files) = try night()
        var tally = Tally(election: election)
        for file in files { tally.read(file: file.file, bytes: file.bytes) }
        let source = tally.trendSource
        var asked = 0
        #expect(source.history(stop: { asked += 1; return true }) == nil)
        #expect(asked == 1)
        // A new election.json checks every version again: a trend of the old one is not continued.
        var renamed = election
        renamed.title = "T2"
        tally.replaceElection(renamed)
        #expect(!tally.isContinuation(of: source))
        #expect(tally.isContinuation(of: tally.trendSource))
    }

    @Test func theTrendFollowsTheBatchesTimesAndAFilesVersionsStayInTheOrderRead() throws {
        let election = try ElectionFile.parse(Array(#"{"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [{"id": "B1"}, {"id": "B2"}, {"id": "B3"}]}]}"#.utf8))
        func count(_ box: String, _ a: Int, _ b: Int, at: String?) -> [UInt8] {
            Array(#"{"contest": "c", "kind": "count", "box": "\#(box)", \#(at.map { "\"at\": \"2026-05-07T\($0):00+01:00\", " } ?? "")"votes": {"a": \#(a), "b": \#(b)}}"#.utf8)
        }
        var tally = Tally(election: election)
        tally.read(file: "b1.json", bytes: count("B1", 10, 0, at: "22:10"))
        tally.read(file: "b2.json", bytes: count("B2", 0, 20, at: "22:05"))
        tally.read(file: "b3.json", bytes: count("B3", 5, 5, at: nil))
        // b1.json again, corrected, with an earlier time: still after its first version.
        tally.read(file: "b1.json", bytes: count("B1", 12, 0, at: "22:00"))
        #expect(tally.trendHistory()[0].map(\.countedBallots) == [0, 20, 30, 32, 42])
        #expect(tally.trendHistory()[0].last?.votes == [17, 25])
    }
}

