#!/usr/bin/env bash
# tests/interop/icebird.sh: builds the tables icebird_check.mjs compares
# with icebird (an independent JavaScript Iceberg reader), and checks the
# `floe iceberg` branch/tag/cherry-pick/alter/expire commands on them.
#
# usage: icebird.sh build FLOE GEN DIR    tables in DIR/wh, names in DIR/tables.txt
#        icebird.sh expire FLOE GEN DIR   expiry with refs' retention (run after
#                                          the comparisons: it deletes files older
#                                          metadata versions name)
# FLOE is the floe command, GEN floe-icebird-gen (position deletes, which the
# CLI cannot write; a second append path; the rows as CSV for the CLI).
# Tables (namespace ib), schema id long not null, name string, ts timestamp,
# d date, amount double:
#   t_identity   identity(name), 2 appends (CLI, then gen), then position deletes
#                (every 3rd row position of every data file)
#   t_bucket     bucket(4, id)        t_truncate  truncate(3, name)
#   t_year       year(ts)             t_month     month(d)
#   t_day        day(ts)              t_hour      hour(ts)      (2 appends each:
#                `floe iceberg append` of CSV, then floe-icebird-gen)
#   t_eq         unpartitioned, 2 appends, a global equality delete (name in
#                bravo, zoë), one more append
#   t_evo        unpartitioned, 2 CLI appends (the table schema in the files'
#                footers); add-column note + rename-column
#                name -> label; a CSV append through the CLI with the new schema;
#                add-partition bucket(2, id) and a partitioned CLI append; tag, branch,
#                rollback and cherry-picks (two fast-forwards, one re-applied).
# Ends with "N passed, N failed"; exit 1 on any failure.
set -uo pipefail

phase=${1:?usage: icebird.sh build|expire FLOE GEN DIR}
floe=${2:?}
gen=${3:?}
dir=${4:?}
wh=$dir/wh
w=(--warehouse "$wh")

