extension Snapshot {
    /// The snapshot as one line of JSON (the headless and `snapshot` output).
    /// `includeTime: false` leaves the time out, to compare two snapshots' content.
    public func json(includeTime: Bool = true) -> String {
        var out = JSONWriter(capacity: expectedJSONBytes)
        write(to: &out, includeTime: includeTime)
        return out.text
    }

    /// Room for the line: its contests' JSON made beforehand and some for the rest.
    private var expectedJSONBytes: Int { encodedContests.json.reduce(1024) { $0 + $1.count } }

    /// The JSON line as UTF-8, ending in a newline: what a headless replay
    /// writes after every batch, without making it a string first (checked
    /// as text again, and copied twice more on its way out).
    public func jsonLine() -> [UInt8] {
        var out = JSONWriter(capacity: expectedJSONBytes)
        write(to: &out, includeTime: true)
        out.newline()
        return out.bytes
    }

    private func write(to out: inout JSONWriter, includeTime: Bool) {
        out.object { o in
            if includeTime {
                o.key("time"); o.string(RFC3339.format(time))
            }
            o.key("election"); o.string(election)
            o.key("title"); o.string(title)
            o.key("rehearsal"); o.bool(rehearsal)
            o.key("lastBatchAt"); o.string(lastBatchAt.map(RFC3339.format))
            o.key("feed"); o.object { f in
                f.key("answering"); f.bool(feedProblem == nil)
                if let feedProblem {
                    f.key("problem"); f.string(feedProblem)
                }
            }
            o.key("contests"); o.array { list in
                if encodedContests.json.count == contests.count {
                    for json in encodedContests.json { list.raw(json) }
                } else {
                    for contest in contests { contest.write(to: &list) }
                }
            }
            o.key("rejectedFiles"); o.array { list in
                for rejected in refusedFiles {
                    list.object { r in
                        r.key("file"); r.string(rejected.file)
                        r.key("reason"); r.string(rejected.reason)
                    }
                }
            }
            o.key("conflicts"); o.array { list in
                for conflict in conflicts {
                    list.object { c in
                        c.key("contest"); c.string(conflict.contest)
                        c.key("identity"); c.string(conflict.identity)
                        c.key("revision"); c.int(conflict.revision)
                        c.key("files"); c.array { files in for file in conflict.files { files.string(file) } }
                    }
                }
            }
            o.key("alerts"); o.array { list in
                for alert in alerts {
                    list.object { a in
                        a.key("kind"); a.string(alert.kind.rawValue)
                        a.key("banner"); a.string(alert.banner)
                        a.key("contest"); a.string(alert.contest)
                        a.key("message"); a.string(alert.message)
                    }
                }
            }
        }
    }

    /// The snapshot as one line a person can read, one clause per contest.
    public func textLine() -> String {
        var parts = [RFC3339.format(time)]
        if rehearsal { parts.append("REHEARSAL") }
        if let feedProblem { parts.append("FEED NOT ANSWERING: \(feedProblem)") }
        for alert in alerts { parts.append("\(alert.banner): \(alert.message)") }
        for contest in contests { parts.append(contest.textSummary()) }
        if !refusedFiles.isEmpty { parts.append("\(refusedFiles.count) refused file\(refusedFiles.count == 1 ? "" : "s")") }
        if !conflicts.isEmpty { parts.append("\(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s")") }
        if let lastBatchAt { parts.append("last batch \(RFC3339.format(lastBatchAt))") }
        return TextEscape.line(parts.joined(separator: " | "))
    }
}

extension ContestSnapshot {
    /// The contest alone as JSON, as `Snapshot.json` writes it.
    var json: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// The same as UTF-8.
    var jsonBytes: [UInt8] {
        var out = JSONWriter(capacity: 4096)
        write(to: &out)
        return out.bytes
    }

