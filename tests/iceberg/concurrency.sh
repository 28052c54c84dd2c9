#!/usr/bin/env bash
# tests/iceberg/concurrency.sh: concurrent appends to one Iceberg table
# through the floe CLI, first on the warehouse's SQLite catalog, then on a
# throwaway PostgreSQL server (`--catalog`), started like
# tests/catalog/pg_test.sh does (skipped with a note when no server binaries
# are installed).
#
# Usage: bash tests/iceberg/concurrency.sh [BUILD_DIR]   (default: build)
#
# For each catalog: 8 writer processes x 50 appends, released together, each
# append a 1-3-row CSV with ids no other append uses. Then checks: every
# append reported success; exactly 400 snapshots in one parent chain ending at
# the current snapshot; the scanned rows are exactly the appended ids (no
# lost or duplicated append); and commits did conflict (some snapshot's
# manifest list is snap-<id>-<attempt>-<uuid>.avro with attempt > 1).
#
# Then, per catalog, conflicting overwrites on a table partitioned by k:
# 4 processes x 6 `floe iceberg overwrite --filter "k = 'a'"` (3 rows each)
# race 2 appenders (12 appends of 2 rows into partition a, 12 of 1 row into
# b), serializable isolation. Checks: some overwrites lost with
# "conflict: ..." ("conflicting overwrites detected") and every failure is
# such a conflict; every append succeeded; one snapshot chain of seed +
# appends + winning overwrites; partition a holds exactly the rows of the
# last winning overwrite plus the whole a-appends committed after it (as
# many as the chain says), partition b every b-append.
# Prints "N passed, N failed"; exit status 1 on any failure.
set -uo pipefail

BUILD=${1:-build}
FLOE="$BUILD/floe"
if [ ! -x "$FLOE" ]; then
  make --no-print-directory -j2 BUILD="$BUILD" "$FLOE" || exit 1
fi
FLOE=$(cd "$(dirname "$FLOE")" && pwd)/floe
WRITERS=8
APPENDS=50

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAILED: $*"; }

