// numbers.test.js - the entry form's script parses numbers exactly as the server does: every
// case of tests/data/vn_numbers.txt (the table test_vn.c runs against vn_parse_number) through
// vnParseNumber of share/static/app.js.  Usage: node numbers.test.js [TABLE]; prints
// "web numbers: N passed, N failed" and exits 1 on a failure.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..', '..');
const { vnParseNumber } = require(path.join(root, 'share', 'static', 'app.js'));
const table = process.argv[2] || path.join(root, 'tests', 'data', 'vn_numbers.txt');

// The table's escapes: \t, \\, \xHH (a byte), \uXXXX (a code point).
function unescape(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      const c = s[i + 1];
      if (c === 't' || c === '\\') { bytes.push(c === 't' ? 9 : 92); i++; continue; }
      if (c === 'x') { bytes.push(parseInt(s.substr(i + 2, 2), 16)); i += 3; continue; }
      if (c === 'u') { bytes.push(...Buffer.from(String.fromCodePoint(parseInt(s.substr(i + 2, 4), 16)))); i += 5; continue; }
    }
    bytes.push(...Buffer.from(s[i]));
  }
  return Buffer.from(bytes).toString('utf8');
}

let pass = 0, fail = 0;
fs.readFileSync(table, 'utf8').split('\n').forEach((line, no) => {
  if (line === '' || line[0] === '#') return;
  const f = line.split('\t');
  if (f.length < 3) { fail++; console.log(`web FAIL: ${table}:${no + 1}: needs 3 fields`); return; }
  const input = unescape(f[0]), hint = f[1], want = f[2];
  const got = vnParseNumber(input, hint);
  const ok = want === 'ERR' ? Number.isNaN(got) : got === Number(want);
  if (ok) pass++;
  else { fail++; console.log(`web FAIL: ${path.basename(table)}:${no + 1}: '${f[0]}' (${hint}) gave ${got}, want ${want}`); }
});
console.log(`web numbers: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
