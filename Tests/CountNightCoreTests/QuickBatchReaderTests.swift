import Foundation
import Testing
@_spi(Fuzzing) @testable import CountNightCore

/// The quick reading of batch files must give exactly what the general
/// reading gives: the same record for every file it takes, and the general
/// reading (with its words) for every file it does not.
@Suite struct QuickBatchReaderTests {
    static let samples: [(name: String, bytes: [UInt8])] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-feeds")
        let feeds = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return feeds.sorted().flatMap { feed -> [(name: String, bytes: [UInt8])] in
            let directory = root.appendingPathComponent(feed)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".json") && $0 != "election.json" }.sorted()
            return names.map { ("\(feed)/\($0)", Array(FileManager.default.contents(atPath: directory.appendingPathComponent($0).path)!)) }
        }
    }()

    @Test func everySampleBatchIsReadQuicklyAndGivesTheGeneralRecord() throws {
        #expect(Self.samples.count > 40)
        for (name, bytes) in Self.samples {
            let quick = QuickBatchReader.record(bytes)
            #expect(quick != nil, "\(name) was not read the quick way")
            #expect(quick.map { .success($0) } == BatchFile.generalParse(bytes), "\(name)")
        }
    }

    /// Files just off the usual shape: each is read the general way, with the general words.
    @Test func filesOffTheUsualShapeGoTheGeneralWay() {
        let base = #"{"contest": "mayor", "kind": "count", "box": "N1", "votes": {"ann": 10, "bob": 5, "cat": 1}"#
        let cases: [String] = [
            base + #", "note": "extra key"}"#,
            base + #", "box": "N2"}"#,
            base + #", "revision": null}"#,
            base + #", "revision": 01}"#,
            base + #", "revision": 2.0}"#,
            base + #", "revision": 2e1}"#,
            base + #", "revision": -2}"#,
            base + #", "revision": 1234567890}"#,
            base + #", "revision": 0}"#,
            base + #", "batch": "a\"b"}"#,
            base + #", "batch": "caf\#u{e9}"}"#,
            base + #", "rejected": {"": 3}}"#,
            base + #", "rejected": {" ": 3}}"#,
            base + #", "rejected": {"x": 3, "x": 4}}"#,
            base + #", "rejected": {"x": 100000001}}"#,
            base + #", "at": "yesterday"}"#,
            base + #", "at": "2026-13-07T23:00:00+01:00"}"#,
            base + #", "at": "2026-05-07T23:00:00+01:00", "at": "2026-05-07T23:00:00+01:00"}"#,
            base + #", "at": "2026-05-07T23:00:00+01:00", "votes": {"ann": 1}}"#,
            base + "} trailing",
            base + "}}",
            base,
            "\u{FEFF}" + base + "}",
            #"{"contest": "mayor", "kind": "vote", "box": "N1"}"#,
            #"{"contest": "mayor", "kind": "count", "box": "N1", "area": "North", "votes": {"ann": 1, "bob": 1, "cat": 1}}"#,
            #"{"contest": "mayor", "kind": "count", "votes": {"ann": 1, "bob": 1, "cat": 1}}"#,
            #"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann", 2]}"#,
            #"{"contest": "mayor", "kind": "declaration", "votes": {"ann": 1, "bob": 1, "cat": 1}, "elected": ["ann"], "withdrawn": "no"}"#,
            #"{"contest": "mayor", "kind": "count", "box": "N1", "batch": "\#(String(repeating: "b", count: 65))", "votes": {}}"#,
            "{}", "[]", "", " ", "{\"contest\": \"mayor\"",
        ]
        for text in cases {
            let bytes = Array(text.utf8)
            #expect(BatchFile.parse(bytes) == BatchFile.generalParse(bytes), "\(text)")
        }
        // The usual shape with white space anywhere JSON allows it is still quick.
        let spaced = "\n\t{ \"contest\" :\"mayor\" ,\r\n\"kind\":\"count\",\"box\":\"N1\",\"votes\":{ \"ann\" : 0 ,\"bob\":7,\"cat\":100000000 } }\n"
        #expect(QuickBatchReader.record(Array(spaced.utf8)) != nil)
        // A time is read from the bytes, to the second the general reading gives.
        let timed = Array((base + #", "at": "2026-05-07T23:00:00+01:00"}"#).utf8)
        #expect(QuickBatchReader.record(timed)?.at == 1_778_191_200)
        #expect(BatchFile.parse(timed) == BatchFile.generalParse(timed))
        #expect(BatchFile.parse(Array(spaced.utf8)) == BatchFile.generalParse(Array(spaced.utf8)))
    }

    /// Thousands of sample files with bytes changed, dropped or repeated:
    /// the quick reading and the general one agree on every one.
    @Test func mutatedSamplesReadTheSameBothWays() {
        var random = SplitMix64(seed: 14)
        let alphabet = Array(#"{}[]":,.-+0123456789eE \ntruefalsnul"abcxyz\"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        var quick = 0
        for round in 0..<6000 {
            var bytes = Self.samples[round % Self.samples.count].bytes
            for _ in 0..<(1 + Int(random.next() % 3)) {
                guard !bytes.isEmpty else { break }
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 8)], at: at)
                }
            }
            if QuickBatchReader.record(bytes) != nil { quick += 1 }
            #expect(BatchFile.parse(bytes) == BatchFile.generalParse(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        }
        // Both ways were exercised: many changed files still had the usual shape.
        #expect(quick > 500 && quick < 5500)
    }
}
