import Foundation
import Testing

/// `snapshot --format nist` validated against NIST's own schema, and
/// `--format csv` read back as a CSV reader does.
@Suite(.serialized) struct ExportTests {
    static let schema = "/work/shared/reference-data/nist-1500-100-v2.schema.json"
    static let riverside = RunningCommand.projectRoot.appendingPathComponent("sample-feeds/riverside-2026").path

    /// Runs Python on a script with the text on standard input; nil (and a
    /// printed reason) when Python or jsonschema is missing.
    static func python(_ script: String, input: String) throws -> (Int32, String)? {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import jsonschema"]
        check.standardError = FileHandle.nullDevice
        do { try check.run() } catch {
            print("skipped: python3 cannot be run (\(error)); .ci/run installs what it needs")
            return nil
        }
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            print("skipped: python3 has no jsonschema; .ci/run installs it")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out)
    }

    /// Every schema error, one a line; empty when the report is valid.
    static func nistErrors(_ report: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: schema) else {
            print("skipped: \(schema) is not on this machine")
            return nil
        }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(\(String(reflecting: schema))))
            report = json.load(sys.stdin)
            validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
            for error in validator.iter_errors(report):
                print(list(error.path), error.message[:200])
            """
        return try python(script, input: report)?.1
    }

    func nist(_ feed: String) throws -> (String, [String: Any]) {
        let (status, out, err) = try RunningCommand.run(["snapshot", feed, "--format", "nist"])
        #expect(status == 0, "\(err)")
        return (out, try snapshotObject(out.trimmingCharacters(in: .newlines)))
    }

    @Test func aDeclaredNightIsCertifiedAndValid() throws {
        let (text, report) = try nist(Self.riverside)
        if let errors = try Self.nistErrors(text) { #expect(errors == "") }
        #expect(report["Status"] as? String == "certified")
        let election = try #require((report["Election"] as? [[String: Any]])?.first)
        let candidates = try #require(election["Candidate"] as? [[String: Any]])
        let winners = candidates.filter { $0["PostElectionStatus"] as? String == "winner" }.compactMap { $0["@id"] as? String }
        #expect(winners.count == 1 + 3 + 1)
        let contests = try #require(election["Contest"] as? [[String: Any]])
        #expect(contests.map { $0["VoteVariation"] as? String } == ["other", "n-of-m", "plurality"])
        // Each selection's total equals the sum of its areas' counts.
        for contest in contests {
            for selection in contest["BallotSelection"] as? [[String: Any]] ?? [] {
                let counts = selection["VoteCounts"] as? [[String: Any]] ?? []
                let total = counts.first { $0["GpUnitId"] as? String == contest["ElectoralDistrictId"] as? String }?["Count"] as? Int
                let areas = counts.filter { $0["GpUnitId"] as? String != contest["ElectoralDistrictId"] as? String }.compactMap { $0["Count"] as? Int }
                #expect(total == areas.reduce(0, +), "\(selection["@id"] ?? "")")
            }
        }
    }

    @Test func aNightStillCountingIsPartialAndAListContestIsAPartyContest() throws {
        let feed = try ScratchFeed(election: """
            {"format": "countnight-feed/1", "id": "council-2026", "title": "Council 2026",
             "contests": [{"id": "council", "system": "list", "seats": 5, "method": "sainte-lague",
               "candidates": [{"id": "a", "name": "Alpha, \\"the first\\"", "colour": "#d50000"}, {"id": "b", "name": "Beta"}],
               "boxes": [{"id": "B1", "area": "North"}, {"id": "B2", "area": "South"}]}]}
            """)
        try feed.land("c1.json", #"{"contest": "council", "kind": "count", "box": "B1", "votes": {"a": 700, "b": 300}, "rejected": {"blank": 4}}"#)
        let (text, report) = try nist(feed.path)
        if let errors = try Self.nistErrors(text) { #expect(errors == "") }
        #expect(report["Status"] as? String == "unofficial-partial")
        let parties = try #require(report["Party"] as? [[String: Any]])
        #expect(parties.compactMap { $0["Color"] as? String } == ["d50000"])
        let contest = try #require(((report["Election"] as? [[String: Any]])?.first?["Contest"] as? [[String: Any]])?.first)
        #expect(contest["@type"] as? String == "ElectionResults.PartyContest")
        #expect(contest["VoteVariation"] as? String == "proportional")
        #expect((contest["CountStatus"] as? [[String: Any]])?.first?["Status"] as? String == "in-process")

        // The same night as CSV, one row per (area, list), quoted as RFC 4180 says.
        let (status, csv, _) = try RunningCommand.run(["snapshot", feed.path, "--format", "csv", "--by", "area"])
        #expect(status == 0)
        #expect(csv == [
            "contest,unit_type,unit,area,candidate_id,candidate,party,votes,share,seats,rejected,counted_ballots,status,elected",
            #"council,area,North,North,a,"Alpha, ""the first""",,700,0.7,,4,1004,complete,"#,
            "council,area,North,North,b,Beta,,300,0.3,,4,1004,complete,",
            #"council,area,South,South,a,"Alpha, ""the first""",,0,0,,0,0,awaiting,"#,
            "council,area,South,South,b,Beta,,0,0,,0,0,awaiting,",
        ].map { $0 + "\r\n" }.joined())
        // Read back as any CSV reader does: 5 rows of 14 fields, the name whole.
        let script = "import csv, sys\nrows = list(csv.reader(sys.stdin))\nprint(len(rows), {len(r) for r in rows}, rows[1][5])"
        if let (code, out) = try Self.python(script, input: csv) {
            #expect(code == 0)
            #expect(out == "5 {14} Alpha, \"the first\"\n")
        }
        let (_, byContest, _) = try RunningCommand.run(["snapshot", feed.path, "--format", "csv"])
        #expect(byContest.contains("council,contest,council,,a,\"Alpha, \"\"the first\"\"\",,700,0.7,4,4,1004,counting,false\r\n"))
        let (_, byBox, _) = try RunningCommand.run(["snapshot", feed.path, "--format", "csv", "--by", "box"])
        #expect(byBox.contains("council,box,B1,North,b,Beta,,300,0.3,,4,1004,counted,\r\n"))
        #expect(byBox.contains("council,box,B2,South,b,Beta,,,,,,,awaiting,\r\n"))
        let (bad, _, err) = try RunningCommand.run(["snapshot", feed.path, "--by", "box"])
        #expect(bad == 64)
        #expect(err.contains("--by goes with --format csv"))
    }

    @Test func aCallWhileCountingMakesAProjectedWinner() throws {
        // 850 ahead with at most 10 ballots left: certain before the count is complete.
        let feed = try ScratchFeed(election: """
            {"format": "countnight-feed/1", "id": "e2e", "contests": [{"id": "c", "candidates": [{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bob"}],
             "boxes": [{"id": "B1", "electorate": 1000}, {"id": "B2", "electorate": 10}]}]}
            """)
        try feed.land("c1.json", ScratchFeed.count("B1", a: 900, b: 50))
        let (text, report) = try nist(feed.path)
        if let errors = try Self.nistErrors(text) { #expect(errors == "") }
        #expect(report["Status"] as? String == "unofficial-partial")
        let candidates = try #require((report["Election"] as? [[String: Any]])?.first?["Candidate"] as? [[String: Any]])
        #expect(candidates.map { $0["PostElectionStatus"] as? String } == ["projected-winner", nil])
    }

    @Test func headlessWatchWritesOneReportALine() throws {
        let (status, out, err) = try RunningCommand.run(["watch", Self.riverside, "--headless", "--format", "nist", "--until-complete"])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 1)
        let report = try snapshotObject(String(lines[0]))
        #expect(report["@type"] as? String == "ElectionResults.ElectionReport")
        #expect(report["Status"] as? String == "certified")
    }
}
