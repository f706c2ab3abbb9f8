// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CountNight",
    products: [
        .executable(name: "countnight", targets: ["countnight"]),
        .library(name: "CountNightCore", targets: ["CountNightCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The count itself: election, batches, merging rules, snapshots. Pure values, no I/O.
        .target(name: "CountNightCore"),
        // Reading a feed directory from disk and turning it into versions for the core.
        .target(name: "CountNightFeed", dependencies: ["CountNightCore"]),
        // The dashboard drawn as a grid of styled cells: pure, tested without a terminal.
        .target(name: "CountNightUI", dependencies: ["CountNightCore"]),
        // ncursesw, the system's C library. No pkgConfig: the only flags ncursesw.pc
        // gives are -D_DEFAULT_SOURCE and -D_XOPEN_SOURCE=600, which SwiftPM refuses
        // with a warning on every build; shim.h defines what curses needs itself, and
        // the module map links ncursesw (on Debian a linker script that adds tinfo).
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that calls curses: paints grids, reads keys, runs the event loop.
        .target(name: "CountNightTerminal", dependencies: ["CountNightCore", "CountNightFeed", "CountNightUI", "CNcursesw"]),
        // The command line: thin, calls into the libraries.
        .executableTarget(
            name: "countnight",
            dependencies: [
                "CountNightCore", "CountNightFeed", "CountNightTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmark: builds a synthetic feed and times snapshot against a plain read.
        .executableTarget(
            name: "countnight-bench",
            dependencies: ["CountNightCore", "CountNightFeed", "CountNightUI", "CountNightTerminal"]),
        .testTarget(name: "CountNightCoreTests", dependencies: ["CountNightCore"]),
        .testTarget(name: "CountNightFeedTests", dependencies: ["CountNightCore", "CountNightFeed"]),
        .testTarget(name: "CountNightUITests", dependencies: ["CountNightCore", "CountNightUI"],
                    exclude: ["Golden"]),
        .testTarget(name: "CountNightTerminalTests", dependencies: ["CountNightCore", "CountNightFeed", "CountNightUI", "CountNightTerminal"]),
        .testTarget(name: "EndToEndTests", dependencies: ["countnight"]),
    ]
)
