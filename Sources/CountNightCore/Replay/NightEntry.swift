/// One thing that happened to a feed directory: what a journal records and
/// what a replay plays back.
public struct NightEntry: Equatable, Sendable {
    public enum Change: Equatable, Sendable {
        /// A new version of the file: its bytes (election.json too).
        case version([UInt8])
        case deleted
        /// The file could not be read at all (too big, no permission): why.
        case unreadable(String)
    }

    /// When it happened, in seconds since 1970: the arrival time in a
    /// journal; in a feed directory, the batch's `at`, else the file's
    /// modification time.
    public let time: Double
    public let file: String
    public let change: Change

    public init(time: Double, file: String, change: Change) {
        self.time = time
        self.file = file
        self.change = change
    }

    public var isElection: Bool { file == ElectionFile.name }
}
