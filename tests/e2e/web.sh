#!/bin/sh
# web.sh - `chitieu serve`, `user` and `token` over a real socket with curl: headers, static
# files, body cap, API with a token, the user commands, the access log, graceful shutdown.
# CHITIEU is the binary; CHITIEU_TEST_CELLS=engine runs the servers with `--cells engine` (the
# figures held by the engine alone).  Prints "web: N passed, N failed" ("web engine: ...").
bin=${CHITIEU:-build/chitieu}
cells=${CHITIEU_TEST_CELLS:+--cells $CHITIEU_TEST_CELLS}
work=$(mktemp -d)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "web FAIL: $1"; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$3', got '$2'"; fi; }
has() { if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi; }
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT

# db_sql FILE SQLITE_SQL POSTGRESQL_SQL: runs SQL on a suite's database: the SQLite file, or under
# tests/pg/chitieu.sh (CHITIEU_TEST_PG) the cluster's database its marker line names.
db_sql() {
  if [ -n "${CHITIEU_TEST_PG:-}" ]; then
    psql -X -q -v ON_ERROR_STOP=1 -c "$3" \
      -d "$("$(dirname "$0")/../pg/cluster.sh" url "$CHITIEU_PG_CLUSTER" "$(sed -n 's/^chitieu-pg://p' "$1")")" >/dev/null
  else
    sqlite3 "$1" "$2"
  fi
}
"$bin" demo --db "$work/d.db" >/dev/null || bad "demo"
# users from the command line
"$bin" user add nv.moi --role editor --unit ba-dinh --name "Nhân viên mới" --db "$work/d.db" --password short >/dev/null 2>"$work/err"
expect "short password refused" $? 1
has "policy message" "$work/err" "8 ký tự"
"$bin" user add nv.moi --role editor --unit ba-dinh --db "$work/d.db" --password 12345678 >/dev/null 2>"$work/err"
expect "12345678 refused" $? 1
has "weak password says why" "$work/err" "quá dễ đoán"
"$bin" user add nv.moi --role editor --unit ba-dinh --db "$work/d.db" --password nv.moi-2025 >/dev/null 2>"$work/err"
expect "password with the login refused" $? 1
echo "mat-khau-dai-du" | "$bin" user add nv.moi --role editor --unit ba-dinh --db "$work/d.db" >/dev/null
expect "user add from stdin" $? 0
"$bin" user add nv.moi --role editor --unit ba-dinh --db "$work/d.db" --password mat-khau-dai-du >/dev/null 2>"$work/err"
expect "duplicate refused" $? 1
"$bin" user add x --role chief --unit ba-dinh --db "$work/d.db" --password mat-khau-dai-du >/dev/null 2>&1
expect "unknown role is a usage error" $? 2
"$bin" user add y --role viewer --unit khong-co --db "$work/d.db" --password mat-khau-dai-du >/dev/null 2>&1
expect "unknown unit refused" $? 1
"$bin" user list --db "$work/d.db" >"$work/list"
has "list shows the new user" "$work/list" "nv.moi"
has "list shows demo users" "$work/list" "caugiay.nhap"
"$bin" user disable nv.moi --db "$work/d.db" >/dev/null && "$bin" user list --db "$work/d.db" | grep nv.moi | grep -q "đã khóa"
expect "disable" $? 0
"$bin" user passwd khong-ai --db "$work/d.db" --password mat-khau-dai-du >/dev/null 2>&1
expect "passwd of nobody fails" $? 1
"$bin" serve --bogus 2>/dev/null
expect "serve rejects unknown options" $? 2
"$bin" serve --help | grep -q -- "--listen"
expect "serve --help" $? 0
# two-step login: enrolled from the command line, asked for after the password
"$bin" user --help | grep -q "user totp"
expect "user --help names totp" $? 0
"$bin" user totp admin --db "$work/d.db" >"$work/totp"
expect "totp enrol" $? 0
has "totp secret link" "$work/totp" "otpauth://totp/chitieu:admin?secret=[A-Z2-7]\{32\}&"
"$bin" user totp khong-ai --db "$work/d.db" >/dev/null 2>&1
expect "totp of nobody fails" $? 1
tok=$("$bin" token add --user caugiay.nhap --db "$work/d.db")
expect "token length" "${#tok}" 43

"$bin" serve --db "$work/d.db" --listen 127.0.0.1:0 --threads 2 $cells >"$work/out" 2>"$work/log" &
pid=$!
for i in $(seq 1 50); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
[ -n "$url" ] && ok || bad "server address printed"
has "server says where the figures live" "$work/out" "${CHITIEU_TEST_CELLS:-model}"
"$bin" serve --db "$work/d.db" --cells everywhere >/dev/null 2>&1
expect "bad --cells is a usage error" $? 2

