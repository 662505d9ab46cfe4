#!/bin/sh
# bench/pg/run.sh [S|M|L ...] - chitieu on PostgreSQL: the import against psql's \copy of the same
# values CSV into a bare 4-column table, and the engine's load from PostgreSQL, same run, same
# throw-away PostgreSQL 15 cluster (tests/pg/cluster.sh; stopped and removed at the end).
#
# For each scale (default M), data from $BENCH_DATA/SCALE (default build/bench-data/SCALE,
# made by `chitieu gen --scale SCALE` when values.csv is missing):
#   S, M: psql \copy of values.csv into a bare table (timed), `chitieu import` of units,
#         indicators, targets and values into an empty database (timed, peak RSS), psql \copy
#         again (the peer before and after: the machine is shared); the ratio is against the
#         mean of the two.
#   L:    `chitieu import` would hold every cell of the country in its model, so units and
#         indicators go in by chitieu import, values and targets by psql \copy into staging
#         tables and one INSERT … SELECT each (timed) - as bench/engine/run.sh does with sqlite3.
# Then engine_bench on the database (--db: values and targets from PostgreSQL straight into the
# engine, two connections; load time, memory) and on the CSV files (--csv, the same engine from
# values.csv/targets.csv): their checksums must be identical; with a SQLite database of the same
# data in $data/*.db (bench/engine/run.sh's bench.db, or m.db), its --db checksums too (read from a
# copy: $data is never written).
# Every L step runs under `flock /work/data/L.lock` when that directory exists (one L job at a
# time on the shared machine).  BENCH_PG_KEEP=1 leaves the cluster running (its directory printed;
# stop it with tests/pg/cluster.sh stop DIR).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/chitieu
[ -x "$bin" ] || make -C "$root" -s build/chitieu
pk="sqlite3 libpq jansson libutf8proc xlsxwriter libzip expat cairo libsodium freexl libgsf-1 libmicrohttpd libcurl pwquality liboath"
# shellcheck disable=SC2046
gcc -O2 -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -I"$root/src" $(pkg-config --cflags $pk) -o "$root/build/engine_bench" \
  "$root/bench/engine/engine_bench.c" "$root/build/libchitieu.a" "$root/build/obj/demo_data.o" $(pkg-config --libs $pk) \
  -lm -lpthread
