/// A problem with one place in a JSON document, such as `contests[0].boxes[3].id`.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads typed fields out of a JSON object, naming the place in the document
/// in every error so that a person can find and fix it.
struct FieldReader {
    let object: JSONObject
    /// Where the object is: the list it is in and its place in the list, or
    /// just a path. Kept in parts and written out only for a message, because
    /// an election.json may hold a hundred thousand boxes.
    private let base: String
    private let index: Int?

    init(_ value: JSONValue, path: String) throws(FieldError) {
        try self.init(value, base: path, index: nil)
    }

    /// The object at `index` of the list at `list`.
    init(_ value: JSONValue, list: String, index: Int) throws(FieldError) {
        try self.init(value, base: list, index: index)
    }

    private init(_ value: JSONValue, base: String, index: Int?) throws(FieldError) {
        self.base = base
        self.index = index
        guard case .object(let object) = value else {
            throw FieldError(path: index.map { "\(base)[\($0)]" } ?? base, message: "must be a JSON object, not \(value.kindName)")
        }
        self.object = object
    }

    var path: String { index.map { "\(base)[\($0)]" } ?? base }

    func place(_ key: String) -> String {
        let path = self.path
        return path.isEmpty ? key : "\(path).\(key)"
    }

    /// Whether the field is there and not null.
    func has(_ key: String) -> Bool {
        if let value = object[key], value != .null { return true }
        return false
    }

    func string(_ key: String) throws(FieldError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let text) = value else {
            throw FieldError(path: place(key), message: "must be a string, not \(value.kindName)")
        }
        return text
    }

    func requiredString(_ key: String) throws(FieldError) -> String {
        guard let text = try string(key) else { throw FieldError(path: place(key), message: "is missing") }
        return text
    }

    func identifier(_ key: String, required: Bool = true) throws(FieldError) -> String? {
        guard let text = try string(key) else {
            if required { throw FieldError(path: place(key), message: "is missing") }
            return nil
        }
        if let problem = Identifier.problem(text) { throw FieldError(path: place(key), message: problem) }
        return text
    }

    func bool(_ key: String) throws(FieldError) -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let flag) = value else {
            throw FieldError(path: place(key), message: "must be true or false, not \(value.kindName)")
        }
        return flag
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(FieldError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        return try FieldReader.integer(value, at: place(key), in: range)
    }

    /// `place` is put together only for a message: an election.json of a
    /// hundred thousand boxes reads an electorate for each.
    static func integer(_ value: JSONValue, at place: @autoclosure () -> String, in range: ClosedRange<Int>) throws(FieldError) -> Int {
        switch value {
        case .integer(let number):
            guard range.contains(number) else { throw outOfRange(String(number), tooSmall: number < range.lowerBound, at: place(), range) }
            return number
        case .number(let text):
            // Digits alone that do not fit in 64 bits are whole numbers too
            // large, not numbers written the wrong way.
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            if !digits.isEmpty && digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                throw outOfRange(text, tooSmall: text.hasPrefix("-"), at: place(), range)
            }
            throw FieldError(path: place(), message: "\(text) is not a whole number written without fraction or exponent")
        default:
            throw FieldError(path: place(), message: "must be a whole number, not \(value.kindName)")
        }
    }

    private static func outOfRange(_ text: String, tooSmall: Bool, at place: String, _ range: ClosedRange<Int>) -> FieldError {
        let limit = tooSmall ? "the least is \(Format.grouped(range.lowerBound))" : "the most is \(Format.grouped(range.upperBound))"
        return FieldError(path: place, message: "\(text) is too \(tooSmall ? "small" : "large"): \(limit)")
    }

    func list(_ key: String) throws(FieldError) -> [JSONValue]? {
        guard let value = object[key], value != .null else { return nil }
        guard case .array(let items) = value else {
            throw FieldError(path: place(key), message: "must be a list, not \(value.kindName)")
        }
        return items
    }

    func map(_ key: String) throws(FieldError) -> JSONObject? {
        guard let value = object[key], value != .null else { return nil }
        guard case .object(let inner) = value else {
            throw FieldError(path: place(key), message: "must be an object, not \(value.kindName)")
        }
        return inner
    }
}

