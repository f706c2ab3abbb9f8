/// The snapshot as a NIST SP 1500-100 v2 (Election Results Common Data
/// Format) JSON `ElectionReport`, for systems that publish results.
/// docs/exports.md lists what goes where.
extension Snapshot {
    /// The report's status: certified once every contest is declared,
    /// unofficial-complete once every contest is counted, else unofficial-partial.
    public var nistStatus: String {
        if contests.allSatisfy({ $0.status == .declared }) { return "certified" }
        return isComplete ? "unofficial-complete" : "unofficial-partial"
    }

    /// One line of JSON.
    public func nistJSON() -> String {
        var out = JSONWriter()
        let date = String(RFC3339.format(time).prefix(10))
        func text(_ o: inout JSONWriter, _ content: String) {
            o.object { t in
                t.key("@type"); t.string("ElectionResults.InternationalizedText")
                t.key("Text"); t.array { list in
                    list.object { s in
                        s.key("@type"); s.string("ElectionResults.LanguageString")
                        s.key("Content"); s.string(content)
                        s.key("Language"); s.string("en")
                    }
                }
            }
        }
        let scope = "gpu-election"
        func district(_ contest: ContestSnapshot) -> String { "gpu-\(contest.id)" }
        func area(_ contest: ContestSnapshot, _ index: Int) -> String { "gpu-\(contest.id)-area-\(index + 1)" }
        func box(_ contest: ContestSnapshot, _ id: String) -> String { "gpu-\(contest.id)-box-\(id)" }
        func candidate(_ contest: ContestSnapshot, _ id: String) -> String { "cand-\(contest.id)-\(id)" }
        func party(_ contest: ContestSnapshot, _ id: String) -> String { "party-\(contest.id)-\(id)" }

        out.object { r in
            r.key("@type"); r.string("ElectionResults.ElectionReport")
            r.key("Format"); r.string("precinct-level")
            r.key("GeneratedDate"); r.string(RFC3339.format(time))
            r.key("Issuer"); r.string("CountNight")
            r.key("IssuerAbbreviation"); r.string("CountNight")
            r.key("VendorApplicationId"); r.string("CountNight")
            r.key("SequenceStart"); r.int(1)
            r.key("SequenceEnd"); r.int(1)
            r.key("Status"); r.string(nistStatus)
            r.key("IsTest"); r.bool(rehearsal)
            if rehearsal {
                r.key("TestType"); r.string("rehearsal")
            }
            r.key("GpUnit"); r.array { units in
                units.object { u in
                    u.key("@type"); u.string("ElectionResults.ReportingUnit")
                    u.key("@id"); u.string(scope)
                    u.key("Type"); u.string("other")
                    u.key("OtherType"); u.string("election")
                    u.key("Name"); u.string(title)
                    u.key("ComposingGpUnitIds"); u.array { ids in for contest in contests { ids.string(district(contest)) } }
                }
                /// A district or an area: its electorate, papers and boxes.
                func grouping(_ id: String, _ kind: String, _ name: String, electorate: Int?, papers: Int, boxes: Int, covered: Int,
                              composedOf parts: [String]) {
                    units.object { u in
                        u.key("@type"); u.string("ElectionResults.ReportingUnit")
                        u.key("@id"); u.string(id)
                        u.key("Type"); u.string("other")
                        u.key("OtherType"); u.string(kind)
                        u.key("Name"); u.string(name)
                        if let electorate {
                            u.key("VotersRegistered"); u.int(electorate)
                        }
                        u.key("VotersParticipated"); u.int(papers)
                        u.key("TotalSubUnits"); u.int(boxes)
                        u.key("SubUnitsReported"); u.int(covered)
                        u.key("ComposingGpUnitIds"); u.array { ids in for part in parts { ids.string(part) } }
                    }
                }
                for contest in contests {
                    assert(!contest.areas.isLeftOut, "a NIST report gives every area: its snapshot must be made with them")
                    grouping(district(contest), "contest-district", contest.title, electorate: contest.electorate, papers: contest.ballotPapers,
                             boxes: contest.boxesTotal, covered: contest.boxesCovered, composedOf: contest.areas.indices.map { area(contest, $0) })
                    for (index, result) in contest.areas.enumerated() {
                        grouping(area(contest, index), "area", result.name, electorate: result.electorate, papers: result.ballotPapers,
                                 boxes: result.boxes, covered: result.coveredBoxes,
                                 composedOf: contest.definition.areas[index].boxes.map { box(contest, contest.definition.boxes[$0].id) })
                    }
                    for definition in contest.definition.boxes {
                        units.object { u in
                            u.key("@type"); u.string("ElectionResults.ReportingUnit")
                            u.key("@id"); u.string(box(contest, definition.id))
                            u.key("Type"); u.string("polling-place")
                            u.key("Name"); u.string(definition.id)
                            if let electorate = definition.electorate {
                                u.key("VotersRegistered"); u.int(electorate)
                            }
                        }
                    }
                }
            }
            r.key("Party"); r.array { parties in
                for contest in contests {
                    for result in contest.candidates where contest.system == .list || result.party != nil {
                        parties.object { p in
                            p.key("@type"); p.string("ElectionResults.Party")
                            p.key("@id"); p.string(party(contest, result.id))
                            p.key("Name"); text(&p, contest.system == .list ? result.name : result.party ?? "")
                            if let colour = result.colour {
                                p.key("Color"); p.string(String(colour.hex.dropFirst()))
                            }
                        }
                    }
                }
            }
            r.key("Election"); r.array { elections in
                elections.object { e in
                    e.key("@type"); e.string("ElectionResults.Election")
                    e.key("ElectionScopeId"); e.string(scope)
                    e.key("Name"); text(&e, title)
                    e.key("StartDate"); e.string(date)
                    e.key("EndDate"); e.string(date)
                    e.key("Type"); e.string("general")
                    e.key("Candidate"); e.array { list in
                        for contest in contests where contest.system != .list {
                            let called = contest.projection.status == .projected || contest.projection.status == .certain
                            for result in contest.candidates {
                                list.object { c in
                                    c.key("@type"); c.string("ElectionResults.Candidate")
                                    c.key("@id"); c.string(candidate(contest, result.id))
                                    c.key("BallotName"); text(&c, result.name)
                                    if result.party != nil {
                                        c.key("PartyId"); c.string(party(contest, result.id))
                                    }
                                    if contest.winners.contains(result.id) {
                                        c.key("PostElectionStatus"); c.string("winner")
                                    } else if called && contest.projection.winners.contains(result.id) {
                                        c.key("PostElectionStatus"); c.string("projected-winner")
                                    }
                                }
                            }
                        }
                    }
                    e.key("Contest"); e.array { list in
                        for contest in contests { contest.writeNIST(to: &list, district: district(contest), area: { area(contest, $0) },
                                                                    selection: { contest.system == .list ? party(contest, $0) : candidate(contest, $0) },
                                                                    text: text) }
                    }
                }
            }
        }
        return out.text
    }
}