curl -s -D "$work/h" -o /dev/null "$url/login"
has "CSP" "$work/h" "Content-Security-Policy: default-src 'self'"
has "nosniff" "$work/h" "X-Content-Type-Options: nosniff"
has "frame" "$work/h" "X-Frame-Options: DENY"
has "no-store for pages" "$work/h" "Cache-Control: no-store"
code=$(curl -s -o "$work/b" -w '%{http_code}' --data 'login=admin&password=demo-admin-2025' "$url/login")
expect "admin with totp: second step" "$code" 200
has "second step asks for the code" "$work/b" 'name="code"'
ticket=$(grep -o 'name="ticket" value="[^"]*"' "$work/b" | sed 's/.*value="//; s/"$//')
code=$(curl -s -o /dev/null -w '%{http_code}' --data "ticket=$ticket&code=000001" "$url/login")
expect "wrong code refused" "$code" 401
"$bin" user totp admin --off --db "$work/d.db" >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' --data 'login=admin&password=demo-admin-2025' "$url/login")
expect "totp off: password enough" "$code" 303
# wrong passwords: growing waits, told by Retry-After on 429
for i in $(seq 1 12); do
  code=$(curl -s -D "$work/h" -o "$work/b" -w '%{http_code}' --data 'login=caugiay.xem&password=sai-mat-khau' "$url/login")
  [ "$code" = 429 ] && break
done
expect "throttled" "$code" 429
has "Retry-After" "$work/h" "Retry-After: [0-9]"
has "wait said in Vietnamese" "$work/b" "Hãy thử lại sau"
db_sql "$work/d.db" "UPDATE login_throttle SET fails=8, last_at=strftime('%s','now') WHERE key='pair:127.0.0.1|caugiay.xem'" \
  "UPDATE login_throttle SET fails=8, last_at=extract(epoch from now())::bigint WHERE key='pair:127.0.0.1|caugiay.xem'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 9.9.9.9' --data 'login=caugiay.xem&password=sai-mat-khau' "$url/login")
expect "a forged X-Forwarded-For does not escape the wait" "$code" 429
curl -s -D "$work/h" -o /dev/null "$url/static/app.css?v=1"
has "static cached" "$work/h" "Cache-Control: public, max-age=86400"
code=$(head -c 9000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
       -H "Authorization: Bearer $tok" --data-binary @- "$url/api/v1/values")
expect "huge body is 413" "$code" 413
code=$(head -c 9000000 /dev/zero | curl -s -D "$work/h" -o "$work/b" -w '%{http_code}' \
       -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @- "$url/import")
expect "huge form is 413" "$code" 413
has "413 page is HTML" "$work/h" "Content-Type: text/html"
has "413 page in the app's layout" "$work/b" "<header>"
has "413 page says why, in Vietnamese" "$work/b" "quá lớn"
has "pages link the favicon" "$work/b" 'rel="icon"'
code=$(curl -s -o "$work/b" -w '%{http_code}' -H "Authorization: Bearer $tok" "$url/api/v1/eval?unit=cau-giay&period=2022")
expect "eval with token" "$code" 200
has "eval summary" "$work/b" "\"summary\":{\"total\":"
code=$(curl -s -o "$work/b" -w '%{http_code}' -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
       -d '{"values":[{"indicator":"ket_nap_dang_vien","unit":"cau-giay","period":"2024","value":300,"comment":"qua API"}]}' \
       "$url/api/v1/values")
