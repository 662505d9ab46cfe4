#!/bin/sh
# run.sh - the browser tests: installs playwright-core and axe-core from npm (pinned in package-lock.json),
# creates a fresh demo database, starts `chitieu serve` on a free port, runs ui.test.mjs (looks,
# phones, axe-core), web.test.mjs and class.test.mjs in Debian's Chromium, stops the server.
# CHITIEU is the binary (default build/chitieu).
set -e
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "${CHITIEU:-build/chitieu}")" && pwd)/$(basename "${CHITIEU:-build/chitieu}")
[ -x /usr/bin/chromium ] || { echo "browser: /usr/bin/chromium missing (scripts/install-deps)"; exit 1; }
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" demo --db "$work/demo.db" >/dev/null
fx="$here/../e2e/fixtures"
for f in criteria subjects awards; do "$bin" class "$f" --db "$work/demo.db" import "$fx/class_$f.csv" >/dev/null; done
"$bin" serve --db "$work/demo.db" --today 2026-11-22 --listen 127.0.0.1:0 >"$work/out" 2>"$work/log" &
pid=$!
for i in $(seq 1 50); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
[ -n "$url" ] || { echo "browser: server did not start"; cat "$work/log"; exit 1; }
mkdir -p "${SHOTS:-build/browser}"
shots=$(cd "${SHOTS:-build/browser}" && pwd)
node "$here/ui.test.mjs" "$url" "$shots" || { tail -n 20 "$work/log"; exit 1; }   # first: on the fresh demo figures
node "$here/web.test.mjs" "$url" "$shots" || { tail -n 20 "$work/log"; exit 1; }
node "$here/class.test.mjs" "$url" "$shots" || { tail -n 20 "$work/log"; exit 1; }
node "$here/data.test.mjs" "$url" "$shots" || { tail -n 20 "$work/log"; exit 1; }
node "$here/downloads.test.mjs" "$url" "$shots" || { tail -n 20 "$work/log"; exit 1; }
