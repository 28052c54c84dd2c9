#!/usr/bin/env bash
# tests/interop/iceberg_cli.sh: the `floe iceberg` and `floe namespace`
# commands against fixture tables written by Spark, PyIceberg and Iceberg
# Java (/work/shared/fixtures/iceberg), with exact expected values: row
# counts per snapshot (from the snapshots' summaries and EXPECTED.md),
# filtered rows (EXPECTED.md), snapshot ids (from the metadata JSON), and
# the namespace commands on a temporary warehouse, and the write commands
# (create, append, rollback, expire) on another.
#
# usage: tests/interop/iceberg_cli.sh FLOE   (run.sh passes BUILD_DIR/floe)
# Shared data: $FLOE_SHARED, else ../shared next to the repository, else
# /work/shared. Ends with "N passed, N failed"; exit 1 on any failure.
set -uo pipefail

floe=${1:?usage: iceberg_cli.sh FLOE}
floe=$(cd "$(dirname "$floe")" && pwd)/$(basename "$floe")
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=${FLOE_SHARED:-}
if [ -z "$shared" ]; then
  if [ -d "$here/../shared" ]; then shared=$(cd "$here/../shared" && pwd); else shared=/work/shared; fi
fi
fx=$shared/fixtures/iceberg
if [ ! -d "$fx" ]; then
  echo "iceberg_cli: $fx not found (set FLOE_SHARED)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/floe-icecli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" == "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1"
    echo "  expected: $(printf '%s' "$2" | head -c 600)"
    echo "  actual:   $(printf '%s' "$3" | head -c 600)"
  fi
}
# status CMD...: the exit status of a command, its output discarded
status() { "$@" >/dev/null 2>&1; echo $?; }

# ---- spark_v2_mor_posdel_schema_evolution_7snap: 7 snapshots, position deletes
mor=$fx/spark_v2_mor_posdel_schema_evolution_7snap/pyspark_iceberg_table/metadata/v9.metadata.json
json_ids=$(grep -o '"snapshot-id" : [0-9]*' "$mor" | awk '{print $3}' | sort -u)
current=$(grep -o '"current-snapshot-id" : [0-9]*' "$mor" | awk '{print $3}')
check "mor: current snapshot id" 4786266686210019019 "$current"
check "mor: info format" "format-version: 2" "$("$floe" iceberg info "$mor" | grep '^format-version')"
check "mor: info current snapshot" "$current" \
  "$("$floe" iceberg info "$mor" | sed -n 's/^current-snapshot: \([0-9]*\) .*/\1/p')"
check "mor: info total-records" "  total-records=18044" "$("$floe" iceberg info "$mor" | grep total-records=)"
check "mor: info uuid" "table-uuid: 7c10a28a-8931-4e12-8142-0befc8b0eed7" \
  "$("$floe" iceberg info "$mor" | grep '^table-uuid')"
check "mor: snapshot ids" "$json_ids" "$("$floe" iceberg snapshots "$mor" | tail -n +2 | cut -f1 | sort)"
check "mor: snapshot sequence numbers" "1 2 3 4 5 6 7" \
  "$("$floe" iceberg snapshots "$mor" | tail -n +2 | cut -f3 | tr '\n' ' ' | sed 's/ $//')"
check "mor: snapshot operations" "append overwrite append overwrite overwrite delete overwrite" \
  "$("$floe" iceberg snapshots "$mor" | tail -n +2 | cut -f5 | tr '\n' ' ' | sed 's/ $//')"
check "mor: snapshots json lines" 7 "$("$floe" iceberg snapshots "$mor" --format json | grep -c '"snapshot-id":')"
check "mor: snapshots json first" \
  '{"snapshot-id":764624380497366583,"parent-snapshot-id":null,"sequence-number":1,"timestamp-ms":1719580927570' \
  "$("$floe" iceberg snapshots "$mor" --format json | head -n 1 | cut -d, -f1-4)"
