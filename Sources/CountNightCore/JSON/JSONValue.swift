/// A parsed JSON value that keeps what the feed rules need and Foundation's
/// parser throws away: whether a number was written as a whole number, the
/// order of keys, and (by refusing them) repeated keys.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in an Int.
    case integer(Int)
    /// Any other number, kept as written so that a message can quote it.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// How the value is described in a message: "a string", "a number"...
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON object with its keys in the order written.
///
/// Feed objects are small, so entries are kept in a list and looked up by a
/// linear search; an index by key is built only for large objects, so that
/// a hostile file with many keys cannot make duplicate checks quadratic.
public struct JSONObject: Equatable, Sendable {
    public private(set) var entries: [(key: String, value: JSONValue)] = []
    private var index: [String: Int]?
    private static let indexAbove = 16

    public init() {}

    init(capacity: Int) { entries.reserveCapacity(capacity) }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        // Comparing lengths first spares most full comparisons of keys.
        let utf8Count = key.utf8.count
        return entries.firstIndex { $0.key.utf8.count == utf8Count && $0.key == key }
    }

    /// Returns false when the key is already present.
    mutating func insert(_ key: String, _ value: JSONValue) -> Bool {
        if position(of: key) != nil { return false }
        entries.append((key, value))
        if index != nil {
            index![key] = entries.count - 1
        } else if entries.count > JSONObject.indexAbove {
            index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
        }
        return true
    }

    public subscript(key: String) -> JSONValue? { position(of: key).map { entries[$0].value } }
    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }
}
