/// Why election.json cannot be used: the place in the file and the problem.
public struct ElectionFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

/// Reads election.json (feed format v1).
public enum ElectionFile {
    public static let name = "election.json"
    public static let maxFigure = 100_000_000
    /// Contests larger than any real one are still allowed for an electorate.
    public static let maxElectorate = 2_000_000_000

    public static func parse(_ bytes: [UInt8], file: String = name) throws(ElectionFileError) -> Election {
        if bytes.isEmpty { throw ElectionFileError(file: file, problem: "the file is empty") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ElectionFileError(file: file, problem: "not valid JSON: \(error)")
        }
        do {
            return try election(value)
        } catch {
            throw ElectionFileError(file: file, problem: error.description)
        }
    }

    static func election(_ value: JSONValue) throws(FieldError) -> Election {
        let root = try FieldReader(value, path: "")
        guard let format = try root.string("format") else {
            throw FieldError(path: "format", message: "is missing; a v1 feed says \"format\": \"\(Election.format)\"")
        }
        guard format == Election.format else {
            throw FieldError(path: "format", message: "\"\(format)\" is not a format this program reads (expected \"\(Election.format)\")")
        }
        let id = try root.identifier("id")!
        let title = try root.string("title") ?? id
        let rehearsal = try root.bool("rehearsal") ?? false
        let recountMargin = try share(root, "recountMargin", in: 0...0.5) ?? Election.defaultRecountMargin
        let contests = try uniqueList(root, "contests", noun: "contest", minimum: 1,
                                      tooFew: { _ in "is empty; a feed needs at least one contest" },
                                      id: { $0.id }, read: contest)
        return Election(id: id, title: title, rehearsal: rehearsal, contests: contests, recountMargin: recountMargin)
    }

    /// A share written as a number from 0 to 1 (0.005 for half a percent).
    static func share(_ fields: FieldReader, _ key: String, in range: ClosedRange<Double>) throws(FieldError) -> Double? {
        guard let value = fields.object[key], value != .null else { return nil }
        let number: Double?
        switch value {
        case .integer(let whole): number = Double(whole)
        case .number(let text): number = Double(text)
        default: throw FieldError(path: fields.place(key), message: "must be a number, not \(value.kindName)")
        }
        guard let number, number.isFinite, range.contains(number) else {
            throw FieldError(path: fields.place(key), message: "must be a share from \(Format.percent(range.lowerBound, decimals: 0)) to \(Format.percent(range.upperBound, decimals: 0)) of the valid votes, written as a number from \(range.lowerBound) to \(range.upperBound) (0.005 for half a percent)")
        }
        return number
    }

    static func contest(_ value: JSONValue, list: String, index: Int) throws(FieldError) -> Contest {
        let fields = try FieldReader(value, list: list, index: index)
        let id = try fields.identifier("id")!
        let title = try fields.string("title")
        var system = VotingSystem.fptp
        if let name = try fields.string("system") {
            guard let known = VotingSystem(rawValue: name) else {
                throw FieldError(path: fields.place("system"), message: "\"\(name)\" is not a voting system (use fptp, sv, block or list)")
            }
            system = known
        }
        let seats = try fields.integer("seats", in: 1...1000) ?? 1
        if system != .block && system != .list && seats != 1 {
            throw FieldError(path: fields.place("seats"), message: "must be 1 for \(system.rawValue); use \"system\": \"block\" for several seats")
        }
        let listRule = system == .list ? try self.listRule(fields) : nil
        // A ballot has a vote a seat only in a block contest.
        let votesPerBallot = system == .block ? seats : 1
        let electorate = try fields.integer("electorate", in: 1...maxElectorate)

        let candidates = try uniqueList(fields, "candidates", noun: "candidate", minimum: 2,
                                        tooFew: { "has \($0); a contest needs at least 2 candidates" },
                                        id: { $0.id }, read: candidate)
        if system != .list && seats >= candidates.count {
            throw FieldError(path: fields.place("seats"), message: "\(seats) seats must be fewer than the \(candidates.count) candidates")
        }

        let (boxes, boxIndex) = try uniqueIndexedList(fields, "boxes", noun: "box", minimum: 1,
                                   tooFew: { _ in "is empty; a contest needs at least 1 box" },
                                   id: { $0.id }, read: { value, list, index throws(FieldError) in try box(value, list: list, index: index, seats: votesPerBallot) })
        var previousByArea: [String: PreviousResult] = [:]
        if let previous = try fields.map("previous") {
            let inner = try FieldReader(.object(previous), path: fields.place("previous"))
            guard let areas = try inner.map("areas") else {
                throw FieldError(path: inner.place("areas"), message: "is missing; give a previous result per area as \"areas\": {\"North\": {\"votes\": {...}, \"total\": ...}}")
            }
            let names = Set(boxes.compactMap(\.area))
            let place = inner.place("areas")
            for (name, value) in areas.entries {
                guard names.contains(name) else {
                    throw FieldError(path: "\(place).\(name)", message: "no box of this contest is in an area of that name")
                }
                previousByArea[name] = try previousResult(value, at: "\(place).\(name)", seats: votesPerBallot)
            }
        }
        return Contest(id: id, title: title, system: system, seats: seats, listRule: listRule, electorate: electorate,
                       candidates: candidates, boxes: boxes, previousByArea: previousByArea, boxIndex: boxIndex)
    }

