#!/usr/bin/env bash
# scripts/demo.sh: a short tour of what floe does today (`make demo`):
# converts TPC-DS tables from pipe-delimited text to Parquet with
# `floe parquet write`, then shows schema, metadata and rows, and scans.
#
# usage: scripts/demo.sh [FLOE]   (default build/floe)
# Shared data: $FLOE_SHARED, else ../shared next to the repository, else
# /work/shared.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
floe=$(realpath "${1:-$root/build/floe}")
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$root/../shared/tpcds" ]; then shared=$(cd "$root/../shared" && pwd); else shared=/work/shared; fi
fi
data=$shared/tpcds/sf1-web
schemas=$shared/tpcds/schema
[ -d "$data" ] || { echo "demo: $data not found (set FLOE_SHARED)" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/floe-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT

step() { printf '\n\033[1m$'; printf ' %q' "$@"; printf '\033[0m\n'; "$@"; }

echo "floe demo: TPC-DS text -> Parquet, then read it back ($("$floe" --version))"
step "$floe" parquet write --schema "$schemas/web_site.sql" --delimiter '|' \
  "$data/web_site.dat.zst" "$out/web_site.parquet"
step "$floe" parquet schema "$out/web_site.parquet"
step "$floe" parquet cat "$out/web_site.parquet" --columns web_site_sk,web_name,web_open_date_sk,web_tax_percentage --limit 5
step "$floe" parquet cat "$out/web_site.parquet" --columns web_site_id,web_city,web_gmt_offset --format json --limit 3

step "$floe" parquet write --schema "$schemas/web_sales.sql" --delimiter '|' --codec zstd \
  "$data/web_sales.dat.zst" "$out/web_sales.parquet"
echo
echo "(footer of web_sales.parquet, first column chunk of the first row group)"
"$floe" parquet meta "$out/web_sales.parquet" > "$out/meta.json"
if command -v node >/dev/null; then
  node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const rg = m.row_groups[0];
    console.log(JSON.stringify({ created_by: m.created_by, num_rows: m.num_rows,
      num_row_groups: m.num_row_groups, first_row_group: { num_rows: rg.num_rows,
      first_column: rg.columns[0] } }, null, 2));' "$out/meta.json"
else
  head -n 40 "$out/meta.json"
fi
step "$floe" parquet scan "$out/web_sales.parquet"
echo
echo "demo: done"
