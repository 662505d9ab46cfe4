// ui.test.mjs - how the pages look and read, in Debian's Chromium through playwright-core.
// For each page an official uses (overview, indicator, entry, term overview, audit log, approval,
// and the others: tasks, validation, classification, report, users, catalogue, import,
// completeness, password, an English page) at a phone's width (390 px) and a laptop's (1366 px): the page does not scroll sideways (wide
// tables scroll inside their own box, the indicator name column stays in view), the browser
// reports no Content-Security-Policy violation, and axe-core finds zero accessibility violations.
// Then: the "% kế hoạch" bars differ (77,8% is drawn narrower than 453,3%, measured on screen and
// in a screenshot's pixels), the charts are SVG in Vietnamese number format, the indicator page
// reads in words, times are local, and the entry grid is usable from the keyboard.
// Usage: node ui.test.mjs BASE_URL SHOT_DIR.  Exit 0 = pass; on failure a screenshot is saved.
// Runs on a fresh demo database (run.sh runs it before web.test.mjs changes the figures).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [base, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let page, step = 'start', passed = 0;
const cspErrors = [];
let softFailed = 0;                 // UI_SOFT=1: report every failed check and go on (for fixing)
function check(cond, what) {
  if (!cond && process.env.UI_SOFT) { console.error('FAIL: ' + what); softFailed++; return; }
  if (!cond) throw new Error('check failed: ' + what);
  passed++;
}
async function login(user, password, width) {
  const ctx = await browser.newContext({ viewport: { width, height: width < 800 ? 844 : 900 } });
  page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  await page.goto(base + '/login');
  await page.fill('input[name=login]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return ctx;
}
// axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern.
async function axe(what) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const lines = res.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
  if (lines.length) console.error(`axe on ${what}:\n  ` + lines.join('\n  '));
  check(res.violations.length === 0, `axe-core finds no violations on ${what}`);
}
async function noSidewaysScroll(what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(over <= 0, `${what} does not scroll sideways (${over} px too wide)`);
}

// A screenshot's pixels: the PNG that Chromium writes (8-bit RGB or RGBA, not interlaced) decoded.
function decodePng(png) {
  let pos = 8, w = 0, h = 0, ch = 0;
  const idat = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos), type = png.toString('ascii', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      w = data.readUInt32BE(0); h = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0 || (data[9] !== 2 && data[9] !== 6)) throw new Error('unexpected PNG format');
      ch = data[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat)), stride = w * ch, px = Buffer.alloc(h * stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= ch ? px[y * stride + x - ch] : 0, b = y ? px[(y - 1) * stride + x] : 0;
      const c = x >= ch && y ? px[(y - 1) * stride + x - ch] : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      px[y * stride + x] = (line[x] + pred) & 255;
    }
  }
  return { w, h, ch, px };
}
// How many pixels of the middle row of an element's screenshot are strongly coloured (the bar's fill).
async function filledPixels(locator) {
  const img = decodePng(await locator.screenshot());
  const y = img.h >> 1;
  let n = 0;
  for (let x = 0; x < img.w; x++) {
    const i = (y * img.w + x) * img.ch, r = img.px[i], g = img.px[i + 1], b = img.px[i + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) n++;
  }
  return { n, w: img.w };
}