expect "POST values" "$code" 200
has "changed count" "$work/b" '"changed":1'
code=$(curl -s -o "$work/b" -w '%{http_code}' -H "Authorization: Bearer $tok" "$url/api/v1/values?unit=cau-giay&period=2024&ind=ket_nap_dang_vien")
has "value readable back" "$work/b" '"value":300'
"$bin" history --db "$work/d.db" --unit cau-giay --indicator ket_nap_dang_vien --period 2024 >"$work/hist" 2>&1
has "history names the API user" "$work/hist" "caugiay.nhap"
code=$(curl -s -o "$work/b" -w '%{http_code}' "$url/api/v1/openapi.json")
expect "openapi public" "$code" 200
has "openapi version" "$work/b" '"openapi"'
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$url/api/v1/report?unit=cau-giay&period=2022&format=md")
expect "report md" "$code" 200
# the web's report is the command line's: figures, programmes and tasks, awards (issue #15's parts)
curl -s -o "$work/wr.md" -H "Authorization: Bearer $tok" "$url/api/v1/report?unit=cau-giay&period=2024&format=md"
"$bin" report --db "$work/d.db" --unit cau-giay --period 2024 >"$work/cr.md" 2>&1
if cmp -s "$work/wr.md" "$work/cr.md"; then ok; else bad "API report differs from the command line's"; diff "$work/cr.md" "$work/wr.md" | head -5; fi
has "web report has the tasks part" "$work/wr.md" "^## III. Thực hiện các chương trình công tác, nhiệm vụ"
has "web report has the awards part" "$work/wr.md" "^## IV. Công tác thi đua, khen thưởng"
code=$(curl -s -o "$work/b" -w '%{http_code}' -H "Authorization: Bearer $tok" "$url/api/v1/report?unit=cau-giay&period=2024&structure=sideways")
expect "report: bad structure" "$code" 400
has "report: bad structure names it" "$work/b" '"field":"structure"'
# an import from the command line while the server runs: the request that notices it is
# answered at once (from the model at hand) and wakes the reloader; the figure shows up soon
printf 'indicator,unit,period,value\nket_nap_dang_vien,cau-giay,2025,77\n' >"$work/v.csv"
"$bin" import --db "$work/d.db" "$work/v.csv" >/dev/null 2>&1
for i in $(seq 50); do
  curl -s -o "$work/b" -H "Authorization: Bearer $tok" "$url/api/v1/values?unit=cau-giay&period=2025&ind=ket_nap_dang_vien"
  grep -q '"value":77' "$work/b" && break
  sleep 0.2
done
has "server reloads after an outside import" "$work/b" '"value":77'
has "access log" "$work/log" "method=GET route=/api/v1/eval path=/api/v1/eval status=200"

# issue 16 over the socket: deleting a figure from the entry page (a reason required), the
# audit log filtered and exported, the term so far on the term overview
csrf_of() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
curl -s -c "$work/ed" -o /dev/null -d 'login=caugiay.nhap&password=demo-nhap-2025' "$url/login"
curl -s -b "$work/ed" -o "$work/entry" "$url/entry?unit=cau-giay&period=2024"
has "entry form offers the reason" "$work/entry" 'name="reason"'
has "entry form holds the stored figure" "$work/entry" 'name="o_ket_nap_dang_vien" value="300"'
c1=$(csrf_of "$work/entry")
code=$(curl -s -b "$work/ed" -o "$work/b" -w '%{http_code}' --data-urlencode "csrf=$c1" -d 'unit=cau-giay&period=2024&action=save' \
       -d 'v_ket_nap_dang_vien=&o_ket_nap_dang_vien=300&reason=' "$url/entry")
