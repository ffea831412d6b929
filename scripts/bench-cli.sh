#!/usr/bin/env bash
# bench-cli.sh — how close do `azhunt timeline` and `azhunt hunt` get to the cost of
# merely parsing?
#
# Generates (once) a seeded Activity Log corpus with azhunt-gen, then times, alternating in
# one run, `azhunt-gen parse-only FILE` (one thread: sonic-rs DOM per line, nothing else)
# and the command under test, and reports throughput, peak RSS, CPU% and the median
# command/parse-only throughput ratio. The command under test (BENCH):
#   timeline  `azhunt timeline FILE --format jsonl -o /dev/null` (default)
#   hunt      `azhunt hunt FILE --rules SIGMA --format jsonl -o /dev/null`: the built-in pack,
#             the stateful detectors and every SigmaHQ Azure rule in SIGMA
#             (default ../shared/corpus/sigma-azure/rules)
#
# Usage: [BENCH=hunt] scripts/bench-cli.sh [EVENTS=1000000] [DIR=bench-data]
# Env:   SKIP_BUILD=1 uses the existing binaries; AZHUNT=path overrides the azhunt binary;
#        ROUNDS=N alternates N times (default 3).
set -euo pipefail

EVENTS="${1:-1000000}"
DIR="${2:-bench-data}"
ROUNDS="${ROUNDS:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time is missing; install it with: apt-get install -y time" >&2
    exit 2
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release --locked -p azhunt-gen -p azhunt
fi
GEN="target/release/azhunt-gen"
AZHUNT="${AZHUNT:-target/release/azhunt}"

mkdir -p "$DIR"
FILE="$DIR/activity-${EVENTS}.jsonl"
if [[ ! -s "$FILE" ]]; then
    echo "generating $FILE ($EVENTS events, seed 42)…" >&2
    "$GEN" generate --shape activity-jsonl --events "$EVENTS" --seed 42 -o "$FILE.partial"
    mv "$FILE.partial" "$FILE"
fi
BYTES=$(stat -c %s "$FILE")

# timed CMD... — runs CMD with its stdout discarded; prints "seconds max_rss_kib cpu%".
timed() {
    local tf
    tf=$(mktemp)
    /usr/bin/time -f '%e %M %P' -o "$tf" "$@" >/dev/null
    tail -n 1 "$tf"
    rm -f "$tf"
}

# row ROUND NAME "seconds rss_kib cpu%" — one formatted table row.
row() {
    read -r secs rss cpu <<<"$3"
    awk -v r="$1" -v n="$2" -v s="$secs" -v k="$rss" -v c="$cpu" -v b="$BYTES" 'BEGIN {
        printf "%-5s %-12s %9.2f %9.1f %11.1f %7s\n", r, n, s, (s > 0 ? b / 1e6 / s : 0), k / 1024, c
    }'
}

# median N... — the middle value of the arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

rows=()
BENCH="${BENCH:-timeline}"
SIGMA="${SIGMA:-../shared/corpus/sigma-azure/rules}"
case "$BENCH" in
    timeline) CMD=("$AZHUNT" timeline "$FILE" --format jsonl -o /dev/null) ;;
    hunt) CMD=("$AZHUNT" hunt -q "$FILE" --rules "$SIGMA" --format jsonl -o /dev/null) ;;
    *) echo "error: BENCH must be timeline or hunt" >&2; exit 2 ;;
esac

parse_mbs=()
timeline_mbs=()
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS…" >&2
    p=$(timed "$GEN" parse-only "$FILE")
    t=$(timed "${CMD[@]}")
    rows+=("$(row "$round" parse-only "$p")" "$(row "$round" "$BENCH" "$t")")
    parse_mbs+=("$(awk -v b="$BYTES" -v s="${p%% *}" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')")
    timeline_mbs+=("$(awk -v b="$BYTES" -v s="${t%% *}" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')")
done

p_med=$(median "${parse_mbs[@]}")
t_med=$(median "${timeline_mbs[@]}")

{
    echo "bench-$BENCH $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
    echo "input:   $FILE ($EVENTS events, $BYTES bytes)"
    echo
    printf "%-5s %-12s %9s %9s %11s %7s\n" round command seconds MB/s "max RSS MB" CPU%
    printf '%s\n' "${rows[@]}"
    echo
    awk -v p="$p_med" -v t="$t_med" -v c="$BENCH" 'BEGIN {
        printf "median parse-only: %.1f MB/s\n", p
        printf "median %s: %.1f MB/s\n", c, t
        printf "%s / parse-only throughput: %.1f%%\n", c, (p > 0 ? 100 * t / p : 0)
    }'
} | tee "$DIR/bench-$BENCH-results.txt"
