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
    func night(electorate: Int = 500) throws -> (Election, [(file: String, bytes: [UInt8])]) {
        let boxes = (0..<400).map { #"{"id": "B\#($0)", "area": "A\#($0 / 40)", "electorate": \#(electorate)}"# }.joined(separator: ",")
        let election = try ElectionFile.parse(Array(#"{"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [\#(boxes)]}]}"#.utf8))
        let files = (0..<400).map { box in
            let at = String(format: "2026-05-07T22:%02d:%02d+01:00", box / 10, box % 10 * 6)
            return ("b\(box).json", Array(#"{"contest": "c", "kind": "count", "box": "B\#(box)", "at": "\#(at)", "votes": {"a": \#(100 + box % 7), "b": \#(90 + box % 11)}}"#.utf8))
        }
        return (election, files)
    }

    @Test(arguments: [500, 5000])
    func aTrendWorkedOutWhileTheCountGoesOnJoinsThePointsAddedSince(electorate: Int) throws {
        let (election, files) = try night(electorate: electorate)
        var tally = Tally(election: election)
        for file in files.prefix(250) { tally.read(file: file.file, bytes: file.bytes) }
        // Taken when the dashboard's first model is made; the reading goes on.
        let source = tally.trendSource
        #expect(source.versionCount == 250)
        // Points kept as they come while the trend is worked out.
        var live = [[tally.trendPoint(contest: 0)]]
        for file in files.dropFirst(250) {
            tally.read(file: file.file, bytes: file.bytes)
            live[0].append(tally.trendPoint(contest: 0))
        }
        let history = try #require(source.history())
        // The history ends where the live points start.
        #expect(history[0].last == live[0][0])
        #expect(history[0].last?.countedBallots == (0..<250).reduce(0) { $0 + 190 + $1 % 7 + $1 % 11 })
        let spacing = tally.trendSpacing(contest: 0)
        let joined = Trend.continuing(history, with: live) { _ in spacing }
        // As though the trend had been worked out at the start and each point
        // added to it live: with the times in the order read, the trend of
        // the whole night worked out at the end.
        #expect(joined == tally.trendHistory())
        // 500 electors a box: a point a batch. 5,000: points closer than
        // 1,000 ballots are one point.
        let counted = tally.trendPoint(contest: 0).countedBallots
        if electorate == 500 {
            #expect(joined[0].count == 401)
        } else {
            #expect(joined[0].count <= counted / 1000 + 2 && joined[0].count > counted / 1200)
        }
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

    @Test func versionsTakenBackAcrossTheirBlocksAndReadAgainGiveTheSameCount() throws {
        // More than two blocks of 4,096 versions.
        let count = 9000
        let boxes = (0..<count).map { #"{"id": "B\#($0)", "area": "A\#($0 / 100)", "electorate": 500}"# }.joined(separator: ",")
        let election = try ElectionFile.parse(Array(#"{"format": "countnight-feed/1", "id": "t", "title": "T", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "boxes": [\#(boxes)]}]}"#.utf8))
        let files = (0..<count).map { box in
            ("b\(box).json", Array(#"{"contest": "c", "kind": "count", "box": "B\#(box)", "votes": {"a": \#(100 + box % 7), "b": \#(90 + box % 11)}}"#.utf8))
        }
        func fresh(_ upTo: Int) -> Tally {
            var tally = Tally(election: election)
            for (file, bytes) in files.prefix(upTo) { tally.read(file: file, bytes: bytes) }
            return tally
        }
        var tally = Tally(election: election)
        var undos: [Tally.Undo] = []
        for (file, bytes) in files { undos.append(tally.readUndoably(tally.preparer.prepare(file: file, bytes: bytes)).1) }
        let whole = tally.trendSource
        // Back to 4,090 versions, across the ends of two blocks.
        while undos.count > 4090 { tally.undo(undos.removeLast()) }
        #expect(tally.versionCount == 4090)
        #expect(tally.snapshot(time: 0, boxes: true) == fresh(4090).snapshot(time: 0, boxes: true))
        // The trend taken before is of the versions as they were.
        #expect(whole.history() == fresh(count).trendHistory())
        // And forward again, then back to nothing.
        for (file, bytes) in files.dropFirst(4090) { undos.append(tally.readUndoably(tally.preparer.prepare(file: file, bytes: bytes)).1) }
        #expect(tally.snapshot(time: 0, boxes: true) == fresh(count).snapshot(time: 0, boxes: true))
        #expect(tally.trendHistory() == fresh(count).trendHistory())
        while let undo = undos.popLast() { tally.undo(undo) }
        #expect(tally.versionCount == 0)
        #expect(tally.snapshot(time: 0, boxes: true) == Tally(election: election).snapshot(time: 0, boxes: true))
        tally.read(file: files[0].0, bytes: files[0].1)
        #expect(tally.snapshot(time: 0, boxes: true) == fresh(1).snapshot(time: 0, boxes: true))
    }
}

