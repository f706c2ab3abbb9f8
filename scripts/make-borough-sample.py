#!/usr/bin/env python3
"""Writes sample-feeds/riverside-2026: a synthetic borough count night with
three contests, to show what a real night looks like beyond one simple race:

- a mayor elected by Supplementary Vote at a second stage,
- a three-seat ward (block vote),
- a single-seat by-election (first past the post),

each verified box by box, counted (the mayor in mixed bundles per ward, the
others box by box), and ending with the returning officer's declaration.
Everything in it is invented. Run from the project folder:

    python3 scripts/make-borough-sample.py
"""
import json
import os
import random
import shutil

OUT = "sample-feeds/riverside-2026"
rng = random.Random(2026_05_07)

MAYOR = [("okafor", "Grace Okafor", "Labour", "#d50000"), ("hale", "Tom Hale", "Conservative", "#0087dc"),
         ("brandt", "Ilse Brandt", "Green", "#02a95b"), ("moss", "Peter Moss", "Liberal Democrat", "#faa61a"),
         ("quinn", "Sam Quinn", "Independent", "#6a3d9a")]
# Ward: relative size, turnout, lean per mayoral candidate.
WARDS = [("Eastgate", 1.0, 0.31, (1.2, 0.8, 1.1, 1.0, 0.9)), ("Westbank", 1.1, 0.27, (0.8, 1.3, 0.8, 1.1, 1.0)),
         ("Northfield", 0.9, 0.35, (1.0, 1.1, 1.0, 0.9, 1.3)), ("Southmead", 1.0, 0.29, (1.3, 0.7, 1.2, 0.9, 0.8)),
         ("Old Town", 0.8, 0.33, (0.9, 1.0, 1.4, 1.2, 1.0)), ("Riverside", 1.2, 0.25, (1.1, 1.0, 0.9, 1.0, 1.1))]
BASE = (0.36, 0.31, 0.14, 0.11, 0.08)
# Second preferences of the eliminated candidates' ballots: to Okafor, to Hale, the rest nobody.
TRANSFER = (0.36, 0.27)
WARD_SEATS = 3
WARD = [("ahmed", "Rukhsana Ahmed", "Labour"), ("bell", "Chris Bell", "Labour"), ("cole", "Dana Cole", "Labour"),
        ("drew", "Eddie Drew", "Conservative"), ("ellis", "Fern Ellis", "Conservative"), ("ford", "Gil Ford", "Green"),
        ("grant", "Hana Grant", "Liberal Democrat")]
WARD_SHARE = (0.19, 0.17, 0.16, 0.15, 0.14, 0.11, 0.08)
BY = [("ivers", "Jo Ivers", "Conservative"), ("jones", "Kim Jones", "Labour"), ("khan", "Lena Khan", "Green"),
      ("lowe", "Max Lowe", "Reform")]
BY_SHARE = (0.34, 0.39, 0.15, 0.12)
REJECT = ["want of official mark", "voting for more candidates than allowed",
          "writing or mark by which the voter can be identified", "unmarked or wholly void for uncertainty"]

clock = [22 * 60]  # minutes after midnight before the night, local time (+01:00)


def at(step=4):
    clock[0] += rng.randint(1, step)
    minutes = clock[0]
    day = 7 + minutes // (24 * 60)
    minutes %= 24 * 60
    return f"2026-05-{day:02d}T{minutes // 60:02d}:{minutes % 60:02d}:00+01:00"


def split(total, shares):
    weights = [max(0.001, s * rng.uniform(0.93, 1.07)) for s in shares]
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def rejected(papers):
    count = max(0, int(papers * rng.uniform(0.005, 0.015)))
    reasons = {}
    for _ in range(count):
        reason = rng.choice(REJECT)
        reasons[reason] = reasons.get(reason, 0) + 1
    return reasons


