#!/usr/bin/env bash
# fidelity.sh: generates TPC-DS data with `floe datagen` (SF1 by default,
# 6-30 s with 2 threads), loads it into DuckDB (@duckdb/node-api from
# tests/interop/node_modules) and runs the 99 TPC-DS queries, failing when
# any returns no rows. Not part of `make test` (a few minutes at SF1).
# Usage: tests/datagen/fidelity.sh [BUILD_DIR] [SCALE]   (env SEED, default 1 =
# the CLI's default; THREADS, default 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
scale=${2:-1}
floe="$root/$build/floe"
[ -x "$floe" ] || { echo "fidelity.sh: $floe not built (make $build/floe)" >&2; exit 2; }
if [ ! -d "$root/tests/interop/node_modules/@duckdb/node-api" ]; then
  (cd "$root/tests/interop" && npm ci --silent)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$floe" datagen tpcds --scale "$scale" --out "$tmp" --threads "${THREADS:-2}" --seed "${SEED:-1}"
node "$here/fidelity.mjs" "$tmp" "${TPCDS_DIR:-/work/shared/tpcds}"
