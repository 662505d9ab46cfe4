// api.test.mjs - real answers of `chitieu serve` checked against docs/openapi.json (validate.mjs):
// every documented GET operation, the POSTs of values and of the reporting cycle, the changes
// feed, deleting a value and the other writes (targets, catalogue, users, tokens, tasks, import), and the
// errors each documents (400, 401, 403, 404, 405, 409, 415, 422).  A status, a Content-Type, a
// field or a value the document does not allow fails the check; so does a documented GET no
// request reached.  Also: the served document is docs/openapi.json, and a browser session
// (the `session` scheme) reads the API.
// A new operation: document it (operationId, tags, a complete schema for each answer, its error
// codes in Error's enum and x-status).  A GET without path parameters that no request below
// reaches is read once as the administrator; any other GET needs a request here, and a write
// is only listed ("api note") until one is added.
// Usage: node api.test.mjs BASE_URL DOC TOKENS_JSON.  Prints one line per failure and
// "api-validate: N passed, N failed" (run.sh adds it up); exit 1 on any failure.
import { readFileSync } from 'node:fs';
import { makeValidator } from './validate.mjs';

const [base, docFile, tokensFile] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docFile, 'utf8'));
const tok = JSON.parse(readFileSync(tokensFile, 'utf8'));
const v = makeValidator(doc);
const covered = new Set();
let passed = 0, failed = 0;

function ok(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log('api FAIL: ' + what);
  }
}

// One request; the answer is validated against the document and its status compared with `want`.
// who: a key of tok (bearer), {cookie}, or null (no credentials).
async function call(method, path, { who = 'viewer', body, ctype, want = 200, headers = {} } = {}) {
  const h = { ...headers };
  if (who && typeof who === 'object') h.Cookie = who.cookie;
  else if (who) h.Authorization = 'Bearer ' + tok[who];
  if (body !== undefined) {
    h['Content-Type'] = ctype || 'application/json';
    if (typeof body !== 'string') body = JSON.stringify(body);
  }
  const res = await fetch(base + '/api/v1' + path, { method, headers: h, body, redirect: 'manual' });
  const text = await res.text();
  const ct = res.headers.get('content-type');
  const what = `${method} ${path} (${typeof who === 'string' ? who : who ? 'session' : 'anonymous'})`;
  const r = v.check(method, path.split('?')[0], res.status, ct, text);
  if (r.op) covered.add(r.op);
  ok(r.errors.length === 0, `${what} -> ${res.status}: not as documented: ${r.errors.join('; ')}\n  body: ${text.slice(0, 300).replace(/\s+/g, ' ')}`);
  ok(res.status === want, `${what}: status ${res.status}, expected ${want}; body: ${text.slice(0, 200)}`);
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* markdown, html */
  }
  return { status: res.status, json, text, headers: res.headers };
}
const code = (r) => r.json && r.json.error && r.json.error.code;

