import Testing
@testable import CountNightCore

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func readsObjectsInOrderWithIntegersKeptApartFromOtherNumbers() throws {
        let value = try parse(#"{"b": 1, "a": [true, null, -2.5, 1e3, "x\n\u00e9\ud83d\ude00"]}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .integer(1))
        #expect(object["a"] == .array([.bool(true), .null, .number("-2.5"), .number("1e3"), .string("x\né😀")]))
    }

    @Test func writesEveryStringSoThatItReadsBackTheSame() throws {
        let awkward = "Ann \u{1B}[2J \"Nan\" \\ é😀\n\r\t\u{0}\u{7F}end"
        var out = JSONWriter()
        out.object { o in
            o.key(escaping: awkward); o.string(awkward)
            o.key("n"); o.array { list in list.int(-12); list.double(0.25); list.bool(false); list.null() }
        }
        let written = #"Ann \u001b[2J \"Nan\" \\ é😀\n\r\t\u0000"# + "\u{7F}end"
        #expect(out.text == #"{""# + written + #"":""# + written + #"","n":[-12,0.25,false,null]}"#)
        guard case .object(let object) = try parse(out.text) else { Issue.record("not an object"); return }
        #expect(object.keys == [awkward, "n"])
        #expect(object[awkward] == .string(awkward))
    }

    /// Keys are written with one look for room (`key`): the first of an
    /// object, the ones after a value, and every one of them as the
    /// writer's memory fills and grows, give what the values around them
    /// say, and read back.
    @Test func keysWrittenAcrossTheWritersGrowthReadBack() throws {
        var expected = "["
        for index in 0..<300 {
            expected += (index == 0 ? "" : ",") + #"{"recountPossible":\#(index),"ballotPapers":{"a":\#(index % 2 == 0)},"x":[]}"#
        }
        expected += "]"
        // From the least room (256 bytes), grown some five times on the way.
        var list = JSONWriter(capacity: 0)
        list.array { l in
            for index in 0..<300 {
                l.object { o in
                    o.key("recountPossible"); o.int(index)
                    o.key("ballotPapers"); o.object { inner in inner.key("a"); inner.bool(index % 2 == 0) }
                    o.key("x"); o.array { _ in }
                }
            }
        }
        #expect(list.text == expected)
        #expect(list.bytes == Array(expected.utf8))
        guard case .array(let items) = try parse(list.text) else { Issue.record("not a list"); return }
        #expect(items.count == 300)
    }

    @Test func refusesARepeatedKeyNamingIt() {
        #expect(throws: JSONSyntaxError.self) { try parse(#"{"votes": 1, "votes": 2}"#) }
        do {
            _ = try parse("{\"a\": 1,\n \"a\": 2}")
            Issue.record("accepted a key that appears twice")
        } catch {
            #expect(error.description == #"the key "a" appears twice in one object, so the file is ambiguous at line 2, column 2"#)
        }
    }

    @Test func allowsAByteOrderMarkAtTheStartOnly() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object(JSONObject()))
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array("{}".utf8) + [0xEF, 0xBB, 0xBF]) }
    }

    @Test func refusesBytesThatAreNotUTF8WithTheirPlace() {
        do {
            _ = try JSONParser.parse(Array("{\"a\":\n \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8))
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.message == "the file is not UTF-8 text")
            #expect(error.line == 2)
        }
    }

    @Test(arguments: ["", "   ", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "01", "1.", "-", "tru", "\"abc", "{} x",
                      "\"\\q\"", "\"\\ud800\"", "{\"a\": \"line\nbreak\"}", "1e"])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test func refusesDeepNestingInsteadOfCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
    }

    @Test func keepsHugeIntegersAsNumbersSoTheyAreRefusedLater() throws {
        #expect(try parse("123456789012345678901234567890") == .number("123456789012345678901234567890"))
        #expect(try parse("-0") == .integer(0))
    }
}

@Suite struct FormatTests {
    @Test func groupsThousands() {
        #expect(Format.grouped(0) == "0")
        #expect(Format.grouped(999) == "999")
        #expect(Format.grouped(1000) == "1,000")
        #expect(Format.grouped(46719) == "46,719")
        #expect(Format.grouped(1_310_143) == "1,310,143")
        #expect(Format.grouped(-12029) == "-12,029")
    }

    @Test func percentagesToTwoDecimals() {
        #expect(Format.percent(23283.0 / 44985.0) == "51.76%")
        #expect(Format.percent(0) == "0.00%")
        #expect(Format.percent(1) == "100.00%")
        #expect(Format.percent(0.000049) == "0.00%")
        #expect(Format.percent(0.00005) == "0.01%")
        #expect(Format.fixed(2.5, decimals: 0) == "3")
    }

