import Foundation
import Testing

/// docs/feed.schema.json: every sample feed's files are valid against it,
/// and it rejects the main classes of bad file that the program refuses.
@Suite(.serialized) struct FeedSchemaTests {
    static let schema = RunningCommand.projectRoot.appendingPathComponent("docs/feed.schema.json").path

    /// `file<TAB>first error` for each document (a JSON list of [name, document]) the schema rejects.
    static func rejected(_ documents: [(String, String)]) throws -> [String]? {
        let input = "[" + documents.map { "[\(String(reflecting: $0.0)), \($0.1)]" }.joined(separator: ",") + "]"
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(\(String(reflecting: schema))))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for name, document in json.load(sys.stdin):
                errors = list(validator.iter_errors(document))
                if errors:
                    print(name + "\\t" + errors[0].message[:160])
            """
        guard let (status, out) = try ExportTests.python(script, input: input) else { return nil }
        #expect(status == 0)
        return out.split(separator: "\n").map(String.init)
    }

    @Test func everySampleFeedFileIsValid() throws {
        var documents: [(String, String)] = []
        for feed in ["tower-hamlets-2010", "riverside-2026"] {
            let directory = RunningCommand.projectRoot.appendingPathComponent("sample-feeds/" + feed)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".json") {
                documents.append(("\(feed)/\(name)", try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
            }
        }
        #expect(documents.count > 150)
        // A list contest and its files, as docs/feed-format.md shows them.
        documents.append(("list/election.json", Self.listElection))
        documents.append(("list/count.json", #"{"contest": "council", "kind": "count", "box": "B1", "votes": {"a": 10, "b": 5}, "rejected": {"blanco": 1}}"#))
        documents.append(("list/withdrawn.json", #"{"contest": "council", "kind": "count", "box": "B1", "revision": 2, "withdrawn": true}"#))
        if let rejected = try Self.rejected(documents) { #expect(rejected == []) }
    }

    static let listElection = """
        {"format": "countnight-feed/1", "id": "council-2026", "contests": [{"id": "council", "system": "list", "seats": 7,
          "method": "sainte-lague", "threshold": 0.05,
          "candidates": [{"id": "a", "name": "Alpha", "colour": "#d50000", "candidates": [{"id": "a1", "name": "Ann"}]}, {"id": "b", "name": "Beta"}],
          "boxes": [{"id": "B1", "area": "North", "electorate": 100}]}]}
        """

    static let goodElection = ScratchFeed.twoBoxes

    /// Bad batch files, each a class the program refuses (its reason follows).
    static let badBatches: [(String, String)] = [
        ("no-contest.json", #"{"kind": "count", "box": "B1", "votes": {"a": 1, "b": 2}}"#),
        ("unknown-kind.json", #"{"contest": "c", "kind": "recount", "box": "B1", "votes": {"a": 1, "b": 2}}"#),
        ("fraction.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 12.5, "b": 2}}"#),
        ("negative.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": -1, "b": 2}}"#),
        ("too-large.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 100000001, "b": 2}}"#),
        ("string-figure.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": "12", "b": 2}}"#),
        ("both.json", #"{"contest": "c", "kind": "count", "box": "B1", "area": "North", "votes": {"a": 1, "b": 2}}"#),
        ("neither.json", #"{"contest": "c", "kind": "count", "votes": {"a": 1, "b": 2}}"#),
        ("no-votes.json", #"{"contest": "c", "kind": "count", "box": "B1"}"#),
        ("no-papers.json", #"{"contest": "c", "kind": "verification", "box": "B1"}"#),
        ("verification-area.json", #"{"contest": "c", "kind": "verification", "box": "B1", "area": "North", "ballotPapers": 3}"#),
        ("declaration-box.json", #"{"contest": "c", "kind": "declaration", "box": "B1", "votes": {"a": 1, "b": 2}, "elected": ["b"]}"#),
        ("declaration-unelected.json", #"{"contest": "c", "kind": "declaration", "votes": {"a": 1, "b": 2}}"#),
        ("revision-0.json", #"{"contest": "c", "kind": "count", "box": "B1", "revision": 0, "votes": {"a": 1, "b": 2}}"#),
        ("bad-time.json", #"{"contest": "c", "kind": "count", "box": "B1", "at": "21/10/2010 23:05", "votes": {"a": 1, "b": 2}}"#),
        ("empty-reason.json", #"{"contest": "c", "kind": "count", "box": "B1", "votes": {"a": 1, "b": 2}, "rejected": {" ": 1}}"#),
        ("long-batch.json", #"{"contest": "c", "kind": "count", "box": "B1", "batch": "\#(String(repeating: "x", count: 65))", "votes": {"a": 1, "b": 2}}"#),
        ("withdrawn-text.json", #"{"contest": "c", "kind": "count", "box": "B1", "withdrawn": "yes"}"#),
        ("not-an-object.json", #"[1, 2, 3]"#),
    ]

    /// Bad election.json files, each a class the program refuses.
    static let badElections: [(String, String)] = [
        ("no-format", #"{"id": "e", "contests": []}"#),
        ("wrong-format", ScratchFeed.twoBoxes.replacingOccurrences(of: "countnight-feed/1", with: "countnight-feed/2")),
        ("no-contests", #"{"format": "countnight-feed/1", "id": "e", "contests": []}"#),
        ("bad-id", ScratchFeed.twoBoxes.replacingOccurrences(of: #""id": "B1""#, with: #""id": "B 1""#)),
        ("one-candidate", ScratchFeed.twoBoxes.replacingOccurrences(of: #", {"id": "b", "name": "Bob"}"#, with: "")),
        ("no-name", ScratchFeed.twoBoxes.replacingOccurrences(of: #""name": "Bob""#, with: #""name": " ""#)),
        ("bad-colour", ScratchFeed.twoBoxes.replacingOccurrences(of: #""name": "Bob""#, with: #""name": "Bob", "colour": "blue""#)),
        ("no-boxes", ScratchFeed.twoBoxes.replacingOccurrences(of: #"[{"id": "B1", "electorate": 500}, {"id": "B2", "electorate": 500}]"#, with: "[]")),
        ("electorate-0", ScratchFeed.twoBoxes.replacingOccurrences(of: #""electorate": 500}, {"id": "B2""#, with: #""electorate": 0}, {"id": "B2""#)),
        ("unknown-system", ScratchFeed.twoBoxes.replacingOccurrences(of: #""title": "Council","#, with: #""title": "Council", "system": "stv","#)),
        ("fptp-two-seats", ScratchFeed.twoBoxes.replacingOccurrences(of: #""title": "Council","#, with: #""title": "Council", "seats": 2,"#)),
        ("bad-method", listElection.replacingOccurrences(of: "sainte-lague", with: "hare")),
        ("threshold-one", listElection.replacingOccurrences(of: "0.05", with: "1")),
    ]

    @Test func theSchemaRejectsTheBadFileClassesTheProgramRefuses() throws {
        // The program refuses every one of them...
        let feed = try ScratchFeed(election: Self.goodElection)
        for (name, text) in Self.badBatches { try feed.land(name, text) }
        let (status, out, _) = try RunningCommand.run(["check", feed.path])
        #expect(status == 1)
        let refused = Set(out.split(separator: "\n").map { String($0.split(separator: ":")[0]) })
        #expect(refused == Set(Self.badBatches.map(\.0)))
        for (name, text) in Self.badElections {
            let bad = try ScratchFeed(election: text)
            let (status, _, err) = try RunningCommand.run(["check", bad.path])
            #expect(status == 2, "\(name): \(err)")
        }
        // ...and so does the schema.
        guard let rejected = try Self.rejected(Self.badBatches + Self.badElections.map { ("election-" + $0.0, $0.1) }) else { return }
        let names = Set(rejected.map { String($0.split(separator: "\t")[0]) })
        #expect(names == Set(Self.badBatches.map(\.0) + Self.badElections.map { "election-" + $0.0 }), "\(rejected.joined(separator: "\n"))")
    }
}
