// Linking a related case, in a real browser on SQLite and on PostgreSQL: an earlier
// petition on a wage matter is worked through reply, review and re-review until it is
// concluded (through the API). A clerk then registers a new petition on the same matter:
// while typing, the form lists the earlier case, flags it as concluded and names Art. 36;
// the clerk chooses to link it as the same matter, registers, and both case pages show
// the link and their timelines record it. Screenshots at 1366 px and 360 px go to
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
import { STEP_TIMEOUT, clickAndWait, newPage, login, text, todayIn, changeAdminPassword } from '../lib/pages.mjs';

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };
const PASSWORD = 'Test-password-1';
const COUNTY = { code: '330106', name: '西湖区信访局', level: 'county', parent: 'ROOT' };
// username → [role, unit]
const USERS = {
  sup: ['supervisor', 'ROOT'],
  hd: ['handler', COUNTY.code],
  ld: ['leader', COUNTY.code],
  rl: ['leader', 'ROOT'],
  ck: ['clerk', COUNTY.code],
};
const EARLIER = '我在西溪湿地旁的星河建筑工地做钢筋工，包工头拖欠我们十二个人三个月工资共计十八万元，多次讨要无果。';
const AGAIN = '星河建筑公司西溪工地拖欠我们钢筋工三个月的工资，一共十八万元，包工头一直拖着不给，请政府帮我们讨回工资。';

async function shoot(page, name) {
  await page.screenshot({ path: await artifactPath(name), fullPage: true });
}

