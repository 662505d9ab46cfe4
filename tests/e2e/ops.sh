#!/bin/sh
# ops.sh - what operators rely on, over a real socket: /healthz (200, then 503 while the database
# cannot be read, then 200 again), /metrics (Prometheus text, loopback only or a token, refused
# through a proxy), X-Request-Id (echoed when safe, replaced when not), the key=value access log,
# and serve's configuration file (read, overridden by flags, unknown keys refused with FILE:LINE).
# CHITIEU is the binary.  Prints "e2e ops: N passed, N failed".
bin=${CHITIEU:-build/chitieu}
work=$(mktemp -d)
pass=0 fail=0 pid=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "ops FAIL: $1"; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$3', got '$2'"; fi; }
has() { if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi; }
hasnt() { if grep -q -- "$3" "$2"; then bad "$1: '$3' in $2"; else ok; fi; }
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
export CHITIEU_CONFIG=/dev/null     # no stray /etc/chitieu/chitieu.conf in these runs
unset CHITIEU_DB

# Starts serve with the given arguments; sets pid and url.
start() {
  : >"$work/out"
  "$bin" serve "$@" >"$work/out" 2>"$work/log" &
  pid=$!
  for i in $(seq 1 50); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/out")
}
stop() { kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; pid=; }

"$bin" demo --db "$work/d.db" >/dev/null || bad "demo"
tok=$("$bin" token add --user caugiay.nhap --db "$work/d.db")

start --db "$work/d.db" --listen 127.0.0.1:0 --threads 2
[ -n "$url" ] && ok || bad "server address printed"
code=$(curl -s -D "$work/h" -o "$work/b" -w '%{http_code}' "$url/healthz")
expect "healthz 200" "$code" 200
has "healthz status" "$work/b" '"status":"ok"'
has "healthz backend" "$work/b" '"db":"sqlite"'
has "healthz engine current" "$work/b" '"engine":"current"'
has "healthz json type" "$work/h" "Content-Type: application/json"
grep -qi '^X-Request-Id: [0-9a-f]\{16\}' "$work/h" && ok || bad "fresh request id in the response"
curl -s -D "$work/h" -o /dev/null -H 'X-Request-Id: lb-7f3a.9_x' "$url/healthz"
has "safe request id echoed" "$work/h" "X-Request-Id: lb-7f3a.9_x"
curl -s -D "$work/h" -o /dev/null -H 'X-Request-Id: bad id"<x>' "$url/healthz"
hasnt "unsafe request id not echoed" "$work/h" "bad id"
grep -qi '^X-Request-Id: [0-9a-f]\{16\}' "$work/h" && ok || bad "unsafe request id replaced"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$url/api/v1/eval?unit=cau-giay&period=2022")
expect "api request" "$code" 200
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/khong-co")
expect "404" "$code" 404
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz?x=1")
expect "healthz takes no parameters" "$code" 400

code=$(curl -s -D "$work/h" -o "$work/m" -w '%{http_code}' "$url/metrics")
expect "metrics from loopback" "$code" 200
has "metrics content type" "$work/h" "Content-Type: text/plain; version=0.0.4"
has "requests counter type" "$work/m" "^# TYPE chitieu_http_requests_total counter"
has "health requests counted" "$work/m" '^chitieu_http_requests_total{class="ops",code="200"} 3$'
has "api requests counted" "$work/m" '^chitieu_http_requests_total{class="api",code="200"} 1$'
has "404 counted" "$work/m" '^chitieu_http_requests_total{class="other",code="404"} 1$'
has "400 counted" "$work/m" '^chitieu_http_requests_total{class="ops",code="400"} 1$'
has "histogram +Inf" "$work/m" '^chitieu_http_request_duration_seconds_bucket{class="api",le="+Inf"} 1$'
has "histogram count" "$work/m" '^chitieu_http_request_duration_seconds_count{class="api"} 1$'
has "engine loaded once" "$work/m" '^chitieu_engine_reloads_total{result="ok"} 1$'
has "no db errors yet" "$work/m" '^chitieu_db_errors_total 0$'
has "uptime" "$work/m" '^chitieu_uptime_seconds [0-9]'
has "engine generation" "$work/m" '^chitieu_engine_generation [0-9]'
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "$url/metrics")
expect "metrics refused through a proxy" "$code" 403

