// libFuzzer target: any bytes as a batch file. Linked with the
// CountNightCore library that scripts/fuzz.sh builds with the same sanitizers.
@_spi(Fuzzing) import CountNightCore
import Glibc

/// Batches are checked against both sample elections, so that the checks of
/// every contest kind (first past the post, Supplementary Vote, a block of
/// seats, areas and declarations) are reached.
nonisolated(unsafe) let elections: [Election] = ["tower-hamlets-2010", "riverside-2026"].map { name in
    // #filePath is fuzz/batch.swift in the checkout the target was built from.
    let root = String(#filePath.dropLast("fuzz/batch.swift".count))
    let path = root + "sample-feeds/" + name + "/election.json"
    guard let file = fopen(path, "rb") else { fatalError("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while case let got = fread(&buffer, 1, buffer.count, file), got > 0 { bytes += buffer[..<got] }
    guard let election = try? ElectionFile.parse(bytes) else { fatalError("\(path) does not parse") }
    return election
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The quick reading of the usual shape must give what the general one gives.
    let parsed = BatchFile.parse(bytes)
    if parsed != BatchFile.generalParse(bytes) {
        fatalError("the quick and the general reading differ: \(parsed) against \(BatchFile.generalParse(bytes))")
    }
    guard case .success(let record) = parsed else { return 0 }
    for election in elections {
        _ = BatchFile.check(record, against: election)
    }
    return 0
}
