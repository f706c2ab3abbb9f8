import CountNightCore
import Testing
@testable import CountNightUI

@Suite struct BarTests {
    @Test func barsUseEighthBlocksForTheFractionOfACell() {
        #expect(Bars.bar(0, width: 10, glyphs: .unicode) == "")
        #expect(Bars.bar(1, width: 10, glyphs: .unicode) == String(repeating: "█", count: 10))
        #expect(Bars.bar(0.5, width: 10, glyphs: .unicode) == "█████")
        // 0.51 of 10 cells is 5.1 cells: 40.8 eighths, rounded to 41: five full and one eighth.
        #expect(Bars.bar(0.51, width: 10, glyphs: .unicode) == "█████▏")
        #expect(Bars.bar(0.0625, width: 10, glyphs: .unicode) == "▋")  // 5 eighths
        #expect(Bars.bar(0.99, width: 10, glyphs: .unicode) == "█████████▉")
        #expect(Bars.bar(2, width: 4, glyphs: .unicode) == "████")
        #expect(Bars.bar(.nan, width: 4, glyphs: .unicode) == "")
    }

    @Test func asciiBarsRoundToWholeCells() {
        #expect(Bars.bar(0.51, width: 10, glyphs: .ascii) == "#####")
        #expect(Bars.bar(0.56, width: 10, glyphs: .ascii) == "######")
        #expect(Bars.progress(0.25, width: 8, glyphs: .ascii) == ("##", "......"))
        #expect(Bars.progress(0.5, width: 4, glyphs: .unicode) == ("██", "░░"))
    }

    @Test func barsGrowInEighthsAsSharesGrow() {
        var last = 0
        for step in 0...80 {
            let bar = Bars.bar(Double(step) / 80, width: 10, glyphs: .unicode)
            let eighths = bar.reduce(0) { $0 + (Glyphs.unicode.eighths.firstIndex(of: $1)! + 1) }
            #expect(eighths == step)
            #expect(eighths >= last)
            last = eighths
        }
    }
}

@Suite struct ColourMapTests {
    @Test func partyColoursMapToTheNearestOfTheTerminalsColours() {
        #expect(ColourMap.nearest256(RGB(hex: "#ff0000")!) == 196)
        #expect(ColourMap.nearest256(RGB(hex: "#000000")!) == 16)
        #expect(ColourMap.nearest256(RGB(hex: "#ffffff")!) == 231)
        #expect(ColourMap.nearest256(RGB(hex: "#808080")!) == 244)
        #expect(ColourMap.nearest256(RGB(hex: "#0087dc")!) == 32)   // Conservative blue
        #expect(ColourMap.nearest256(RGB(hex: "#d50000")!) == 160)  // Labour red
        #expect(ColourMap.nearest8(RGB(hex: "#d50000")!) == .red)
        #expect(ColourMap.nearest8(RGB(hex: "#0087dc")!) == .blue || ColourMap.nearest8(RGB(hex: "#0087dc")!) == .cyan)
        #expect(ColourMap.nearest8(RGB(hex: "#02a95b")!) == .green)
        #expect(ColourMap.nearest8(RGB(hex: "#faa61a")!) == .yellow)
        #expect(ColourMap.nearest8(RGB(hex: "#6a3d9a")!) == .magenta || ColourMap.nearest8(RGB(hex: "#6a3d9a")!) == .blue)
    }

    @Test func terminalColourNumbersDependOnWhatTheTerminalHas() {
        let red = Colour.rgb(RGB(hex: "#d50000")!)
        #expect(ColourMap.terminalColour(red, colours: 256) == 160)
        #expect(ColourMap.terminalColour(red, colours: 8) == BasicColour.red.rawValue)
        #expect(ColourMap.terminalColour(.default, colours: 256) == -1)
        #expect(ColourMap.terminalColour(.basic(.green), colours: 8) == 2)
    }
}

@Suite struct TextTests {
    @Test func truncatesAndPadsByColumnsNotCharacters() {
        #expect(DisplayWidth.truncate("Lutfur Rahman", to: 8) == "Lutfur …")
        #expect(DisplayWidth.truncate("Lutfur Rahman", to: 8, glyphs: .ascii) == "Lutfur .")
        #expect(DisplayWidth.truncate("Abbas", to: 8) == "Abbas")
        #expect(DisplayWidth.padLeft("1,234", to: 7) == "  1,234")
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.truncate("東京都", to: 5) == "東京…")
    }

    @Test func wideCharactersTakeTwoCellsInTheGrid() {
        var grid = Grid(width: 6, height: 1)
        #expect(grid.put("a東b", x: 0, y: 0) == 4)
        #expect(grid.rows == ["a東b  "])
        #expect(grid[2, 0].character == nil)
    }

    @Test func withoutUTF8EveryCellIsASCII() {
        for view in DashboardView.allCases {
            var state = ViewState()
            state.view = view
            for (width, height) in [(80, 24), (160, 48), (60, 20)] {
                let grid = Dashboard.render(SampleNight.model(upTo: 0.6), state, theme: Theme(glyphs: .ascii), width: width, height: height)
                #expect(grid.rows.allSatisfy { $0.allSatisfy(\.isASCII) && $0.count == width }, "\(view) \(width)x\(height)")
            }
        }
        let overview = Dashboard.render(SampleNight.model(upTo: 1), ViewState(), theme: Theme(glyphs: .ascii), width: 80, height: 24)
        // Short of room, the contest's name outlasts the election's title (issue 13).
        #expect(overview.rows[0].hasPrefix(" Mayor of Tower Hamlets "))
        #expect(overview.rows.contains { $0.contains("Warnings 0 - Refused files 0 - Conflicts 0") })
        #expect(overview.rows.contains { $0.contains("John Griffiths Liberal Dem. ") })
        #expect(overview.rows.contains { $0.hasPrefix("> Lutfur Rahman  Independent  ##################|") })
    }

    @Test func theSmallTerminalMessageSaysTheSizeNeeded() {
        let model = SampleNight.model(upTo: 1)
        let grid = Dashboard.render(model, ViewState(), width: 60, height: 20)
        #expect(grid.rows[0] == "Need 80×24, now 60×20. CountNight: enlarge the terminal, or ")
        #expect(Dashboard.render(model, ViewState(), width: 20, height: 5).rows[0] == "Need 80×24, now 20×5")
        #expect(grid.rows.dropFirst().allSatisfy { $0.allSatisfy { $0 == " " } })
        let wide = Dashboard.render(model, ViewState(), width: 120, height: 10)
        #expect(wide.rows[0].hasPrefix("Need 80×24, now 120×10. CountNight: enlarge the terminal, or press q to quit."))
        // And at the minimum the dashboard itself is back.
        #expect(Dashboard.render(model, ViewState(), width: 80, height: 24).rows[0].contains("Tower Hamlets"))
    }
}
