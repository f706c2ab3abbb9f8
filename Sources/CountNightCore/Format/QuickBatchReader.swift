/// Reads a batch file of the usual shape straight into its fields, without
/// a JSON tree: on a big feed's first read, parsing is most of the work.
///
/// The usual shape: one object of the keys a batch file has, each once;
/// ASCII strings without escapes; whole numbers from 0 without a sign,
/// fraction or exponent; `true` or `false`; objects of such numbers; lists
/// of such strings. Anything else (another key, `null`, an escape, a byte
/// over 0x7F, a byte-order mark, a key twice, a syntax error) gives nil and
/// the file is read the general way, which also words every refusal: a file
/// this reader takes gives exactly the record the general way gives (tests
/// and the batch fuzzer hold it to that), and a file it does not take costs
/// a few bytes' look more than before.
struct QuickBatchReader {
    /// The record of a file of the usual shape that passes the rules of
    /// the fields; nil for any other file.
    static func record(_ bytes: [UInt8]) -> BatchRecord? {
        let fields = bytes.withUnsafeBufferPointer { buffer -> QuickFields? in
            var reader = QuickBatchReader(bytes: buffer)
            return reader.fields()
        }
        guard let fields else { return nil }
        return try? BatchFile.record(fields)
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func fields() -> QuickFields? {
        var fields = QuickFields()
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipSpace()
        if take(UInt8(ascii: "}")) { return end() ? fields : nil }
        while true {
            guard let key = fieldKey() else { return nil }
            // Each key's slot is empty until its value is read: a key twice finds it full.
            switch key {
            case .election: guard fields.election == nil, let text = string() else { return nil }; fields.election = text
            case .contest: guard fields.contest == nil, let text = string() else { return nil }; fields.contest = text
            case .kind: guard fields.kind == nil, let text = string() else { return nil }; fields.kind = text
            case .box: guard fields.box == nil, let text = string() else { return nil }; fields.box = text
            case .area: guard fields.area == nil, let text = string() else { return nil }; fields.area = text
            case .batch: guard fields.batch == nil, let text = string() else { return nil }; fields.batch = text
            case .at:
                // Read from the bytes: a time that is not RFC 3339 goes the general way, which words the refusal.
                guard fields.atSeconds == nil, let range = stringRange(),
                      let seconds = RFC3339.parse(bytes: UnsafeBufferPointer(rebasing: bytes[range])) else { return nil }
                fields.atSeconds = seconds
            case .revision: guard fields.revision == nil, let number = integer() else { return nil }; fields.revision = number
            case .ballots: guard fields.ballots == nil, let number = integer() else { return nil }; fields.ballots = number
            case .ballotPapers: guard fields.ballotPapers == nil, let number = integer() else { return nil }; fields.ballotPapers = number
            case .nonTransferable:
                guard fields.nonTransferable == nil, let number = integer() else { return nil }
                fields.nonTransferable = number
            case .withdrawn: guard fields.withdrawn == nil, let flag = bool() else { return nil }; fields.withdrawn = flag
            case .votes: guard fields.votes == nil, let map = figures() else { return nil }; fields.votes = map
            case .rejected: guard fields.rejected == nil, let map = figures() else { return nil }; fields.rejected = map
            case .transfers: guard fields.transfers == nil, let map = figures() else { return nil }; fields.transfers = map
            case .elected: guard fields.elected == nil, let list = stringList() else { return nil }; fields.elected = list
            }
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return nil }
            return end() ? fields : nil
        }
    }

