/// Writes JSON on one line with keys in the order given, so that snapshots are
/// byte-for-byte the same for the same tally.
public struct JSONWriter {
    /// What is written so far, as UTF-8: appended byte by byte, since a
    /// replay writes a snapshot after every batch.
    private var bytes: [UInt8] = []
    /// For each open object or list: whether an item was written in it.
    private var hasItems: [Bool] = [false]
    /// A key was just written, so the next value needs no comma.
    private var afterKey = false

    /// `capacity`: the bytes expected, taken at once; grown from empty, a
    /// contest's snapshot of some 2 KB was copied eight times on its way.
    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func valueStart() {
        if afterKey {
            afterKey = false
            return
        }
        if hasItems[hasItems.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasItems[hasItems.count - 1] = true
    }

    private mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { appendBytes($0) }
    }

    /// A few bytes appended one by one: `append(contentsOf:)` costs some
    /// hundred instructions a call, more than the copy of a key or a number.
    @inline(__always)
    private mutating func appendBytes(_ buffer: UnsafeBufferPointer<UInt8>) {
        if buffer.count > 32 {
            bytes.append(contentsOf: buffer)
        } else {
            for byte in buffer { bytes.append(byte) }
        }
    }

    /// Writes a key named in the code; the value written next belongs to
    /// it. Written as it is: such names need no escape (a snapshot writes
    /// some hundred of them, and checking each for escapes cost more than
    /// the rest of writing it).
    public mutating func key(_ name: StaticString) {
        assert(name.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } })
        valueStart()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { appendBytes($0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// Writes a key from the data (an id, a reason), escaped as a string is.
    public mutating func key(escaping name: String) {
        valueStart()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) { valueStart(); appendString(value) }
    public mutating func string(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func int(_ value: Int) {
        valueStart()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
    }

    /// Written digit by digit, as `String(value)` writes it, without the string.
    private mutating func appendDigits(_ magnitude: UInt) {
        var magnitude = magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }
    public mutating func int(_ value: Int?) { if let value { int(value) } else { null() } }
    public mutating func double(_ value: Double) { valueStart(); append(value.isFinite ? value.description : "null") }
    public mutating func double(_ value: Double?) { if let value { double(value) } else { null() } }

    /// A figure rounded to four decimals (shares, chances), written as
    /// `double` writes the rounded value: `(value * 10_000).rounded() / 10_000`.
    /// A snapshot has some twenty of them, and the general shortest form
    /// cost some 500 instructions each; a whole number of ten-thousandths
    /// below 10^13 needs only its digits (its double's shortest form is
    /// that decimal: doubles there are far closer together than 10^-4).
    public mutating func fourDecimals(_ value: Double?) {
        guard let value else { return null() }
        let tenThousandths = (value * 10_000).rounded()
        guard tenThousandths != 0, tenThousandths.magnitude < 1e13 else { return double(tenThousandths / 10_000) }
        valueStart()
        let whole = Int(tenThousandths)
        if whole < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(whole.magnitude / 10_000)
        bytes.append(UInt8(ascii: "."))
        var fraction = whole.magnitude % 10_000
        if fraction == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var divisor: UInt = 1_000
        while fraction > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
    /// Writes a parsed value back, numbers as they were written.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .integer(let number): int(number)
        case .number(let written): valueStart(); append(written)
        case .string(let string): self.string(string)
        case .array(let items): array { list in for item in items { list.value(item) } }
        case .object(let object): self.object { o in for entry in object.entries { o.key(escaping: entry.key); o.value(entry.value) } }
        }
    }

    /// A value already written as JSON by another writer.
    mutating func raw(_ json: String) { valueStart(); append(json) }
    public mutating func bool(_ value: Bool) { valueStart(); append(value ? "true" : "false") }
    public mutating func null() { valueStart(); append("null") }

    // Inlined, so that the body is too: called through a closure, a body
    // that reads a contest's snapshot copied it (some 25 references taken
    // and let go) at every level of nesting.
    @inline(__always)
    public mutating func object(_ body: (inout JSONWriter) -> Void) { nested("{", "}", body) }
    @inline(__always)
    public mutating func array(_ body: (inout JSONWriter) -> Void) { nested("[", "]", body) }

    @inline(__always)
    private mutating func nested(_ open: Unicode.Scalar, _ close: Unicode.Scalar, _ body: (inout JSONWriter) -> Void) {
        valueStart()
        bytes.append(UInt8(ascii: open))
        hasItems.append(false)
        body(&self)
        hasItems.removeLast()
        bytes.append(UInt8(ascii: close))
    }

    private mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted($0) }
    }

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        bytes.append(quote)
        // Most strings need no escape: appended whole. A plain loop, not
        // `contains(where:)`: a snapshot writes some hundred keys and strings.
        var clean = true
        for byte in utf8 where byte < 0x20 || byte == quote || byte == backslash {
            clean = false
            break
        }
        if clean {
            appendBytes(utf8)
        } else {
            for byte in utf8 {
                switch byte {
                case quote, backslash: bytes += [backslash, byte]
                case UInt8(ascii: "\n"): bytes += [backslash, UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): bytes += [backslash, UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): bytes += [backslash, UInt8(ascii: "t")]
                case ..<0x20:
                    let hex = String(byte, radix: 16)
                    append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default:
                    bytes.append(byte)
                }
            }
        }
        bytes.append(quote)
    }
}