try {
// ---- the document itself --------------------------------------------------------------------
{
  const r = await call('GET', '/openapi.json', { who: null });
  ok(JSON.stringify(r.json) === JSON.stringify(doc), 'the served document is docs/openapi.json (rebuild after editing it)');
  const bad = v.examples();
  ok(bad.length === 0, 'the document\'s examples match its schemas: ' + bad.map((b) => `${b.where}: ${b.errors.join('; ')}`).join('\n  '));
}

// ---- lists and their paging -----------------------------------------------------------------
{
  let r = await call('GET', '/units');
  ok(r.json.total === r.json.units.length && r.json.next === null, 'all units on one page');
  r = await call('GET', '/units?parent=ha-noi&limit=5');
  ok(r.json.units.length === 5 && r.json.total > 5 && typeof r.json.next === 'string', 'a page of 5 children links the next');
  const next = r.json.next.replace(/^\/api\/v1/, '');
  r = await call('GET', next);
  ok(r.json.offset === 5 && r.json.units.length === 5, 'the next page starts at 5');
  r = await call('GET', '/units?limit=0', { want: 400 });
  ok(code(r) === 'bad_limit', 'limit=0: bad_limit');
  r = await call('GET', '/units?offset=x', { want: 400 });
  ok(code(r) === 'bad_offset', 'offset=x: bad_offset');
  r = await call('GET', '/units?foo=1', { want: 400 });
  ok(code(r) === 'unknown_parameter' && r.json.error.field === 'foo', 'foo=1: unknown_parameter naming it');
  // a parameter given twice is refused, not read once: ind=a&ind=b would list a alone, looking whole
  r = await call('GET', '/values?unit=cau-giay&period=2022&ind=dang_phi&ind=thu_ngan_sach', { want: 400 });
  ok(code(r) === 'bad_request' && r.json.error.field === 'ind', 'ind given twice: bad_request naming it');
  r = await call('GET', '/units?limit=5&limit=6', { want: 400 });
  ok(code(r) === 'bad_request' && r.json.error.field === 'limit', 'limit given twice: bad_request naming it');
  // a filter naming nothing is an error, not an empty list that looks complete
  r = await call('GET', '/units?parent=khong-co', { want: 404 });
  ok(code(r) === 'not_found' && r.json.error.field === 'parent', 'units of an unknown parent: not_found');
  r = await call('GET', '/units?limit=5&offset=5&snapshot=0-0', { want: 409 });
  ok(code(r) === 'snapshot_changed', 'a stale snapshot: snapshot_changed');
  r = await call('GET', '/units', { who: null, want: 401 });
  ok(code(r) === 'unauthorized', 'no token: unauthorized');
  r = await call('GET', '/units', { who: 'bogus', want: 401 });
  await call('GET', '/units?lang=en');
  await call('GET', '/successions');
  await call('GET', '/successions?unit=cau-giay');
  r = await call('GET', '/successions?unit=khong-co', { want: 404 });
  ok(code(r) === 'not_found', 'unknown unit: not_found');
  r = await call('GET', '/indicators');
  ok(r.json.indicators.length > 10 && r.json.indicators.some((i) => i.formula !== ''), 'indicators, some computed');
  const group = r.json.indicators[0].group;
  r = await call('GET', '/indicators?group=' + encodeURIComponent(group) + '&limit=3');
  ok(r.json.indicators.every((i) => i.group === group), 'group filter');
}

// ---- targets and values ---------------------------------------------------------------------
for (const list of ['targets', 'values']) {
  let r = await call('GET', `/${list}?unit=cau-giay&period=2022`);
  ok(r.json[list].length > 0 && r.json[list].every((x) => x.unit === 'cau-giay' && x.period === '2022'), `${list}: unit and period`);
  r = await call('GET', `/${list}?unit=cau-giay&subtree=true&within=2022&ind=ket_nap_dang_vien,thu_ngan_sach&limit=10000`);
  ok(r.json[list].every((x) => ['ket_nap_dang_vien', 'thu_ngan_sach'].includes(x.indicator)), `${list}: several indicators`);
  await call('GET', `/${list}?from=2021&to=2022&limit=50`, { who: 'editor' });
  r = await call('GET', `/${list}?period=2022X`, { want: 400 });
  ok(code(r) === 'bad_period', `${list}: bad_period`);
  r = await call('GET', `/${list}?subtree=maybe`, { want: 400 });
  ok(code(r) === 'bad_subtree', `${list}: bad_subtree`);
  r = await call('GET', `/${list}?ind=,`, { want: 400 });
  ok(code(r) === 'bad_indicator', `${list}: bad_indicator`);
  r = await call('GET', `/${list}?ind=khong_co`, { want: 404 });
  r = await call('GET', `/${list}?unit=ha-noi`, { who: 'editor', want: 403 });
  ok(code(r) === 'forbidden', `${list}: a unit above the caller's is forbidden`);
}

// ---- saving values --------------------------------------------------------------------------
{
  const row = { indicator: 'ket_nap_dang_vien', unit: 'cau-giay', period: '2024', value: 301, comment: 'kiểm tra API' };
  let r = await call('POST', '/values', { who: 'editor', body: { values: [row] } });
  ok(r.json.received === 1 && r.json.changed === 1, 'one row saved');
  r = await call('POST', '/values', { who: 'editor', body: { values: [{ ...row, value: 302, expected: 301 }] } });
  ok(r.json.changed === 1, 'saved with the right expected value');
  r = await call('POST', '/values', { who: 'editor', body: { values: [{ ...row, value: 303, expected: 1 }] }, want: 409 });
  ok(code(r) === 'conflict' && r.json.error.rows[0].field === 'expected', 'a stale expected value: conflict');
  r = await call('POST', '/values', { who: 'editor', body: { values: [row, { ...row, indicator: 'khong_co' }] }, want: 422 });
  ok(code(r) === 'invalid_rows' && r.json.error.rows[0].row === 1, 'an unknown indicator: invalid_rows naming row 1');
  r = await call('POST', '/values', { who: 'editor', body: { values: [{ ...row, unit: 'ba-dinh' }] }, want: 403 });
  ok(code(r) === 'forbidden', 'a unit outside the editor\'s: forbidden');
  r = await call('POST', '/values', { who: 'viewer', body: { values: [row] }, want: 403 });
  r = await call('POST', '/values', { who: 'editor', body: '{"values":', want: 400 });
  ok(code(r) === 'bad_request', 'malformed JSON: bad_request');
  r = await call('POST', '/values', { who: 'editor', body: { values: [{ ...row, valeu: 1 }] }, want: 400 });
  r = await call('POST', '/values', { who: 'editor', body: 'value=1', ctype: 'text/plain', want: 415 });
  ok(code(r) === 'unsupported_media_type', 'a form body: unsupported_media_type');
  r = await call('GET', '/values?unit=cau-giay&period=2024&ind=ket_nap_dang_vien', { who: 'editor' });
  ok(r.json.values.length === 1 && r.json.values[0].value === 302 && r.json.values[0].comment === 'kiểm tra API', 'the saved value reads back');
}

// ---- evaluation and the report --------------------------------------------------------------
{
  let r = await call('GET', '/eval?unit=cau-giay&period=2022');
  ok(r.json.summary.total === r.json.rows.filter((x) => x.status !== 'no_target').length, 'eval: the summary counts the rows with a target');
  await call('GET', '/eval', { who: 'editor' });
  await call('GET', '/eval?unit=cau-giay-dich-vong&period=2022Q2&lang=en');
  await call('GET', '/eval?unit=ha-noi&period=2023', { who: 'admin' });
  // a rank among the wards that reported says how many wards there are: 1st of 2 ranked, of 8
  r = await call('POST', '/values', { who: 'admin', body: { values: [
    { indicator: 'cu_tri_di_bau', unit: 'cau-giay-dich-vong', period: '2023', value: 100 },
    { indicator: 'cu_tri_di_bau', unit: 'cau-giay-nghia-do', period: '2023', value: 90 }] } });
  r = await call('GET', '/eval?unit=cau-giay-dich-vong&period=2023');
  const ranked = r.json.rows.find((x) => x.code === 'cu_tri_di_bau');
  ok(ranked && ranked.rank === 1 && ranked.rank_of === 2 && ranked.rank_peers === 8,
     'eval: a rank among 2 wards that reported of 8 says 8: ' + JSON.stringify(ranked && [ranked.rank, ranked.rank_of, ranked.rank_peers]));
  r = await call('GET', '/eval?unit=khong-co&period=2022', { want: 404 });
  r = await call('GET', '/eval?unit=ha-noi', { who: 'editor', want: 403 });
  r = await call('GET', '/report?unit=cau-giay&period=2022');
  ok(r.json.unit.code === 'cau-giay' && r.json.tables.length > 0 && r.json.summary.length > 0, 'report: unit, tables, summary');
  r = await call('GET', '/report?unit=ha-noi&period=2023&format=json&lang=en');
  ok(r.json.parent === null && r.json.language === 'en' && r.json.children.length > 0, 'report of the root in English, with ranked children');
  r = await call('GET', '/report?unit=cau-giay&period=2022&format=md');
  ok(r.text.startsWith('#'), 'report as Markdown');
  r = await call('GET', '/report?unit=cau-giay&period=2022&format=html');
  ok(r.text.includes('<table'), 'report as HTML');
  r = await call('GET', '/report?unit=cau-giay&period=2024');
  ok(r.json.tasks && r.json.review.some((x) => x.key === 'emulation'), 'report: the programmes-and-tasks and awards parts, as the command line gives them');
  r = await call('GET', '/report?unit=cau-giay&period=2024&structure=historical&format=md');
  ok(r.text.includes('## III.'), 'report on a named structure');
  r = await call('GET', '/report?unit=cau-giay&period=2024&structure=x', { want: 400 });
  ok(code(r) === 'bad_request', 'structure=x: bad_request');
  r = await call('GET', '/report?unit=cau-giay&period=2022&format=pdf', { want: 400 });
  ok(code(r) === 'bad_format', 'format=pdf: bad_format');
}

// ---- the reporting cycle (cau-giay 2021; the client test takes 2023) ------------------------
{
  const step = (s, who, body, want = 200) => call('POST', '/approval/' + s, { who, body, want });
  const ds = { unit: 'cau-giay', period: '2021' };
  let r = await step('submit', 'editor', ds);
  ok(r.json.state === 'submitted' && r.json.by === 'caugiay.nhap' && r.json.targets === false, 'submitted by the editor');
  r = await step('approve', 'editor', ds, 403);
  ok(code(r) === 'forbidden', 'an editor may not approve');
  r = await step('return', 'approver', ds, 400);
  ok(code(r) === 'bad_request', 'a return without a reason is refused');
  r = await step('return', 'approver', { ...ds, reason: 'thiếu số liệu quý IV' });
  ok(r.json.state === 'returned', 'returned with a reason');
  r = await step('approve', 'approver', ds, 409);
  ok(code(r) === 'conflict', 'approving returned data: conflict');
  await step('submit', 'editor', ds);
  r = await step('approve', 'approver', ds);
  ok(r.json.state === 'approved' && r.json.by === 'tp.duyet', 'approved by the city');
  r = await call('POST', '/values', { who: 'editor', body: { values: [{ indicator: 'ket_nap_dang_vien', unit: 'cau-giay', period: '2021', value: 1 }] }, want: 422 });
  ok(r.json.error.rows.some((x) => x.field === 'locked'), 'approved figures are locked (field locked)');
  r = await step('unlock', 'approver', { ...ds, reason: 'sửa' }, 403);
  r = await step('unlock', 'admin', { ...ds, reason: 'sửa theo kết luận kiểm tra' });
  ok(r.json.state === 'returned', 'an administrator unlocks');
  r = await step('submit', 'editor', { ...ds, period: '2020-2025', targets: true });
  ok(r.json.targets === true && r.json.period === '2020-2025', 'the term\'s targets submitted');
  await step('submit', 'editor', { unit: 'khong-co', period: '2021' }, 404);
  await step('submit', 'editor', { ...ds, period: '2021X' }, 400);
  await step('submit', 'editor', { ...ds, extra: 1 }, 400);
  r = await call('POST', '/approval/submit', { who: 'editor', body: 'unit=cau-giay', ctype: 'text/plain', want: 415 });
  r = await call('GET', '/approval?unit=cau-giay');
  ok(r.json.approval.some((x) => x.period === '2021' && x.state === 'returned' && x.comment.includes('kiểm tra')), 'the list shows the unlocked data set with its reason');
  await call('GET', '/approval?period=2021', { who: 'editor' });
  r = await call('GET', '/approval?period=20x', { want: 400 });
}

// ---- sync, deletions and the other writes (h/apiwork) ---------------------------------------
{
  let r = await call('GET', '/changes?limit=1', { who: 'admin' });
  const since = r.json.cursor;
  ok(Number.isInteger(since) && r.json.total >= 1, 'changes: a cursor and the total of every figure');
  const cell = 'indicator=ket_nap_dang_vien&unit=cau-giay&period=2024';
  r = await call('DELETE', `/values?${cell}`, { who: 'editor', want: 400 });
  r = await call('DELETE', `/values?${cell}&reason=x&expected=1`, { who: 'editor', want: 409 });
  r = await call('DELETE', `/values?${cell}&reason=nh%E1%BA%ADp%20nh%E1%BA%A7m`, { who: 'viewer', want: 403 });
  r = await call('DELETE', `/values?${cell}&reason=nh%E1%BA%ADp%20nh%E1%BA%A7m`, { who: 'editor' });
  ok(r.json.deleted === 1, 'a value deleted');
  r = await call('DELETE', `/values?${cell}&reason=x`, { who: 'editor', want: 404 });
  r = await call('GET', `/changes?since=${since}`, { who: 'editor' });
  ok(r.json.changes.some((x) => x.deleted && x.value === null && x.reason === 'nhập nhầm'), 'the deletion is in the changes since');
  await call('GET', '/changes?since=x', { who: 'editor', want: 400 });
  r = await call('POST', '/targets', { who: 'admin', body: { targets: [{ indicator: 'ket_nap_dang_vien', unit: 'cau-giay', period: '2030', target: 10 }] } });
  ok(r.json.changed === 1, 'a target saved');
  await call('POST', '/targets', { who: 'editor', body: { targets: [{ indicator: 'ket_nap_dang_vien', unit: 'cau-giay', period: '2030', target: 11 }] }, want: 403 });
  await call('POST', '/targets', { who: 'admin', body: { targets: [{ indicator: 'khong_co', unit: 'cau-giay', period: '2030', target: 11 }] }, want: 422 });
  await call('POST', '/units', { who: 'admin', body: { units: [{ code: 'cau-giay' }] } });
  await call('POST', '/units', { who: 'editor', body: { units: [{ code: 'cau-giay' }] }, want: 403 });
  await call('POST', '/indicators', { who: 'admin', body: { indicators: [{ code: 'ket_nap_dang_vien' }] } });
  await call('POST', '/indicators', { who: 'admin', body: { indicators: [{ code: 'x', direction: 'sideways' }] }, want: 422 });
  r = await call('GET', '/users?limit=3', { who: 'admin' });
  const usersNext = r.json.next.replace(/^\/api\/v1/, '');
  await call('GET', '/users', { who: 'editor', want: 403 });
  const user = { login: 'api.moi', name: 'Người mới', role: 'viewer', unit: 'cau-giay', password: 'mat-khau-rat-dai-123' };
  await call('POST', '/users', { who: 'admin', body: user, want: 201 });
  // a user added between two pages shifts the list: the second page is refused, not repeated
  r = await call('GET', usersNext, { who: 'admin', want: 409 });
  ok(code(r) === 'snapshot_changed', 'users: a page after a user was added is snapshot_changed');
  await call('POST', '/users', { who: 'admin', body: user, want: 409 });
  await call('POST', '/users', { who: 'admin', body: { ...user, login: 'Bad Login' }, want: 422 });
  r = await call('POST', '/tokens', { who: 'admin', body: { login: 'api.moi', name: 'test' }, want: 201 });
  ok(typeof r.json.token === 'string' && r.json.token.length === 43, 'a token issued once');
  await call('POST', '/tokens', { who: 'admin', body: { login: 'khong.co' }, want: 404 });
  await call('POST', '/users/disable', { who: 'admin', body: { login: 'api.moi' } });
  await call('POST', '/users/enable', { who: 'admin', body: { login: 'api.moi' } });
  await call('POST', '/users/disable', { who: 'admin', body: { login: 'admin' }, want: 422 });
  r = await call('GET', '/class/results?year=x', { who: 'admin', want: 400 });
  ok(code(r) === 'bad_year' && r.json.error.field === 'year', 'class results: a bad year is bad_year, a documented code');
  await call('GET', '/tasks', { who: 'editor' });
  r = await call('GET', '/tasks?programme=khong-co', { want: 404 });
  ok(code(r) === 'not_found' && r.json.error.field === 'programme', 'tasks of an unknown programme: not_found');
  r = await call('GET', '/tasks?code=khong-co', { want: 404 });
  ok(code(r) === 'not_found' && r.json.error.field === 'code', 'an unknown task code: not_found');
  r = await call('GET', '/users?unit=khong-co', { who: 'admin', want: 404 });
  ok(code(r) === 'not_found' && r.json.error.field === 'unit', 'users of an unknown unit: not_found');
  await call('POST', '/tasks/progress', { who: 'editor', body: { code: 'khong-co', pct: 10, text: 'x' }, want: 404 });
  await call('POST', '/tasks/progress', { who: 'editor', body: { code: 'x' }, want: 400 });
  // a file, previewed then with an error (multipart: fetch sets the boundary)
  for (const [csv, want] of [['indicator,unit,period,value\nket_nap_dang_vien,cau-giay,2025S1,5\n', 200],
                             ['indicator,unit,period,value\nket_nap_dang_vien,cau-giay,2025S1,abc\n', 422]]) {
    const form = new FormData();
    form.append('action', 'preview');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'so-lieu.csv');
    const res = await fetch(base + '/api/v1/import', { method: 'POST', headers: { Authorization: 'Bearer ' + tok.editor }, body: form });
    const text = await res.text();
    const c = v.check('POST', '/import', res.status, res.headers.get('content-type'), text);
    if (c.op) covered.add(c.op);
    ok(c.errors.length === 0 && res.status === want, `POST /import (editor) -> ${res.status}, expected ${want}: ${c.errors.join('; ')} ${text.slice(0, 200)}`);
  }
}

