/// The rules of the count, each written once. Every snapshot, screen, check
/// and projection calls these, so that no two of them can disagree.
extension VotingSystem {
    /// How many candidates the count elects: every seat of a block vote, one otherwise.
    public func elects(seats: Int) -> Int { self == .block ? seats : 1 }
}

extension Contest {
    /// How many candidates the count elects.
    public var electedCount: Int { system.elects(seats: seats) }

    /// Candidates' places, most votes first; a tie keeps election.json's
    /// (ballot) order. `votes` is in election.json order; the result lists
    /// its indices.
    public static func ranking<Votes: Comparable>(_ votes: [Votes]) -> [Int] {
        // A contest of a few candidates is ranked by insertion, in ballot
        // order, each moved up only past fewer votes (so a tie keeps ballot
        // order): every snapshot ranks its candidates several times, and
        // the general sort cost some 600 instructions for six.
        guard votes.count <= 32 else { return votes.indices.sorted { votes[$0] != votes[$1] ? votes[$0] > votes[$1] : $0 < $1 } }
        var order = Array(votes.indices)
        order.withUnsafeMutableBufferPointer { order in
            for next in order.indices.dropFirst() {
                let candidate = order[next]
                var place = next
                while place > 0, votes[order[place - 1]] < votes[candidate] {
                    order[place] = order[place - 1]
                    place -= 1
                }
                order[place] = candidate
            }
        }
        return order
    }

    /// The candidate with more votes than any other (the first of
    /// `ranking`, when it is alone at the top); nil while nobody has a
    /// vote or while the top is tied. One pass, no sorting: every area of
    /// every snapshot asks it.
    public static func soleLeader(_ votes: [Int]) -> Int? {
        var top: Int?
        var tied = false
        for index in votes.indices {
            guard let best = top else { top = index; continue }
            if votes[index] > votes[best] {
                top = index
                tied = false
            } else if votes[index] == votes[best] {
                tied = true
            }
        }
        guard let top, votes[top] > 0, !tied else { return nil }
        return top
    }

    /// More than half elects (Supplementary Vote, at either stage): exactly
    /// half does not.
    public static func isMajority(_ votes: Int, of valid: Int) -> Bool { votes * 2 > valid }
}

extension ContestSnapshot {
    /// How many candidates the count elects.
    public var electedCount: Int { system.elects(seats: seats) }
}

extension Conflict {
    /// The conflict rule: versions of one revision of a batch with different
    /// figures count for nothing until a higher revision settles it.
    public static let rule = "nothing counts for it until a higher revision arrives"

    /// What the conflict means, after the files that hold it.
    public var consequence: String {
        "\(contest) \(identity) revision \(revision) has different figures in these files; \(Conflict.rule)"
    }
}

extension ContestSnapshot {
    /// A candidate's result, by id.
    public func candidate(_ id: String) -> CandidateResult? { candidates.first { $0.id == id } }

    /// A candidate's name, by id.
    public func name(of id: String) -> String? { candidate(id)?.name }

    /// Candidates' names by id, in the order given, those not standing left out.
    public func names(of ids: [String]) -> [String] { ids.compactMap(name(of:)) }
}

extension Contest {
    /// A candidate's name, by id.
    public func name(of id: String) -> String? { candidateIndex(id).map { candidates[$0].name } }

    /// Candidates' names by id, in the order given, those not standing left out.
    public func names(of ids: [String]) -> [String] { ids.compactMap(name(of:)) }
}
