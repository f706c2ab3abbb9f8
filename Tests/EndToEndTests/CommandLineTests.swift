import Foundation
import Testing

/// The command line as a new user meets it: --version, --help, completion,
/// the man page, mistakes on the command line, and how headless runs stop
/// and start.
@Suite(.serialized) struct CommandLineTests {
    @Test func versionIsPrintedAndExitsZero() throws {
        let (status, out, _) = try RunningCommand.run(["--version"])
        #expect(status == 0)
        #expect(out.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(out)")
        let (_, sub, _) = try RunningCommand.run(["watch", "--version"])
        #expect(sub == out)
    }

    @Test func speedDefaultsReadAsNumbers() throws {
        for command in ["replay", "rehearse"] {
            let (status, out, _) = try RunningCommand.run([command, "--help"], environment: ["COLUMNS": "80"])
            #expect(status == 0)
            #expect(!out.contains("ReplaySpeed"))
            #expect(!out.contains("Optional"))
            // The default may be wrapped onto the next line at 80 columns.
            #expect(out.replacingOccurrences(of: "\n", with: " ").range(of: #"\(default:\s+60\)"#, options: .regularExpression) != nil, "\(out)")
        }
    }

    /// Every example in every --help is whole at 80 columns: an example line
    /// is followed by a blank line or an indented continuation, never by the
    /// end of its own command wrapped to the left margin.
    @Test func helpExamplesDoNotWrapAt80Columns() throws {
        for command in ["", "watch", "snapshot", "check", "replay", "rehearse", "calibrate", "enter"] {
            let (status, out, _) = try RunningCommand.run(command.isEmpty ? ["--help"] : [command, "--help"], environment: ["COLUMNS": "80"])
            #expect(status == 0)
            let lines = out.components(separatedBy: "\n")
            var examples = 0
            for (index, line) in lines.enumerated() where line.hasPrefix("  countnight ") {
                examples += 1
                #expect(line.count <= 80, "\(command): \(line)")
                var next = index + 1
                while line.hasSuffix("\\"), next < lines.count, lines[next].hasPrefix("      ") {
                    #expect(lines[next].count <= 80)
                    next += 1
                }
                if next < lines.count {
                    let following = lines[next]
                    #expect(following.isEmpty || following.hasPrefix("  countnight "), "\(command): example wrapped: \(line) / \(following)")
                }
            }
            if !command.isEmpty { #expect(examples > 0, "\(command) has no example") }
        }
    }

    @Test func aNegativeIntervalOrSpeedSaysItMustBePositive() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        let (status, _, err) = try RunningCommand.run(["watch", feed.path, "--headless", "--interval", "-1"])
        #expect(status == 64)
        #expect(err.contains("--interval must be a positive number of seconds, from 0.01 to 3600, not -1"), "\(err)")
        #expect(!err.contains("Missing value"))

        let (speedStatus, _, speedErr) = try RunningCommand.run(["replay", RunningCommand.sample, "--headless", "--speed", "-5"])
        #expect(speedStatus == 64)
        #expect(speedErr.contains("'-5' is invalid for '--speed"), "\(speedErr)")
        #expect(!speedErr.contains("Missing value"))
    }

    @Test func helpForAnUnknownCommandNamesItAndExits64() throws {
        let (status, out, err) = try RunningCommand.run(["help", "bogus"])
        #expect(status == 64)
        #expect(out.isEmpty)
        #expect(err.contains("no command named 'bogus'"))
        #expect(err.contains("watch"))
        let (known, watchHelp, _) = try RunningCommand.run(["help", "watch"])
        #expect(known == 0)
        #expect(watchHelp.contains("USAGE: countnight watch"))
    }