check "mor: history" \
  "2024-06-28 13:22:07.570	764624380497366583		true
2024-06-28 13:22:11.465	4786266686210019019	3119545726281138740	true" \
  "$("$floe" iceberg history "$mor" | sed -n '2p;8p')"
check "mor: schema" "  16 schema_evol_added_col_1: long optional" \
  "$("$floe" iceberg schema "$mor" | tail -n 1)"
check "mor: schema id" "schema 2" "$("$floe" iceberg schema "$mor" | head -n 1)"
# rows per snapshot: total-records minus deletes of each summary (Spark's
# deletes each remove a live row); the last one is EXPECTED.md's 6592
mor_counts=""
scan_counts=""
for id in $("$floe" iceberg snapshots "$mor" | tail -n +2 | cut -f1); do
  line=$("$floe" iceberg snapshots "$mor" | awk -F'\t' -v id="$id" '$1 == id {print $6}')
  total=$(echo "$line" | tr ',' '\n' | sed -n 's/^total-records=//p')
  posdel=$(echo "$line" | tr ',' '\n' | sed -n 's/^total-position-deletes=//p')
  mor_counts="$mor_counts $((total - posdel))"
  scan_counts="$scan_counts $("$floe" iceberg scan "$mor" --snapshot "$id" --columns uuid | tail -n +2 | wc -l)"
done
check "mor: rows per snapshot (summaries)" " 6005 6005 7690 7690 6592 6592 6592" "$mor_counts"
check "mor: rows per snapshot (scan)" "$mor_counts" "$scan_counts"
check "mor: current rows (EXPECTED.md)" 6592 "$("$floe" iceberg scan "$mor" --format json | wc -l)"
check "mor: as-of between snapshots 3 and 4" 7690 \
  "$("$floe" iceberg scan "$mor" --as-of '2024-06-28 13:22:09.500' --columns uuid | tail -n +2 | wc -l)"
check "mor: as-of epoch ms of snapshot 2" 6005 \
  "$("$floe" iceberg scan "$mor" --as-of 1719580928275 --columns uuid | tail -n +2 | wc -l)"
check "mor: as-of before the first snapshot fails" 1 "$(status "$floe" iceberg scan "$mor" --as-of 2000-01-01)"
check "mor: limit" "uuid
89457455-b278-4bbf-9880-dfd859681a3e
e0d0741f-6831-45a0-9806-1d0798299bee" "$("$floe" iceberg scan "$mor" --columns uuid --limit 2)"
check "mor: files of the current snapshot" "data 5
position_deletes 3" "$("$floe" iceberg files "$mor" | tail -n +2 | cut -f1 | sort | uniq -c | awk '{print $2, $1}')"
check "mor: data file records" 18044 \
  "$("$floe" iceberg files "$mor" | awk -F'\t' '$1 == "data" {s += $5} END {print s}')"
check "mor: files of snapshot 1" "data	6005	440835" \
  "$("$floe" iceberg files "$mor" --snapshot 764624380497366583 | tail -n +2 | cut -f1,5,6)"
check "mor: files json" 8 "$("$floe" iceberg files "$mor" --format json | grep -c '"file_path":')"
check "mor: manifests of snapshot 5" "data 5
data 5
data 3
data 2
data 1
deletes 4
deletes 2" "$("$floe" iceberg manifests "$mor" --snapshot 4440319347650982524 | tail -n +2 | cut -f4,5 | tr '\t' ' ')"
check "mor: manifests json" 8 "$("$floe" iceberg manifests "$mor" --format json | grep -c '"manifest_path":')"
check "mor: explicit --remap" 6592 \
  "$("$floe" iceberg scan "$mor" --remap "data/iceberg/generated_spec2_0_001=$fx/spark_v2_mor_posdel_schema_evolution_7snap" --columns uuid | tail -n +2 | wc -l)"
