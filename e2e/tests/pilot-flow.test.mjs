// A pilot office's first day, in a real browser, on SQLite and on PostgreSQL: the root
// admin sets the provincial petition bureau as the intake office; a citizen submits on
// a phone; the bureau's supervisor sees the petition in the queue and transfers it to a
// district department; that department's handler is notified, accepts it and drafts
// the reply; its leader is notified and signs it off; the handler records delivery; the
// citizen reads the reply on /track. The pages this touches are saved at 1366 and
// 360 px.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
import {
  STEP_TIMEOUT,
  ACTION_TIMEOUT,
  NAV_TIMEOUT,
  changeAdminPassword,
  clickAndWait,
  login,
  text,
  todayIn,
} from '../lib/pages.mjs';

const PASSWORD = 'Test-password-1';
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };
const REPLY = '经调查，该公司确实拖欠您三个月工资，已责令其于十日内全额支付。';
const BASIS = '《保障农民工工资支付条例》第十五条';
const DEPT = '330106-RS';
const DEPT_NAME = '西湖区人力资源和社会保障局';

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    describe(`pilot day on ${backend}`, () => {
      if (IN_CI) test('prerequisites are present', () => assert.fail(`${backend}: ${pre.reason}`));
      else test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
    });
    continue;
  }

  describe(`pilot day on ${backend}`, () => {
    let server;
    let browser;
    let api;
    const staff = {}; // username → { context, page }, logged in
    let citizen; // { context, page }: a phone, JavaScript off
    const c = { caseNo: null, code: null, id: null };

    before(async () => {
      server = await startServer(backend);
      // The one-time admin password must be changed first (the forced first-login change).
      await changeAdminPassword(server);
      browser = await launchBrowser();
      api = await request.newContext({ baseURL: server.url });
      const r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), `admin logs in: ${r.status()}`);
      citizen = await context(PHONE, false);
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const s of Object.values(staff)) await s.context.close().catch(() => {});
      await citizen?.context.close().catch(() => {});
      await api?.dispose().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    async function context(viewport, js = true) {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN', javaScriptEnabled: js });
      ctx.setDefaultTimeout(ACTION_TIMEOUT);
      ctx.setDefaultNavigationTimeout(NAV_TIMEOUT);
      return { context: ctx, page: await ctx.newPage() };
    }

    async function as(username) {
      if (staff[username]) return staff[username].page;
      const s = await context(WIDE);
      staff[username] = s;
      const resp = await login(s.page, server.url, username, PASSWORD);
      assert.equal(resp.status(), 200, `${username} logs in`);
      await s.page.locator('[data-testid=who]').waitFor();
      return s.page;
    }

    /** Saves the page at 1366 px and at 360 px. */
    async function shots(page, name) {
      await page.setViewportSize(WIDE);
      await page.screenshot({ path: await artifactPath(`pilot-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: await artifactPath(`pilot-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
    }

    const stageOf = (page) => text(page.locator('[data-testid=stage]'));
    const form = (page, action) => page.locator(`[data-testid=actions] details[data-action="${action}"]`);

    async function takeAction(page, action, fields = {}) {
      const details = form(page, action);
      assert.equal(await details.count(), 1, `the ${action} form is offered`);
      await details.locator(':scope > summary').click();
      for (const [name, value] of Object.entries(fields)) {
        const field = page.locator(`#${action}-${name}`);
        if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      const resp = await clickAndWait(page, details.locator('button[type=submit]'));
      assert.equal(resp.status(), 200, `${action} answered ${resp.status()}`);
      assert.equal(new URL(page.url()).searchParams.get('saved'), '1', `${action} was saved`);
    }

    async function openCase(page) {
      const resp = await page.goto(`${server.url}/staff/cases/${c.id}`);
      assert.equal(resp.status(), 200);
      await page.locator('[data-testid=stage]').waitFor();
    }

    test('the office is set up: units, people, and the intake office on its admin page', { timeout: STEP_TIMEOUT }, async () => {
      for (const [code, name, level, parent] of [
        ['330000', '浙江省信访局', 'province', 'ROOT'],
        ['330100', '杭州市信访局', 'city', '330000'],
        ['330106', '杭州市西湖区信访局', 'county', '330100'],
        [DEPT, DEPT_NAME, 'department', '330106'],
      ]) {
        const r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      for (const [username, role, unit] of [
        ['root.admin', 'admin', 'ROOT'],
        ['prov.supervisor', 'supervisor', '330000'],
        ['xihu.rs.handler', 'handler', DEPT],
        ['xihu.rs.leader', 'leader', DEPT],
      ]) {
        const r = await api.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }
      const page = await as('root.admin');
      await page.goto(`${server.url}/staff/admin/intake`);
      assert.equal(await page.locator('[data-testid=intake-unset]').count(), 1, 'the page says none is set');
      await page.selectOption('#region_prefix', '');
      await page.selectOption('#unit', '330000');
      await clickAndWait(page, page.locator('[data-testid=intake-form] button[type=submit]'));
      assert.match(await text(page.locator('[data-testid=intake-offices]')), /浙江省信访局 \(330000\)/);
      assert.equal(await page.locator('[data-testid=intake-unset]').count(), 0);
      await shots(page, 'admin-intake');
      // Staff looking at the portal are told the contact block is not published yet.
      await page.goto(`${server.url}/`);
      assert.match(await text(page.locator('[data-testid=contact-unpublished]')), /尚未公布/);
      await shots(page, 'home-staff');
    });

    test('a citizen submits online on a phone and the receipt says how to track it', { timeout: STEP_TIMEOUT }, async () => {
      const { page } = citizen;
      await page.goto(`${server.url}/`);
      assert.equal(await page.locator('[data-testid=contact-unpublished]').count(), 0, 'the public sees no staff note');
      await page.goto(`${server.url}/submit`);
      await page.check('#type-claim');
      await page.selectOption('#category', 'labor.wages');
      await page.fill('#region', '330106');
      await page.fill('#respondent', '某建筑公司');
      await page.fill('#content', '我在西湖区某工地务工，被拖欠工资三个月，共计两万元。');
      await page.fill('#demands', '请求督促支付拖欠的工资。');
      await page.fill('#name', '张三');
      await page.fill('#phone', '13800000000');
      await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/submit/receipt');
      c.caseNo = await text(page.locator('[data-testid=receipt-case-no]'));
      c.code = await text(page.locator('[data-testid=receipt-query-code]'));
      assert.match(c.caseNo, /^330000-\d{4}-\d{6}$/, 'numbered by the intake office');
      const how = await text(page.locator('[data-testid=receipt-tracking]'));
      for (const want of [`${server.url}/track`, c.caseNo, c.code]) assert.ok(how.includes(want), `the receipt names ${want}: ${how}`);
      await shots(page, 'receipt');
    });

    test('the intake supervisor sees it in the queue and transfers it to the district department', { timeout: STEP_TIMEOUT }, async () => {
      assert.ok(c.caseNo, 'submitted');
      const page = await as('prov.supervisor');
      await page.goto(`${server.url}/staff/cases`);
      const link = page.locator(`a:has-text("${c.caseNo}")`).first();
      await link.waitFor();
      await clickAndWait(page, link);
      c.id = Number(new URL(page.url()).pathname.split('/').pop());
      assert.ok(c.id > 0);
      assert.equal(await stageOf(page), '待转送交办');
      assert.match(await text(page.locator('[data-testid=holder-waiting]')), /转送交办/);
      await takeAction(page, 'route', { mode: 'transfer', unit: DEPT });
      assert.equal(await stageOf(page), '受理告知');
    });

    test('the department handler is notified, accepts it and drafts the reply', { timeout: STEP_TIMEOUT }, async () => {
      assert.ok(c.id, 'routed');
      const page = await as('xihu.rs.handler');
      assert.match(await text(page.locator('[data-testid=nav-notifications]')), /1/, 'the header counts the notification');
      await page.goto(`${server.url}/staff/notifications`);
      const row = await text(page.locator('[data-testid=notifications] tbody tr').first());
      assert.ok(row.includes(c.caseNo) && row.includes('新转入本单位的信访事项'), row);
      await shots(page, 'notifications');
      await openCase(page);
      await takeAction(page, 'accept');
      assert.equal(await stageOf(page), '办理');
      await takeAction(page, 'reply', { outcome: 'support', text: REPLY, basis: BASIS });
      assert.equal(await stageOf(page), '办理', 'a draft waits for sign-off');
      assert.match(await text(page.locator('[data-testid=sign-off-draft]')), /待领导签发/);
      assert.match(await text(page.locator('[data-testid=holder-waiting]')), /领导签发/);
      assert.equal(await form(page, 'approve').count(), 0, 'a handler cannot sign off');
      await shots(page, 'case-draft');
    });

    test('the citizen does not see the draft', { timeout: STEP_TIMEOUT }, async () => {
      const r = await citizen.context.request.get(`${server.url}/api/v1/public/cases/${c.caseNo}?code=${c.code}`);
      assert.ok(!(await r.text()).includes(REPLY));
    });

    test('the department leader is notified and signs it off', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('xihu.rs.leader');
      await page.goto(`${server.url}/staff/notifications`);
      assert.match(await text(page.locator('[data-testid=notifications]')), /待您签发/);
      await openCase(page);
      assert.match(await text(page.locator('[data-testid=draft-text]')), /已责令其于十日内全额支付/);
      await shots(page, 'case-sign-off');
      await takeAction(page, 'approve');
      assert.equal(await stageOf(page), '待送达答复');
      assert.equal(await page.locator('[data-testid=sign-off-draft]').count(), 0);
    });

    test('the handler records delivery and the citizen reads the reply on /track', { timeout: STEP_TIMEOUT }, async () => {
      const staffPage = await as('xihu.rs.handler');
      await openCase(staffPage);
      await takeAction(staffPage, 'deliver', { received_on: todayIn('Asia/Shanghai') });
      assert.equal(await stageOf(staffPage), '复查申请期');

      const { page } = citizen;
      await citizen.context.clearCookies();
      await page.goto(`${server.url}/track`);
      await page.fill('#number', c.caseNo);
      await page.fill('#code', c.code);
      await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/track/view');
      const notices = await text(page.locator('[data-testid=notices]'));
      assert.ok(notices.includes(REPLY), `the reply is readable: ${notices}`);
      assert.ok(notices.includes(BASIS), 'with its legal basis');
      assert.equal(await text(page.locator('[data-testid=unit]')), DEPT_NAME);
      await shots(page, 'track');
    });
  });
}
