#!/usr/bin/env bash
# tests/pipeline/run.sh: checks floe's main job, the TPC-DS lakehouse
# pipeline of examples/tpcds-lakehouse (issue 5, "what it must show").
#
# usage: tests/pipeline/run.sh BUILD_DIR [SCALE]   (default 0.01)
#
# Runs `floe demo --scale SCALE --warehouse W` into a fresh warehouse, then
# checks the result with SQL through the floe CLI:
#   a. counts    every transformed table has as many rows as its raw
#                external table and as the generated file has lines
#   b. keys      primary keys of the dimensions are unique; every non-NULL
#                foreign key of web_sales, web_returns, customer, ... resolves;
#                every web_return matches a web_sale (item, order number)
#   c. partitions the files of each partitioned table: one partition per
#                distinct value tuple of the partition columns, rows per
#                partition equal to the raw groups, one file per partition;
#                the table's spec as the reference job's
#   d. business  each business table equals its aggregate computed directly
#                over the raw zone (EXCEPT both ways is empty)
#   e. reports   the 10 reports of 04_reports.sql give DuckDB's results over
#                the same raw files (tests/tpcds/duckdb_queries.mjs,
#                compare.py), and their text is TPC-DS's
#   f. schema    columns and types of the raw and transformed tables, and of
#                the 24 tables `floe datagen --format parquet` writes (with
#                nullability), equal shared/tpcds/schema (schema_check.py)
# Prints "pipeline: N passed, M failed" and fails when any check fails.
# FLOE_PIPELINE_KEEP=1 keeps the work directory.
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
work=$(mktemp -d /tmp/floe-pipeline.XXXXXX)
if [ "${FLOE_PIPELINE_KEEP:-0}" = 1 ]; then echo "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi
wh=$work/warehouse
# the interpreter itself, not a version manager's shim (pyenv's costs a
# second of CPU per call)
py=$(python3 -c 'import sys; print(sys.executable)')
passed=0; failed=0

# section NAME: prints the CPU time (user+sys of the commands run) since the
# previous section.
cpu_prev=0
section() {
  local now; times > "$work/times"
  now=$(sed -n 2p "$work/times" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
  [ -n "${cpu_name:-}" ] && echo "  $cpu_name: $(awk -v a="$now" -v b="$cpu_prev" 'BEGIN { printf "%.1f", a - b }') s CPU"
  cpu_prev=$now; cpu_name=$1
}
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "  FAIL $1: $2"; }

# q SQL: the single value the query returns (CSV without the header), or
# "ERROR: <message>".
q() {
  local out
  if out=$("$floe" --warehouse "$wh" --format csv -c "$1" 2> "$work/q.err"); then
    printf '%s\n' "$out" | sed -n 2p
  else
    echo "ERROR: $(head -1 "$work/q.err")"
  fi
}
# zero NAME SQL: the query must return 0.
zero() {
  local v; v=$(q "$2")
  if [ "$v" = 0 ]; then pass; else fail "$1" "expected 0, got $v"; fi
}

# --- the pipeline ------------------------------------------------------------
section "demo"
start=$(date +%s.%N)
if ! FLOE_EXAMPLES="$root/examples/tpcds-lakehouse" "$floe" demo --scale "$scale" --warehouse "$wh" > "$work/demo.log" 2>&1; then
  tail -5 "$work/demo.log"; echo "pipeline: demo failed"; echo "pipeline: 0 passed, 1 failed"; exit 1
fi
echo "  demo at scale $scale: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s wall"

tables="customer customer_address customer_demographics date_dim household_demographics income_band
        item promotion reason ship_mode time_dim warehouse web_page web_returns web_sales web_site"