TMP=$(mktemp -d /tmp/floe-concur-XXXXXX)
PGDIR=""
PGBIN=""
RUN=()
cleanup() {
  if [ -n "$PGDIR" ]; then
    "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# ids of writer w's append j: 1 + (w + j) % 3 rows
rows_of() { echo $((1 + ($1 + $2) % 3)); }

make_csvs() {   # DIR: writes DIR/w<w>-<j>.csv and DIR/expected (sorted ids)
  local dir=$1 w j k n
  mkdir -p "$dir"
  : >"$dir/expected.unsorted"
  for ((w = 0; w < WRITERS; w++)); do
    for ((j = 0; j < APPENDS; j++)); do
      n=$(rows_of "$w" "$j")
      : >"$dir/w$w-$j.csv"
      for ((k = 0; k < n; k++)); do
        local id=$((w * 100000 + j * 10 + k))
        echo "$id,w$w-a$j" >>"$dir/w$w-$j.csv"
        echo "$id" >>"$dir/expected.unsorted"
      done
    done
  done
  sort -n "$dir/expected.unsorted" >"$dir/expected"
}

writer() {      # W DIR CATALOG_ARGS...: waits for DIR/go, then appends
  local w=$1 dir=$2 j
  shift 2
  while [ ! -e "$dir/go" ]; do sleep 0.01; done
  for ((j = 0; j < APPENDS; j++)); do
    if ! "$FLOE" iceberg append ns.t "$dir/w$w-$j.csv" "$@" >>"$dir/out$w" 2>>"$dir/err$w"; then
      echo "w$w-$j" >>"$dir/failed"
    fi
  done
}

run_case() {    # NAME CATALOG_ARGS...
  local name=$1
  shift
  local dir="$TMP/$name" start end
  make_csvs "$dir/csv"
  "$FLOE" namespace create ns "$@" >/dev/null || { fail "$name: namespace create"; return; }
  "$FLOE" iceberg create ns.t --schema 'id bigint, v varchar' \
    --property commit.retry.num-retries=100 --property commit.retry.min-wait-ms=5 \
    --property commit.retry.max-wait-ms=200 --property commit.retry.total-timeout-ms=600000 \
    "$@" >/dev/null || { fail "$name: iceberg create"; return; }
  local pids=()
  for ((w = 0; w < WRITERS; w++)); do
    writer "$w" "$dir/csv" "$@" &
    pids+=($!)
  done
  sleep 0.2
  start=$(date +%s%N)
  touch "$dir/csv/go"
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s%N)
  echo "$name: $((WRITERS * APPENDS)) appends by $WRITERS writers in $(((end - start) / 1000000)) ms"

  if [ -s "$dir/csv/failed" ]; then
    fail "$name: $(wc -l <"$dir/csv/failed") appends failed; first error: $(cat "$dir"/csv/err* | head -n 1)"
  else
    pass "$name: all $((WRITERS * APPENDS)) appends reported success"
  fi

  "$FLOE" iceberg snapshots ns.t --format json "$@" >"$dir/snapshots.json" 2>"$dir/snapshots.err" \
    || { fail "$name: snapshots: $(cat "$dir/snapshots.err")"; return; }
  local chk
  chk=$(python3 - "$dir/snapshots.json" "$((WRITERS * APPENDS))" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read().strip()
want = int(sys.argv[2])
try:
    snaps = json.loads(text)
    if isinstance(snaps, dict):
        snaps = snaps.get("snapshots", [snaps])
except ValueError:
    snaps = [json.loads(l) for l in text.splitlines() if l.strip()]
ids = {s["snapshot-id"]: s for s in snaps}
errs = []
if len(snaps) != want or len(ids) != want:
    errs.append("%d snapshots (%d distinct), want %d" % (len(snaps), len(ids), want))
roots = [s for s in snaps if s.get("parent-snapshot-id") is None]
children = {}
for s in snaps:
    p = s.get("parent-snapshot-id")
    if p is not None:
        if p not in ids:
            errs.append("snapshot %d has unknown parent %d" % (s["snapshot-id"], p))
        children.setdefault(p, []).append(s["snapshot-id"])
if len(roots) != 1:
    errs.append("%d snapshots without a parent, want 1" % len(roots))
if any(len(c) > 1 for c in children.values()):
    errs.append("a snapshot has more than one child (not one chain)")
if roots:
    n, cur = 1, roots[0]["snapshot-id"]
    while cur in children:
        cur = children[cur][0]
        n += 1
    if n != want:
        errs.append("the chain from the root has %d snapshots, want %d" % (n, want))
    seqs = sorted(s["sequence-number"] for s in snaps)
    if seqs != list(range(1, want + 1)):
        errs.append("sequence numbers are not 1..%d" % want)
retried = 0
for s in snaps:
    m = re.search(r"snap-(-?\d+)-(\d+)-[0-9a-f-]+\.avro$", s.get("manifest-list", ""))
    if not m:
        errs.append("manifest list name %r" % s.get("manifest-list"))
    elif int(m.group(2)) > 1:
        retried += 1
print("ERR " + "; ".join(errs) if errs else "OK %d" % retried)
EOF
)
  case "$chk" in
    OK*) pass "$name: $((WRITERS * APPENDS)) snapshots in one parent chain" ;;
    *) fail "$name: snapshot chain: $chk" ;;
  esac
  local retried=${chk#OK }
  if [[ "$chk" == OK* ]] && [ "$retried" -gt 0 ]; then
    pass "$name: commits conflicted and retried ($retried snapshots committed on attempt > 1)"
  else
    fail "$name: no snapshot was committed after a retry (no observable conflict): $chk"
  fi

  if "$FLOE" iceberg scan ns.t --format csv "$@" >"$dir/scan.csv" 2>"$dir/scan.err"; then
    tail -n +2 "$dir/scan.csv" | cut -d, -f1 | sort -n >"$dir/got"
    if cmp -s "$dir/got" "$dir/csv/expected"; then
      pass "$name: scan has exactly the $(wc -l <"$dir/got") appended ids"
    else
      fail "$name: scanned ids differ from the appended ones ($(wc -l <"$dir/got") rows, want $(wc -l <"$dir/csv/expected"); $(diff "$dir/got" "$dir/csv/expected" | grep -c '^[<>]') differ)"
    fi
  else
    fail "$name: scan: $(cat "$dir/scan.err")"
  fi
}


# ---- conflicting overwrites ----
OVERWRITERS=4
ROUNDS=6
APPENDS_AB=12

overwriter() {  # W DIR CATALOG_ARGS...
  local w=$1 dir=$2 r
  shift 2
  while [ ! -e "$dir/go" ]; do sleep 0.01; done
  for ((r = 0; r < ROUNDS; r++)); do
    if "$FLOE" iceberg overwrite ns.p --filter "k = 'a'" "$dir/o$w-$r.csv" "$@" >>"$dir/oout$w" 2>"$dir/oerr$w-$r"; then
      echo "$w $r" >>"$dir/won$w"
    fi
  done
}