check "mor: unknown snapshot" "floe: snapshot 42 does not exist" \
  "$("$floe" iceberg files "$mor" --snapshot 42 2>&1)"
check "mor: unknown snapshot exit" 1 "$(status "$floe" iceberg scan "$mor" --snapshot 42)"
check "mor: unknown column exit" 1 "$(status "$floe" iceberg scan "$mor" --columns nope)"
check "mor: bad filter exit" 1 "$(status "$floe" iceberg scan "$mor" --filter 'uuid = = 1')"

# ---- spark_v1_lineitem_gzip_metadata: v1, gzip metadata, one big file
gz=$fx/spark_v1_lineitem_gzip_metadata/metadata/v2.gz.metadata.json
check "gzip: format" "format-version: 1" "$("$floe" iceberg info "$gz" | grep '^format-version')"
check "gzip: snapshot id" 4468019210336628573 "$("$floe" iceberg snapshots "$gz" | sed -n 2p | cut -f1)"
check "gzip: rows (EXPECTED.md)" 111968 "$("$floe" iceberg scan "$gz" --columns l_orderkey | tail -n +2 | wc -l)"
check "gzip: files" "data	PARQUET	{}	111968" "$("$floe" iceberg files "$gz" | tail -n +2 | cut -f1,3,4,5)"

# ---- spark_v2_expression_filter: filters
ef=$(ls "$fx"/spark_v2_expression_filter/metadata/00001-*.metadata.json)
check "filter: all rows" "id,value
1,foo
2,bar
3,baz" "$("$floe" iceberg scan "$ef")"
check "filter: or" "id,value
2,bar
3,baz" "$("$floe" iceberg scan "$ef" --filter "value = 'bar' or id >= 3")"
check "filter: json" '{"id":1,"value":"foo"}' "$("$floe" iceberg scan "$ef" --format json --filter 'id < 2')"
check "filter: in" "value
foo
baz" "$("$floe" iceberg scan "$ef" --columns value --filter 'id in (1, 3)')"

# ---- spark_v2_is_null_3snap: IS NULL over 3 append snapshots
isn=$(ls "$fx"/spark_v2_is_null_3snap/metadata/00001-*.metadata.json)
check "is null: rows" "1 2 3 7" \
  "$("$floe" iceberg scan "$isn" --columns id --filter 'value is null' | tail -n +2 | sort -n | tr '\n' ' ' | sed 's/ $//')"
check "is null: not null rows" "4,foo 5,bar 6,baz 8,blah" \
  "$("$floe" iceberg scan "$isn" --filter 'value is not null' | tail -n +2 | sort -n | tr '\n' ' ' | sed 's/ $//')"
check "is null: history (log of this metadata version)" "1222714758486840798	2353095958979530531	true" \
  "$("$floe" iceberg history "$isn" | tail -n +2 | cut -f2-)"
check "is null: rows per snapshot" "3 6 8" "$(for id in $("$floe" iceberg snapshots "$isn" | tail -n +2 | cut -f1); do
  "$floe" iceberg scan "$isn" --snapshot "$id" | tail -n +2 | wc -l; done | tr '\n' ' ' | sed 's/ $//')"

# ---- spark_v2_eqdel_identity_part: identity partitions, equality deletes
eq=$fx/spark_v2_eqdel_identity_part/metadata/v6.metadata.json
check "eqdel: rows (EXPECTED.md)" "1,a,2025-01-01
4,d,2025-01-04
5,e,2025-01-05" "$("$floe" iceberg scan "$eq" | tail -n +2 | sort)"
check "eqdel: spec" "default-spec: 0 [name: identity(name) field 1000]" \
  "$("$floe" iceberg info "$eq" | grep '^default-spec')"
