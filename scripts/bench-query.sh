#!/usr/bin/env bash
# bench-query.sh — `azhunt query` against DuckDB over the same JSON Lines, in one run.
#
# The two queries of the query issue, alternated round by round with DuckDB's SQL equivalent
# (scripts/bench-query-duckdb.py) and with ingest alone (`timeline --since 2100-01-01`, what
# reading the evidence costs azhunt before any query work), so every ratio compares numbers
# taken minutes apart on the same machine state:
#   summarize  AzureActivity | summarize count() by Caller, bin(TimeGenerated, 1h)
#   where      AzureActivity | where OperationNameValue =~ '…/roleAssignments/write'
#              and isnotempty(CallerIpAddress) | count
# Prints one line per run (times, azhunt's peak RSS per query, DuckDB's peak RSS over both) and
# the median azhunt/DuckDB ratio of each query.
#
# Usage: scripts/bench-query.sh [EVENTS=1000000] [DIR=bench-data] [ROUNDS=3]
# Needs: DuckDB for Python (`pip install duckdb`), /usr/bin/time. SKIP_BUILD=1 reuses binaries.
set -euo pipefail

EVENTS="${1:-1000000}"
DIR="${2:-bench-data}"
ROUNDS="${3:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

python3 -c 'import duckdb' 2>/dev/null || {
    echo "error: DuckDB for Python is missing; install it with: pip install duckdb" >&2
    exit 2
}
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release --locked -p azhunt-gen -p azhunt
fi
AZHUNT="target/release/azhunt"
FILE="$DIR/activity-${EVENTS}.jsonl"
mkdir -p "$DIR"
if [[ ! -s "$FILE" ]]; then
    target/release/azhunt-gen generate --shape activity-jsonl --events "$EVENTS" --seed 42 -o "$FILE.partial"
    mv "$FILE.partial" "$FILE"
fi

SUMMARIZE='AzureActivity | summarize count() by Caller, bin(TimeGenerated, 1h)'
WHERE="AzureActivity | where OperationNameValue =~ 'Microsoft.Authorization/roleAssignments/write' and isnotempty(CallerIpAddress) | count"

# seconds CMD... — wall seconds and peak RSS (MiB) of CMD, output discarded.
seconds() {
    local tf
    tf=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null
    tail -n 1 "$tf" | awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }'
    rm -f "$tf"
}

# A first read warms the page cache, so no round pays for the disk.
"$AZHUNT" timeline -q --since 2100-01-01 "$FILE" -o /dev/null
ratios_s=()
ratios_w=()
for round in $(seq 1 "$ROUNDS"); do
    read -r s s_mb <<<"$(seconds "$AZHUNT" query -q "$SUMMARIZE" "$FILE" -o /dev/null)"
    read -r w w_mb <<<"$(seconds "$AZHUNT" query -q "$WHERE" "$FILE" -o /dev/null)"
    read -r i _ <<<"$(seconds "$AZHUNT" timeline -q --since 2100-01-01 "$FILE" -o /dev/null)"
    dtf=$(mktemp)
    duck=$(/usr/bin/time -f '%M' -o "$dtf" python3 scripts/bench-query-duckdb.py "$FILE")
    d_mb=$(tail -n 1 "$dtf" | awk '{ printf "%.0f", $1 / 1024 }')
    rm -f "$dtf"
    ds=$(awk '/^summarize/ { print $(NF - 1) }' <<<"$duck")
    dw=$(awk '/^where/ { print $(NF - 1) }' <<<"$duck")
    echo "round $round: summarize ${s}s ${s_mb}MiB (duckdb ${ds}s) | where ${w}s ${w_mb}MiB (duckdb ${dw}s) | ingest alone ${i}s | duckdb peak ${d_mb}MiB (both queries, one process)"
    ratios_s+=("$(awk -v a="$s" -v b="$ds" 'BEGIN { printf "%.2f", a / b }')")
    ratios_w+=("$(awk -v a="$w" -v b="$dw" 'BEGIN { printf "%.2f", a / b }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "azhunt/DuckDB, median of $ROUNDS rounds: summarize $(median "${ratios_s[@]}")x (${ratios_s[*]}), where $(median "${ratios_w[@]}")x (${ratios_w[*]})"