appender() {    # PART DIR CATALOG_ARGS...
  local part=$1 dir=$2 j
  shift 2
  while [ ! -e "$dir/go" ]; do sleep 0.01; done
  for ((j = 0; j < APPENDS_AB; j++)); do
    "$FLOE" iceberg append ns.p "$dir/$part$j.csv" "$@" >>"$dir/aout$part" 2>>"$dir/aerr$part" \
      || echo "$part$j" >>"$dir/afailed"
  done
}

run_overwrite_case() {   # NAME CATALOG_ARGS...
  local name="$1-overwrite"
  shift
  local dir="$TMP/$name" w r j k
  mkdir -p "$dir"
  "$FLOE" iceberg create ns.p --schema 'id bigint, k varchar' --partition k \
    --property commit.retry.num-retries=100 --property commit.retry.min-wait-ms=5 \
    --property commit.retry.max-wait-ms=200 --property commit.retry.total-timeout-ms=600000 \
    "$@" >/dev/null || { fail "$name: iceberg create"; return; }
  printf '1,a\n2,a\n3,b\n' >"$dir/seed.csv"
  "$FLOE" iceberg append ns.p "$dir/seed.csv" "$@" >/dev/null || { fail "$name: seed append"; return; }
  for ((w = 0; w < OVERWRITERS; w++)); do
    for ((r = 0; r < ROUNDS; r++)); do
      : >"$dir/o$w-$r.csv"
      for ((k = 0; k < 3; k++)); do echo "$((1000000 + w * 1000 + r * 10 + k)),a" >>"$dir/o$w-$r.csv"; done
    done
  done
  for ((j = 0; j < APPENDS_AB; j++)); do
    printf '%d,a\n%d,a\n' $((2000000 + j * 10)) $((2000000 + j * 10 + 1)) >"$dir/a$j.csv"
    printf '%d,b\n' $((3000000 + j * 10)) >"$dir/b$j.csv"
  done
  local pids=()
  for ((w = 0; w < OVERWRITERS; w++)); do overwriter "$w" "$dir" "$@" & pids+=($!); done
  appender a "$dir" "$@" & pids+=($!)
  appender b "$dir" "$@" & pids+=($!)
  sleep 0.2
  local start end
  start=$(date +%s%N)
  touch "$dir/go"
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s%N)

  local won lost other
  won=$(cat "$dir"/won* 2>/dev/null | wc -l)
  lost=$(grep -l '^floe: conflict: ' "$dir"/oerr* 2>/dev/null | wc -l)
  other=$(grep -L '^floe: conflict: ' $(find "$dir" -name 'oerr*' -size +0) 2>/dev/null | wc -l)
  echo "$name: $((OVERWRITERS * ROUNDS)) overwrites and $((2 * APPENDS_AB)) appends in $(((end - start) / 1000000)) ms: $won overwrites committed, $lost lost to a conflict"
  if [ "$lost" -gt 0 ] && [ "$won" -gt 0 ] && [ $((won + lost)) -eq $((OVERWRITERS * ROUNDS)) ] && [ "$other" -eq 0 ]; then
    pass "$name: conflicting overwrites detected ($lost failed with \"conflict:\", $won committed)"
  else
    fail "$name: overwrite outcomes: $won committed, $lost conflicts, $other other failures: $(cat $(find "$dir" -name 'oerr*' -size +0) 2>/dev/null | grep -v '^floe: conflict: ' | head -n 1)"
  fi
  if [ -s "$dir/afailed" ]; then
    fail "$name: $(wc -l <"$dir/afailed") appends failed: $(head -n 1 "$dir"/aerr*)"
  else
    pass "$name: all $((2 * APPENDS_AB)) appends next to the overwrites succeeded"
  fi
  "$FLOE" iceberg snapshots ns.p --format json "$@" >"$dir/snapshots.json" 2>"$dir/snapshots.err" \
    || { fail "$name: snapshots: $(cat "$dir/snapshots.err")"; return; }
  "$FLOE" iceberg scan ns.p --format csv "$@" >"$dir/scan.csv" 2>"$dir/scan.err" \
    || { fail "$name: scan: $(cat "$dir/scan.err")"; return; }
  cat "$dir"/won* 2>/dev/null >"$dir/won"
  local chk
  chk=$(python3 - "$dir" "$APPENDS_AB" <<'EOF2'
import json, sys
d, n_app = sys.argv[1], int(sys.argv[2])
text = open(d + "/snapshots.json").read().strip()
try:
    snaps = json.loads(text)
    if isinstance(snaps, dict):
        snaps = snaps.get("snapshots", [snaps])
except ValueError:
    snaps = [json.loads(l) for l in text.splitlines() if l.strip()]
errs = []
won = set(tuple(map(int, l.split())) for l in open(d + "/won") if l.strip())
by_id = {s["snapshot-id"]: s for s in snaps}
children = {}
roots = []
for s in snaps:
    p = s.get("parent-snapshot-id")
    if p is None:
        roots.append(s)
    else:
        children.setdefault(p, []).append(s)
if len(roots) != 1 or any(len(c) > 1 for c in children.values()):
    errs.append("snapshots are not one chain")
chain = []
if roots:
    cur = roots[0]
    while cur:
        chain.append(cur)
        nxt = children.get(cur["snapshot-id"], [])
        cur = nxt[0] if nxt else None
if len(chain) != len(snaps):
    errs.append("chain has %d of %d snapshots" % (len(chain), len(snaps)))
def op(s):
    return s.get("operation") or s.get("summary", {}).get("operation")
def added(s):
    return int(s.get("summary", {}).get("added-records", "0"))
ovw = [i for i, s in enumerate(chain) if op(s) == "overwrite"]
if len(ovw) != len(won):
    errs.append("%d overwrite snapshots, %d overwrites reported success" % (len(ovw), len(won)))
want_snaps = 1 + 2 * n_app + len(won)
if len(snaps) != want_snaps:
    errs.append("%d snapshots, want %d" % (len(snaps), want_snaps))
rows = [l.split(",") for l in open(d + "/scan.csv").read().splitlines()[1:] if l]
a_ids = sorted(int(i) for i, k in rows if k == "a")
b_ids = sorted(int(i) for i, k in rows if k == "b")
want_b = sorted([3] + [3000000 + j * 10 for j in range(n_app)])
if b_ids != want_b:
    errs.append("partition b has %d rows, want %d" % (len(b_ids), len(want_b)))
groups = {}
for i in a_ids:
    groups.setdefault(i // 10, []).append(i)
ow_groups = [g for g in groups if 100000 <= g < 200000]
app_groups = [g for g in groups if g >= 200000]
seed = [g for g in groups if g == 0]
if ovw:
    if len(ow_groups) != 1:
        errs.append("partition a holds rows of %d overwrites, want 1" % len(ow_groups))
    else:
        g = ow_groups[0]
        w, r = (g * 10 - 1000000) // 1000, (g * 10 - 1000000) % 1000 // 10
        if (w, r) not in won:
            errs.append("partition a holds rows of overwrite %d/%d, which did not report success" % (w, r))
        if len(groups[g]) != 3:
            errs.append("overwrite %d/%d is partly there" % (w, r))
    if seed:
        errs.append("seed rows of a survived an overwrite")
    after = sum(1 for s in chain[ovw[-1] + 1:] if op(s) == "append" and added(s) == 2)
    if len(app_groups) != after:
        errs.append("partition a holds %d appends, %d were committed after the last overwrite" % (len(app_groups), after))
for g in app_groups:
    if len(groups[g]) != 2:
        errs.append("append %d is partly there" % g)
print("ERR " + "; ".join(errs) if errs else "OK")
EOF2
)
  if [ "$chk" = OK ]; then
    pass "$name: one snapshot chain; partition a is the last winning overwrite plus the appends after it, b every append"
  else
    fail "$name: table state: $chk"
  fi
}