/// The keys a batch file has (docs/feed-format.md), each named as in the file.
enum BatchKey: String {
    case election, contest, kind, box, area, batch, at, revision, ballots, ballotPapers, nonTransferable, withdrawn
    case votes, rejected, transfers, elected
}

/// Where a batch file's fields come from: a JSON tree (`FieldReader`), or
/// the quick reading of a file of the usual shape (`QuickBatchReader`).
/// The rules of the fields (`BatchFile.record`) are written once, for both.
/// Asked by `BatchKey`, not by the key's text: the quick reading then finds
/// a field without comparing strings.
protocol BatchFields {
    func string(_ key: BatchKey) throws(FieldError) -> String?
    func integer(_ key: BatchKey, in range: ClosedRange<Int>) throws(FieldError) -> Int?
    func bool(_ key: BatchKey) throws(FieldError) -> Bool?
    /// An object of whole numbers by key, in the file's order; each key is
    /// first put to `keyProblem`.
    func figures(_ key: BatchKey, in range: ClosedRange<Int>,
                 keyProblem: (String) -> FieldError?) throws(FieldError) -> [CandidateFigure]?
    /// A list of strings; `what` says what each is, for the message.
    func strings(_ key: BatchKey, what: String) throws(FieldError) -> [String]?
    /// When the batch was made (`at`), in seconds since 1970; nil when the file does not say.
    func at() throws(FieldError) -> Double?
}

extension BatchFields {
    func at() throws(FieldError) -> Double? {
        guard let text = try string(.at) else { return nil }
        guard let seconds = RFC3339.parse(text) else {
            throw FieldError(path: "at", message: "\"\(text)\" is not an RFC 3339 time with an offset, such as 2010-10-21T23:05:00+01:00")
        }
        return seconds
    }
}

extension FieldReader: BatchFields {
    func string(_ key: BatchKey) throws(FieldError) -> String? { try string(key.rawValue) }
    func integer(_ key: BatchKey, in range: ClosedRange<Int>) throws(FieldError) -> Int? { try integer(key.rawValue, in: range) }
    func bool(_ key: BatchKey) throws(FieldError) -> Bool? { try bool(key.rawValue) }

    func figures(_ batchKey: BatchKey, in range: ClosedRange<Int>,
                 keyProblem: (String) -> FieldError?) throws(FieldError) -> [CandidateFigure]? {
        let key = batchKey.rawValue
        guard let map = try map(key) else { return nil }
        return try map.entries.map { (entry) throws(FieldError) -> CandidateFigure in
            if let problem = keyProblem(entry.key) { throw problem }
            return CandidateFigure(id: entry.key, count: try FieldReader.integer(entry.value, at: "\(place(key)).\(entry.key)", in: range))
        }
    }

    func strings(_ batchKey: BatchKey, what: String) throws(FieldError) -> [String]? {
        let key = batchKey.rawValue
        guard let items = try list(key) else { return nil }
        return try items.enumerated().map { (entry) throws(FieldError) -> String in
            guard case .string(let text) = entry.element else {
                throw FieldError(path: "\(place(key))[\(entry.offset)]", message: "is \(entry.element.kindName), not \(what)")
            }
            return text
        }
    }
}

/// Ids of elections, contests, candidates and boxes.
public enum Identifier {
    public static let maxLength = 64

    /// nil when `text` is a valid id, else what is wrong with it.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "is empty; an id needs 1 to \(maxLength) characters of A-Z a-z 0-9 . _ -" }
        let bytes = text.utf8
        // The characters first: once they are all ASCII, bytes and characters are the same count.
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                return "\"\(text.prefix(80))\" is not a valid id: use only A-Z a-z 0-9 . _ -"
            }
        }
        if bytes.count > maxLength { return "\"\(text.prefix(80))\" is \(bytes.count) characters long; an id has at most \(maxLength)" }
        return nil
    }
}
