import CountNightCore

/// One box as the entry list shows it: its state in the feed and where the
/// double entry of each kind stands.
public struct EntryBoxRow: Equatable, Sendable {
    public let contest: String
    public let box: String
    public let area: String
    public let feedState: BoxRow.State
    public let verifiedPapers: Int?
    /// Where the verification's and the count's entries stand, in words
    /// (`2nd needed (alice)`, `MISMATCH 2`, `written r1`, `single r1 (erin)`).
    public let verification: String
    public let count: String

    public init(contest: String, box: String, area: String, feedState: BoxRow.State, verifiedPapers: Int?,
                verification: String, count: String) {
        self.contest = contest
        self.box = box
        self.area = area
        self.feedState = feedState
        self.verifiedPapers = verifiedPapers
        self.verification = verification
        self.count = count
    }

    /// The words for where one target's entries stand, for the list.
    public static func words(_ phase: EntryPhase?, written: Int?) -> String {
        switch phase {
        case nil, .open?: return written.map { "written r\($0)" } ?? "-"
        case .firstUnderWay(let by)?: return "1st typing (\(by))"
        case .secondNeeded(let by)?: return "2nd needed (\(by))"
        case .bothUnderWay(let a, let b)?: return "typing (\(a), \(b))"
        case .mismatch(let fields)?: return "MISMATCH \(fields.count)"
        case .agreed?, .resolved?: return written.map { "written r\($0)" } ?? "agreed"
        case .single(let by)?: return "single (\(by))"
        }
    }
}

/// Everything the entry screen shows, gathered at the edge.
public struct EntryScreenModel: Equatable, Sendable {
    public var election: Election
    public var operatorName: String
    public var single: Bool
    public var rows: [EntryBoxRow]
    /// Boxes with entries not yet written as a batch.
    public var pending: Int
    public var clock: String
    /// The entry log's newest lines, newest last.
    public var log: [String]
    /// Files of the entry folder that cannot be read, with the reason.
    public var problems: [String] = []

    public init(election: Election, operatorName: String, single: Bool, rows: [EntryBoxRow], pending: Int,
                clock: String = "", log: [String] = []) {
        self.election = election
        self.operatorName = operatorName
        self.single = single
        self.rows = rows
        self.pending = pending
        self.clock = clock
        self.log = log
    }
}

/// A sheet being typed: a first or second entry, or the differing fields
/// typed again by the person resolving a mismatch.
public struct EntryFormState: Equatable, Sendable {
    public let target: EntryTarget
    /// nil while resolving.
    public let role: EntryRole?
    public let form: EntryForm
    /// The indexes in `form.fields` typed here, in order.
    public let fields: [Int]
    /// Confirmed figures, by field key.
    public var values: [String: Int]
    /// The field being typed; `fields.count` once every field is typed
    /// (asking to hand in); -1 while typing the reason of a correction.
    public var current: Int
    public var buffer = ""
    public var reason: String?
    /// For the live checks.
    public let verifiedPapers: Int?
    public let usualSize: Int?

    public init(target: EntryTarget, role: EntryRole?, form: EntryForm, fields: [Int]? = nil, values: [String: Int] = [:],
                reason: String? = nil, needsReason: Bool = false, verifiedPapers: Int? = nil, usualSize: Int? = nil) {
        self.target = target
        self.role = role
        self.form = form
        self.fields = fields ?? Array(form.fields.indices)
        self.values = values
        self.reason = reason
        self.verifiedPapers = verifiedPapers
        self.usualSize = usualSize
        // Carry on at the first field not yet confirmed.
        current = self.fields.firstIndex { values[form.fields[$0].key] == nil } ?? self.fields.count
        if needsReason && (reason ?? "").isEmpty {
            current = -1
            buffer = reason ?? ""
        }
    }

    /// The figures typed, with the field being typed when it reads as a number.
    public var figuresWithBuffer: [String: Int] {
        var figures = values
        if current >= 0, current < fields.count, let value = Int(buffer) { figures[form.fields[fields[current]].key] = value }
        return figures
    }
}