async function apiAs(server, username, password) {
  const api = await request.newContext({ baseURL: server.url });
  const r = await api.post('/api/v1/session', { data: { username, password } });
  assert.ok(r.ok(), `${username} logs in: ${await r.text()}`);
  return api;
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`linking on ${backend}`, backend, pre);
    continue;
  }

  describe(`linking on ${backend}`, () => {
    let server;
    let browser;
    let clerk;
    const apis = [];

    before(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const a of apis) await a.dispose().catch(() => {});
      await clerk?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    test('a clerk sees the concluded earlier case, links it as the same matter, and both pages show it', { timeout: STEP_TIMEOUT }, async () => {
      await changeAdminPassword(server);
      const admin = await apiAs(server, 'admin', server.adminPassword);
      apis.push(admin);
      let r = await admin.post('/api/v1/units', { data: COUNTY });
      assert.ok(r.ok(), await r.text());
      for (const [username, [role, unit]] of Object.entries(USERS)) {
        r = await admin.post('/api/v1/users', {
          data: { username, role, unit, password: PASSWORD, display_name: `${username}-${role}` },
        });
        assert.ok(r.ok(), await r.text());
      }
      const as = {};
      for (const u of Object.keys(USERS)) {
        as[u] = await apiAs(server, u, PASSWORD);
        apis.push(as[u]);
      }

      // The earlier petition, worked until the re-review ends the procedure.
      r = await as.sup.post('/api/v1/cases', {
        data: {
          channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106',
          petitioners: [{ name: '李四', phone: '13800000000', id_number: null, address: null }],
          headcount: 1, representatives: [], respondent: '星河建筑公司', content: EARLIER,
          demands: '请求督促星河建筑公司支付拖欠的工资。',
        },
      });
      assert.equal(r.status(), 201, await r.text());
      const earlier = await r.json();
      const today = todayIn('Asia/Shanghai');
      const steps = [
        ['sup', 'route', { mode: 'transfer', unit: COUNTY.code }],
        ['hd', 'accept', {}],
        ['hd', 'reply', { outcome: 'explain', text: '已依法作出解释。', basis: '《劳动合同法》第三十条' }],
        ['ld', 'approve', {}],
        ['ck', 'deliver', { received_on: today }],
        ['ck', 'request_review', { reason: '不服' }],
        ['rl', 'review_decision', { outcome: 'uphold', text: '维持' }],
        ['rl', 'approve', {}],
        ['ck', 'deliver', { received_on: today }],
        ['ck', 'request_rereview', { reason: '仍不服' }],
        ['sup', 'rereview_decision', { outcome: 'uphold', text: '复核维持' }],
        ['rl', 'approve', {}],
        ['ck', 'deliver', { received_on: today }],
      ];
      let last;
      for (const [u, action, data] of steps) {
        r = await as[u].post(`/api/v1/cases/${earlier.id}/actions/${action}`, { data });
        assert.ok(r.ok(), `${u} ${action}: ${await r.text()}`);
        last = await r.json();
      }
      assert.equal(last.stage, 'concluded');

      // The clerk registers a new petition on the same matter.
      clerk = await newPage(browser);
      const page = clerk.page;
      await page.setViewportSize(WIDE);
      await login(page, server.url, 'ck', PASSWORD);
      const warning = page.locator('[data-testid=concluded-warning]');
      // What the form asks the server: the unit it registers to goes with the text.
      const asked = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/cases/similar')) asked.push(JSON.parse(r.postData() || '{}'));
      });
      // The index follows the feed a moment behind: retype until the case is suggested.
      let shown = false;
      for (let i = 0; i < 20 && !shown; i += 1) {
        await page.goto(`${server.url}/staff/cases/new`);
        await page.selectOption('#category', 'labor.wages');
        await page.fill('#region', '330106');
        await page.fill('input[name=p0_name]', '王五');
        await page.fill('input[name=p0_phone]', '13900000000');
        await page.fill('#respondent', '星河建筑');
        await page.fill('#content', AGAIN);
        await page.fill('#demands', '请求督促支付拖欠的工资。');
        await page.locator('#content').blur();
        try {
          await warning.waitFor({ state: 'visible', timeout: 3000 });
          shown = true;
        } catch {
          await page.waitForTimeout(500);
        }
      }
      assert.ok(shown, 'the register form flags the concluded earlier case');
      const title = await page.title();
      assert.ok(title.startsWith('登记') && !title.includes('<'), `the tab reads as a title: ${title}`);
      const unit = await page.inputValue('#unit');
      assert.ok(unit, 'the form has a unit chosen');
      assert.ok(asked.some((b) => b.unit === unit && b.region === '330106'), `the form sends its unit: ${JSON.stringify(asked)}`);
      const said = await text(warning);
      assert.ok(said.includes(earlier.case_no), `the warning names the earlier case: ${said}`);
      assert.ok(said.includes('第三十六条'), `the warning names Art. 36: ${said}`);
      const item = page.locator('[data-testid=similar-cases] li', { has: page.locator(`a[href="/staff/cases/${earlier.id}"]`) });
      assert.equal(await text(item.locator('[data-testid=similar-concluded]')), '已办结终结');
      await item.locator('[data-testid=link-choice]').selectOption('same_matter');
      await shoot(page, `linking-register-1366-${backend}.png`);
      await page.setViewportSize(PHONE);
      let o = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(o <= 360, `the form is ${o} px wide at 360`);
      await warning.scrollIntoViewIfNeeded();
      await shoot(page, `linking-register-360-${backend}.png`);
      await page.locator('[data-testid=similar-cases]').screenshot({ path: await artifactPath(`linking-register-360-related-${backend}.png`) });
      await page.setViewportSize(WIDE);

      const resp = await clickAndWait(page, page.getByRole('button', { name: '登记并出具回执' }));
      if (resp.status() !== 200) await shoot(page, `linking-register-refused-${backend}.png`);
      assert.equal(resp.status(), 200, await page.locator('.field-error').allInnerTexts().then((t) => t.join(' ')));
      const m = new URL(page.url()).pathname.match(/^\/staff\/cases\/(\d+)\/receipt$/);
      assert.ok(m, `landed on the receipt, not ${page.url()}`);
      const newId = m[1];
      const newNo = await text(page.locator('[data-testid=receipt-case-no]'));

      // The new case's page shows the earlier case, linked as the same matter.
      await page.goto(`${server.url}/staff/cases/${newId}`);
      let link = page.locator('[data-testid=link]');
      assert.equal(await link.count(), 1, 'one linked case');
      assert.equal(await text(link.locator('a')), earlier.case_no);
      assert.ok((await text(link)).includes('同一事项'));
      assert.ok((await text(page.locator('[data-testid=timeline]'))).includes(`与 ${earlier.case_no} 为同一事项`));
      await page.locator('[data-testid=links]').scrollIntoViewIfNeeded();
      await shoot(page, `linking-case-1366-${backend}.png`);

      // And the earlier case's page shows the new one.
      await clickAndWait(page, link.locator('a'));
      assert.equal(new URL(page.url()).pathname, `/staff/cases/${earlier.id}`);
      link = page.locator('[data-testid=link]');
      assert.equal(await text(link.locator('a')), newNo);
      assert.ok((await text(page.locator('[data-testid=timeline]'))).includes(`与 ${newNo} 为同一事项`));
      await page.setViewportSize(PHONE);
      await page.reload();
      o = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(o <= 360, `the case page is ${o} px wide at 360`);
      await page.locator('[data-testid=links]').scrollIntoViewIfNeeded();
      await shoot(page, `linking-case-360-${backend}.png`);
      await page.locator('[data-testid=links]').screenshot({ path: await artifactPath(`linking-case-360-links-${backend}.png`) });
    });
  });
}