expect "emptied without a reason is refused" "$code" 400
has "the refusal asks for a reason" "$work/b" "cần ghi lý do"
code=$(curl -s -b "$work/ed" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$c1" -d 'unit=cau-giay&period=2024&action=save' \
       -d 'v_ket_nap_dang_vien=&o_ket_nap_dang_vien=300' --data-urlencode 'reason=nhập nhầm kỳ' "$url/entry")
expect "emptied with a reason deletes" "$code" 303
curl -s -o "$work/b" -H "Authorization: Bearer $tok" "$url/api/v1/values?unit=cau-giay&period=2024&ind=ket_nap_dang_vien"
if grep -q '"value":300' "$work/b"; then bad "the deleted figure is gone"; else ok; fi
"$bin" history --db "$work/d.db" --kind delete --unit cau-giay >"$work/hist" 2>&1
has "history lists the deletion with its reason" "$work/hist" "xóa 300; lý do: nhập nhầm kỳ"
curl -s -c "$work/ad" -o /dev/null -d 'login=admin&password=demo-admin-2025' "$url/login"
curl -s -b "$work/ad" -o "$work/b" "$url/admin/audit?kind=delete&unit=cau-giay"
has "audit page shows the deletion" "$work/b" "xóa 300; lý do: nhập nhầm kỳ"
has "audit page counts" "$work/b" 'id="audit-count">1–1 / 1<'
curl -s -b "$work/ad" -D "$work/h" -o "$work/b" "$url/admin/audit?kind=delete&unit=cau-giay&format=csv"
has "audit CSV type" "$work/h" "Content-Type: text/csv"
has "audit CSV has the deletion" "$work/b" ";ket_nap_dang_vien;cau-giay;2024;300;;\"xóa 300; lý do: nhập nhầm kỳ\""
curl -s -b "$work/ad" -o "$work/b" "$url/overview?unit=thanh-xuan&period=2020-2025"
has "term overview: the term so far" "$work/b" 'id="term-to-date"'
has "term overview: the mid-term review" "$work/b" "đạt và vượt 17/17 chỉ tiêu"

# behind a trusted proxy (here: curl from 127.0.0.1), the forwarded address is the client's:
# one client's wrong logins make that client wait, not another
"$bin" serve --trusted-proxy 'bad!' --db "$work/d.db" >/dev/null 2>&1
expect "bad --trusted-proxy is a usage error" $? 2
"$bin" serve --db "$work/d.db" --listen 127.0.0.1:0 --threads 1 --quiet --trusted-proxy 127.0.0.1 $cells >"$work/out2" 2>&1 &
pid2=$!
for i in $(seq 1 100); do grep -q http "$work/out2" 2>/dev/null && break; sleep 0.1; done
url2=$(grep -o 'http://[0-9.:]*' "$work/out2")
for i in $(seq 1 12); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.5' --data 'login=tp.xem&password=sai-mat-khau' "$url2/login")
  [ "$code" = 429 ] && break
done
expect "proxied client throttled" "$code" 429
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.7' --data 'login=tp.xem&password=demo-xem-2025' "$url2/login")
expect "another client behind the proxy logs in" "$code" 303
kill -TERM $pid2
wait $pid2

kill -TERM $pid
wait $pid
expect "SIGTERM: clean exit" $? 0
has "shutdown message" "$work/log" "SIGTERM\|tín hiệu 15\|signal 15"
if [ -z "${CHITIEU_TEST_PG:-}" ]; then   # SQLite's own check (tests/pg/chitieu.sh stands in for PostgreSQL)
  sqlite3 "$work/d.db" "PRAGMA integrity_check" >"$work/ic" 2>&1
  has "database intact after shutdown" "$work/ic" "^ok$"
fi
# the engine image (SQLite, --cells engine): written beside the database after the full load,
# the next start uses it and answers the same; --engine-image none reads and writes none
if [ -z "${CHITIEU_TEST_PG:-}" ]; then
  cp "$work/d.db" "$work/i.db"
  # serve_image TAG ARGS...: starts, saves /api/v1/eval to $work/eval-TAG, stops (SIGTERM)
  serve_image() {
    tag=$1; shift
    "$bin" serve --db "$work/i.db" --listen 127.0.0.1:0 --threads 1 --quiet --cells engine "$@" >"$work/out-$tag" 2>"$work/log-$tag" &
    ipid=$!
    for i in $(seq 1 100); do grep -q http "$work/out-$tag" 2>/dev/null && break; sleep 0.1; done
    for i in $(seq 1 100); do grep -q "engine image: \(written\|loaded\)" "$work/log-$tag" 2>/dev/null && break; sleep 0.1; done
    iurl=$(grep -o 'http://[0-9.:]*' "$work/out-$tag")
    curl -s -H "Authorization: Bearer $tok" "$iurl/api/v1/eval?period=2024" >"$work/eval-$tag"
    kill -TERM $ipid
    wait $ipid
  }
  serve_image none --engine-image none
  [ ! -e "$work/i.db.engine" ] && ok || bad "--engine-image none writes no image"
  serve_image first
  has "first start writes the image" "$work/log-first" "engine image: written"
  [ -s "$work/i.db.engine" ] && ok || bad "image beside the database"
  serve_image again
  has "the next start loads it" "$work/log-again" "engine image: loaded"
  cmp -s "$work/eval-first" "$work/eval-again" && ok || bad "same figures from the image"
  cmp -s "$work/eval-none" "$work/eval-again" && ok || bad "same figures as without an image"
  printf 'x' | dd of="$work/i.db.engine" bs=1 seek=300 conv=notrunc 2>/dev/null
  serve_image damaged
  has "a damaged image is not used" "$work/log-damaged" "engine image: .* not used"
  cmp -s "$work/eval-first" "$work/eval-damaged" && ok || bad "same figures after a damaged image"
fi
# the entry form's script parses numbers exactly as the server (the table of test_vn.c)
if command -v node >/dev/null 2>&1; then
  node "$(dirname "$0")/../js/numbers.test.js" >"$work/js" 2>&1 && ok || bad "entry script numbers: $(grep FAIL "$work/js")"
fi
label=${CHITIEU_TEST_PG:+pg}${CHITIEU_TEST_PG:+${CHITIEU_TEST_CELLS:+-}}${CHITIEU_TEST_CELLS:-}
echo "web${label:+ $label}: $pass passed, $fail failed"
[ "$fail" = 0 ]
