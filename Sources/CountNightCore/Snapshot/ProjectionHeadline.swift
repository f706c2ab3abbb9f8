extension ContestSnapshot {
    /// The projection in one line, as the dashboard and the text report say
    /// it: "Too early to call: 12% counted", "PROJECTED WINNER: ..., 99.8%".
    public var projectionHeadline: String {
        let projection = self.projection
        func names(_ ids: [String], and: Bool = false) -> String {
            let names = self.names(of: ids)
            if and && names.count == 2 { return names[0] + " and " + names[1] }
            return names.joined(separator: ", ")
        }
        let plural = projection.winners.count > 1 ? "S" : ""
        switch projection.call {
        case .tooEarly:
            if let stage = secondStage, status == .secondStage {
                return "Too early to call: second stage, \(stage.areasComplete) of \(stage.areas) areas examined"
            }
            if countedBallots == 0 { return "Too early to call: nothing counted yet" }
            return "Too early to call: \(Format.percent(projection.counted, decimals: 0)) counted"
        case .projected:
            // A call held since an earlier batch gives the model's own chance now
            // (the bound after the allowance may be far below it); `callBasis` says when it was made.
            let figure = (projection.probability ?? 0) >= Projection.callProbability ? ", " + Self.chance(projection.probability)
                : projection.chance.map { ", " + Self.chance($0) + " now" } ?? ""
            return "PROJECTED WINNER\(plural): \(names(projection.winners))\(figure)"
        case .certain(_, let certainty):
            if secondStage != nil {
                return "WINNER CERTAIN: \(names(projection.winners)) leads by \(Format.grouped(certainty.lead)) after transfers, more than the \(Format.grouped(certainty.against)) ballots left to examine"
            }
            if system == .sv {
                return "WINNER CERTAIN: \(names(projection.winners)) has \(Format.grouped(certainty.lead)), more than half of the \(Format.grouped(certainty.against)) valid votes there can be"
            }
            let lead = system == .block ? "margin at seat \(seats)" : "lead"
            return "WINNER\(plural) CERTAIN: \(names(projection.winners)), \(lead) \(Format.grouped(certainty.lead)) exceeds the \(Format.grouped(certainty.against)) ballots left"
        case .final:
            if status == .declared { return "DECLARED: \(names(projection.winners)) elected" }
            return "ELECTED: \(names(projection.winners))"
        case .secondStage:
            if status == .complete {
                return "SECOND STAGE: nobody has more than half; \(names(projection.finalists, and: true)) go through"
            }
            let figure = (projection.secondStageProbability ?? 0) >= Projection.callProbability ? ", " + Self.chance(projection.secondStageProbability) : ""
            return "SECOND STAGE EXPECTED: \(names(projection.finalists, and: true))\(figure)"
        case .tied:
            return "TIED: no winner until the tie is resolved"
        }
    }

    /// What a projected call rests on, for a person to weigh it: "41%
    /// counted, 14 of 14 areas reporting; called at 13%". The lead against
    /// what is left is `hurdleText`.
    public var callBasis: String? {
        guard projection.isCall(finished: status.isFinished) else { return nil }
        let areaCount = definition.areas.count
        var text = "\(Format.percent(projection.counted, decimals: 0)) counted, \(areasReporting) of \(areaCount) area\(areaCount == 1 ? "" : "s") reporting"
        if let calledAt = projection.calledAt, projection.counted - calledAt >= 0.005 {
            text += "; called at \(Format.percent(calledAt, decimals: 0))"
        }
        return text
    }

    /// A probability as a person should read it: never "100%" for what is
    /// only projected.
    public static func chance(_ probability: Double?) -> String {
        guard let probability else { return "probability unknown" }
        return probability >= 0.999 ? ">99.9%" : Format.percent(probability, decimals: 1)
    }

    /// "Brown needs 73.2% of the 11,325 ballots left" (fptp and sv).
    public var hurdleText: String? {
        guard let hurdle = projection.hurdle, !status.isFinished, candidates.count > 1, valid > 0 else { return nil }
        let left = projection.remainingBallots ?? projection.expectedRemaining
        let name = candidates[1].name.split(separator: " ").last.map(String.init) ?? candidates[1].name
        if hurdle > 1 { return "\(name) cannot catch up with the \(Format.grouped(left)) ballots left" }
        return "\(name) needs \(Format.percent(hurdle, decimals: 1)) of the \(Format.grouped(left))\(projection.remainingBallots == nil ? " (estimated)" : "") ballots left"
    }
}