check "eqdel: files" "data 6
equality_deletes 3" "$("$floe" iceberg files "$eq" | tail -n +2 | cut -f1 | sort | uniq -c | awk '{print $2, $1}')"
check "eqdel: partitions" "{name=a} {name=b} {name=c} {name=d} {name=e} {name=f}" \
  "$("$floe" iceberg files "$eq" | awk -F'\t' '$1 == "data" {print $4}' | sort | tr '\n' ' ' | sed 's/ $//')"
check "eqdel: partition filter" "5,e,2025-01-05" "$("$floe" iceberg scan "$eq" --filter "name = 'e'" | tail -n +2)"

# ---- table directories: metadata/version-hint.text (Spark) or .txt (Impala)
check "dir: hive_v2_no_deletes rows (EXPECTED.md)" "i,s
1,x
2,y
3,z" "$("$floe" iceberg scan "$fx/hive_v2_no_deletes")"
check "dir: hive_v2_no_deletes snapshot" 728158873687794725 \
  "$("$floe" iceberg snapshots "$fx/hive_v2_no_deletes" | sed -n 2p | cut -f1)"
check "dir: gzip hint" "metadata: $fx/spark_v1_lineitem_gzip_metadata/metadata/v2.gz.metadata.json" \
  "$("$floe" iceberg info "$fx/spark_v1_lineitem_gzip_metadata" | head -n 1)"
check "dir: without a hint" 1 "$(status "$floe" iceberg info "$fx")"

# ---- namespaces and catalog tables on a temporary warehouse
wh=$tmp/wh
check "ns: list without a catalog" "" "$("$floe" namespace list --warehouse "$wh" 2>&1)"
check "ns: list does not create" "no" "$([ -e "$wh" ] && echo yes || echo no)"
check "ns: create" 0 "$(status "$floe" namespace create sales --warehouse "$wh" --property owner=ana)"
check "ns: catalog created" yes "$([ -f "$wh/catalog.db" ] && echo yes || echo no)"
"$floe" namespace create sales.eu --warehouse "$wh"
"$floe" namespace create web --warehouse "$wh"
check "ns: list" "sales
web" "$("$floe" namespace list --warehouse "$wh")"
check "ns: list child" "sales.eu" "$("$floe" namespace list sales --warehouse "$wh")"
check "ns: create twice" 'floe: namespace "sales" already exists' \
  "$("$floe" namespace create sales --warehouse "$wh" 2>&1)"
check "ns: drop non-empty" 1 "$(status "$floe" namespace drop sales --warehouse "$wh")"
check "ns: drop" 0 "$(status "$floe" namespace drop web --warehouse "$wh")"
check "ns: list after drop" "sales" "$("$floe" namespace list --warehouse "$wh")"
check "ns: drop missing" 'floe: namespace "web" does not exist' \
  "$("$floe" namespace drop web --warehouse "$wh" 2>&1)"
check "ns: usage" 2 "$(status "$floe" namespace create --warehouse "$wh")"
check "ns: register" 0 "$(status "$floe" iceberg register sales.mor "$mor" --warehouse "$wh")"
check "ns: scan by name" 6592 "$("$floe" iceberg scan sales.mor --warehouse "$wh" --columns uuid | tail -n +2 | wc -l)"
check "ns: info by name" "$current" \
  "$("$floe" iceberg info sales.mor --warehouse "$wh" | sed -n 's/^current-snapshot: \([0-9]*\) .*/\1/p')"
check "ns: missing table" 'floe: table "sales.nope" does not exist' \
  "$("$floe" iceberg info sales.nope --warehouse "$wh" 2>&1)"
check "ns: drop with a table" 1 "$(status "$floe" namespace drop sales.eu.x --warehouse "$wh")"
(cd "$tmp" && "$floe" namespace create local >/dev/null 2>&1)
check "ns: default warehouse" "local" "$(cd "$tmp" && "$floe" namespace list)"

