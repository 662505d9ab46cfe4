#!/bin/sh
# Runs chitieu against the test cluster instead of SQLite files, so the e2e suites run unchanged
# on PostgreSQL: CHITIEU=tests/pg/chitieu.sh with CHITIEU_PG_CLUSTER=DIR (tests/pg/cluster.sh
# start) and CHITIEU_PG_BIN=the real binary.
#
# Every database path (--db PATH, --db=PATH, $CHITIEU_DB) becomes a database of its own in the
# cluster, named after the path.  The path itself holds a marker line naming that database, so
# the suites' file operations keep their meaning: a missing path is a new, empty database (an
# old one of that name is dropped), and a path that was copied (`cp a.db b.db`, the marker
# names a's database) becomes a copy of a's database (CREATE DATABASE … TEMPLATE).
# URLs pass through untouched.
set -eu
CL=${CHITIEU_PG_CLUSTER:?CHITIEU_PG_CLUSTER: the test cluster directory}
REAL=${CHITIEU_PG_BIN:?CHITIEU_PG_BIN: the chitieu binary}
HERE=$(cd "$(dirname "$0")" && pwd)
PSQL_URL=$("$HERE/cluster.sh" url "$CL" postgres)

sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$PSQL_URL" -c "$1" >/dev/null; }

# map PATH: prints the URL of PATH's database, creating or copying it as the marker says
map() {
  case "$1" in postgres://* | postgresql://*) echo "$1"; return ;; esac
  abs=$(realpath -m -- "$1")
  name="t_$(printf '%s' "$abs" | md5sum | cut -c1-24)"
  have=""
  [ -f "$1" ] && have=$(sed -n 's/^chitieu-pg://p' "$1" | head -n 1)
  if [ "$have" != "$name" ]; then
    sql "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    if [ -n "$have" ]; then
      sql "CREATE DATABASE $name TEMPLATE $have"
    else
      sql "CREATE DATABASE $name"
    fi
    echo "chitieu-pg:$name" >"$1"
  fi
  "$HERE/cluster.sh" url "$CL" "$name"
}

if [ -n "${CHITIEU_DB:-}" ]; then
  CHITIEU_DB=$(map "$CHITIEU_DB")
  export CHITIEU_DB
fi
n=$#
i=0
next_db=0
for a in "$@"; do
  i=$((i + 1))
  if [ "$next_db" = 1 ]; then
    a=$(map "$a")
    next_db=0
  else
    case "$a" in
    --db) next_db=1 ;;
    --db=*) a="--db=$(map "${a#--db=}")" ;;
    esac
  fi
  set -- "$@" "$a"
  [ "$i" = "$n" ] && break
done
shift "$n"
exec "$REAL" "$@"
