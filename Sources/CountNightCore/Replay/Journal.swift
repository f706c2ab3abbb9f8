/// The journal that `watch --record` writes: one JSON object a line, each
/// line one version read, a deletion, or a file that could not be read.
///
/// ```
/// {"arrived": "2026-05-07T23:05:00.250Z", "file": "count-BOW-1.json", "sha256": "9f86…", "content": "{\"contest\": …}"}
/// {"arrived": "2026-05-07T23:06:10.000Z", "file": "count-BOW-1.json", "deleted": true}
/// {"arrived": "2026-05-07T23:06:12.000Z", "file": "huge.json", "unreadable": "the file is 2,000,000 bytes, over the 1 MiB limit for a batch"}
/// ```
///
/// Content that is not UTF-8 is written as `contentBase64` instead.
public enum Journal {
    /// The line for one entry, without its newline.
    public static func line(_ entry: NightEntry) -> String {
        var out = JSONWriter()
        out.object { o in
            o.key("arrived"); o.string(RFC3339.formatMilliseconds(entry.time))
            o.key("file"); o.string(entry.file)
            switch entry.change {
            case .version(let bytes):
                o.key("sha256"); o.string(SHA256.hex(bytes))
                if let text = String(validating: bytes, as: UTF8.self) {
                    o.key("content"); o.string(text)
                } else {
                    o.key("contentBase64"); o.string(Base64.encode(bytes))
                }
            case .deleted:
                o.key("deleted"); o.bool(true)
            case .unreadable(let reason):
                o.key("unreadable"); o.string(reason)
            }
        }
        return out.text
    }

