#!/bin/sh
# bench/engine/run.sh [S|M|L ...] - chitieu's engine against SQLite and DuckDB on the same data,
# same run.  For each scale: `chitieu gen` (cached in build/bench-data), `chitieu import` into
# SQLite (timed), then engine_bench (load, roll-up + evaluation with 1 and 2 threads, one update,
# the same roll-up in SQLite, and the load from the database straight into the engine) and
# duck.mjs (DuckDB from the CSV files, closure table and level
# by level, @duckdb/node-api
# installed here by npm, never a product dependency).  Prints a table, the ratios, and whether
# all three gave identical checksums.  Default scales: S M.  A scale SR, MR or LR is S, M or L's
# units and data after a nation's reorganisation on 1/7/2025 (conv_bench.c makes it: ~70% of the
# leaf units merged into about a third as many, some split): the engine's roll-up on today's
# structure of 2025 (straddling) and 2024 (converted) against DuckDB converting the same figures
# through the correspondence table (duck_conv.mjs), same checksums, and against the engine's plain
# roll-up of the data as generated (2021-2025, what the base scale reports), in the same run.
# DUCK_FILE=PATH DUCK_MEMORY=14GB keep DuckDB's tables in a file under a memory cap (needed at LR).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/chitieu
here=$root/bench/engine
[ -x "$bin" ] || make -C "$root" -s
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent)
fi
pk=$(sed -n 's/^PKGS *:= *//p' "$root/Makefile")   # the libraries libchitieu.a needs, as the Makefile says
gcc -O2 -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -I"$root/src" $(pkg-config --cflags $pk) -o "$root/build/engine_bench" \
  "$here/engine_bench.c" "$root/build/libchitieu.a" "$root/build/obj/demo_data.o" $(pkg-config --libs $pk) -lm -lpthread
gcc -O2 -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -I"$root/src" $(pkg-config --cflags $pk) -o "$root/build/conv_bench" \
  "$here/conv_bench.c" "$root/build/libchitieu.a" "$root/build/obj/demo_data.o" $(pkg-config --libs $pk) -lm -lpthread
for scale in ${*:-S M}; do
  case $scale in
  SR|MR|LR)
    base=${scale%R}
    data=$root/build/bench-data/$base
    out=$root/build/bench-data/$scale
    mkdir -p "$data" "$out"
    if [ ! -f "$data/values.csv" ]; then
      "$bin" gen --scale "$base" --out "$data" >/dev/null
    fi
    echo "== scale $scale ($base's units and data, reorganised on 1/7/2025)"
    "$root/build/conv_bench" "$data" "$out" | tee "$out/conv.out" | grep -v '^[A-Z_0-9]* '
    node "$here/duck_conv.mjs" "$data" "$out" 2 | tee "$out/duck.out" | grep -v '^[A-Z_0-9]* '
    cv=$(awk '/^CONV_SECONDS/ {print $2}' "$out/conv.out")
    cv1=$(awk '/^CONV1_SECONDS/ {print $2}' "$out/conv.out")
    cr=$(awk '/^CONV_RUN_SECONDS/ {print $2}' "$out/conv.out")
    cpu=$(awk '/^CONV_CPU/ {print $2}' "$out/conv.out")
    cpu2=$(awk '/^CONV2_CPU/ {print $2}' "$out/conv.out")
    rcpu=$(awk '/^CONV_RUN1_CPU/ {print $2}' "$out/conv.out")
    dc=$(awk '/^DUCKDB_CONV_SECONDS/ {print $2}' "$out/duck.out")
    best=$(awk -v a="$cv" -v b="$cv1" 'BEGIN { print (a < b ? a : b) }')
    printf '%-52s %10s %10s\n' "today's structure, 2024 + 2025 (wall)" "seconds" "vs engine"
    printf '%-52s %10.4f %10s\n' "chitieu engine (both years' tables), the faster of" "$best" "1"
    printf '%-52s %10.4f\n' "  ... with 2 threads" "$cv"
    printf '%-52s %10.4f\n' "  ... with 1 thread" "$cv1"
    printf '%-52s %10.4f\n' "chitieu engine, plain roll-up of 2024-2025, 2 threads" "$cr"
    printf '%-52s %10.3f %9.0fx\n' "DuckDB, correspondence table + GROUP BY" "$dc" "$(awk -v a="$dc" -v b="$best" 'BEGIN { print a / b }')"
    pe=$(awk '/^PLAIN_SECONDS/ {print $2}' "$out/conv.out")
    printf '%-52s %10.4f\n' "chitieu engine, plain roll-up of 2021-2025, 2 threads" "$pe"
    echo "CPU time, one thread: today's structure $cpu s / plain roll-up of 2024-2025 $rcpu s = $(awk -v a="$cpu" -v b="$rcpu" 'BEGIN { printf "%.2f", a / b }')x (goal 1.5x); today's structure with 2 threads: $cpu2 s CPU"
    c1=$(sed -n 's/^CONV_CHECK //p' "$out/conv.out")
    c2=$(sed -n 's/^DUCKDB_CONV_CHECK //p' "$out/duck.out")
    if [ -n "$c1" ] && [ "$c1" = "$c2" ]; then
      echo "checksums: identical ($c1)"
    else
      echo "checksums DIFFER: engine $c1 / duckdb $c2"; exit 1
    fi
    continue;;
  esac
  data=$root/build/bench-data/$scale
  mkdir -p "$data"
  if [ ! -f "$data/values.csv" ]; then
    "$bin" gen --scale "$scale" --out "$data" >/dev/null
  fi
  db=$data/bench.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin" init --db "$db" >/dev/null
  echo "== scale $scale ($(du -sh "$data/values.csv" | cut -f1) of values.csv)"
  if [ "$scale" = L ]; then
    # national scale: the model would need ~8 GB for the values; units and indicators go to
    # SQLite by chitieu import, values and targets by sqlite3's own CSV import (chitieu import
    # would hold every cell in its model). The engine reads them from the CSV files and, timed
    # apart, from the database. SQLite's roll-up is not run (M takes ~4 minutes; L about an hour).
    "$bin" import --db "$db" --user bench "$data/units.csv" "$data/indicators.csv" >/dev/null
    t0=$(date +%s.%N)
    sqlite3 "$db" <<SQL >/dev/null
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;
INSERT INTO batch(at,who,source) VALUES('2026-01-01T00:00:00Z','bench','gen');
CREATE TEMP TABLE v(indicator TEXT, unit TEXT, period TEXT, value REAL);
.import --csv --skip 1 $data/values.csv v
INSERT INTO value(indicator,unit,period,value,comment,batch) SELECT i.id,u.id,v.period,v.value,NULL,
  (SELECT max(id) FROM batch) FROM v JOIN indicator i ON i.code=v.indicator JOIN unit u ON u.code=v.unit;