/// A mismatch shown to the person resolving it.
public struct EntryMismatchState: Equatable, Sendable {
    public let target: EntryTarget
    public let form: EntryForm
    public let first: Entry
    public let second: Entry
    public let differing: [EntryField]

    public init(target: EntryTarget, form: EntryForm, first: Entry, second: Entry, differing: [EntryField]) {
        self.target = target
        self.form = form
        self.first = first
        self.second = second
        self.differing = differing
    }
}

/// What the person at the entry screen has chosen.
public struct EntryViewState: Equatable, Sendable {
    public enum Mode: Equatable, Sendable {
        case list
        case form(EntryFormState)
        case mismatch(EntryMismatchState)
    }

    public var mode: Mode = .list
    public var filter = ""
    /// The chosen row, of the rows the filter leaves.
    public var selected = 0
    /// The kind Enter opens: verification or count.
    public var kind: Batch.Kind = .verification
    /// The outcome of the last action, and whether it is a problem.
    public var message: String?
    public var messageIsProblem = false

    public init() {}

    public mutating func say(_ text: String, problem: Bool = false) {
        message = text
        messageIsProblem = problem
    }
}

/// What a key asks the shell to do.
public enum EntryAction: Equatable, Sendable {
    case none
    case quit
    /// Open a box's sheet of a kind: the shell finds the role and claims it.
    case open(contest: String, box: String, kind: Batch.Kind)
    /// Keep what is confirmed so far.
    case save(EntryFormState)
    /// Every field confirmed: hand the entry in.
    case handIn(EntryFormState)
    /// Settle a mismatch.
    case resolve(EntryTarget, Resolution.Choice)
}

/// The entry screen: keys to state and actions, and state to a grid.
public enum EntryScreen {
    public static func filteredRows(_ model: EntryScreenModel, _ state: EntryViewState) -> [EntryBoxRow] {
        let filter = state.filter.lowercased()
        guard !filter.isEmpty else { return model.rows }
        return model.rows.filter { $0.box.lowercased().contains(filter) || $0.area.lowercased().contains(filter) }
    }

    static func isBackspace(_ key: Key) -> Bool { key == .character("\u{7f}") || key == .character("\u{8}") }

    /// Applies a key.
    public static func apply(_ key: Key, to state: inout EntryViewState, _ model: EntryScreenModel) -> EntryAction {
        switch state.mode {
        case .list: return applyList(key, &state, model)
        case .form(var form):
            let action = applyForm(key, &form, &state, model)
            if case .form = state.mode { state.mode = .form(form) }
            return action
        case .mismatch(let mismatch):
            switch key {
            case .character("1"): return .resolve(mismatch.target, .first)
            case .character("2"): return .resolve(mismatch.target, .second)
            case .character("r"), .character("R"):
                let indexes = mismatch.differing.compactMap { field in mismatch.form.fields.firstIndex(of: field) }
                state.mode = .form(EntryFormState(target: mismatch.target, role: nil, form: mismatch.form, fields: indexes,
                                                  values: [:]))
                state.say("Type the differing fields again from the sheet.")
                return .none
            case .escape:
                state.mode = .list
                return .none
            default: return .none
            }
        }
    }

    private static func applyList(_ key: Key, _ state: inout EntryViewState, _ model: EntryScreenModel) -> EntryAction {
        let rows = filteredRows(model, state)
        switch key {
        case .up: state.selected = max(0, state.selected - 1)
        case .down: state.selected = min(max(0, rows.count - 1), state.selected + 1)
        case .pageUp: state.selected = max(0, state.selected - 10)
        case .pageDown: state.selected = min(max(0, rows.count - 1), state.selected + 10)
        case .home: state.selected = 0
        case .end: state.selected = max(0, rows.count - 1)
        case .tab, .backTab, .left, .right: state.kind = state.kind == .verification ? .count : .verification
        case .escape:
            if state.filter.isEmpty { return .quit }
            state.filter = ""
            state.selected = 0
        case .enter:
            guard state.selected < rows.count else { return .none }
            let row = rows[state.selected]
            return .open(contest: row.contest, box: row.box, kind: state.kind)
        case .character(let character) where isBackspace(key) || character == "\u{15}":
            // Backspace takes a character off the filter; Ctrl-U clears it.
            state.filter = character == "\u{15}" ? "" : String(state.filter.dropLast())
            state.selected = 0
        case .character(let character) where !character.isNewline && character.unicodeScalars.allSatisfy({ $0.value >= 0x20 }):
            state.filter.append(character)
            state.selected = 0
        default: break
        }
        return .none
    }

