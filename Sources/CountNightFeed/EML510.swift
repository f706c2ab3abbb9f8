import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An OASIS EML 510 count file as the Dutch Kiesraad writes it (510b, per
/// polling station): what `countnight import eml` turns into a feed.
/// docs/import.md says how each element maps.
public struct EMLCount: Equatable, Sendable {
    public var file: String
    public var electionID: String
    public var electionName: String
    /// `GR` (municipal council), `TK` (House of Representatives), ...
    public var category: String?
    public var authorityID: String?
    public var authorityName: String?
    public var contests: [EMLContest]
}

public struct EMLContest: Equatable, Sendable {
    public var id: String
    public var name: String?
    /// The file's own totals for the contest.
    public var total: EMLVotes
    public var units: [EMLUnit]
}

/// A polling station (`ReportingUnitVotes`).
public struct EMLUnit: Equatable, Sendable {
    public var id: String
    public var name: String
    public var votes: EMLVotes
    public var line: Int
}

/// The figures of a `TotalVotes` or a `ReportingUnitVotes`.
public struct EMLVotes: Equatable, Sendable {
    public struct List: Equatable, Sendable {
        public var id: String
        public var name: String
        public var votes: Int
        /// Votes per candidate of the list, by the file's candidate id.
        public var candidates: [(id: String, votes: Int)]

        public static func == (a: List, b: List) -> Bool {
            a.id == b.id && a.name == b.name && a.votes == b.votes
                && a.candidates.map(\.id) == b.candidates.map(\.id) && a.candidates.map(\.votes) == b.candidates.map(\.votes)
        }
    }
    public var lists: [List] = []
    /// In the Kiesraad profile: the electorate (0 where not known).
    public var cast: Int?
    /// In the Kiesraad profile: the votes on candidates (valid votes).
    public var totalCounted: Int?
    public var rejected: [(reason: String, count: Int)] = []
    public var uncounted: [(reason: String, count: Int)] = []

    public static func == (a: EMLVotes, b: EMLVotes) -> Bool {
        a.lists == b.lists && a.cast == b.cast && a.totalCounted == b.totalCounted
            && a.rejected.map(\.reason) == b.rejected.map(\.reason) && a.rejected.map(\.count) == b.rejected.map(\.count)
            && a.uncounted.map(\.reason) == b.uncounted.map(\.reason) && a.uncounted.map(\.count) == b.uncounted.map(\.count)
    }

    /// The voters admitted to vote, where the file gives them: the papers
    /// that should be in the box.
    public var admitted: Int? { uncounted.first { $0.reason == "toegelaten kiezers" }?.count }
}

/// Why an EML file cannot be imported: the file, the line and what is wrong.
public struct EMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file): line \($0): \(message)" } ?? "\(file): \(message)" }
}

public enum EML510 {
    static let namespace = "urn:oasis:names:tc:evs:schema:eml"

    /// The EML elements read, each with the elements it may hold. Elements of
    /// other namespaces (the Kiesraad's `kr:`, signatures, addresses) are
    /// skipped with all they hold; any other EML element is an error, so that
    /// a file of another kind or profile is not half read.
    static let children: [String: Set<String>] = [
        "": ["EML"],
        "EML": ["TransactionId", "SequenceNumber", "NumberOfSequence", "IssueDate", "ManagingAuthority", "Seal", "Count"],
        "ManagingAuthority": ["AuthorityIdentifier", "AuthorityName", "AuthorityAddress"],
        "AuthorityAddress": [],
        "Count": ["EventIdentifier", "Election"],
        "EventIdentifier": ["EventName"],
        "Election": ["ElectionIdentifier", "Contests"],
        "ElectionIdentifier": ["ElectionName", "ElectionCategory", "ElectionGroup"],
        "Contests": ["Contest"],
        "Contest": ["ContestIdentifier", "TotalVotes", "ReportingUnitVotes"],
        "ContestIdentifier": ["ContestName"],
        "TotalVotes": ["Selection", "Cast", "TotalCounted", "RejectedVotes", "UncountedVotes"],
        "ReportingUnitVotes": ["ReportingUnitIdentifier", "Selection", "Cast", "TotalCounted", "RejectedVotes", "UncountedVotes"],
        "Selection": ["AffiliationIdentifier", "Candidate", "ValidVotes", "CountMetric"],
        "AffiliationIdentifier": ["RegisteredName"],
        "Candidate": ["CandidateIdentifier"],
        "CandidateIdentifier": ["CandidateName"],
    ]

