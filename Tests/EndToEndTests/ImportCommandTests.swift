import Foundation
import Testing

/// `countnight import eml`: a feed made, or on error nothing at all.
@Suite(.serialized) struct ImportCommandTests {
    static let eml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <EML xmlns="urn:oasis:names:tc:evs:schema:eml" Id="510b" SchemaVersion="5"><TransactionId>1</TransactionId>
        <ManagingAuthority><AuthorityIdentifier Id="0001">Dorp</AuthorityIdentifier></ManagingAuthority>
        <Count><Election><ElectionIdentifier Id="GR2026_Dorp"><ElectionName>Raad Dorp</ElectionName><ElectionCategory>GR</ElectionCategory></ElectionIdentifier>
        <Contests><Contest><ContestIdentifier Id="geen"></ContestIdentifier>
        <TotalVotes><Selection><AffiliationIdentifier Id="1"><RegisteredName>Een</RegisteredName></AffiliationIdentifier><ValidVotes>70</ValidVotes></Selection>
        <Selection><AffiliationIdentifier Id="2"><RegisteredName>Twee</RegisteredName></AffiliationIdentifier><ValidVotes>30</ValidVotes></Selection>
        <Cast>400</Cast><TotalCounted>100</TotalCounted><RejectedVotes ReasonCode="blanco">2</RejectedVotes></TotalVotes>
        <ReportingUnitVotes><ReportingUnitIdentifier Id="0001::SB1">School</ReportingUnitIdentifier>
        <Selection><AffiliationIdentifier Id="1"><RegisteredName>Een</RegisteredName></AffiliationIdentifier><ValidVotes>70</ValidVotes></Selection>
        <Selection><AffiliationIdentifier Id="2"><RegisteredName>Twee</RegisteredName></AffiliationIdentifier><ValidVotes>30</ValidVotes></Selection>
        <Cast>400</Cast><TotalCounted>100</TotalCounted><RejectedVotes ReasonCode="blanco">2</RejectedVotes>
        <UncountedVotes ReasonCode="toegelaten kiezers">102</UncountedVotes></ReportingUnitVotes>
        </Contest></Contests></Election></Count></EML>
        """

    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-import-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func importsAFileIntoAFeedThatSnapshots() throws {
        let work = try scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("dorp.xml")
        try Data(Self.eml.utf8).write(to: file)
        let feed = work.appendingPathComponent("feed").path
        let (status, out, err) = try RunningCommand.run(["import", "eml", file.path, "--into", feed, "--seats", "5"])
        #expect(status == 0, "\(err)")
        #expect(out == "\(feed): 3 files\n")
        #expect(err.contains("contest geen: 2 lists, 1 polling stations, 100 valid votes and 2 rejected, reconciled with the files' totals"))
        let (_, text, _) = try RunningCommand.run(["snapshot", feed, "--format", "text"])
        #expect(text.contains("  Een            70   70.00%  4 seats  ELECTED"), "\(text)")
        #expect(text.contains("  Twee           30   30.00%  1 seat  ELECTED"))
        // D'Hondt: 70 A, 35 A, 30 B, 23.3 A, 17.5 A; next B's 15. A keeps the
        // last seat down to 60 votes (60 / 4 = 15 ties B's, and A has more
        // votes); B takes it at 36 (36 / 2 = 18 > 17.5).
        #expect(text.contains("  last seat: Een ahead by 10; Twee needs 6 to take it"))
    }

    @Test func aBrokenFileWritesNothingAndExits2() throws {
        let work = try scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("dorp.xml")
        try Data(Self.eml.replacingOccurrences(of: "<Cast>400</Cast><TotalCounted>100</TotalCounted><RejectedVotes ReasonCode=\"blanco\">2</RejectedVotes>\n<Uncounted",
                                               with: "<Cast>400</Cast><TotalCounted>100</TotalCounted><RejectedVotes ReasonCode=\"blanco\">2</RejectedVote>\n<Uncounted").utf8).write(to: file)
        let feed = work.appendingPathComponent("feed").path
        let (status, out, err) = try RunningCommand.run(["import", "eml", file.path, "--into", feed, "--seats", "5"])
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("countnight: \(file.path): line 12: not well-formed XML"), "\(err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["dorp.xml"])
    }

    @Test func aDirectoryThatIsNotEmptyIsABadArgument() throws {
        let work = try scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("dorp.xml")
        try Data(Self.eml.utf8).write(to: file)
        let (status, _, err) = try RunningCommand.run(["import", "eml", file.path, "--into", work.path, "--seats", "5"])
        #expect(status == 64)
        #expect(err.contains("--into \(work.path) is not empty (1 entry); import into a new or empty directory"))
    }
}
