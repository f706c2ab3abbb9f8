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
public struct JSONObject: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}

    /// Returns false when the key is already present.
    mutating func insert(_ key: String, _ value: JSONValue) -> Bool {
        if values[key] != nil { return false }
        keys.append(key)
        values[key] = value
        return true
    }

    public subscript(key: String) -> JSONValue? { values[key] }
    public var count: Int { keys.count }
    public var entries: [(key: String, value: JSONValue)] { keys.map { ($0, values[$0]!) } }
}