    public static func parse(_ data: Data, file: String) throws(EMLError) -> EMLCount {
        let reader = Reader(file: file)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let ok = parser.parse()
        if let error = reader.error { throw error }
        if !ok || reader.parseError != nil {
            let code = (reader.parseError as NSError?)?.code ?? (parser.parserError as NSError?)?.code ?? 0
            // Where the parser stood when it found the error, not where it gave up.
            let (line, column) = reader.parseErrorPlace ?? (parser.lineNumber, parser.columnNumber)
            throw EMLError(file: file, line: line, message: "not well-formed XML (column \(column)): \(describe(code))")
        }
        guard let count = reader.result else { throw EMLError(file: file, line: nil, message: "no <EML> count in the file") }
        return count
    }

    /// XMLParser's error codes in words, for the ones a broken file meets.
    static func describe(_ code: Int) -> String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the file ends inside an element"
        case 9: return "a character that XML does not allow"
        case 38, 39: return "a malformed attribute"
        case 41: return "an attribute without a value"
        case 64: return "the text before the root element is not XML"
        case 73: return "an element's start tag is not closed"
        case 76: return "an end tag does not match its start tag"
        default: return "XML parser error \(code)"
        }
    }

    final class Reader: NSObject, XMLParserDelegate {
        let file: String
        var result: EMLCount?
        var error: EMLError?
        var parseError: Error?
        var parseErrorPlace: (line: Int, column: Int)?
        /// Open EML elements; nil entries are foreign elements being skipped.
        private var stack: [String?] = []
        private var text = ""
        private var attributes: [String: String] = [:]
        private var count = EMLCount(file: "", electionID: "", electionName: "", contests: [])
        private var contest: EMLContest?
        private var unit: EMLUnit?
        private var votes = EMLVotes()
        private var selectionList: String?
        private var selectionCandidate: String?
        private var selectionVotes: Int?
        private var reasonCode: String?
        private var affiliationID: String?
        private var parser: XMLParser?

        init(file: String) { self.file = file }

        private func fail(_ message: String, _ parser: XMLParser) {
            guard error == nil else { return }
            error = EMLError(file: file, line: parser.lineNumber, message: message)
            parser.abortParsing()
        }

        private func number(_ element: String, _ parser: XMLParser) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = Int(trimmed), value >= 0, value <= 2_000_000_000 else {
                fail("<\(element)> holds \"\(trimmed)\", not a whole number of votes", parser)
                return nil
            }
            return value
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guard error == nil else { return }
            if stack.contains(where: { $0 == nil }) {
                stack.append(nil)
                return
            }
            let parent = stack.last.flatMap { $0 } ?? ""
            if let namespaceURI, namespaceURI != EML510.namespace, !(stack.isEmpty) {
                stack.append(nil)
                return
            }
            if parent == "AuthorityAddress" {
                stack.append(nil)
                return
            }
            guard let allowed = EML510.children[parent], allowed.contains(name) else {
                if stack.isEmpty {
                    fail("<\(qualifiedName ?? name)> is not an EML document (expected <EML> in the namespace \(EML510.namespace))", parser)
                } else {
                    fail("unknown element <\(qualifiedName ?? name)> in <\(parent)>", parser)
                }
                return
            }
            stack.append(name)
            text = ""
            self.attributes = attributes
            switch name {
            case "EML":
                if let id = attributes["Id"], !id.hasPrefix("510") {
                    fail("<EML Id=\"\(id)\"> is not a count (EML 510)", parser)
                }
            case "ElectionIdentifier":
                count.electionID = attributes["Id"] ?? ""
            case "AuthorityIdentifier":
                count.authorityID = attributes["Id"]
            case "Contest":
                contest = EMLContest(id: "", name: nil, total: EMLVotes(), units: [])
            case "ContestIdentifier":
                contest?.id = attributes["Id"] ?? ""
            case "TotalVotes", "ReportingUnitVotes":
                votes = EMLVotes()
                if name == "ReportingUnitVotes" { unit = EMLUnit(id: "", name: "", votes: EMLVotes(), line: parser.lineNumber) }
            case "ReportingUnitIdentifier":
                unit?.id = attributes["Id"] ?? ""
                if unit?.id.isEmpty == true { fail("<ReportingUnitIdentifier> has no Id", parser) }
            case "Selection":
                selectionList = nil
                selectionCandidate = nil
                selectionVotes = nil
            case "AffiliationIdentifier":
                guard let id = attributes["Id"], !id.isEmpty else { return fail("<AffiliationIdentifier> has no Id", parser) }
                affiliationID = id
            case "CandidateIdentifier":
                guard let id = attributes["Id"], !id.isEmpty else { return fail("<CandidateIdentifier> has no Id", parser) }
                selectionCandidate = id
            case "RejectedVotes", "UncountedVotes":
                reasonCode = attributes["ReasonCode"]
                if reasonCode?.isEmpty ?? true { fail("<\(name)> has no ReasonCode", parser) }
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard error == nil else { return }
            guard let top = stack.popLast(), let element = top else { return }
            switch element {
            case "ElectionName": count.electionName = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "ElectionCategory": count.category = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "AuthorityIdentifier": count.authorityName = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "ContestName": contest?.name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "ReportingUnitIdentifier": unit?.name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "RegisteredName":
                if let affiliationID { selectionList = affiliationID; listName = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            case "AffiliationIdentifier":
                selectionList = affiliationID
            case "ValidVotes":
                selectionVotes = number(element, parser)
            case "Selection":
                guard let figure = selectionVotes else { return fail("<Selection> has no <ValidVotes>", parser) }
                if let candidate = selectionCandidate {
                    guard !votes.lists.isEmpty else { return fail("a candidate's <Selection> comes before any list's", parser) }
                    votes.lists[votes.lists.count - 1].candidates.append((candidate, figure))
                } else if let list = selectionList {
                    if votes.lists.contains(where: { $0.id == list }) { return fail("list \(list) is given twice", parser) }
                    votes.lists.append(EMLVotes.List(id: list, name: listName, votes: figure, candidates: []))
                    listName = ""
                } else {
                    fail("<Selection> names neither a list (<AffiliationIdentifier>) nor a <Candidate>", parser)
                }
            case "Cast": votes.cast = number(element, parser)
            case "TotalCounted": votes.totalCounted = number(element, parser)
            case "RejectedVotes":
                if let figure = number(element, parser), let reasonCode { votes.rejected.append((reasonCode, figure)) }
            case "UncountedVotes":
                if let figure = number(element, parser), let reasonCode { votes.uncounted.append((reasonCode, figure)) }
            case "TotalVotes":
                contest?.total = votes
            case "ReportingUnitVotes":
                guard var finished = unit else { return }
                finished.votes = votes
                if contest?.units.contains(where: { $0.id == finished.id }) == true {
                    return fail("polling station \(finished.id) is given twice", parser)
                }
                contest?.units.append(finished)
                unit = nil
            case "Contest":
                if let contest {
                    if contest.units.isEmpty { return fail("contest \(contest.id) has no <ReportingUnitVotes>: a 510b file (per polling station) is needed", parser) }
                    count.contests.append(contest)
                }
                contest = nil
            case "EML":
                count.file = file
                if count.contests.isEmpty { return fail("the file holds no <Contest>", parser) }
                result = count
            default:
                break
            }
            text = ""
        }
        private var listName = ""

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if self.parseError == nil {
                self.parseError = parseError
                parseErrorPlace = (parser.lineNumber, parser.columnNumber)
            }
        }
    }
}
