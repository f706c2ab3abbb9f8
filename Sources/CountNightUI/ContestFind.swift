import CountNightCore

/// Finding a contest in the list by typing part of its name or id (`/`):
/// which contests the typed text leaves, and how keys edit that text.
/// Pure, so that the dashboard and its tests share every rule.
public enum ContestFind {
    /// The most characters a find keeps: longer than any contest's name
    /// (a find that long matches nothing), short enough for one line.
    public static let longest = 80

    /// The contests (their indices in the snapshot, in its order) whose
    /// title or id contains `text`, in any case and with or without accents.
    /// Every contest when the text is empty.
    public static func matches(_ contests: [ContestSnapshot], _ text: String) -> [Int] {
        let needle = fold(text)
        if needle.isEmpty { return Array(contests.indices) }
        let bytes = needle.allSatisfy(\.isASCII) ? needle.map { UInt8($0.value) } : nil
        // The title and id read alone, not the whole contest copied.
        return contests.indices.filter { contains(contests[$0].title, needle, bytes) || contains(contests[$0].id, needle, bytes) }
    }

    /// Whether `text` contains a folded needle; `bytes` is the needle's
    /// UTF-8 when it is ASCII, for a text all ASCII (most names and every id
    /// a national night has) to be searched as it is, without folding a copy.
    static func contains(_ text: String, _ needle: [Unicode.Scalar], _ bytes: [UInt8]?) -> Bool {
        if let bytes, case .some(.some(let found)) = text.utf8.withContiguousStorageIfAvailable({ asciiContains($0, bytes) }) {
            return found
        }
        return contains(fold(text), needle)
    }

    /// nil when the text is not all ASCII.
    private static func asciiContains(_ text: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool? {
        if text.contains(where: { $0 >= 0x80 }) { return nil }
        guard needle.count <= text.count else { return false }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        outer: for start in 0...(text.count - needle.count) {
            for offset in 0..<needle.count where lower(text[start + offset]) != needle[offset] { continue outer }
            return true
        }
        return false
    }

    static func titleContains(_ contest: ContestSnapshot, _ needle: [Unicode.Scalar]) -> Bool {
        contains(fold(contest.title), needle)
    }

    /// The row of the list that is chosen: the chosen contest's while the
    /// find leaves it, else the first row; nil when nothing is left.
    public static func chosenRow(_ contest: Int, in rows: [Int]) -> Int? {
        rows.isEmpty ? nil : rows.firstIndex(of: contest) ?? 0
    }

    /// The text after a key typed into a find, or nil when the key does not
    /// edit text (arrows, Enter, Escape: the list's own keys). Backspace
    /// takes off the last character, Ctrl-U clears; control characters are
    /// left out, so that nothing typed can move the screen's cursor or
    /// break a line, and the text stops at `longest` characters.
    public static func edited(_ text: String, by key: Key) -> String? {
        guard case .character(let character) = key else { return nil }
        switch character {
        case "\u{7f}", "\u{8}": return String(text.dropLast())
        case "\u{15}": return ""
        default:
            let printable = character.unicodeScalars.allSatisfy { !isControl($0) }
            guard printable, text.count < longest else { return text }
            return text + String(character)
        }
    }

    /// C0 and C1 controls, DEL, and the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// The text as a find compares it: lower case, accents off Latin letters
    /// (composed or combining), other scripts lower-cased as Unicode says.
    static func fold(_ text: String) -> [Unicode.Scalar] {
        var folded: [Unicode.Scalar] = []
        folded.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                folded.append((0x41...0x5A).contains(value) ? Unicode.Scalar(value + 0x20)! : scalar)
            } else if (0xC0...0x17F).contains(value) {
                folded.append(latinBase[Int(value) - 0xC0])
            } else if (0x300...0x36F).contains(value) {
                // A combining accent: typed or stored decomposed, it folds away as a composed one does.
                continue
            } else {
                folded.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return folded
    }

    /// U+00C0 to U+017F, each as its lower-case letter without accents
    /// (letters that are not a base letter with a mark, as æ and ß, stay).
    private static let latinBase: [Unicode.Scalar] = Array(
        "aaaaaaæceeeeiiiiðnooooo×ouuuuyþßaaaaaaæceeeeiiiiðnooooo÷ouuuuyþyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiĳĳjjkkĸllllllllllnnnnnnŉŋŋooooooœœrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"
            .unicodeScalars)

    static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        let first = needle[0]
        outer: for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            for offset in 1..<needle.count where haystack[start + offset] != needle[offset] { continue outer }
            return true
        }
        return false
    }
}
