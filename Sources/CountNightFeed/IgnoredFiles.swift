import CountNightCore

/// Files in a feed directory that look meant for the count but are not read,
/// so that `check` can name them: only names ending in `.json` in lower case
/// are batch files (`FeedReader.isBatchFileName`), and a `count-7.JSON` from
/// a system that writes upper case would otherwise be left out in silence.
public enum IgnoredFiles {
    /// Why `name` is not read although it ends in .json in another case;
    /// nil for every other name (dot- and ~-names are a writer's temporary
    /// files, left out on purpose).
    public static func reason(_ name: String) -> String? {
        guard !name.hasPrefix("."), !name.hasPrefix("~") else { return nil }
        guard name.lowercased().hasSuffix(".json"), !name.hasSuffix(".json") else { return nil }
        if name.lowercased() == ElectionFile.name {
            return "ignored: the election file is read only as \(ElectionFile.name), in lower case"
        }
        return "ignored: only names ending in .json (lower case) are read; rename it to end in .json to count it"
    }

    /// Every such file in `directory`, by name, with its reason.
    public static func list(_ directory: String) -> [(file: String, reason: String)] {
        let names = (try? directoryNames(directory)) ?? []
        return names.sorted().compactMap { name in reason(name).map { (name, $0) } }
    }
}
