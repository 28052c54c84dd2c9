#!/usr/bin/env bash
# tests/iceberg/crash.sh: appends killed with SIGKILL at random points of
# their commit must leave the Iceberg table consistent (warehouse SQLite
# catalog).
#
# Usage: bash tests/iceberg/crash.sh [BUILD_DIR]   (default: build)
#
# 30 rounds (fixed seed). Each round starts 2 concurrent `floe iceberg append`
# processes (1-3 rows each, ids used nowhere else) and SIGKILLs each after
# its own random delay of 0-150 ms (an append takes tens of milliseconds, so
# kills land before, during and after the commit; some appends finish). Then:
#   - the table loads (`iceberg info`) and its snapshots are listed;
#   - the current snapshot is the previous round's, or a descendant of it
#     made only of this round's appends (at most 2 new snapshots, one chain);
#     every append that printed its snapshot id is in that chain;
#   - every file the current snapshot references exists: the metadata file,
#     the manifest list, each manifest (`iceberg manifests`), each data file
#     (`iceberg files`);
#   - the scanned ids are exactly the earlier rounds' ids plus the rows of
#     this round's committed appends, whole (an append whose commit landed but
#     that was killed before printing counts as committed, all or nothing).
# Prints "N passed, N failed" (one check per round); exit status 1 on failure.
set -uo pipefail

BUILD=${1:-build}
FLOE="$BUILD/floe"
if [ ! -x "$FLOE" ]; then
  make --no-print-directory -j2 BUILD="$BUILD" "$FLOE" || exit 1
fi
FLOE=$(cd "$(dirname "$FLOE")" && pwd)/floe
ROUNDS=30
WRITERS=2
RANDOM=20261126