# ---- writes: create, append (CSV twice, Parquet once), rollback, expire
ww=$tmp/wwh
wo=(--warehouse "$ww")
# err_line NAME CMD...: exit status 1 and one "floe:" line on stderr
err_line() {
  local out rc
  out=$("${@:2}" 2>&1 >/dev/null)
  rc=$?
  check "$1: status" 1 "$rc"
  check "$1: message" "floe:" "$(printf '%s\n' "$out" | head -n 1 | cut -c1-5)"
}
"$floe" namespace create shop "${wo[@]}" >/dev/null
wschema="id bigint not null, name varchar, ts timestamp"
check "write: create" 0 "$(status "$floe" iceberg create shop.orders --schema "$wschema" \
  --property owner=ana "${wo[@]}")"
check "write: create twice" 1 "$(status "$floe" iceberg create shop.orders --schema "$wschema" "${wo[@]}")"
check "write: schema" "  1 id: long required
  2 name: string optional
  3 ts: timestamp optional" "$("$floe" iceberg schema shop.orders "${wo[@]}" | tail -n +2)"
check "write: property" "yes" \
  "$("$floe" iceberg info shop.orders "${wo[@]}" | grep -q 'owner=ana' && echo yes || echo no)"
printf '1,a,2024-01-01 10:00:00\n2,b,2024-01-02 11:00:00\n' >"$tmp/w1.csv"
printf 'id|name|ts\n3|NULL|2024-01-03 12:00:00\n' >"$tmp/w2.csv"
printf '4,d,2024-01-04 13:00:00\n5,e,2024-01-05 14:00:00\n6,f,2024-01-06 15:00:00\n' >"$tmp/w3.csv"
"$floe" parquet write --schema "$wschema" "$tmp/w3.csv" "$tmp/w3.parquet" 2>/dev/null
check "write: append csv" 0 "$(status "$floe" iceberg append shop.orders "$tmp/w1.csv" "${wo[@]}")"
check "write: rows after one" "1,a,2024-01-01 10:00:00
2,b,2024-01-02 11:00:00" "$("$floe" iceberg scan shop.orders "${wo[@]}" | tail -n +2 | sort)"
check "write: append csv options" 0 "$(status "$floe" iceberg append shop.orders "$tmp/w2.csv" \
  --delimiter '|' --header --null NULL "${wo[@]}")"
check "write: append parquet" 0 "$(status "$floe" iceberg append shop.orders "$tmp/w3.parquet" "${wo[@]}")"
check "write: parquet source kept" yes "$([ -f "$tmp/w3.parquet" ] && echo yes || echo no)"
check "write: rows" "id,name,ts
1,a,2024-01-01 10:00:00
2,b,2024-01-02 11:00:00
3,,2024-01-03 12:00:00
4,d,2024-01-04 13:00:00
5,e,2024-01-05 14:00:00
6,f,2024-01-06 15:00:00" "$("$floe" iceberg scan shop.orders "${wo[@]}" | (read -r h; echo "$h"; sort))"
check "write: row count" 6 "$("$floe" iceberg scan shop.orders "${wo[@]}" | tail -n +2 | wc -l)"
check "write: filter on metrics" "5,e,2024-01-05 14:00:00" \
  "$("$floe" iceberg scan shop.orders --filter 'id = 5' "${wo[@]}" | tail -n +2)"
check "write: snapshots" 3 "$("$floe" iceberg snapshots shop.orders "${wo[@]}" | tail -n +2 | wc -l)"
check "write: summaries" "2 1 3" "$("$floe" iceberg snapshots shop.orders "${wo[@]}" | tail -n +2 |
  cut -f6 | tr ',' '\n' | sed -n 's/^added-records=//p' | tr '\n' ' ' | sed 's/ $//')"
wloc=$("$floe" iceberg info shop.orders "${wo[@]}" | sed -n 's/^location: //p')
check "write: files in data/" "3 3" "$("$floe" iceberg files shop.orders "${wo[@]}" | tail -n +2 |
  cut -f2 | grep -c "^$wloc/data/") $(ls "$wloc/data" | wc -l)"
