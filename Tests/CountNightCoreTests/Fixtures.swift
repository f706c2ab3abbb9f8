@testable import CountNightCore

/// A small election written the way a returning officer's staff would: two
/// areas of two boxes each and one box without an area.
enum Fixtures {
    static func electionJSON(system: String = "fptp", seats: Int = 1, rehearsal: Bool = false,
                             boxElectorate: Int = 1000, extraContest: Bool = false) -> String {
        let second = extraContest ? """
            ,{"id": "ward", "system": "fptp", "candidates": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
              "boxes": [{"id": "W1"}]}
            """ : ""
        return """
        {"format": "countnight-feed/1", "id": "test-2026", "title": "Test Election", "rehearsal": \(rehearsal),
         "contests": [{"id": "mayor", "title": "Mayor", "system": "\(system)", "seats": \(seats),
           "candidates": [{"id": "ann", "name": "Ann Able", "party": "Red", "colour": "#d50000"},
                          {"id": "bob", "name": "Bob Baker", "party": "Blue"},
                          {"id": "cat", "name": "Cat Clay"}],
           "boxes": [{"id": "N1", "area": "North", "electorate": \(boxElectorate)},
                     {"id": "N2", "area": "North", "electorate": \(boxElectorate)},
                     {"id": "S1", "area": "South", "electorate": \(boxElectorate)},
                     {"id": "S2", "area": "South", "electorate": \(boxElectorate)},
                     {"id": "P1", "electorate": \(boxElectorate)}]}\(second)]}
        """
    }

    static func election(system: String = "fptp", seats: Int = 1, extraContest: Bool = false) -> Election {
        try! ElectionFile.parse(Array(electionJSON(system: system, seats: seats, extraContest: extraContest).utf8))
    }

    static func verification(_ box: String, _ papers: Int, revision: Int = 1) -> String {
        #"{"contest": "mayor", "kind": "verification", "box": "\#(box)", "ballotPapers": \#(papers), "revision": \#(revision)}"#
    }

    static func count(box: String? = nil, area: String? = nil, batch: String? = nil, revision: Int = 1,
                      ann: Int, bob: Int, cat: Int, rejected: Int = 0, ballots: Int? = nil) -> String {
        var fields = [#""contest": "mayor""#, #""kind": "count""#]
        if let box { fields.append(#""box": "\#(box)""#) }
        if let area { fields.append(#""area": "\#(area)""#) }
        if let batch { fields.append(#""batch": "\#(batch)""#) }
        fields.append(#""revision": \#(revision)"#)
        fields.append(#""votes": {"ann": \#(ann), "bob": \#(bob), "cat": \#(cat)}"#)
        if rejected > 0 { fields.append(#""rejected": {"unmarked or wholly void for uncertainty": \#(rejected)}"#) }
        if let ballots { fields.append(#""ballots": \#(ballots)"#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension Tally {
    @discardableResult
    mutating func read(_ file: String, _ json: String) -> TallyEvent? {
        read(file: file, bytes: Array(json.utf8))
    }

    var mayor: ContestSnapshot { snapshot(time: 0).contests[0] }
}

extension ContestSnapshot {
    func votes(_ id: String) -> Int? { candidates.first { $0.id == id }?.votes }
}

func refusal(_ json: String, against election: Election = Fixtures.election()) -> String? {
    switch BatchFile.parse(Array(json.utf8)) {
    case .failure(let refusal): return refusal.reason
    case .success(let record):
        if case .failure(let refusal) = BatchFile.check(record, against: election) { return refusal.reason }
        return nil
    }
}
