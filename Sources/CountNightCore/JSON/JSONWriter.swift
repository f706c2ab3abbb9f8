/// Writes JSON on one line with keys in the order given, so that snapshots are
/// byte-for-byte the same for the same tally.
public struct JSONWriter {
    public private(set) var text = ""
    /// For each open object or list: whether an item was written in it.
    private var hasItems: [Bool] = [false]
    /// A key was just written, so the next value needs no comma.
    private var afterKey = false

    public init() {}

    private mutating func valueStart() {
        if afterKey {
            afterKey = false
            return
        }
        if hasItems[hasItems.count - 1] { text += "," }
        hasItems[hasItems.count - 1] = true
    }

    /// Writes a key; the value written next belongs to it.
    public mutating func key(_ name: String) {
        valueStart()
        JSONWriter.appendString(name, to: &text)
        text += ":"
        afterKey = true
    }

    public mutating func string(_ value: String) { valueStart(); JSONWriter.appendString(value, to: &text) }
    public mutating func string(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func int(_ value: Int) { valueStart(); text += String(value) }
    public mutating func int(_ value: Int?) { if let value { int(value) } else { null() } }
    public mutating func double(_ value: Double) { valueStart(); text += value.isFinite ? "\(value)" : "null" }
    public mutating func double(_ value: Double?) { if let value { double(value) } else { null() } }
    /// Writes a parsed value back, numbers as they were written.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .integer(let number): int(number)
        case .number(let written): valueStart(); text += written
        case .string(let string): self.string(string)
        case .array(let items): array { list in for item in items { list.value(item) } }
        case .object(let object): self.object { o in for entry in object.entries { o.key(entry.key); o.value(entry.value) } }
        }
    }

    /// A value already written as JSON by another writer.
    mutating func raw(_ json: String) { valueStart(); text += json }
    public mutating func bool(_ value: Bool) { valueStart(); text += value ? "true" : "false" }
    public mutating func null() { valueStart(); text += "null" }

    public mutating func object(_ body: (inout JSONWriter) -> Void) { nested("{", "}", body) }
    public mutating func array(_ body: (inout JSONWriter) -> Void) { nested("[", "]", body) }

    private mutating func nested(_ open: String, _ close: String, _ body: (inout JSONWriter) -> Void) {
        valueStart()
        text += open
        hasItems.append(false)
        body(&self)
        hasItems.removeLast()
        text += close
    }

    static func appendString(_ value: String, to text: inout String) {
        text += "\""
        // Most strings need no escape: appended whole, not scalar by scalar.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
