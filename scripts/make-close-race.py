#!/usr/bin/env python3
"""Writes a synthetic, complete count of a close first-past-the-post race into
a feed directory, for trying `countnight calibrate` on a race that is hard to
call. Everything in it is invented.

    python3 scripts/make-close-race.py /tmp/close-race [--seed 7] [--lead 0.01]

30 wards of 4 boxes. Two main candidates whose strength varies a lot from
ward to ward, and a third; the wards' leans are drawn, then the whole night is
scaled so that the winner's lead over the runner-up is about --lead of the
valid votes. Every box is verified, then counted box by box.
"""
import argparse
import json
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--lead", type=float, default=0.01)
args = parser.parse_args()
rng = random.Random(args.seed)

os.makedirs(args.out, exist_ok=True)
if any(not name.startswith(".") for name in os.listdir(args.out)):
    raise SystemExit(f"{args.out} is not empty")

candidates = [("green", "Gwen Green"), ("brown", "Bryn Brown"), ("grey", "Gary Grey")]
wards = []
for w in range(30):
    lean = rng.gauss(0, 0.18)           # green minus brown, as a share
    third = rng.uniform(0.05, 0.2)
    wards.append({"name": f"Ward {w + 1:02d}", "lean": lean, "third": third,
                  "boxes": [rng.randint(600, 1600) for _ in range(4)]})

# Shift every ward's lean by one amount so that green's overall lead is --lead.
papers = sum(sum(w["boxes"]) for w in wards)
mean_lean = sum(w["lean"] * sum(w["boxes"]) for w in wards) / papers
for w in wards:
    w["lean"] += args.lead - mean_lean

election = {"format": "countnight-feed/1", "id": "close-race", "title": "A close race (synthetic)",
            "contests": [{"id": "seat", "title": "Seat", "system": "fptp",
                          "candidates": [{"id": c, "name": n} for c, n in candidates], "boxes": []}]}
boxes = election["contests"][0]["boxes"]
files = {}
for w in wards:
    for b, size in enumerate(w["boxes"]):
        box = f"{w['name'][-2:]}-{b + 1}"
        boxes.append({"id": box, "area": w["name"], "electorate": int(size / rng.uniform(0.25, 0.45))})
        rejected = rng.randint(0, size // 100)
        valid = size - rejected
        third = int(valid * max(0, rng.gauss(w["third"], 0.02)))
        rest = valid - third
        green_share = min(1, max(0, 0.5 + (w["lean"] + rng.gauss(0, 0.03)) / 2))
        green = int(round(rest * green_share))
        brown = rest - green
        files[f"verify-{box}.json"] = {"contest": "seat", "kind": "verification", "box": box, "ballotPapers": size}
        files[f"count-{box}.json"] = {"contest": "seat", "kind": "count", "box": box,
                                      "votes": {"green": green, "brown": brown, "grey": third},
                                      "rejected": {"unmarked or wholly void for uncertainty": rejected}}
with open(os.path.join(args.out, "election.json"), "w") as f:
    json.dump(election, f, indent=1)
for name, body in files.items():
    with open(os.path.join(args.out, name), "w") as f:
        json.dump(body, f)
totals = {c: sum(b["votes"][c] for b in files.values() if b["kind"] == "count") for c, _ in candidates}
print(args.out, totals)
