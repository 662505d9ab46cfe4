#!/bin/sh
# twoserver.sh - two `chitieu serve` processes on one database stay consistent: a figure saved
# through A is read through B within a second (the change feed, no full reload), saves through
# both at once all land (figures and history), approval through A is refused a change through B,
# the API rate is shared (PostgreSQL), and a session made on A works on B.
#
# Runs on a SQLite file always (servers holding the figures in their model) and, with
# CHITIEU_PG_CLUSTER (tests/pg/cluster.sh start; `make test-pg` sets it), on a database of that
# cluster too (servers holding them in their engine: serve --cells engine).  CHITIEU_PG_BIN or CHITIEU is the binary.
# Prints "e2e twoserver: N passed, N failed" (tests/summary.sh).
bin=${CHITIEU_PG_BIN:-${CHITIEU:-build/chitieu}}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pass=0 fail=0
pids=""
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "twoserver FAIL ($backend): $1"; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$3', got '$2'"; fi; }
has() { if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi; }
stop_servers() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; pids=""; }
trap 'stop_servers; [ "$fail" -gt 0 ] && tail -n 20 "$work"/*.log; rm -rf "$work"' EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# sql QUERY: one value from the suite's database
sql() {
  if [ "$backend" = postgresql ]; then
    psql -X -q -t -A -d "$db" -c "$1"
  else
    sqlite3 "$db" "$1"
  fi
}

