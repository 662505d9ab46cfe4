#!/bin/sh
# bench/http/saves.sh - how long a save through the API takes on a settled server, each binary in
# turn on its own copy of one database: a leaf's month saved N times (POST /api/v1/values: the
# commit, synced, and the engine's update), GAP s apart, after the start's background work.
# Prints, per binary: the median, 99th percentile and maximum of curl's time_total, the saves
# over 10 ms, and what /metrics says of the WAL's checkpoints (none: the commits did them).
#   bench/http/saves.sh DB UNITS_CSV OUT BIN [BIN...]
# Each BIN gets a fresh copy of DB in OUT (deleted after).  ROUNDS=r runs the binaries r times,
# interleaved.  At L wrap it in `flock /work/data/L.lock`.
set -e
db=$1 units=$2 out=$3
shift 3
port=${PORT:-18194}
year=${YEAR:-2024}
n=${SAVES:-400}
gap=${GAP:-0.05}
settle=${SETTLE:-10}
rounds=${ROUNDS:-1}
mkdir -p "$out"
. "$(dirname "$0")/units.sh"
bench_units "$units"
url=http://127.0.0.1:$port
spid=
trap '[ -n "$spid" ] && kill $spid 2>/dev/null; rm -f "$out/db" "$out/db-wal" "$out/db-shm" "$out/db.engine"' EXIT

one() { # bin tag
  bin=$1 tag=$2
  rm -f "$out/db-wal" "$out/db-shm" "$out/db.engine"
  cp "$db" "$out/db"
  sync "$out/db"       # the copy's dirty pages written back now, not under the saves' fsyncs
  "$bin" user add bench.quantri --role admin --unit "$root" --db "$out/db" --password 'Xanh-Nui-7391-lam' >/dev/null
  tok=$("$bin" token add --user bench.quantri --db "$out/db")
  "$bin" serve --db "$out/db" --listen 127.0.0.1:$port --quiet --threads 2 --api-rate 0 \
    >"$out/serve.out" 2>"$out/serve-$tag.log" &
  spid=$!
  while ! grep -q http "$out/serve.out" 2>/dev/null; do
    kill -0 $spid 2>/dev/null || { cat "$out/serve-$tag.log"; exit 1; }
    sleep 0.1
  done
  sleep "$settle"
  ind=$(curl -s -H "Authorization: Bearer $tok" "$url/api/v1/values?unit=$leaf&period=$year-01&limit=1" |
        jq -r '.values[0].indicator // empty')
  : >"$out/saves-$tag"
  k=0
  while [ $k -lt "$n" ]; do
    k=$((k + 1))
    curl -s -o "$out/save.json" -w '%{time_total}\n' -H "Authorization: Bearer $tok" \
      -H 'Content-Type: application/json' \
      -d "{\"values\":[{\"indicator\":\"$ind\",\"unit\":\"$leaf\",\"period\":\"$year-03\",\"value\":$k}]}" \
      "$url/api/v1/values" >>"$out/saves-$tag"
    grep -q '"error"' "$out/save.json" && { cat "$out/save.json"; exit 1; }
    sleep "$gap"
  done
  ck=$(curl -s "$url/metrics" | grep '^chitieu_wal_checkpoint' | tr '\n' ' ')
  kill -TERM $spid; wait $spid || true; spid=
  sort -n "$out/saves-$tag" | awk -v tag="$tag" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
    { s[NR] = $1; if ($1 > 0.010) over++ }
    END { printf "%-28s %d saves: median %.1f ms, p99 %.1f ms, max %.1f ms, %d over 10 ms (load %s)\n",
                 tag, NR, 1000 * s[int((NR + 1) / 2)], 1000 * s[int(NR * 0.99 + 0.5)], 1000 * s[NR], over, load }'
  [ -n "$ck" ] && echo "  $ck"
  return 0
}

r=0
while [ $r -lt "$rounds" ]; do
  r=$((r + 1))
  for bin in "$@"; do
    one "$bin" "$(basename "$(dirname "$(dirname "$bin")")")#$r"
  done
done
