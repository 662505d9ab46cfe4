// downloads.test.mjs - every file the command line writes can be downloaded from the web: a viewer
// of Cầu Giấy opens the report page and downloads, by clicking the links as a user would, the
// Word report, its PDF, the Excel workbook, the Markdown and JSON reports and the entry
// template; each arrives as a file with the right name and the right kind of content.
// Usage: node downloads.test.mjs BASE_URL SHOT_DIR.  Exit 0 = pass; on failure a screenshot is saved.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [base, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let page, step = 'start', passed = 0;
function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  passed++;
}
// format in the link -> file name ending, first bytes, a text the (unzipped or plain) file holds
const want = [
  { fmt: 'docx', ext: '.docx', magic: 'PK', name: 'bao-cao-cau-giay-2023.docx' },
  { fmt: 'pdf', ext: '.pdf', magic: '%PDF', name: 'bao-cao-cau-giay-2023.pdf' },
  { fmt: 'xlsx', ext: '.xlsx', magic: 'PK', name: 'bao-cao-cau-giay-2023.xlsx' },
  { fmt: 'md', ext: '.md', magic: '#', name: 'bao-cao-cau-giay-2023.md' },
  { fmt: 'json', ext: '.json', magic: '{', name: 'bao-cao-cau-giay-2023.json' },
  { fmt: 'template', ext: '.xlsx', magic: 'PK', name: 'bieu-nhap-cau-giay-2023.xlsx' },
];
try {
  step = 'the viewer logs in';
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.fill('input[name=login]', 'caugiay.xem');
  await page.fill('input[name=password]', 'demo-xem-2025');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await page.goto(base + '/report?unit=cau-giay&period=2023');
  for (const w of want) {
    step = 'download ' + w.fmt;
    const link = page.locator(`ul.downloads a[href$="format=${w.fmt}"]`);
    check(await link.count() === 1, `the report page offers ${w.fmt}`);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 180000 }), link.click()]);
    check(dl.suggestedFilename() === w.name, `${w.fmt} arrives as ${w.name} (got ${dl.suggestedFilename()})`);
    const path = await dl.path();
    check(path !== null, `${w.fmt} was saved`);
    const bytes = readFileSync(path);
    check(bytes.length > 200 && bytes.subarray(0, w.magic.length).toString('latin1') === w.magic,
          `${w.fmt} holds a real file (${bytes.length} bytes, starts with ${JSON.stringify(w.magic)})`);
    if (w.ext === '.docx' || w.ext === '.xlsx')   // an OOXML package: the main part's name is inside
      check(bytes.includes(w.ext === '.docx' ? 'word/document.xml' : 'xl/workbook.xml'), `${w.fmt} is a ${w.ext} package`);
  }
  step = 'an unknown format is refused in words';
  const bad = await page.goto(base + '/report?unit=cau-giay&period=2023&format=odt');
  check(bad.status() === 400, 'format=odt is a 400');
  check((await page.textContent('body')).includes('docx, pdf, xlsx'), 'the message lists the formats');
  await ctx.close();
  console.log(`browser downloads: ${passed} passed, 0 failed`);
} catch (err) {
  console.error(`browser downloads: FAILED at "${step}": ${err.message}`);
  if (page) await page.screenshot({ path: `${shots}/downloads-failure.png`, fullPage: true }).catch(() => {});
  console.log(`browser downloads: ${passed} passed, 1 failed (screenshot in ${shots}/downloads-failure.png)`);
  await browser.close();
  process.exit(1);
}
await browser.close();