files = []
mayor_boxes, mayor_counts, mayor_second = [], [], []
totals = {c[0]: 0 for c in MAYOR}
total_rejected = {}
papers_all = 0
for name, size, turnout, lean in WARDS:
    ward_votes = [0] * len(MAYOR)
    ward_papers = 0
    for b in range(3):
        box = f"{name[:2].upper()}{b + 1}" if name != "Old Town" else f"OT{b + 1}"
        electorate = int(2600 * size * rng.uniform(0.85, 1.15))
        papers = int(electorate * turnout * rng.uniform(0.9, 1.1))
        mayor_boxes.append({"id": box, "area": name, "electorate": electorate})
        files.append((f"verify-{box}.json", {"contest": "mayor", "kind": "verification", "box": box, "ballotPapers": papers}))
        ward_papers += papers
    shares = [b * l for b, l in zip(BASE, lean)]
    reasons = rejected(ward_papers)
    valid = ward_papers - sum(reasons.values())
    # Two mixed bundles per ward.
    votes = split(valid, shares)
    first = [v // 2 for v in votes]
    second = [v - f for v, f in zip(votes, first)]
    first_rej = {r: c // 2 for r, c in reasons.items()}
    second_rej = {r: c - first_rej[r] for r, c in reasons.items()}
    for number, (part, rej) in enumerate(((first, first_rej), (second, second_rej)), 1):
        mayor_counts.append((f"count-{name.replace(' ', '')}-{number}.json",
                             {"contest": "mayor", "kind": "count", "area": name, "batch": str(number),
                              "votes": {c[0]: v for c, v in zip(MAYOR, part)},
                              "rejected": {r: c for r, c in rej.items() if c}}))
    for c, v in zip(MAYOR, votes):
        totals[c[0]] += v
    for r, c in reasons.items():
        total_rejected[r] = total_rejected.get(r, 0) + c
    papers_all += ward_papers
    mayor_second.append((name, votes))

order = sorted(totals, key=lambda k: -totals[k])
valid_all = sum(totals.values())
assert totals[order[0]] * 2 <= valid_all, "the mayor must go to a second stage"
finalists = order[:2]
transfers = {f: 0 for f in finalists}
second_files = []
for name, votes in mayor_second:
    eliminated = sum(v for c, v in zip(MAYOR, votes) if c[0] not in finalists)
    to_first = int(eliminated * TRANSFER[0] * rng.uniform(0.9, 1.1))
    to_second = int(eliminated * TRANSFER[1] * rng.uniform(0.9, 1.1))
    transfers[finalists[0]] += to_first
    transfers[finalists[1]] += to_second
    second_files.append((f"second-{name.replace(' ', '')}.json",
                         {"contest": "mayor", "kind": "second-preferences", "area": name,
                          "transfers": {finalists[0]: to_first, finalists[1]: to_second},
                          "nonTransferable": eliminated - to_first - to_second}))
final = {f: totals[f] + transfers[f] for f in finalists}
mayor_winner = max(final, key=lambda f: final[f])

# The three-seat ward: four boxes, each voter up to three votes.
ward_boxes, ward_counts = [], []
ward_totals = [0] * len(WARD)
ward_rejected = {}
for b in range(4):
    box = f"EG-W{b + 1}"
    electorate = rng.randint(1800, 2400)
    papers = int(electorate * rng.uniform(0.28, 0.34))
    ward_boxes.append({"id": box, "area": "Eastgate", "electorate": electorate})
    files.append((f"verify-{box}.json", {"contest": "eastgate", "kind": "verification", "box": box, "ballotPapers": papers}))
    reasons = rejected(papers)
    good = papers - sum(reasons.values())
    votes = [min(good, v) for v in split(int(good * 2.7), WARD_SHARE)]
    ward_counts.append((f"count-{box}.json", {"contest": "eastgate", "kind": "count", "box": box, "ballots": papers,
                                              "votes": {c[0]: v for c, v in zip(WARD, votes)}, "rejected": reasons}))
    ward_totals = [t + v for t, v in zip(ward_totals, votes)]
    for r, c in reasons.items():
        ward_rejected[r] = ward_rejected.get(r, 0) + c
ward_order = sorted(range(len(WARD)), key=lambda i: -ward_totals[i])
assert ward_totals[ward_order[2]] > ward_totals[ward_order[3]]
ward_elected = [WARD[i][0] for i in ward_order[:WARD_SEATS]]

# The by-election: three boxes, counted box by box.
by_boxes, by_counts = [], []
by_totals = [0] * len(BY)
by_rejected = {}
by_papers = 0
for b in range(3):
    box = f"NF-B{b + 1}"
    electorate = rng.randint(2000, 2600)
    papers = int(electorate * rng.uniform(0.22, 0.3))
    by_papers += papers
    by_boxes.append({"id": box, "area": "Northfield", "electorate": electorate})
    files.append((f"verify-{box}.json", {"contest": "northfield", "kind": "verification", "box": box, "ballotPapers": papers}))
    reasons = rejected(papers)
    votes = split(papers - sum(reasons.values()), BY_SHARE)
    by_counts.append((f"count-{box}.json", {"contest": "northfield", "kind": "count", "box": box,
                                            "votes": {c[0]: v for c, v in zip(BY, votes)}, "rejected": reasons}))
    by_totals = [t + v for t, v in zip(by_totals, votes)]
    for r, c in reasons.items():
        by_rejected[r] = by_rejected.get(r, 0) + c
by_winner = BY[max(range(len(BY)), key=lambda i: by_totals[i])][0]

# The night: verifications first, then the counts mixed, then the mayor's
# second stage, then the declarations.
night = files
counts = mayor_counts + ward_counts + by_counts
rng.shuffle(counts)
night = night + counts + second_files
stamped = [(name, dict(body, at=at(3 if body["kind"] == "verification" else 6))) for name, body in night]
stamped.append(("declaration-northfield.json", {"contest": "northfield", "kind": "declaration", "at": at(),
                                                "votes": {c[0]: v for c, v in zip(BY, by_totals)}, "rejected": by_rejected,
                                                "ballotPapers": by_papers, "elected": [by_winner]}))
stamped.append(("declaration-eastgate.json", {"contest": "eastgate", "kind": "declaration", "at": at(),
                                              "votes": {c[0]: v for c, v in zip(WARD, ward_totals)}, "rejected": ward_rejected,
                                              "elected": ward_elected}))
stamped.append(("declaration-mayor.json", {"contest": "mayor", "kind": "declaration", "at": at(),
                                           "votes": totals, "rejected": total_rejected, "ballotPapers": papers_all,
                                           "transfers": {c[0]: transfers.get(c[0], 0) for c in MAYOR},
                                           "elected": [mayor_winner]}))

election = {
    "format": "countnight-feed/1", "id": "riverside-2026", "title": "Riverside borough elections 2026 (synthetic)",
    "contests": [
        {"id": "mayor", "title": "Mayor of Riverside", "system": "sv",
         "candidates": [{"id": i, "name": n, "party": p, "colour": c} for i, n, p, c in MAYOR], "boxes": mayor_boxes},
        {"id": "eastgate", "title": "Eastgate ward (3 seats)", "system": "block", "seats": WARD_SEATS,
         "candidates": [{"id": i, "name": n, "party": p} for i, n, p in WARD], "boxes": ward_boxes},
        {"id": "northfield", "title": "Northfield by-election", "system": "fptp",
         "candidates": [{"id": i, "name": n, "party": p} for i, n, p in BY], "boxes": by_boxes},
    ],
}

shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
with open(os.path.join(OUT, "election.json"), "w") as f:
    json.dump(election, f, indent=1)
    f.write("\n")
for name, body in stamped:
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(body, f)
        f.write("\n")
with open(os.path.join(OUT, "README.md"), "w") as f:
    f.write(f"""# Riverside borough elections 2026 (synthetic)

**Everything in this feed is invented**: the borough, the candidates, the
boxes and every figure. It shows a count night of three contests, written by
`scripts/make-borough-sample.py`:

- **Mayor of Riverside** (Supplementary Vote), 18 boxes in six wards, counted
  in two mixed bundles per ward. Nobody has more than half of the first
  preferences ({', '.join(f'{k} {v:,}' for k, v in sorted(totals.items(), key=lambda kv: -kv[1]))});
  {finalists[0]} and {finalists[1]} go to a second stage, whose second
  preferences are counted ward by ward: {finalists[0]} {final[finalists[0]]:,},
  {finalists[1]} {final[finalists[1]]:,}. Elected: **{mayor_winner}**.
- **Eastgate ward** (block vote, three seats), four boxes counted box by box.
  Elected: **{', '.join(ward_elected)}**.
- **Northfield by-election** (first past the post), three boxes. Elected:
  **{by_winner}**.

Each ends with the returning officer's declaration, which agrees with the
count. Try `countnight replay sample-feeds/riverside-2026` or
`countnight snapshot sample-feeds/riverside-2026 --format text`.
""")
print(OUT, len(stamped), "files;", "mayor", mayor_winner, final, "ward", ward_elected, "by", by_winner)