    func write(to list: inout JSONWriter) {
        list.object { c in
            c.key("id"); c.string(id)
            c.key("title"); c.string(title)
            c.key("system"); c.string(system.rawValue)
            c.key("seats"); c.int(seats)
            c.key("status"); c.string(status.rawValue)
            c.key("electorate"); c.int(electorate)
            c.key("boxes"); c.object { b in
                b.key("total"); b.int(boxesTotal)
                b.key("verified"); b.int(boxesVerified)
                b.key("counted"); b.int(boxesCounted)
                b.key("covered"); b.int(boxesCovered)
            }
            c.key("ballotPapers"); c.int(ballotPapers)
            c.key("countedBallots"); c.int(countedBallots)
            c.key("turnout"); c.double(turnout)
            c.key("valid"); c.int(valid)
            c.key("rejected"); c.int(rejected)
            c.key("rejectedByReason"); c.object { r in
                for entry in rejectedByReason {
                    r.key(escaping: entry.reason); r.int(entry.count)
                }
            }
            c.key("candidates"); c.array { list in
                for candidate in candidates {
                    list.object { k in
                        k.key("id"); k.string(candidate.id)
                        k.key("name"); k.string(candidate.name)
                        k.key("party"); k.string(candidate.party)
                        k.key("votes"); k.int(candidate.votes)
                        k.key("share"); k.double(candidate.share)
                        if let seats = candidate.seats {
                            k.key("seats"); k.int(seats)
                        }
                    }
                }
            }
            c.key("leader"); c.string(leader)
            c.key("majority"); c.int(majority)
            c.key("winners"); c.array { list in for winner in winners { list.string(winner) } }
            c.key("recountPossible"); c.bool(recountPossible)
            c.key("warnings"); c.array { list in
                for warning in warnings {
                    list.object { w in
                        if let box = warning.box {
                            w.key("box"); w.string(box)
                        }
                        if let area = warning.area {
                            w.key("area"); w.string(area)
                        }
                        w.key("message"); w.string(warning.message)
                        if warning.doesNotAddUp {
                            w.key("doesNotAddUp"); w.bool(true)
                        }
                    }
                }
            }
            if let declaration {
                c.key("declaration"); c.object { d in
                    d.key("elected"); d.array { list in for id in declaration.elected { list.string(id) } }
                    d.key("ballotPapers"); d.int(declaration.ballotPapers)
                    if let transfers = declaration.transfers {
                        d.key("transfers"); d.object { t in
                            for candidate in candidates { t.key(escaping: candidate.id); t.int(transfers[candidate.id] ?? 0) }
                        }
                    }
                    d.key("countedVotes"); d.object { v in
                        for candidate in candidates { v.key(escaping: candidate.id); v.int(declaration.countedVotes[candidate.id] ?? 0) }
                    }
                }
            }
            if system == .sv {
                c.key("stages"); c.array { list in
                    list.object { first in
                        first.key("stage"); first.int(1)
                        let firstComplete = boxesCovered == boxesTotal
                        first.key("complete"); first.bool(firstComplete)
                        first.key("elected"); first.string(firstComplete && secondStage == nil && declaration == nil ? winners.first : nil)
                    }
                    if let stage = secondStage {
                        list.object { second in
                            second.key("stage"); second.int(2)
                            second.key("finalists"); second.array { f in for id in stage.finalists { f.string(id) } }
                            second.key("firstPreferences"); second.array { f in for n in stage.firstPreferences { f.int(n) } }
                            second.key("transfers"); second.array { f in for n in stage.transfers { f.int(n) } }
                            second.key("nonTransferable"); second.int(stage.nonTransferable)
                            second.key("totals"); second.array { f in for n in stage.totals { f.int(n) } }
                            second.key("areasComplete"); second.int(stage.areasComplete)
                            second.key("areas"); second.int(stage.areas)
                            second.key("toExamine"); second.int(stage.toExamine)
                            second.key("complete"); second.bool(stage.isComplete)
                            second.key("elected"); second.string(stage.winner)
                        }
                    }
                }
            }
            if let seatAllocation, let listRule { writeSeats(seatAllocation, rule: listRule, to: &c) }
            c.key("projection"); projection.write(to: &c, listSeats: seatProjection)
        }
    }

