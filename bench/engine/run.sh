#!/bin/sh
# bench/engine/run.sh [S|M|L ...] - chitieu's engine against SQLite and DuckDB on the same data,
# same run.  For each scale: `chitieu gen` (cached in build/bench-data), `chitieu import` into
# SQLite (timed), then engine_bench (load, roll-up + evaluation with 1 and 2 threads, one update,
# and the same roll-up in SQLite) and duck.mjs (DuckDB from the CSV files, closure table and level
# by level, @duckdb/node-api
# installed here by npm, never a product dependency).  Prints a table, the ratios, and whether
# all three gave identical checksums.  Default scales: S M.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/chitieu
here=$root/bench/engine
[ -x "$bin" ] || make -C "$root" -s
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent)
fi
pk="sqlite3 jansson libutf8proc xlsxwriter libzip expat cairo libsodium freexl libmicrohttpd"
gcc -O2 -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -I"$root/src" $(pkg-config --cflags $pk) -o "$root/build/engine_bench" \
  "$here/engine_bench.c" "$root/build/libchitieu.a" "$root/build/obj/demo_data.o" $(pkg-config --libs $pk) -lm -lpthread
for scale in ${*:-S M}; do
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
    # national scale: the model would need ~5 GB for the values; units and indicators go to
    # SQLite, values and targets are read from the CSV files straight into the engine.
    # SQLite's roll-up is not run (M takes ~4 minutes; L would take about an hour).
    "$bin" import --db "$db" --user bench "$data/units.csv" "$data/indicators.csv" >/dev/null
    "$root/build/engine_bench" "$db" --csv "$data" | tee "$data/engine.out" | grep -v '^[A-Z_0-9]* '
  else
    t0=$(date +%s.%N)
    "$bin" import --db "$db" --user bench "$data/units.csv" "$data/indicators.csv" "$data/targets.csv" \
      "$data/values.csv" >/dev/null
    t1=$(date +%s.%N)
    echo "chitieu import of the CSV files into SQLite: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
    "$root/build/engine_bench" "$db" --sql | tee "$data/engine.out" | grep -v '^[A-Z_0-9]* '
  fi
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
  printf '%-30s %10s %10s\n' "roll-up + evaluation" "seconds" "vs engine"
  printf '%-30s %10.4f %10s\n' "chitieu engine (2 threads)" "$e" "1"
  printf '%-30s %10.4f %9.0fx\n' "chitieu engine (1 thread)" "$e1" "$(awk -v a="$e1" -v b="$e" 'BEGIN { print a / b }')"
  printf '%-30s %10.3f %9.0fx\n' "DuckDB closure (2 threads)" "$d" "$(awk -v a="$d" -v b="$e" 'BEGIN { print a / b }')"
  printf '%-30s %10.3f %9.0fx\n' "DuckDB level by level" "$dl" "$(awk -v a="$dl" -v b="$e" 'BEGIN { print a / b }')"
  if [ -n "$s" ]; then
    printf '%-30s %10.3f %9.0fx\n' "SQLite" "$s" "$(awk -v a="$s" -v b="$e" 'BEGIN { print a / b }')"
  fi
  if [ "$ce" = "$cd" ] && [ "$ce" = "$cl" ] && { [ -z "$cs" ] || [ "$ce" = "$cs" ]; }; then
    echo "checksums: identical ($ce)"
  else
    echo "checksums DIFFER: engine $ce / sqlite $cs / duckdb $cd / duckdb by level $cl"; exit 1
  fi
done
