/// One race counted on the night: its candidates, its ballot boxes, and the
/// areas the boxes belong to.
///
/// A class, immutable once made: every batch is checked against its contest,
/// on several threads at once, and handing round one reference is far cheaper
/// than copying a struct of a dozen arrays and dictionaries each time.
public final class Contest: Equatable, Sendable {
    public let id: String
    public let title: String
    public let system: VotingSystem
    public let seats: Int
    /// Party-list contests: how votes become seats (`allocateSeats`).
    public let listRule: ListRule?
    /// The stated electorate, or the sum of the boxes' when every box has one;
    /// nil when turnout cannot be known.
    public let electorate: Int?
    /// The sum of the boxes' electorates, when every box has one.
    public let boxElectorate: Int?
    public let candidates: [Candidate]
    public let boxes: [Box]
    /// Areas in order of first appearance among the boxes; boxes without an
    /// area together form one more area, last.
    public let areas: [Area]
    /// For each box, the index of its area in `areas`.
    public let areaOfBox: [Int]
    /// The groups the projection estimates apart: an area's boxes of one
    /// `type` (postal, polling day, ...). Without types, one per area, in
    /// the same order. Ballots of one type say little about another's.
    public let strata: [Stratum]
    /// For each box, the index of its stratum.
    public let stratumOfBox: [Int]
    /// For each area, the stratum its bundles (mixed ballots) belong to: the
    /// area's only type, else a stratum of the area's mixed ballots.
    public let bundleStratum: [Int]
    /// The box types in order of first appearance (nil for boxes without one).
    public let types: [String?]
    /// A previous result for every projection stratum (areas, or areas by
    /// type), as shares of its ballots per candidate; nil unless every
    /// stratum has one (election.json's `previous`, per box or per area).
    /// The projection then works on the swing from it.
    public let baseline: [[Double]]?
    /// For each area, the types of its boxes, in order of first appearance.
    public let areaTypes: [[String]]
    /// Some box has a type: strata are then not simply the areas.
    public var hasTypes: Bool { types.contains { $0 != nil } }

    /// The candidates' ids in election.json order, kept: every snapshot's
    /// projection names them.
    public let candidateIDs: [String]
    private let candidateIndexByID: [String: Int]
    private let boxIndexByID: [String: Int]
    private let areaIndexByName: [String: Int]

    public convenience init(id: String, title: String? = nil, system: VotingSystem = .fptp, seats: Int = 1, listRule: ListRule? = nil,
                            electorate: Int? = nil, candidates: [Candidate], boxes: [Box], previousByArea: [String: PreviousResult] = [:]) {
        self.init(id: id, title: title, system: system, seats: seats, listRule: listRule, electorate: electorate,
                  candidates: candidates, boxes: boxes, previousByArea: previousByArea, boxIndex: nil)
    }

    /// `boxIndex`: the place of each box by its id, when the caller has it
    /// already (election.json's reading, which finds ids used twice with it).
    init(id: String, title: String?, system: VotingSystem, seats: Int, listRule: ListRule?,
         electorate: Int?, candidates: [Candidate], boxes: [Box], previousByArea: [String: PreviousResult], boxIndex: [String: Int]?) {
        self.id = id
        self.listRule = system == .list ? (listRule ?? ListRule(method: .dhondt)) : nil
        self.title = title ?? id
        self.system = system
        self.seats = seats
        self.candidates = candidates
        self.boxes = boxes
        boxElectorate = boxes.allSatisfy({ $0.electorate != nil }) ? boxes.reduce(0) { $0 + ($1.electorate ?? 0) } : nil
        self.electorate = electorate ?? boxElectorate
        var areas: [Area] = []
        var areaIndex: [String: Int] = [:]
        var areaOfBox: [Int] = []
        areaOfBox.reserveCapacity(boxes.count)
        var looseBoxes: [Int] = []
        // An area's boxes mostly come one after another: the last box's
        // area is compared before the table is looked in (an election.json
        // of 100,000 boxes hashed each box's area, type and id twice over).
        var last: (name: String, index: Int)?
        for (index, box) in boxes.enumerated() {
            guard let name = box.area else {
                looseBoxes.append(index)
                areaOfBox.append(-1)
                continue
            }
            if let last, last.name == name {
                areas[last.index].boxes.append(index)
                areaOfBox.append(last.index)
            } else if let existing = areaIndex[name] {
                last = (name, existing)
                areas[existing].boxes.append(index)
                areaOfBox.append(existing)
            } else {
                last = (name, areas.count)
                areaIndex[name] = areas.count
                areaOfBox.append(areas.count)
                areas.append(Area(name: name, boxes: [index]))
            }
        }
        if !looseBoxes.isEmpty {
            let loose = areas.count
            areas.append(Area(name: nil, boxes: looseBoxes))
            for box in looseBoxes { areaOfBox[box] = loose }
        }
        for index in areas.indices {
            let electorates = areas[index].boxes.map { boxes[$0].electorate }
            if electorates.allSatisfy({ $0 != nil }) { areas[index].electorate = electorates.reduce(0) { $0 + $1! } }
        }
        self.areas = areas
        self.areaOfBox = areaOfBox
        (strata, stratumOfBox, bundleStratum, types) = Contest.strata(boxes: boxes, areas: areas)
        var areaTypes = Array(repeating: [String](), count: areas.count)
        for stratum in strata { if let type = stratum.type { areaTypes[stratum.area].append(type) } }
        self.areaTypes = areaTypes
        baseline = Contest.baseline(candidates: candidates, boxes: boxes, areas: areas, strata: strata,
                                    stratumOfBox: stratumOfBox, bundleStratum: bundleStratum, previousByArea: previousByArea)
        self.areaIndexByName = areaIndex
        candidateIDs = candidates.map(\.id)
        self.candidateIndexByID = Contest.index(candidateIDs)
        self.boxIndexByID = boxIndex ?? Contest.index(boxes.map(\.id))
    }