passed=0 failed=0
check() {
  if [ "$2" == "$3" ]; then
    passed=$((passed + 1))
    echo "  ok   $1"
  else
    failed=$((failed + 1))
    echo "  FAIL $1"
    echo "       expected: $(printf '%s' "$2" | head -c 600)"
    echo "       actual:   $(printf '%s' "$3" | head -c 600)"
  fi
}
# err_is NAME MESSAGE CMD...: exit status 1 and exactly MESSAGE on stderr
err_is() {
  local out rc
  out=$("${@:3}" 2>&1 >/dev/null)
  rc=$?
  check "$1: status" 1 "$rc"
  check "$1: message" "$2" "$(printf '%s\n' "$out" | head -n 1)"
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# snapshot ids of a table in commit order
snaps() { "$floe" iceberg snapshots "$1" "${w[@]}" | tail -n +2 | cut -f1; }
current() { "$floe" iceberg info "$1" "${w[@]}" | sed -n 's/^current-snapshot: \([0-9]*\) .*/\1/p'; }
rows() { "$floe" iceberg scan "$@" "${w[@]}" | tail -n +2 | sort; }

if [ "$phase" = build ]; then
  rm -rf "$wh"
  mkdir -p "$dir"
  : >"$dir/tables.txt"
  "$floe" namespace create ib "${w[@]}" >/dev/null
  schema="id bigint not null, name varchar, ts timestamp, d date, amount double"
  "$gen" csv id,name,ts,d,amount 0 20 >"$dir/rows0.csv"
  for spec in "identity:name" "bucket:bucket(4, id)" "truncate:truncate(3, name)" "year:year(ts)" \
    "month:month(d)" "day:day(ts)" "hour:hour(ts)"; do
    t=ib.t_${spec%%:*}
    check "$t: create" 0 "$("$floe" iceberg create "$t" --schema "$schema" --partition "${spec#*:}" "${w[@]}" >/dev/null; echo $?)"
    # append 1 through the CLI (ice_writer splits rows by partition), append 2
    # through the gen (its own split, schema in the footers)
    check "$t: cli append" 0 "$("$floe" iceberg append "$t" "$dir/rows0.csv" "${w[@]}" >/dev/null; echo $?)"
    check "$t: gen append" 0 "$("$gen" append "$wh" "$t" 20 10 >/dev/null; echo $?)"
    check "$t: rows" 30 "$(rows "$t" | wc -l)"
    echo "$t" >>"$dir/tables.txt"
  done
  # the spec each table got, and files per partition
  check "t_bucket: spec" "default-spec: 0 [id_bucket: bucket[4](id) field 1000]" \
    "$("$floe" iceberg info ib.t_bucket "${w[@]}" | grep '^default-spec')"
  check "t_identity: 12 data files (6 names x 2 appends)" 12 \
    "$("$floe" iceberg files ib.t_identity "${w[@]}" | tail -n +2 | wc -l)"
  # position deletes: files of 4,4,3,3,3,3 then 2,2,2,2,1,1 rows lose
  # positions 0 and 3: 8 + 6 rows
  check "t_identity: delete" 0 "$("$gen" delete "$wh" ib.t_identity 3 >/dev/null; echo $?)"
  check "t_identity: rows after position deletes" 16 "$(rows ib.t_identity | wc -l)"
  check "t_identity: delete snapshot" "delete" \
    "$("$floe" iceberg snapshots ib.t_identity "${w[@]}" | tail -n 1 | cut -f5)"

  # equality deletes (global, unpartitioned table): bravo and zoë go, but
  # not from the append committed after the delete
  t=ib.t_eq
  "$floe" iceberg create "$t" --schema "$schema" "${w[@]}" >/dev/null
  "$floe" iceberg append "$t" "$dir/rows0.csv" "${w[@]}" >/dev/null
  "$gen" append "$wh" "$t" 20 10 >/dev/null
  check "t_eq: equality delete" 0 "$("$gen" eqdelete "$wh" "$t" name "bravo,zoë" >/dev/null; echo $?)"
  check "t_eq: rows after the delete" 20 "$(rows "$t" | wc -l)"
  "$gen" csv id,name,ts,d,amount 30 6 >"$dir/rows30.csv"
  "$floe" iceberg append "$t" "$dir/rows30.csv" "${w[@]}" >/dev/null
  check "t_eq: later rows are not deleted" "31,bravo
35,zoë" "$(rows "$t" | grep -E 'bravo|zoë' | cut -d, -f1,2)"
  echo "$t" >>"$dir/tables.txt"

  # ---- t_evo: schema and partition evolution, refs, cherry-pick through the CLI
  t=ib.t_evo
  "$floe" iceberg create "$t" --schema "id bigint not null, name varchar, ts timestamp" "${w[@]}" >/dev/null
  # before the rename: two CLI appends, whose files carry the table schema in
  # their footers ("iceberg.schema", as Java writes them; icebird finds
  # columns of files without it by their current name)
  "$gen" csv id,name,ts 0 3 >"$dir/e1.csv"
  "$gen" csv id,name,ts 3 2 >"$dir/e2.csv"
  check "evo: cli append 1" 0 "$("$floe" iceberg append "$t" "$dir/e1.csv" "${w[@]}" >/dev/null; echo $?)"
  check "evo: cli append 2" 0 "$("$floe" iceberg append "$t" "$dir/e2.csv" "${w[@]}" >/dev/null; echo $?)"
  f=$("$floe" iceberg files "$t" "${w[@]}" | tail -n +2 | head -n 1 | cut -f2)
  check "evo: footer schema of a CLI-written file" \
    '{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":true,"type":"long"},{"id":2,"name":"name","required":false,"type":"string"},{"id":3,"name":"ts","required":false,"type":"timestamp"}]}' \
    "$("$floe" parquet meta "$f" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key_value_metadata["iceberg.schema"]))')"
  printf 'id,label,ts,note\n5,f,2024-01-05 14:00:00,fifth\n6,,2024-01-06 15:00:00,sixth\n' >"$dir/e3.csv"
  check "evo: alter schema" "schema 1 is current (last column id 4)" \
    "$("$floe" iceberg alter "$t" add-column note string rename-column name label "${w[@]}")"
  check "evo: evolved schema" "schema 1
  1 id: long required
  2 label: string optional
  3 ts: timestamp optional
  4 note: string optional" "$("$floe" iceberg schema "$t" "${w[@]}")"
  # the current snapshot reads with the table's current schema at once (as
  # Java); time travel by snapshot id keeps the snapshot's schema
  check "evo: current snapshot read with the new schema" "id,label,ts,note" \
    "$("$floe" iceberg scan "$t" "${w[@]}" | head -n 1)"
  check "evo: current rows before a new snapshot" "0,alpha,1969-06-03 00:00:00,
1,bravo,1969-07-10 05:13:00,
2,charlie,1969-08-16 10:26:00,
3,delta,1969-09-22 15:39:00,
4,echo,1969-10-29 20:52:00," "$(rows "$t")"
  check "evo: snapshot id reads with its own schema" "id,name,ts" \
    "$("$floe" iceberg scan "$t" --snapshot "$(current "$t")" "${w[@]}" | head -n 1)"
  check "evo: append with the new schema" 0 \
    "$("$floe" iceberg append "$t" "$dir/e3.csv" --header "${w[@]}" >/dev/null; echo $?)"
  check "evo: rows through the new schema" "0,alpha,1969-06-03 00:00:00,
1,bravo,1969-07-10 05:13:00,
2,charlie,1969-08-16 10:26:00,
3,delta,1969-09-22 15:39:00,
4,echo,1969-10-29 20:52:00,
5,f,2024-01-05 14:00:00,fifth
6,,2024-01-06 15:00:00,sixth" "$(rows "$t")"
  check "evo: add partition" "partition spec 1 is the default" \
    "$("$floe" iceberg alter "$t" add-partition "bucket(2, id)" "${w[@]}")"
  "$gen" csv id,label,ts,note 100 4 >"$dir/e4.csv"
  check "evo: partitioned append" 0 "$("$floe" iceberg append "$t" "$dir/e4.csv" "${w[@]}" >/dev/null; echo $?)"
  check "evo: partitioned files" 2 "$("$floe" iceberg files "$t" --snapshot "$(current "$t")" "${w[@]}" | grep -c 'id_bucket_2=')"
  check "evo: rows" 11 "$(rows "$t" | wc -l)"
  mapfile -t s < <(snaps "$t")
  check "evo: four snapshots" 4 "${#s[@]}"
  # refs
  check "evo: tag create" "tag v1: snapshot ${s[0]}" \
    "$("$floe" iceberg tag create "$t" v1 --snapshot "${s[0]}" "${w[@]}")"
  check "evo: branch create" "branch audit: snapshot ${s[3]}" \
    "$("$floe" iceberg branch create "$t" audit --min-snapshots-to-keep 2 "${w[@]}")"
  check "evo: scan --ref tag" "$(rows "$t" --snapshot "${s[0]}")" "$(rows "$t" --ref v1)"
  check "evo: refs in info" "  main: branch ${s[3]}
  v1: tag ${s[0]}
  audit: branch ${s[3]}" \
    "$("$floe" iceberg info "$t" "${w[@]}" | sed -n '/^refs:/,/^properties/p' | sed '1d;$d')"
  mdfile=$("$floe" iceberg info "$t" "${w[@]}" | sed -n 's/^metadata: //p')
  check "evo: branch retention in the metadata" '"min-snapshots-to-keep": 2' \
    "$(grep -o '"min-snapshots-to-keep": [0-9]*' "$mdfile")"
  err_is "evo: tag twice" 'floe: ref "v1" of table "ib.t_evo" already exists' \
    "$floe" iceberg tag create "$t" v1 "${w[@]}"
  err_is "evo: remove main" 'floe: cannot remove the main branch of table "ib.t_evo"' \
    "$floe" iceberg branch remove "$t" main "${w[@]}"
  err_is "evo: tag retention" 'floe: tag "v2" of table "ib.t_evo": tags do not support min-snapshots-to-keep or max-snapshot-age-ms' \
    "$floe" iceberg tag create "$t" v2 --min-snapshots-to-keep 3 "${w[@]}"
  check "evo: tag replace" "tag v1: snapshot ${s[1]}" "$("$floe" iceberg tag replace "$t" v1 --snapshot "${s[1]}" "${w[@]}")"
  check "evo: branch fast-forward" "branch audit: snapshot ${s[3]}" \
    "$("$floe" iceberg branch fast-forward "$t" audit main "${w[@]}")"
  check "evo: usage" 2 "$("$floe" iceberg tag create "$t" "${w[@]}" >/dev/null 2>&1; echo $?)"
  # cherry-pick: back to s1, s2 again by fast-forward ...
  "$floe" iceberg rollback "$t" "${s[0]}" "${w[@]}" >/dev/null
  check "evo: cherry-pick fast-forward" "current snapshot: ${s[1]} (fast-forward)" \
    "$("$floe" iceberg cherry-pick "$t" "${s[1]}" "${w[@]}")"
  # ... back to s1 again: s3 (parent s2) is re-applied as a new snapshot
  "$floe" iceberg rollback "$t" "${s[0]}" "${w[@]}" >/dev/null
  out=$("$floe" iceberg cherry-pick "$t" "${s[2]}" "${w[@]}")
  picked=$(current "$t")
  check "evo: cherry-pick re-applied" "current snapshot: $picked" "$out"
  check "evo: picked snapshot is new" yes "$([ "$picked" != "${s[2]}" ] && echo yes || echo no)"
  check "evo: source-snapshot-id" "source-snapshot-id=${s[2]}" \
    "$("$floe" iceberg snapshots "$t" "${w[@]}" | tail -n 1 | cut -f6 | tr ',' '\n' | grep source-snapshot-id)"
  check "evo: rows after the pick" "0,alpha,1969-06-03 00:00:00,
1,bravo,1969-07-10 05:13:00,
2,charlie,1969-08-16 10:26:00,
5,f,2024-01-05 14:00:00,fifth
6,,2024-01-06 15:00:00,sixth" "$(rows "$t")"
  err_is "evo: pick twice" "floe: cannot cherry-pick snapshot ${s[2]} of table \"ib.t_evo\": it was already picked to create ancestor $picked" \
    "$floe" iceberg cherry-pick "$t" "${s[2]}" "${w[@]}"
  err_is "evo: pick an ancestor" "floe: cannot cherry-pick snapshot ${s[0]} of table \"ib.t_evo\": it is already an ancestor of the current snapshot" \
    "$floe" iceberg cherry-pick "$t" "${s[0]}" "${w[@]}"
  # alter errors and properties
  err_is "evo: drop missing" 'floe: cannot drop column: column "nope" does not exist in table "ib.t_evo"' \
    "$floe" iceberg alter "$t" drop-column nope "${w[@]}"
  err_is "evo: drop partition source" 'floe: cannot drop column "id": it is the source of partition field "id_bucket_2" of the current partition spec of table "ib.t_evo"' \
    "$floe" iceberg alter "$t" drop-column id "${w[@]}"
  err_is "evo: bad widen" 'floe: cannot change the type of column "label" from string to long: not a valid promotion' \
    "$floe" iceberg alter "$t" widen label bigint "${w[@]}"
  err_is "evo: redundant partition" 'floe: cannot add redundant partition field "ts_hour" (hour(ts)): it conflicts with "ts_day" (day)' \
    "$floe" iceberg alter "$t" add-partition "day(ts)" add-partition "hour(ts)" "${w[@]}"
  check "evo: properties" "properties: 2 set, 0 removed" \
    "$("$floe" iceberg alter "$t" set-property owner=ana set-property history.expire.min-snapshots-to-keep=1 "${w[@]}")"
  check "evo: unset property" "properties: 0 set, 1 removed
  history.expire.min-snapshots-to-keep=1" \
    "$("$floe" iceberg alter "$t" unset-property owner "${w[@]}"; "$floe" iceberg info "$t" "${w[@]}" | grep -A1 '^properties:' | tail -n 1)"
  check "evo: sort order" "default-sort-order: 1 [identity(id) desc nulls last, day(ts) asc nulls first]" \
    "$("$floe" iceberg alter "$t" sort-order "id desc, day(ts)" "${w[@]}" >/dev/null; "$floe" iceberg info "$t" "${w[@]}" | grep '^default-sort-order')"
  err_is "evo: drop sort source" 'floe: cannot drop column "ts": it is a source of the table'"'"'s sort order' \
    "$floe" iceberg alter "$t" drop-column ts "${w[@]}"
  check "evo: alter usage" 2 "$("$floe" iceberg alter "$t" frobnicate x "${w[@]}" >/dev/null 2>&1; echo $?)"
  echo "$t" >>"$dir/tables.txt"
  finish
fi

if [ "$phase" = expire ]; then
  t=ib.t_evo
  mapfile -t s < <(snaps "$t")
  before=$(rows "$t")
  audit_rows=$(rows "$t" --ref audit)
  # main (the re-applied pick, parent s1) keeps 1; branch audit (s4) keeps 2:
  # s4 and s3; tag v1 keeps s2; so only s1 ... is main's parent and goes
  check "expire: run" 0 "$("$floe" iceberg expire "$t" --older-than "$(($(date +%s) * 1000 + 1000))" "${w[@]}" >/dev/null; echo $?)"
  left=$(snaps "$t" | sort | tr '\n' ' ')
  want=$(printf '%s\n' "${s[1]}" "${s[2]}" "${s[3]}" "${s[4]}" | sort | tr '\n' ' ')
  check "expire: retained snapshots" "$want" "$left"
  check "expire: main rows unchanged" "$before" "$(rows "$t")"
  check "expire: branch rows unchanged" "$audit_rows" "$(rows "$t" --ref audit)"
  # dropping the branch lets s4 and s3 go (the picked snapshot's files stay)
  "$floe" iceberg branch remove "$t" audit "${w[@]}" >/dev/null
  "$floe" iceberg expire "$t" --older-than "$(($(date +%s) * 1000 + 1000))" "${w[@]}" >/dev/null
  left=$(snaps "$t" | sort | tr '\n' ' ')
  want=$(printf '%s\n' "${s[1]}" "${s[4]}" | sort | tr '\n' ' ')
  check "expire: after removing the branch" "$want" "$left"
  check "expire: main rows still readable" "$before" "$(rows "$t")"
  finish
fi
echo "usage: icebird.sh build|expire FLOE GEN DIR" >&2
exit 2