    /// Reads a list of things with ids: present, long enough, and no id used twice.
    static func uniqueList<Item>(_ fields: FieldReader, _ key: String, noun: String, minimum: Int,
                                 tooFew: (Int) -> String, id: (Item) -> String,
                                 read: (JSONValue, String, Int) throws(FieldError) -> Item) throws(FieldError) -> [Item] {
        try uniqueIndexedList(fields, key, noun: noun, minimum: minimum, tooFew: tooFew, id: id, read: read).items
    }

    /// `uniqueList`, and the place of each item by its id: what finding an
    /// id used twice looks up anyway, kept for the contest's index of its
    /// boxes rather than hashed again there.
    static func uniqueIndexedList<Item>(_ fields: FieldReader, _ key: String, noun: String, minimum: Int,
                                        tooFew: (Int) -> String, id: (Item) -> String,
                                        read: (JSONValue, String, Int) throws(FieldError) -> Item)
        throws(FieldError) -> (items: [Item], index: [String: Int]) {
        let list = fields.place(key)
        guard let values = try fields.list(key) else { throw FieldError(path: list, message: "is missing") }
        if values.count < minimum { throw FieldError(path: list, message: tooFew(values.count)) }
        var items: [Item] = []
        items.reserveCapacity(values.count)
        var seen: [String: Int] = [:]
        seen.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let item = try read(value, list, index)
            if seen.updateValue(index, forKey: id(item)) != nil {
                throw FieldError(path: "\(list)[\(index)].id", message: "\"\(id(item))\" is used by an earlier \(noun)")
            }
            items.append(item)
        }
        return (items, seen)
    }

    static func candidate(_ value: JSONValue, list: String, index: Int) throws(FieldError) -> Candidate {
        let fields = try FieldReader(value, list: list, index: index)
        let id = try fields.identifier("id")!
        let name = try fields.requiredString("name")
        if name.isBlank { throw FieldError(path: fields.place("name"), message: "is empty") }
        let party = try fields.string("party")
        var colour: RGB?
        if let text = try fields.string("colour") {
            guard let rgb = RGB(hex: text) else {
                throw FieldError(path: fields.place("colour"), message: "\"\(text)\" is not a colour; write it as #rrggbb, for example #6a3d9a")
            }
            colour = rgb
        }
        var members: [ListMember] = []
        if fields.has("candidates") {
            members = try uniqueList(fields, "candidates", noun: "candidate", minimum: 1,
                                     tooFew: { _ in "is empty; leave it out for a list without named candidates" },
                                     id: { $0.id }, read: member)
        }
        return Candidate(id: id, name: name, party: party, colour: colour, members: members)
    }

    static func member(_ value: JSONValue, list: String, index: Int) throws(FieldError) -> ListMember {
        let fields = try FieldReader(value, list: list, index: index)
        let id = try fields.identifier("id")!
        let name = try fields.requiredString("name")
        if name.isBlank { throw FieldError(path: fields.place("name"), message: "is empty") }
        return ListMember(id: id, name: name)
    }

    /// A list contest's `method` (default dhondt) and `threshold` (a
    /// fraction of the valid votes, 0 to below 1).
    static func listRule(_ fields: FieldReader) throws(FieldError) -> ListRule {
        var method = ListMethod.dhondt
        if let name = try fields.string("method") {
            guard let known = ListMethod(rawValue: name) else {
                throw FieldError(path: fields.place("method"), message: "\"\(name)\" is not a seat allocation method (use dhondt, sainte-lague or largest-remainder)")
            }
            method = known
        }
        var threshold: Double?
        if let value = fields.object["threshold"], value != .null {
            let number: Double?
            switch value {
            case .integer(let whole): number = Double(whole)
            case .number(let text): number = Double(text)
            default: throw FieldError(path: fields.place("threshold"), message: "must be a number, not \(value.kindName)")
            }
            guard let number, number >= 0, number < 1 else {
                throw FieldError(path: fields.place("threshold"), message: "must be a share of the valid votes from 0 to below 1 (0.05 for 5%)")
            }
            threshold = number
        }
        return ListRule(method: method, threshold: threshold)
    }

    static func box(_ value: JSONValue, list: String, index: Int, seats: Int) throws(FieldError) -> Box {
        let fields = try FieldReader(value, list: list, index: index)
        let id = try fields.identifier("id")!
        let area = try fields.string("area")
        if let area, area.isBlank {
            throw FieldError(path: fields.place("area"), message: "is empty; leave it out for a box without an area")
        }
        if let value = fields.object["electorate"], value == .integer(0) {
            throw FieldError(path: fields.place("electorate"), message: "is 0; leave it out when the box's electorate is not known")
        }
        let electorate = try fields.integer("electorate", in: 1...maxFigure)
        let type = try fields.string("type")
        if let type, type.isBlank {
            throw FieldError(path: fields.place("type"), message: "is empty; leave it out for a box without a type")
        }
        let previous = try fields.object["previous"].flatMap { value throws(FieldError) in
            value == .null ? nil : try previousResult(value, at: fields.place("previous"), seats: seats)
        }
        return Box(id: id, area: area, electorate: electorate, type: type, previous: previous)
    }

    /// `{"votes": {"lab": 420, ...}, "total": 800}`: votes by party or
    /// candidate id, and the ballots in all (at least the votes' sum, or
    /// for a block contest that over the seats: a ballot has a vote a seat).
    static func previousResult(_ value: JSONValue, at place: String, seats: Int) throws(FieldError) -> PreviousResult {
        let fields = try FieldReader(value, path: place)
        guard let votesObject = try fields.map("votes") else { throw FieldError(path: fields.place("votes"), message: "is missing") }
        var votes: [String: Int] = [:]
        for (key, count) in votesObject.entries {
            votes[key] = try FieldReader.integer(count, at: "\(fields.place("votes")).\(key)", in: 0...maxFigure)
        }
        guard let total = try fields.integer("total", in: 1...maxFigure) else {
            throw FieldError(path: fields.place("total"), message: "is missing; give the ballots of that result in all")
        }
        let sum = votes.values.reduce(0, +)
        if sum > total * seats {
            let unit = seats == 1 ? "" : " over the \(seats) seats (a ballot has a vote a seat)"
            throw FieldError(path: fields.place("total"), message: "\(Format.grouped(total)) is less than the \(Format.grouped(sum)) votes given\(unit)")
        }
        return PreviousResult(votes: votes, total: total)
    }
}

