#!/bin/bash
# One BCP vs labeled-only pair of bench/quality.ts: the shared pre-training (or --from <ckpt>), then both arms in
# parallel (2 cores), then the table. Logs and run folders at <out prefix>-*.
#   bench/quality-pair.sh <out prefix> <deadline, e.g. 23:17 or "+40 min"> <quality.ts args...>
# The deadline becomes each arm's --max-seconds, so a slow machine stops them cleanly (and still evaluates).
set -e
out=$1; end=$2; shift 2
cd "$(dirname "$0")/.."
Q="node --conditions=@bcpseg/source --import tsx bench/quality.ts $* --out $out"
$Q --method shared > "$out-shared.log" 2>&1
left=$(( $(date -d "$end" +%s) - $(date +%s) ))
$Q --method labeled-only --resume --max-seconds "$left" > "$out-lo.log" 2>&1 &
$Q --method bcp --resume --max-seconds "$left" > "$out-bcp.log" 2>&1 &
wait
$Q --table "$out" | tee "$out-table.md"
