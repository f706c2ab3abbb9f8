/// A fixed number of values kept in blocks of 32. A snapshot shares the
/// tally's area figures (`AreaResults` reads them when shown), and the
/// tally's next change then copies the one block it changes and the list of
/// blocks, not every area of the contest: a replay makes a snapshot after
/// every batch.
struct BlockArray<Element>: RandomAccessCollection, MutableCollection {
    private static var blockBits: Int { 5 }
    private static var blockMask: Int { (1 << blockBits) - 1 }
    static var blockSize: Int { 1 << blockBits }
    /// The block that holds an index.
    static func block(of index: Int) -> Int { index >> blockBits }
    var blockCount: Int { blocks.count }
    /// The indices a block holds.
    func indices(ofBlock block: Int) -> Range<Int> { (block << Self.blockBits)..<Swift.min(endIndex, (block + 1) << Self.blockBits) }
    private var blocks: [[Element]]

    var startIndex: Int { 0 }
    let endIndex: Int

    init(_ elements: some Collection<Element>) {
        let all = Array(elements)
        endIndex = all.count
        blocks = stride(from: 0, to: all.count, by: Self.blockMask + 1).map { Array(all[$0..<Swift.min(all.count, $0 + Self.blockMask + 1)]) }
    }

    subscript(index: Int) -> Element {
        _read { yield blocks[index >> Self.blockBits][index & Self.blockMask] }
        _modify { yield &blocks[index >> Self.blockBits][index & Self.blockMask] }
        set { blocks[index >> Self.blockBits][index & Self.blockMask] = newValue }
    }
}

extension BlockArray: Sendable where Element: Sendable {}