extension String {
    /// Empty or only white space. Stops at the first other character, so a
    /// long name costs no more than a short one. ASCII is decided without
    /// the table of Unicode properties (its white space is tab to carriage
    /// return, and space): an election.json of 100,000 boxes looks up each
    /// box's area.
    var isBlank: Bool {
        for scalar in unicodeScalars {
            if scalar.isASCII {
                if scalar.value != 0x20 && !(0x09...0x0D).contains(scalar.value) { return false }
            } else if !scalar.properties.isWhitespace {
                return false
            }
        }
        return true
    }
}

extension ElectionFile {
    /// election.json's bytes with `"rehearsal": true`, for a rehearsal feed;
    /// nil when they are not a JSON object.
    public static func markedAsRehearsal(_ bytes: [UInt8]) -> [UInt8]? {
        guard case .object(let object)? = try? JSONParser.parse(bytes) else { return nil }
        var out = JSONWriter()
        out.object { o in
            var marked = false
            for entry in object.entries {
                o.key(escaping: entry.key)
                if entry.key == "rehearsal" {
                    o.bool(true)
                    marked = true
                } else {
                    o.value(entry.value)
                }
            }
            if !marked {
                o.key("rehearsal"); o.bool(true)
            }
        }
        return Array(out.text.utf8)
    }
}
