#!/usr/bin/env bash
# tests/interop/run.sh: floe against other Parquet implementations.
#
# usage: tests/interop/run.sh [BUILD_DIR]   (default build; `make test` and
# `make interop` pass it). Needs BUILD_DIR/floe and BUILD_DIR/floe-interop-gen.
# Installs the pinned npm packages (package.json, package-lock.json:
# @duckdb/node-api, hyparquet, hyparquet-compressors) into
# tests/interop/node_modules first; if that fails, the run fails: nothing is
# skipped. Then check.mjs writes files with floe and reads them with DuckDB
# and hyparquet, writes files with DuckDB and reads them with floe, and ends
# with "N passed, N failed" (exit 1 on any failure).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
floe=$build/floe
gen=$build/floe-interop-gen
for b in "$floe" "$gen"; do
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
node check.mjs "$floe" "$gen" "$tmp"