first=$("$floe" iceberg snapshots shop.orders "${wo[@]}" | sed -n 2p | cut -f1)
firstfile=$("$floe" iceberg files shop.orders --snapshot "$first" "${wo[@]}" | sed -n 2p | cut -f2)
check "write: rollback" 0 "$(status "$floe" iceberg rollback shop.orders "$first" "${wo[@]}")"
check "write: rows after rollback" "1,a,2024-01-01 10:00:00
2,b,2024-01-02 11:00:00" "$("$floe" iceberg scan shop.orders "${wo[@]}" | tail -n +2 | sort)"
check "write: current after rollback" "$first" \
  "$("$floe" iceberg info shop.orders "${wo[@]}" | sed -n 's/^current-snapshot: \([0-9]*\) .*/\1/p')"
sleep 0.05
check "write: expire" 0 "$(status "$floe" iceberg expire shop.orders --older-than "$(date +%s%3N)" "${wo[@]}")"
check "write: snapshots after expire" "$first" \
  "$("$floe" iceberg snapshots shop.orders "${wo[@]}" | tail -n +2 | cut -f1)"
check "write: files after expire" "$firstfile" \
  "$("$floe" iceberg files shop.orders "${wo[@]}" | tail -n +2 | cut -f2)"
check "write: expired files deleted" "$firstfile" "$(ls -d "$wloc"/data/*)"
check "write: rows after expire" 2 "$("$floe" iceberg scan shop.orders "${wo[@]}" | tail -n +2 | wc -l)"
check "write: manifests after expire" 1 "$(ls "$wloc"/metadata/*-m*.avro | wc -l)"
# partitioned tables: created with the transforms; rows written one file per partition
check "write: create partitioned" "default-spec: 0 [ts_day: day(ts) field 1000, id_bucket: bucket[16](id) field 1001, name_trunc: truncate[4](name) field 1002, ts_year: year(ts) field 1003, name: identity(name) field 1004]" \
  "$("$floe" iceberg create shop.p --schema "$wschema" --partition "days(ts), bucket(16, id), truncate(4, name), year(ts), name" "${wo[@]}" >/dev/null &&
     "$floe" iceberg info shop.p "${wo[@]}" | grep '^default-spec')"
check "write: append partitioned" 0 "$(status "$floe" iceberg append shop.p "$tmp/w1.csv" "$tmp/w3.parquet" "${wo[@]}")"
ploc=$("$floe" iceberg info shop.p "${wo[@]}" | sed -n 's/^location: //p')
check "write: partitioned rows" "1,a 2,b 4,d 5,e 6,f" \
  "$("$floe" iceberg scan shop.p --columns id,name "${wo[@]}" | tail -n +2 | sort | tr '\n' ' ' | sed 's/ $//')"
check "write: partition directories" "yes" "$(ls -d "$ploc"/data/ts_day=2024-01-01/id_bucket=*/name_trunc=a/ts_year=2024/name=a >/dev/null 2>&1 && echo yes || echo no)"
check "write: one file per partition" 5 "$("$floe" iceberg files shop.p "${wo[@]}" | tail -n +2 | wc -l)"
printf '7,a,2024-01-07 10:00:00
8,a,2024-01-08 10:00:00
' >"$tmp/w4.csv"
check "write: overwrite" 0 "$(status "$floe" iceberg overwrite shop.p --filter "name = 'a'" "$tmp/w4.csv" "${wo[@]}")"
check "write: rows after overwrite" "2,b 4,d 5,e 6,f 7,a 8,a" \
  "$("$floe" iceberg scan shop.p --columns id,name "${wo[@]}" | tail -n +2 | sort | tr '\n' ' ' | sed 's/ $//')"
check "write: delete" 0 "$(status "$floe" iceberg delete shop.p --filter "id >= 4 and id <= 6" "${wo[@]}")"
check "write: rows after delete" "2,b 7,a 8,a" \
  "$("$floe" iceberg scan shop.p --columns id,name "${wo[@]}" | tail -n +2 | sort | tr '\n' ' ' | sed 's/ $//')"