// ---- a method the path does not take, and a browser session -------------------------------
{
  let r = await call('PUT', '/units', { want: 405 });
  ok(code(r) === 'method_not_allowed', 'PUT /units: method_not_allowed');
  const res = await fetch(base + '/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'login=tp.xem&password=demo-xem-2025',
    redirect: 'manual',
  });
  const cookie = (res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || '']).map((c) => c.split(';')[0]).find((c) => c.startsWith('chitieu_session='));
  ok(cookie !== undefined, 'login sets the chitieu_session cookie');
  if (cookie) {
    r = await call('GET', '/units?limit=1', { who: { cookie } });
    ok(r.json.units.length === 1, 'a browser session reads the API');
  }
}

// ---- completeness: who below a unit has reported what (docs/cycle.md) ----------------------------
{
  let r = await call('GET', '/completeness?unit=cau-giay&period=2023S1');
  ok(r.json.units.length === 8 && r.json.units.every((u) => u.expected === u.reported + u.missing), 'completeness: one row per ward, expected = reported + missing');
  r = await call('GET', '/completeness?unit=cau-giay-dich-vong&period=2023S1&view=items', { who: 'editor' });
  ok(r.json.items.length > 0 && r.json.items.every((x) => ['missing', 'on_time', 'late'].includes(x.state)), 'completeness items: a state each');
  r = await call('GET', '/completeness?unit=ha-noi&period=2023&limit=2', { who: 'admin' });
  ok(r.json.units.length === 2 && r.json.next !== null, 'completeness pages like every list');
  r = await call('GET', '/completeness?unit=cau-giay', { want: 400 });
  ok(code(r) === 'bad_period', 'completeness without a period: bad_period');
  r = await call('GET', '/completeness?unit=cau-giay&period=2023&view=x', { want: 400 });
  ok(code(r) === 'bad_request', 'completeness with an unknown view: bad_request');
  await call('GET', '/completeness?unit=ba-dinh&period=2023', { who: 'editor', want: 403 });
  await call('GET', '/completeness?unit=khong-co&period=2023', { want: 404 });
}