const pages = [
  ['overview', '/overview?unit=cau-giay&period=2023'],
  ['indicator', '/indicator?unit=cau-giay&period=2023&ind=ket_nap_dang_vien'],
  ['entry', '/entry?unit=cau-giay&period=2024'],
  ['term overview', '/overview?unit=cau-giay&period=2020-2025'],
  ['audit log', '/admin/audit'],
  ['approval', '/approval'],
  // and the other pages, for the same checks
  ['tasks', '/tasks?unit=cau-giay'], ['validation', '/validation?unit=cau-giay&period=2023'],
  ['classification', '/class'], ['report', '/report?unit=cau-giay&period=2023'], ['users', '/admin/users'],
  ['catalogue', '/admin/data'], ['import', '/import'], ['completeness', '/completeness?unit=cau-giay&period=2023'],
  ['password', '/password'], ['overview in English', '/overview?unit=cau-giay&period=2023&lang=en'],
];
try {
  for (const width of [390, 1366]) {
    step = `pages at ${width} px`;
    const ctx = await login('admin', 'demo-admin-2025', width);
    for (const [name, path] of pages) {
      step = `${name} at ${width} px`;
      const resp = await page.goto(base + path);
      check(resp.status() === 200, `${name} answers 200`);
      await page.screenshot({ path: `${shots}/ui-${name.replaceAll(' ', '-')}-${width}.png`, fullPage: true });
      await noSidewaysScroll(`${name} at ${width} px`);
      await axe(`${name} at ${width} px`);
    }
    check(cspErrors.length === 0, `no Content-Security-Policy errors at ${width} px (${cspErrors[0] || ''})`);
    await ctx.close();
  }
  step = 'the % kế hoạch bars show their values';
  let ctx = await login('admin', 'demo-admin-2025', 1366);
  await page.goto(base + '/overview?unit=cau-giay&period=2023');
  check(await page.locator('[style]').count() === 0, 'no element of the overview carries an inline style');
  const low = page.locator('svg.bar[data-pct="77.8"]').first(), high = page.locator('svg.bar[data-pct="453.3"]').first();
  check(await low.count() === 1 && await high.count() === 1, 'the overview has the 77,8% and 453,3% rows');
  const fillW = (l) => l.locator('rect.fill').evaluate((r) => r.getBoundingClientRect().width);
  const boxW = await low.evaluate((e) => e.getBoundingClientRect().width);
  const wLow = await fillW(low), wHigh = await fillW(high);
  check(Math.abs(wLow - boxW * 77.8 / 150) < 1.5, `77,8% is drawn ${wLow.toFixed(1)} px of ${boxW} (the scale ends at 150%)`);
  check(Math.abs(wHigh - boxW) < 1.5, `453,3% fills the bar (${wHigh.toFixed(1)} px)`);
  const pLow = await filledPixels(low), pHigh = await filledPixels(high);
  check(pHigh.n - pLow.n > pLow.w / 3, `on screen the bars differ: ${pLow.n} vs ${pHigh.n} coloured pixels of ${pLow.w}`);
  await page.goto(base + '/overview?unit=cau-giay&period=2023&ind=viec_lam');
  check(await page.locator('#trend svg.chart-svg.wide').isVisible(), 'a wide screen gets the wide trend chart');
  check(!(await page.locator('#trend svg.chart-svg.narrow').isVisible()), 'and not the phone one');
  const ticks = await page.locator('#trend svg.chart-svg.wide text').allTextContents();
  check(ticks.includes('3.333') && ticks.includes('1.000'), 'chart values and ticks in Vietnamese format ("3.333", "1.000")');
  check(ticks.includes('người'), 'the value axis is titled with the measure');
  check(await page.locator('#units-chart svg.chart-svg.wide').isVisible(), 'the units below are ranked in an SVG chart');
  check(await page.locator('img[src*="chart.png"]').count() === 0, 'no PNG charts in the page');

  step = 'the indicator page and times read in Vietnamese';
  await page.goto(base + '/indicator?unit=cau-giay&period=2023&ind=ket_nap_dang_vien');
  const def = await page.textContent('dl.def');
  check(def.includes('Tăng là tốt') && !/Chiều đánh giá\s*up/.test(def), 'the direction is in words');
  check(def.includes('cộng') && !def.includes('sum'), 'the aggregations are in words');
  await page.goto(base + '/entry?unit=ba-dinh&period=2023');
  await Promise.all([page.waitForNavigation(), page.click('button[value=submit]')]);
  await page.goto(base + '/approval');
  const arow = page.locator('tr[data-unit="ba-dinh"][data-period="2023"]');
  check((await arow.locator('td').nth(1).textContent()).includes('Năm 2023'), 'the approval table names the period "Năm 2023"');
  const when = await arow.locator('time').textContent();
  check(/^\d{1,2}\/\d{1,2}\/\d{4} \d\d:\d\d$/.test(when), `the time is local d/m/yyyy HH:mm (${when})`);
  const iso = await arow.locator('time').getAttribute('datetime');
  const local = new Date(iso).toLocaleString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
  check(local.match(/\d\d:\d\d/)[0] === when.slice(-5), `it is Asia/Ho_Chi_Minh time (${iso} is ${local})`);
  await page.goto(base + '/admin/audit');
  check(/^\d{1,2}\/\d{1,2}\/\d{4} \d\d:\d\d$/.test(await page.locator('#audit time').first().textContent()),
        'the audit log gives local times');
  const nf = await page.goto(base + '/no-such-page');
  check(nf.status() === 404 && await page.locator('header nav').count() === 1, 'an error page is in the app\'s layout');
  check(await page.locator('link[rel=icon]').count() === 1, 'pages name a favicon');

  step = 'the entry grid from the keyboard';
  await page.goto(base + '/entry?unit=cau-giay&period=2024');
  const vals = page.locator('#entry input[name^="v_"]');
  const nameOf = () => page.evaluate(() => document.activeElement.name);
  const v0 = await vals.nth(0).getAttribute('name'), v1 = await vals.nth(1).getAttribute('name');
  const v2 = await vals.nth(2).getAttribute('name');
  await vals.nth(0).focus();
  await page.keyboard.press('ArrowDown');
  check(await nameOf() === v1, 'the down arrow moves to the next indicator\'s figure');
  await page.keyboard.press('Enter');
  check(await nameOf() === v2 && page.url().includes('/entry?'), 'Enter moves on too, without submitting');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.press('ArrowUp');
  check(await nameOf() === v0, 'Shift+Enter and the up arrow move back');
  await page.keyboard.press('Tab');
  check(await nameOf() === 'c_' + v0.slice(2), 'Tab goes on to the same indicator\'s comment');
  await ctx.close();

  step = 'a phone';
  ctx = await login('admin', 'demo-admin-2025', 390);
  await page.goto(base + '/entry?unit=cau-giay&period=2024');
  const box = await page.locator('#entry input[name^="v_"]').first().boundingBox();
  check(box.x >= 0 && box.x + box.width <= 390, `the entry input is on a phone's screen (${Math.round(box.x)}..${Math.round(box.x + box.width)})`);
  // each card's labels name the cell they stand over, with and without the same-period column
  const labels = () => page.locator('#entry input[name^="v_"]').first().evaluate((input) =>
    [...input.closest('tr').cells].slice(2).map((td) => getComputedStyle(td, '::before').content.replace(/"/g, '')));
  let got = (await labels()).join('|');
  check(got === 'Kế hoạch|Kỳ trước (cùng kỳ)|Số liệu|Ghi chú', `a year's card labels its cells (${got})`);
  await page.goto(base + '/entry?unit=cau-giay&period=2024Q2');
  got = (await labels()).join('|');
  check(got === 'Kế hoạch|Kỳ trước|Cùng kỳ|Số liệu|Ghi chú', `a quarter's card labels its cells (${got})`);
  await page.goto(base + '/overview?unit=cau-giay&period=2023');
  const first = page.locator('.scroll').first();
  const cell = first.locator('tbody tr td:first-child').first();
  const before = (await cell.boundingBox()).x;
  await first.evaluate((e) => { e.scrollLeft = 200; });
  check(await first.evaluate((e) => e.scrollLeft) > 0, 'the wide table scrolls inside its box');
  check(Math.abs((await cell.boundingBox()).x - before) < 1, 'the indicator name column stays in view');
  const nameW = await cell.evaluate((e) => e.getBoundingClientRect().width);
  check(nameW >= 140, `the name column is wide enough for names (${Math.round(nameW)} px)`);
  await page.goto(base + '/indicator?unit=cau-giay&period=2023&ind=ket_nap_dang_vien');
  check(await page.locator('#trend svg.chart-svg.narrow').isVisible() &&
        !(await page.locator('#trend svg.chart-svg.wide').isVisible()), 'a phone gets the chart drawn for it');
  const scale = await page.locator('#trend svg.chart-svg.narrow').evaluate((e) => e.getBoundingClientRect().width / e.viewBox.baseVal.width);
  check(scale > 0.9, `its text is not shrunk (scale ${scale.toFixed(2)})`);
  check(cspErrors.length === 0, 'no Content-Security-Policy errors anywhere');
  await ctx.close();
  console.log(`browser ui: ${passed} passed, ${softFailed} failed`);
} catch (err) {
  console.error(`browser ui: FAILED at "${step}": ${err.message}`);
  if (page) await page.screenshot({ path: `${shots}/ui-failure.png`, fullPage: true }).catch(() => {});
  console.log(`browser ui: ${passed} passed, 1 failed (screenshot in ${shots}/ui-failure.png)`);
  await browser.close();
  process.exit(1);
}
await browser.close();
