import CountNightCore
@testable import CountNightFeed
import Foundation
import Testing

/// EML 510 count files, generated here in the Kiesraad's 510b profile, made
/// into a feed that reconciles with their own totals; broken files refused
/// with the line and the element, and nothing written.
@Suite struct EMLImportTests {
    struct Station {
        var id: String
        var cast: Int
        var lists: [Int]
        var rejected: (invalid: Int, blank: Int)
        var admitted: Int?
    }

    static let listNames = ["Partij Een", "Partij Twee & Co", "Lijst Drie"]

    static func selections(_ lists: [Int]) -> String {
        lists.enumerated().map { index, votes in
            // Each list's candidates: the first takes most, the second the rest.
            let first = votes * 2 / 3
            return """
            <Selection><AffiliationIdentifier Id="\(index + 1)"><RegisteredName>\(listNames[index].replacingOccurrences(of: "&", with: "&amp;"))</RegisteredName></AffiliationIdentifier><ValidVotes>\(votes)</ValidVotes></Selection>
            <Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><ValidVotes>\(first)</ValidVotes></Selection>
            <Selection><Candidate><CandidateIdentifier Id="2"></CandidateIdentifier></Candidate><ValidVotes>\(votes - first)</ValidVotes></Selection>
            """
        }.joined(separator: "\n")
    }