extension ContestSnapshot {
    var nistCountStatus: String {
        switch status {
        case .awaiting: return "not-processed"
        case .complete, .declared: return "completed"
        default: return "in-process"
        }
    }

    /// A `CandidateContest` (fptp, sv, block) or a `PartyContest` (list),
    /// with each selection's votes in every area and in total.
    fileprivate func writeNIST(to list: inout JSONWriter, district: String, area: (Int) -> String, selection: (String) -> String,
                               text: (inout JSONWriter, String) -> Void) {
        list.object { c in
            c.key("@type"); c.string(system == .list ? "ElectionResults.PartyContest" : "ElectionResults.CandidateContest")
            c.key("@id"); c.string("contest-\(id)")
            c.key("Name"); c.string(title)
            c.key("ElectoralDistrictId"); c.string(district)
            if system != .list {
                c.key("VotesAllowed"); c.int(system == .block ? seats : 1)
                c.key("NumberElected"); c.int(seats)
            }
            switch system {
            case .fptp: c.key("VoteVariation"); c.string("plurality")
            case .block: c.key("VoteVariation"); c.string("n-of-m")
            case .list: c.key("VoteVariation"); c.string("proportional")
            case .sv:
                c.key("VoteVariation"); c.string("other")
                c.key("OtherVoteVariation"); c.string("supplementary-vote")
            }
            c.key("TotalSubUnits"); c.int(boxesTotal)
            c.key("SubUnitsReported"); c.int(boxesCovered)
            c.key("CountStatus"); c.array { statuses in
                statuses.object { s in
                    s.key("@type"); s.string("ElectionResults.CountStatus")
                    s.key("Type"); s.string("total")
                    s.key("Status"); s.string(nistCountStatus)
                }
            }
            c.key("SummaryCounts"); c.array { counts in
                counts.object { s in
                    s.key("@type"); s.string("ElectionResults.SummaryCounts")
                    s.key("Type"); s.string("total")
                    s.key("GpUnitId"); s.string(district)
                    s.key("BallotsCast"); s.int(countedBallots)
                    s.key("BallotsRejected"); s.int(rejected)
                }
                for (index, result) in areas.enumerated() {
                    counts.object { s in
                        s.key("@type"); s.string("ElectionResults.SummaryCounts")
                        s.key("Type"); s.string("total")
                        s.key("GpUnitId"); s.string(area(index))
                        s.key("BallotsCast"); s.int(result.countedBallots)
                    }
                }
            }
            c.key("BallotSelection"); c.array { selections in
                for (order, result) in candidates.sorted(by: { $0.electionIndex < $1.electionIndex }).enumerated() {
                    selections.object { s in
                        s.key("@type"); s.string(system == .list ? "ElectionResults.PartySelection" : "ElectionResults.CandidateSelection")
                        s.key("@id"); s.string("sel-\(id)-\(result.id)")
                        s.key("SequenceOrder"); s.int(order + 1)
                        s.key(system == .list ? "PartyIds" : "CandidateIds"); s.array { ids in ids.string(selection(result.id)) }
                        s.key("VoteCounts"); s.array { counts in
                            counts.object { v in
                                v.key("@type"); v.string("ElectionResults.VoteCounts")
                                v.key("Type"); v.string("total")
                                v.key("GpUnitId"); v.string(district)
                                v.key("Count"); v.int(result.votes)
                            }
                            for (index, areaResult) in areas.enumerated() {
                                counts.object { v in
                                    v.key("@type"); v.string("ElectionResults.VoteCounts")
                                    v.key("Type"); v.string("total")
                                    v.key("GpUnitId"); v.string(area(index))
                                    v.key("Count"); v.int(areaResult.votes[result.electionIndex])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