    /// Nothing but white space after the object.
    private mutating func end() -> Bool {
        skipSpace()
        return index == bytes.count
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A key of a batch file and its colon, with the white space around
    /// them; nil for any other key. Matched on the bytes: a string made of
    /// every key of every file, and compared with each key in turn, was a
    /// good part of the reading.
    private mutating func fieldKey() -> BatchKey? {
        skipSpace()
        guard let range = stringRange(), !range.isEmpty else { return nil }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        func spelled(_ text: StaticString) -> Bool {
            guard text.utf8CodeUnitCount == range.count else { return false }
            for offset in 0..<range.count where bytes[range.lowerBound + offset] != text.utf8Start[offset] { return false }
            return true
        }
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "a"): return spelled("area") ? .area : spelled("at") ? .at : nil
        case UInt8(ascii: "b"):
            return spelled("box") ? .box : spelled("batch") ? .batch : spelled("ballots") ? .ballots
                : spelled("ballotPapers") ? .ballotPapers : nil
        case UInt8(ascii: "c"): return spelled("contest") ? .contest : nil
        case UInt8(ascii: "e"): return spelled("election") ? .election : spelled("elected") ? .elected : nil
        case UInt8(ascii: "k"): return spelled("kind") ? .kind : nil
        case UInt8(ascii: "n"): return spelled("nonTransferable") ? .nonTransferable : nil
        case UInt8(ascii: "r"): return spelled("revision") ? .revision : spelled("rejected") ? .rejected : nil
        case UInt8(ascii: "t"): return spelled("transfers") ? .transfers : nil
        case UInt8(ascii: "v"): return spelled("votes") ? .votes : nil
        case UInt8(ascii: "w"): return spelled("withdrawn") ? .withdrawn : nil
        default: return nil
        }
    }

    /// A string of printable ASCII without escapes.
    private mutating func string() -> String? {
        guard let range = stringRange() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Where a string of printable ASCII without escapes lies, its quotes
    /// left out.
    private mutating func stringRange() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<index - 1
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// A whole number from 0, of at most nine digits (every figure a batch
    /// may give has at most nine), not followed by a fraction or exponent.
    private mutating func integer() -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
            if index - start > 9 { return nil }
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") { return nil }
        return value
    }

    private mutating func bool() -> Bool? {
        if word("true") { return true }
        if word("false") { return false }
        return nil
    }

    private mutating func word(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// An object of whole numbers, each key once; a large one goes the general way.
    private mutating func figures() -> [CandidateFigure]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var entries: [CandidateFigure] = []
        entries.reserveCapacity(8)
        skipSpace()
        if take(UInt8(ascii: "}")) { return entries }
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            // Printable ASCII: the same key is the same bytes, and the same string.
            guard let count = integer(), entries.count < 64, !entries.contains(where: { $0.id == key }) else { return nil }
            entries.append(CandidateFigure(id: key, count: count))
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "}")) ? entries : nil
        }
    }

    private mutating func stringList() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [String] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return items }
        while true {
            skipSpace()
            guard let item = string(), items.count < 64 else { return nil }
            items.append(item)
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "]")) ? items : nil
        }
    }
}

/// The fields of a batch file read the quick way, already of the right
/// types; the ranges and every other rule are `BatchFile.record`'s.
private struct QuickFields: BatchFields {
    var election, contest, kind, box, area, batch: String?
    /// `at`, read as a time from the bytes.
    var atSeconds: Double?
    var revision, ballots, ballotPapers, nonTransferable: Int?
    var withdrawn: Bool?
    var votes, rejected, transfers: [CandidateFigure]?
    var elected: [String]?

    func string(_ key: BatchKey) throws(FieldError) -> String? {
        switch key {
        case .election: election
        case .contest: contest
        case .kind: kind
        case .box: box
        case .area: area
        case .batch: batch
        default: nil
        }
    }

    func integer(_ key: BatchKey, in range: ClosedRange<Int>) throws(FieldError) -> Int? {
        let number: Int?
        switch key {
        case .revision: number = revision
        case .ballots: number = ballots
        case .ballotPapers: number = ballotPapers
        case .nonTransferable: number = nonTransferable
        default: number = nil
        }
        guard let number else { return nil }
        return try FieldReader.integer(.integer(number), at: key.rawValue, in: range)
    }

    func bool(_ key: BatchKey) throws(FieldError) -> Bool? { key == .withdrawn ? withdrawn : nil }

    func figures(_ key: BatchKey, in range: ClosedRange<Int>,
                 keyProblem: (String) -> FieldError?) throws(FieldError) -> [CandidateFigure]? {
        let map: [CandidateFigure]?
        switch key {
        case .votes: map = votes
        case .rejected: map = rejected
        case .transfers: map = transfers
        default: map = nil
        }
        guard let map else { return nil }
        for entry in map {
            if let problem = keyProblem(entry.id) { throw problem }
            _ = try FieldReader.integer(.integer(entry.count), at: "\(key.rawValue).\(entry.id)", in: range)
        }
        return map
    }

    func at() throws(FieldError) -> Double? { atSeconds }

    func strings(_ key: BatchKey, what: String) throws(FieldError) -> [String]? { key == .elected ? elected : nil }
}
