/// Writes JSON on one line with keys in the order given, so that snapshots are
/// byte-for-byte the same for the same tally.
public struct JSONWriter: ~Copyable {
    /// What is written so far, as UTF-8, in memory of the writer's own:
    /// appended byte by byte without the checks an array makes at every
    /// append (is it shared, has it room), since a replay writes a snapshot
    /// after every batch. Not copyable, so nothing else ever holds it.
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether an item was written in the innermost open object or list,
    /// and the same for each around it: the innermost kept apart, as every
    /// value asks it, and a list's element read and written cost more than
    /// the comma.
    private var hasItems = false
    private var outerHasItems: [Bool] = []
    /// A key was just written, so the next value needs no comma.
    private var afterKey = false

    /// `capacity`: the bytes expected, taken at once; grown from empty, a
    /// contest's snapshot of some 2 KB was copied eight times on its way.
    public init(capacity: Int = 0) {
        self.capacity = max(256, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
    /// What is written, as UTF-8.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Ends a line (of JSON lines): after the value, not inside one.
    public mutating func newline() { put(UInt8(ascii: "\n")) }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    /// Twice the room, or what is needed if more.
    private mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    private mutating func valueStart() {
        if afterKey {
            afterKey = false
            return
        }
        if hasItems { put(UInt8(ascii: ",")) }
        hasItems = true
    }

    private mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { appendBytes($0) }
    }

    @inline(__always)
    private mutating func appendBytes(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let start = buffer.baseAddress else { return }
        if count + buffer.count > capacity { grow(to: count + buffer.count) }
        (base + count).initialize(from: start, count: buffer.count)
        count += buffer.count
    }

    /// Writes a key named in the code; the value written next belongs to
    /// it. Written as it is: such names need no escape (a snapshot writes
    /// some hundred of them, and checking each for escapes cost more than
    /// the rest of writing it). Room for the comma, the quoted name and the
    /// colon is looked for once: looked for at every byte, as `put` does,
    /// a key cost three times as much.
    public mutating func key(_ name: StaticString) {
        assert(name.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } })
        // Never right after another key: only the comma to decide.
        assert(!afterKey)
        let length = name.utf8CodeUnitCount
        if count + length + 4 > capacity { grow(to: count + length + 4) }
        var at = base + count
        if hasItems {
            at.pointee = UInt8(ascii: ",")
            at += 1
        }
        hasItems = true
        at.pointee = UInt8(ascii: "\"")
        let start = name.utf8Start
        for index in 0..<length { at[1 + index] = start[index] }
        at[1 + length] = UInt8(ascii: "\"")
        at[2 + length] = UInt8(ascii: ":")
        count = at - base + length + 3
        afterKey = true
    }

    /// Writes a key from the data (an id, a reason), escaped as a string is.
    public mutating func key(escaping name: String) {
        valueStart()
        appendString(name)
        put(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) { valueStart(); appendString(value) }
    public mutating func string(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func int(_ value: Int) {
        valueStart()
        if value < 0 { put(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
    }

    /// Written digit by digit, as `String(value)` writes it, without the string.
    private mutating func appendDigits(_ magnitude: UInt) {
        var magnitude = magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var written = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[written] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                written += 1
            } while magnitude > 0
            for index in stride(from: written - 1, through: 0, by: -1) { put(buffer[index]) }
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
        if whole < 0 { put(UInt8(ascii: "-")) }
        appendDigits(whole.magnitude / 10_000)
        put(UInt8(ascii: "."))
        var fraction = whole.magnitude % 10_000
        if fraction == 0 {
            put(UInt8(ascii: "0"))
            return
        }
        var divisor: UInt = 1_000
        while fraction > 0 {
            put(UInt8(ascii: "0") + UInt8(fraction / divisor))
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
    mutating func raw(_ json: [UInt8]) { valueStart(); json.withUnsafeBufferPointer { appendBytes($0) } }
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
        put(UInt8(ascii: open))
        outerHasItems.append(hasItems)
        hasItems = false
        body(&self)
        hasItems = outerHasItems.removeLast()
        put(UInt8(ascii: close))
    }

    private mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted($0) }
    }

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        put(quote)
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
                case quote, backslash: put(backslash); put(byte)
                case UInt8(ascii: "\n"): put(backslash); put(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): put(backslash); put(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): put(backslash); put(UInt8(ascii: "t"))
                case ..<0x20:
                    let hex = String(byte, radix: 16)
                    append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default:
                    put(byte)
                }
            }
        }
        put(quote)
    }
}
