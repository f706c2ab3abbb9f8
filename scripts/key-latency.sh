#!/usr/bin/env bash
# Measures how fast the dashboard answers keys while it has work to do.
#
#   swift build -c release && scripts/key-latency.sh [FILES] [KEYS]
#   scripts/key-latency.sh --first-read DIR [KEYS]
#
# Starts the release build's dashboard in a private tmux server and presses
# 3 and 1 in turn KEYS times (default 20), timing each press until the
# screen shows the new view. The times include tmux's own send and capture
# (a few ms).
#
# FILES: on a new feed of FILES boxes (default 20000), lands one count file
# per box as fast as python can write them (dot-name, then rename) meanwhile.
#
# --first-read DIR: on a feed already on disk (for example one made by
# `countnight-bench feed DIR 1000000`), pressing keys from the start, while
# the dashboard's first read of it is under way (the screen still AWAITING
# every box); then 20 presses once it is read, for comparison. KEYS should
# be enough to outlast the first read (about 4 presses a second): pressing
# stops once it ends.
set -euo pipefail
first_read=
if [ "${1:-}" = --first-read ]; then
    first_read=${2:?usage: key-latency.sh --first-read DIR [KEYS]}
    keys=${3:-20}
else
    files=${1:-20000}
    keys=${2:-20}
fi
binary="$(cd "$(dirname "$0")/.." && pwd)/.build/release/countnight"
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 2; }
socket="countnight-latency-$$"
feed=
writer=
cleanup() {
    if [ -n "$writer" ]; then kill "$writer" 2>/dev/null || true; fi
    tmux -L "$socket" kill-server 2>/dev/null || true
    if [ -n "$feed" ]; then rm -rf "$feed"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

press() {
    # Presses 3 and 1 in turn; prints the ms until the new view is on the screen.
    local i=$1 key want start end
    # What the boxes view (3) shows and the overview (1) does not, and the other way round.
    if ((i % 2 == 0)); then key=3; want="State"; else key=1; want="Turnout"; fi
    start=$(date +%s%N)
    tmux -L "$socket" send-keys -t main "$key"
    until tmux -L "$socket" capture-pane -p -t main | grep -q "$want"; do
        if (( $(date +%s%N) - start > 10000000000 )); then
            echo "no \"$want\" on the screen 10 s after pressing $key" >&2
            exit 1
        fi
    done
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}

summary() {
    local sorted=($(printf '%s\n' "$@" | sort -n)) n=$#
    # Nearest rank: the p-th percentile is the ceil(p n / 100)-th smallest.
    local p90=${sorted[$(( (90 * n + 99) / 100 - 1 ))]} p99=${sorted[$(( (99 * n + 99) / 100 - 1 ))]}
    local within=$(printf '%s\n' "$@" | awk '$1 <= 50' | wc -l)
    echo "key presses: $n; answer ms: min ${sorted[0]}, median ${sorted[$((n / 2))]}, p90 $p90, p99 $p99, max ${sorted[$((n - 1))]}; within 50 ms: $within of $n"
}

if [ -n "$first_read" ]; then
    [ -f "$first_read/election.json" ] || { echo "$first_read has no election.json" >&2; exit 2; }
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    start=$(date +%s%N)
    tmux -L "$socket" -f /dev/null new-session -d -s main -x 120 -y 40 \
        "exec env TERM=tmux-256color LANG=C.UTF-8 $binary watch $first_read"
    tmux -L "$socket" set -g status off >/dev/null
    # The screen is up (election.json read) once it shows the contest awaiting its boxes.
    until tmux -L "$socket" capture-pane -p -t main | grep -q "AWAITING"; do sleep 0.05; done
    echo "dashboard up after $(( ($(date +%s%N) - start) / 1000000 )) ms"
    during=()
    for ((i = 0; i < keys; i++)); do
        ms=$(press "$i")
        # A press counts if the read was still under way when it was answered.
        tmux -L "$socket" capture-pane -p -t main | grep -q "AWAITING" || break
        during+=("$ms")
        sleep 0.2
    done
    until ! tmux -L "$socket" capture-pane -p -t main | grep -q "AWAITING"; do sleep 0.2; done
    echo "first read done after $(( ($(date +%s%N) - start) / 1000000 )) ms"
    echo "during the first read:"
    [ ${#during[@]} -gt 0 ] && summary "${during[@]}"
    # The same presses on the same screen with the feed read, for comparison in the same run.
    sleep 2
    idle=()
    for ((i = 0; i < 20; i++)); do
        idle+=("$(press "$i")")
        sleep 0.2
    done
    echo "after it, the feed quiet:"
    summary "${idle[@]}"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

feed=$(mktemp -d /tmp/countnight-latency-XXXXXX)
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
    times+=("$(press "$i")")
    sleep 0.1
done
landed=$(ls "$feed" | wc -l)
wait "$writer"
writer=
echo "files landing: $files (about $((landed - 1)) had landed when the last key was timed)"
summary "${times[@]}"