PASSED=0
FAILED=0
TMP=$(mktemp -d /tmp/floe-crash-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
WH="$TMP/wh"
A=(--warehouse "$WH")

"$FLOE" namespace create ns "${A[@]}" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
"$FLOE" iceberg create ns.t --schema 'id bigint, v varchar' \
  --property commit.retry.num-retries=100 --property commit.retry.min-wait-ms=5 \
  --property commit.retry.max-wait-ms=100 "${A[@]}" >/dev/null \
  || { echo "0 passed, 1 failed"; exit 1; }
: >"$TMP/expected"          # ids committed so far, one a line
echo none >"$TMP/previous"  # current snapshot id after the previous round

killed_total=0
finished_total=0
# bash reports each SIGKILLed job on its stderr: hide that noise during the rounds
exec 3>&2 2>/dev/null
for ((r = 0; r < ROUNDS; r++)); do
  rd="$TMP/r$r"
  mkdir -p "$rd"
  pids=()
  for ((w = 0; w < WRITERS; w++)); do
    n=$((1 + (r + w) % 3))
    : >"$rd/w$w.csv"
    for ((k = 0; k < n; k++)); do echo "$((r * 100 + w * 10 + k)),r$r-w$w" >>"$rd/w$w.csv"; done
    "$FLOE" iceberg append ns.t "$rd/w$w.csv" "${A[@]}" >"$rd/out$w" 2>"$rd/err$w" &
    pids+=($!)
  done
  d0=$((RANDOM % 150))
  d1=$((RANDOM % 150))
  if [ "$d0" -gt "$d1" ]; then first=1; lo=$d1; hi=$d0; else first=0; lo=$d0; hi=$d1; fi
  sleep "$(printf '0.%03d' "$lo")"
  kill -KILL "${pids[$first]}" 2>/dev/null
  sleep "$(printf '0.%03d' $((hi - lo)))"
  kill -KILL "${pids[$((1 - first))]}" 2>/dev/null
  for ((w = 0; w < WRITERS; w++)); do
    if { wait "${pids[$w]}"; } 2>/dev/null; then
      echo finished >"$rd/status$w"; finished_total=$((finished_total + 1))
    else
      echo killed >"$rd/status$w"; killed_total=$((killed_total + 1))
    fi
  done

  ok=1
  msg=""
  if ! "$FLOE" iceberg info ns.t "${A[@]}" >"$rd/info" 2>"$rd/info.err"; then
    ok=0; msg="table does not load: $(cat "$rd/info.err")"
  elif ! "$FLOE" iceberg snapshots ns.t --format json "${A[@]}" >"$rd/snaps" 2>"$rd/err" \
       || ! "$FLOE" iceberg manifests ns.t --format json "${A[@]}" >"$rd/manifests" 2>>"$rd/err" \
       || ! "$FLOE" iceberg files ns.t --format json "${A[@]}" >"$rd/files" 2>>"$rd/err" \
       || ! "$FLOE" iceberg scan ns.t --format csv "${A[@]}" >"$rd/scan" 2>>"$rd/err"; then
    ok=0; msg="reading the table failed: $(head -n 1 "$rd/err")"
  else
    msg=$(python3 - "$rd" "$TMP" "$WRITERS" 2>&1 <<'EOF'
import json, os, re, sys
rd, tmp, writers = sys.argv[1], sys.argv[2], int(sys.argv[3])
def lines(p):
    return [l for l in open(p).read().splitlines() if l.strip()]
errs = []
info = open(os.path.join(rd, "info")).read()
m = re.search(r"^metadata: (.*)$", info, re.M)
if not m or not os.path.isfile(m.group(1)):
    errs.append("metadata file missing: %r" % (m and m.group(1)))
m = re.search(r"^current-snapshot: (-?\d+)", info, re.M)
current = int(m.group(1)) if m else None
prev_text = open(os.path.join(tmp, "previous")).read().strip()
prev = None if prev_text == "none" else int(prev_text)
snaps = {}
for l in lines(os.path.join(rd, "snaps")):
    s = json.loads(l)
    snaps[s["snapshot-id"]] = s
# this round's new snapshots: the current chain back to prev
new_chain = []
cur = current
while cur is not None and cur != prev:
    if cur not in snaps:
        errs.append("snapshot %d of the current chain is not listed" % cur)
        break
    new_chain.append(cur)
    cur = snaps[cur].get("parent-snapshot-id")
if cur != prev:
    errs.append("the current snapshot %s does not descend from the previous %s" % (current, prev))
if len(new_chain) > writers:
    errs.append("%d new snapshots from %d appends" % (len(new_chain), writers))
# appends of this round
attempted = {}
reported = set()
for w in range(writers):
    ids = [int(l.split(",")[0]) for l in lines(os.path.join(rd, "w%d.csv" % w))]
    attempted[w] = ids
    out = open(os.path.join(rd, "out%d" % w)).read()
    st = open(os.path.join(rd, "status%d" % w)).read().strip()
    m = re.search(r"snapshot (-?\d+)", out)
    if st == "finished" and not m:
        errs.append("writer %d exited 0 without reporting a snapshot: %r %r" % (w, out, open(os.path.join(rd, "err%d" % w)).read()))
    if m:
        sid = int(m.group(1))
        reported.add(w)
        if sid not in new_chain:
            errs.append("writer %d reported snapshot %d, not in the current chain" % (w, sid))
# files referenced by the current snapshot
if current is not None and current in snaps:
    ml = snaps[current].get("manifest-list", "")
    if not os.path.isfile(ml):
        errs.append("manifest list missing: %s" % ml)
for l in lines(os.path.join(rd, "manifests")):
    p = json.loads(l)["manifest_path"]
    if not os.path.isfile(p):
        errs.append("manifest missing: %s" % p)
nfiles = 0
for l in lines(os.path.join(rd, "files")):
    p = json.loads(l)["file_path"]
    nfiles += 1
    if not os.path.isfile(p):
        errs.append("data file missing: %s" % p)
# rows
scan = lines(os.path.join(rd, "scan"))[1:]
got = sorted(int(l.split(",")[0]) for l in scan)
expected = [int(l) for l in lines(os.path.join(tmp, "expected"))]
rest = list(got)
for i in expected:
    if i in rest:
        rest.remove(i)
    else:
        errs.append("committed id %d is missing" % i)
committed = 0
for w, ids in attempted.items():
    present = [i for i in ids if i in rest]
    if present and len(present) != len(ids):
        errs.append("writer %d's append is partly visible: %s of %s" % (w, present, ids))
    if w in reported and not present:
        errs.append("writer %d reported success but its rows are missing" % w)
    if present:
        committed += 1
        for i in ids:
            rest.remove(i)
if rest:
    errs.append("unexpected or duplicated ids: %s" % rest[:10])
if committed != len(new_chain):
    errs.append("%d appends visible but %d new snapshots" % (committed, len(new_chain)))
if errs:
    print("ERR " + "; ".join(errs))
else:
    with open(os.path.join(tmp, "expected"), "w") as f:
        f.write("".join("%d\n" % i for i in got))
    with open(os.path.join(tmp, "previous"), "w") as f:
        f.write("none\n" if current is None else "%d\n" % current)
    print("OK %d new snapshot(s), %d reported, %d data files, %d rows" % (len(new_chain), len(reported), nfiles, len(got)))
EOF
)
    [[ "$msg" == OK* ]] || ok=0
  fi
  if [ "$ok" -eq 1 ]; then
    PASSED=$((PASSED + 1))
    echo "ok: round $r (kills at ${lo}/${hi} ms): ${msg#OK }"
  else
    FAILED=$((FAILED + 1))
    echo "FAILED: round $r (kills at ${lo}/${hi} ms): $msg"
  fi
done
exec 2>&3 3>&-
echo "appends killed: $killed_total, finished: $finished_total"
if [ "$killed_total" -eq 0 ]; then
  FAILED=$((FAILED + 1))
  echo "FAILED: no append was killed (delays too long for this machine)"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
