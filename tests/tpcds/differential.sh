#!/usr/bin/env bash
# tests/tpcds/differential.sh: on floe-generated TPC-DS data, every TPC-DS
# query floe can run gives the same result in floe as in DuckDB over the
# same data (issue 5).
#
# usage: tests/tpcds/differential.sh BUILD_DIR [SCALE]   (default 0.01)
# `floe datagen tpcds` writes the 24 tables; floe loads them with COPY into
# Iceberg tables, DuckDB (npm @duckdb/node-api) reads the same files with the
# DDL's exact types; the 99 queries run in both and compare.py compares the
# results. A query floe cannot run is reported and counted, not compared; a
# query both run must agree. Prints "differential: N agree, M differ, K not
# run by floe" and fails when any differ.
set -u
build=${1:-build}
scale=${2:-0.01}
floe=$(realpath "$build/floe")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$root/../shared/tpcds" ]; then shared=$(cd "$root/../shared" && pwd); else shared=/work/shared; fi
fi
tpcds=$shared/tpcds
( cd "$root/tests/interop" && { cmp -s package-lock.json node_modules/.floe-lock 2>/dev/null || { npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.floe-lock; }; } ) || exit 1
work=$(mktemp -d /tmp/floe-diff.XXXXXX)
# KEEP=1 keeps the data and both engines' results for a look afterwards
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "differential: keeping $work"; fi
# QUERIES="61 66" runs only those
queries=()
for sql in "$tpcds"/queries/*.sql; do
  q=$(basename "$sql" .sql)
  if [ -n "${QUERIES:-}" ] && ! [[ " $QUERIES " == *" $((10#$q)) "* || " $QUERIES " == *" $q "* ]]; then continue; fi
  queries+=("$sql")
done
mkdir -p "$work/data" "$work/duck" "$work/floe"
"$floe" datagen tpcds --scale "$scale" --out "$work/data" --format dat > /dev/null || { echo "differential: datagen failed"; exit 1; }
wh=$work/warehouse
{
  echo "CREATE SCHEMA tpcds; USE tpcds;"
  for f in "$tpcds"/schema/*.sql; do cat "$f"; echo ";"; done
  for f in "$work"/data/*.dat; do echo "COPY $(basename "$f" .dat) FROM '$f' (DELIMITER '|', HEADER false, NULL '');"; done
} > "$work/load.sql"
"$floe" --warehouse "$wh" -f "$work/load.sql" > /dev/null || { echo "differential: loading into floe failed"; exit 1; }
node "$here/duckdb_queries.mjs" "$work/data" "$tpcds/schema" "$work/duck" "${queries[@]}" > "$work/duck.log"
agree=0; differ=0; notrun=0; duckfail=0
for sql in "${queries[@]}"; do
  q=$(basename "$sql" .sql)
  if ! grep -q "^q$q rows=" "$work/duck.log"; then duckfail=$((duckfail + 1)); echo "  q$q: DuckDB failed: $(grep "^q$q " "$work/duck.log")"; continue; fi
  if ! "$floe" --warehouse "$wh" --format csv --delimiter '|' -c "USE tpcds; $(cat "$sql")" > "$work/floe/$q.csv" 2> "$work/floe/$q.err"; then
    notrun=$((notrun + 1)); echo "  q$q: floe cannot run it: $(head -1 "$work/floe/$q.err")"; continue
  fi
  if msg=$(python3 "$here/compare.py" "$work/floe/$q.csv" "$work/duck/$q.csv" --rel 1e-6); then
    agree=$((agree + 1))
  else
    differ=$((differ + 1)); echo "  q$q DIFFERS: $msg"
  fi
done
echo "differential: $agree agree, $differ differ, $notrun not run by floe, $duckfail failed in DuckDB (scale $scale)"
[ "$differ" -eq 0 ]
