#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on loopback in a temporary data directory.
#   .ci/postgres.sh start DIR [PORT]  -> prints the DATABASE_URL on its last line
#   .ci/postgres.sh stop DIR
# Uses the machine's PostgreSQL binaries (/usr/lib/postgresql/<version>/bin). As root the
# server runs as the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=$1 dir=$2 port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "no PostgreSQL binaries in /usr/lib/postgresql" >&2; exit 1; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as "$bin/initdb" -D "$dir/data" -U copa --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
     -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
  as "$bin/createdb" -h 127.0.0.1 -p "$port" -U copa copa
  echo "postgres://copa@127.0.0.1:$port/copa"
  ;;
stop)
  as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
esac
