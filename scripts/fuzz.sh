#!/usr/bin/env bash
# Fuzzes one of CountNight's parsers with libFuzzer for a number of seconds.
#
#   scripts/fuzz.sh TARGET SECONDS      TARGET: batch, election or journal
#
# The target is built from fuzz/TARGET.swift, linked with the CountNightCore
# sources built as a library, both with `swiftc -sanitize=fuzzer,address`,
# into .build/fuzz/. It starts from the seed corpus fuzz/seeds/TARGET and
# keeps what it finds in .build/fuzz/corpus/TARGET (out of git). Prints one
# line: the inputs run, or the crash (or timeout, or memory exhausted) with
# the file holding its input; exits 1 then, 2 when the target cannot be built.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
seconds=${2:-}
if [[ ! -f fuzz/$target.swift || ! $seconds =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh batch|election|journal SECONDS" >&2
    exit 64
fi

out=.build/fuzz
binary=$out/$target
mkdir -p "$out/lib" "$out/corpus/$target" "$out/crashes"
sanitize=(-sanitize=fuzzer,address -parse-as-library -O -g)

# Runs a build step, its output kept in a log; on failure says where and stops.
build() {
    local what=$1 log=$2
    shift 2
    if ! "$@" >"$log" 2>&1; then
        echo "fuzz $target: cannot build $what, see $log" >&2
        tail -n 20 "$log" >&2
        exit 2
    fi
}
# Whether $1 is missing or older than any of the files after it.
stale() {
    local made=$1
    shift
    [[ ! -f $made ]] || [[ -n $(find "$@" -newer "$made" | head -1) ]]
}

# The core once, instrumented, as a library the three targets link.
core=$out/lib/libCountNightCore.a
mapfile -t sources < <(find Sources/CountNightCore -name '*.swift' | sort)
if stale "$core" "${sources[@]}"; then
    build CountNightCore "$out/core-build.log" swiftc "${sanitize[@]}" -module-name CountNightCore \
        -emit-module -emit-module-path "$out/lib/CountNightCore.swiftmodule" -emit-library -static -o "$core" "${sources[@]}"
fi
if stale "$binary" "fuzz/$target.swift" "$core"; then
    build "$target" "$out/$target-build.log" swiftc "${sanitize[@]}" -I "$out/lib" -L "$out/lib" -lCountNightCore \
        "fuzz/$target.swift" -o "$binary"
fi

log=$out/$target.log
status=0
# The Swift runtime's backtracer would take the crash from libFuzzer (and trips
# over the address sanitizer doing so): libFuzzer reports it and keeps the input.
SWIFT_BACKTRACE=enable=no "$binary" "$out/corpus/$target" "fuzz/seeds/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$out/crashes/$target-" >"$log" 2>&1 || status=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
if [[ $status -eq 0 && -n $runs ]]; then
    echo "fuzz $target: $runs inputs in $seconds s, no crash (corpus $(ls "$out/corpus/$target" | wc -l) files)"
    exit 0
fi
artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
# libFuzzer names the input after what went wrong: crash, timeout, oom, leak.
kind=$(basename "${artifact:-$target-crash}" | sed "s/^$target-\([a-z]*\)-.*/\1/" | tr a-z A-Z)
echo "fuzz $target: ${kind:-CRASH}; input: ${artifact:-none written}; log: $log" >&2
grep -m 12 -e 'Fatal error' -e 'ERROR:' -e '^    #[0-9] ' -e 'SUMMARY: AddressSanitizer' "$log" >&2 || tail -n 12 "$log" >&2
exit 1