    /// Bash completes a feed with directories only, and a replay's source
    /// with files too (a journal or a feed), run as bash runs it.
    @Test func bashCompletesFeedsWithDirectoriesAndSourcesWithFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-completion-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("feedA"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: folder.appendingPathComponent("night.journal"))
        let script = """
            cd '\(folder.path)'
            source <('\(RunningCommand.binary)' --generate-completion-script bash)
            for command in watch replay; do
              COMP_WORDS=(countnight $command ""); COMP_CWORD=2; COMP_LINE="countnight $command "; COMP_POINT=${#COMP_LINE}
              COMPREPLY=()
              _countnight countnight "" $command 2>/dev/null
              echo "$command: ${COMPREPLY[*]}"
            done
            """
        let shell = try bashOutput(script)
        #expect(shell.contains("watch: feedA\n"), "\(shell)")
        let replayLine = shell.components(separatedBy: "\n").first { $0.hasPrefix("replay:") } ?? ""
        #expect(replayLine.contains("night.journal") && replayLine.contains("feedA"), "\(shell)")
    }

    @Test func zshAndFishCompleteFeedsWithDirectories() throws {
        let (_, zsh, _) = try RunningCommand.run(["--generate-completion-script", "zsh"])
        #expect(zsh.contains("':feed:_files -/'"))
        #expect(zsh.contains(":source:_files'"))
        let (_, fish, _) = try RunningCommand.run(["--generate-completion-script", "fish"])
        #expect(fish.contains(#"positional "countnight watch" -eq 1' -fa '(__countnight_complete_directories)'"#))
        #expect(fish.contains(#"positional "countnight replay" -eq 1' -F"#))
    }

    /// docs/man/countnight.1 is generated from the same definitions; every
    /// option a command's --help lists is in it (regenerate it when not).
    @Test func theManPageHasEveryOption() throws {
        let man = try String(contentsOfFile: RunningCommand.projectRoot.appendingPathComponent("docs/man/countnight.1").path, encoding: .utf8)
        for command in ["watch", "snapshot", "check", "replay", "rehearse", "calibrate", "enter"] {
            #expect(man.contains(command), "\(command) missing from the man page")
            let (_, help, _) = try RunningCommand.run([command, "--help"])
            let options = Set(help.matches(of: /\s--([a-z-]+)/).map { String($0.1) })
            for option in options where option != "help" && option != "version" {
                #expect(man.contains("Fl -\(option)"), "--\(option) of \(command) missing from docs/man/countnight.1")
            }
        }
    }

    @Test func sighupStopsHeadlessModeWithZeroAfterTheLastLine() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.1"])
        #expect(watch.wait { watch.stdoutLines.count >= 1 })
        watch.signal(SIGHUP)
        #expect(watch.finish() == 0)
        #expect(watch.stdout.hasSuffix("}\n"))

        let replay = try RunningCommand(["replay", RunningCommand.sample, "--headless", "--speed", "1"])
        #expect(replay.wait { replay.stdoutLines.count >= 1 })
        replay.signal(SIGHUP)
        #expect(replay.finish() == 0)
    }

    /// A venue starts its screens before the count's folder exists: headless
    /// waits, says so once, and starts when election.json appears.
    @Test func headlessWaitsForTheFeedDirectoryAndItsElection() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-wait-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: base) }
        let feed = base.appendingPathComponent("feed")
        let watch = try RunningCommand(["watch", feed.path, "--headless", "--interval", "0.05"])
        defer { watch.terminate() }
        #expect(watch.wait { watch.stderr.contains("waiting for the feed directory \(feed.path)") })
        Thread.sleep(forTimeInterval: 0.3)
        try FileManager.default.createDirectory(at: feed, withIntermediateDirectories: true)
        #expect(watch.wait { watch.stderr.contains("waiting for election.json in \(feed.path)") })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(watch.stdout.isEmpty)
        // Half written first: said, and waited on, not fatal.
        try Data("{\"format\": ".utf8).write(to: feed.appendingPathComponent("election.json"))
        #expect(watch.wait { watch.stderr.contains("waiting for it to be usable") })
        try Data(ScratchFeed.twoBoxes.utf8).write(to: feed.appendingPathComponent("election.json"))
        #expect(watch.wait { watch.stdoutLines.count >= 1 })
        let snapshot = try snapshotObject(watch.stdoutLines[0])
        #expect(snapshot["election"] as? String == "e2e")
        watch.signal(SIGTERM)
        #expect(watch.finish() == 0)
        // Each wait said once, however many looks it took.
        #expect(watch.stderr.components(separatedBy: "waiting for the feed directory").count == 2, "\(watch.stderr)")
        #expect(watch.stderr.components(separatedBy: "waiting for election.json").count == 2, "\(watch.stderr)")
    }

    @Test func aFeedThatCanNeverWorkIsRefusedAtOnce() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("countnight-notdir-" + UUID().uuidString)
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        for arguments in [["watch", file.path, "--headless"], ["watch", file.path + "/feed", "--headless"]] {
            let (status, out, err) = try RunningCommand.run(arguments)
            #expect(status == 2, "\(arguments)")
            #expect(out.isEmpty)
            #expect(err.contains("Not a directory"), "\(err)")
        }
        // A feed with an invalid election.json at start is refused, as before.
        let feed = try ScratchFeed(election: "{\"format\": ")
        let (status, _, err) = try RunningCommand.run(["watch", feed.path, "--headless"])
        #expect(status == 2)
        #expect(err.contains("election.json"))
    }

    @Test func checkListsFilesIgnoredForTheirUpperCaseName() throws {
        let feed = try ScratchFeed(election: ScratchFeed.twoBoxes)
        try feed.land("b1.json", ScratchFeed.count("B1", a: 120, b: 80))
        try feed.land("b2.JSON", ScratchFeed.count("B2", a: 10, b: 90))
        try feed.land("ELECTION.JSON", ScratchFeed.twoBoxes)
        let (status, out, err) = try RunningCommand.run(["check", feed.path])
        #expect(status == 1)
        #expect(out == """
            ELECTION.JSON: ignored: the election file is read only as election.json, in lower case
            b2.JSON: ignored: only names ending in .json (lower case) are read; rename it to end in .json to count it

            """)
        #expect(err.contains("2 ignored"))
        // Counted as it is: only b1.
        let (_, snapshot, _) = try RunningCommand.run(["snapshot", feed.path])
        #expect(votes(contest(try snapshotObject(snapshot))) == ["a": 120, "b": 80])
    }
}

/// Runs a bash script and returns what it printed (to the end of its output).
func bashOutput(_ script: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    return String(decoding: data, as: UTF8.self)
}
