import Testing
@testable import CountNightCore

/// The tally's area states are kept in blocks of 32, each of four pieces of
/// 8 (`BlockArray`), so that a snapshot sharing them costs the next change
/// one piece. Whatever the count, every value is where it was put, blocks
/// are the runs of 32 that callers see, and a copy keeps its own values
/// when the original changes, in any piece of any block.
@Suite struct BlockArrayTests {
    @Test(arguments: [0, 1, 7, 8, 9, 31, 32, 33, 70, 257])
    func valuesStayWhereTheyArePutAndCopiesKeepTheirOwn(count: Int) {
        var values = BlockArray(Array(0..<count))
        #expect(values.count == count)
        #expect(Array(values) == Array(0..<count))
        #expect(values.blockCount == (count + 31) / 32)
        for block in 0..<values.blockCount {
            #expect(values.indices(ofBlock: block) == (block * 32)..<min(count, block * 32 + 32))
            for index in values.indices(ofBlock: block) { #expect(BlockArray<Int>.block(of: index) == block) }
        }
        var copies: [(BlockArray<Int>, [Int])] = []
        var expected = Array(0..<count)
        for index in stride(from: 0, to: count, by: 3) {
            copies.append((values, expected))
            values[index] += 1000
            expected[index] += 1000
            #expect(Array(values) == expected)
        }
        for (copy, was) in copies { #expect(Array(copy) == was) }
    }
}