    private static func strata(boxes: [Box], areas: [Area]) -> ([Stratum], [Int], [Int], [String?]) {
        var types: [String?] = []
        var typeIndex: [String?: Int] = [:]
        // Boxes of one type mostly follow each other (or none has a type).
        var lastType: String?? = .none
        for box in boxes where lastType != .some(box.type) {
            lastType = .some(box.type)
            if typeIndex[box.type] == nil {
                typeIndex[box.type] = types.count
                types.append(box.type)
            }
        }
        var strata: [Stratum] = []
        var stratumOfBox = [Int](repeating: 0, count: boxes.count)
        var bundleStratum = [Int](repeating: 0, count: areas.count)
        for (areaIndex, area) in areas.enumerated() {
            // The area's strata by type.
            var own: [String?: Int] = [:]
            var last: (type: String?, stratum: Int)?
            for box in area.boxes {
                let type = boxes[box].type
                if let last, last.type == type {
                    stratumOfBox[box] = last.stratum
                } else if let existing = own[type] {
                    last = (type, existing)
                    stratumOfBox[box] = existing
                } else {
                    last = (type, strata.count)
                    own[type] = strata.count
                    stratumOfBox[box] = strata.count
                    strata.append(Stratum(area: areaIndex, type: type, group: typeIndex[type]!))
                }
            }
            if own.count == 1, let only = own.values.first {
                bundleStratum[areaIndex] = only
            } else {
                // Bundles of an area of several types mix them: their own stratum.
                if typeIndex[nil] == nil {
                    typeIndex[nil] = types.count
                    types.append(nil)
                }
                bundleStratum[areaIndex] = strata.count
                strata.append(Stratum(area: areaIndex, type: nil, group: typeIndex[nil]!))
            }
        }
        return (strata, stratumOfBox, bundleStratum, types)
    }

    /// Shares of a previous result per projection stratum: its area's own
    /// previous result where election.json gives one, else the sum of its
    /// boxes' (every box must have one).
    private static func baseline(candidates: [Candidate], boxes: [Box], areas: [Area], strata: [Stratum], stratumOfBox: [Int],
                                 bundleStratum: [Int], previousByArea: [String: PreviousResult]) -> [[Double]]? {
        guard !previousByArea.isEmpty || boxes.contains(where: { $0.previous != nil }) else { return nil }
        let typed = strata.contains { $0.type != nil }
        let count = typed ? strata.count : areas.count
        var votes = Array(repeating: [Double](repeating: 0, count: candidates.count), count: count)
        var totals = [Double](repeating: 0, count: count)
        var missing = [Bool](repeating: false, count: count)
        func add(_ previous: PreviousResult, to index: Int) {
            totals[index] += Double(previous.total)
            for (i, candidate) in candidates.enumerated() { votes[index][i] += previous.share(of: candidate, among: candidates) }
        }
        for (areaIndex, area) in areas.enumerated() {
            let own = typed ? Set(area.boxes.map { stratumOfBox[$0] }).union([bundleStratum[areaIndex]]) : [areaIndex]
            if let previous = area.name.flatMap({ previousByArea[$0] }) {
                for index in own { add(previous, to: index) }
                continue
            }
            for box in area.boxes {
                let index = typed ? stratumOfBox[box] : areaIndex
                if let previous = boxes[box].previous { add(previous, to: index) } else { missing[index] = true }
            }
            // Bundles of an area of several types: the area's boxes together.
            if typed && !own.isEmpty && !area.boxes.contains(where: { stratumOfBox[$0] == bundleStratum[areaIndex] }) {
                let bundle = bundleStratum[areaIndex]
                for box in area.boxes {
                    if let previous = boxes[box].previous { add(previous, to: bundle) } else { missing[bundle] = true }
                }
            }
        }
        guard !missing.contains(true), !totals.contains(0) else { return nil }
        return votes.indices.map { index in votes[index].map { $0 / totals[index] } }
    }