    private static func applyForm(_ key: Key, _ form: inout EntryFormState, _ state: inout EntryViewState, _ model: EntryScreenModel) -> EntryAction {
        if form.current == -1 {
            switch key {
            case .enter:
                let reason = String(form.buffer.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
                guard !reason.isEmpty else {
                    state.say("A correction needs its reason: type why the box is entered again.", problem: true)
                    return .none
                }
                form.reason = reason
                form.current = form.fields.firstIndex { form.values[form.form.fields[$0].key] == nil } ?? form.fields.count
                form.buffer = ""
                return .save(form)
            case .escape:
                state.mode = .list
                return .none
            case .character(let character) where isBackspace(key) || character == "\u{15}":
                form.buffer = character == "\u{15}" ? "" : String(form.buffer.dropLast())
            case .character(let character) where character.unicodeScalars.allSatisfy({ $0.value >= 0x20 }):
                form.buffer.append(character)
            default: break
            }
            return .none
        }
        switch key {
        case .escape:
            state.mode = .list
            state.say("Left \(form.target.label); what was confirmed is kept.")
            return .none
        case .character(let character) where character.isASCII && (character.isNumber || (character == "-" && form.buffer.isEmpty)):
            guard form.current < form.fields.count, form.buffer.count < 10 else { return .none }
            form.buffer.append(character)
        case .character(let character) where isBackspace(key) || character == "\u{15}":
            form.buffer = character == "\u{15}" ? "" : String(form.buffer.dropLast())
        case .up, .backTab:
            guard form.current > 0 else { return .none }
            form.current -= 1
            form.buffer = form.values[form.form.fields[form.fields[form.current]].key].map(String.init) ?? ""
        case .down:
            guard form.current < form.fields.count,
                  form.values[form.form.fields[form.fields[form.current]].key] != nil else { return .none }
            form.current += 1
            form.buffer = form.current < form.fields.count ? form.values[form.form.fields[form.fields[form.current]].key].map(String.init) ?? "" : ""
        case .enter, .tab:
            if form.current >= form.fields.count {
                let notices = notices(form, model)
                if EntryChecks.blocks(notices) {
                    state.say("Cannot hand in: \(notices.first { $0.severity == .blocking }!.message)", problem: true)
                    return .none
                }
                return .handIn(form)
            }
            guard let value = Int(form.buffer) else {
                state.say("Type the figure from the sheet (0 when there are none), then Enter.", problem: true)
                return .none
            }
            form.values[form.form.fields[form.fields[form.current]].key] = value
            form.current += 1
            form.buffer = form.current < form.fields.count ? form.values[form.form.fields[form.fields[form.current]].key].map(String.init) ?? "" : ""
            state.message = nil
            return form.role == nil ? .none : .save(form)
        default: break
        }
        return .none
    }

    /// The live checks of a form as it stands.
    public static func notices(_ form: EntryFormState, _ model: EntryScreenModel) -> [EntryNotice] {
        // While resolving, the fields not typed again are the agreed ones: judged with them.
        EntryChecks.notices(form.target, figures: form.figuresWithBuffer, form: form.form, election: model.election,
                            verifiedPapers: form.verifiedPapers, usualSize: form.usualSize)
    }

    // MARK: Rendering

    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// The screen, its symbols and styles from `theme` (chosen when the terminal starts).
    public static func render(_ model: EntryScreenModel, _ state: EntryViewState, theme: Theme = Theme(), width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height, ascii: !theme.glyphs.isUnicode)
        guard width >= minimumWidth, height >= minimumHeight else {
            grid.put(String("Need \(minimumWidth)\(theme.glyphs.times)\(minimumHeight), now \(width)\(theme.glyphs.times)\(height). countnight enter: enlarge the terminal.".prefix(width)), x: 0, y: 0, style: .bold)
            return grid
        }
        // Single entry before the title, which is cut first on a narrow screen.
        let dot = theme.glyphs.dot
        let title = " CountNight enter \(dot) operator \(model.operatorName)\(model.single ? " \(dot) SINGLE ENTRY" : "") \(dot) \(model.election.title)"
        let right = "\(model.election.rehearsal ? "REHEARSAL \(dot) " : "")\(model.pending) pending  \(model.clock) "
        let style = model.election.rehearsal ? theme.styles.rehearsal : theme.styles.header
        grid.fill(y: 0, style: style)
        grid.put(DisplayWidth.truncate(title, to: width - DisplayWidth.of(right) - 1, glyphs: theme.glyphs), x: 0, y: 0, style: style)
        grid.put(right, x: width - DisplayWidth.of(right), y: 0, style: style)
        switch state.mode {
        case .list: renderList(&grid, model, state, theme.glyphs)
        case .form(let form): renderForm(&grid, model, state, form, theme.glyphs)
        case .mismatch(let mismatch): renderMismatch(&grid, state, mismatch, theme.glyphs)
        }
        if let message = state.message {
            // Up to two rows above the key legend: an outcome is read in full.
            let lines = wrap(message, width: width - 2)
            for (offset, line) in lines.suffix(2).enumerated() {
                let y = height - 1 - min(2, lines.count) + offset
                grid.fill(y: y, style: .plain)
                grid.put(" " + line, x: 0, y: y, style: state.messageIsProblem ? .reverse : .bold)
            }
        }
        return grid
    }