check "write: operations" "append overwrite delete" \
  "$("$floe" iceberg snapshots shop.p "${wo[@]}" | tail -n +2 | cut -f5 | tr '\n' ' ' | sed 's/ $//')"
check "write: delete usage" 2 "$(status "$floe" iceberg delete shop.p "${wo[@]}")"
err_line "write: delete bad filter" "$floe" iceberg delete shop.p --filter "nope = 1" "${wo[@]}"
# error cases
err_line "write: unknown table" "$floe" iceberg append shop.nope "$tmp/w1.csv" "${wo[@]}"
err_line "write: missing namespace" "$floe" iceberg create nons.t --schema "$wschema" "${wo[@]}"
err_line "write: bad schema" "$floe" iceberg create shop.bad --schema "id frobtype" "${wo[@]}"
err_line "write: bad transform" "$floe" iceberg create shop.bad --schema "$wschema" --partition "day(id)" "${wo[@]}"
err_line "write: bad partition column" "$floe" iceberg create shop.bad --schema "$wschema" --partition "bucket(4, nope)" "${wo[@]}"
printf 'x,y,z\n' >"$tmp/bad.csv"
err_line "write: bad csv" "$floe" iceberg append shop.orders "$tmp/bad.csv" "${wo[@]}"
printf 'PAR1 not really' >"$tmp/bad.parquet"
err_line "write: bad parquet" "$floe" iceberg append shop.orders "$tmp/bad.parquet" "${wo[@]}"
"$floe" parquet write --schema "id int, name varchar" "$tmp/w1.csv" "$tmp/other.parquet" 2>/dev/null
err_line "write: parquet of another schema" "$floe" iceberg append shop.orders "$tmp/other.parquet" "${wo[@]}"
"$floe" parquet write --schema "id bigint, name varchar, ts timestamp" "$tmp/w1.csv" "$tmp/opt.parquet" 2>/dev/null
err_line "write: parquet optional for a required column" "$floe" iceberg append shop.orders "$tmp/opt.parquet" "${wo[@]}"
err_line "write: missing file" "$floe" iceberg append shop.orders "$tmp/none.csv" "${wo[@]}"
check "write: failed appends leave no files" "$firstfile" "$(ls -d "$wloc"/data/*)"
check "write: failed appends add no snapshot" 1 "$("$floe" iceberg snapshots shop.orders "${wo[@]}" | tail -n +2 | wc -l)"
err_line "write: rollback to unknown snapshot" "$floe" iceberg rollback shop.orders 12345 "${wo[@]}"
err_line "write: bad expire time" "$floe" iceberg expire shop.orders --older-than yesterday "${wo[@]}"
check "write: create usage" 2 "$(status "$floe" iceberg create shop.x "${wo[@]}")"
check "write: append usage" 2 "$(status "$floe" iceberg append shop.orders "${wo[@]}")"

# ---- usage errors
check "usage: no table" 2 "$(status "$floe" iceberg info)"
check "usage: unknown command" 2 "$(status "$floe" iceberg frobnicate "$mor")"
check "usage: unknown option" 2 "$(status "$floe" iceberg scan "$mor" --bogus)"
check "usage: scan option on files" 2 "$(status "$floe" iceberg files "$mor" --filter 'id = 1')"
check "usage: two snapshot selectors" 2 "$(status "$floe" iceberg scan "$mor" --snapshot 1 --as-of 2)"
check "usage: bad format" 2 "$(status "$floe" iceberg scan "$mor" --format xml)"
check "error: missing metadata" 1 "$(status "$floe" iceberg info "$tmp/none/metadata/v1.metadata.json")"
check "error: one line" 1 "$("$floe" iceberg info "$tmp/none/metadata/v1.metadata.json" 2>&1 | wc -l)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
