#!/bin/sh
# run.sh - chitieu's API against its document, docs/openapi.json: installs the tools from npm
# (pinned in package-lock.json: Spectral, ajv, openapi-typescript, openapi-fetch, TypeScript),
# lints the document with Spectral's recommended ruleset (spectral:oas, any warning fails),
# starts `chitieu serve` on a fresh demo database with tokens for four roles, validates the
# real answers of every documented operation with ajv (api.test.mjs), then generates a client
# from the document (openapi-typescript types, compiled with client.ts by tsc) and runs one
# sync and one approval round with it.  CHITIEU is the binary (default build/chitieu);
# CHITIEU_TEST_CELLS=engine serves with `--cells engine` (passes too: 337 of 337 on 2026-12-06).
# Prints "api: N passed, N failed".
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "${CHITIEU:-build/chitieu}")" && pwd)/$(basename "${CHITIEU:-build/chitieu}")
doc=$root/docs/openapi.json
pass=0 fail=0
# count LINE: adds up a "NAME: N passed, N failed" line of a part
count() {
  p=$(echo "$1" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(echo "$1" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  if [ -z "$p" ]; then fail=$((fail + 1)); else pass=$((pass + p)); fail=$((fail + f)); fi
}
step() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "api FAIL: $2"; fi; }
if [ ! -d "$here/node_modules/@stoplight/spectral-cli" ] || [ ! -d "$here/node_modules/openapi-fetch" ]; then
  (cd "$here" && SCARF_ANALYTICS=false npm ci --no-audit --no-fund --ignore-scripts --silent) ||
    { echo "api: npm ci failed"; echo "api: 0 passed, 1 failed"; exit 1; }
fi
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null; wait $pid 2>/dev/null; }; rm -rf "$work"' EXIT

# 1. the document: Spectral's recommended ruleset, no warning allowed
"$here/node_modules/.bin/spectral" lint --quiet -r "$here/.spectral.yaml" --fail-severity=hint "$doc" >"$work/lint" 2>&1
step $? "spectral lint of docs/openapi.json: $(cat "$work/lint")"

# 2. a server on a fresh demo database, a token for each role
"$bin" demo --db "$work/d.db" >/dev/null
for who in viewer:tp.xem editor:caugiay.nhap approver:tp.duyet admin:admin; do
  printf '%s\t%s\n' "${who%%:*}" "$("$bin" token add --user "${who#*:}" --db "$work/d.db")"
done | awk -F'\t' 'BEGIN { printf "{" } { printf "%s\"%s\":\"%s\"", (NR > 1 ? "," : ""), $1, $2 } END { print "}" }' >"$work/tokens.json"
"$bin" serve --db "$work/d.db" --today 2026-11-22 --listen 127.0.0.1:0 ${CHITIEU_TEST_CELLS:+--cells $CHITIEU_TEST_CELLS} >"$work/out" 2>"$work/log" &
pid=$!
for i in $(seq 1 50); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
if [ -z "$url" ]; then echo "api FAIL: server did not start"; cat "$work/log"; echo "api: $pass passed, $((fail + 1)) failed"; exit 1; fi

# 3. every documented operation's real answers against the document
node "$here/api.test.mjs" "$url" "$doc" "$work/tokens.json" >"$work/validate" 2>&1
grep -v '^api-validate:' "$work/validate"
count "$(grep '^api-validate:' "$work/validate")"

# 4. a client generated from the document: types, compiled with client.ts, then run
mkdir -p "$here/gen"
"$here/node_modules/.bin/openapi-typescript" "$doc" -o "$here/gen/schema.d.ts" --default-non-nullable=false >"$work/gen" 2>&1
step $? "openapi-typescript: $(cat "$work/gen")"
"$here/node_modules/.bin/tsc" -p "$here/tsconfig.json" >"$work/tsc" 2>&1
step $? "the client does not compile against the generated types: $(cat "$work/tsc")"
if [ -f "$here/gen/client.js" ]; then
  node "$here/gen/client.js" "$url" "$doc" "$work/tokens.json" >"$work/client" 2>&1
  grep -v '^api-client:' "$work/client"
  count "$(grep '^api-client:' "$work/client")"
fi
[ "$fail" = 0 ] || tail -n 5 "$work/log"
echo "api: $pass passed, $fail failed"
[ "$fail" = 0 ]
