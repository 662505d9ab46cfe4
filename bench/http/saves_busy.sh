#!/bin/sh
# bench/http/saves_busy.sh - saves fired while the server is busy with its background work: how
# long a POST /api/v1/values (commit + engine update) takes from the moment the server listens.
#   phase 1: a start with no engine image (DB.engine removed): the image is written in the
#            background and the completeness line's first-write dates are read (the prewarm);
#   phase 2: a clean stop (the image written again: the saves moved the generation), then a start
#            from the image: the prewarm alone.
# Each phase saves a leaf's month every GAP s for WINDOW s and prints every save slower than
# 10 ms with its time since listening, then the median and the maximum; the server's log lines on
# the image and the dates show when those ran.  Writes to the database: give it a copy.
#   bench/http/saves_busy.sh DB UNITS_CSV OUT
# At L wrap it in `flock /work/data/L.lock` (one L-scale job on the machine at a time).
set -e
db=$1 units=$2 out=$3
bin=$(pwd)/${CHITIEU:-build/chitieu}
port=${PORT:-18193}
year=${YEAR:-2024}
window=${WINDOW:-40}
gap=${GAP:-0.1}
mkdir -p "$out"
. "$(dirname "$0")/units.sh"
bench_units "$units"
"$bin" user add bench.quantri --role admin --unit "$root" --db "$db" --password 'Xanh-Nui-7391-lam' >/dev/null 2>&1 || true
tok=$("$bin" token add --user bench.quantri --db "$db")
url=http://127.0.0.1:$port
spid=
trap '[ -n "$spid" ] && kill $spid 2>/dev/null' EXIT

start() { # phase
  : >"$out/serve$1.out"
  "$bin" serve --db "$db" --listen 127.0.0.1:$port --quiet --threads 2 --api-rate 0 --cells engine \
    >"$out/serve$1.out" 2>"$out/serve$1.log" &
  spid=$!
  while ! grep -q http "$out/serve$1.out" 2>/dev/null; do
    kill -0 $spid 2>/dev/null || { cat "$out/serve$1.log"; exit 1; }
    sleep 0.1
  done
}

saves() { # phase
  t0=$(date +%s.%N)
  : >"$out/saves$1"
  k=0
  ind=${ind:-$(curl -s -H "Authorization: Bearer $tok" "$url/api/v1/values?unit=$leaf&period=$year-01&limit=1" |
               jq -r '.values[0].indicator // empty')}
  ind=${ind:-c0}
  while [ "$(echo "$(date +%s.%N) - $t0 < $window" | bc)" = 1 ]; do
    k=$((k + 1))
    t=$(date +%s.%N)
    s=$(curl -s -o "$out/save.json" -w '%{time_total}' -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
        -d "{\"values\":[{\"indicator\":\"$ind\",\"unit\":\"$leaf\",\"period\":\"$year-03\",\"value\":$((k + 1000 * $1))}]}" \
        "$url/api/v1/values")
    grep -q '"error"' "$out/save.json" && { cat "$out/save.json"; exit 1; }
    echo "$(echo "$t - $t0" | bc) $s" >>"$out/saves$1"
    sleep "$gap"
  done
  echo "phase $1 (load $(cut -d' ' -f1-3 /proc/loadavg)): $k saves in ${window} s from listening"
  awk '$2 > 0.010 { printf "  at %5.1f s: %7.1f ms\n", $1, 1000 * $2 }' "$out/saves$1"
  sort -k2 -n "$out/saves$1" | awk '{ s[NR] = $2 } END { printf "  median %.1f ms, max %.1f ms\n", 1000 * s[int((NR + 1) / 2)], 1000 * s[NR] }'
  grep -i "engine image\|first-write\|ngày ghi" "$out/serve$1.log" | sed 's/^/  log: /' || true
}

rm -f "$db.engine"
start 1
saves 1
kill -TERM $spid; wait $spid || true; spid=
start 2
saves 2
kill -TERM $spid; wait $spid || true; spid=
