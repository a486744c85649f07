#!/usr/bin/env bash
# A private, throw-away PostgreSQL server (Debian's postgresql-15) for benchmarks and the dev
# cluster, as the tests start their own: its data in DIR, a Unix socket and no TCP.
# Usage: scripts/private-postgres.sh up DIR [PORT]   prints the URL of database "baikal"
#        scripts/private-postgres.sh down DIR
# The socket goes in a short folder under /tmp named after DIR (a Unix socket path has at most
# 107 bytes, and DIR may be deep). As root the server runs as the `postgres` user, which initdb
# and postgres require.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:-}
dir=${2:-}
port=${3:-55432}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 up|down DIR [PORT]" >&2; exit 2; }
[ -x "$bin/initdb" ] || { echo "private-postgres: no $bin/initdb (scripts/install-deps.sh installs postgresql-15)" >&2; exit 1; }
as_owner=()
[ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sock=/tmp/baikal-pg-$(printf '%s' "$dir" | md5sum | cut -c1-10)

case $cmd in
up)
  mkdir -p "$sock"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir" "$sock"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U baikal -E UTF8 --no-locale >"$dir/initdb.log"
  fi
  if [ ! -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $sock -p $port -c listen_addresses=''" start >/dev/null
  fi
  "${as_owner[@]}" "$bin/createdb" -h "$sock" -p "$port" -U baikal baikal 2>/dev/null || true
  echo "postgresql://baikal@/baikal?host=$sock&port=$port"
  ;;
down)
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
  fi
  rm -rf "$sock"
  ;;
*)
  echo "usage: $0 up|down DIR [PORT]" >&2
  exit 2
  ;;
esac