# --- a. row counts -----------------------------------------------------------
section "a. counts"
for t in $tables; do
  lines=$(cat "$wh"/raw/$t/* | wc -l)
  raw=$(q "SELECT count(*) FROM raw.$t")
  tr=$(q "SELECT count(*) FROM transformed.$t")
  snap=$("$floe" iceberg info transformed.$t --warehouse "$wh" 2>&1 | sed -n 's/^ *total-records=//p')
  if [ "$lines" -gt 0 ] && [ "$raw" = "$lines" ] && [ "$tr" = "$lines" ] && [ "$snap" = "$lines" ]; then pass
  else fail "count $t" "file $lines lines, raw.$t $raw, transformed.$t $tr, snapshot total-records $snap"; fi
done

# --- b. keys -----------------------------------------------------------------
section "b. keys"
# unique: table key
for pk in customer:c_customer_sk customer_address:ca_address_sk customer_demographics:cd_demo_sk \
          date_dim:d_date_sk household_demographics:hd_demo_sk income_band:ib_income_band_sk \
          item:i_item_sk promotion:p_promo_sk reason:r_reason_sk ship_mode:sm_ship_mode_sk \
          time_dim:t_time_sk warehouse:w_warehouse_sk web_page:wp_web_page_sk web_site:web_site_sk; do
  t=${pk%%:*}; k=${pk#*:}
  zero "unique $t.$k" "SELECT count(*) - count(DISTINCT $k) + count(*) - count($k) FROM transformed.$t"
done
# foreign keys: table.column:referenced_table.column
fks="
web_sales.ws_sold_date_sk:date_dim.d_date_sk web_sales.ws_sold_time_sk:time_dim.t_time_sk
web_sales.ws_ship_date_sk:date_dim.d_date_sk web_sales.ws_item_sk:item.i_item_sk
web_sales.ws_bill_customer_sk:customer.c_customer_sk web_sales.ws_bill_cdemo_sk:customer_demographics.cd_demo_sk
web_sales.ws_bill_hdemo_sk:household_demographics.hd_demo_sk web_sales.ws_bill_addr_sk:customer_address.ca_address_sk
web_sales.ws_ship_customer_sk:customer.c_customer_sk web_sales.ws_ship_cdemo_sk:customer_demographics.cd_demo_sk
web_sales.ws_ship_hdemo_sk:household_demographics.hd_demo_sk web_sales.ws_ship_addr_sk:customer_address.ca_address_sk
web_sales.ws_web_page_sk:web_page.wp_web_page_sk web_sales.ws_web_site_sk:web_site.web_site_sk
web_sales.ws_ship_mode_sk:ship_mode.sm_ship_mode_sk web_sales.ws_warehouse_sk:warehouse.w_warehouse_sk
web_sales.ws_promo_sk:promotion.p_promo_sk
web_returns.wr_returned_date_sk:date_dim.d_date_sk web_returns.wr_returned_time_sk:time_dim.t_time_sk
web_returns.wr_item_sk:item.i_item_sk
web_returns.wr_refunded_customer_sk:customer.c_customer_sk web_returns.wr_refunded_cdemo_sk:customer_demographics.cd_demo_sk
web_returns.wr_refunded_hdemo_sk:household_demographics.hd_demo_sk web_returns.wr_refunded_addr_sk:customer_address.ca_address_sk
web_returns.wr_returning_customer_sk:customer.c_customer_sk web_returns.wr_returning_cdemo_sk:customer_demographics.cd_demo_sk
web_returns.wr_returning_hdemo_sk:household_demographics.hd_demo_sk web_returns.wr_returning_addr_sk:customer_address.ca_address_sk
web_returns.wr_web_page_sk:web_page.wp_web_page_sk web_returns.wr_reason_sk:reason.r_reason_sk
customer.c_current_cdemo_sk:customer_demographics.cd_demo_sk customer.c_current_hdemo_sk:household_demographics.hd_demo_sk
customer.c_current_addr_sk:customer_address.ca_address_sk customer.c_first_shipto_date_sk:date_dim.d_date_sk
customer.c_first_sales_date_sk:date_dim.d_date_sk customer.c_last_review_date_sk:date_dim.d_date_sk
household_demographics.hd_income_band_sk:income_band.ib_income_band_sk
promotion.p_start_date_sk:date_dim.d_date_sk promotion.p_end_date_sk:date_dim.d_date_sk promotion.p_item_sk:item.i_item_sk
web_page.wp_creation_date_sk:date_dim.d_date_sk web_page.wp_access_date_sk:date_dim.d_date_sk
web_page.wp_customer_sk:customer.c_customer_sk
web_site.web_open_date_sk:date_dim.d_date_sk web_site.web_close_date_sk:date_dim.d_date_sk
"
for fk in $fks; do
  from=${fk%%:*}; to=${fk#*:}
  ft=${from%%.*}; fc=${from#*.}; tt=${to%%.*}; tc=${to#*.}
  zero "fk $from -> $to" "SELECT count(*) FROM transformed.$ft f LEFT JOIN transformed.$tt d ON f.$fc = d.$tc WHERE f.$fc IS NOT NULL AND d.$tc IS NULL"
done
# The same check once with NOT EXISTS, and each foreign key column must be
# set somewhere (a column of NULLs would pass the checks above vacuously;
# some, as wp_customer_sk and web_close_date_sk, are NULL in most rows).
zero "fk web_sales.ws_item_sk (NOT EXISTS)" "SELECT count(*) FROM transformed.web_sales ws WHERE NOT EXISTS (SELECT 1 FROM transformed.item i WHERE i.i_item_sk = ws.ws_item_sk)"
declare -A set_cols=()
for fk in $fks; do
  from=${fk%%:*}; ft=${from%%.*}; fc=${from#*.}
  set_cols[$ft]="${set_cols[$ft]:+${set_cols[$ft]} + }CASE WHEN count($fc) > 0 THEN 0 ELSE 1 END"
done
for ft in "${!set_cols[@]}"; do
  zero "foreign keys of $ft are set (count of all-NULL columns)" "SELECT ${set_cols[$ft]} FROM transformed.$ft"
done
zero "every web_return has its web_sale" "SELECT count(*) FROM transformed.web_returns wr LEFT JOIN transformed.web_sales ws ON wr.wr_item_sk = ws.ws_item_sk AND wr.wr_order_number = ws.ws_order_number WHERE ws.ws_order_number IS NULL"
zero "web_sales (order, item) is unique" "SELECT count(*) FROM (SELECT ws_order_number, ws_item_sk FROM transformed.web_sales GROUP BY ws_order_number, ws_item_sk HAVING count(*) > 1) d"
zero "web_returns are returned after they were sold" "SELECT count(*) FROM transformed.web_returns wr JOIN transformed.web_sales ws ON wr.wr_item_sk = ws.ws_item_sk AND wr.wr_order_number = ws.ws_order_number WHERE wr.wr_returned_date_sk < ws.ws_sold_date_sk"

# --- c. partitioning ---------------------------------------------------------
section "c. partitions"
# table:spec as `floe iceberg info` prints its fields
parts="customer:c_birth_country web_sales:ws_warehouse_sk customer_address:ca_country,ca_city date_dim:d_year
       household_demographics:hd_buy_potential item:i_category promotion:p_purpose time_dim:t_hour
       web_page:wp_rec_start_date web_returns:wr_reason_sk"
for p in $parts; do
  t=${p%%:*}; cols=${p#*:}
  want_spec=$(echo "$cols" | tr ',' '\n' | awk '{ printf "%s%s: identity(%s)", (NR > 1 ? ", " : ""), $1, $1 }')
  spec=$("$floe" iceberg info transformed.$t --warehouse "$wh" 2>&1 | sed -n 's/^default-spec: 0 \[\(.*\)\]$/\1/p' | sed 's/ field [0-9]*//g')
  if [ "$spec" = "$want_spec" ]; then pass; else fail "spec of transformed.$t" "got [$spec], want [$want_spec]"; fi
  "$floe" iceberg files transformed.$t --warehouse "$wh" --format json > "$work/files.json" 2>&1
  "$floe" --warehouse "$wh" --format csv -c "SELECT count(*) FROM raw.$t GROUP BY $cols" > "$work/groups.csv" 2>&1
  if msg=$("$py" "$here/partitions.py" "$work/files.json" "$work/groups.csv" 1); then pass
  else fail "partitions of transformed.$t" "$(echo "$msg" | tr '\n' ';')"; fi
  first=${cols%%,*}
  zero "distinct $t.$first = distinct partition values" "SELECT count(DISTINCT $first) - (SELECT count(DISTINCT $first) FROM raw.$t) FROM transformed.$t"
done
for t in income_band customer_demographics reason ship_mode warehouse web_site; do
  spec=$("$floe" iceberg info transformed.$t --warehouse "$wh" 2>&1 | sed -n 's/^default-spec: 0 \[\(.*\)\]$/\1/p')
  nfiles=$("$floe" iceberg files transformed.$t --warehouse "$wh" --format json 2>&1 | grep -c '"content":"data"')
  if [ -z "$spec" ] && [ "$nfiles" = 1 ]; then pass; else fail "transformed.$t unpartitioned in one file" "spec [$spec], $nfiles files"; fi
done

# --- d. business zone = the same aggregates over the raw zone -----------------
section "d. business"
dwr_raw="SELECT d.d_date AS sales_date, d.d_year AS sales_year, i.i_category AS category, ca.ca_state AS state,
       count(*) AS order_lines, sum(ws.ws_quantity) AS quantity, sum(ws.ws_ext_sales_price) AS revenue,
       sum(ws.ws_net_profit) AS net_profit
FROM raw.web_sales ws
JOIN raw.date_dim d ON ws.ws_sold_date_sk = d.d_date_sk
JOIN raw.item i ON ws.ws_item_sk = i.i_item_sk
JOIN raw.customer_address ca ON ws.ws_bill_addr_sk = ca.ca_address_sk
GROUP BY d.d_date, d.d_year, i.i_category, ca.ca_state"
clv_raw="SELECT c.c_customer_id, c.c_first_name, c.c_last_name, c.c_birth_country, s.orders, s.net_paid,
       coalesce(r.returned, 0) AS returned, s.net_paid - coalesce(r.returned, 0) AS lifetime_value,
       f.d_date AS first_order, l.d_date AS last_order
FROM (SELECT ws_bill_customer_sk AS customer_sk, count(DISTINCT ws_order_number) AS orders,
             sum(ws_net_paid) AS net_paid, min(ws_sold_date_sk) AS first_date_sk, max(ws_sold_date_sk) AS last_date_sk
      FROM raw.web_sales WHERE ws_bill_customer_sk IS NOT NULL GROUP BY ws_bill_customer_sk) s
JOIN raw.customer c ON c.c_customer_sk = s.customer_sk
LEFT JOIN (SELECT wr_refunded_customer_sk AS customer_sk, sum(wr_return_amt) AS returned
           FROM raw.web_returns WHERE wr_refunded_customer_sk IS NOT NULL GROUP BY wr_refunded_customer_sk) r
       ON r.customer_sk = s.customer_sk
JOIN raw.date_dim f ON f.d_date_sk = s.first_date_sk
JOIN raw.date_dim l ON l.d_date_sk = s.last_date_sk"
for b in daily_web_revenue:dwr_raw customer_lifetime_value:clv_raw; do
  t=${b%%:*}; var=${b#*:}; sql=${!var}
  zero "business.$t EXCEPT raw aggregate" "SELECT count(*) FROM (SELECT * FROM business.$t EXCEPT $sql) x"
  zero "raw aggregate EXCEPT business.$t" "SELECT count(*) FROM ($sql EXCEPT SELECT * FROM business.$t) x"
  zero "business.$t row count = raw aggregate's" "SELECT (SELECT count(*) FROM business.$t) - (SELECT count(*) FROM ($sql) x)"
done
zero "business.daily_web_revenue is not empty" "SELECT CASE WHEN count(*) > 0 THEN 0 ELSE 1 END FROM business.daily_web_revenue"
zero "business.customer_lifetime_value is not empty" "SELECT CASE WHEN count(*) > 0 THEN 0 ELSE 1 END FROM business.customer_lifetime_value"
zero "revenue total = web_sales total over resolvable rows" "SELECT CASE WHEN (SELECT sum(revenue) FROM business.daily_web_revenue) = (SELECT sum(ws_ext_sales_price) FROM raw.web_sales WHERE ws_sold_date_sk IS NOT NULL AND ws_item_sk IS NOT NULL AND ws_bill_addr_sk IS NOT NULL) THEN 0 ELSE 1 END"
zero "business.daily_web_revenue partitioned by sales_year" "SELECT count(DISTINCT sales_year) - $("$floe" iceberg files business.daily_web_revenue --warehouse "$wh" --format json | grep -o '"partition":"[^"]*"' | sort -u | wc -l) FROM business.daily_web_revenue"

# --- e. reports = DuckDB over the raw files ------------------------------------
section "e. reports"
mkdir -p "$work/data" "$work/queries" "$work/duck" "$work/floe"
for t in $tables; do ln -s "$wh/raw/$t/$t.dat" "$work/data/$t.dat"; done
# split 04_reports.sql at its "-- TPC-DS query N" lines
awk -v dir="$work/queries" '
  /^-- TPC-DS query [0-9]+/ { out = sprintf("%s/%02d.sql", dir, $4); next }
  out != "" { print > out }' "$root/examples/tpcds-lakehouse/04_reports.sql"
nreports=$(ls "$work/queries" | wc -l)
if [ "$nreports" = 10 ]; then pass; else fail "04_reports.sql holds 10 reports" "found $nreports"; fi
norm() { sed 's/--.*$//' "$1" | tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//; s/ *; *$//'; }
for f in "$work"/queries/*.sql; do
  n=$(basename "$f")
  if [ "$(norm "$f")" = "$(norm "$tpcds/queries/$n")" ]; then pass; else fail "report ${n%.sql} text" "differs from $tpcds/queries/$n"; fi
done
( cd "$root/tests/interop" && { cmp -s package-lock.json node_modules/.floe-lock 2>/dev/null || { npm ci --no-audit --no-fund --loglevel=error > /dev/null && cp package-lock.json node_modules/.floe-lock; }; } ) || { echo "pipeline: npm ci failed"; }
node "$root/tests/tpcds/duckdb_queries.mjs" "$work/data" "$tpcds/schema" "$work/duck" "$work"/queries/*.sql > "$work/duck.log" 2>&1
for f in "$work"/queries/*.sql; do
  n=$(basename "$f" .sql)
  if ! grep -q "^q$n rows=" "$work/duck.log"; then fail "report $n" "DuckDB: $(grep "^q$n " "$work/duck.log" || head -2 "$work/duck.log")"; continue; fi
  if ! "$floe" --warehouse "$wh" --format csv --delimiter '|' -c "USE transformed; $(cat "$f")" > "$work/floe/$n.csv" 2> "$work/floe/$n.err"; then
    fail "report $n" "floe: $(head -1 "$work/floe/$n.err")"; continue
  fi
  # a one-column NULL is an empty line, which Python's csv reads as a row
  # of no fields: write it as "" (an empty field, NULL to compare.py)
  sed -i '2,$ s/^$/""/' "$work/floe/$n.csv"
  if msg=$("$py" "$root/tests/tpcds/compare.py" "$work/floe/$n.csv" "$work/duck/$n.csv" --rel 1e-6); then pass
  else fail "report $n = DuckDB" "$msg"; fi
done

# --- f. schemas = shared/tpcds/schema ----------------------------------------
section "f. schema"
for t in $tables; do
  for ns in raw transformed; do
    "$floe" --warehouse "$wh" --format csv -c "DESCRIBE $ns.$t" > "$work/describe.csv" 2>&1
    if msg=$("$py" "$here/schema_check.py" describe "$tpcds/schema" "$t" "$work/describe.csv"); then pass
    else fail "schema of $ns.$t" "$(echo "$msg" | head -3 | tr '\n' ';')"; fi
  done
done
if "$floe" datagen tpcds --scale 0.001 --out "$work/pq" --format parquet > /dev/null 2>&1; then
  for f in "$tpcds"/schema/*.sql; do
    t=$(basename "$f" .sql)
    "$floe" parquet schema "$work/pq/$t.parquet" > "$work/pqschema.txt" 2>&1
    if msg=$("$py" "$here/schema_check.py" parquet "$tpcds/schema" "$t" "$work/pqschema.txt"); then pass
    else fail "schema of datagen $t.parquet" "$(echo "$msg" | head -3 | tr '\n' ';')"; fi
  done
else
  fail "datagen --format parquet" "failed"
fi

section end
echo "pipeline: $passed passed, $failed failed (scale $scale)"
[ "$failed" -eq 0 ]
