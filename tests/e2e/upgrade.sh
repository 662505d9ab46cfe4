#!/bin/sh
# End-to-end tests of schema versions: every fixture database of tests/fixtures (one per released
# schema version, made by that release's binary: tests/fixtures/make.sh) is upgraded by this
# binary on its first open, with a copy of the old file taken first; its figures are the same
# rows before and after, its evaluation equals that of the same files imported today, and the
# version is recorded.  A newer database is refused with a clear message and left alone; a
# failing upgrade leaves the file at its old version.
# Usage: CHITIEU=build/chitieu tests/e2e/upgrade.sh   (needs the sqlite3 shell)
set -u
BIN=${CHITIEU:-build/chitieu}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FIXDB="$ROOT/tests/fixtures"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=vi_VN.UTF-8 LC_ALL= LC_MESSAGES=
V=4   # this binary's schema version (STORE_SCHEMA_VERSION)
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
same() { if cmp -s "$1" "$2"; then ok; else bad "$3: $(basename "$1") and $(basename "$2") differ"; diff "$1" "$2" | head -10; fi; }
version() { sqlite3 "$1" "SELECT value FROM meta WHERE key='schema_version'"; }
# Every figure by codes (the ids and batches may be renumbered, the figures may not).
figures() {
  sqlite3 "$1" "SELECT 'v', i.code, u.code, v.period, v.value, coalesce(v.comment,'') FROM value v
    JOIN indicator i ON i.id=v.indicator JOIN unit u ON u.id=v.unit
    UNION ALL SELECT 't', i.code, u.code, t.period, t.target, '' FROM target t
    JOIN indicator i ON i.id=t.indicator JOIN unit u ON u.id=t.unit ORDER BY 1,2,3,4" >"$2"
}
evals() {
  : >"$2"
  for u in tinh huyen-a huyen-b; do
    for p in 2021 2022 2023S1 2020-2025; do
      "$BIN" eval --db "$1" --unit "$u" --period "$p" --format json >>"$2" 2>>"$T/eval.err" || echo "eval $u $p failed" >>"$2"
    done
  done
}

# the same files imported by this binary: the evaluation every upgraded fixture must give
(cd "$ROOT" && tests/fixtures/make.sh "$BIN" "$T/fresh.db") || bad "make.sh with this binary"
evals "$T/fresh.db" "$T/fresh.eval"
has "$T/fresh.eval" '"unit": "huyen-b"'
[ "$(version "$T/fresh.db")" = $V ] && ok || bad "a new database records version $V"

for fx in "$FIXDB"/schema-*.db; do
  name=$(basename "$fx" .db)
  old=$(version "$fx")
  db="$T/$name.db"
  cp "$fx" "$db"
  figures "$db" "$T/$name.before"
  [ -s "$T/$name.before" ] && ok || bad "$name: no figures in the fixture"
  expect_rc 0 "$BIN" units --db "$db"
  has "$T/err" "đã nâng cấp '$db' từ lược đồ $old lên $V"
  [ "$(version "$db")" = $V ] && ok || bad "$name: version after the upgrade is $(version "$db")"
  # the copy taken before: the old version, the old figures, a sound file
  bak="$db.schema-$old.bak"
  [ -f "$bak" ] && ok || bad "$name: no backup $bak"
  [ "$(version "$bak")" = "$old" ] && ok || bad "$name: the backup is not at version $old"
  figures "$bak" "$T/$name.bak"
  same "$T/$name.before" "$T/$name.bak" "$name backup"
  expect_rc 0 "$BIN" backup --verify "$bak"
  has "$T/out" "lược đồ phiên bản $old (chương trình: $V), kiểm tra toàn vẹn: ok"
  # an old copy restored: upgraded on the way in, the same figures
  expect_rc 0 "$BIN" restore "$fx" --db "$T/$name.restored.db"
  [ "$(version "$T/$name.restored.db")" = $V ] && ok || bad "$name: a restored old copy is not upgraded"
  figures "$T/$name.restored.db" "$T/$name.restored"
  same "$T/$name.before" "$T/$name.restored" "$name restored"
  figures "$db" "$T/$name.after"
  same "$T/$name.before" "$T/$name.after" "$name figures"
  evals "$db" "$T/$name.eval"
  same "$T/fresh.eval" "$T/$name.eval" "$name evaluation"
  # the change history came through: the value changed from 790,5 to 810,25
  expect_rc 0 "$BIN" history --db "$db" --indicator thu_ns --unit huyen-b --period 2022
  has "$T/out" "790,5"
  has "$T/out" "810,25"
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "$name: integrity after the upgrade"
  # opened again: nothing to do, nothing said, no write
  expect_rc 0 "$BIN" units --db "$db"
  [ -s "$T/err" ] && bad "$name: the second open said something: $(cat "$T/err")" || ok
done

# a newer database: refused with the versions named, left as it was
cp "$T/fresh.db" "$T/new.db"
sqlite3 "$T/new.db" "UPDATE meta SET value='99' WHERE key='schema_version'"
expect_rc 1 "$BIN" eval --db "$T/new.db" --unit tinh --period 2022
has "$T/err" "cơ sở dữ liệu có phiên bản lược đồ 99, mới hơn bản chương trình này ($V): hãy nâng cấp chitieu"
LANG=en_US.UTF-8 expect_rc 1 "$BIN" units --db "$T/new.db"
has "$T/err" "the database has schema version 99, newer than this program's ($V): upgrade chitieu"
[ "$(version "$T/new.db")" = 99 ] && ok || bad "the newer database was changed"
expect_rc 1 "$BIN" backup --verify "$T/new.db"
has "$T/err" "phiên bản lược đồ 99"

# an upgrade that fails half-way: rolled back, the file stays at version 1 with its figures
cp "$FIXDB/schema-1.db" "$T/broken.db"
sqlite3 "$T/broken.db" "CREATE TABLE batch(x)"
figures "$T/broken.db" "$T/broken.before"
expect_rc 1 "$BIN" units --db "$T/broken.db"
has "$T/err" "nâng cấp lược đồ 1 lên 2"
[ "$(version "$T/broken.db")" = 1 ] && ok || bad "a failed upgrade changed the version"
figures "$T/broken.db" "$T/broken.after"
same "$T/broken.before" "$T/broken.after" "failed upgrade"
[ "$(sqlite3 "$T/broken.db" "SELECT count(*) FROM sqlite_master WHERE name IN ('value_v1','history_v1')")" = 0 ] && ok \
  || bad "a failed upgrade left its work tables"

# not a chitieu database
sqlite3 "$T/other.db" "CREATE TABLE t(x)"
expect_rc 1 "$BIN" units --db "$T/other.db"
has "$T/err" "không phải cơ sở dữ liệu chitieu"

echo "e2e upgrade: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
