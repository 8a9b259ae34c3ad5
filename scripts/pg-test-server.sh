#!/usr/bin/env bash
# Starts a throw-away PostgreSQL (Debian's postgresql 15) on 127.0.0.1:${PGPORT:-55432} for tests and benchmarks.
# Usage: scripts/pg-test-server.sh start|stop  — prints the DATABASE_URL on start. Runs the server as `postgres`.
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGDIR=${PGDIR:-/tmp/ocop-pg-$PGPORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql postgresql-contrib)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "${1:-start}" in
  start)
    if [ ! -f "$PGDIR/PG_VERSION" ]; then
      mkdir -p "$PGDIR"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
      as_pg "$BIN/initdb -D $PGDIR -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null"
    fi
    if ! as_pg "$BIN/pg_ctl -D $PGDIR status >/dev/null 2>&1"; then
      as_pg "$BIN/pg_ctl -D $PGDIR -l $PGDIR/pg.log -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c max_connections=200\" start >/dev/null"
    fi
    for db in ocop_test ocop_bench; do
      as_pg "$BIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc \"select 1 from pg_database where datname='$db'\" | grep -q 1 || $BIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres $db"
    done
    echo "postgres://postgres@127.0.0.1:$PGPORT/ocop_test"
    ;;
  stop)
    as_pg "$BIN/pg_ctl -D $PGDIR -m fast stop >/dev/null 2>&1" || true
    ;;
esac
