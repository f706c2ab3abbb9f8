@testable import CountNightCore

/// An invented count night whose true outcome is known: areas that lean
/// differently, boxes verified and then counted box by box or in bundles.
struct SyntheticNight {
    struct AreaPlan {
        var name: String
        var boxes: Int
        /// Each candidate's share of the valid votes in the area.
        var shares: [Double]
        var papersPerBox: ClosedRange<Int> = 800...1400
        /// The boxes' type in election.json (plans of one area name and
        /// several types make one area of several types).
        var type: String? = nil
    }

    /// How far each box's shares stray from its area's, either way.
    var boxNoise = 0.02
    /// Give every box a previous result: its area's shares less this swing
    /// (per candidate), out of 1,000 ballots.
    var previousSwing: [Double]? = nil

    var system = "fptp"
    var seats = 1
    var candidates: [String]
    var areas: [AreaPlan]
    /// Count in bundles of this many per area instead of box by box.
    var bundlesPerArea: Int? = nil
    var seed: UInt64 = 1
    /// Leave these boxes (by index) without an electorate.
    var withoutElectorate: Set<Int> = []

    struct File {
        let name: String
        let json: String
        let area: Int
    }

    var electionJSON: String {
        var boxes: [String] = []
        var index = 0
        for area in areas {
            for b in 0..<area.boxes {
                let electorate = withoutElectorate.contains(index) ? "" : #", "electorate": 4000"#
                let type = area.type.map { #", "type": "\#($0)""# } ?? ""
                var previous = ""
                if let swing = previousSwing {
                    let votes = zip(candidates, zip(area.shares, swing)).map { #""\#($0)": \#(Int((max(0, $1.0 - $1.1) * 990).rounded()))"# }
                    previous = #", "previous": {"votes": {\#(votes.joined(separator: ", "))}, "total": 1000}"#
                }
                boxes.append(#"{"id": "\#(Self.boxID(area, b))", "area": "\#(area.name)"\#(electorate)\#(type)\#(previous)}"#)
                index += 1
            }
        }
        let people = candidates.map { #"{"id": "\#($0)", "name": "\#($0.capitalized)"}"# }
        return """
        {"format": "countnight-feed/1", "id": "synthetic", "title": "Synthetic night",
         "contests": [{"id": "seat", "system": "\(system)", "seats": \(seats),
           "candidates": [\(people.joined(separator: ", "))], "boxes": [\(boxes.joined(separator: ", "))]}]}
        """
    }

    var election: Election { try! ElectionFile.parse(Array(electionJSON.utf8)) }

    static func boxID(_ area: AreaPlan, _ index: Int) -> String {
        area.type.map { "\(area.name)-\($0)-\(index + 1)" } ?? "\(area.name)-\(index + 1)"
    }

    /// The verification files, then the count files, with the area of each.
    func files() -> (verifications: [File], counts: [File]) {
        var random = SplitMix64(seed: seed)
        var verifications: [File] = [], counts: [File] = []
        for (areaIndex, area) in areas.enumerated() {
            var areaVotes: [[Int]] = []
            var areaRejected: [Int] = []
            for b in 0..<area.boxes {
                let papers = Int.random(in: area.papersPerBox, using: &random)
                let box = Self.boxID(area, b)
                verifications.append(File(name: "verify-\(box).json",
                                          json: #"{"contest": "seat", "kind": "verification", "box": "\#(box)", "ballotPapers": \#(papers)}"#,
                                          area: areaIndex))
                let rejected = papers / 100
                let valid = (papers - rejected) * seats
                // Each box strays a little from its area's shares.
                var weights = area.shares.map { max(0.001, $0 + Double.random(in: -boxNoise...boxNoise, using: &random)) }
                let sum = weights.reduce(0, +)
                weights = weights.map { $0 / sum }
                var votes = weights.map { Int(($0 * Double(valid)).rounded(.down)) }
                votes[0] += valid - votes.reduce(0, +)
                areaVotes.append(votes)
                areaRejected.append(rejected)
            }
            if let bundles = bundlesPerArea {
                for bundle in 0..<bundles {
                    let members = stride(from: bundle, to: area.boxes, by: bundles).map { $0 }
                    let votes = candidates.indices.map { c in members.reduce(0) { $0 + areaVotes[$1][c] } }
                    let rejected = members.reduce(0) { $0 + areaRejected[$1] }
                    counts.append(File(name: "count-\(area.name)-\(bundle + 1).json",
                                       json: countJSON(target: #""area": "\#(area.name)", "batch": "\#(bundle + 1)""#, votes: votes,
                                                       rejected: rejected, ballots: votes.reduce(0, +) / seats + rejected),
                                       area: areaIndex))
                }
            } else {
                for b in 0..<area.boxes {
                    let box = Self.boxID(area, b)
                    counts.append(File(name: "count-\(box).json",
                                       json: countJSON(target: #""box": "\#(box)""#, votes: areaVotes[b], rejected: areaRejected[b],
                                                       ballots: areaVotes[b].reduce(0, +) / seats + areaRejected[b]),
                                       area: areaIndex))
                }
            }
        }
        return (verifications, counts)
    }

    private func countJSON(target: String, votes: [Int], rejected: Int, ballots: Int) -> String {
        let entries = zip(candidates, votes).map { #""\#($0)": \#($1)"# }.joined(separator: ", ")
        let ballotsField = seats > 1 ? #", "ballots": \#(ballots)"# : ""
        return #"{"contest": "seat", "kind": "count", \#(target), "votes": {\#(entries)}, "rejected": {"unmarked or wholly void for uncertainty": \#(rejected)}\#(ballotsField)}"#
    }

    /// The tally of the whole night, with its second stage when it has one.
    func completeTally() -> Tally {
        var tally = Tally(election: election)
        let (verifications, counts) = files()
        for file in verifications + counts { tally.read(file.name, file.json) }
        for file in secondPreferenceFiles(after: tally) { tally.read(file.name, file.json) }
        return tally
    }

    /// Share of an eliminated candidate's ballots whose second preference
    /// goes to the first and the second finalist; the rest name nobody in
    /// the race.
    var transferRates = (first: 0.35, second: 0.45)

    /// Supplementary Vote: one second-preferences bundle per area, once the
    /// first stage of `tally` is complete without a winner.
    func secondPreferenceFiles(after tally: Tally) -> [File] {
        guard let stage = tally.mayor.secondStage else { return [] }
        let contest = tally.contestTally(0)
        let finalists = stage.finalists.compactMap { contest.contest.candidateIndex($0) }
        return contest.contest.areas.indices.map { index in
            let votes = contest.areas[index].votes
            let eliminated = votes.indices.filter { !finalists.contains($0) }.reduce(0) { $0 + votes[$1] }
            let first = Int(Double(eliminated) * transferRates.first)
            let second = Int(Double(eliminated) * transferRates.second)
            let name = contest.contest.areas[index].label
            return File(name: "second-\(name).json",
                        json: #"{"contest": "seat", "kind": "second-preferences", "area": "\#(name)", "transfers": {"\#(stage.finalists[0])": \#(first), "\#(stage.finalists[1])": \#(second)}, "nonTransferable": \#(eliminated - first - second)}"#,
                        area: index)
        }
    }

    /// Reads the given files (verifications and counts in any order) and
    /// returns the contest snapshot after each.
    func steps(files: [File]) -> [ContestSnapshot] {
        var tally = Tally(election: election)
        return files.map { file in
            tally.read(file.name, file.json)
            return tally.mayor
        }
    }

    /// Reads the verifications, then the counts in the given order, and
    /// returns the contest snapshot after each count.
    func steps(countOrder: [File]) -> [ContestSnapshot] {
        var tally = Tally(election: election)
        for file in files().verifications { tally.read(file.name, file.json) }
        return countOrder.map { file in
            tally.read(file.name, file.json)
            return tally.mayor
        }
    }
}
