// Browser tests of Hearken's staff pages, on SQLite and on PostgreSQL.
//
// Each backend gets its own server (fresh data folder; fresh database for
// PostgreSQL) and its own Chromium. The steps of one backend run in order and
// share the case they register, like a clerk's working session would.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  startServer,
  launchBrowser,
  artifactPath,
  postgresAvailable,
  chromiumAvailable,
  IN_CI,
} from '../lib/server.mjs';
import { prerequisites, missing } from '../lib/suite.mjs';
import { changeAdminPassword } from '../lib/pages.mjs';

// The machine is slow (2 cores, debug build): be generous.
const ACTION_TIMEOUT = 30_000;
const NAV_TIMEOUT = 60_000;
const STEP_TIMEOUT = 180_000;

const QUERY_CODE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/;
const CATEGORY = 'labor.wages';

/** Prerequisites of one backend: {ok, reason}. */
/** Clicks something that submits a form or follows a link, and waits for the new page. */
async function clickAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
    locator.click(),
  ]);
  return response;
}

async function newPage(browser) {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  const page = await context.newPage();
  return { context, page };
}

async function login(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/staff/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  const resp = await clickAndWait(page, page.locator('form[action="/staff/login"] button[type=submit]'));
  return resp;
}

const text = async (locator) => ((await locator.textContent()) ?? '').trim();

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    // Outside CI a missing PostgreSQL or Chromium skips (and says why); in CI it fails.
    describe(`staff pages on ${backend}`, () => {
      if (IN_CI) {
        test('prerequisites are present', () => {
          assert.fail(`${backend}: ${pre.reason} (CI is set: a missing prerequisite fails the run)`);
        });
      } else {
        test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
      }
    });
    continue;
  }

  describe(`staff pages on ${backend}`, () => {
    let server;
    let browser;
    let context;
    let page;
    let tmp;
    const uniq = `${backend}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const content = `E2E ${uniq} 某公司拖欠工资三个月。<b>不是粗体</b> & "引号"`;
    const corrected = `E2E ${uniq} 更正后：某公司拖欠工资四个月。`;
    const respondent = `某某建筑公司 ${uniq}`;
    const pdfName = `证据-${backend}.pdf`;
    // Filled in by the steps, in order.
    const c = { id: null, caseNo: null, queryCode: null, today: null, timelineLength: null };

    before(async () => {
      tmp = await mkdtemp(path.join(tmpdir(), 'hearken-e2e-files-'));
      server = await startServer(backend);
      // The one-time admin password must be changed first (the forced first-login change).
      await changeAdminPassword(server);
      browser = await launchBrowser();
      ({ context, page } = await newPage(browser));
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      await browser?.close().catch(() => {});
      await server?.stop();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }, { timeout: STEP_TIMEOUT });

    /** Fails a step at once when an earlier one it depends on did not get through. */
    const needCase = () => {
      assert.ok(c.id, 'no case was registered by the earlier step');
    };

    test('log in as admin: a wrong password is refused, the right one lets in', { timeout: STEP_TIMEOUT }, async () => {
      await page.goto(`${server.url}/`);
      const staffLink = page.locator('a[href="/staff/login"]');
      assert.ok(await staffLink.count() > 0, 'the portal links to the staff login');

      let resp = await login(page, server.url, 'admin', `${server.adminPassword}-wrong`);
      assert.ok(resp, 'the login form was submitted');
      assert.match(new URL(page.url()).pathname, /^\/staff\/login/);
      const error = page.locator('p.error');
      await error.waitFor();
      assert.match(await text(error), /用户名或密码错误/);
      assert.equal(await page.locator('[data-testid=who]').count(), 0, 'not logged in');
      assert.equal(await page.inputValue('#username'), 'admin', 'the username is kept');

      resp = await login(page, server.url, 'admin', server.adminPassword);
      assert.equal(resp.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/staff/today', 'a login lands on today\'s work');
      await page.locator('[data-testid=who]').waitFor();
      assert.match(await text(page.locator('h1')), /^今日工作/);
    });

    test('register a petition in Chinese with an attachment and get a receipt', { timeout: STEP_TIMEOUT }, async () => {
      const pdf = path.join(tmp, pdfName);
      await writeFile(
        pdf,
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
          '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
      );

      await page.goto(`${server.url}/staff/cases/new`);
      assert.equal(await text(page.locator('h1')), '登记信访事项');
      c.today = await page.inputValue('#received_on');
      assert.match(c.today, /^\d{4}-\d{2}-\d{2}$/, 'the received date defaults to today');

      await page.selectOption('#category', CATEGORY);
      await page.fill('#region', '330102');
      await page.fill('input[name=p0_name]', '张三');
      await page.fill('input[name=p0_phone]', '13800138000');
      await page.fill('input[name=p0_address]', '杭州市上城区某街道 1 号');
      await page.fill('#respondent', respondent);
      await page.fill('#content', content);
      await page.fill('#demands', '支付拖欠的工资。');
      await page.setInputFiles('#attachments', pdf);

      const submit = page.getByRole('button', { name: '登记并出具回执' });
      const resp = await clickAndWait(page, submit);
      assert.equal(resp.status(), 200, `registration answered ${resp.status()}`);
      const m = new URL(page.url()).pathname.match(/^\/staff\/cases\/([^/]+)\/receipt$/);
      assert.ok(m, `landed on the receipt, not ${page.url()}`);
      c.id = m[1];

      c.caseNo = await text(page.locator('[data-testid=receipt-case-no]'));
      c.queryCode = await text(page.locator('[data-testid=receipt-query-code]'));
      assert.ok(c.caseNo.length > 0, 'the receipt shows a case number');
      assert.match(c.queryCode, QUERY_CODE, 'the query code has 8 unambiguous characters');
      const next = await text(page.locator('[data-testid=receipt-next]'));
      assert.match(next, /日内/, `the next step says within how many days: ${next}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('<b>不是粗体</b>'), 'the receipt shows the markup as text');
      assert.ok(body.includes('张三'), 'the receipt names the petitioner');
    });

    test('a form with errors is shown again with messages and the typed values', { timeout: STEP_TIMEOUT }, async () => {
      await page.goto(`${server.url}/staff/cases/new`);
      // The browser's own checks (required) would stop the submission before the
      // server sees it: switch them off to test the server's validation.
      await page.$eval('form.register', (f) => { f.noValidate = true; });
      await page.selectOption('#category', CATEGORY);
      await page.fill('#region', '12');
      await page.fill('input[name=p0_name]', '李四');
      await page.fill('#respondent', respondent);
      await page.fill('#content', '');

      const resp = await clickAndWait(page, page.getByRole('button', { name: '登记并出具回执' }));
      assert.equal(resp.status(), 422);
      assert.equal(new URL(page.url()).pathname, '/staff/cases/new', 'still on the form');
      await page.locator('[data-testid=form-errors]').waitFor();
      const errs = await page.locator('.field-error').allInnerTexts();
      assert.ok(errs.length >= 2, `a message per bad field: ${JSON.stringify(errs)}`);
      // The message next to the region field explains region codes.
      const regionErr = page.locator('#region ~ .field-error').first();
      assert.match(await text(regionErr), /6、9 或 12 位/);
      const contentErr = page.locator('#content + .field-error');
      assert.match(await text(contentErr), /必填/, 'the content field is required');
      assert.equal(await page.inputValue('#respondent'), respondent, 'the respondent is kept');
      assert.equal(await page.inputValue('#region'), '12', 'the region is kept');
      assert.equal(await page.inputValue('input[name=p0_name]'), '李四', 'the petitioner is kept');
      assert.equal(await page.inputValue('#category'), CATEGORY, 'the category is kept');
      await page.screenshot({ path: await artifactPath(`register-errors-${backend}.png`), fullPage: true });
    });

    test('find the case in the queue and open it', { timeout: STEP_TIMEOUT }, async () => {
      needCase();
      await page.goto(`${server.url}/staff/cases`);
      const filters = page.locator('form.filters');
      const apply = filters.locator('button[type=submit]');

      // By case number.
      await filters.locator('input[name=case_no]').fill(c.caseNo);
      await clickAndWait(page, apply);
      assert.equal(new URL(page.url()).searchParams.get('case_no'), c.caseNo);
      let rows = page.locator('table.queue tbody tr');
      assert.equal(await rows.count(), 1, 'exactly one case has that number');
      assert.equal(await text(rows.first().locator('a')), c.caseNo);

      // By category and received date, without the case number.
      await page.goto(`${server.url}/staff/cases`);
      await filters.locator('select[name=category]').selectOption(CATEGORY);
      await filters.locator('input[name=from]').fill(c.today);
      await clickAndWait(page, apply);
      const params = new URL(page.url()).searchParams;
      assert.equal(params.get('category'), CATEGORY);
      assert.equal(params.get('from'), c.today);
      const link = page.locator('table.queue tbody a', { hasText: c.caseNo });
      assert.equal(await link.count(), 1, 'the case is listed under its category from today');
      assert.equal(await filters.locator('select[name=category]').inputValue(), CATEGORY, 'the filter is kept');
      await page.screenshot({ path: await artifactPath(`queue-${backend}.png`), fullPage: true });

      await clickAndWait(page, link);
      assert.equal(new URL(page.url()).pathname, `/staff/cases/${c.id}`);
      assert.equal(await text(page.locator('[data-testid=case-no]')), c.caseNo);
      const entries = await page.locator('[data-testid=timeline] li').allInnerTexts();
      assert.ok(entries.length >= 1, 'the timeline has entries');
      assert.match(entries[0], /登记/, `the first entry is the registration: ${JSON.stringify(entries)}`);
      c.timelineLength = entries.length;

      const shown = page.locator('[data-testid=content]');
      assert.equal(await text(shown), content, 'the content is shown verbatim');
      assert.equal(await shown.locator('b').count(), 0, 'markup in the content made no element');
      assert.ok((await page.locator('main').innerText()).includes('<b>不是粗体</b>'));

      const attachment = page.locator(`a[href^="/staff/cases/${c.id}/attachments/"]`, { hasText: pdfName });
      assert.equal(await attachment.count(), 1, 'the attachment is listed');
      const href = await attachment.getAttribute('href');
      const download = await context.request.get(`${server.url}${href}`);
      assert.equal(download.status(), 200);
      assert.ok((await download.body()).subarray(0, 8).toString('latin1').startsWith('%PDF-1.4'), 'the attachment comes back as stored');
    });

    test('the receipt prints', { timeout: STEP_TIMEOUT }, async () => {
      needCase();
      // Record calls to window.print instead of opening a dialog.
      await page.addInitScript(() => {
        window.__printed = 0;
        window.print = () => { window.__printed += 1; };
      });
      await page.goto(`${server.url}/staff/cases/${c.id}`);
      await clickAndWait(page, page.getByRole('link', { name: '打印回执' }));
      assert.equal(new URL(page.url()).pathname, `/staff/cases/${c.id}/receipt`);
      assert.equal(await text(page.locator('[data-testid=receipt-case-no]')), c.caseNo);
      assert.equal(await text(page.locator('[data-testid=receipt-query-code]')), c.queryCode);
      await page.screenshot({ path: await artifactPath(`receipt-${backend}.png`), fullPage: true });

      await page.locator('[data-print]').click();
      await page.waitForFunction(() => window.__printed > 0, null, { timeout: ACTION_TIMEOUT });

      await page.emulateMedia({ media: 'print' });
      try {
        assert.equal(await page.locator('[data-print]').isVisible(), false, 'the print button is not printed');
        assert.equal(await page.locator('[data-testid=receipt-query-code]').isVisible(), true);
        // The margins of Chromium's print dialog (page.pdf() has none of its own).
        const margin = { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' };
        const pdf = await page.pdf({ format: 'A4', printBackground: true, margin });
        assert.ok(pdf.length > 1000, `the PDF has content (${pdf.length} bytes)`);
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
        const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
        assert.equal(pages.length, 1, 'the receipt prints on one A4 page');
        await writeFile(await artifactPath(`receipt-${backend}.pdf`), pdf);
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }

      const back = page.locator(`a[href="/staff/cases/${c.id}"]`);
      await clickAndWait(page, back);
      assert.equal(new URL(page.url()).pathname, `/staff/cases/${c.id}`);
    });

    test('correct the registration: new content and a second timeline entry', { timeout: STEP_TIMEOUT }, async () => {
      needCase();
      assert.ok(c.timelineLength, 'the case page was seen by the earlier step');
      await page.goto(`${server.url}/staff/cases/${c.id}`);
      const details = page.locator('details', { has: page.locator('summary', { hasText: '更正登记信息' }) });
      await details.locator('summary').click();
      await page.locator('#c-content').waitFor({ state: 'visible' });
      assert.equal(await page.inputValue('#c-content'), content, 'the form starts from the current content');
      await page.fill('#c-content', corrected);
      const resp = await clickAndWait(page, details.locator('button[type=submit]'));
      assert.equal(resp.status(), 200);
      assert.equal(new URL(page.url()).pathname, `/staff/cases/${c.id}`);
      assert.equal(await text(page.locator('[data-testid=content]')), corrected);
      const entries = await page.locator('[data-testid=timeline] li').allInnerTexts();
      assert.equal(entries.length, c.timelineLength + 1, `one entry more: ${JSON.stringify(entries)}`);
      assert.match(entries[0], /登记/);
      assert.match(entries.at(-1), /更正登记信息/, 'the new entry is the correction');
      await page.screenshot({ path: await artifactPath(`case-${backend}.png`), fullPage: true });
    });

    test('switch to English with the header link', { timeout: STEP_TIMEOUT }, async () => {
      await page.goto(`${server.url}/staff/cases`);
      assert.equal(await text(page.locator('h1')), '案件队列');
      await clickAndWait(page, page.locator('header a.lang'));
      assert.equal(new URL(page.url()).pathname, '/staff/cases', 'back on the same page');
      assert.equal(await text(page.locator('h1')), 'Case queue');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      // The choice is remembered.
      await page.goto(`${server.url}/staff/cases/new`);
      assert.ok(await page.getByRole('button', { name: 'Register and issue a receipt' }).isVisible());
    });

    test('log out: the queue then asks to log in', { timeout: STEP_TIMEOUT }, async () => {
      await page.goto(`${server.url}/staff/cases`);
      await clickAndWait(page, page.locator('header form[action="/staff/logout"] button'));
      assert.match(new URL(page.url()).pathname, /^\/staff\/login/);
      await page.goto(`${server.url}/staff/cases`);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/staff/login', 'redirected to the login page');
      assert.equal(url.searchParams.get('next'), '/staff/cases');
      await page.locator('#username').waitFor();
      assert.equal(await page.locator('[data-testid=who]').count(), 0);
    });

    test('admin pages: a new unit and clerk; the clerk sees only its own scope', { timeout: STEP_TIMEOUT }, async () => {
      needCase();
      const admin = await newPage(browser);
      const clerk = await newPage(browser);
      try {
        const a = admin.page;
        await login(a, server.url, 'admin', server.adminPassword);
        assert.equal(new URL(a.url()).pathname, '/staff/today');

        // A county unit under the root.
        await a.goto(`${server.url}/staff/admin/units`);
        assert.equal(await text(a.locator('h1')), '单位管理');
        await a.selectOption('#parent', 'ROOT');
        await a.fill('#code', '330106');
        await a.fill('#name', '西湖区信访局');
        await a.fill('#name_en', 'Xihu District Petitions Bureau');
        await a.selectOption('#level', 'county');
        let resp = await clickAndWait(a, a.locator('form[action="/staff/admin/units"] button[type=submit]'));
        assert.equal(resp.status(), 200, `creating the unit answered ${resp.status()}`);
        assert.equal(await a.locator('p.error').count(), 0, 'no error');
        assert.equal(await a.locator('table code', { hasText: /^330106$/ }).count(), 1, 'the unit is listed');

        // A clerk in it.
        const username = `clerk_${backend}`;
        const password = 'Clerk-pass-2024';
        await a.goto(`${server.url}/staff/admin/users`);
        assert.equal(await text(a.locator('h1')), '用户管理');
        await a.fill('#username', username);
        await a.fill('#display_name', '王五');
        await a.selectOption('#role', 'clerk');
        await a.selectOption('form[method=post][action="/staff/admin/users"] #unit', '330106');
        await a.fill('form[method=post][action="/staff/admin/users"] #password', password);
        resp = await clickAndWait(a, a.locator('form[method=post][action="/staff/admin/users"] button[type=submit]'));
        assert.equal(resp.status(), 200, `creating the user answered ${resp.status()}`);
        assert.equal(await a.locator('p.error').count(), 0, 'no error');
        // A new user's own page follows (the list is paged; each user has a page).
        assert.match(new URL(a.url()).pathname, /^\/staff\/admin\/users\/\d+$/);
        assert.match(await text(a.locator('main h1')), new RegExp(username), 'the new user\'s page');

        // The clerk, in a browser context of its own.
        const k = clerk.page;
        resp = await login(k, server.url, username, password);
        assert.equal(resp.status(), 200);
        assert.equal(new URL(k.url()).pathname, '/staff/today');
        assert.match(await text(k.locator('[data-testid=who]')), /王五/);
        assert.equal(await k.locator('header a[href="/staff/admin/units"]').count(), 0, 'a clerk has no admin links');
        await k.goto(`${server.url}/staff/cases`);
        await k.locator('h1').waitFor();
        assert.equal(await k.locator('table.queue a', { hasText: c.caseNo }).count(), 0, 'the admin\'s case is out of scope');
        await k.goto(`${server.url}/staff/cases?case_no=${encodeURIComponent(c.caseNo)}`);
        assert.equal(await k.locator('table.queue tbody tr').count(), 0, 'not even when searched by number');

        resp = await k.goto(`${server.url}/staff/cases/${c.id}`);
        assert.equal(resp.status(), 404, 'the admin\'s case page is a 404 for the clerk');
        assert.equal(await k.locator('[data-testid=case-no]').count(), 0);
        assert.ok(!(await k.locator('main').innerText()).includes(c.caseNo), 'nothing of the case leaks');
        assert.equal(await text(k.locator('main h1')), '未找到');
        await k.locator('main a[href="/staff/cases"]').waitFor();

        resp = await k.goto(`${server.url}/staff/cases/${c.id}/receipt`);
        assert.equal(resp.status(), 404, 'nor its receipt');

        resp = await k.goto(`${server.url}/staff/admin/units`);
        assert.equal(resp.status(), 403, 'a clerk cannot open the admin pages');
      } finally {
        await admin.context.close();
        await clerk.context.close();
      }
    });
  });
}
