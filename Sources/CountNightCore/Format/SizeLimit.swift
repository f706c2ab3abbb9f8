/// How large a file of one kind may be. Each limit is one value, so that what
/// is enforced and what a refused file is told cannot drift apart.
public struct SizeLimit: Equatable, Sendable {
    public let bytes: Int
    /// The kind of file, as the refusal names it.
    public let kind: String

    /// A batch file: far more than any batch needs, little enough that a
    /// stray file cannot fill memory.
    public static let batch = SizeLimit(bytes: 1 << 20, kind: "a batch")
    /// election.json, which lists every box of a large election.
    public static let election = SizeLimit(bytes: 16 << 20, kind: "election.json")
    /// A journal, read whole by a replay.
    public static let none = SizeLimit(bytes: .max, kind: "a file")

    /// Why a file of `size` bytes (nil: it grew past the limit while being
    /// read) is refused.
    public func refusal(size: Int?) -> String {
        let limit = bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(Format.grouped(bytes)) bytes"
        guard let size else { return "the file grew past the \(limit) limit for \(kind) while it was read" }
        return "the file is \(Format.grouped(size)) bytes, over the \(limit) limit for \(kind)"
    }
}
