// A pilot office's first day, the queue and administration, in a real browser on SQLite
// and on PostgreSQL: the forced change of the one-time admin password; the queue with
// its stage column, result count, region names and partial case numbers, at 1366 px and
// at 360 px (no horizontal overflow of the page); the paged users list, a user's page
// and an add-user form that keeps what was typed. Screenshots go to e2e/artifacts/.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'playwright-core';
import {
  startServer,
  launchBrowser,
  artifactPath,
  postgresAvailable,
  chromiumAvailable,
  IN_CI,
} from '../lib/server.mjs';
import { prerequisites, missing } from '../lib/suite.mjs';
import { NAV_TIMEOUT, STEP_TIMEOUT, clickAndWait, newPage, login, text, ADMIN_PASSWORD } from '../lib/pages.mjs';

const PASSWORD = 'Pilot-pass-2026';
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };

/** Whether the page is wider than the window (it should never be). */
const overflow = (page) =>
  page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));

async function shoot(page, name) {
  await page.screenshot({ path: await artifactPath(name), fullPage: true });
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`pilot queue and admin on ${backend}`, backend, pre);
    continue;
  }

  describe(`pilot queue and admin on ${backend}`, () => {
    let server;
    let browser;
    let admin; // { context, page }
    let api;
    const cases = [];

    before(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      await api?.dispose().catch(() => {});
      await admin?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    test('first login: the one-time admin password must be changed before anything else', { timeout: STEP_TIMEOUT }, async () => {
      admin = await newPage(browser);
      const page = admin.page;
      let resp = await login(page, server.url, 'admin', server.adminPassword);
      assert.equal(resp.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/staff/account/password', 'sent to the change-password page');
      await page.locator('[data-testid=must-change]').waitFor();
      assert.equal(await page.locator('header nav').count(), 0, 'no menu until the password is changed');
      resp = await page.goto(`${server.url}/staff/admin/users`);
      assert.equal(new URL(page.url()).pathname, '/staff/account/password', 'every other page leads back');
      await page.setViewportSize(PHONE);
      await shoot(page, `pilot-first-login-360-${backend}.png`);
      await page.setViewportSize(WIDE);

      // A mistake keeps the user on the form, with the field named.
      await page.fill('#current_password', server.adminPassword);
      await page.fill('#new_password', ADMIN_PASSWORD);
      await page.fill('#confirm_password', `${ADMIN_PASSWORD}x`);
      resp = await clickAndWait(page, page.locator('form[action="/staff/account/password"] button[type=submit]'));
      assert.equal(resp.status(), 422);
      assert.match(await text(page.locator('.field-error')), /两次输入的新密码不一致/);

      await page.fill('#current_password', server.adminPassword);
      await page.fill('#new_password', ADMIN_PASSWORD);
      await page.fill('#confirm_password', ADMIN_PASSWORD);
      resp = await clickAndWait(page, page.locator('form[action="/staff/account/password"] button[type=submit]'));
      assert.equal(resp.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/staff/cases');
      assert.match(await text(page.locator('p.notice')), /密码已修改/);
      await page.locator('header nav a[href="/staff/admin/users"]').waitFor();
      server.adminPassword = ADMIN_PASSWORD;
      server.adminPasswordChanged = true;
    });

    test('set up regions, a supervisor and cases through the API', { timeout: STEP_TIMEOUT }, async () => {
      assert.ok(server.adminPasswordChanged, 'the first step changed the admin password');
      api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name, level, parent] of [
        ['330000', '浙江省信访局', 'province', 'ROOT'],
        ['330100', '杭州市信访局', 'city', '330000'],
        ['330106', '杭州市西湖区信访局', 'county', '330100'],
      ]) {
        r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      for (let i = 0; i < 7; i += 1) {
        r = await api.post('/api/v1/cases', {
          data: {
            channel: i % 2 ? 'letter' : 'visit', type: 'claim', category: 'labor.wages', region: '330106',
            petitioners: [{ name: '张三', phone: '13800000000', id_number: null, address: '西湖区文三路1号' }],
            headcount: 1, representatives: [], respondent: '某建筑公司',
            content: `第 ${i + 1} 件：拖欠工资三个月，共计两万元，多次催要未果。`, demands: '请求督促支付工资。',
          },
        });
        assert.equal(r.status(), 201, await r.text());
        cases.push(await r.json());
      }
      r = await api.post('/api/v1/users', { data: { username: 'pq.sup', role: 'supervisor', unit: 'ROOT', password: PASSWORD } });
      assert.ok(r.ok(), await r.text());
      const sup = await request.newContext({ baseURL: server.url });
      r = await sup.post('/api/v1/session', { data: { username: 'pq.sup', password: PASSWORD } });
      assert.ok(r.ok(), await r.text());
      r = await sup.post(`/api/v1/cases/${cases[0].id}/actions/route`, { data: { mode: 'self' } });
      assert.ok(r.ok(), await r.text());
      await sup.dispose();
    });

    test('the queue: stage column, count, region names, partial case numbers, no wrapping', { timeout: STEP_TIMEOUT }, async () => {
      assert.equal(cases.length, 7, 'the cases were registered');
      const page = admin.page;
      await page.setViewportSize(WIDE);
      let resp = await page.goto(`${server.url}/staff/cases`);
      assert.equal(resp.status(), 200);
      assert.equal(await text(page.locator('[data-testid=queue-count]')), '共 7 件');
      assert.ok((await page.locator('table.queue thead th').allTextContents()).includes('阶段'));
      const stages = await page.locator('table.queue [data-testid=stage]').allTextContents();
      assert.ok(stages.some((s) => s.includes('受理告知')), `a routed case shows its stage: ${stages}`);
      assert.ok(stages.some((s) => s.includes('待转送交办')), `the others wait for routing: ${stages}`);
      assert.ok(!stages.some((s) => s.trim() === '办理中'), 'the stage, not just "open"');
      assert.match(await text(page.locator('table.queue tbody tr').first()), /浙江省 › 杭州市 › 西湖区/, 'the region by name');
      // Case numbers and dates stay on one line.
      const lines = await page.locator('table.queue tbody td.nowrap').evaluateAll((tds) =>
        tds.map((td) => getComputedStyle(td).whiteSpace));
      assert.ok(lines.length > 0 && lines.every((w) => w === 'nowrap'), `${lines}`);
      const wrapped = await page.locator('table.queue tbody td.nowrap a').evaluateAll((as) =>
        as.filter((a) => a.getClientRects().length > 1).length);
      assert.equal(wrapped, 0, 'no case number wraps');
      await shoot(page, `pilot-queue-1366-${backend}.png`);

      // "000003" finds the third case.
      await page.fill('input[name=case_no]', '000003');
      await clickAndWait(page, page.locator('form.filters button[type=submit]'));
      assert.equal(await text(page.locator('[data-testid=queue-count]')), '共 1 件');
      assert.equal(await text(page.locator('table.queue tbody td a').first()), cases[2].case_no);

      // The region filter is a picker of names.
      await page.goto(`${server.url}/staff/cases`);
      const labels = await page.locator('[data-testid=region-filter] option').allTextContents();
      assert.ok(labels.some((l) => l.includes('杭州市')), `${labels}`);
      await page.selectOption('[data-testid=region-filter]', '3301');
      await clickAndWait(page, page.locator('form.filters button[type=submit]'));
      assert.equal(await text(page.locator('[data-testid=queue-count]')), '共 7 件');

      // Exporting the filtered list: a job page that shows progress, then the file.
      await clickAndWait(page, page.locator('[data-testid=export-csv]'));
      assert.match(page.url(), /\/staff\/exports\/\d+$/);
      const download = page.locator('[data-testid=export-download]');
      await download.waitFor({ timeout: NAV_TIMEOUT });
      assert.match(await text(page.locator('[data-testid=export-current]')), /导出完成，共导出案件数：\s*7/);
      const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
      const csv = (await readFile(await file.path(), 'utf8')).replace(/^\uFEFF/, '');
      const csvLines = csv.trim().split(/\r?\n/);
      assert.equal(csvLines.length, 8, `a heading and the 7 cases: ${csv}`);
      assert.ok(csvLines[0].startsWith("案件编号,"), csvLines[0]);
      assert.ok(cases.every((c) => csv.includes(c.case_no)), 'every case of the list is in the file');
      assert.ok(!csv.includes('信访人'), 'no personal columns unless asked for');
      await shoot(page, `export-1366-${backend}.png`);
      await page.setViewportSize(PHONE);
      assert.ok((await overflow(page)).scroll <= 360, 'the export page fits a phone');
      await shoot(page, `export-360-${backend}.png`);
      await page.setViewportSize(WIDE);

      // On a phone the page is no wider than the screen.
      await page.setViewportSize(PHONE);
      await page.goto(`${server.url}/staff/cases`);
      const o = await overflow(page);
      assert.ok(o.scroll <= 360, `the queue is ${o.scroll} px wide at 360`);
      assert.ok(await page.locator('table.queue tbody tr').first().isVisible());
      await shoot(page, `pilot-queue-360-${backend}.png`);
      await page.setViewportSize(WIDE);
    });

    test('users: a paged list with search, a page per user, and an add form that keeps what was typed', { timeout: STEP_TIMEOUT }, async () => {
      assert.ok(server.adminPasswordChanged);
      const page = admin.page;
      await page.setViewportSize(WIDE);
      let resp = await page.goto(`${server.url}/staff/admin/users`);
      assert.equal(resp.status(), 200);
      assert.match(await text(page.locator('[data-testid=users-count]')), /共 2 名用户/);

      // A failed add keeps the input and names each field in Chinese.
      await page.fill('#username', 'bad name!');
      await page.fill('#display_name', '李四');
      await page.selectOption('#role', 'supervisor');
      await page.selectOption('form[method=post][action="/staff/admin/users"] #unit', '330106');
      await page.fill('form[method=post][action="/staff/admin/users"] #password', 'short');
      resp = await clickAndWait(page, page.locator('form[method=post][action="/staff/admin/users"] button[type=submit]'));
      assert.equal(resp.status(), 422);
      const errors = await text(page.locator('[data-testid=form-errors]'));
      assert.match(errors, /用户名：/);
      assert.match(errors, /密码：/);
      assert.ok(!/password|username/.test(errors), `no field keys: ${errors}`);
      assert.equal(await page.inputValue('#username'), 'bad name!');
      assert.equal(await page.inputValue('#display_name'), '李四');
      assert.equal(await page.inputValue('#role'), 'supervisor');
      assert.equal(await page.inputValue('form[method=post][action="/staff/admin/users"] #unit'), '330106');
      await shoot(page, `pilot-add-user-error-1366-${backend}.png`);

      await page.fill('#username', `pilot.sup.${backend}`);
      await page.fill('form[method=post][action="/staff/admin/users"] #password', PASSWORD);
      resp = await clickAndWait(page, page.locator('form[method=post][action="/staff/admin/users"] button[type=submit]'));
      assert.equal(resp.status(), 200);
      assert.match(new URL(page.url()).pathname, /^\/staff\/admin\/users\/\d+$/);
      assert.match(await text(page.locator('main h1')), /李四/);

      // Change the role on the user's page.
      await page.selectOption('[data-testid=user-edit] #role', 'handler');
      resp = await clickAndWait(page, page.locator('[data-testid=user-edit] button[type=submit]'));
      assert.equal(resp.status(), 200);
      assert.equal(await page.inputValue('[data-testid=user-edit] #role'), 'handler');
      await shoot(page, `pilot-user-page-1366-${backend}.png`);
      await page.setViewportSize(PHONE);
      await page.reload();
      let o = await overflow(page);
      assert.ok(o.scroll <= 360, `the user page is ${o.scroll} px wide at 360`);
      await shoot(page, `pilot-user-page-360-${backend}.png`);

      // Search, and the list at 360 px.
      await page.goto(`${server.url}/staff/admin/users?q=${encodeURIComponent('李四')}`);
      assert.match(await text(page.locator('[data-testid=users-count]')), /共 1 名用户/);
      await page.goto(`${server.url}/staff/admin/users`);
      o = await overflow(page);
      assert.ok(o.scroll <= 360, `the users list is ${o.scroll} px wide at 360`);
      await shoot(page, `pilot-users-360-${backend}.png`);
      await page.setViewportSize(WIDE);
      await page.reload();
      await shoot(page, `pilot-users-1366-${backend}.png`);

      // The audit log names the change in Chinese.
      await page.goto(`${server.url}/staff/audit`);
      const audit = await text(page.locator('[data-testid=audit]'));
      assert.match(audit, /变更角色/);
      assert.match(audit, /督办员 → 承办人/);
      await shoot(page, `pilot-audit-1366-${backend}.png`);
    });
  });
}
