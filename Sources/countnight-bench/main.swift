// Benchmark: how long `countnight snapshot` takes on a large feed, beside a
// plain read (open, read, close) of the same files.
//
//   swift build -c release && .build/release/countnight-bench [--boxes 100000[,N...]] [--runs 3]
//
// `countnight-bench national` times a snapshot of 650 contests after one
// batch, made whole and remaking only the contest that changed.
//
// The table adds a replay of the same feed, headless at --speed max with a
// snapshot after every batch (in every run; its median), and `replay-steps` prints the cost
// of stepping back and forward in this process.
//
// `countnight-bench contest-list` times the dashboard's list of the
// national night's 650 contests: drawn, scrolled and found by typing
// (ContestListBench.swift).
//
// `countnight-bench projection` times snapshots with their projection on
// contests of many areas, in memory. `countnight-bench entry` times
// keystrokes to a confirmed batch on screen with `countnight enter`
// (EntryBench.swift).
//
// `countnight-bench feed`, `landing` and `idle` time a live night on a
// large feed: a file landing until the dashboard shows it, the CPU of an
// idle dashboard and headless watch (LiveBench.swift).
//
// Each measurement runs in its own process, so that wall time and peak
// memory (maximum resident set size) are those of that process alone.
@_spi(Benchmark) import CountNightCore
@_spi(Benchmark) import CountNightFeed
import Foundation
import Glibc

struct Measurement {
    var seconds: Double
    var peakKiB: Int
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: countnight-bench [--boxes N[,N...] | --national] [--runs R] [--keep DIR] [--replay]\n       countnight-bench plain-read DIR\n       countnight-bench idle-poll DIR\n       countnight-bench steps DIR\n       countnight-bench phases DIR\n       countnight-bench projection\n       countnight-bench national\n       countnight-bench contest-list\n       countnight-bench replay-steps DIR\n       countnight-bench entry [--boxes N] [--runs R]\n       countnight-bench feed DIR N\n       countnight-bench landing (DIR | --boxes N [--keep DIR]) [--batches K] [--interval S]\n       countnight-bench idle (DIR | --boxes N [--keep DIR]) [--seconds S] [--interval S]\n".utf8))
    exit(64)
}