    /// Each id's first place in the list.
    private static func index(_ ids: [String]) -> [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(ids.count)
        // The first place of each id, with one lookup of the id each.
        func first(_ slot: inout Int?, _ position: Int) { if slot == nil { slot = position } }
        for (position, id) in ids.enumerated() { first(&index[id], position) }
        return index
    }

    public static func == (a: Contest, b: Contest) -> Bool {
        a === b || (a.id == b.id && a.title == b.title && a.system == b.system && a.seats == b.seats && a.listRule == b.listRule
            && a.electorate == b.electorate && a.candidates == b.candidates && a.boxes == b.boxes && a.baseline == b.baseline)
    }

    public func candidateIndex(_ id: String) -> Int? {
        // A contest has few candidates: a scan beats hashing the id.
        if candidates.count <= 16 {
            let utf8Count = id.utf8.count
            return candidates.firstIndex { $0.id.utf8.count == utf8Count && $0.id == id }
        }
        return candidateIndexByID[id]
    }
    /// The same, looking first at `position`: a batch file usually gives
    /// its candidates in ballot order.
    public func candidateIndex(_ id: String, likelyAt position: Int) -> Int? {
        if position < candidates.count && candidates[position].id == id { return position }
        return candidateIndex(id)
    }
    public func boxIndex(_ id: String) -> Int? { boxIndexByID[id] }
    /// Only named areas: the group of boxes without an area cannot be named in a batch.
    public func areaIndex(_ name: String) -> Int? { areaIndexByName[name] }
}

public struct Candidate: Equatable, Sendable {
    public let id: String
    public let name: String
    public let party: String?
    public let colour: RGB?
    /// A party list's own candidates, in list order (empty otherwise).
    public let members: [ListMember]

    public init(id: String, name: String, party: String? = nil, colour: RGB? = nil, members: [ListMember] = []) {
        self.id = id
        self.name = name
        self.party = party
        self.colour = colour
        self.members = members
    }
}

/// A candidate on a party list.
public struct ListMember: Equatable, Sendable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A ballot box (or a postal-vote box): the unit that is verified.
public struct Box: Equatable, Sendable {
    public let id: String
    public let area: String?
    public let electorate: Int?
    /// What kind of votes the box holds (`postal`, `polling-day`, `early`):
    /// free text, optional.
    public let type: String?
    /// The box's result at a previous election, for the projection's swing.
    public let previous: PreviousResult?

    public init(id: String, area: String? = nil, electorate: Int? = nil, type: String? = nil, previous: PreviousResult? = nil) {
        self.id = id
        self.area = area
        self.electorate = electorate
        self.type = type
        self.previous = previous
    }
}

/// A result at a previous election (of a box or an area): votes by party or
/// by candidate id, and the ballots in all. Votes under a name that is
/// neither (a party not standing now) count in the total only.
public struct PreviousResult: Equatable, Sendable {
    public let votes: [String: Int]
    public let total: Int

    public init(votes: [String: Int], total: Int) {
        self.votes = votes
        self.total = total
    }

    /// A candidate's votes then: under their id, else their party's, split
    /// evenly among the candidates who stand for that party now.
    func share(of candidate: Candidate, among candidates: [Candidate]) -> Double {
        if let own = votes[candidate.id] { return Double(own) }
        guard let party = candidate.party, let partyVotes = votes[party] else { return 0 }
        let standing = candidates.filter { $0.party == party && votes[$0.id] == nil }.count
        return Double(partyVotes) / Double(max(1, standing))
    }
}

/// An area's boxes of one type: what the projection estimates on its own.
public struct Stratum: Equatable, Sendable {
    public let area: Int
    public let type: String?
    /// The index of its type in `Contest.types`.
    public let group: Int
}

/// A group of boxes whose ballots may be mixed and counted in bundles.
public struct Area: Equatable, Sendable {
    /// nil for the group of boxes that election.json gives no area.
    public let name: String?
    public internal(set) var boxes: [Int]
    /// The sum of the boxes' electorates, when every box has one.
    public internal(set) var electorate: Int?

    public static let unnamedLabel = "(boxes without an area)"
    public var label: String { name ?? Area.unnamedLabel }
}

/// A party colour as written in election.json (`#rrggbb`).
public struct RGB: Equatable, Hashable, Sendable {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `#rrggbb`; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        // Six hexadecimal digits and nothing else: a sign that the integer
        // parser would take (`#+12345`) is not a colour.
        guard digits.count == 7, digits[0] == UInt8(ascii: "#"),
              digits.dropFirst().allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
              let value = UInt32(String(hex.dropFirst()), radix: 16) else { return nil }
        red = UInt8((value >> 16) & 0xFF)
        green = UInt8((value >> 8) & 0xFF)
        blue = UInt8(value & 0xFF)
    }

    public var hex: String {
        func two(_ v: UInt8) -> String { v < 16 ? "0" + String(v, radix: 16) : String(v, radix: 16) }
        return "#" + two(red) + two(green) + two(blue)
    }
}
