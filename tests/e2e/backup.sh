#!/bin/sh
# End-to-end tests of `chitieu backup` and `chitieu restore`: copies taken while other processes
# import (each import sets every figure of the database to its round number, in one transaction)
# are each one consistent snapshot (every figure from the same round), pass --verify, and restore
# to a database whose evaluation (`chitieu eval --format json`) is identical to that of the same
# round's files imported from scratch.  Refusals: a non-empty target without --force, a damaged
# or newer copy, usage errors.
# Copies taken while `chitieu serve` saves figures through the API pass too.
# Usage: CHITIEU=build/chitieu tests/e2e/backup.sh   (needs the sqlite3 shell and curl)
set -u
BIN=${CHITIEU:-build/chitieu}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
T=$(mktemp -d)
wpid=
spid=
trap '[ -n "$wpid" ] && kill $wpid 2>/dev/null; [ -n "$spid" ] && kill $spid 2>/dev/null; rm -rf "$T"' EXIT
export LANG=vi_VN.UTF-8 LC_ALL= LC_MESSAGES=
unset CHITIEU_DB
pass=0 fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_rc() {
  want=$1; shift
  "$@" >"$T/out" 2>"$T/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "exit $got (want $want): $*"; sed 's/^/  | /' "$T/err" | head -20; fi
}
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$(basename "$1") lacks: $2"; fi; }
evals() {
  : >"$2"
  for u in u0 u1; do
    for p in 2022 2023-06; do
      "$BIN" eval --db "$1" --unit "$u" --period "$p" --format json >>"$2" 2>&1 || echo "eval $u $p failed" >>"$2"
    done
  done
}

# --- help and usage ----------------------------------------------------------------------
expect_rc 0 "$BIN" backup --help
has "$T/out" "chitieu backup"
has "$T/out" "--verify"
expect_rc 0 "$BIN" restore --help
has "$T/out" "chitieu restore"
has "$T/out" "--force"
expect_rc 2 "$BIN" backup --db "$T/x.db"
expect_rc 2 "$BIN" backup -o "$T/a" --verify "$T/b"
expect_rc 2 "$BIN" backup --colour red
expect_rc 2 "$BIN" restore
expect_rc 2 "$BIN" restore a b
expect_rc 1 "$BIN" backup --db "$T/none.db" -o "$T/none.bak"
has "$T/err" "không có cơ sở dữ liệu"