/// A clock's time now, in seconds.
func seconds(on clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func now() -> Double { seconds(on: CLOCK_MONOTONIC) }

/// Runs a program, discarding its output, and measures it.
func measure(_ program: String, _ arguments: [String]) -> Measurement {
    var pid: pid_t = 0
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let start = now()
    guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else {
        FileHandle.standardError.write(Data("cannot start \(program)\n".utf8))
        exit(2)
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let elapsed = now() - start
    if status != 0 { FileHandle.standardError.write(Data("\(program) \(arguments) exited with status \(status)\n".utf8)) }
    return Measurement(seconds: elapsed, peakKiB: usage.ru_maxrss)
}

/// Writes a line at once, so that it comes in order with what child processes print.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Writes a feed of `boxes` boxes in areas of 100, one count file per box;
/// election.json lists `spare` boxes more, with no file, for files to land into.
func makeFeed(at directory: String, boxes: Int, spare: Int = 0) throws {
    try writeElection(at: directory, boxes: boxes + spare)
    for box in 0..<boxes { writeFile(directory + "/count-\(box).json", countFile(box: box)) }
}

/// A feed of more files than election.json can list boxes (16 MiB): 100,000
/// boxes in 1,000 areas of 100, counted in `files` bundles of mixed ballots
/// (`"area"` counts with a `batch` name), as UK counts are; plus `spare`
/// boxes with no file.
func makeBundledFeed(at directory: String, files: Int, spare: Int = 0) throws {
    let boxes = 100_000, areas = boxes / 100
    try writeElection(at: directory, boxes: boxes + spare)
    var generator = SystemRandomNumberGenerator()
    for file in 0..<files {
        // Small bundles: a thousand of them in an area stay within its 200,000 electors.
        let votes = (0..<6).map { #""k\#($0)": \#(Int.random(in: 0...25, using: &generator))"# }.joined(separator: ", ")
        let body = #"{"election": "bench", "contest": "c", "kind": "count", "area": "Area \#(file % areas)", "batch": "\#(file / areas)", "votes": {\#(votes)}, "at": "2026-05-07T23:00:00+01:00"}"#
        writeFile(directory + "/bundle-\(file).json", body)
    }
}

func writeElection(at directory: String, boxes: Int) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var election = #"{"format": "countnight-feed/1", "id": "bench", "title": "Benchmark night", "contests": [{"id": "c", "system": "fptp", "candidates": ["#
    election += (0..<6).map { #"{"id": "k\#($0)", "name": "Candidate \#($0)"}"# }.joined(separator: ",")
    election += #"], "boxes": ["#
    election += (0..<boxes).map { #"{"id": "B\#($0)", "area": "Area \#($0 / 100)", "electorate": 2000}"# }.joined(separator: ",")
    election += "]}]}"
    try election.write(toFile: directory + "/election.json", atomically: false, encoding: .utf8)
}

func writeFile(_ path: String, _ body: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = body.withCString { write(fd, $0, strlen($0)) }
    close(fd)
}

/// The baseline: list the directory and open, read and close every batch file.
func plainRead(_ directory: String) {
    guard let dir = opendir(directory) else { exit(2) }
    var total = 0
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        guard name.hasSuffix(".json") else { continue }
        let fd = open(directory + "/" + name, O_RDONLY)
        while true {
            let got = read(fd, &buffer, buffer.count)
            if got <= 0 { break }
            total += got
        }
        close(fd)
    }
    closedir(dir)
    print(total)
}

/// How long a poll with nothing new takes once everything was read.
func idlePoll(_ directory: String) {
    var reader = try! FeedReader(directory: directory)
    _ = reader.poll()
    let read = reader.filesRead
    let start = now()
    let events = reader.poll()
    let elapsed = now() - start
    // A clock far ahead, so that the safety scan is due however long the first took.
    reader.clock = { WallClock.now() + 1e9 }
    let scanStart = now()
    for _ in 0..<FeedReader.pollsBetweenFullScans { _ = reader.poll() }
    let cycle = now() - scanStart
    say(String(format: "idle poll: %.3f ms, %d files read again, %d events (after %d files read); %d polls, one a full scan, %.1f ms",
               elapsed * 1000, reader.filesRead - read, events.count, read, FeedReader.pollsBetweenFullScans, cycle * 1000))
}

/// Per-file cost of each step, on one feed's files already in memory.
func steps(_ directory: String) {
    let election = try! ElectionFile.parse(Array(FileManager.default.contents(atPath: directory + "/election.json")!))
    let names = try! FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("count-") }.prefix(20_000)
    let files = names.map { ($0, Array(FileManager.default.contents(atPath: directory + "/" + $0)!)) }
    func time(_ label: String, _ body: () -> Void) {
        let start = now()
        body()
        say(String(format: "%@: %.2f µs a file", label, (now() - start) / Double(files.count) * 1e6))
    }
    time("JSON parse") { for (_, bytes) in files { _ = try? JSONParser.parse(bytes) } }
    time("record") { for (_, bytes) in files { _ = BatchFile.parse(bytes) } }
    let records = files.map { try! BatchFile.parse($0.1).get() }
    time("check") { for record in records { _ = BatchFile.check(record, against: election) } }
    let tally = Tally(election: election)
    let preparer = tally.preparer
    time("prepare") { for (name, bytes) in files { _ = preparer.prepare(file: name, bytes: bytes) } }
    let prepared = files.map { preparer.prepare(file: $0.0, bytes: $0.1) }
    var copy = tally
    time("tally read") { for version in prepared { copy.read(version) } }
    time("snapshot") { _ = copy.snapshot(time: 0).json() }
}

/// A replay in this process: loading the night, playing it to the end,
/// and stepping back and forward again, per batch.
func replaySteps(_ directory: String) {
    var start = now()
    let night = try! RecordedNight.load(directory)
    let loaded = now() - start
    var replay = night.replay
    start = now()
    replay.seek(to: night.entries.count)
    let played = now() - start
    let steps = min(1000, night.entries.count)
    start = now()
    for _ in 0..<steps { replay.stepBack() }
    let back = now() - start
    start = now()
    for _ in 0..<steps { replay.stepForward() }
    let forward = now() - start
    start = now()
    for _ in 0..<20 { _ = replay.snapshot(time: 0) }
    let snapshot = (now() - start) / 20
    say(String(format: "load %.3f s; play all %d batches %.3f s (%.1f µs a batch); %d steps back %.1f µs each, forward %.1f µs each; one snapshot %.3f ms",
               loaded, night.entries.count, played, played / Double(night.entries.count) * 1e6, steps,
               back / Double(steps) * 1e6, forward / Double(steps) * 1e6, snapshot * 1000))
}

/// CPU time of the calling thread, in seconds.
func threadCPU() -> Double { seconds(on: CLOCK_THREAD_CPUTIME_ID) }

/// The process's resident memory now, in bytes (/proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Wall time of each phase of `snapshot`, in this process.
func phases(_ directory: String) {
    var start = now()
    func lap(_ label: String) {
        let t = now()
        say(String(format: "%@: %.3f s", label, t - start))
        start = t
    }
    // Without the files read ahead while election.json is parsed: they
    // would count as election.json's, and hide part of what a version keeps.
    var reader = try! FeedReader(directory: directory, reading: .once, readingAhead: false)
    lap("election.json")
    let heapBefore = residentBytes()
    let threadBefore = threadCPU()
    _ = reader.poll()
    let merging = threadCPU() - threadBefore
    lap("first poll (every file read in it, none ahead)")
    say(String(format: "of which the polling thread's own CPU (listing, merging into the tally): %.3f s", merging))
    let heapAfter = residentBytes()
    say(String(format: "resident: %.1f MiB with election.json, %.1f MiB after the first poll: %.0f bytes for each of %d batch versions",
               Double(heapBefore) / 1048576, Double(heapAfter) / 1048576,
               Double(heapAfter - heapBefore) / Double(max(1, reader.tally.versionCount)), reader.tally.versionCount))
    let snapshot = reader.snapshot(time: 0)
    lap("snapshot")
    _ = reader.state.tally.trendHistory()
    lap("trend history (the dashboard's start)")
    _ = snapshot.json()
    lap("json")
}

/// The cost of a snapshot with its projection, for contests of more and
/// more areas and of more boxes per area: it should follow the areas.
func projectionCost() {
    say("areas | boxes | counted boxes | snapshot with projection, ms | of which projection, ms")
    say("---: | ---: | ---: | ---: | ---:")
    for (areas, perArea) in [(18, 4), (1_000, 10), (1_000, 100), (10_000, 10)] {
        let boxes = areas * perArea
        var election = #"{"format": "countnight-feed/1", "id": "bench", "title": "Projection", "contests": [{"id": "c", "system": "fptp", "candidates": ["#
        election += (0..<6).map { #"{"id": "k\#($0)", "name": "Candidate \#($0)"}"# }.joined(separator: ",")
        election += #"], "boxes": ["#
        election += (0..<boxes).map { #"{"id": "B\#($0)", "area": "Area \#($0 / perArea)", "electorate": 2000}"# }.joined(separator: ",")
        election += "]}]}"
        var tally = Tally(election: try! ElectionFile.parse(Array(election.utf8)))
        var generator = SplitMix64(seed: 1)
        for box in 0..<boxes {
            let votes = (0..<6).map { _ in Int.random(in: 0...100, using: &generator) }
            // Verified papers that agree with the count: no warnings to write.
            tally.read(file: "v\(box)", bytes: Array(#"{"contest": "c", "kind": "verification", "box": "B\#(box)", "ballotPapers": \#(votes.reduce(0, +))}"#.utf8))
            guard box % 2 == 0 else { continue }
            let fields = votes.enumerated().map { #""k\#($0.offset)": \#($0.element)"# }.joined(separator: ", ")
            tally.read(file: "c\(box)", bytes: Array(#"{"contest": "c", "kind": "count", "box": "B\#(box)", "votes": {\#(fields)}}"#.utf8))
        }
        let runs = areas >= 10_000 ? 5 : 50
        var start = now()
        for _ in 0..<runs { _ = tally.snapshot(time: 0) }
        let withProjection = (now() - start) / Double(runs)
        let snapshot = tally.snapshot(time: 0)
        start = now()
        for _ in 0..<runs { _ = tally.projections(for: snapshot) }
        let projection = (now() - start) / Double(runs)
        say(String(format: "%d | %d | %d | %.3f | %.3f", areas, boxes, (boxes + 1) / 2, withProjection * 1000, projection * 1000))
    }
}

/// A national night in memory: 650 contests ("Constituency 0" …) of 60
/// boxes, every box counted but the first box of the first contest; with
/// the maker of a box's count (random votes), for batches to come.
/// A national night: 650 contests of 60 boxes in wards of 6, five parties,
/// each box counted once.
enum NationalNight {
    static let contests = 650, boxesPerContest = 60

    static var electionJSON: String {
        var election = #"{"format": "countnight-feed/1", "id": "national", "title": "National night", "contests": ["#
        election += (0..<contests).map { contest in
            let candidates = (0..<5).map { #"{"id": "p\#($0)", "name": "Party \#($0)"}"# }.joined(separator: ",")
            let boxes = (0..<boxesPerContest).map { #"{"id": "B\#($0)", "area": "W\#($0 / 6)", "electorate": 1500}"# }.joined(separator: ",")
            return #"{"id": "c\#(contest)", "title": "Constituency \#(contest)", "system": "fptp", "candidates": [\#(candidates)], "boxes": [\#(boxes)]}"#
        }.joined(separator: ",")
        return election + "]}"
    }

    /// A box's count file: its name and its text.
    static func count(_ contest: Int, _ box: Int, using generator: inout SplitMix64) -> (file: String, body: String) {
        let votes = (0..<5).map { #""p\#($0)": \#(Int.random(in: 0...200, using: &generator))"# }.joined(separator: ", ")
        return ("c\(contest)-\(box).json", #"{"contest": "c\#(contest)", "kind": "count", "box": "B\#(box)", "votes": {\#(votes)}}"#)
    }

    /// The night as a feed on disk, every box counted.
    static func write(at directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try electionJSON.write(toFile: directory + "/election.json", atomically: false, encoding: .utf8)
        var generator = SplitMix64(seed: 3)
        for contest in 0..<contests {
            for box in 0..<boxesPerContest {
                let (file, body) = count(contest, box, using: &generator)
                writeFile(directory + "/" + file, body)
            }
        }
    }
}

/// The national night in memory, all but its first box counted, and how to
/// count a box.
func makeNationalNight() -> (state: CountState, count: (Int, Int) -> NightEntry) {
    var state = CountState(election: try! ElectionFile.parse(Array(NationalNight.electionJSON.utf8)))
    var generator = SplitMix64(seed: 3)
    func count(_ contest: Int, _ box: Int) -> NightEntry {
        let (file, body) = NationalNight.count(contest, box, using: &generator)
        return NightEntry(time: 0, file: file, change: .version(Array(body.utf8)))
    }
    for contest in 0..<NationalNight.contests {
        for box in 0..<NationalNight.boxesPerContest where !(contest == 0 && box == 0) { _ = state.apply(count(contest, box)) }
    }
    return (state, count)
}

/// The national night; then one more batch lands, and the snapshot is made
/// again, whole and by a CountState that remakes only the contest that changed.
func nationalNight() {
    let contests = NationalNight.contests, boxesPerContest = NationalNight.boxesPerContest, runs = 20
    let night = makeNationalNight()
    var state = night.state
    let count = night.count
    _ = state.snapshot(time: 0, json: true)
    var whole: [Double] = []
    var reused: [Double] = []
    var wholeJSON: [Double] = []
    var reusedJSON: [Double] = []
    for run in 0..<runs {
        var next = state
        _ = next.apply(count(run % contests, 0))
        var start = now()
        _ = next.tally.snapshot(time: 0)
        whole.append(now() - start)
        start = now()
        _ = next.tally.snapshot(time: 0).json()
        wholeJSON.append(now() - start)
        var again = next
        start = now()
        _ = next.snapshot(time: 0)
        reused.append(now() - start)
        start = now()
        _ = again.snapshot(time: 0, json: true).json()
        reusedJSON.append(now() - start)
    }
    say("contests | boxes | snapshot made whole, ms | after one batch, remaking its contest only, ms | ratio | with its JSON line, whole, ms | after one batch, ms | ratio")
    say("---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:")
    say(String(format: "%d | %d | %.2f | %.2f | %.1f | %.2f | %.2f | %.1f", contests, contests * boxesPerContest, median(whole) * 1000,
               median(reused) * 1000, median(whole) / median(reused), median(wholeJSON) * 1000, median(reusedJSON) * 1000,
               median(wholeJSON) / median(reusedJSON)))
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["national"] {
    nationalNight()
    exit(0)
}
if arguments == ["contest-list"] {
    contestListBench()
    exit(0)
}
if arguments.first == "entry" {
    var boxes = 100_000
    var entryRuns = 20
    var rest = arguments.dropFirst()
    while let option = rest.popFirst() {
        guard let value = rest.popFirst().flatMap({ Int($0) }), value >= 1 else { usage() }
        switch option {
        case "--boxes": boxes = value
        case "--runs": entryRuns = value
        default: usage()
        }
    }
    entryBench(boxes: boxes, runs: entryRuns)
    exit(0)
}
if arguments.first == "feed" {
    guard arguments.count == 3, let boxes = Int(arguments[2]), boxes >= 1 else { usage() }
    try makeLiveFeed(at: arguments[1], files: boxes)
    exit(0)
}
if arguments.first == "landing" || arguments.first == "idle" {
    Cleanup.install()
    if arguments.first == "landing" {
        // The dashboard's default poll interval (`watch --interval`).
        landingBench(BenchFeed(arguments.dropFirst(), allowed: ["--interval": 1, "--batches": 40]))
    } else {
        idleBench(BenchFeed(arguments.dropFirst(), allowed: ["--interval": 1, "--seconds": 60]))
    }
    exit(0)
}
if arguments == ["projection"] {
    projectionCost()
    exit(0)
}
/// The modes that take a feed directory and run in this process.
let modes: [String: (String) -> Void] = ["phases": phases, "steps": steps, "plain-read": plainRead, "idle-poll": idlePoll,
                                         "replay-steps": replaySteps]
if let name = arguments.first, let mode = modes[name] {
    guard arguments.count == 2 else { usage() }
    mode(arguments[1])
    exit(0)
}

var sizes = [100_000]
var runs = 3
var keep: String?
/// Whether to time a headless replay with a snapshot after every batch too
/// (long: a minute at 100,000 files).
var withReplay = false
/// Whether the feed is the national night (`NationalNight`) rather than one contest.
var national = false
var index = 0
while index < arguments.count {
    switch arguments[index] {
    case "--boxes" where index + 1 < arguments.count:
        sizes = arguments[index + 1].split(separator: ",").compactMap { Int($0) }
        if sizes.isEmpty || sizes.contains(where: { $0 < 1 }) { usage() }
        index += 2
    case "--runs" where index + 1 < arguments.count:
        guard let value = Int(arguments[index + 1]), value >= 1 else { usage() }
        runs = value
        index += 2
    case "--keep" where index + 1 < arguments.count:
        keep = arguments[index + 1]
        index += 2
    case "--replay":
        withReplay = true
        index += 1
    case "--national":
        national = true
        sizes = [NationalNight.contests * NationalNight.boxesPerContest]
        index += 1
    default:
        usage()
    }
}

// A kept feed is of one size; the national night has its own.
if (keep != nil || national) && sizes.count > 1 { usage() }

let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
let countnight = me.deletingLastPathComponent().appendingPathComponent("countnight").path
guard FileManager.default.isExecutableFile(atPath: countnight) else {
    FileHandle.standardError.write(Data("build countnight first: swift build -c release\n".utf8))
    exit(2)
}

say("batch files | plain read s | snapshot s | ratio | batches/s | plain read peak MiB | snapshot peak MiB | snapshot peak bytes a batch | replay, a snapshot a batch, s | replay / snapshot | replay peak MiB")
say("---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:")
for boxes in sizes {
    let directory = keep ?? (NSTemporaryDirectory() + "countnight-bench-\(getpid())-\(boxes)")
    // A kept feed of this size is read again as it is.
    if !FileManager.default.fileExists(atPath: directory + "/election.json") {
        if national {
            try NationalNight.write(at: directory)
            say("(the national night: \(NationalNight.contests) contests of \(NationalNight.boxesPerContest) boxes)")
        } else {
            try makeLiveFeed(at: directory, files: boxes)
        }
    }
    // Warm the page cache so that both sides read from memory.
    _ = measure(me.path, ["plain-read", directory])
    var plain: [Measurement] = []
    var snapshot: [Measurement] = []
    var replays: [Measurement] = []
    // The replay in each run too, between the others, so that its ratio to
    // `snapshot` is of medians taken over the same stretch of a noisy machine.
    for _ in 0..<runs {
        plain.append(measure(me.path, ["plain-read", directory]))
        snapshot.append(measure(countnight, ["snapshot", directory]))
        if withReplay { replays.append(measure(countnight, ["replay", directory, "--headless", "--speed", "max"])) }
    }
    let replay = replays.isEmpty ? nil : Measurement(seconds: median(replays.map(\.seconds)), peakKiB: replays.map(\.peakKiB).max()!)
    let plainSeconds = median(plain.map(\.seconds))
    let snapshotSeconds = median(snapshot.map(\.seconds))
    let plainPeak = Double(plain.map(\.peakKiB).max()!) / 1024
    let snapshotPeak = Double(snapshot.map(\.peakKiB).max()!) / 1024
    // Peak memory over the plain read's, for each batch file.
    let perBatch = (snapshotPeak - plainPeak) * 1_048_576 / Double(boxes)
    // The replay against the median `snapshot` of the same run: the issue's
    // goal is at most 3 times.
    say(String(format: "%d | %.3f | %.3f | %.2f | %.0f | %.1f | %.1f | %.0f | %@ | %@ | %@", boxes, plainSeconds, snapshotSeconds,
                 snapshotSeconds / plainSeconds, Double(boxes) / snapshotSeconds, plainPeak, snapshotPeak, perBatch,
                 replay.map { String(format: "%.1f", $0.seconds) } ?? "-", replay.map { String(format: "%.1f", $0.seconds / snapshotSeconds) } ?? "-",
                 replay.map { String(format: "%.1f", Double($0.peakKiB) / 1024) } ?? "-"))
    let steps = Process()
    steps.executableURL = me
    steps.arguments = ["replay-steps", directory]
    try steps.run()
    steps.waitUntilExit()
    let idle = Process()
    idle.executableURL = me
    idle.arguments = ["idle-poll", directory]
    try idle.run()
    idle.waitUntilExit()
    if keep == nil { try? FileManager.default.removeItem(atPath: directory) }
}
