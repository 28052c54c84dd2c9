#!/usr/bin/env bash
# tests/catalog/pg_test.sh: runs the catalog_pg unit-test group against a
# throwaway PostgreSQL server.
#
# Usage: bash tests/catalog/pg_test.sh [BUILD_DIR]   (default: build)
#
# Starts a server from Debian's postgresql package (installing it with apt if
# no /usr/lib/postgresql/*/bin/pg_ctl exists): initdb into a fresh temporary
# directory, pg_ctl start listening only on a unix socket in that directory
# (a random port number names the socket), as the postgres user when run as
# root. Creates a database, runs `test_unit catalog_pg` with FLOE_TEST_PG set
# to its conninfo (and FLOE_TEST_PG_URI to the same as a postgresql:// URI),
# then stops the server and removes the directory, also on failure.
# Exit status: the tests' (1 if they did not run at all).
set -euo pipefail

BUILD=${1:-build}
BIN="$BUILD/test_unit"
if [ ! -x "$BIN" ]; then
  make --no-print-directory -j2 BUILD="$BUILD" "$BIN"
fi

find_pgbin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
PGBIN=$(find_pgbin)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
  echo "pg_test: installing postgresql (apt-get)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null
  PGBIN=$(find_pgbin)
fi
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
  echo "pg_test: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
  exit 1
fi

DIR=$(mktemp -d /tmp/floe-pg-XXXXXX)
PORT=$((20000 + RANDOM % 40000))
RUN=()
if [ "$(id -u)" -eq 0 ]; then
  # the server refuses to run as root
  chown postgres: "$DIR"
  RUN=(runuser -u postgres --)
fi

cleanup() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${RUN[@]}" "$PGBIN/initdb" -D "$DIR/data" -A trust -U floe -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-k $DIR -p $PORT -c listen_addresses='' -c fsync=off -c max_connections=50" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
"$PGBIN/createdb" -h "$DIR" -p "$PORT" -U floe floe_test

export FLOE_TEST_PG="host=$DIR port=$PORT user=floe dbname=floe_test"
export FLOE_TEST_PG_URI="postgresql://floe@/floe_test?host=$DIR&port=$PORT"
echo "pg_test: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on $DIR (port $PORT)"
status=0
OUT=$("$BIN" catalog_pg 2>&1) || status=$?
echo "$OUT"
if echo "$OUT" | grep -q "NOT RUN"; then
  echo "pg_test: the catalog_pg group did not run" >&2
  exit 1
fi
if ! echo "$OUT" | grep -q "^1 passed, 0 failed"; then
  status=1
fi
exit $status
