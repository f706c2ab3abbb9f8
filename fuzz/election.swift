// libFuzzer target: any bytes as election.json. Linked with the
// CountNightCore library that scripts/fuzz.sh builds with the same sanitizers.
import CountNightCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzElection(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A rehearsal copy is made of whatever election.json a night holds.
    if let marked = ElectionFile.markedAsRehearsal(bytes) {
        _ = try? ElectionFile.parse(marked)
    }
    guard let election = try? ElectionFile.parse(bytes) else { return 0 }
    // An election that parses must also start a tally.
    _ = Tally(election: election)
    return 0
}
