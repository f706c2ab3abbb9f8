#!/usr/bin/env bash
# Measures how fast the dashboard answers keys while batch files land in bulk.
#
#   swift build -c release && scripts/key-latency.sh [FILES] [KEYS]
#
# Starts the release build's dashboard in a private tmux server on a new feed
# of FILES boxes (default 20000), lands one count file per box as fast as
# python can write them (dot-name, then rename), and meanwhile presses 3 and 1
# in turn KEYS times (default 20), timing each press until the screen shows
# the new view. The times include tmux's own send and capture (a few ms).
set -euo pipefail
files=${1:-20000}
keys=${2:-20}
binary="$(cd "$(dirname "$0")/.." && pwd)/.build/release/countnight"
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 2; }
feed=$(mktemp -d /tmp/countnight-latency-XXXXXX)
socket="countnight-latency-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$feed"; }
trap cleanup EXIT

python3 - "$feed" "$files" <<'PY'
import json, sys
feed, n = sys.argv[1], int(sys.argv[2])
boxes = [{"id": f"B{i}", "area": f"Area {i // 100}", "electorate": 2000} for i in range(n)]
election = {"format": "countnight-feed/1", "id": "latency", "title": "Key latency",
            "contests": [{"id": "c", "candidates": [{"id": f"k{i}", "name": f"Candidate {i}"} for i in range(4)], "boxes": boxes}]}
json.dump(election, open(f"{feed}/election.json", "w"))
PY

tmux -L "$socket" -f /dev/null new-session -d -s main -x 120 -y 40 \
    "env TERM=tmux-256color LANG=C.UTF-8 $binary watch $feed --interval 0.2"
tmux -L "$socket" set -g status off >/dev/null
until tmux -L "$socket" capture-pane -p -t main | grep -q "AWAITING"; do sleep 0.05; done

python3 - "$feed" "$files" <<'PY' &
import os, random, sys
feed, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    votes = {f"k{k}": random.randint(0, 150) for k in range(4)}
    body = '{"contest": "c", "kind": "count", "box": "B%d", "votes": %s}' % (i, str(votes).replace("'", '"'))
    tmp = f"{feed}/.c{i}.json"
    with open(tmp, "w") as f:
        f.write(body)
    os.rename(tmp, f"{feed}/c{i}.json")
PY
writer=$!

times=()
for ((i = 0; i < keys; i++)); do
    if ((i % 2 == 0)); then key=3; want="State"; else key=1; want="Ballots counted"; fi
    start=$(date +%s%N)
    tmux -L "$socket" send-keys -t main "$key"
    until tmux -L "$socket" capture-pane -p -t main | grep -q "$want"; do :; done
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    sleep 0.1
done
landed=$(ls "$feed" | wc -l)
wait "$writer"
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "files landing: $files (about $((landed - 1)) had landed when the last key was timed)"
echo "key presses: $keys; answer ms: min ${sorted[0]}, median ${sorted[$((keys / 2))]}, max ${sorted[$((keys - 1))]}"