DROP TABLE v;
CREATE TEMP TABLE t(indicator TEXT, unit TEXT, period TEXT, target REAL);
.import --csv --skip 1 $data/targets.csv t
INSERT INTO target(indicator,unit,period,target,batch) SELECT i.id,u.id,t.period,t.target,
  (SELECT max(id) FROM batch) FROM t JOIN indicator i ON i.code=t.indicator JOIN unit u ON u.code=t.unit;
DROP TABLE t;
PRAGMA journal_mode=WAL;
SQL
    t1=$(date +%s.%N)
    echo "sqlite3 .import of the CSV files into SQLite: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s"
    "$root/build/engine_bench" "$db" --csv "$data" | tee "$data/engine.out" | grep -v '^[A-Z_0-9]* '
  else
    t0=$(date +%s.%N)
    "$bin" import --db "$db" --user bench "$data/units.csv" "$data/indicators.csv" "$data/targets.csv" \
      "$data/values.csv" >/dev/null
    t1=$(date +%s.%N)
    echo "chitieu import of the CSV files into SQLite: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
    "$root/build/engine_bench" "$db" --sql | tee "$data/engine.out" | grep -v '^[A-Z_0-9]* '
  fi
  # the same data read from the database straight into the engine (no model cells)
  "$root/build/engine_bench" "$db" --db >"$data/engine_db.out"
  grep '^load' "$data/engine_db.out" | sed 's/^load:/load from the database:/'
  node "$here/duck.mjs" "$data" 2 | tee "$data/duck.out" | grep -v '^[A-Z_0-9]* '
  e=$(awk '/^ENGINE_SECONDS/ {print $2}' "$data/engine.out")
  e1=$(awk '/^ENGINE1_SECONDS/ {print $2}' "$data/engine.out")
  s=$(awk '/^SQLITE_SECONDS/ {print $2}' "$data/engine.out")
  d=$(awk '/^DUCKDB_SECONDS/ {print $2}' "$data/duck.out")
  dl=$(awk '/^DUCKDB_LEVEL_SECONDS/ {print $2}' "$data/duck.out")
  ce=$(sed -n 's/^ENGINE_CHECK //p' "$data/engine.out")
  cs=$(sed -n 's/^SQLITE_CHECK //p' "$data/engine.out")
  cd=$(sed -n 's/^DUCKDB_CHECK //p' "$data/duck.out")
  cl=$(sed -n 's/^DUCKDB_LEVEL_CHECK //p' "$data/duck.out")
  cb=$(sed -n 's/^ENGINE_CHECK //p' "$data/engine_db.out")
  printf '%-30s %10s %10s\n' "roll-up + evaluation" "seconds" "vs engine"
  printf '%-30s %10.4f %10s\n' "chitieu engine (2 threads)" "$e" "1"
  printf '%-30s %10.4f %9.0fx\n' "chitieu engine (1 thread)" "$e1" "$(awk -v a="$e1" -v b="$e" 'BEGIN { print a / b }')"
  printf '%-30s %10.3f %9.0fx\n' "DuckDB closure (2 threads)" "$d" "$(awk -v a="$d" -v b="$e" 'BEGIN { print a / b }')"
  printf '%-30s %10.3f %9.0fx\n' "DuckDB level by level" "$dl" "$(awk -v a="$dl" -v b="$e" 'BEGIN { print a / b }')"
  if [ -n "$s" ]; then
    printf '%-30s %10.3f %9.0fx\n' "SQLite" "$s" "$(awk -v a="$s" -v b="$e" 'BEGIN { print a / b }')"
  fi
  if [ "$ce" = "$cd" ] && [ "$ce" = "$cl" ] && [ "$ce" = "$cb" ] && { [ -z "$cs" ] || [ "$ce" = "$cs" ]; }; then
    echo "checksums: identical ($ce)"
  else
    echo "checksums DIFFER: engine $ce / from the database $cb / sqlite $cs / duckdb $cd / duckdb by level $cl"; exit 1
  fi
done