    static func figures(cast: Int, lists: [Int], rejected: (invalid: Int, blank: Int), admitted: Int?) -> String {
        var text = """
        <Cast>\(cast)</Cast><TotalCounted>\(lists.reduce(0, +))</TotalCounted>
        <RejectedVotes ReasonCode="ongeldig">\(rejected.invalid)</RejectedVotes><RejectedVotes ReasonCode="blanco">\(rejected.blank)</RejectedVotes>
        """
        if let admitted { text += #"<UncountedVotes ReasonCode="toegelaten kiezers">\#(admitted)</UncountedVotes>"# }
        text += #"<UncountedVotes ReasonCode="geen verklaring">0</UncountedVotes>"#
        return text
    }

    static let stations = [
        Station(id: "0999::SB1", cast: 2000, lists: [600, 300, 100], rejected: (3, 2), admitted: 1005),
        Station(id: "0999::SB2", cast: 1500, lists: [200, 500, 90], rejected: (1, 0), admitted: 792),
        Station(id: "0999::SB3", cast: 0, lists: [150, 150, 40], rejected: (0, 4), admitted: nil),
    ]

    static func eml(_ stations: [Station] = stations, totals: [Int]? = nil, category: String = "GR", unitExtra: String = "") -> String {
        let sums = (0..<3).map { list in stations.reduce(0) { $0 + $1.lists[list] } }
        let total = figures(cast: stations.reduce(0) { $0 + $1.cast }, lists: totals ?? sums,
                            rejected: (stations.reduce(0) { $0 + $1.rejected.invalid }, stations.reduce(0) { $0 + $1.rejected.blank }),
                            admitted: nil)
        let units = stations.map { station in
            """
            <ReportingUnitVotes><ReportingUnitIdentifier Id="\(station.id)">Stembureau \(station.id)</ReportingUnitIdentifier>\(unitExtra)
            \(selections(station.lists))
            \(figures(cast: station.cast, lists: station.lists, rejected: station.rejected, admitted: station.admitted))
            </ReportingUnitVotes>
            """
        }.joined(separator: "\n")
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <EML xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" Id="510b" SchemaVersion="5">
        <TransactionId>1</TransactionId>
        <ManagingAuthority><AuthorityIdentifier Id="0999">Testgemeente</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority>
        <kr:CreationDateTime>2026-03-18T01:00:00</kr:CreationDateTime>
        <Count><EventIdentifier></EventIdentifier><Election>
        <ElectionIdentifier Id="GR2026_Test"><ElectionName>Gemeenteraad Test 2026</ElectionName><ElectionCategory>\(category)</ElectionCategory><kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier>
        <Contests><Contest><ContestIdentifier Id="geen"></ContestIdentifier>
        <TotalVotes>
        \(selections(totals ?? sums))
        \(total)
        </TotalVotes>
        \(units)
        </Contest></Contests></Election></Count></EML>
        """
    }

    static func parse(_ text: String) throws(EMLError) -> EMLCount {
        try EML510.parse(Data(text.utf8), file: "test.xml")
    }

    func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("countnight-eml-" + UUID().uuidString).path
    }

    @Test func theFeedReconcilesWithTheFilesTotals() throws {
        let count = try Self.parse(Self.eml())
        #expect(count.electionName == "Gemeenteraad Test 2026")
        #expect(count.contests[0].units.map(\.id) == ["0999::SB1", "0999::SB2", "0999::SB3"])
        #expect(count.contests[0].total.lists.map(\.name) == Self.listNames)
        #expect(count.contests[0].units[0].votes.lists[0].candidates.map(\.votes) == [400, 200])

        let (files, summary) = try EMLImport.feed([count], options: .init(seats: 9, method: .sainteLague))
        #expect(files.map(\.name) == ["election.json", "count-0999-SB1.json", "verification-0999-SB1.json",
                                      "count-0999-SB2.json", "verification-0999-SB2.json", "count-0999-SB3.json"])
        #expect(String(decoding: files[1].bytes, as: UTF8.self)
                == #"{"contest":"geen","kind":"count","box":"0999-SB1","votes":{"list-1":600,"list-2":300,"list-3":100},"rejected":{"ongeldig":3,"blanco":2}}"#)
        #expect(String(decoding: files[2].bytes, as: UTF8.self) == #"{"contest":"geen","kind":"verification","box":"0999-SB1","ballotPapers":1005}"#)
        let election = try ElectionFile.parse(files[0].bytes)
        let contest = election.contests[0]
        #expect(contest.system == .list && contest.seats == 9 && contest.listRule == ListRule(method: .sainteLague))
        #expect(contest.candidates.map(\.name) == Self.listNames)
        #expect(contest.boxes.map(\.electorate) == [2000, 1500, nil])
        #expect(contest.boxes.map(\.area) == ["Testgemeente", "Testgemeente", "Testgemeente"])
        #expect(contest.electorate == 3500)
        #expect(summary.boxesWithoutElectorate == 1)

        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try EMLImport.write(files, into: directory) { EMLImport.differences($0, [count], summary: summary) }
        var reader = try FeedReader(directory: directory)
        _ = reader.poll()
        let snapshot = reader.snapshot(time: 0)
        #expect(EMLImport.differences(snapshot, [count], summary: summary).isEmpty)
        let result = snapshot.contests[0]
        #expect(result.candidates.map(\.votes) == [950, 950, 230])
        #expect(result.valid == 2130)
        #expect(result.rejectedByReason.map(\.count) == [6, 4])
        #expect(result.status == .complete)
        // Sainte-Laguë, 9 seats on 950, 950, 230: 950 950 316.7 316.7 230 190 190 135.7 135.7.
        #expect(result.candidates.map(\.seats) == [4, 4, 1])
        #expect(snapshot.refusedFiles.isEmpty)
    }

    @Test func aFileWhoseStationsDoNotAddUpToItsTotalsWritesNothing() throws {
        let count = try Self.parse(Self.eml(totals: [950, 951, 230]))
        let (files, summary) = try EMLImport.feed([count], options: .init(seats: 9))
        let directory = scratch()
        #expect(throws: EMLError(file: directory, line: nil, message: "the feed does not reconcile with the files' own totals, so nothing was written: contest geen, list 2: 950 votes in the feed, 951 in <TotalVotes>; contest geen: 2130 valid votes in the feed, <TotalCounted> 2131")) {
            try EMLImport.write(files, into: directory) { EMLImport.differences($0, [count], summary: summary) }
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
        let parent = (directory as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains((directory as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty)
    }

    /// The line of the first place `marker` occurs, counted from 1.
    static func line(of marker: String, in text: String) -> Int {
        let before = text.components(separatedBy: marker)[0]
        return before.filter { $0 == "\n" }.count + 1
    }

    static let truncated = String(eml().prefix(700))

    @Test(arguments: [
        (eml().replacingOccurrences(of: "<Cast>2000</Cast>", with: "<Cast>2000</Cst>"), "</Cst>",
         "not well-formed XML (column 17): an end tag does not match its start tag"),
        (eml(unitExtra: "<Turnout>12</Turnout>"), "<Turnout>", "unknown element <Turnout> in <ReportingUnitVotes>"),
        (eml().replacingOccurrences(of: "<ValidVotes>300</ValidVotes>", with: "<ValidVotes>3OO</ValidVotes>"), "3OO",
         #"<ValidVotes> holds "3OO", not a whole number of votes"#),
        (eml().replacingOccurrences(of: #"Id="510b""#, with: #"Id="230b""#), "230b", #"<EML Id="230b"> is not a count (EML 510)"#),
        ("<results><a/></results>", "<results>", "<results> is not an EML document (expected <EML> in the namespace urn:oasis:names:tc:evs:schema:eml)"),
        (truncated, String(truncated.suffix(20)), "not well-formed XML (column 56): an element's start tag is not closed"),
    ])
    func aBrokenFileIsRefusedWithItsLineAndElement(text: String, marker: String, message: String) {
        #expect(throws: EMLError(file: "test.xml", line: Self.line(of: marker, in: text), message: message)) { try Self.parse(text) }
    }

    @Test func aStationWithoutAListAndAMissingSeatCountAreRefused() throws {
        // The second station without its third list's selection.
        let broken = try Self.parse(Self.eml().replacingOccurrences(
            of: "<Selection><AffiliationIdentifier Id=\"3\"><RegisteredName>Lijst Drie</RegisteredName></AffiliationIdentifier><ValidVotes>90</ValidVotes></Selection>",
            with: ""))
        #expect(throws: EMLError(file: "test.xml", line: broken.contests[0].units[1].line, message: "polling station 0999::SB2 has no votes for list 3")) {
            try EMLImport.feed([broken], options: .init(seats: 9))
        }
        #expect(throws: EMLError(file: "test.xml", line: nil, message: "an EML 510 file does not say how many seats there are: give them with --seats")) {
            try EMLImport.feed([try Self.parse(Self.eml())], options: .init())
        }
        // The Tweede Kamer has 150 seats by law.
        let (files, _) = try EMLImport.feed([try Self.parse(Self.eml(category: "TK"))], options: .init())
        #expect(try ElectionFile.parse(files[0].bytes).contests[0].seats == 150)
    }

    @Test func severalMunicipalitiesOfOneElectionAreMergedAsAreas() throws {
        let first = try Self.parse(Self.eml())
        let other = Self.eml([Station(id: "0888::SB1", cast: 900, lists: [100, 200, 300], rejected: (1, 1), admitted: 602)])
            .replacingOccurrences(of: #"<AuthorityIdentifier Id="0999">Testgemeente</AuthorityIdentifier>"#,
                                  with: #"<AuthorityIdentifier Id="0888">Anderdorp</AuthorityIdentifier>"#)
        let second = try EML510.parse(Data(other.utf8), file: "other.xml")
        let (files, summary) = try EMLImport.feed([first, second], options: .init(seats: 9))
        let contest = try ElectionFile.parse(files[0].bytes).contests[0]
        #expect(contest.areas.map(\.label) == ["Testgemeente", "Anderdorp"])
        #expect(contest.electorate == 3500 + 900)
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try EMLImport.write(files, into: directory) { EMLImport.differences($0, [first, second], summary: summary) }
        var reader = try FeedReader(directory: directory)
        _ = reader.poll()
        #expect(reader.snapshot(time: 0).contests[0].candidates.map { [$0.id: $0.votes] } == [["list-2": 1_150], ["list-1": 1_050], ["list-3": 530]])

        let otherElection = try EML510.parse(Data(other.replacingOccurrences(of: "GR2026_Test", with: "GR2026_Else").utf8), file: "else.xml")
        #expect(throws: EMLError(file: "else.xml", line: nil, message: "is of election GR2026_Else, and test.xml of GR2026_Test: import one election at a time")) {
            try EMLImport.feed([first, otherElection], options: .init(seats: 9))
        }
        let renamed = try EML510.parse(Data(other.replacingOccurrences(of: "Lijst Drie", with: "Lijst 3").utf8), file: "renamed.xml")
        #expect(throws: EMLError(file: "renamed.xml", line: nil, message: "contest geen has other lists than in test.xml")) {
            try EMLImport.feed([first, renamed], options: .init(seats: 9))
        }
    }
}
