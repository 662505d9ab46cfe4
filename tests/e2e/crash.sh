#!/bin/sh
# Crash tests: `kill -9` at random moments during imports (command line and web API) and during
# saves through the API, then the database must be sound and all-or-nothing:
#   - PRAGMA integrity_check answers ok;
#   - every import sets every figure of the database to its round number in one transaction, so
#     afterwards all figures carry one round: this one (committed: its batch and, for the web,
#     its audit row are there) or the last committed one (nothing of this round: no figure, no
#     batch, no audit row);
#   - an import or a save the server answered 200 is there after the kill.
# The kill delays are drawn between 0 and 1,5 times an uninterrupted run, so some land inside the
# transaction; the test fails if none did (it would prove nothing).
# Usage: CHITIEU=build/chitieu tests/e2e/crash.sh [ROUNDS]   (needs sqlite3 and curl)
set -u
BIN=${CHITIEU:-build/chitieu}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
ROUNDS=${1:-6}
T=$(mktemp -d)
spid= lpid=
trap '[ -n "$spid" ] && kill -9 $spid 2>/dev/null; [ -n "$lpid" ] && kill $lpid 2>/dev/null; rm -rf "$T"' EXIT
export LANG=vi_VN.UTF-8 LC_ALL= LC_MESSAGES=
unset CHITIEU_DB
DB="$T/live.db"
pass=0 fail=0 committed=0 undone=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# a random delay in seconds between 0 and max_ms * 1,2
delay() { r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' '); awk -v r="$r" -v m="$1" 'BEGIN { printf "%.3f", r / 65535 * m * 1.5 / 1000 }'; }
q() { sqlite3 "$DB" "$1"; }

