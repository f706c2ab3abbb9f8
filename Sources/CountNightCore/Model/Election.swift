/// What election.json describes: the election and its contests.
public struct Election: Equatable, Sendable {
    public static let format = "countnight-feed/1"

    public var id: String
    public var title: String
    /// A rehearsal feed: every screen must say so.
    public var rehearsal: Bool
    public var contests: [Contest]
    /// A finished count whose majority is at most this share of the valid
    /// votes says RECOUNT POSSIBLE (election.json's `recountMargin`).
    public var recountMargin: Double

    /// Half a percent of the valid votes: where returning officers commonly
    /// grant a recount on request.
    public static let defaultRecountMargin = 0.005

    public init(id: String, title: String, rehearsal: Bool = false, contests: [Contest], recountMargin: Double = defaultRecountMargin) {
        self.id = id
        self.title = title
        self.rehearsal = rehearsal
        self.contests = contests
        self.recountMargin = recountMargin
    }

    public func contestIndex(_ id: String) -> Int? { contests.firstIndex { $0.id == id } }
}

/// How the winners of a contest are found.
public enum VotingSystem: String, Equatable, Sendable, CaseIterable {
    /// First past the post: one seat, the most votes wins.
    case fptp
    /// Supplementary Vote: one seat, more than half of the valid first
    /// preferences elects at the first stage, otherwise a second stage.
    case sv
    /// Block vote: several seats, each voter has up to `seats` votes.
    case block
    /// Party list: the candidates are lists, seats shared among them in
    /// proportion to their votes by the contest's `ListRule`.
    case list
}