// ---- the operators' endpoints at the server's root (documented with their own server) --------
{
  const root = async (path, want, headers = {}) => {
    const res = await fetch(base + path, { headers, redirect: 'manual' });
    const text = await res.text();
    const r = v.check('GET', path.split('?')[0], res.status, res.headers.get('content-type'), text);
    if (r.op) covered.add(r.op);
    ok(r.errors.length === 0, `GET ${path} -> ${res.status}: not as documented: ${r.errors.join('; ')}\n  body: ${text.slice(0, 300)}`);
    ok(res.status === want, `GET ${path}: status ${res.status}, expected ${want}`);
    return { text, headers: res.headers };
  };
  const h = await root('/healthz', 200, { 'X-Request-Id': 'api-test-1' });
  ok(JSON.parse(h.text).status === 'ok', 'healthz says ok');
  ok(h.headers.get('x-request-id') === 'api-test-1', 'a safe X-Request-Id is echoed');
  await root('/healthz?x=1', 400);
  const m = await root('/metrics', 200);
  ok(/^chitieu_http_requests_total\{class="api",code="200"\} [1-9]/m.test(m.text), 'metrics count the API requests made above');
  ok(/^# TYPE chitieu_http_request_duration_seconds histogram$/m.test(m.text), 'metrics have the latency histogram');
  await root('/metrics', 403, { 'X-Forwarded-For': '198.51.100.7' });
  await root('/metrics', 403, { Authorization: 'Bearer ' + tok.admin, 'X-Forwarded-For': '198.51.100.7' });
}

} catch (e) {
  ok(false, 'the test stopped: ' + (e.stack || e));
}

// ---- every documented GET was reached -------------------------------------------------------
for (const [p, ops] of Object.entries(doc.paths))
  for (const m of Object.keys(ops)) {
    if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
    const name = `${m.toUpperCase()} ${p}`;
    if (covered.has(name)) continue;
    if (m === 'get' && !p.includes('{')) {
      // an operation added to the document without a request here: read it as an administrator
      await call('GET', p, { who: 'admin', want: (await fetch(base + '/api/v1' + p, { headers: { Authorization: 'Bearer ' + tok.admin } })).status });
      ok(covered.has(name), `${name} reached`);
    } else if (m === 'get') ok(false, `${name} is documented but no request reached it (add one to tests/api/api.test.mjs)`);
    else console.log(`api note: ${name} is documented but not exercised here`);
  }

console.log(`api-validate: ${passed} passed, ${failed} failed (${covered.size} operations)`);
process.exit(failed ? 1 : 0);
