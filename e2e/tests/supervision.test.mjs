// Supervision in a real browser, on SQLite and on PostgreSQL: a supervisor at the city
// petition office sees a late county case on the supervision board, follows it to the
// case, issues a supervision order (督办单), opens the printable order; the county clerk
// answers it in writing; the case's timeline shows the order and the reply. Screenshots
// of the board, the order and the printable order at 1366 px and 360 px go to
// e2e/artifacts/.

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
import { STEP_TIMEOUT, clickAndWait, newPage, login, text, changeAdminPassword, todayIn } from '../lib/pages.mjs';

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };
const PASSWORD = 'Supervision-e2e-2026';

/** The office's date `n` days ago. */
function daysAgo(n) {
  const d = new Date(`${todayIn()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`supervision on ${backend}`, backend, pre);
    continue;
  }

  describe(`supervision on ${backend}`, () => {
    let server;
    let browser;
    const open = [];

    before(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const s of open) await s.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    async function as(username) {
      const s = await newPage(browser);
      open.push(s);
      await s.page.setViewportSize(WIDE);
      const resp = await login(s.page, server.url, username, PASSWORD);
      assert.equal(resp.status(), 200, `${username} logs in`);
      await s.page.locator('[data-testid=who]').waitFor();
      return s.page;
    }

    async function shots(page, name) {
      await page.setViewportSize(WIDE);
      await page.screenshot({ path: await artifactPath(`supervision-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: await artifactPath(`supervision-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
      assert.ok(width <= 360, `${name} is ${width} px wide at 360`);
    }

    test('a late county case is pressed from the city and answered in writing', { timeout: STEP_TIMEOUT }, async () => {
      await changeAdminPassword(server);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name, level, parent] of [
        ['330100', '杭州市信访局', 'city', 'ROOT'],
        ['330106', '杭州市西湖区信访局', 'county', '330100'],
      ]) {
        r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      for (const [username, role, unit] of [
        ['hz.supervisor', 'supervisor', '330100'],
        ['xihu.clerk', 'clerk', '330106'],
      ]) {
        r = await api.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }
      // A petition the county received 40 days ago and never routed (15 days allowed).
      r = await api.post('/api/v1/cases', {
        data: {
          channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106', unit: '330106',
          received_on: daysAgo(40),
          petitioners: [{ name: '张三', phone: '13800000000', id_number: null, address: null }],
          headcount: 1, representatives: [], respondent: '某建筑公司',
          content: '在某工地务工，被拖欠工资三个月。', demands: '请求督促支付工资。',
        },
      });
      assert.equal(r.status(), 201, await r.text());
      const late = await r.json();
      // A second petition on the same site, received two days ago: not late yet, but the
      // order names it too.
      r = await api.post('/api/v1/cases', {
        data: {
          channel: 'phone', type: 'claim', category: 'labor.wages', region: '330106', unit: '330106',
          received_on: daysAgo(2),
          petitioners: [{ name: '李四', phone: '13800000001', id_number: null, address: null }],
          headcount: 1, representatives: [], respondent: '某建筑公司',
          content: '同一工地，工资也被拖欠。', demands: '请求支付工资。',
        },
      });
      assert.equal(r.status(), 201, await r.text());
      const related = await r.json();
      await api.dispose();

      // The city's supervisor opens the board from the header.
      const sup = await as('hz.supervisor');
      await clickAndWait(sup, sup.locator('[data-testid=nav-supervision]'));
      assert.equal(new URL(sup.url()).pathname, '/staff/supervision');
      const county = sup.locator('[data-testid=board] tr[data-unit="330106"]');
      assert.match(await text(county.locator('td[data-stage=routing]')), /超期 1/);
      const lateRow = sup.locator('[data-testid=late-cases] tbody tr').first();
      assert.equal(await text(lateRow.locator('a')), late.case_no);
      assert.match(await text(lateRow.locator('[data-testid=days-late]')), /^\d+ 天$/);
      await shots(sup, 'board');

      // The figure opens the queue of exactly that case.
      await clickAndWait(sup, county.locator('td[data-stage=routing] a[data-testid=overdue]'));
      assert.match(await text(sup.locator('[data-testid=queue-count]')), /共 1 件/);
      await sup.goBack();

      // From the late case to its page, where the order is issued.
      await clickAndWait(sup, sup.locator('[data-testid=late-cases] tbody tr').first().locator('a'));
      await sup.locator('[data-testid=issue-order] summary').click();
      await sup.fill('#sv-reason', '该事项登记后逾期未转送交办，已超过法定期限。');
      await sup.fill('#sv-requirements', '请于收到督办单后五日内转送有权处理机关，并书面报告办理情况。');
      assert.equal(await sup.inputValue('#sv-days'), '30');
      await sup.fill('[data-testid=order-case-nos]', related.case_no);
      await clickAndWait(sup, sup.locator('[data-testid=issue-order] button[type=submit]'));
      assert.match(new URL(sup.url()).pathname, /^\/staff\/supervision\/orders\/\d+$/);
      const orderNo = await text(sup.locator('[data-testid=order-no]'));
      assert.match(orderNo, /^330100-DB-\d{4}-0001$/);
      assert.match(await text(sup.locator('[data-testid=order-state]')), /待答复，剩余 \d+ 天/);
      await shots(sup, 'order');

      // The printable order.
      await clickAndWait(sup, sup.locator('[data-testid=print-order]'));
      const doc = sup.locator('[data-testid=order-document]');
      assert.equal(await text(doc.locator('[data-testid=issuer]')), '杭州市信访局');
      assert.match(await text(doc), /信访事项督办单/);
      assert.match(await text(doc), new RegExp(late.case_no));
      assert.match(await text(doc), new RegExp(related.case_no), 'the second case is on the order');
      assert.match(await text(doc.locator('[data-testid=print-due]')), /^\d{4}年\d{1,2}月\d{1,2}日$/);
      await shots(sup, 'print');

      // The county clerk is told, opens the order and answers it.
      const clerk = await as('xihu.clerk');
      await clerk.goto(`${server.url}/staff/notifications`);
      assert.match(await text(clerk.locator('[data-testid=notifications]')), /收到督办单/);
      await clerk.goto(sup.url().replace(/\/print$/, ''));
      await clerk.fill('#reply-text', '已于今日转送区人社局办理，办理结果将按期书面报告。');
      await clickAndWait(clerk, clerk.locator('[data-testid=reply-form] button[type=submit]'));
      assert.match(await text(clerk.locator('[data-testid=order-state]')), /已答复/);
      assert.match(await text(clerk.locator('[data-testid=order-reply]')), /已于今日转送区人社局办理/);

      // The case's timeline shows the order and the reply.
      await clerk.goto(`${server.url}/staff/cases/${late.id}`);
      const timeline = clerk.locator('[data-testid=timeline]');
      assert.match(await text(timeline.locator('li[data-kind=supervision_ordered]')), new RegExp(orderNo));
      assert.match(await text(timeline.locator('li[data-kind=supervision_answered]')), /已于今日转送区人社局办理/);
      assert.match(await text(clerk.locator('[data-testid=case-orders]')), /已答复/);
      await shots(clerk, 'case');

      // A second order on the newer case was issued in error: the city withdraws it, and
      // the case's timeline says why.
      await sup.goto(`${server.url}/staff/cases/${related.id}`);
      await sup.locator('[data-testid=issue-order] summary').click();
      await sup.fill('#sv-reason', '请加快办理。');
      await clickAndWait(sup, sup.locator('[data-testid=issue-order] button[type=submit]'));
      await sup.locator('[data-testid=withdraw] summary').click();
      await sup.fill('#withdraw-reason', '误发：该件尚在办理期限内。');
      await clickAndWait(sup, sup.locator('[data-testid=withdraw-form] button[type=submit]'));
      assert.match(await text(sup.locator('[data-testid=order-state]')), /已撤回/);
      assert.match(await text(sup.locator('[data-testid=order-withdrawn]')), /误发：该件尚在办理期限内/);
      assert.equal(await sup.locator('[data-testid=remind-form]').count(), 0, 'no reminder after withdrawal');
      await shots(sup, 'withdrawn');
      await clerk.goto(`${server.url}/staff/cases/${related.id}`);
      assert.match(await text(clerk.locator('[data-testid=timeline] li[data-kind=supervision_withdrawn]')), /误发：该件尚在办理期限内/);
    });
  });
}
