/// The version `countnight --version` prints: changed here only, when a release is made.
enum CountNightVersion {
    static let string = "0.9.0"
}
