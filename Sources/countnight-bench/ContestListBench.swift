// `countnight-bench contest-list`: the dashboard's list of every contest on
// the national night (650 contests of 60 boxes, `makeNationalNight`), as the
// session handles a key: the page measured, the key applied, the screen
// drawn into a grid (what the terminal then paints, only the rows changed).
//
// Beside it, in the same run, the overview of one contest drawn at the same
// size: the ratio says what a list of 650 costs above an ordinary screen.
// Rows: the list drawn; ↓ and PgDn in it; one character typed into a find
// ("constituency 6" then "4": the list narrowed from 61 to 11 contests);
// and PgDn in the Log of a contest at its longest (10,000 events, wrapped).
import CountNightCore
import CountNightUI
import Foundation

func contestListBench(runs: Int = 201) {
    var night = makeNationalNight().state
    let model = DashboardModel(snapshot: night.snapshot(time: 0), clock: "01:00:00")
    var list = ViewState(contests: model.snapshot.contests.count)
    list.contest = 300
    var overview = list
    overview.contestList = false
    var finding = list
    finding.find = "constituency 6"
    // The Log at its longest, 10,000 events, each wrapped to the width.
    var logged = model
    logged.log = (0..<10_000).map { index in
        LogEntry(time: "01:00:00", kind: .accepted, text: "count-E14\(index).json: E14\(index % 650) count box=E14\(index)-B\(index % 60) revision 1")
    }
    var log = overview
    log.view = .log

    /// The median time of `body`, run `runs` times after one to warm up.
    func time(_ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = now()
            body()
            times.append(now() - start)
        }
        return median(times)
    }

    /// A key as the dashboard's session takes it, then the screen drawn.
    func key(_ key: Key, from state: ViewState, width: Int, height: Int, model: DashboardModel = model) -> () -> Void {
        {
            var state = state
            let extent = Dashboard.scrollExtent(model, state, width: width, height: height)
            _ = state.apply(key, snapshot: model.snapshot, page: extent.page, total: extent.total)
            _ = Dashboard.render(model, state, width: width, height: height)
        }
    }

    // The find's text does find what it says.
    var check = finding
    _ = check.apply(.character("4"), snapshot: model.snapshot, page: 19, total: 650)
    let found = ContestFind.matches(model.snapshot.contests, check.find ?? "").count
    guard found == 11, Dashboard.render(model, check, width: 80, height: 24).text.contains("11 of 650 contests") else {
        FileHandle.standardError.write(Data("the find did not narrow the list as expected (\(found) found)\n".utf8))
        exit(2)
    }

    say("screen (650 contests) | size | median ms | × the overview of one contest")
    say("--- | ---: | ---: | ---:")
    for (width, height) in [(80, 24), (200, 60)] {
        let base = time { _ = Dashboard.render(model, overview, width: width, height: height) }
        let rows: [(String, Double)] = [
            ("overview of one contest, drawn", base),
            ("list of contests, drawn", time { _ = Dashboard.render(model, list, width: width, height: height) }),
            ("list: ↓, drawn", time(key(.down, from: list, width: width, height: height))),
            ("list: PgDn, drawn", time(key(.pageDown, from: list, width: width, height: height))),
            ("find: one character typed, drawn", time(key(.character("4"), from: finding, width: width, height: height))),
            ("Log of 10,000 events: PgDn, drawn", time(key(.pageDown, from: log, width: width, height: height, model: logged))),
        ]
        for (label, seconds) in rows {
            say(String(format: "%@ | %d×%d | %.3f | %.1f", label, width, height, seconds * 1000, seconds / base))
        }
    }
}
