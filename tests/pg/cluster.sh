#!/bin/sh
# A throw-away PostgreSQL 15 cluster for the tests, from Debian's packages, in a temporary
# directory, listening only on a Unix socket in that directory.
#
#   tests/pg/cluster.sh start        creates and starts it; prints the directory on line 1 and
#                                    the URL of its database 'chitieu' on line 2
#   tests/pg/cluster.sh stop DIR     stops it and removes DIR
#   tests/pg/cluster.sh url DIR [DB] the URL of database DB (default chitieu) in the cluster at DIR
#   tests/pg/cluster.sh createdb DIR DB   creates database DB there (prints its URL)
#
# PostgreSQL refuses to run as root: run as root, the cluster belongs to CHITIEU_PG_USER
# (default nobody), which needs no home or login.  PG_BIN overrides /usr/lib/postgresql/15/bin.
set -eu
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "${CHITIEU_PG_USER:-nobody}" -- "$@"; else "$@"; fi
}
url() {   # DIR DB
  port=$(cat "$1/port")
  user=$(cat "$1/user")
  echo "postgresql:///$2?host=$1&port=$port&user=$user"
}
case "${1:-}" in
start)
  [ -x "$PG_BIN/initdb" ] || { echo "cluster.sh: no $PG_BIN/initdb (apt-get install postgresql-15)" >&2; exit 1; }
  dir=$(mktemp -d /tmp/chitieu-pg.XXXXXX)
  chmod 755 "$dir"
  owner=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then owner=${CHITIEU_PG_USER:-nobody}; chown "$owner" "$dir"; fi
  # a free port: the socket lives in $dir, so only the lock file in /tmp could collide
  port=$((20000 + $$ % 20000))
  while [ -e "/tmp/.s.PGSQL.$port.lock" ] || [ -e "$dir/.s.PGSQL.$port" ]; do port=$((port + 1)); done
  echo "$port" >"$dir/port"
  echo "$owner" >"$dir/user"
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$owner" -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
  as_owner "$PG_BIN/createdb" -h "$dir" -p "$port" -U "$owner" chitieu
  echo "$dir"
  url "$dir" chitieu
  ;;
stop)
  dir=${2:?usage: cluster.sh stop DIR}
  case "$dir" in /tmp/chitieu-pg.*) ;; *) echo "cluster.sh: not a test cluster: $dir" >&2; exit 2 ;; esac
  [ -d "$dir/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
url)
  url "${2:?usage: cluster.sh url DIR [DB]}" "${3:-chitieu}"
  ;;
createdb)
  dir=${2:?usage: cluster.sh createdb DIR DB}
  as_owner "$PG_BIN/createdb" -h "$dir" -p "$(cat "$dir/port")" -U "$(cat "$dir/user")" "${3:?}"
  url "$dir" "$3"
  ;;
*)
  echo "usage: cluster.sh start | stop DIR | url DIR [DB] | createdb DIR DB" >&2
  exit 2
  ;;
esac
