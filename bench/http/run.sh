#!/bin/sh
# bench/http/run.sh - chitieu serve against nginx serving the same bytes as static files, in one
# run on this machine: the district overview as JSON (/api/v1/eval, bearer token) and as a page
# (/overview, session cookie), with wrk on loopback (2 threads, 64 connections, DURATION s each).
# Installs wrk and nginx-light from Debian if missing (benchmark only, not product dependencies).
# Prints requests/s and p99 latency for each and chitieu's share of nginx's rate.
set -e
bin=$(pwd)/${CHITIEU:-build/chitieu}
dur=${DURATION:-10}
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null
fi
work=$(mktemp -d); chmod 755 "$work"
trap 'kill $spid 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
"$bin" demo --db "$work/d.db" >/dev/null
tok=$("$bin" token add --user caugiay.xem --db "$work/d.db")
# wrk's 64 connections all come from 127.0.0.1 (above serve's default of 32 per address), all
# with one token (no API rate limit: the benchmark measures the server, not the limiter)
"$bin" serve --db "$work/d.db" --listen 127.0.0.1:18181 --quiet --max-conn-per-ip 256 --api-rate 0 >"$work/out" 2>"$work/log" &
spid=$!
# wait until it listens (a loaded machine may take seconds to read the database)
for i in $(seq 1 300); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
cookie=$(curl -s -D - -o /dev/null -d "login=caugiay.xem&password=demo-xem-2025" http://127.0.0.1:18181/login \
         | sed -n 's/^Set-Cookie: \(chitieu_session=[^;]*\).*/\1/p')
mkdir -p "$work/www"
json_path="/api/v1/eval?unit=cau-giay&period=2022"
page_path="/overview?unit=cau-giay&period=2022"
curl -s -H "Authorization: Bearer $tok" "http://127.0.0.1:18181$json_path" >"$work/www/eval.json"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:18181$page_path" >"$work/www/overview.html"
cat >"$work/nginx.conf" <<NGX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:18182; root $work/www; }
}
NGX
/usr/sbin/nginx -c "$work/nginx.conf"
sleep 0.3
# wrk prints "Requests/sec: N" and, with --latency, "99% X(us|ms|s)"
run() { # name url [header]
  if [ -n "$3" ]; then wrk -t2 -c64 -d"${dur}s" --latency -H "$3" "$2" >"$work/$1"; else wrk -t2 -c64 -d"${dur}s" --latency "$2" >"$work/$1"; fi
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$1")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1")
  errs=$(awk '/Non-2xx/ {print $NF}' "$work/$1")
  printf "%-34s %12s %10s %s\n" "$1" "$rps" "$p99" "${errs:+non-2xx: $errs}"
  eval "rps_$(echo "$1" | tr -c 'a-z\n' '_')=$rps"
}
printf "%-34s %12s %10s\n" "target (bytes: json $(wc -c <"$work/www/eval.json"), page $(wc -c <"$work/www/overview.html"))" "req/s" "p99"
run chitieu_json "http://127.0.0.1:18181$json_path" "Authorization: Bearer $tok"
run nginx_json "http://127.0.0.1:18182/eval.json"
run chitieu_page "http://127.0.0.1:18181$page_path" "Cookie: $cookie"
run nginx_page "http://127.0.0.1:18182/overview.html"
awk -v a="$rps_chitieu_json" -v b="$rps_nginx_json" -v c="$rps_chitieu_page" -v d="$rps_nginx_page" \
  'BEGIN { printf "chitieu / nginx: json %.0f%%, page %.0f%% (goal: >= 50%%)\n", 100*a/b, 100*c/d }'
