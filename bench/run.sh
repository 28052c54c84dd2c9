#!/usr/bin/env bash
# bench/run.sh: floe next to DuckDB on TPC-DS web_sales (SF1, 719,384 rows),
# in one run, both engines on every core, best of 3 runs each.
#
# usage: bench/run.sh [FLOE]   (`make bench` passes build/floe)
#
#  (1) text -> Parquet (zstd): `floe parquet write` vs DuckDB
#      COPY (SELECT * FROM read_csv(..., delim='|', columns={exact types}))
#      TO ... (FORMAT parquet, COMPRESSION zstd); rate = MB of the
#      (uncompressed) input text per second.
#  (2) full scan: `floe parquet scan` (decodes every column of every row
#      group) vs DuckDB `SELECT count(*), min(c), max(c), count(c) for every
#      column c` (must decode every column); on the file each engine wrote
#      and on the other's; rate = MB of the Parquet file per second.
#  (3) Iceberg scan planning (floe-plan-bench, next to FLOE): 10,000 data
#      files in 1,000 manifests, unfiltered and 1% selective, serial and on
#      every core; floe only (DuckDB's iceberg extension is not offline).
# Times are each tool's own measurement of the work (no process start-up).
# Shared data: $FLOE_SHARED, else ../shared next to the repository, else
# /work/shared.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
floe=$(realpath "${1:-$root/build/floe}")
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$root/../shared/tpcds" ]; then shared=$(cd "$root/../shared" && pwd); else shared=/work/shared; fi
fi
input=$shared/tpcds/sf1-web/web_sales.dat.zst
schema=$shared/tpcds/schema/web_sales.sql
[ -f "$input" ] || { echo "bench: $input not found (set FLOE_SHARED)" >&2; exit 1; }
[ -x "$floe" ] || { echo "bench: $floe not built (run make)" >&2; exit 1; }

cd "$root/bench"
if ! cmp -s package-lock.json node_modules/.floe-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.floe-lock
fi
out=$root/bench/out
mkdir -p "$out"
: > "$out/log"
cores=$(nproc)
text_bytes=$(zstd -dc "$input" | wc -c)
RUNS=${BENCH_RUNS:-3}

# the smallest of the numbers read, or NA when a run failed (printed nothing)
best() { awk 'BEGIN { b = "" } /^[0-9.]+$/ { if (b == "" || $1 < b) b = $1; next } { bad = 1 }
  END { print (bad || b == "") ? "NA" : b }'; }
failures=0
# floe prints "..., S seconds" (write, stderr) / "..., S seconds" (scan, stdout)
floe_secs() { sed -n 's/.*, \([0-9.]*\) seconds$/\1/p' | tail -n 1; }
duck_secs() { sed -n 's/^seconds=\([0-9.]*\).*/\1/p'; }

echo "bench: web_sales SF1 (719384 rows), $cores cores, best of $RUNS"
echo "input: $input ($((text_bytes / 1000000)) MB of text)"

floe_write=() duck_write=()
for _ in $(seq "$RUNS"); do
  floe_write+=("$( ("$floe" parquet write --schema "$schema" --delimiter '|' --codec zstd \
    "$input" "$out/web_sales.floe.parquet" 2>&1 >/dev/null || echo FAILED >&2) 2>&1 | tee -a "$out/log" | floe_secs)")
  duck_write+=("$( (node duckdb.mjs write "$input" "$schema" "$out/web_sales.duckdb.parquet" 2>&1 || echo FAILED) | tee -a "$out/log" | duck_secs)")
done
fw=$(printf '%s\n' "${floe_write[@]}" | best)
dw=$(printf '%s\n' "${duck_write[@]}" | best)
floe_pq=$(stat -c %s "$out/web_sales.floe.parquet" 2>/dev/null || echo 0)
duck_pq=$(stat -c %s "$out/web_sales.duckdb.parquet" 2>/dev/null || echo 0)

# a failed run prints nothing, so best() reports NA; the log keeps the message
scan_floe() { ("$floe" parquet scan "$1" 2>&1 || echo FAILED) | tee -a "$out/log" | floe_secs; }
scan_duck() { (node duckdb.mjs scan "$1" 2>&1 || echo FAILED) | tee -a "$out/log" | duck_secs; }
declare -A scan
for f in floe duckdb; do
  for e in floe duck; do
    runs=()
    for _ in $(seq "$RUNS"); do runs+=("$("scan_$e" "$out/web_sales.$f.parquet")"); done
    scan[$f.$e]=$(printf '%s\n' "${runs[@]}" | best)
  done
done
for v in "$fw" "$dw" "${scan[@]}"; do [ "$v" = NA ] && failures=$((failures + 1)); done

awk -v rows=719384 -v tb="$text_bytes" -v fw="$fw" -v dw="$dw" -v fpq="$floe_pq" -v dpq="$duck_pq" \
    -v sff="${scan[floe.floe]}" -v sfd="${scan[floe.duck]}" \
    -v sdf="${scan[duckdb.floe]}" -v sdd="${scan[duckdb.duck]}" '
function line(what, engine, s, mb) {
  if (s == "NA") printf "  %-44s %-7s   failed (see bench/out/log)\n", what, engine
  else printf "  %-44s %-7s %8.3f s %12.0f rows/s %9.1f MB/s\n", what, engine, s, rows / s, mb / s
}
function ratio(floe_s, duck_s) {
  if (floe_s == "NA" || duck_s == "NA") print "  floe/duckdb throughput ratio: n/a"
  else printf "  floe/duckdb throughput ratio: %.2f\n", duck_s / floe_s
}
BEGIN {
  tmb = tb / 1e6; fmb = fpq / 1e6; dmb = dpq / 1e6
  print "(1) text -> Parquet zstd (MB/s of input text)"
  line("write web_sales", "floe", fw, tmb); line("write web_sales", "duckdb", dw, tmb)
  ratio(fw, dw)
  printf "  output: floe %.1f MB, duckdb %.1f MB\n", fmb, dmb
  print "(2) full scan, every column decoded (MB/s of the Parquet file)"
  line("scan floe-written file (" sprintf("%.1f", fmb) " MB)", "floe", sff, fmb)
  line("scan floe-written file (" sprintf("%.1f", fmb) " MB)", "duckdb", sfd, fmb)
  ratio(sff, sfd)
  line("scan duckdb-written file (" sprintf("%.1f", dmb) " MB)", "floe", sdf, dmb)
  line("scan duckdb-written file (" sprintf("%.1f", dmb) " MB)", "duckdb", sdd, dmb)
  ratio(sdf, sdd)
  print "duckdb scan = SELECT count(*), min(c), max(c), count(c) for every column c;"
  print "floe scan = `floe parquet scan` (decodes every column chunk into columns)"
}'

# (3) Iceberg scan planning (bench/plan/plan_bench.c): floe-plan-bench is
# built next to the floe binary (`make bench` builds both).
plan_bench=$(dirname "$floe")/floe-plan-bench
if [ -x "$plan_bench" ]; then
  "$plan_bench" 2>&1 | tee -a "$out/log" || failures=$((failures + 1))
else
  echo "bench: $plan_bench not built (make $(dirname "$floe")/floe-plan-bench)" >&2
  failures=$((failures + 1))
fi
if [ "$failures" -gt 0 ]; then
  echo "bench: $failures measurement(s) failed; messages in $out/log" >&2
  exit 1
fi
