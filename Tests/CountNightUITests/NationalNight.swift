import CountNightCore
import CountNightUI
import Foundation

/// A national night of 650 contests (synthetic), for the list of contests at
/// scale: made-up place names, a few with accents and one in another script,
/// ids as a national electoral body would give them; a third of the
/// contests counting, a fifth complete, the rest awaiting.
enum NationalNight {
    static let contests = 650

    static let stems = ["Ash", "Brook", "Car", "Dun", "Elm", "Fen", "Glen", "Hal", "Ivy", "Kel",
                        "Lyn", "Mar", "Nor", "Oak", "Pen", "Rad", "Stan", "Thorn", "Wick", "Yar"]
    static let endings = ["ford", "ton", "bury", "ham", "ley", "wood", "field", "mouth"]
    static let quarters = ["", "North ", "South ", "East ", "West "]

    /// The title of contest `index`: every one different.
    static func title(_ index: Int) -> String {
        switch index {
        case 7: return "Bryn Môr and Llanfair"
        case 8: return "Sainte-Hélène-sur-Mer"
        case 9: return "東区 (East ward)"
        case 10: return "Łódź Riverside"
        default:
            let place = stems[index % stems.count] + endings[index / stems.count % endings.count]
            return quarters[index / (stems.count * endings.count)] + place
        }
    }

    static func id(_ index: Int) -> String { "E14\(String(100_000 + index).dropFirst())" }

    static func election(titles: (Int) -> String = title) -> Election {
        var json = #"{"format": "countnight-feed/1", "id": "national", "title": "National night (synthetic)", "contests": ["#
        json += (0..<contests).map { index in
            let title = titles(index).replacingOccurrences(of: "\"", with: "\\\"")
            return #"{"id": "\#(id(index))", "title": "\#(title)", "system": "fptp", "candidates": [{"id": "red", "name": "Ann Rowe", "party": "Red"}, {"id": "blue", "name": "Ben Hale", "party": "Blue"}], "boxes": [{"id": "B1", "electorate": 1500}, {"id": "B2", "electorate": 1500}]}"#
        }.joined(separator: ",")
        json += "]}"
        return try! ElectionFile.parse(Array(json.utf8))
    }

    /// The night with `extra` more contests counted than at the start: a
    /// later snapshot of the same night.
    static func model(titles: (Int) -> String = title, extra: Int = 0) -> DashboardModel {
        var tally = Tally(election: election(titles: titles))
        for index in 0..<contests {
            let boxes = index % 5 == 0 ? 2 : index % 3 == 0 || index < extra ? 1 : 0
            for box in 0..<boxes {
                let red = 300 + (index * 37 + box * 11) % 400
                let blue = 300 + (index * 53 + box * 7) % 400
                tally.read(file: "\(index)-\(box).json", bytes: Array(
                    #"{"contest": "\#(id(index))", "kind": "count", "box": "B\#(box + 1)", "votes": {"red": \#(red), "blue": \#(blue)}}"#.utf8))
            }
        }
        return DashboardModel(snapshot: tally.snapshot(time: 0), clock: "01:12:00")
    }

    static let shared = model()
}
