#!/bin/sh
# Imports each EML 510 file given into a throw-away feed and shows that the
# feed's snapshot reconciles with the file's own totals (the import refuses
# to write a feed that does not) and what `countnight check` says of it.
# Usage: scripts/check-eml-import.sh FILE.xml [--seats N] ...
#   scripts/check-eml-import.sh /work/shared/reference-data/eml510b-gr2022-west-maas-en-waal.xml --seats 21
#   scripts/check-eml-import.sh /work/shared/reference-data/eml510b-tk2025-west-maas-en-waal.xml
# The files are not copied anywhere: the feed lives in a temporary folder that is removed.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 FILE.xml [--seats N] [--method M]" >&2; exit 64; }
cd "$(dirname "$0")/.."
swift build --product countnight >/dev/null
bin=.build/debug/countnight
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bin import eml "$@" --into "$work/feed"
python3 - "$1" "$work/feed" "$bin" <<'PY'
import json, re, subprocess, sys
xml, feed, binary = sys.argv[1:4]
text = open(xml, encoding="utf-8").read()
total = text[text.index("<TotalVotes>"):text.index("</TotalVotes>")]
lists = dict(re.findall(r'<AffiliationIdentifier Id="([^"]+)">.*?</AffiliationIdentifier><ValidVotes>(\d+)</ValidVotes>', total))
rejected = dict(re.findall(r'<RejectedVotes ReasonCode="([^"]+)">(\d+)</RejectedVotes>', total))
counted = int(re.search(r"<TotalCounted>(\d+)</TotalCounted>", total).group(1))
snapshot = json.loads(subprocess.run([binary, "snapshot", feed], capture_output=True, text=True, check=True).stdout)
contest = snapshot["contests"][0]
got = {c["id"].removeprefix("list-"): c["votes"] for c in contest["candidates"]}
ok = got == {k: int(v) for k, v in lists.items()}
ok &= {k: v for k, v in contest["rejectedByReason"].items() if v} == {k: int(v) for k, v in rejected.items() if int(v)}
ok &= contest["valid"] == counted
print(f"{xml}: {len(lists)} lists, valid {contest['valid']} (TotalCounted {counted}), rejected {contest['rejectedByReason']} (file {rejected})")
print("seats:", ", ".join(f"{c['name']} {c['seats']}" for c in contest["candidates"] if c["seats"]))
print("reconciles exactly with TotalVotes" if ok else "DOES NOT RECONCILE")
sys.exit(0 if ok else 1)
PY
$bin check "$work/feed" >/dev/null 2>"$work/check.txt" && echo "countnight check: clean" || { echo "countnight check:"; cat "$work/check.txt"; }