    @Test func rfc3339TimesWithOffsets() {
        #expect(RFC3339.parse("2010-10-21T23:05:00+01:00") == RFC3339.parse("2010-10-21T22:05:00Z"))
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.parse("2024-02-29T12:00:00.5-05:30") == 1_709_227_800.5)
        #expect(RFC3339.format(RFC3339.parse("2010-10-21T23:05:00+01:00")!) == "2010-10-21T22:05:00Z")
        for bad in ["2010-10-21T23:05:00", "2010-10-21 23:05:00Z", "2010-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                    "2010-10-21T24:00:00Z", "yesterday", "2010-10-21T23:05:00+1:00", "2010-10-21T23:05:00Z junk"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct DamagedFileTests {
    /// Files damaged in every way a disk, a network share or a hurried hand
    /// can damage them: each is refused with a reason or read, never a crash,
    /// and a refused one changes nothing in the tally.
    @Test func damagedBatchFilesAreRefusedNotFatal() {
        let originals = [
            Fixtures.count(area: "North", batch: "2", revision: 3, ann: 60, bob: 50, cat: 8, rejected: 2),
            Fixtures.verification("N1", 713),
            #"{"contest": "mayor", "kind": "count", "box": "P1", "revision": 2, "withdrawn": true, "at": "2010-10-21T23:05:00+01:00"}"#,
        ].map { Array($0.utf8) }
        var generator = SplitMix64(seed: 7)
        var refused = 0
        for round in 0..<1500 {
            var bytes = originals[round % originals.count]
            switch round % 5 {
            case 0: bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &generator)...)
            case 1: bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: Int.random(in: 0...bytes.count, using: &generator))
            case 3:
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes.insert(contentsOf: bytes[at...].prefix(12), at: at)
            default:
                for _ in 0..<4 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = [UInt8(ascii: "{"), UInt8(ascii: "\""), 0xC3, 0, UInt8(ascii: "9")].randomElement(using: &generator)! }
            }
            var tally = Tally(election: Fixtures.election())
            tally.read("good.json", Fixtures.count(box: "S1", ann: 1, bob: 2, cat: 3))
            let before = tally.snapshot(time: 0).contests
            guard let event = tally.read(file: "damaged.json", bytes: bytes) else { continue }
            if event.kind == .refused {
                refused += 1
                #expect(!event.detail.isEmpty)
                #expect(tally.snapshot(time: 0).contests == before)
                #expect(tally.snapshot(time: 0).refusedFiles.map(\.file) == ["damaged.json"])
            }
        }
        #expect(refused > 500)
    }
}

/// Times and whole numbers are written byte by byte for speed, and must come
/// out as the plain string forms they replaced.
@Suite struct WrittenFormsTests {
    /// How `RFC3339.format` wrote a time before, through string interpolation.
    static func formatAsBefore(_ seconds: Double) -> String {
        let (y, m, d, rest) = RFC3339.civil(seconds)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = (0..<1000).contains(y) ? String(String(y + 10_000).dropFirst()) : "\(y)"
        return "\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    @Test func timesAreWrittenAsBefore() {
        var random = SplitMix64(seed: 5)
        var times: [Double] = [0, -1, -0.5, 0.999, 86_399.9, 1_778_191_200, -62_135_596_800, -62_167_219_200,
                               -62_198_755_200, 253_402_300_799, 253_402_300_800, -1e11, 1e11]
        for _ in 0..<20_000 { times.append(Double(Int64.random(in: -100_000_000_000...100_000_000_000, using: &random)) + 0.25) }
        for time in times { #expect(RFC3339.format(time) == Self.formatAsBefore(time), "\(time)") }
    }

    @Test func fourDecimalFiguresAreWrittenAsTheRoundedDoubleWritesThem() {
        var random = SplitMix64(seed: 7)
        var values: [Double?] = [nil, 0, -0.0, 0.00004, -0.00004, 0.00005, 0.0001, 0.5, 1, -1, 0.99995, 0.1621, 12_345.6789,
                                 999_999_999.9999, 1e9, 1e12, -1e12, 1e13, 1e20, .nan, .infinity, -.infinity, .ulpOfOne, .leastNonzeroMagnitude]
        for _ in 0..<20_000 { values.append(Double.random(in: 0...1, using: &random)) }
        for _ in 0..<20_000 { values.append(Double(Int.random(in: -20_000_000...20_000_000, using: &random)) / 10_000) }
        for _ in 0..<5_000 { values.append(Double.random(in: -1e10...1e10, using: &random)) }
        for value in values {
            var fast = JSONWriter(), general = JSONWriter()
            fast.fourDecimals(value)
            general.double(value.map { ($0 * 10_000).rounded() / 10_000 })
            #expect(fast.text == general.text, "\(String(describing: value))")
        }
    }

    @Test func wholeNumbersAreWrittenAsStringWritesThem() {
        var random = SplitMix64(seed: 6)
        var numbers = [0, 1, -1, 9, 10, 99, 100, -10, Int.max, Int.min, Int.min + 1, 1_000_000_000]
        for _ in 0..<10_000 { numbers.append(Int.random(in: Int.min...Int.max, using: &random) >> Int.random(in: 0...62, using: &random)) }
        var writer = JSONWriter()
        writer.array { list in for number in numbers { list.int(number) } }
        #expect(writer.text == "[" + numbers.map { String($0) }.joined(separator: ",") + "]")
    }
}
