#!/usr/bin/env bash
# tests/tpcds/run.sh: TPC-DS through floe's SQL, as issue 4 asks:
#  1. the 24 TPC-DS tables created as Iceberg tables from the DDL in
#     shared/tpcds/schema, the 16 web-channel tables of shared/tpcds/sf1-web
#     loaded with COPY ... FROM the decompressed .dat files;
#  2. queries 12 30 41 45 62 85 86 90 92 94 95 compared with
#     shared/tpcds/answers/sf1 (compare.py: small relative tolerance);
#  3. every one of the 99 queries parses, binds and plans (EXPLAIN).
# usage: tests/tpcds/run.sh BUILD_DIR   (prints "tpcds: N passed, M failed")
set -u
build=${1:-build}
floe="$build/floe"
here=$(cd "$(dirname "$0")" && pwd)
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$here/../../../shared/tpcds" ]; then shared=$(cd "$here/../../../shared" && pwd); else shared=/work/shared; fi
fi
tpcds="$shared/tpcds"
work=$(mktemp -d /tmp/floe-tpcds.XXXXXX)
trap 'rm -rf "$work"' EXIT
wh="$work/warehouse"
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# 1. schema and data
. "$here/load_script.sh"
tpcds_load_script "$tpcds" "$work"
start=$(date +%s.%N)
if "$floe" --warehouse "$wh" -f "$work/load.sql" > "$work/load.out" 2>&1; then ok; else bad "load: $(tail -5 "$work/load.out")"; fi
echo "tpcds: load took $(echo "$(date +%s.%N) $start" | awk '{printf "%.1f", $1 - $2}') s"
# row counts of the loaded tables equal the .dat line counts
for z in "$tpcds"/sf1-web/*.dat.zst; do
  t=$(basename "$z" .dat.zst)
  want=$(wc -l < "$work/$t.dat")
  got=$("$floe" --warehouse "$wh" --format csv --no-header -c "SELECT count(*) FROM tpcds.$t" 2>&1)
  if [ "$got" = "$want" ]; then ok; else bad "count($t): got '$got', expected $want"; fi
done

# 2. answers
for q in 12 30 41 45 62 85 86 90 92 94 95; do
  sql="$tpcds/queries/$q.sql"
  if "$floe" --warehouse "$wh" --format csv --delimiter '|' -c "USE tpcds; $(cat "$sql")" > "$work/q$q.csv" 2> "$work/q$q.err"; then
    if msg=$(python3 "$here/compare.py" "$work/q$q.csv" "$tpcds/answers/sf1/$q.csv"); then ok; else bad "query $q: $msg"; fi
  else
    bad "query $q: $(head -3 "$work/q$q.err")"
  fi
done

# 3. EXPLAIN every query
explained=0
for sql in "$tpcds"/queries/*.sql; do
  q=$(basename "$sql" .sql)
  if "$floe" --warehouse "$wh" --format csv -c "USE tpcds; EXPLAIN $(cat "$sql")" > /dev/null 2> "$work/e$q.err"; then
    explained=$((explained + 1)); ok
  else
    bad "EXPLAIN $q: $(head -2 "$work/e$q.err")"
  fi
done
echo "tpcds: $explained of 99 queries plan"
echo "tpcds: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
