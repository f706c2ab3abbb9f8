/// Times as batch files write them: RFC 3339 with an offset,
/// for example `2010-10-21T23:05:00+01:00`.
public enum RFC3339 {
    /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is not an
    /// RFC 3339 date-time with an offset, or its offset takes it out of the
    /// years 0000 to 9999 in UTC, where no RFC 3339 time in UTC could say it
    /// again (a journal writes every time back in UTC).
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = num(0, 4), b[4] == UInt8(ascii: "-"), let month = num(5, 2), b[7] == UInt8(ascii: "-"),
              let day = num(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = num(11, 2), b[13] == UInt8(ascii: ":"), let minute = num(14, 2),
              b[16] == UInt8(ascii: ":"), let second = num(17, 2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, (48...57).contains(b[i]) {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= firstSecond && seconds < endSecond else { return nil }
        return Double(seconds) + fraction
    }

    private static let firstSecond = daysFromCivil(year: 0, month: 1, day: 1) * 86_400
    private static let endSecond = daysFromCivil(year: 10_000, month: 1, day: 1) * 86_400

    /// The time in UTC to the millisecond: `2010-10-21T22:05:00.250Z`.
    public static func formatMilliseconds(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded(.down))
        let whole = Double(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let rest = milliseconds - Int(whole) * 1000
        let digits = String(rest)
        return String(format(whole).dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The time written in UTC, to the second: `2010-10-21T22:05:00Z`.
    public static func format(_ seconds: Double) -> String {
        let (y, m, d, rest) = civil(seconds)
        // Written byte by byte: a headless replay writes two times a line,
        // and through string interpolation each cost some 5,000 instructions.
        var text: [UInt8] = []
        text.reserveCapacity(24)
        func digit(_ v: Int) { text.append(UInt8(ascii: "0") + UInt8(v)) }
        // Every field but the year is below 100: two digits.
        func two(_ v: Int) { digit(v / 10); digit(v % 10) }
        // RFC 3339 years have four digits: year 350 is 0350.
        if (0..<10_000).contains(y) {
            two(y / 100)
            two(y % 100)
        } else {
            text.append(contentsOf: String(y).utf8)
        }
        text.append(UInt8(ascii: "-")); two(m)
        text.append(UInt8(ascii: "-")); two(d)
        text.append(UInt8(ascii: "T")); two(rest / 3600)
        text.append(UInt8(ascii: ":")); two(rest / 60 % 60)
        text.append(UInt8(ascii: ":")); two(rest % 60)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// The date of a time (seconds since 1970, rounded down) and the seconds
    /// into that day.
    static func civil(_ seconds: Double) -> (year: Int, month: Int, day: Int, secondOfDay: Int) {
        let whole = Int(seconds.rounded(.down))
        var days = whole / 86_400
        var rest = whole % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (y, m, d) = civilFromDays(days)
        return (y, m, d, rest)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil algorithm (public domain).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