# the database stops answering reads: 503 (detail in the log only), then back to 200
sqlite3 "$work/d.db" "ALTER TABLE meta RENAME TO meta_away"
code=$(curl -s -o "$work/b" -w '%{http_code}' "$url/healthz")
expect "healthz 503 when the database cannot be read" "$code" 503
has "healthz error body" "$work/b" '"status":"error"'
hasnt "no detail to the client" "$work/b" "meta"
has "detail logged with the request id" "$work/log" "error: rid=[0-9a-f]* healthz:"
curl -s -o "$work/m" "$url/metrics"
grep -q '^chitieu_db_errors_total [1-9]' "$work/m" && ok || bad "database errors counted"
sqlite3 "$work/d.db" "ALTER TABLE meta_away RENAME TO meta"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")
expect "healthz 200 again" "$code" 200

# the access log: one key=value line per request, with the id, route, status, duration, user
has "log line" "$work/log" '^time=[0-9T:.-]*Z rid=lb-7f3a.9_x method=GET route=/healthz path=/healthz status=200 bytes=[0-9]* dur_ms=[0-9.]* user=- addr=127.0.0.1$'
has "log names the user" "$work/log" 'route=/api/v1/eval path=/api/v1/eval status=200 .* user=caugiay.nhap'
has "404 logged without a route" "$work/log" 'route=- path=/khong-co status=404'
stop

# a metrics token: required from everyone, loopback included
start --db "$work/d.db" --listen 127.0.0.1:0 --threads 1 --metrics-token 0123456789abcdef-scrape
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/metrics")
expect "token required" "$code" 403
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer wrong-token-0123456789" "$url/metrics")
expect "wrong token refused" "$code" 403
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer 0123456789abcdef-scrape" -H 'X-Forwarded-For: 1.2.3.4' "$url/metrics")
expect "token reads through a proxy" "$code" 200
stop
"$bin" serve --db "$work/d.db" --metrics-token short >/dev/null 2>&1
expect "short metrics token is a usage error" $? 2

# the configuration file
cat >"$work/c.conf" <<CONF
# chitieu test configuration
db = $work/d.db
listen = 127.0.0.1:0
threads=1
quiet = yes
CONF
start --config "$work/c.conf"
[ -n "$url" ] && ok || bad "serve from the configuration file alone"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")
expect "healthz of the configured server" "$code" 200
has "configuration named at start" "$work/out" "$work/c.conf"
hasnt "quiet from the file" "$work/log" "route=/healthz"
stop
"$bin" init --db "$work/e.db" >/dev/null
CHITIEU_CONFIG="$work/c.conf" start --listen 127.0.0.1:0 --db "$work/e.db"
code=$(curl -s -o "$work/b" -w '%{http_code}' "$url/healthz")
expect "CHITIEU_CONFIG read; --db wins over the file" "$code" 200
has "the flag's database is served (empty)" "$work/b" '"units":0'
stop
printf 'db = %s\nlisten = 127.0.0.1:0\nlsiten = 1\n' "$work/d.db" >"$work/bad.conf"
"$bin" serve --config "$work/bad.conf" >/dev/null 2>"$work/err"
expect "unknown key is a usage error" $? 2
has "unknown key named with file and line" "$work/err" "bad.conf:3: .*'lsiten'"
has "expected keys listed" "$work/err" "db, listen, threads"
printf 'threads = lots\n' >"$work/bad.conf"
"$bin" serve --config "$work/bad.conf" >/dev/null 2>"$work/err"
expect "bad number is a usage error" $? 2
has "bad number named" "$work/err" "bad.conf:1: 'threads'"
"$bin" serve --config "$work/missing.conf" >/dev/null 2>"$work/err"
expect "missing --config file is an error" $? 2
has "missing file named" "$work/err" "missing.conf"

echo "e2e ops: $pass passed, $fail failed"
[ "$fail" = 0 ]