# start NAME [SERVE_OPTIONS]: a server on a free port; its URL in $url_NAME
start() {
  name=$1
  shift
  "$bin" serve --db "$db" --listen 127.0.0.1:0 --threads 4 --cells "$cells" "$@" \
    >"$work/$name.out" 2>"$work/$name.log" &
  pids="$pids $!"
  for i in $(seq 1 100); do grep -q http "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  eval "url_$name=\$(grep -o 'http://[0-9.:]*' \"\$work/$name.out\")"
}

# value URL TOKEN IND UNIT PERIOD: the figure the server holds ("" if none)
value() {
  curl -s -H "Authorization: Bearer $2" "$1/api/v1/values?unit=$4&period=$5&ind=$3" |
    sed -n 's/.*"value":\([-0-9.e+]*\).*/\1/p' | awk '{ print $1 + 0 }'
}

# save URL TOKEN IND UNIT PERIOD VALUE: POST /api/v1/values; prints the status
save() {
  curl -s -o "$work/save.$$" -w '%{http_code}' -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"values\":[{\"indicator\":\"$3\",\"unit\":\"$4\",\"period\":\"$5\",\"value\":$6}]}" "$1/api/v1/values"
}

reloads() {
  curl -s "$1/metrics" | sed -n 's/^chitieu_engine_reloads_total{result="ok"} //p'
}

# through_nginx: packaging/nginx/chitieu.conf in front of servers a and b (its addresses, ports and
# certificate replaced by the test's): TLS, the redirect from http, a session whose requests go
# to both servers in turn, /metrics closed.
through_nginx() {
  if ! command -v nginx >/dev/null || ! command -v openssl >/dev/null; then
    echo "twoserver: no nginx or openssl here: the proxy configuration is not tried"
    return
  fi
  ng=$work/nginx
  mkdir -p "$ng"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ng/key.pem" -out "$ng/cert.pem" -days 1 -subj /CN=localhost \
    >/dev/null 2>&1 || { bad "a test certificate"; return; }
  port=$((30000 + $$ % 20000))
  sed -e "s|server 10.0.0.11:8080|server ${url_a#http://}|; s|server 10.0.0.12:8080|server ${url_b#http://}|" \
      -e "s|listen 80;|listen 127.0.0.1:$((port + 1));|; s|listen 443 ssl http2;|listen 127.0.0.1:$port ssl http2;|" \
      -e '/listen \[::\]/d' \
      -e "s|/etc/ssl/certs/chitieu.example.gov.vn.pem|$ng/cert.pem|; s|/etc/ssl/private/chitieu.example.gov.vn.key|$ng/key.pem|" \
      "$here/../../packaging/nginx/chitieu.conf" >"$ng/site.conf"
  user=""
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat >"$ng/nginx.conf" <<EOF
$user
pid $ng/nginx.pid;
error_log $ng/error.log;
daemon off;
worker_processes 1;
events {}
http {
  access_log off;
  client_body_temp_path $ng/body; proxy_temp_path $ng/proxy; fastcgi_temp_path $ng/fcgi;
  uwsgi_temp_path $ng/uwsgi; scgi_temp_path $ng/scgi;
  include $ng/site.conf;
}
EOF
  nginx -p "$ng" -c "$ng/nginx.conf" 2>"$ng/start.log" &
  pids="$pids $!"
  px=https://127.0.0.1:$port
  for i in $(seq 1 50); do curl -sk -o /dev/null "$px/login" && break; sleep 0.1; done
  expect "nginx: the login page over TLS" "$(curl -sk -o /dev/null -w '%{http_code}' "$px/login")" 200
  expect "nginx: http redirects to https" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((port + 1))/login")" 301
  curl -sk -c "$work/pjar" -o /dev/null --data 'login=caugiay.nhap&password=demo-nhap-2025' "$px/login"
  na=$(grep -c 'route=/entry' "$work/a.log") nb=$(grep -c 'route=/entry' "$work/b.log")
  codes=""
  for i in 1 2 3 4 5 6; do codes="$codes$(curl -sk -b "$work/pjar" -o /dev/null -w '%{http_code}' "$px/entry")"; done
  expect "nginx: one session, six pages" "$codes" 200200200200200200
  if [ "$(grep -c 'route=/entry' "$work/a.log")" -gt "$na" ] && [ "$(grep -c 'route=/entry' "$work/b.log")" -gt "$nb" ]; then
    ok
  else
    bad "nginx: the requests went to both servers"
  fi
  expect "nginx: /metrics closed" "$(curl -sk -o /dev/null -w '%{http_code}' "$px/metrics")" 403
  [ "$fail" -gt 0 ] && cat "$ng/start.log" "$ng/error.log" 2>/dev/null
}

# suite BACKEND DB CELLS: the checks on one database, the servers holding their figures in the
# model or in the engine (serve --cells)
suite() {
  backend=$1 db=$2 cells=$3
  "$bin" demo --db "$db" >/dev/null || { bad "demo"; return; }
  tok_e=$("$bin" token add --user caugiay.nhap --db "$db")
  tok_a=$("$bin" token add --user tp.duyet --db "$db")
  start a
  start b
  [ -n "$url_a" ] && [ -n "$url_b" ] && ok || { bad "servers started"; cat "$work"/a.log "$work"/b.log; return; }

  # a save through A is read through B within a second, in place (no full reload on B)
  r0=$(reloads "$url_b")
  expect "save through A" "$(save "$url_a" "$tok_e" ket_nap_dang_vien cau-giay 2024 4321)" 200
  t0=$(now_ms)
  seen=""
  while [ $(($(now_ms) - t0)) -lt 3000 ]; do
    [ "$(value "$url_b" "$tok_e" ket_nap_dang_vien cau-giay 2024)" = 4321 ] && { seen=$(($(now_ms) - t0)); break; }
    sleep 0.02
  done
  echo "twoserver ($backend): a save through A read through B after ${seen:-(never)} ms"
  if [ -n "$seen" ] && [ "$seen" -le 1000 ]; then ok; else bad "B sees A's save within 1 s (${seen:-never})"; fi
  expect "B applied it in place (no full reload)" "$(reloads "$url_b")" "$r0"
  expect "B counted the cell applied from the change log" \
    "$(curl -s "$url_b/metrics" | sed -n 's/^chitieu_feed_cells_total //p')" 1

  # saves through both at once: every one lands, both servers end with the same figures
  b0=$(sql "SELECT count(*) FROM batch")
  hq="SELECT count(*) FROM history h JOIN unit u ON u.id=h.unit JOIN indicator i ON i.id=h.indicator
      WHERE i.code='ket_nap_dang_vien' AND u.code='cau-giay' AND h.period='2023'"
  h0=$(sql "$hq")
  had=$(sql "SELECT count(*) FROM value v JOIN unit u ON u.id=v.unit JOIN indicator i ON i.id=v.indicator WHERE i.code='ket_nap_dang_vien' AND u.code='cau-giay' AND v.period='2023'")
  (for i in $(seq 1 15); do echo "$(save "$url_a" "$tok_e" ket_nap_dang_vien cau-giay 2023 "$((500 + i))")" >>"$work/codes"; done) &
  la=$!
  (for i in $(seq 1 15); do echo "$(save "$url_b" "$tok_e" ket_nap_dang_vien cau-giay-nghia-do 2023 "$((700 + i))")" >>"$work/codes"; done) &
  lb=$!
  wait "$la" "$lb"
  expect "30 parallel saves all answered 200" "$(grep -c '^200$' "$work/codes")" 30
  expect "one batch a save" "$(($(sql "SELECT count(*) FROM batch") - b0))" 30
  expect "one history row a change of a stored figure" "$(($(sql "$hq") - h0))" "$((14 + had))"
  sleep 1
  for u in a b; do
    eval "url=\$url_$u"
    expect "server $u: A's last save" "$(value "$url" "$tok_e" ket_nap_dang_vien cau-giay 2023)" 515
    expect "server $u: B's last save" "$(value "$url" "$tok_e" ket_nap_dang_vien cau-giay-nghia-do 2023)" 715
  done
  expect "database: the last figures" "$(sql "SELECT CAST(value AS INTEGER) FROM value v JOIN unit u ON u.id=v.unit JOIN indicator i ON i.id=v.indicator WHERE i.code='ket_nap_dang_vien' AND u.code IN ('cau-giay','cau-giay-nghia-do') AND v.period='2023' ORDER BY u.code")" "$(printf '515\n715')"

  # approval through A: B refuses a change at once, whatever its model says
  apost() {
    curl -s -o "$work/ap" -w '%{http_code}' -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
      -d '{"unit":"cau-giay","period":"2022"}' "$1/api/v1/approval/$3"
  }
  expect "submit through A" "$(apost "$url_a" "$tok_e" submit)" 200
  expect "approve through A" "$(apost "$url_a" "$tok_a" approve)" 200
  expect "a change through B is refused" "$(save "$url_b" "$tok_e" ket_nap_dang_vien cau-giay 2022 999)" 422
  has "B says it is locked" "$work/save.$$" "locked"
  expect "the figure stayed" "$(sql "SELECT count(*) FROM value v JOIN unit u ON u.id=v.unit JOIN indicator i ON i.id=v.indicator WHERE i.code='ket_nap_dang_vien' AND u.code='cau-giay' AND v.period='2022' AND v.value=999")" 0

  # a session made on A works on B
  curl -s -c "$work/jar" -o /dev/null --data 'login=caugiay.nhap&password=demo-nhap-2025' "$url_a/login"
  expect "session from A opens B's entry page" "$(curl -s -b "$work/jar" -o /dev/null -w '%{http_code}' "$url_b/entry")" 200

  [ "$backend" = sqlite ] && through_nginx

  # the API rate: one bucket for both servers on PostgreSQL (burst 10: 16 quick requests, 8 each)
  if [ "$backend" = postgresql ]; then
    stop_servers
    start a --api-rate 60 --api-burst 10
    start b --api-rate 60 --api-burst 10
    tok_r=$("$bin" token add --user caugiay.xem --db "$db")
    : >"$work/rate"
    t0=$(now_ms)
    for i in $(seq 1 8); do
      for u in "$url_a" "$url_b"; do
        curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $tok_r" "$u/api/v1/units?limit=1" >>"$work/rate"
      done
    done
    most=$((10 + ($(now_ms) - t0) / 1000 + 1))     # the burst, and one a second since
    allowed=$(grep -c '^200$' "$work/rate")
    if [ "$allowed" -ge 10 ] && [ "$allowed" -le "$most" ]; then ok; else bad "A+B together allow the burst (10, +1 a second: at most $most), got $allowed of 16"; fi
    has "the rest are 429" "$work/rate" "^429$"
  fi
  stop_servers
  : >"$work/codes"
}

suite sqlite "$work/d.db" model
if [ -n "${CHITIEU_PG_CLUSTER:-}" ]; then
  # on PostgreSQL the servers hold their figures in the engine (a country's deployment)
  suite postgresql "$("$here/cluster.sh" createdb "$CHITIEU_PG_CLUSTER" twoserver)" engine
fi
echo "e2e twoserver: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