# ---- SQLite (the warehouse's catalog.db) ----
run_case sqlite --warehouse "$TMP/wh-sqlite"
run_overwrite_case sqlite --warehouse "$TMP/wh-sqlite"

# ---- PostgreSQL ----
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
  echo "note: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; PostgreSQL case skipped"
else
  PGDIR=$(mktemp -d /tmp/floe-pg-XXXXXX)
  PORT=$((20000 + RANDOM % 40000))
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGDIR"
    RUN=(runuser -u postgres --)
  fi
  if "${RUN[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U floe -E UTF8 --no-sync \
       >"$PGDIR/initdb.log" 2>&1 \
     && "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
       -o "-k $PGDIR -p $PORT -c listen_addresses='' -c fsync=off -c max_connections=50" \
       start >/dev/null \
     && "$PGBIN/createdb" -h "$PGDIR" -p "$PORT" -U floe floe_concur; then
    run_case postgresql --warehouse "$TMP/wh-pg" \
      --catalog "postgresql://floe@/floe_concur?host=$PGDIR&port=$PORT"
    run_overwrite_case postgresql --warehouse "$TMP/wh-pg" \
      --catalog "postgresql://floe@/floe_concur?host=$PGDIR&port=$PORT"
  else
    cat "$PGDIR"/*.log >&2 2>/dev/null
    fail "postgresql: could not start a throwaway server"
  fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