    /// Words laid into lines of at most `width` columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && DisplayWidth.of(line) + 1 + DisplayWidth.of(String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { DisplayWidth.truncate($0, to: width) }
    }

    static func footer(_ grid: inout Grid, _ text: String) {
        let y = grid.height - 1
        grid.fill(y: y, style: .reverse)
        grid.put(DisplayWidth.truncate(text, to: grid.width), x: 0, y: y, style: .reverse)
    }

    private static func renderList(_ grid: inout Grid, _ model: EntryScreenModel, _ state: EntryViewState, _ glyphs: Glyphs) {
        let rows = filteredRows(model, state)
        let width = grid.width
        grid.put(" Filter: \(state.filter)", x: 0, y: 1, style: .bold)
        let cursor = glyphs.cursor
        grid.put(cursor, x: 9 + DisplayWidth.of(state.filter), y: 1, style: .bold)
        let summary = "\(rows.count) of \(model.rows.count) boxes "
        grid.put(summary, x: width - DisplayWidth.of(summary), y: 1)
        // Columns: the entry columns take what the box, area and feed leave.
        let boxW = 8, feedW = 10, papersW = 6
        let entryW = 19
        let areaW = max(8, width - 2 - boxW - feedW - papersW - 2 * entryW - 5)
        func line(_ cells: [(String, Int, Bool)]) -> String {
            cells.map { $0.2 ? DisplayWidth.padLeft($0.0, to: $0.1) : DisplayWidth.padRight(DisplayWidth.truncate($0.0, to: $0.1, glyphs: glyphs), to: $0.1) }
                .joined(separator: " ")
        }
        let verificationHeader = state.kind == .verification ? "[Verification]" : "Verification"
        let countHeader = state.kind == .count ? "[Count]" : "Count"
        grid.put("  " + line([("Box", boxW, false), ("Area", areaW, false), ("Feed", feedW, false), ("Papers", papersW, true),
                              (verificationHeader, entryW, false), (countHeader, entryW, false)]), x: 0, y: 2, style: .bold)
        let top = 3
        let visible = grid.height - 2 - top
        let first = max(0, min(state.selected - visible / 2, rows.count - visible))
        for (offset, row) in rows.dropFirst(first).prefix(visible).enumerated() {
            let index = first + offset
            let chosen = index == state.selected
            let marker = chosen ? glyphs.marker + " " : "  "
            let text = marker + line([(row.box, boxW, false), (row.area, areaW, false), (row.feedState.rawValue, feedW, false),
                                      (row.verifiedPapers.map(Format.grouped) ?? "-", papersW, true),
                                      (row.verification, entryW, false), (row.count, entryW, false)])
            grid.put(text, x: 0, y: top + offset, style: chosen ? .bold : .plain)
            if chosen { grid.restyle(x: 2, y: top + offset, count: width - 2) { $0.reverse = true } }
            for (column, words) in [(2 + boxW + areaW + feedW + papersW + 4, row.verification), (2 + boxW + areaW + feedW + papersW + 5 + entryW, row.count)]
            where words.hasPrefix("MISMATCH") {
                grid.restyle(x: column, y: top + offset, count: DisplayWidth.of(words)) { $0.bold = true; $0.reverse.toggle() }
            }
        }
        if rows.isEmpty {
            grid.put("  No box or area matches \"\(state.filter)\". Backspace or Esc clears the filter.", x: 0, y: top)
        }
        if state.message == nil, let problem = model.problems.first {
            grid.put(DisplayWidth.truncate(" CANNOT READ " + problem, to: width, glyphs: glyphs), x: 0, y: grid.height - 2, style: .reverse)
        } else if state.message == nil, let last = model.log.last {
            // The newest line of the entry log: what the other terminals did.
            grid.put(DisplayWidth.truncate(" " + last, to: width, glyphs: glyphs), x: 0, y: grid.height - 2, style: .dim)
        }
        let arrows = glyphs.arrows
        footer(&grid, " type to filter  \(arrows) choose  Tab kind  Enter open  Esc clear/quit")
    }

    private static func renderForm(_ grid: inout Grid, _ model: EntryScreenModel, _ state: EntryViewState, _ form: EntryFormState, _ glyphs: Glyphs) {
        let width = grid.width
        let target = form.target
        let area = model.election.contests.first { $0.id == target.contest }.flatMap { contest in
            contest.boxIndex(target.box).flatMap { contest.boxes[$0].area }
        }
        let who: String
        switch form.role {
        case .first?: who = "FIRST ENTRY"
        case .second?: who = "SECOND ENTRY"
        case nil: who = "RESOLVING"
        }
        let dot = glyphs.dot
        let heading = " Box \(target.box)\(area.map { " (\($0))" } ?? "") \(dot) \(target.kind == .verification ? "verification" : "count") \(dot) r\(target.revision) \(dot) \(who)"
        grid.put(DisplayWidth.truncate(heading, to: width, glyphs: glyphs), x: 0, y: 1, style: .bold)
        var y = 2
        if form.current == -1 || form.reason != nil {
            let reasonText = form.current == -1 ? form.buffer : (form.reason ?? "")
            grid.put(" Reason for the correction: " + reasonText, x: 0, y: y, style: form.current == -1 ? .reverse : .plain)
            y += 1
        }
        let notices = form.current == -1 ? [] : notices(form, model)
        let marked = notices.flatMap { notice in
            let mark = notice.severity == .blocking ? glyphs.blocking + " " : "! "
            return wrap(mark + notice.message, width: width - 4).prefix(2).enumerated().map { ($0.offset == 0 ? $0.element : "  " + $0.element, notice.severity) }
        }
        let noticeRows = min(marked.count, 5)
        let visible = max(1, grid.height - 2 - y - 2 - noticeRows)
        let first = max(0, min(form.current - visible + 2, form.fields.count - visible))
        let labelW = width - 20
        for (offset, fieldIndex) in form.fields.enumerated().dropFirst(first).prefix(visible) {
            let field = form.form.fields[fieldIndex]
            let isCurrent = offset == form.current
            let shown: String
            if isCurrent {
                shown = form.buffer + (glyphs.cursor)
            } else {
                shown = form.values[field.key].map(Format.grouped) ?? glyphs.untyped
            }
            let label = DisplayWidth.padRight(DisplayWidth.truncate(form.form.labels[fieldIndex], to: labelW - 3, glyphs: glyphs), to: labelW - 3)
            grid.put("   " + label + " " + DisplayWidth.padLeft(shown, to: 12), x: 0, y: y, style: isCurrent ? .reverse : .plain)
            if isCurrent { grid.put(" " + glyphs.marker, x: 0, y: y, style: .reverse) }
            y += 1
        }
        if form.current >= form.fields.count {
            grid.put(" Every field is typed. Enter hands the entry in; \(glyphs.up) goes back to a field.", x: 0, y: y, style: .bold)
        }
        y += 1
        if target.kind == .count {
            let figures = form.figuresWithBuffer
            let votes = form.form.fields.filter { if case .votes = $0 { true } else { false } }.reduce(0) { $0 + (figures[$1.key] ?? 0) }
            let rejected = form.form.fields.filter { if case .rejected = $0 { true } else { false } }.reduce(0) { $0 + (figures[$1.key] ?? 0) }
            var sums = " Votes \(Format.grouped(votes)) + rejected \(Format.grouped(rejected)) = \(Format.grouped(votes + rejected))"
            if let verified = form.verifiedPapers { sums += "   verified papers \(Format.grouped(verified))" }
            grid.put(sums, x: 0, y: y)
        }
        y += 1
        for (line, severity) in marked.prefix(noticeRows) {
            grid.put(" " + line, x: 0, y: y, style: severity == .blocking ? .reverse : .bold)
            y += 1
        }
        if form.current == -1 {
            footer(&grid, " type why the box is entered again  Enter go on  Esc back to the list")
        } else {
            let arrows = glyphs.arrows
            footer(&grid, " digits  Enter next  \(arrows) move  Backspace erase  Esc list (confirmed kept)")
        }
    }

    private static func renderMismatch(_ grid: inout Grid, _ state: EntryViewState, _ mismatch: EntryMismatchState, _ glyphs: Glyphs) {
        let target = mismatch.target
        let dot = glyphs.dot
        grid.put(" MISMATCH \(dot) box \(target.box) \(dot) \(target.kind == .verification ? "verification" : "count") \(dot) revision \(target.revision)", x: 0, y: 1, style: .reverse)
        let said = "The two entries differ in \(mismatch.differing.count) field\(mismatch.differing.count == 1 ? "" : "s"). First by \(mismatch.first.operator), second by \(mismatch.second.operator). Check the sheet."
        for (offset, line) in wrap(said, width: grid.width - 2).prefix(2).enumerated() { grid.put(" " + line, x: 0, y: 2 + offset) }
        let labelW = grid.width - 34
        grid.put("   " + DisplayWidth.padRight("Field", to: labelW) + DisplayWidth.padLeft(mismatch.first.operator, to: 14) + DisplayWidth.padLeft(mismatch.second.operator, to: 14),
                 x: 0, y: 5, style: .bold)
        var y = 6
        for field in mismatch.differing.prefix(grid.height - 11) {
            let index = mismatch.form.fields.firstIndex(of: field) ?? 0
            let a = mismatch.first.figures[field.key].map(Format.grouped) ?? "-"
            let b = mismatch.second.figures[field.key].map(Format.grouped) ?? "-"
            grid.put("   " + DisplayWidth.padRight(DisplayWidth.truncate(mismatch.form.labels[index], to: labelW - 1, glyphs: glyphs), to: labelW)
                     + DisplayWidth.padLeft(a, to: 14) + DisplayWidth.padLeft(b, to: 14), x: 0, y: y)
            y += 1
        }
        y += 1
        grid.put(" 1  keep \(mismatch.first.operator)'s figures    2  keep \(mismatch.second.operator)'s figures", x: 0, y: y, style: .bold)
        grid.put(" r  type the differing fields again from the sheet", x: 0, y: y + 1, style: .bold)
        footer(&grid, " 1 / 2 choose an entry  r type again  Esc back to the list (nothing is written)")
    }
}
