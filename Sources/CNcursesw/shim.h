// The curses calls CountNight needs, in a form Swift 6 can call.
// SwiftPM drops the -D flags pkg-config gives, so the wide-character API is
// switched on here, before curses.h is read.
#ifndef COUNTNIGHT_CNCURSESW_SHIM_H
#define COUNTNIGHT_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <sys/signalfd.h>
#include <ncursesw/curses.h>

// C globals are not concurrency-safe in Swift 6: read them through functions.
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }

// Macros that do not import.
static inline int cn_color_pair(int n) { return COLOR_PAIR(n); }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline void cn_getmaxyx(int *y, int *x) { int yy, xx; getmaxyx(stdscr, yy, xx); *y = yy; *x = xx; }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }

/// Writes a run of characters with one set of attributes and one colour pair.
static inline int cn_put(int y, int x, const wchar_t *text, int length, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    return mvaddnwstr(y, x, text, length);
}

/// Reads one key or character; returns ERR, OK (a character) or KEY_CODE_YES (a key code).
static inline int cn_get_wch(unsigned int *out) {
    wint_t value = 0;
    int result = get_wch(&value);
    *out = (unsigned int)value;
    return result;
}

/// Gives a character back, to be read again next.
static inline int cn_unget_wch(unsigned int value) { return unget_wch((wchar_t)value); }
/// Gives a key code (KEY_DOWN...) back, to be read again next.
static inline int cn_unget_key(unsigned int code) { return ungetch((int)code); }

/// Whether the locale's character set is UTF-8, after setlocale.
static inline int cn_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/// Ends curses. A terminal without an alternate screen (vt100, linux)
/// would keep the dashboard on screen for the next output to write over:
/// there the screen is cleared, as leaving the alternate screen does on xterm.
static inline void cn_give_back_screen(void) {
    const char *alternate = tigetstr("smcup");
    int cleared = alternate == NULL || alternate == (char *)-1 || *alternate == 0;
    endwin();
    const char *clear = tigetstr("clear");
    if (cleared && clear != NULL && clear != (char *)-1) {
        putp(clear);
        fflush(stdout);
    }
}

/// On a crash: give the terminal back and put standard error back where it
/// was, so that the crash report is seen, then die of the same signal.
static int cn_saved_stderr = -1;

static void cn_crash_handler(int number) {
    cn_give_back_screen();
    if (cn_saved_stderr >= 0) dup2(cn_saved_stderr, 2);
    signal(number, SIG_DFL);
    raise(number);
}

static inline void cn_install_crash_restore(int saved_stderr) {
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
    cn_saved_stderr = saved_stderr;
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = cn_crash_handler;
        action.sa_flags = SA_RESETHAND;
        sigaction(signals[i], &action, NULL);
    }
}

#endif
