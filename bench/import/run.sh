#!/bin/sh
# Benchmark: `chitieu import` of 1,000,000 value rows against sqlite3's own `.import` of the
# same file into a bare table, in the same run on the same machine. Goal (issue 2): at most 2x.
# Usage: bench/import/run.sh [ROWS]   (from the repository root, after `make`)
set -eu
ROWS=${1:-1000000}
BIN=${CHITIEU:-build/chitieu}
OUT=${BENCH_OUT:-bench/out/import}
rm -rf "$OUT"; mkdir -p "$OUT"
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 missing (scripts/install-deps)"; exit 1; }

# 1,000 units x 100 indicators x 10 months = 1,000,000 cells.
awk 'BEGIN { print "code,name,parent,type"; print "root,Gốc,,Thành ủy";
             for (u = 1; u <= 1000; u++) printf "u%04d,Đơn vị %d,root,Đảng ủy phường\n", u, u }' > "$OUT/units.csv"
awk 'BEGIN { print "code,name"; for (i = 1; i <= 100; i++) printf "i%03d,Chỉ tiêu %d\n", i, i }' > "$OUT/indicators.csv"
awk -v rows="$ROWS" 'BEGIN { print "indicator,unit,period,value"; n = 0;
  for (m = 1; m <= 12 && n < rows; m++) for (u = 1; u <= 1000 && n < rows; u++)
    for (i = 1; i <= 100 && n < rows; i++) { printf "i%03d,u%04d,2022-%02d,%d.%d\n", i, u, m, (u * 7 + i * 13 + m) % 10000, (u + i) % 10; n++ } }' > "$OUT/values.csv"

now() { date +%s.%N; }
TRIES=${TRIES:-3}
ours="" peer=""
for t in $(seq "$TRIES"); do
  export CHITIEU_DB="$OUT/bench-$t.db"
  "$BIN" init >/dev/null
  "$BIN" import "$OUT/units.csv" "$OUT/indicators.csv" >/dev/null
  t0=$(now)
  "$BIN" import "$OUT/values.csv" >/dev/null 2>&1
  t1=$(now)
  sqlite3 "$OUT/bare-$t.db" "CREATE TABLE v(indicator TEXT, unit TEXT, period TEXT, value TEXT);" \
          ".import --csv --skip 1 $OUT/values.csv v"
  t2=$(now)
  ours="$ours $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
  peer="$peer $(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')"
  rm -f "$OUT/bench-$t.db"* "$OUT/bare-$t.db"
done
median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
m_ours=$(median "$ours"); m_peer=$(median "$peer")
echo "runs: chitieu$ours; sqlite3$peer (seconds)"
awk -v ours="$m_ours" -v peer="$m_peer" -v rows="$ROWS" 'BEGIN {
  printf "rows             %d (median of the runs)\n", rows;
  printf "chitieu import   %.2f s  (%.0f rows/s; NFC, checks, upsert, history, one transaction)\n", ours, rows / ours;
  printf "sqlite3 .import  %.2f s  (bare table, no index, no checks)\n", peer;
  printf "ratio            %.2fx (goal <= 2x)\n", ours / peer;
}'
