// data.test.mjs - figures on the entry page in a real browser (issue 16): the page's script
// accepts what the server accepts ("1,234.5" and "1.234,5"), a stored figure is deleted by
// emptying its field, the browser asks for the reason before sending (the server refuses without
// one too), and the deletion shows in the administrator's audit log.
// Usage: node data.test.mjs BASE_URL SHOT_DIR.  Exit 0 = pass; on failure a screenshot is saved.
import { chromium } from 'playwright-core';

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
async function login(user, password) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.fill('input[name=login]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return ctx;
}
try {
  step = 'the script reads numbers as the server does';
  let ctx = await login('badinh.nhap', 'demo-nhap-2025');
  await page.goto(base + '/entry?unit=ba-dinh&period=2024');
  const id = await page.locator('input[name^="v_"]:not([readonly])').first().getAttribute('id');
  const inp = page.locator('#' + id);
  const invalid = () => inp.evaluate((el) => el.classList.contains('invalid'));
  for (const ok of ['1,234.5', '1.234,5', '1.234', '-3', ' 7 ']) {
    await inp.fill(ok);
    check(!(await invalid()), `'${ok}' is accepted as the server accepts it`);
  }
  for (const bad of ['12a', '1.23.4', '5,', '1,2,3.4.5']) {
    await inp.fill(bad);
    check(await invalid(), `'${bad}' is refused as the server refuses it`);
  }
  await inp.fill('1,234.5');
  await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
  check((await page.textContent('#msg')).includes('Đã lưu'), '"1,234.5" is saved');
  check(await inp.inputValue() === '1.234,5', 'and shown back in Vietnamese as 1.234,5');

  step = 'emptying a stored figure deletes it, with a reason';
  await inp.fill('');
  check((await page.locator('#' + id + ' ~ .hint').textContent()).includes('Sẽ xóa'), 'the hint says it will be deleted');
  check(await page.locator('#reason').evaluate((el) => el.required), 'the reason becomes required');
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST') posts++; });
  await page.click('button[value=save]');
  await page.waitForTimeout(300);
  check(await page.locator('#reason').evaluate((el) => el.validity.valueMissing), 'the browser asks for the reason');
  check(posts === 0, 'nothing was sent');
  await page.fill('#reason', 'nhập thử trên trình duyệt');
  await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
  check((await page.textContent('#msg')).includes('Đã lưu'), 'saved');
  check(await inp.inputValue() === '', 'the figure is gone');
  await ctx.close();

  step = 'the deletion is in the audit log';
  ctx = await login('admin', 'demo-admin-2025');
  await page.goto(base + '/admin/audit?kind=delete&unit=ba-dinh');
  check((await page.textContent('#audit')).includes('xóa 1.234,5; lý do: nhập thử trên trình duyệt'),
        'the audit log names the old figure and the reason');
  check((await page.textContent('#audit-count')).trim() === '1–1 / 1', 'one entry, counted');
  await ctx.close();
  console.log(`browser data: ${passed} passed, 0 failed`);
} catch (err) {
  console.error(`browser data: FAILED at "${step}": ${err.message}`);
  if (page) await page.screenshot({ path: `${shots}/failure-data.png`, fullPage: true }).catch(() => {});
  console.log(`browser data: ${passed} passed, 1 failed (screenshot in ${shots}/failure-data.png)`);
  await browser.close();
  process.exit(1);
}
await browser.close();
