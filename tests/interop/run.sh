#!/usr/bin/env bash
# tests/interop/run.sh: floe against other Parquet implementations.
#
# usage: tests/interop/run.sh [BUILD_DIR]   (default build; `make test` and
# `make interop` pass it). Needs BUILD_DIR/floe, BUILD_DIR/floe-interop-gen
# and, for every tests/interop/<x>_gen.c, BUILD_DIR/floe-<x>-gen.
# Installs the pinned npm packages (package.json, package-lock.json:
# @duckdb/node-api, hyparquet, hyparquet-compressors, avsc, ...) into
# tests/interop/node_modules first; if that fails, the run fails: nothing is
# skipped. Then:
#   check.mjs       Parquet: floe writes, DuckDB and hyparquet read; DuckDB
#                   writes, floe reads; the floe command's behaviour
#   <x>_check.mjs   for every <x>_gen.c: `node <x>_check.mjs floe-<x>-gen DIR`
#                   (avro: floe writes, avsc reads and the reverse; manifest ...)
#   iceberg_cli.sh  `floe iceberg` / `floe namespace` against the Iceberg
#                   fixture tables and a temporary warehouse
# and ends with the sum, "interop: N passed, N failed" (exit 1 on any failure).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
floe=$build/floe
gen=$build/floe-interop-gen
# the other checks: <x>_check.mjs driving floe-<x>-gen built from <x>_gen.c
others=()
for c in "$here"/*_gen.c; do
  [ -e "$c" ] || continue
  x=$(basename "$c" _gen.c)
  others+=("$x")
done
bins=("$floe" "$gen")
for x in "${others[@]}"; do bins+=("$build/floe-$x-gen"); done
for b in "${bins[@]}"; do
  if [ ! -x "$b" ]; then
    echo "interop: $b is missing (run make first)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "interop: node and npm are needed (scripts/install-deps.sh installs them)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

cd "$here"
# npm ci only when node_modules does not match the lock file
if ! cmp -s package-lock.json node_modules/.floe-lock 2>/dev/null; then
  echo "interop: installing npm packages"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "interop: npm install failed: cannot run the interop checks" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  cp package-lock.json node_modules/.floe-lock
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/floe-interop.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
# runs one check (a command), echoing its output; adds up its closing line
# (a check that ends without one counts as one failure)
run_cmd() {
  local name=$1 status=0
  shift
  echo "== $name"
  "$@" 2>&1 | tee "$tmp/$name.out" || status=1
  local last
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/$name.out" | tail -n 1 || true)
  if [ -z "$last" ]; then
    echo "interop: $name ended without its closing line (exit status $status)" >&2
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(echo "$last" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$last" | cut -d' ' -f3)))
  if [ "$status" -ne 0 ] && [ "$(echo "$last" | cut -d' ' -f3)" -eq 0 ]; then failed=$((failed + 1)); fi
}
# a node check
run_check() {
  local name=$1
  shift
  run_cmd "$name" node "$@"
}
mkdir -p "$tmp/parquet"
run_check parquet check.mjs "$floe" "$gen" "$tmp/parquet"
for x in "${others[@]}"; do
  if [ ! -f "$here/${x}_check.mjs" ]; then
    echo "interop: ${x}_gen.c has no ${x}_check.mjs" >&2
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$tmp/$x"
  run_check "$x" "${x}_check.mjs" "$build/floe-$x-gen" "$tmp/$x"
done
run_cmd iceberg_cli bash "$here/iceberg_cli.sh" "$floe"
echo "interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