# --- the data: a small generated database, and one file per round setting every figure -----
"$BIN" gen --scale XS --out "$T/gen" >/dev/null || bad "gen"
"$BIN" init --db "$T/base.db" >/dev/null && "$BIN" import --db "$T/base.db" "$T/gen"/*.csv >/dev/null || bad "import"
R=8
for r in $(seq 0 $R); do
  awk -F, -v r="$r" 'NR == 1 { print; next } { print $1 "," $2 "," $3 "," r }' "$T/gen/values.csv" >"$T/w$r.csv"
done
cells=$(($(wc -l <"$T/gen/values.csv") - 1))
"$BIN" import --db "$T/base.db" "$T/w0.csv" >/dev/null || bad "round 0"
"$BIN" backup --db "$T/base.db" -o "$T/live.db" >/dev/null || bad "first copy"
sqlite3 "$T/live.db" "PRAGMA journal_mode=WAL" >/dev/null

# --- copies while another process writes round after round -------------------------------
( for r in $(seq 1 $R); do "$BIN" import --db "$T/live.db" "$T/w$r.csv" >/dev/null 2>>"$T/writer.err" || echo "round $r failed" >>"$T/writer.err"; done ) &
wpid=$!
n=0
while kill -0 $wpid 2>/dev/null && [ $n -lt 10 ]; do
  n=$((n + 1))
  "$BIN" backup --db "$T/live.db" -o "$T/b$n.db" >"$T/b$n.out" 2>&1 || bad "backup $n during writes: $(cat "$T/b$n.out")"
done
wait $wpid
wpid=
[ -s "$T/writer.err" ] && bad "the writer failed: $(head -3 "$T/writer.err")" || ok
[ $n -ge 2 ] && ok || bad "only $n backups were taken during the writes"
mid=0 checked=0
for i in $(seq 1 $n); do
  [ -f "$T/b$i.db" ] || continue
  has "$T/b$i.out" "kiểm tra toàn vẹn: ok"
  expect_rc 0 "$BIN" backup --verify "$T/b$i.db"
  has "$T/out" "Bản sao dùng được"
  # one snapshot: every figure from the same round
  snap=$(sqlite3 "$T/b$i.db" "SELECT count(*) || ' ' || count(DISTINCT value) || ' ' || min(value) FROM value")
  set -- $snap
  if [ "$1" = "$cells" ] && [ "$2" = 1 ]; then ok; else bad "backup $i is not one snapshot: $snap"; continue; fi
  round=${3%.0}
  [ "$round" -gt 0 ] && [ "$round" -lt $R ] && mid=$((mid + 1))
  # only a few are restored and evaluated (each costs two evaluations of 4 unit-periods)
  [ $checked -ge 2 ] && [ "$i" -ne "$n" ] && continue
  checked=$((checked + 1))
  expect_rc 0 "$BIN" restore "$T/b$i.db" --db "$T/r$i.db"
  has "$T/out" "Đã khôi phục"
  [ "$(sqlite3 "$T/r$i.db" 'PRAGMA journal_mode')" = wal ] && ok || bad "restored database not in WAL mode"
  cp "$T/base.db" "$T/ref.db"
  "$BIN" import --db "$T/ref.db" "$T/w$round.csv" >/dev/null
  evals "$T/r$i.db" "$T/r$i.eval"
  evals "$T/ref.db" "$T/ref.eval"
  if cmp -s "$T/r$i.eval" "$T/ref.eval"; then ok; else bad "restored backup $i (round $round) evaluates differently"; diff "$T/r$i.eval" "$T/ref.eval" | head -5; fi
  grep -q '"actual"' "$T/r$i.eval" && ok || bad "the evaluation of backup $i has no figures"
done
echo "  ($n backups during $R writes, $mid of them between two rounds, $checked restored and evaluated)"

# --- copies while `chitieu serve` saves figures through the API ---------------------------
echo "mat-khau-that-dai" | "$BIN" user add adm --role admin --unit u0 --db "$T/live.db" >/dev/null || bad "user add"
tok=$("$BIN" token add --user adm --db "$T/live.db") || bad "token add"
"$BIN" serve --db "$T/live.db" --listen 127.0.0.1:0 --threads 2 --api-rate 0 >"$T/sout" 2>"$T/slog" &
spid=$!
url=
for i in $(seq 1 100); do url=$(grep -o 'http://[0-9.:]*' "$T/sout" 2>/dev/null); [ -n "$url" ] && break; sleep 0.1; done
[ -n "$url" ] && ok || bad "the server did not start"
( j=0; while :; do j=$((j + 1))
    curl -s -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d "{\"values\":[{\"indicator\":\"c0\",\"unit\":\"u17\",\"period\":\"2021-01\",\"value\":$((1000 + j))}]}" \
      "$url/api/v1/values"; done ) &
wpid=$!
prev=0
for k in 1 2 3; do
  sleep 0.5
  expect_rc 0 "$BIN" backup --db "$T/live.db" -o "$T/s$k.db"
  has "$T/out" "kiểm tra toàn vẹn: ok"
  v=$(sqlite3 "$T/s$k.db" "SELECT CAST(v.value AS INTEGER) FROM value v JOIN indicator i ON i.id=v.indicator
        JOIN unit u ON u.id=v.unit WHERE i.code='c0' AND u.code='u17' AND v.period='2021-01'")
  # later copies hold later saves (each save is one committed transaction)
  [ "${v:-0}" -ge "$prev" ] && ok || bad "copy $k holds $v, older than the previous copy's $prev"
  prev=${v:-0}
done
kill $wpid; wait $wpid 2>/dev/null; wpid=
kill $spid; wait $spid 2>/dev/null
[ "$prev" -gt 1000 ] && ok || bad "no save reached the copies while the server ran ($prev)"
echo "  (copies while the server saved: the last holds save $((prev - 1000)))"

# --- restore: refusals and --force -------------------------------------------------------
expect_rc 1 "$BIN" restore "$T/b1.db" --db "$T/live.db"
has "$T/err" "đã có dữ liệu"
has "$T/err" "--force"
before=$(sqlite3 "$T/live.db" "SELECT count(*) FROM value WHERE value=$R")
[ "$before" = "$((cells - 1))" ] && ok || bad "the refused restore changed the database ($before)"
expect_rc 0 "$BIN" restore "$T/b1.db" --db "$T/live.db" --force
[ "$(sqlite3 "$T/live.db" 'SELECT count(*) FROM value')" = "$cells" ] && ok || bad "forced restore"
"$BIN" init --db "$T/empty.db" >/dev/null
expect_rc 0 "$BIN" restore "$T/b1.db" --db "$T/empty.db"     # an empty database may be replaced
# a damaged copy: refused by --verify and by restore, the target untouched
cp "$T/b1.db" "$T/bad.db"
size=$(wc -c <"$T/bad.db")
dd if=/dev/urandom of="$T/bad.db" bs=4096 seek=$((size / 4096 / 2)) count=2 conv=notrunc 2>/dev/null
expect_rc 1 "$BIN" backup --verify "$T/bad.db"
expect_rc 1 "$BIN" restore "$T/bad.db" --db "$T/new.db"
has "$T/err" "bản sao lưu không dùng được"
[ -f "$T/new.db" ] && bad "a refused restore created the target" || ok
printf 'not a database at all' >"$T/junk.db"
expect_rc 1 "$BIN" backup --verify "$T/junk.db"
LANG=en_US.UTF-8 expect_rc 1 "$BIN" restore "$T/junk.db" --db "$T/new.db"
has "$T/err" "the backup cannot be used"

echo "e2e backup: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
