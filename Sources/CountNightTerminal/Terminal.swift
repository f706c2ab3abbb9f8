import CNcursesw
import CountNightUI
import Glibc

/// The only code that calls curses: starts and ends the screen, paints grids
/// and reads keys.
final class Terminal {
    private var screen: OpaquePointer?
    private(set) var unicode = true
    private(set) var colours = 0
    private var pairs: [PairKey: Int16] = [:]
    private var painted: Grid?

    private struct PairKey: Hashable {
        let foreground: Int
        let background: Int
    }

    /// Why the terminal cannot show the dashboard, or nil when it can.
    static func unusableReason() -> String? {
        if isatty(STDOUT_FILENO) == 0 { return "standard output is not a terminal" }
        if isatty(STDIN_FILENO) == 0 { return "standard input is not a terminal" }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else { return "TERM is not set" }
        if term == "dumb" { return "TERM is dumb" }
        return nil
    }

    /// Takes over the screen. Throws when curses cannot start on this terminal.
    /// `savedStandardError` is where standard error goes once the screen is
    /// given back, also after a crash.
    func start(savedStandardError: Int32) throws {
        setlocale(LC_ALL, "")
        unicode = cn_locale_is_utf8() != 0
        guard let screen = newterm(nil, cn_stdout(), cn_stdin()) else {
            throw TerminalError("curses cannot start on this terminal (TERM=\(String(cString: getenv("TERM"))))")
        }
        self.screen = screen
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        nodelay(cn_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if has_colors() && getenv("NO_COLOR").map({ String(cString: $0).isEmpty }) ?? true {
            start_color()
            use_default_colors()
            colours = Int(cn_colors())
        }
        cn_install_crash_restore(savedStandardError)
    }

    /// Gives the screen back, as it was; cleared where there is no
    /// alternate screen.
    func stop() {
        guard let screen else { return }
        cn_give_back_screen()
        delscreen(screen)
        self.screen = nil
    }

    var size: (width: Int, height: Int) {
        var height: Int32 = 0
        var width: Int32 = 0
        cn_getmaxyx(&height, &width)
        return (Int(width), Int(height))
    }

    /// Paints a grid: only rows that changed since the last paint are sent.
    func paint(_ grid: Grid) {
        let full = painted == nil || painted!.width != grid.width || painted!.height != grid.height
        if full { erase() }
        var text: [wchar_t] = []
        text.reserveCapacity(grid.width)
        for y in 0..<grid.height {
            if !full, let previous = painted, rowEqual(previous, grid, y) { continue }
            var x = 0
            while x < grid.width {
                let style = grid[x, y].style
                let start = x
                text.removeAll(keepingCapacity: true)
                while x < grid.width && grid[x, y].style == style {
                    if let character = grid[x, y].character {
                        for scalar in character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                    }
                    x += 1
                }
                let (attributes, pair) = attributesAndPair(style)
                _ = cn_put(Int32(y), Int32(start), text, Int32(text.count), attributes, pair)
            }
        }
        refresh()
        painted = grid
    }

    /// After a resize: paint everything afresh.
    func invalidate() {
        painted = nil
        clearok(cn_stdscr(), true)
    }

    private func rowEqual(_ a: Grid, _ b: Grid, _ y: Int) -> Bool {
        for x in 0..<a.width where a[x, y] != b[x, y] { return false }
        return true
    }

    private func attributesAndPair(_ style: Style) -> (attr_t, Int16) {
        var attributes = cn_a_normal()
        var reverse = style.reverse
        if colours == 0 && style.background != .default {
            // Without colour, a coloured background must still stand out.
            reverse = true
        }
        if style.bold { attributes |= cn_a_bold() }
        if reverse { attributes |= cn_a_reverse() }
        if style.dim { attributes |= cn_a_dim() }
        if style.underline { attributes |= cn_a_underline() }
        guard colours > 0 else { return (attributes, 0) }
        let key = PairKey(foreground: ColourMap.terminalColour(style.foreground, colours: colours),
                          background: ColourMap.terminalColour(style.background, colours: colours))
        if key.foreground == -1 && key.background == -1 { return (attributes, 0) }
        if let pair = pairs[key] { return (attributes, pair) }
        let next = pairs.count + 1
        guard next < Int(cn_color_pairs()), next < Int(Int16.max) else { return (attributes, 0) }
        init_pair(Int16(next), Int16(key.foreground), Int16(key.background))
        pairs[key] = Int16(next)
        return (attributes, Int16(next))
    }

    /// The next key waiting, or nil when there is none.
    func readKey() -> Key? {
        while true {
            var value: UInt32 = 0
            let result = cn_get_wch(&value)
            if result == ERR { return nil }
            if result == cn_key_code_yes() {
                switch Int32(value) {
                case KEY_UP: return .up
                case KEY_DOWN: return .down
                case KEY_LEFT: return .left
                case KEY_RIGHT: return .right
                case KEY_PPAGE: return .pageUp
                case KEY_NPAGE: return .pageDown
                case KEY_HOME: return .home
                case KEY_END: return .end
                case KEY_BTAB: return .backTab
                case KEY_ENTER: return .enter
                case KEY_RESIZE: return .resize
                // As the erase character (DEL) comes when keypad does not translate it.
                case KEY_BACKSPACE: return .character("\u{7f}")
                default: continue
                }
            }
            switch value {
            case 9: return .tab
            case 10, 13: return .enter
            case 27:
                // The rest of a sequence is already waiting; a key typed
                // after Escape is given back, to be read as itself.
                var next: UInt32 = 0
                let found = cn_get_wch(&next)
                guard found != ERR else { return .escape }
                guard found != cn_key_code_yes(), let first = Unicode.Scalar(next), EscapeSequence.starts(first) else {
                    _ = found == cn_key_code_yes() ? cn_unget_key(next) : cn_unget_wch(next)
                    return .escape
                }
                var body = [first]
                while !EscapeSequence.isComplete(body) && body.count < 16 {
                    guard cn_get_wch(&next) == OK, let scalar = Unicode.Scalar(next) else { break }
                    body.append(scalar)
                }
                if EscapeSequence.isComplete(body), let key = EscapeSequence.key(body) { return key }
                continue
            default:
                guard let scalar = Unicode.Scalar(value) else { continue }
                return .character(Character(scalar))
            }
        }
    }
}

struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
