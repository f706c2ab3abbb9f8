// libFuzzer target: any bytes as a journal. Linked with the
// CountNightCore library that scripts/fuzz.sh builds with the same sanitizers.
import CountNightCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let contents = Journal.parse(bytes)
    // What replay reads back must be what a recording of it would write:
    // each entry, written as a journal line, reads back as the same file,
    // the same change and the same time to the millisecond (the line's).
    for entry in contents.entries {
        let line = Journal.line(entry)
        let again = Journal.parse(Array((line + "\n").utf8))
        guard again.entries.count == 1, again.entries[0].file == entry.file, again.entries[0].change == entry.change,
              Journal.line(again.entries[0]) == line else {
            fatalError("journal line does not read back: \(line)")
        }
    }
    return 0
}
