#!/usr/bin/env bash
# fuzz/run.sh: runs each libFuzzer target for a fixed time over a corpus.
#
# usage: fuzz/run.sh BUILD_DIR SECONDS fuzz/fuzz_x.c ...
# (`make fuzz` builds the targets into BUILD_DIR/fuzz/ and calls this.)
# Each target's corpus lives in BUILD_DIR/corpus/<name>/, seeded on first use
# from the shared fixtures: Parquet files for the pq targets, Iceberg's Avro
# and metadata JSON files for the Avro and metadata targets, slices of the
# TPC-DS text for the CSV target. Crashes go to BUILD_DIR/crashes/<name>/;
# the script exits non-zero if any target failed.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: fuzz/run.sh BUILD_DIR SECONDS [fuzz/fuzz_x.c ...]" >&2
  exit 2
fi
build=$1 seconds=$2
shift 2
if [ $# -eq 0 ]; then
  echo "fuzz: no fuzz targets (fuzz/fuzz_*.c) yet"
  echo "0 passed, 0 failed"
  exit 0
fi

here=$(cd "$(dirname "$0")/.." && pwd)
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$here/../shared" ]; then shared=$(cd "$here/../shared" && pwd); else shared=/work/shared; fi
fi

seed_corpus() {  # name dir
  local name=$1 dir=$2
  # `find | head` ends find with SIGPIPE: not a failure here
  local -
  set +o pipefail
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return 0
  case "$name" in
    fuzz_pq_meta|fuzz_pq_reader)
      find "$shared/fixtures/parquet/data" "$shared/fixtures/parquet/bad_data" -name '*.parquet' \
        -size -256k 2>/dev/null | while read -r f; do
          if [ "$name" = fuzz_pq_meta ]; then
            # the footer: last 4+4 bytes give its length
            size=$(stat -c %s "$f")
            magic=$(tail -c 4 "$f")
            n=$(tail -c 8 "$f" | head -c 4 | od -An -tu4 | tr -d ' ')
            if [ "$magic" = PAR1 ] && [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -le $((size - 12)) ]; then
              tail -c $((n + 8)) "$f" | head -c "$n" > "$dir/$(basename "$f").meta"
            fi
          else
            cp "$f" "$dir/"
          fi
        done ;;
    fuzz_avro|fuzz_ice_manifest)
      find "$shared/fixtures/iceberg" -name '*.avro' -size -256k 2>/dev/null | head -n 200 |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12).avro"; done ;;
    fuzz_ice_metadata)
      find "$shared/fixtures/iceberg" -name '*.metadata.json' -size -256k 2>/dev/null | head -n 200 |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12).json"; done ;;
    fuzz_sql_parse)
      for f in "$shared"/tpcds/queries/*.sql "$shared"/tpcds/schema/*.sql; do
        [ -f "$f" ] && cp "$f" "$dir/$(basename "$(dirname "$f")")_$(basename "$f")"
      done ;;
    fuzz_values)
      printf '123.45' > "$dir/dec"; printf '2024-02-29' > "$dir/date"
      printf '2024-01-31 13:45:00.123456+02:00' > "$dir/ts"; printf '23:59:59.999999' > "$dir/time"
      printf -- '-99999.999e-3' > "$dir/exp" ;;
    fuzz_sql_exec|fuzz_sql_exec_tok)
      bash "$here/fuzz/sql_exec_seed.sh" "$dir" > /dev/null ;;
    fuzz_csv)
      for t in reason ship_mode warehouse web_site income_band; do
        f="$shared/tpcds/sf1-web/$t.dat.zst"
        if [ -f "$f" ]; then (zstd -dc "$f" | head -c 4096 > "$dir/$t.txt") || true; fi
      done ;;
  esac
  # never start from an empty corpus
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] || printf 'PAR1' > "$dir/seed"
}

passed=0 failed=0
for src in "$@"; do
  name=$(basename "$src" .c)
  bin="$build/fuzz/$name"
  corpus="$build/corpus/$name"
  crashes="$build/crashes/$name"
  mkdir -p "$corpus" "$crashes"
  # absolute: the SQL targets change directory at start-up
  corpus=$(realpath "$corpus"); crashes=$(realpath "$crashes")
  extra=()
  case "$name" in fuzz_sql_exec*) extra=(-dict="$here/fuzz/sql.dict" -max_len=4096) ;; esac
  seed_corpus "$name" "$corpus"
  echo "fuzz: $name for ${seconds}s (corpus $corpus)"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin was not built" >&2
    failed=$((failed + 1))
    continue
  fi
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=1048576 \
      -artifact_prefix="$crashes/" -print_final_stats=1 "${extra[@]}" "$corpus" >"$build/$name.log" 2>&1; then
    passed=$((passed + 1))
    grep -E '^stat::number_of_executed_units' "$build/$name.log" || true
  else
    failed=$((failed + 1))
    echo "fuzz: $name FAILED; last lines of $build/$name.log:" >&2
    tail -n 40 "$build/$name.log" >&2
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
