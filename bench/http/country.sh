#!/bin/sh
# bench/http/country.sh - `chitieu serve` on a large database (a province at M, the country at L):
# how long the server takes to listen, how much memory it holds, p99 of the root's overview and of
# a commune's entry page under wrk (2 threads, 64 connections, DURATION s each), and how long a
# saved figure takes to reach the root (POST /api/v1/values for a leaf's month, then the root's
# figure read back through /api/v1/eval).  Writes to the database (a user, a token, the saves):
# give it a copy.  The pages fetched are kept in OUT (compare them between --cells modes).
#   bench/http/country.sh DB UNITS_CSV CELLS OUT      (CELLS: engine, model or auto)
# At L wrap it in `flock /work/data/L.lock` (one L-scale job on the machine at a time).
set -e
db=$1 units=$2 cells=$3 out=$4
bin=$(pwd)/${CHITIEU:-build/chitieu}
dur=${DURATION:-10}
port=${PORT:-18191}
year=${YEAR:-2024}
saves=${SAVES:-30}
mkdir -p "$out"
. "$(dirname "$0")/units.sh"
bench_units "$units"
# the root's administrator reads the overview, the commune's editor its entry page
"$bin" user add bench.quantri --role admin --unit "$root" --db "$db" --password 'Xanh-Nui-7391-lam' >/dev/null 2>&1 || true
"$bin" user add bench.xa --role editor --unit "$commune" --db "$db" --password 'Xanh-Nui-7391-lam' >/dev/null 2>&1 || true
tok=$("$bin" token add --user bench.quantri --db "$db")
t0=$(date +%s.%N)
"$bin" serve --db "$db" --listen 127.0.0.1:$port --quiet --threads 2 --max-conn-per-ip 256 --api-rate 0 \
  --cells "$cells" >"$out/serve.out" 2>"$out/serve.log" &
spid=$!
# on exit the server is stopped and waited for: its image, written at a clean stop, is on disk
# before a next run starts on the same database
trap 'kill $spid 2>/dev/null; wait $spid 2>/dev/null' EXIT
# while it loads: the most anonymous memory seen (the rest of the resident set is the database
# file, mapped while it is read: clean pages the kernel may drop)
anon=0
while ! grep -q http "$out/serve.out" 2>/dev/null; do
  kill -0 $spid 2>/dev/null || { cat "$out/serve.log"; exit 1; }
  a=$(awk '$1 == "RssAnon:" { print $2 }' /proc/$spid/status 2>/dev/null)
  [ "${a:-0}" -gt "$anon" ] && anon=$a
  sleep 0.2
done
t1=$(date +%s.%N)
rss() { awk -v k="$1" '$1 == k ":" { printf "%.2f GB", $2 / 1048576 }' /proc/$spid/status; }
cpu() { awk '{ printf "%.1f s CPU", ($14 + $15) / 100 }' /proc/$spid/stat; }
echo "cells=$cells start $(echo "$t1 - $t0" | bc) s ($(cpu)), resident $(rss VmRSS) (peak $(rss VmHWM), of it anonymous at most $(echo "scale=2; $anon / 1048576" | bc) GB)"
grep -i "cells\|số liệu" "$out/serve.out" || true
url=http://127.0.0.1:$port
session() { curl -s -D - -o /dev/null -d "login=$1&password=Xanh-Nui-7391-lam" "$url/login" |
              sed -n 's/^Set-Cookie: \(chitieu_session=[^;]*\).*/\1/p'; }
cookie=$(session bench.quantri)
cookie_xa=$(session bench.xa)
overview="/overview?unit=$root&period=$year"
entry="/entry?unit=$commune&period=$year"
t2=$(date +%s.%N)
curl -s -H "Cookie: $cookie" "$url$overview" >"$out/overview.html"
t3=$(date +%s.%N)
curl -s -H "Cookie: $cookie_xa" "$url$entry" >"$out/entry.html"
t4=$(date +%s.%N)
echo "first overview of $root $(echo "$t3 - $t2" | bc) s, first entry page of $commune $(echo "$t4 - $t3" | bc) s"
run() { # name path cookie
  wrk -t2 -c64 -d"${dur}s" --latency -H "Cookie: $3" "$url$2" >"$out/wrk_$1"
  printf "%-10s %10s req/s  p99 %s  %s\n" "$1" "$(awk '/^Requests\/sec/ {print $2}' "$out/wrk_$1")" \
    "$(awk '$1 == "99%" {print $2}' "$out/wrk_$1")" "$(awk '/Non-2xx/ {print "non-2xx: " $NF}' "$out/wrk_$1")"
}
run overview "$overview" "$cookie"
run entry "$entry" "$cookie_xa"
# saves: a leaf's month, then the root's year read back (its figure must have moved by the change)
figure() {
  curl -s -H "Authorization: Bearer $tok" "$url/api/v1/eval?unit=$root&period=$year" |
    jq -r --arg i "$ind" '.rows[] | select(.code == $i) | .actual'
}
# an indicator the leaf reports every month for (its January: a year needs all its months, so
# a new March alone would not move the root)
ind=$(curl -s -H "Authorization: Bearer $tok" "$url/api/v1/values?unit=$leaf&period=$year-01&limit=1" |
      jq -r '.values[0].indicator // empty')
ind=${ind:-c0}
before=$(figure)
: >"$out/saves"
k=1 base=$(( $(date +%s) % 100000 ))
while [ $k -le "$saves" ]; do
  v=$((base + k))
  s=$(curl -s -o "$out/save.json" -w '%{time_total}' -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d "{\"values\":[{\"indicator\":\"$ind\",\"unit\":\"$leaf\",\"period\":\"$year-03\",\"value\":$v}]}" "$url/api/v1/values")
  r=$(curl -s -o "$out/eval.json" -w '%{time_total}' -H "Authorization: Bearer $tok" "$url/api/v1/eval?unit=$root&period=$year")
  o=-1                               # the page is made again after a change: timed for 3 saves
  [ $k -le 3 ] && o=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url$overview")
  echo "$s $r $o $(jq -r --arg i "$ind" '.rows[] | select(.code == $i) | .actual' "$out/eval.json")" >>"$out/saves"
  k=$((k + 1))
done
after=$(figure)
echo "root's $ind for $year: $before before the saves, $after after (last save: $leaf $year-03 = $((base + saves)))"
sort -n "$out/saves" | awk '{ s[NR] = $1 } END { printf "save (POST, commit + engine update): median %.1f ms, max %.1f ms\n", 1000 * s[int((NR + 1) / 2)], 1000 * s[NR] }'
sort -k2 -n "$out/saves" | awk '{ s[NR] = $2 } END { printf "root read back after it: median %.1f ms, max %.1f ms\n", 1000 * s[int((NR + 1) / 2)], 1000 * s[NR] }'
awk '$3 >= 0' "$out/saves" | sort -k3 -n | awk '{ s[NR] = $3 } END { printf "root overview page after it: median %.1f ms, max %.1f ms\n", 1000 * s[int((NR + 1) / 2)], 1000 * s[NR] }'
echo "resident after: $(rss VmRSS) (peak $(rss VmHWM))"
