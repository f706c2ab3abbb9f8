/// How an entry in progress and a resolution are kept as JSON, one file each.
public enum EntryFile {
    public static func encode(_ entry: Entry, single: Bool) -> [UInt8] {
        var json = JSONWriter()
        json.object { o in
            target(entry.target, into: &o)
            o.key("role"); o.string(entry.role.rawValue)
            o.key("operator"); o.string(entry.operator)
            o.key("figures")
            o.object { f in for key in entry.figures.keys.sorted() { f.key(escaping: key); f.int(entry.figures[key]!) } }
            if let reason = entry.reason { o.key("reason"); o.string(reason) }
            o.key("complete"); o.bool(entry.complete)
            if single { o.key("single"); o.bool(true) }
            if let at = entry.at { o.key("at"); o.string(RFC3339.formatMilliseconds(at)) }
        }
        return Array((json.text + "\n").utf8)
    }

    /// An entry and whether it was handed in under `--single`.
    public static func decodeEntry(_ bytes: [UInt8]) -> Result<(entry: Entry, single: Bool), FieldError> {
        do throws(FieldError) {
            let fields = try reader(bytes)
            let target = try readTarget(fields)
            guard let role = EntryRole(rawValue: try fields.requiredString("role")) else {
                throw FieldError(path: "role", message: "is neither \"first\" nor \"second\"")
            }
            var figures: [String: Int] = [:]
            for item in try fields.map("figures")?.entries ?? [] {
                // Kept as typed: a negative figure is refused when the batch is checked.
                figures[item.key] = try FieldReader.integer(item.value, at: "figures.\(item.key)", in: Int.min...Int.max)
            }
            let entry = Entry(target: target, role: role, operator: try fields.requiredString("operator"), figures: figures,
                              reason: try fields.string("reason"), complete: try fields.bool("complete") ?? false,
                              at: try fields.string("at").flatMap(RFC3339.parse))
            return .success((entry, try fields.bool("single") ?? false))
        } catch {
            return .failure(error)
        }
    }

    public static func encode(_ resolution: Resolution, of target: EntryTarget) -> [UInt8] {
        var json = JSONWriter()
        json.object { o in
            self.target(target, into: &o)
            o.key("operator"); o.string(resolution.operator)
            switch resolution.choice {
            case .first: o.key("choice"); o.string("first")
            case .second: o.key("choice"); o.string("second")
            case .reentered(let figures):
                o.key("choice"); o.string("reentered")
                o.key("figures")
                o.object { f in for key in figures.keys.sorted() { f.key(escaping: key); f.int(figures[key]!) } }
            }
            if let at = resolution.at { o.key("at"); o.string(RFC3339.formatMilliseconds(at)) }
        }
        return Array((json.text + "\n").utf8)
    }

    public static func decodeResolution(_ bytes: [UInt8]) -> Result<Resolution, FieldError> {
        do throws(FieldError) {
            let fields = try reader(bytes)
            let choice: Resolution.Choice
            switch try fields.requiredString("choice") {
            case "first": choice = .first
            case "second": choice = .second
            case "reentered":
                var figures: [String: Int] = [:]
                for item in try fields.map("figures")?.entries ?? [] {
                    figures[item.key] = try FieldReader.integer(item.value, at: "figures.\(item.key)", in: Int.min...Int.max)
                }
                choice = .reentered(figures)
            case let other: throw FieldError(path: "choice", message: "\"\(other)\" is not first, second or reentered")
            }
            return .success(Resolution(operator: try fields.requiredString("operator"), choice: choice,
                                       at: try fields.string("at").flatMap(RFC3339.parse)))
        } catch {
            return .failure(error)
        }
    }

    private static func target(_ target: EntryTarget, into o: inout JSONWriter) {
        o.key("contest"); o.string(target.contest)
        o.key("kind"); o.string(target.kind.rawValue)
        o.key("box"); o.string(target.box)
        o.key("revision"); o.int(target.revision)
    }

    private static func readTarget(_ fields: FieldReader) throws(FieldError) -> EntryTarget {
        let kindName = try fields.requiredString("kind")
        guard let kind = Batch.Kind(rawValue: kindName), kind == .verification || kind == .count else {
            throw FieldError(path: "kind", message: "\"\(kindName)\" is not verification or count")
        }
        return EntryTarget(contest: try fields.requiredString("contest"), kind: kind, box: try fields.requiredString("box"),
                           revision: try fields.integer("revision", in: 1...BatchFile.maxFigure) ?? 1)
    }

    private static func reader(_ bytes: [UInt8]) throws(FieldError) -> FieldReader {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw FieldError(path: "", message: "not valid JSON: \(error)")
        }
        return try FieldReader(value, path: "")
    }
}
