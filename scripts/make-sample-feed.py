#!/usr/bin/env python3
"""Writes sample-feeds/tower-hamlets-2010: an illustrative split of the 2010
Tower Hamlets mayoral count into boxes and bundles.

Only the contest-wide figures are real (the declared result). How they are
split over wards, boxes and bundles is invented here, deterministically, so
that the totals are exactly the declared ones. Run from the project folder:

    python3 scripts/make-sample-feed.py
"""
import json
import os
import random
import shutil

OUT = "sample-feeds/tower-hamlets-2010"
rng = random.Random(2010_10_21)

CANDIDATES = [
    # id, name, party, colour, declared first preferences
    ("rahman", "Lutfur Rahman", "Independent", "#6a3d9a", 23283),
    ("abbas", "Helal Abbas", "Labour", "#d50000", 11254),
    ("king", "Neil King", "Conservative", "#0087dc", 5348),
    ("griffiths", "John Griffiths", "Liberal Democrat", "#faa61a", 2800),
    ("duffell", "Alan Duffell", "Green", "#02a95b", 2300),
]
REJECTED = [
    ("want of official mark", 9),
    ("voting for more candidates than allowed", 342),
    ("writing or mark by which the voter can be identified", 21),
    ("unmarked or wholly void for uncertainty", 1362),
]
ELECTORATE = 182482
PAPERS = 46719

# Ward, code, relative electorate, turnout, and a lean for each candidate
# (rahman, abbas, king, griffiths, duffell). Invented for illustration.
WARDS = [
    ("Bethnal Green North", "BGN", 1.00, 0.27, (1.1, 1.0, 0.5, 1.0, 1.4)),
    ("Bethnal Green South", "BGS", 1.05, 0.29, (1.4, 0.9, 0.4, 0.8, 0.9)),
    ("Blackwall and Cubitt Town", "BCT", 1.10, 0.20, (0.4, 1.2, 2.4, 1.5, 0.9)),
    ("Bow East", "BOE", 1.00, 0.24, (0.6, 1.1, 1.8, 1.3, 1.6)),
    ("Bow West", "BOW", 0.95, 0.27, (0.6, 1.1, 1.5, 1.4, 1.9)),
    ("Bromley-by-Bow", "BBB", 1.00, 0.25, (1.3, 1.0, 0.6, 0.7, 0.6)),
    ("East India and Lansbury", "EIL", 1.00, 0.23, (1.0, 1.2, 0.9, 0.8, 0.7)),
    ("Limehouse", "LIM", 0.95, 0.24, (0.9, 1.0, 1.3, 1.2, 1.0)),
    ("Mile End and Globe Town", "MEG", 1.05, 0.26, (1.1, 1.0, 0.7, 1.0, 1.2)),
    ("Mile End East", "MEE", 0.95, 0.25, (1.3, 0.9, 0.6, 0.8, 0.8)),
    ("Millwall", "MIL", 1.15, 0.21, (0.3, 1.1, 2.6, 1.7, 1.0)),
    ("St Dunstan's and Stepney Green", "SDS", 1.00, 0.28, (1.4, 0.9, 0.5, 0.7, 0.8)),
    ("St Katharine's and Wapping", "SKW", 1.00, 0.22, (0.5, 1.0, 2.2, 1.6, 1.2)),
    ("Shadwell", "SHA", 1.00, 0.30, (1.5, 0.8, 0.4, 0.6, 0.6)),
    ("Spitalfields and Banglatown", "SPB", 0.90, 0.31, (1.6, 0.7, 0.4, 0.7, 1.0)),
    ("Weavers", "WEA", 1.00, 0.26, (1.2, 0.9, 0.6, 1.0, 1.5)),
    ("Whitechapel", "WHI", 1.00, 0.29, (1.5, 0.9, 0.4, 0.7, 0.8)),
]
POSTAL_ELECTORATE = 16000
POSTAL_BOXES = 4
BOXES_PER_WARD = 4


