import CountNightCore

/// Maps party colours to the nearest colour a terminal has.
public enum ColourMap {
    /// The xterm 256-colour palette index nearest to `rgb` (16-255; the first
    /// 16 are left out because terminals redefine them).
    public static func nearest256(_ rgb: RGB) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ value: UInt8) -> Int {
            let v = Int(value)
            var best = 0
            for (index, level) in levels.enumerated() where abs(level - v) < abs(levels[best] - v) { best = index }
            return best
        }
        let (r, g, b) = (cubeIndex(rgb.red), cubeIndex(rgb.green), cubeIndex(rgb.blue))
        let cube = 16 + 36 * r + 6 * g + b
        let cubeColour = (levels[r], levels[g], levels[b])
        // The grey ramp 232-255: 8, 18, ..., 238.
        let average = (Int(rgb.red) + Int(rgb.green) + Int(rgb.blue)) / 3
        let greyStep = max(0, min(23, (average - 8 + 5) / 10))
        let greyLevel = 8 + 10 * greyStep
        let grey = (greyLevel, greyLevel, greyLevel)
        return distance(rgb, grey) < distance(rgb, cubeColour) ? 232 + greyStep : cube
    }

    /// The nearest of the eight basic colours.
    public static func nearest8(_ rgb: RGB) -> BasicColour {
        let palette: [(BasicColour, (Int, Int, Int))] = [
            (.black, (0, 0, 0)), (.red, (205, 0, 0)), (.green, (0, 205, 0)), (.yellow, (205, 205, 0)),
            (.blue, (0, 0, 238)), (.magenta, (205, 0, 205)), (.cyan, (0, 205, 205)), (.white, (229, 229, 229)),
        ]
        return palette.min { distance(rgb, $0.1) < distance(rgb, $1.1) }!.0
    }

    /// The terminal colour number for a dashboard colour: -1 for the default.
    public static func terminalColour(_ colour: Colour, colours: Int) -> Int {
        switch colour {
        case .default: return -1
        case .basic(let basic): return basic.rawValue
        case .rgb(let rgb): return colours >= 256 ? nearest256(rgb) : nearest8(rgb).rawValue
        }
    }

    private static func distance(_ a: RGB, _ b: (Int, Int, Int)) -> Int {
        // Weighted for how the eye sees differences ("redmean" approximation).
        let rMean = (Int(a.red) + b.0) / 2
        let dr = Int(a.red) - b.0
        let dg = Int(a.green) - b.1
        let db = Int(a.blue) - b.2
        // Swift's >> binds tighter than *, hence the parentheses.
        return (((512 + rMean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rMean) * db * db) >> 8)
    }
}
