extension ContestTally {
    /// Every place where the figures of boxes, areas and the contest disagree,
    /// one warning each, in election.json order: boxes, then areas, then the
    /// contest. Warnings about figures that cannot all be true (more ballots
    /// than papers or electors) are marked `doesNotAddUp`; a box counted short
    /// of its verified papers is a warning only, as papers can be reconciled.
    func discrepancyWarnings() -> [Warning] {
        var warnings: [Warning] = []
        // Sets asked only when they hold something: at a snapshot a batch,
        // the union and the sorted lists of empty sets were lists made and
        // let go for nothing.
        let flagged = discrepancies.isEmpty ? boxesNotAddingUp
            : boxesNotAddingUp.isEmpty ? discrepancies : discrepancies.union(boxesNotAddingUp)
        for box in flagged.isEmpty ? [] : flagged.sorted() {
            let state = boxes[box]
            let id = contest.boxes[box].id
            let electorate = contest.boxes[box].electorate
            let counted = "\(Format.grouped(state.countedBallots)) ballots\(Self.inBatches(state.countBatches))"
            if let electorate, state.verificationBatches > 0, state.papers > electorate {
                warnings.append(Warning(box: id, message: "box \(id): verified \(Format.grouped(state.papers)) ballot papers\(Self.inBatches(state.verificationBatches, parts: true)), more than its \(Format.grouped(electorate)) electors", doesNotAddUp: true))
            }
            if let papers = state.verifiedPapers, state.countBatches > 0, papers != state.countedBallots {
                warnings.append(Warning(box: id, message: "box \(id): verified \(Format.grouped(papers)) ballot papers but counted \(counted)",
                                        doesNotAddUp: state.countedBallots > papers))
            } else if let electorate, state.countBatches > 0, state.countedBallots > electorate {
                warnings.append(Warning(box: id, message: "box \(id): counted \(counted), more than its \(Format.grouped(electorate)) electors", doesNotAddUp: true))
            }
        }
        for index in areasNotAddingUp.isEmpty ? [] : areasNotAddingUp.sorted() {
            let state = areas[index]
            let area = contest.areas[index]
            let electorate = area.electorate
            guard let capacity = state.capacity(electorate: electorate) else { continue }
            var held: String
            if let electorate, capacity == electorate && (state.unboundedBoxes > 0 || electorate < state.verifiedPapers + state.unverifiedElectorate) {
                held = "its \(Format.grouped(electorate)) electors"
            } else if state.verifiedBoxes == state.boxCount {
                held = "the \(Format.grouped(state.verifiedPapers)) ballot papers verified in it"
            } else {
                held = "the \(Format.grouped(state.verifiedPapers)) ballot papers verified in it and the \(Format.grouped(state.unverifiedElectorate)) electors of its \(state.boxCount - state.verifiedBoxes) boxes not yet verified"
            }
            held = "at most \(Format.grouped(capacity)) ballots: " + held
            warnings.append(Warning(area: area.label, message: "area \(area.label): counted \(Format.grouped(state.counted)) ballots (\(Format.grouped(state.bundleCounted)) of them in bundles) but its boxes hold \(held)", doesNotAddUp: true))
        }
        if let electorate = contest.electorate {
            if let boxes = contest.boxElectorate, electorate < boxes {
                warnings.append(Warning(message: "the contest's electorate, \(Format.grouped(electorate)), is smaller than its boxes' electorates together, \(Format.grouped(boxes)) (election.json)", doesNotAddUp: true))
            }
            if electorate < ballotPapers {
                warnings.append(Warning(message: "\(Format.grouped(ballotPapers)) ballot papers verified or counted, more than the contest's \(Format.grouped(electorate)) electors", doesNotAddUp: true))
            }
        }
        return warnings
    }

    /// " in 2 batches", said only when more than one batch adds up to a figure.
    private static func inBatches(_ count: Int, parts: Bool = false) -> String {
        count > 1 ? " in \(count) \(parts ? "parts" : "batches")" : ""
    }
}