    /// Why a journal's file name cannot name a file in a feed directory, as
    /// a feed's own names are checked: replay and rehearse use it as one.
    public static func fileNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.contains("\0") { return "\"\(name)\" contains a NUL character" }
        if name.contains("/") { return "\"\(name)\" contains a /" }
        if name == "." || name == ".." { return "\"\(name)\" is not a file name" }
        if TextEscape.hasControl(name) { return "\"\(name)\" contains a control character" }
        return nil
    }

    public struct Contents: Equatable, Sendable {
        public var entries: [NightEntry] = []
        /// Lines skipped, each with its number and why.
        public var problems: [String] = []
    }

    /// Reads a journal. A line that cannot be used is skipped and reported;
    /// the last line without its newline is a writer stopped mid-line. A
    /// line torn by a failed write with a whole entry glued after it (a
    /// journal written before writers started afresh after a failure) keeps
    /// that entry. Times are then made fit to play (`playableTimes`).
    public static func parse(_ bytes: [UInt8]) -> Contents {
        var contents = Contents()
        var numbered: [(line: Int, entry: NightEntry)] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let complete = end < bytes.count
            let line = Array(bytes[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            switch entry(line) {
            case .success(let entry):
                numbered.append((lineNumber, entry))
            case .failure(let problem):
                if let glued = gluedEntry(line) {
                    contents.problems.append("line \(lineNumber): torn (a write cut short) with a whole entry after it on the same line; the torn part skipped, the entry kept")
                    numbered.append((lineNumber, glued))
                } else if !complete {
                    contents.problems.append("line \(lineNumber): incomplete, the writer stopped mid-line; skipped")
                } else if line.starts(with: Array("{\"arrived\"".utf8)) && line.last != UInt8(ascii: "}") {
                    contents.problems.append("line \(lineNumber): torn (a write cut short, as on a full disk); skipped")
                } else {
                    contents.problems.append("line \(lineNumber): \(problem.reason); skipped")
                }
            }
        }
        let played = playableTimes(numbered.map(\.entry), place: { index, _ in "line \(numbered[index].line)" })
        contents.entries = played.entries
        contents.problems += played.problems
        return contents
    }

    /// The entry that starts after a torn beginning on the same line, if any.
    private static func gluedEntry(_ line: [UInt8]) -> NightEntry? {
        let marker = Array("{\"arrived\"".utf8)
        guard line.count > marker.count else { return nil }
        var index = line.count - marker.count
        while index > 0 {
            if line[index] == marker[0] && Array(line[index..<index + marker.count]) == marker,
               case .success(let entry) = entry(Array(line[index...])) {
                return entry
            }
            index -= 1
        }
        return nil
    }

    /// The longest wait between two entries a replay plays: a longer gap in
    /// a journal is played as this long.
    public static let longestGap: Double = 3600

    /// Replay times that never go back and never jump more than
    /// `longestGap`, so that one wrong clock cannot make a replay wait for
    /// years or write a snapshot for every step of them. Each entry is
    /// judged against the arrival time of the last one taken as is:
    /// - earlier than it: out of order, played at the same moment as the
    ///   entry before it;
    /// - more than `longestGap` later, and the entry after it follows on
    ///   within `longestGap` (a real break in the night): played
    ///   `longestGap` after the entry before it, and the night goes on
    ///   from there;
    /// - more than `longestGap` later, and alone so (a clock that was
    ///   wrong once): played at the same moment as the entry before it.
    /// Each such entry is reported with its line number.
    /// `place` names an entry in a problem ("line 12" in a journal, the
    /// file in a directory), made only for an entry with one; `called` is
    /// what its time is ("arrived", "at"). The entries are changed in
    /// place: copied into a new list with a place made for each, they cost
    /// a replay of 100,000 files a twentieth of its load.
    public static func playableTimes(_ played: consuming [NightEntry], place: (_ index: Int, _ entry: NightEntry) -> String,
                                     called: String = "arrived") -> (entries: [NightEntry], problems: [String]) {
        var entries = played
        guard var reference = entries.first?.time else { return ([], []) }
        var clock = reference
        var problems: [String] = []
        for index in entries.indices {
            let arrived = entries[index].time
            // Written only into a problem: made for every entry, it cost a
            // replay of 100,000 files more than sorting them.
            var stamp: String { RFC3339.formatMilliseconds(arrived) }
            if arrived < reference {
                problems.append("\(place(index, entries[index])): \(called) \(stamp) is before the entry before it (\(RFC3339.formatMilliseconds(reference))); played in its place in the journal, at the same moment")
            } else if arrived - reference > longestGap {
                let next = index + 1 < entries.count ? entries[index + 1].time : nil
                if let next, next >= arrived, next - arrived <= longestGap {
                    problems.append("\(place(index, entries[index])): \(called) \(stamp), \(Format.grouped(Int((arrived - reference).rounded()))) s after the entry before it; the wait is played as \(Int(longestGap)) s")
                    clock += longestGap
                    reference = arrived
                } else {
                    problems.append("\(place(index, entries[index])): \(called) \(stamp) is far from the entries around it (\(RFC3339.formatMilliseconds(reference))); played at the same moment as the entry before it")
                }
            } else {
                clock += arrived - reference
                reference = arrived
            }
            if arrived != clock { entries[index] = NightEntry(time: clock, file: entries[index].file, change: entries[index].change) }
        }
        return (entries, problems)
    }

    private static func entry(_ line: [UInt8]) -> Result<NightEntry, JournalLineProblem> {
        do {
            guard case .object(let object) = try JSONParser.parse(line) else {
                return .failure(JournalLineProblem("not a JSON object"))
            }
            guard case .string(let arrived)? = object["arrived"], let time = RFC3339.parse(arrived) else {
                return .failure(JournalLineProblem("arrived: is missing or not an RFC 3339 time"))
            }
            guard case .string(let file)? = object["file"] else {
                return .failure(JournalLineProblem("file: is missing"))
            }
            if let problem = fileNameProblem(file) { return .failure(JournalLineProblem("file: \(problem)")) }
            if case .bool(true)? = object["deleted"] { return .success(NightEntry(time: time, file: file, change: .deleted)) }
            if case .string(let reason)? = object["unreadable"] {
                return .success(NightEntry(time: time, file: file, change: .unreadable(reason)))
            }
            let bytes: [UInt8]
            if case .string(let text)? = object["content"] {
                bytes = Array(text.utf8)
            } else if case .string(let encoded)? = object["contentBase64"], let decoded = Base64.decode(encoded) {
                bytes = decoded
            } else {
                return .failure(JournalLineProblem("has no content, contentBase64, deleted or unreadable"))
            }
            guard case .string(let digest)? = object["sha256"], digest == SHA256.hex(bytes) else {
                return .failure(JournalLineProblem("sha256: does not match the content"))
            }
            return .success(NightEntry(time: time, file: file, change: .version(bytes)))
        } catch {
            return .failure(JournalLineProblem("not valid JSON: \(error)"))
        }
    }
}

/// Why a journal line cannot be replayed, in words a person can act on.
struct JournalLineProblem: Error, Equatable, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Base64 (RFC 4648) for journal content that is not UTF-8.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var lookup = [Int](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() { lookup[Int(character)] = index }
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < characters.count {
            let group = characters[index..<index + 4]
            let padding = group.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, index + 4 == characters.count || padding == 0 else { return nil }
            var value: UInt32 = 0
            for (offset, character) in group.enumerated() {
                let digit = character == UInt8(ascii: "=") && offset >= 4 - padding ? 0 : lookup[Int(character)]
                guard digit >= 0 else { return nil }
                value |= UInt32(digit) << (18 - 6 * UInt32(offset))
            }
            for position in 0..<(3 - padding) { out.append(UInt8((value >> (16 - 8 * UInt32(position))) & 0xff)) }
            index += 4
        }
        return out
    }
}