"$BIN" gen --scale XS --out "$T/gen" >/dev/null || bad "gen"
"$BIN" init --db "$DB" >/dev/null && "$BIN" import --db "$DB" "$T/gen"/*.csv >/dev/null || bad "import"
cells=$(($(wc -l <"$T/gen/values.csv") - 1))
mkfile() { awk -F, -v r="$1" 'NR == 1 { print; next } { print $1 "," $2 "," $3 "," r }' "$T/gen/values.csv" >"$T/w$1.csv"; }
echo "mat-khau-that-dai" | "$BIN" user add adm --role admin --unit u0 --db "$DB" >/dev/null || bad "user add"
tok=$("$BIN" token add --user adm --db "$DB") || bad "token add"
mkfile 0
"$BIN" import --db "$DB" "$T/w0.csv" >/dev/null || bad "round 0"
last=0

# After round r (source: how its batch names the file; web: 1 if it came through the web, with
# an audit row; acked: 1 if the server answered 200): sound, and all of round r or none of it.
check() {
  r=$1 src=$2 web=$3 acked=$4
  integ=$(q "PRAGMA integrity_check")
  [ "$integ" = ok ] && ok || bad "round $r: integrity_check: $integ"
  set -- $(q "SELECT count(*), count(DISTINCT value), CAST(min(value) AS INTEGER) FROM value" | tr '|' ' ')
  if [ "$1" != "$cells" ] || [ "$2" != 1 ]; then bad "round $r: figures of several rounds: $*"; return; fi
  v=$3
  batches=$(q "SELECT count(*) FROM batch WHERE source='$src'")
  audits=$(q "SELECT count(*) FROM audit WHERE action='import' AND object='w$r.csv'")
  if [ "$v" = "$r" ]; then
    committed=$((committed + 1)); last=$r
    [ "$batches" -ge 1 ] && ok || bad "round $r: figures without their batch"
    [ "$web" = 0 ] || [ "$audits" = 1 ] && ok || bad "round $r: figures committed without their audit row ($audits)"
  elif [ "$v" = "$last" ]; then
    undone=$((undone + 1))
    [ "$batches" = 0 ] && ok || bad "round $r: a batch without its figures"
    [ "$audits" = 0 ] && ok || bad "round $r: an audit row without its figures"
    [ "$acked" = 0 ] && ok || bad "round $r: answered 200 but not in the database"
  else
    bad "round $r: figures of round $v (last committed $last)"
  fi
}

# --- command-line imports --------------------------------------------------------------
mkfile 1
t0=$(now_ms); "$BIN" import --db "$DB" "$T/w1.csv" >/dev/null || bad "timing run"; dur=$(($(now_ms) - t0))
check 1 "$T/w1.csv" 0 0
for r in $(seq 2 $((ROUNDS + 1))); do
  mkfile "$r"
  "$BIN" import --db "$DB" "$T/w$r.csv" >/dev/null 2>&1 &
  p=$!
  sleep "$(delay $dur)"
  kill -9 $p 2>/dev/null
  wait $p 2>/dev/null
  check "$r" "$T/w$r.csv" 0 0
done

# --- web imports through the API: the server is killed --------------------------------------
start() {
  "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads 2 --api-rate 0 >"$T/out" 2>"$T/log" &
  spid=$!
  url=
  for i in $(seq 1 100); do url=$(grep -o 'http://[0-9.:]*' "$T/out" 2>/dev/null); [ -n "$url" ] && break; sleep 0.1; done
  [ -n "$url" ] || { bad "the server did not start: $(tail -3 "$T/log")"; exit 1; }
}
post() {  # post FILE -> HTTP status on stdout
  curl -s -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $tok" -F "file=@$1" -F action=commit "$url/api/v1/import"
}
base=$((ROUNDS + 1))
r=$((base + 1)); mkfile $r
start
t0=$(now_ms); code=$(post "$T/w$r.csv"); dur=$(($(now_ms) - t0))
[ "$code" = 200 ] && ok || bad "timing run through the web: $code $(head -c 300 "$T/resp")"
kill -9 $spid; wait $spid 2>/dev/null; spid=
check $r "w$r.csv" 1 1
for r in $(seq $((base + 2)) $((base + ROUNDS + 1))); do
  mkfile "$r"
  start
  ( post "$T/w$r.csv" >"$T/code" ) &
  c=$!
  sleep "$(delay $dur)"
  kill -9 $spid; wait $spid 2>/dev/null; spid=
  wait $c
  acked=0; [ "$(cat "$T/code")" = 200 ] && acked=1
  check "$r" "w$r.csv" 1 "$acked"
done

# --- saves through the API: every save answered 200 survives the kill -----------------------
for k in $(seq 1 3); do
  start
  : >"$T/acked"
  ( j=0; while :; do j=$((j + 1))
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
        -d "{\"values\":[{\"indicator\":\"c0\",\"unit\":\"u17\",\"period\":\"2021-01\",\"value\":$((k * 100000 + j))}]}" \
        "$url/api/v1/values")
      [ "$code" = 200 ] && echo $j >>"$T/acked"; done ) &
  lpid=$!
  sleep "$(delay 1000)"
  kill -9 $spid; wait $spid 2>/dev/null; spid=
  kill $lpid; wait $lpid 2>/dev/null; lpid=
  n=$(tail -1 "$T/acked"); n=${n:-0}
  stored=$(q "SELECT CAST(v.value AS INTEGER) FROM value v JOIN indicator i ON i.id=v.indicator JOIN unit u ON u.id=v.unit
              WHERE i.code='c0' AND u.code='u17' AND v.period='2021-01'")
  [ "$(q 'PRAGMA integrity_check')" = ok ] && ok || bad "saves $k: integrity_check"
  if [ "$n" = 0 ] || [ "$stored" -ge $((k * 100000 + n)) ]; then ok; else bad "saves $k: answered 200 for $n but stored $stored"; fi
  echo "  saves $k: $n answered before the kill, stored $stored"
done

echo "  ($committed rounds committed, $undone rolled back by the kill)"
[ "$undone" -ge 1 ] && ok || bad "no kill landed inside an import's transaction: the test proved nothing"
echo "e2e crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
