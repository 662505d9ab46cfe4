#!/bin/sh
# bench/http/first_overview.sh - the first overview of the root after `chitieu serve` starts (its
# completeness line needs the period's first-write dates): starts the server with --cells engine
# and the engine image IMAGE (a path: read if usable, else the database is read and the image
# written; `none`: neither), times each year of YEARS (default "2024 2025": a year the start does
# not read ahead, then the default one) the first time and one page again, prints the server's log
# (the start's read of the default year's dates) and stops it.  Adds a user to DB: give it a copy.
#   bench/http/first_overview.sh BIN DB UNITS_CSV IMAGE OUT
# At L wrap it in `flock /work/data/L.lock`.
set -e
bin=$1 db=$2 units=$3 img=$4 out=$5
port=${PORT:-18197}
years=${YEARS:-2024 2025}
root=$(awk -F, 'NR > 1 && $3 == "" { print $1; exit }' "$units")
mkdir -p "$out"
"$bin" user add bench.quantri --role admin --unit "$root" --db "$db" --password 'Xanh-Nui-7391-lam' >/dev/null 2>&1 || true
echo "load before: $(uptime)"
t0=$(date +%s.%N)
"$bin" serve --db "$db" --listen 127.0.0.1:$port --quiet --threads 2 --max-conn-per-ip 256 --api-rate 0 \
  --cells engine --engine-image "$img" >"$out/serve.out" 2>"$out/serve.log" &
spid=$!
trap 'kill $spid 2>/dev/null' EXIT
while ! grep -q http "$out/serve.out" 2>/dev/null; do
  kill -0 $spid 2>/dev/null || { cat "$out/serve.log"; exit 1; }
  sleep 0.1
done
t1=$(date +%s.%N)
echo "start $(echo "$t1 - $t0" | bc) s ($(awk '{ printf "%.1f s CPU", ($14 + $15) / 100 }' /proc/$spid/stat))"
url=http://127.0.0.1:$port
cookie=$(curl -s -D - -o /dev/null -d "login=bench.quantri&password=Xanh-Nui-7391-lam" "$url/login" |
           sed -n 's/^Set-Cookie: \(chitieu_session=[^;]*\).*/\1/p')
for y in $years; do
  t2=$(date +%s.%N)
  curl -s -H "Cookie: $cookie" "$url/overview?unit=$root&period=$y" >"$out/overview_$y.html"
  t3=$(date +%s.%N)
  echo "first overview $y: $(echo "$t3 - $t2" | bc) s ($(wc -c <"$out/overview_$y.html") bytes), load $(cut -d' ' -f1 /proc/loadavg)"
done
t2=$(date +%s.%N)
curl -s -H "Cookie: $cookie" "$url/overview?unit=$root&period=${years%% *}" >/dev/null
t3=$(date +%s.%N)
echo "the same page again: $(echo "$t3 - $t2" | bc) s"
sleep "${WAIT:-3}"               # the start's read of the dates logs when it ends
cat "$out/serve.log"
kill $spid
wait $spid || true
echo "load after: $(uptime)"
