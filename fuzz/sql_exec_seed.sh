#!/usr/bin/env bash
# fuzz/sql_exec_seed.sh: seeds the corpus of fuzz_sql_exec (fuzz/fuzz_sql_exec.c).
#
# usage: fuzz/sql_exec_seed.sh CORPUS_DIR
# Writes one file per SQL record of tests/sql/**/*.test (statement ok/error
# and query bodies), one file per .test file with its succeeding statements joined by
# ";" (cut to 4 KB: the target ignores longer inputs), and the TPC-DS
# queries of $FLOE_SHARED/tpcds/queries (or /work/shared), and the blocks of
# fuzz/seeds/*.sql. __TEST_DIR__/ is
# dropped (the target runs in a scratch directory and only writes relative
# paths), __SHARED__ becomes the shared folder.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: fuzz/sql_exec_seed.sh CORPUS_DIR" >&2; exit 2; }
out=$1
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${FLOE_SHARED:-/work/shared}
mkdir -p "$out"

find "$here/tests/sql" -name '*.test' | sort | while read -r f; do
  base=$(echo "$f" | sed "s|$here/tests/sql/||; s|/|_|g; s|\.test$||")
  awk -v out="$out/$base" -v shared="$shared" '
    function flush() {
      if (sql != "") {
        n++
        file = out "_" n ".sql"
        printf "%s", sql > file
        close(file)
        if (ok && length(script) + length(sql) < 4000) script = script sql ";\n"
      }
      sql = ""; insql = 0
    }
    /^(statement|query)/ { flush(); insql = 1; ok = ($0 !~ /^statement error/); next }
    /^----/ { flush(); next }
    /^[ \t]*$/ { flush(); next }
    insql && !/^#/ {
      line = $0
      gsub(/__TEST_DIR__\//, "", line)
      gsub(/__SHARED__/, shared, line)
      sql = (sql == "" ? line : sql "\n" line)
    }
    END {
      flush()
      if (script != "") { printf "%s", script > (out "_script.sql") }
    }' "$f"
done

# hand-written seeds for newer syntax: fuzz/seeds/*.sql, one seed per
# blank-line-separated block
for f in "$here"/fuzz/seeds/*.sql; do
  [ -f "$f" ] || continue
  awk -v out="$out/seed_$(basename "$f" .sql)" '
    /^[ \t]*$/ { if (sql != "") { n++; printf "%s", sql > (out "_" n ".sql"); close(out "_" n ".sql") } sql = ""; next }
    { sql = (sql == "" ? $0 : sql "\n" $0) }
    END { if (sql != "") { n++; printf "%s", sql > (out "_" n ".sql") } }' "$f"
done

for q in "$shared"/tpcds/queries/*.sql; do
  [ -f "$q" ] || continue
  head -c 4096 "$q" > "$out/tpcds_$(basename "$q")"
done
echo "$(ls "$out" | wc -l) seeds in $out"