lock() {   # runs "$@" alone among L jobs
  if [ "$scale" = L ] && [ -d /work/data ]; then flock /work/data/L.lock "$@"; else "$@"; fi
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

out=$("$root/tests/pg/cluster.sh" start)
cl=$(echo "$out" | sed -n 1p)
if [ -n "${BENCH_PG_KEEP:-}" ]; then
  echo "cluster kept: $cl (tests/pg/cluster.sh stop $cl)"
else
  trap '"$root/tests/pg/cluster.sh" stop "$cl"' EXIT INT TERM
fi
psql_q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# the server's side of the import: its statements of 0,3 s or more in the server's log (timed there)
psql_q -d "$(echo "$out" | sed -n 2p)" -c "ALTER SYSTEM SET log_min_duration_statement = 300" -c "SELECT pg_reload_conf()" >/dev/null
echo "PostgreSQL $(psql -X -At -d "$(echo "$out" | sed -n 2p)" -c 'SHOW server_version') in $cl;" \
  "$(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GB; load average $(cut -d' ' -f1-3 /proc/loadavg)"

for scale in ${*:-M}; do
  data=${BENCH_DATA:-$root/build/bench-data}/$scale
  if [ ! -f "$data/values.csv" ]; then
    mkdir -p "$data"
    lock "$bin" gen --scale "$scale" --out "$data" >/dev/null
  fi
  work=$root/build/bench-data/pg-$scale
  mkdir -p "$work"
  echo "== scale $scale ($(du -sh "$data/values.csv" | cut -f1) of values.csv, $(($(wc -l <"$data/values.csv") - 1)) values)"
  db=$("$root/tests/pg/cluster.sh" createdb "$cl" "c_$(echo "$scale" | tr 'A-Z' 'a-z')")
  "$bin" init --db "$db" >/dev/null
  if [ "$scale" = L ]; then
    "$bin" import --db "$db" --user bench "$data/units.csv" "$data/indicators.csv" >/dev/null
    t0=$(date +%s.%N)
    lock env PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" <<SQL >"$work/load.out"
SELECT clock_timestamp() AS start \gset
BEGIN;
INSERT INTO batch(at,who,source) VALUES('2026-01-01T00:00:00Z','bench','gen');
CREATE TEMP TABLE v(indicator text, unit text, period text, value double precision);
\copy v FROM '$data/values.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE t(indicator text, unit text, period text, target double precision);
\copy t FROM '$data/targets.csv' WITH (FORMAT csv, HEADER true)
SELECT chitieu_bulk_begin('value') AS bulk_v, chitieu_bulk_begin('target') AS bulk_t \gset
SELECT 'STAGED_SECONDS ' || round(extract(epoch FROM clock_timestamp() - :'start')::numeric, 1);
INSERT INTO value(indicator,unit,period,value,comment,batch) SELECT i.id,u.id,v.period,v.value,NULL,
  (SELECT max(id) FROM batch) FROM v JOIN indicator i ON i.code=v.indicator JOIN unit u ON u.code=v.unit;
INSERT INTO target(indicator,unit,period,target,batch) SELECT i.id,u.id,t.period,t.target,
  (SELECT max(id) FROM batch) FROM t JOIN indicator i ON i.code=t.indicator JOIN unit u ON u.code=t.unit;
SELECT 'INSERTED_SECONDS ' || round(extract(epoch FROM clock_timestamp() - :'start')::numeric, 1);
SELECT chitieu_bulk_end('value'), chitieu_bulk_end('target') \gset
COMMIT;
SELECT 'LOADED_SECONDS ' || round(extract(epoch FROM clock_timestamp() - :'start')::numeric, 1);
SQL
    t1=$(date +%s.%N)
    st=$(awk '/^STAGED_SECONDS/ {print $2}' "$work/load.out")
    ins=$(awk '/^INSERTED_SECONDS/ {print $2}' "$work/load.out")
    ld=$(awk '/^LOADED_SECONDS/ {print $2}' "$work/load.out")
    printf '%s\n' "psql \\copy of values.csv and targets.csv into staging tables, INSERT … SELECT into the empty" \
      "figure tables, their keys built and checked: $ld s (staged $st s, inserted by $ins s; $(secs "$t0" "$t1") s" \
      "with the wait for the L lock)"
  else
    bare=$("$root/tests/pg/cluster.sh" createdb "$cl" "bare_$(echo "$scale" | tr 'A-Z' 'a-z')")
    copy_bare() {
      psql_q -d "$bare" -c "DROP TABLE IF EXISTS bare" \
        -c "CREATE TABLE bare(indicator text, unit text, period text, value double precision)"
      t0=$(date +%s.%N)
      psql_q -d "$bare" -c "\\copy bare FROM '$data/values.csv' WITH (FORMAT csv, HEADER true)"
      t1=$(date +%s.%N)
      secs "$t0" "$t1"
    }
    p1=$(copy_bare)
    logmark=$(wc -l <"$cl/server.log")
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$work/import.time" "$bin" import --db "$db" --user bench "$data/units.csv" \
      "$data/indicators.csv" "$data/targets.csv" "$data/values.csv" >"$work/import.out"
    t1=$(date +%s.%N)
    la=$(cut -d' ' -f1 /proc/loadavg)
    p2=$(copy_bare)
    ti=$(secs "$t0" "$t1")
    read -r rss ucpu scpu <"$work/import.time"
    pm=$(awk -v a="$p1" -v b="$p2" 'BEGIN { printf "%.2f", (a + b) / 2 }')
    printf '%-62s %8s\n' "import into PostgreSQL" "seconds"
    printf '%-62s %8s\n' "psql \\copy of values.csv into a bare 4-column table (before)" "$p1"
    printf '%-62s %8s  (CPU %s user + %s sys, peak RSS %d MB; load average %s at its end)\n' \
      "chitieu import (units, indicators, targets, values)" "$ti" "$ucpu" "$scpu" $((rss / 1024)) "$la"
    printf '%-62s %8s\n' "psql \\copy of values.csv into a bare 4-column table (after)" "$p2"
    printf '%s\n' "chitieu import / psql \\copy: $(awk -v a="$ti" -v b="$pm" 'BEGIN { printf "%.2f", a / b }')x (goal <= 2x)"
    # where the import's time went on the server: each long statement's end (seconds after the
    # start) and duration; the checking before the first COPY is the client's alone
    tail -n +"$((logmark + 1))" "$cl/server.log" | awk -v t0="$t0" '
      /duration: .* statement: (COPY (value|target)|SELECT chitieu_bulk_end)/ {
        split($2, hms, ":"); end = hms[1] * 3600 + hms[2] * 60 + hms[3]
        s = t0 - int(t0 / 86400) * 86400; d = $7 / 1000
        sub(/.*statement: /, ""); sub(/\(FORMAT binary\)/, "")
        printf "  server: %-58s %6.1f s, ended at %5.1f s\n", $0, d, end - s }'
    echo "IMPORT_SECONDS $ti"
    echo "COPY_SECONDS $pm"
  fi
  echo "database: $(psql -X -At -d "$db" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  # both under one lock (at L another job may take it between two)
  lock sh -c '"$1" "$2" --db >"$3/engine_db.out" && "$1" "$2" --csv "$4" >"$3/engine_csv.out"' sh \
    "$root/build/engine_bench" "$db" "$work" "$data"
  grep -E '^(data|load|memory|engine roll-up)' "$work/engine_db.out" | sed 's/^/  pg: /'
  grep -E '^(load|memory)' "$work/engine_csv.out" | sed 's/^/  csv: /'
  cp=$(sed -n 's/^ENGINE_CHECK //p' "$work/engine_db.out")
  cc=$(sed -n 's/^ENGINE_CHECK //p' "$work/engine_csv.out")
  cs=""
  lite=$(ls "$data"/*.db 2>/dev/null | head -n 1 || true)
  if [ -n "$lite" ] && [ "$scale" != L ]; then
    # a copy: opening a file of an older schema version upgrades it (and $data may be shared)
    rm -f "$work/lite.db" "$work/lite.db-wal" "$work/lite.db-shm" "$work"/lite.db.schema-*.bak
    sqlite3 "$lite" ".backup '$work/lite.db'"
    lock "$root/build/engine_bench" "$work/lite.db" --db 2>/dev/null >"$work/engine_lite.out"
    grep -E '^load' "$work/engine_lite.out" | sed 's/^/  sqlite: /'
    cs=$(sed -n 's/^ENGINE_CHECK //p' "$work/engine_lite.out")
  fi
  echo "LOAD_SECONDS $(awk '/^LOAD_SECONDS/ {print $2}' "$work/engine_db.out")"
  if [ -n "$cp" ] && [ "$cp" = "$cc" ] && { [ -z "$cs" ] || [ "$cp" = "$cs" ]; }; then
    echo "checksums: identical (PostgreSQL, CSV${cs:+, SQLite}: $cp)"
  else
    echo "checksums DIFFER: PostgreSQL $cp / CSV $cc / SQLite $cs"; exit 1
  fi
done
