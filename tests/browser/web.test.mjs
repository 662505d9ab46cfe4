// web.test.mjs - chitieu in a real browser (Debian's Chromium through playwright-core).
// Story: an editor of Cầu Giấy logs in, enters figures (one with a typo the page flags as you
// type, one a tenfold jump it warns about), saves and submits; the city approver returns it with a
// reason, the editor submits again, the city approver approves; a ward below is then locked;
// the overview shows the new figure and the approved state; a viewer cannot reach the entry page.
// Usage: node web.test.mjs BASE_URL SHOT_DIR.  Exit 0 = pass; on failure a screenshot is saved.
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
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
  page = await ctx.newPage();
  await page.goto(base + '/overview');
  check(page.url().includes('/login'), 'anonymous visitors are sent to the login page');
  await page.fill('input[name=login]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  check(page.url().includes('/overview'), user + ' lands on the overview');
  return ctx;
}
try {
  step = 'editor enters and submits';
  let ctx = await login('caugiay.nhap', 'demo-nhap-2025');
  check((await page.textContent('h1')).includes('Quận ủy Cầu Giấy'), 'the editor sees their own unit');
  await page.goto(base + '/entry?unit=cau-giay&period=2023');
  const kn = page.locator('#v_ket_nap_dang_vien');
  await kn.fill('12a');
  check(await kn.evaluate((el) => el.classList.contains('invalid')), 'a typo is flagged as you type');
  check((await page.locator('#v_ket_nap_dang_vien ~ .hint').textContent()).includes('Không phải số'),
        'the hint says it is not a number');
  await kn.fill('12.345');      // decimal comma locale: 12.345 is twelve thousand, over 10 x last year
  check((await page.locator('#v_ket_nap_dang_vien ~ .hint').textContent()).includes('10 lần'),
        'a tenfold jump from last period is warned about');
  await kn.fill('305');
  check(!(await kn.evaluate((el) => el.classList.contains('invalid'))), 'a good number clears the flag');
  await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
  check((await page.textContent('#msg')).includes('Đã lưu'), 'the draft is saved');
  check(await kn.inputValue() === '305', 'the saved figure is shown back');
  await Promise.all([page.waitForNavigation(), page.click('button[value=submit]')]);
  check(await page.isVisible('#locked'), 'after submitting, the data is read-only for the editor');

  step = 'editor reports progress on a task';
  await page.goto(base + '/tasks?unit=cau-giay');
  check((await page.textContent('#tasks-done')).startsWith('6/14'), 'the unit dashboard counts 6 of 14 tasks done');
  check((await page.textContent('#tasks-overdue')).trim() === '1', 'one task is overdue');
  await page.click('tr[data-code="cg-nv-06"] a');
  await page.fill('#progress-form input[name=pct]', '100');
  await page.fill('#progress-form input[name=text]', 'Đã bàn giao toàn bộ mặt bằng');
  await Promise.all([page.waitForNavigation(), page.click('#progress-form button')]);
  check((await page.textContent('#task-status')).includes('hoàn thành quá hạn'), 'the task is now done (late)');
  check((await page.textContent('#task-log')).includes('Đã bàn giao toàn bộ mặt bằng'), 'the report is in the log');
  await page.goto(base + '/tasks?unit=cau-giay');
  check((await page.textContent('#tasks-done')).startsWith('7/14'), 'the counts change: 7 of 14 done');
  check((await page.textContent('#tasks-overdue')).trim() === '0', 'and none overdue');
  await ctx.close();

  step = 'the district approver cannot approve their own district';
  ctx = await login('caugiay.duyet', 'demo-duyet-2025');
  await page.goto(base + '/approval');
  const own = page.locator('tr[data-unit="cau-giay"][data-period="2023"]');
  check(await own.count() === 1, 'the district approver sees the submitted data');
  check(await own.locator('button[value=approve]').count() === 0, 'but approving it is for the level above');
  await ctx.close();

  step = 'the city approver returns it with a reason';
  ctx = await login('tp.duyet', 'demo-duyet-2025');
  await page.goto(base + '/approval');
  let row = page.locator('tr[data-unit="cau-giay"][data-period="2023"]');
  check(await row.count() === 1, 'the submitted data waits in the approval list');
  check(await row.locator('a.check[href="/validation?unit=cau-giay&period=2023"]').count() === 1,
        'the row links to the validation run of the data set');
  await row.locator('input[name=comment]').fill('Kiểm tra lại số kết nạp');
  await Promise.all([page.waitForNavigation(), row.locator('button[value=return]').click()]);
  check((await row.locator('.badge').textContent()).includes('bị trả lại'), 'the row shows it returned');
  await ctx.close();

  step = 'the editor fixes and submits again';
  ctx = await login('caugiay.nhap', 'demo-nhap-2025');
  await page.goto(base + '/entry?unit=cau-giay&period=2023');
  check((await page.textContent('.msg.warn')).includes('Kiểm tra lại số kết nạp'), 'the reason is shown');
  await page.fill('input[name=c_ket_nap_dang_vien]', 'đã rà soát');
  await Promise.all([page.waitForNavigation(), page.click('button[value=submit]')]);
  check(await page.isVisible('#locked'), 'submitted again, read-only');
  await ctx.close();

  step = 'the city approver approves';
  ctx = await login('tp.duyet', 'demo-duyet-2025');
  await page.goto(base + '/approval');
  row = page.locator('tr[data-unit="cau-giay"][data-period="2023"]');
  await Promise.all([page.waitForNavigation(), row.locator('button[value=approve]').click()]);
  check((await row.locator('.badge').textContent()).includes('đã duyệt'), 'the row shows it approved');
  await page.goto(base + '/overview?unit=cau-giay&period=2023');
  check((await page.textContent('.badge')).includes('đã duyệt'), 'the overview shows the approved state');
  const cell = page.locator('tr:has(a:text("Kết nạp đảng viên mới")) td.num').nth(1);
  check((await cell.textContent()).trim() === '305', 'the overview shows the new figure');
  await page.goto(base + '/indicator?unit=cau-giay&period=2023&ind=ket_nap_dang_vien');
  check(await page.locator('#trend svg.chart-svg.narrow').isVisible(), 'the trend is drawn (SVG) for the phone\'s screen');
  await page.goto(base + '/overview?unit=cau-giay&period=2023&lang=en');
  check((await page.textContent('.tiles')).includes('met or exceeded'), 'the English switch works');
  await ctx.close();

  step = 'a ward below the approved district is locked';
  ctx = await login('caugiay.nhap', 'demo-nhap-2025');
  await page.goto(base + '/entry?unit=cau-giay-dich-vong&period=2023');
  check(await page.isVisible('#locked'), 'the ward\'s entry page says it is locked');
  check((await page.textContent('#locked')).includes('tp.duyet'), 'and by whom');
  check(await page.locator('button[value=save]').count() === 0, 'it offers no save');
  await ctx.close();

  step = 'viewer is kept out of data entry';
  ctx = await login('caugiay.xem', 'demo-xem-2025');
  check(await page.locator('nav a[href="/entry"]').count() === 0, 'a viewer has no entry link');
  const resp = await page.goto(base + '/entry?unit=cau-giay&period=2023');
  check(resp.status() === 403, 'a viewer gets 403 on the entry page');
  const other = await page.goto(base + '/overview?unit=ba-dinh&period=2022');
  check(other.status() === 403, 'a district viewer cannot read a sibling district');
  await ctx.close();
  console.log(`browser: ${passed} passed, 0 failed`);
} catch (err) {
  console.error(`browser: FAILED at "${step}": ${err.message}`);
  if (page) await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
  console.log(`browser: ${passed} passed, 1 failed (screenshot in ${shots}/failure.png)`);
  await browser.close();
  process.exit(1);
}
await browser.close();
