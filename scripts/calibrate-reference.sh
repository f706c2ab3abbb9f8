#!/usr/bin/env bash
# Calibrates the projection on real geography: builds throw-away feeds from the
# reference data with the tool that ships beside it (never committed: the data's
# licences are not the project's), then runs `countnight calibrate` on every night,
# in every order, with verifications first and with their counts, and prints one table.
#
#   scripts/calibrate-reference.sh [NIGHTS_TOOL] [NIGHTS]
#
# NIGHTS_TOOL defaults to ../shared/tools/reference-nights.py; NIGHTS (per order) to 200.
# About 15 minutes on the project's 2-core machine with the defaults. Exit status as
# calibrate's: 1 when any night made a wrong call.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-../shared/tools/reference-nights.py}
nights=${2:-200}
[ -f "$tool" ] || { echo "calibrate-reference.sh: no $tool (the reference nights tool)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$tool" "$dir"
swift build -c release --product countnight >/dev/null
.build/release/countnight calibrate "$dir" --nights "$nights" --order all --verifications both | sed -n '/^night /,$p'