    /// `"seatAllocation": {"method": …, "threshold": …, "belowThreshold": […], "lastSeat": {…}, "ties": […]}`
    private func writeSeats(_ allocation: SeatAllocation, rule: ListRule, to c: inout JSONWriter) {
        let ids = candidates.sorted { $0.electionIndex < $1.electionIndex }.map(\.id)
        c.key("seatAllocation"); c.object { a in
            a.key("method"); a.string(rule.method.rawValue)
            a.key("threshold"); a.double(rule.threshold)
            a.key("belowThreshold"); a.array { list in
                for index in ids.indices where !allocation.eligible[index] { list.string(ids[index]) }
            }
            a.key("lastSeat")
            if let last = allocation.lastSeat {
                a.object { l in
                    l.key("seat"); l.int(seats)
                    l.key("list"); l.string(ids[last.winner])
                    l.key("next"); l.string(ids[last.next])
                    l.key("ahead"); l.int(last.ahead)
                    l.key("needed"); l.int(last.needed)
                }
            } else {
                a.null()
            }
            a.key("ties"); a.array { list in
                for tie in allocation.ties {
                    list.object { t in
                        t.key("seat"); t.int(tie.seat)
                        t.key("lists"); t.array { l in for index in tie.lists { l.string(ids[index]) } }
                        t.key("given"); t.array { l in for index in tie.given { l.string(ids[index]) } }
                    }
                }
            }
        }
    }

