#!/usr/bin/env bash
# bench/tpcds.sh: the TPC-DS web-channel queries in floe and in DuckDB, in
# one run, on the same SF1 data.
#
# usage: bench/tpcds.sh [FLOE]   (`make bench` passes build/floe)
#
# Data: the 16 tables of shared/tpcds/sf1-web. floe loads them into Iceberg
# tables (COPY from the .dat text); DuckDB loads the same rows from Parquet
# files that floe wrote from the same text with the DDL's exact types
# (`floe parquet write`), into in-memory tables. Queries 12 30 41 45 62 85
# 86 90 92 94 95 run BENCH_RUNS times (default 3) in each engine; the best
# time of each is printed with the total, the ratio, and floe's peak memory
# (maximum resident set of the floe process that ran the queries). The
# queries in bench/queries/*.sql (string filters over dictionary-encoded
# columns) run the same way and print in a second table, outside the total.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
floe=$(realpath "${1:-$root/build/floe}")
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$root/../shared/tpcds" ]; then shared=$(cd "$root/../shared" && pwd); else shared=/work/shared; fi
fi
tpcds=$shared/tpcds
RUNS=${BENCH_RUNS:-3}
QUERIES=${BENCH_QUERIES:-"12 30 41 45 62 85 86 90 92 94 95"}
EXTRA=${BENCH_EXTRA:-$(cd "$root/bench/queries" && ls *.sql | sed 's/\.sql$//' | tr '\n' ' ')}
# name -> query file: TPC-DS numbers from the shared queries, the rest from bench/queries
qfile() { case $1 in [0-9]*) echo "$tpcds/queries/$1.sql" ;; *) echo "$root/bench/queries/$1.sql" ;; esac; }
cd "$root/bench"
if ! cmp -s package-lock.json node_modules/.floe-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.floe-lock
fi
work=$(mktemp -d /tmp/floe-bench-tpcds.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pq"
wh=$work/warehouse
. "$root/tests/tpcds/load_script.sh"
tpcds_load_script "$tpcds" "$work"
for z in "$tpcds"/sf1-web/*.dat.zst; do
  t=$(basename "$z" .dat.zst)
  "$floe" parquet write --schema "$tpcds/schema/$t.sql" --delimiter '|' "$work/$t.dat" "$work/pq/$t.parquet" > /dev/null 2>&1
done
t0=$(date +%s.%N)
"$floe" --warehouse "$wh" -f "$work/load.sql" > /dev/null
echo "bench tpcds: floe loaded 16 tables in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"

# floe: one process runs every query RUNS times with --timer
script=$work/queries.sql
echo "USE tpcds;" > "$script"
for q in $QUERIES $EXTRA; do
  for _ in $(seq "$RUNS"); do echo "SELECT 'q$q' AS marker;" >> "$script"; cat "$(qfile "$q")" >> "$script"; echo >> "$script"; done
done
mem_kb=NA
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "maxrss_kb=%M" -o "$work/time.txt" "$floe" --warehouse "$wh" --timer --format csv --no-header -f "$script" > "$work/floe.out" 2> "$work/floe.err" || { echo "floe failed:"; tail -5 "$work/floe.err"; }
  mem_kb=$(sed -n 's/^maxrss_kb=//p' "$work/time.txt")
else
  "$floe" --warehouse "$wh" --timer --format csv --no-header -f "$script" > "$work/floe.out" 2> "$work/floe.err" || { echo "floe failed:"; tail -5 "$work/floe.err"; }
fi
# pair each "Run Time" with the preceding marker (markers print to stdout; timers to stderr in order)
declare -A floe_best
mapfile -t times < <(sed -n 's/^Run Time: \([0-9.]*\) s$/\1/p' "$work/floe.err")
# statements: USE, then (marker, query) pairs
i=1
for q in $QUERIES $EXTRA; do
  for _ in $(seq "$RUNS"); do
    i=$((i + 1))   # marker
    t=${times[$i]:-NA}
    i=$((i + 1))
    cur=${floe_best[$q]:-}
    if [ "$t" != NA ] && { [ -z "$cur" ] || awk -v a="$t" -v b="$cur" 'BEGIN { exit !(a < b) }'; }; then floe_best[$q]=$t; fi
  done
done
files=()
for q in $QUERIES $EXTRA; do files+=("$(qfile "$q")"); done
node tpcds_duckdb.mjs "$work/pq" "$RUNS" "${files[@]}" > "$work/duck.out"
tf=0; td=0; missing=0
# one line per query; adds TPC-DS queries to the totals
row() {
  local q=$1 f=${floe_best[$1]:-NA} d
  d=$(sed -n "s/^q$q seconds=\([0-9.]*\).*/\1/p" "$work/duck.out")
  d=${d:-NA}
  if [ "$f" = NA ] || [ "$d" = NA ]; then missing=$((missing + 1)); printf "%-9s %10s %10s %8s\n" "q$q" "$f" "$d" "n/a"; return; fi
  printf "%-9s %10.3f %10.3f %8.2f\n" "q$q" "$f" "$d" "$(awk -v f="$f" -v d="$d" 'BEGIN { print f / d }')"
  if [ "${2:-}" = total ]; then
    tf=$(awk -v a="$tf" -v b="$f" 'BEGIN { print a + b }'); td=$(awk -v a="$td" -v b="$d" 'BEGIN { print a + b }')
  fi
}
printf "%-9s %10s %10s %8s\n" query "floe s" "duckdb s" ratio
for q in $QUERIES; do row "$q" total; done
printf "%-9s %10.3f %10.3f %8.2f   (floe/duckdb time; < 1 means floe is faster)\n" total "$tf" "$td" "$(awk -v f="$tf" -v d="$td" 'BEGIN { print (d > 0) ? f / d : 0 }')"
if [ -n "$EXTRA" ]; then
  echo "string filters over dictionary-encoded columns (bench/queries):"
  for q in $EXTRA; do row "$q"; done
fi
[ "$mem_kb" != NA ] && echo "floe peak memory: $((mem_kb / 1024)) MiB (max RSS of the query process)"
[ "$missing" -eq 0 ] || { echo "bench tpcds: $missing queries failed in one engine (see the messages above)"; exit 1; }
