#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on loopback in a temporary data directory.
#   .ci/postgres.sh start DIR [PORT]  -> prints the DATABASE_URL on its last line
#   .ci/postgres.sh stop DIR
# Without PORT the server listens on a free loopback port picked at run time (the kernel's
# choice for 127.0.0.1:0), and a start that fails (another run took the port between the
# pick and the start) is tried again on a new one: two runs on one machine never collide,
# as they did on the fixed port this script once used. With PORT, only that port is tried.
# Uses the machine's PostgreSQL binaries (/usr/lib/postgresql/<version>/bin). As root the
# server runs as the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=$1 dir=$2 port=${3:-}
tries=5
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "no PostgreSQL binaries in /usr/lib/postgresql" >&2; exit 1; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}
case $cmd in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as "$bin/initdb" -D "$dir/data" -U copa --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  [ -n "$port" ] && tries=1
  for ((try = 1; ; try++)); do
    p=${port:-$(free_port)}
    if as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
       -o "-c listen_addresses=127.0.0.1 -p $p -k $dir -c fsync=off -c max_connections=200" \
       start >/dev/null 2>>"$dir/pg_ctl.log"; then
      break
    fi
    if [ "$try" -ge "$tries" ]; then
      echo "PostgreSQL did not start on 127.0.0.1 (ports tried: $try, the last $p): see $dir/server.log" >&2
      tail -3 "$dir/server.log" >&2 || true
      exit 1
    fi
  done
  as "$bin/createdb" -h 127.0.0.1 -p "$p" -U copa copa
  echo "postgres://copa@127.0.0.1:$p/copa"
  ;;
stop)
  as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
esac