    /// `mayor COUNTING boxes 70/74 verified 31/74 counted, ballots 20,000 of 46,000 (43.48%), turnout 25.21%: Rahman 51.20%, ...; Rahman leads by 3,100`
    func textSummary() -> String {
        var text = "\(id) \(status.rawValue.uppercased())"
        text += " boxes \(boxesVerified)/\(boxesTotal) verified \(boxesCovered)/\(boxesTotal) counted"
        let progress = ballotPapers == 0 ? 0 : Double(countedBallots) / Double(ballotPapers)
        text += ", ballots \(Format.grouped(countedBallots)) of \(Format.grouped(ballotPapers)) (\(Format.percent(progress)))"
        text += ", turnout " + (turnout.map { Format.percent($0) } ?? "unknown")
        text += ": " + candidates.map { "\($0.name) \(Format.percent($0.share))" + ($0.seats.map { " \($0) seat\($0 == 1 ? "" : "s")" } ?? "") }
            .joined(separator: ", ")
        if let lastSeat = lastSeatText { text += "; " + lastSeat }
        if !winners.isEmpty {
            let names = names(of: winners)
            text += "; elected: " + names.joined(separator: ", ")
            if let majority { text += " (\(majorityName) \(Format.grouped(majority)))" }
            if let standing { text += "; " + standing }
        } else if let stage = secondStage, let totals = finalTotals, let majority, majority > 0,
                  let name = name(of: stage.finalists[totals[0] > totals[1] ? 0 : 1]) {
            text += "; \(name) leads by \(Format.grouped(majority)) after transfers"
        } else if let leader, let majority, let name = name(of: leader) {
            text += "; \(name) leads by \(Format.grouped(majority))"
        } else if valid > 0 {
            text += "; tied at the top"
        }
        if !status.isFinished { text += "; " + projectionHeadline + (callBasis.map { " (" + $0 + ")" } ?? "") }
        if let stage = secondStage {
            let names = names(of: stage.finalists)
            text += "; second stage \(names.joined(separator: " v ")) \(stage.totals.map(Format.grouped).joined(separator: " to ")), \(stage.areasComplete)/\(stage.areas) areas"
        }
        if status == .complete && winners.isEmpty && system == .sv && leader != nil && secondStage == nil {
            text += "; no candidate has more than half: a second stage is needed"
        }
        if !warnings.isEmpty { text += "; \(warnings.count) warning\(warnings.count == 1 ? "" : "s")" }
        return text
    }
}

extension Projection {
    /// Probabilities and shares to four places: finer figures would only
    /// suggest a precision the model does not have.
    func write(to out: inout JSONWriter, listSeats: ListSeatProjection? = nil) {
        out.object { p in
            p.key("status"); p.string(status.rawValue)
            p.key("winner"); p.string(winner)
            p.key("winners"); p.array { list in for id in winners { list.string(id) } }
            p.key("favourites"); p.array { list in for id in favourites { list.string(id) } }
            p.key("probability"); p.fourDecimals(probability)
            p.key("remainingBallots"); p.int(remainingBallots)
            p.key("expectedRemaining"); p.int(expectedRemaining)
            p.key("counted"); p.fourDecimals(counted)
            p.key("hurdle"); p.fourDecimals(hurdle)
            let chances = seats?.chances()
            p.key("shares"); p.array { list in
                for share in shares {
                    list.object { s in
                        s.key("id"); s.string(share.id)
                        s.key("low"); s.fourDecimals(share.low)
                        s.key("mid"); s.fourDecimals(share.mid)
                        s.key("high"); s.fourDecimals(share.high)
                        if let elected = chances?[share.id] {
                            s.key("elected"); s.fourDecimals(elected)
                        }
                    }
                }
            }
            if secondStageProbability != nil {
                p.key("secondStageProbability"); p.fourDecimals(secondStageProbability)
                p.key("finalists"); p.array { list in for id in finalists { list.string(id) } }
                p.key("finalistsProbability"); p.fourDecimals(finalistsProbability)
            }
            if let listSeats {
                p.key("seats"); p.object { s in
                    s.key("certain"); s.bool(listSeats.basis == .certain)
                    s.key("lists"); s.array { list in
                        for range in listSeats.ranges {
                            list.object { r in
                                r.key("id"); r.string(range.id)
                                r.key("low"); r.int(range.low)
                                r.key("high"); r.int(range.high)
                                r.key("likeliest"); r.int(range.likeliest)
                                r.key("probabilities"); r.object { o in
                                    for (n, probability) in range.probabilities.sorted(by: { $0.key < $1.key }) {
                                        o.key(escaping: String(n)); o.fourDecimals(probability)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p.key("calledAt"); p.fourDecimals(calledAt)
            p.key("method"); p.string(method)
        }
    }
}

/// Each contest's JSON as last written, with what it was written from, so
/// that writing a snapshot a batch costs the contests that changed, not
/// every contest of a national night. Kept by whoever writes the lines: the
/// state that makes the snapshots (`CountState.snapshot(time:boxes:areas:json:)`),
/// or a writer on another thread (`encode`).
public struct ContestJSONCache: Sendable {
    private var written: [(key: WrittenKey, json: [UInt8])?] = []

    /// What a contest's JSON is written from: its snapshot as made (the
    /// election version and the contest's count of changes say which), and
    /// its projection once its call is held.
    private struct WrittenKey: Equatable {
        let version: ContestVersion
        let projection: Projection
    }

    public init() {}

    /// Makes each contest's JSON for `Snapshot.json`: kept from before for a
    /// contest made from the same state with the same projection.
    public mutating func encode(_ snapshot: inout Snapshot) {
        let contests = snapshot.contests
        let versions = snapshot.encodedContests.versions
        if written.count != contests.count { written = Array(repeating: nil, count: contests.count) }
        var encoded = EncodedContests(versions: versions)
        encoded.json.reserveCapacity(contests.count)
        // By index, not `for contest in`: a contest's snapshot copied out
        // is some twenty-five references taken and let go again, on objects
        // the thread that made the snapshot holds too.
        for index in contests.indices {
            guard versions.indices.contains(index), let version = versions[index] else {
                encoded.json.append(contests[index].jsonBytes)
                continue
            }
            let key = WrittenKey(version: version, projection: contests[index].projection)
            if let last = written[index], last.key == key {
                encoded.json.append(last.json)
            } else {
                let json = contests[index].jsonBytes
                written[index] = (key, json)
                encoded.json.append(json)
            }
        }
        snapshot.encodedContests = encoded
    }
}
