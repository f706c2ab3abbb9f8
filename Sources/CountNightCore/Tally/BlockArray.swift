/// A fixed number of values kept in blocks of 32. A snapshot shares the
/// tally's area figures (`AreaResults` reads them when shown), and the
/// tally's next change then copies the one block it changes and the list of
/// blocks, not every area of the contest: a replay makes a snapshot after
/// every batch.
///
/// A block is itself four pieces of 8, and a change copies only its piece
/// (8 values, with a reference to each value's arrays taken again) and the
/// block's list of 4 pieces: copying the whole block of 32 area states was
/// a tenth of a replay's snapshot-making thread. The blocks of 32 stay what
/// callers see (`block(of:)`, the projection's stamps per block).
struct BlockArray<Element>: RandomAccessCollection, MutableCollection {
    private static var blockBits: Int { 5 }
    private static var blockMask: Int { (1 << blockBits) - 1 }
    static var blockSize: Int { 1 << blockBits }
    private static var pieceBits: Int { 3 }
    private static var pieceMask: Int { (1 << pieceBits) - 1 }
    /// The block that holds an index.
    static func block(of index: Int) -> Int { index >> blockBits }
    var blockCount: Int { blocks.count }
    /// The indices a block holds.
    func indices(ofBlock block: Int) -> Range<Int> { (block << Self.blockBits)..<Swift.min(endIndex, (block + 1) << Self.blockBits) }
    private var blocks: [[[Element]]]

    var startIndex: Int { 0 }
    let endIndex: Int

    init(_ elements: some Collection<Element>) {
        let all = Array(elements)
        endIndex = all.count
        let piece = Self.pieceMask + 1, block = Self.blockMask + 1
        blocks = stride(from: 0, to: all.count, by: block).map { start in
            stride(from: start, to: Swift.min(all.count, start + block), by: piece).map { Array(all[$0..<Swift.min(all.count, $0 + piece)]) }
        }
    }

    subscript(index: Int) -> Element {
        _read { yield blocks[index >> Self.blockBits][(index & Self.blockMask) >> Self.pieceBits][index & Self.pieceMask] }
        _modify { yield &blocks[index >> Self.blockBits][(index & Self.blockMask) >> Self.pieceBits][index & Self.pieceMask] }
        set { blocks[index >> Self.blockBits][(index & Self.blockMask) >> Self.pieceBits][index & Self.pieceMask] = newValue }
    }
}

extension BlockArray: Sendable where Element: Sendable {}