def largest_remainder(total, weights):
    """Splits an integer total in proportion to weights, exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# Areas: the wards, then the postal votes.
areas = []
ward_electorates = largest_remainder(ELECTORATE - POSTAL_ELECTORATE, [w[2] for w in WARDS])
for (name, code, _, turnout, lean), electorate in zip(WARDS, ward_electorates):
    areas.append({"name": name, "code": code, "electorate": electorate, "turnout": turnout, "lean": lean,
                  "boxes": BOXES_PER_WARD})
areas.append({"name": "Postal votes", "code": "PV", "electorate": POSTAL_ELECTORATE, "turnout": 0.50,
              "lean": (1.0, 1.1, 1.3, 1.1, 1.0), "boxes": POSTAL_BOXES})

# Votes: area x candidate, fitted so that each candidate's total is exact.
expected = [[a["electorate"] * a["turnout"] * a["lean"][c] for c in range(len(CANDIDATES))] for a in areas]
for _ in range(200):
    for c, cand in enumerate(CANDIDATES):
        column = sum(row[c] for row in expected)
        for row in expected:
            row[c] *= cand[4] / column
    for a, row in enumerate(expected):
        target = areas[a]["electorate"] * areas[a]["turnout"] * 0.963
        scale = target / sum(row)
        expected[a] = [v * scale for v in row]
votes = [[0] * len(areas) for _ in CANDIDATES]
for c, cand in enumerate(CANDIDATES):
    votes[c] = largest_remainder(cand[4], [row[c] for row in expected])
for a, area in enumerate(areas):
    area["votes"] = [votes[c][a] for c in range(len(CANDIDATES))]

# Rejected ballots: each reason spread over the areas by their valid votes.
valid_by_area = [sum(a["votes"]) for a in areas]
for a in areas:
    a["rejected"] = {}
for reason, total in REJECTED:
    for a, count in zip(areas, largest_remainder(total, valid_by_area)):
        if count:
            a["rejected"][reason] = count

# Boxes: split each area's papers over its boxes, each under its electorate.
boxes = []
for a in areas:
    a["papers"] = sum(a["votes"]) + sum(a["rejected"].values())
    shares = [rng.uniform(0.8, 1.2) for _ in range(a["boxes"])]
    box_electorates = largest_remainder(a["electorate"], shares)
    papers = largest_remainder(a["papers"], [e * rng.uniform(0.9, 1.1) for e in box_electorates])
    a["box_ids"] = []
    for n, (electorate, count) in enumerate(zip(box_electorates, papers), start=1):
        box_id = f"{a['code']}-{n}"
        assert count <= electorate
        boxes.append({"id": box_id, "area": a["name"], "electorate": electorate, "papers": count})
        a["box_ids"].append(box_id)

assert sum(b["electorate"] for b in boxes) == ELECTORATE
assert sum(b["papers"] for b in boxes) == PAPERS, sum(b["papers"] for b in boxes)

election = {
    "format": "countnight-feed/1",
    "id": "th-mayor-2010",
    "title": "Tower Hamlets Mayoral Election 2010",
    "rehearsal": False,
    "contests": [{
        "id": "mayor",
        "title": "Mayor of Tower Hamlets",
        "system": "sv",
        "seats": 1,
        "electorate": ELECTORATE,
        "candidates": [{"id": c[0], "name": c[1], "party": c[2], "colour": c[3]} for c in CANDIDATES],
        "boxes": [{"id": b["id"], "area": b["area"], "electorate": b["electorate"]} for b in boxes],
    }],
}

# The night: verification from 22:30, counting of each area once its boxes are
# verified, in bundles, until about 03:30 (times in BST, +01:00).
files = []
start = 22 * 60 + 30
order = list(range(len(areas)))
rng.shuffle(order)
box_by_id = {b["id"]: b for b in boxes}


def stamp(minutes):
    day = 21 + minutes // (24 * 60)
    minutes %= 24 * 60
    return f"2010-10-{day:02d}T{minutes // 60:02d}:{minutes % 60:02d}:00+01:00"


minute = start
verified_at = {}
for position, a_index in enumerate(order):
    a = areas[a_index]
    for box_id in a["box_ids"]:
        minute += rng.randint(1, 3)
        verified_at[a_index] = minute
        files.append((minute, f"verify-{box_id}.json", {
            "election": "th-mayor-2010", "contest": "mayor", "kind": "verification", "box": box_id,
            "ballotPapers": box_by_id[box_id]["papers"], "at": stamp(minute)}))
count_minute = start + 30
for position, a_index in enumerate(order):
    a = areas[a_index]
    # Bundles of an area are counted once all its boxes are verified.
    count_minute = max(count_minute, verified_at[a_index] + 10)
    bundles = 3 if a["papers"] > 2600 else 2
    weights = [rng.uniform(0.7, 1.3) for _ in range(bundles)]
    split_votes = [largest_remainder(v, weights) for v in a["votes"]]
    split_rejected = {r: largest_remainder(n, weights) for r, n in a["rejected"].items()}
    for k in range(bundles):
        count_minute += rng.randint(2, 6)
        body = {
            "election": "th-mayor-2010", "contest": "mayor", "kind": "count", "area": a["name"], "batch": str(k + 1),
            "votes": {CANDIDATES[c][0]: split_votes[c][k] for c in range(len(CANDIDATES))},
            "rejected": {r: n[k] for r, n in split_rejected.items() if n[k]},
            "at": stamp(count_minute),
        }
        body["ballots"] = sum(body["votes"].values()) + sum(body["rejected"].values())
        name = f"count-{a['code']}-{k + 1}.json"
        if a["code"] == "BOE" and k == 0:
            # A bundle first entered with two piles of ten swapped, then corrected.
            wrong = dict(body)
            wrong["votes"] = dict(body["votes"])
            wrong["votes"]["rahman"] -= 10
            wrong["votes"]["abbas"] += 10
            files.append((count_minute, name, wrong))
            correction = dict(body)
            correction["revision"] = 2
            correction["at"] = stamp(count_minute + 25)
            files.append((count_minute + 25, f"count-{a['code']}-{k + 1}-revision-2.json", correction))
            continue
        files.append((count_minute, name, body))

if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(OUT)
with open(os.path.join(OUT, "election.json"), "w") as f:
    json.dump(election, f, indent=2, ensure_ascii=False)
    f.write("\n")
for _, name, body in sorted(files, key=lambda f: f[0]):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(body, f, ensure_ascii=False)
        f.write("\n")
print(f"wrote {len(files)} batch files and election.json to {OUT}")
