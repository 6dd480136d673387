// The annual report and hotspots in a real browser, on SQLite and on PostgreSQL: the
// city supervisor generates the county's annual report, whose figures match the API;
// the admin edits the report's wording and the report shows it; the print version is a
// clean document. Three petitions against one company this month (none before) make a
// hotspot that links to exactly those cases; the supervisor gives it to a leader.
// Screenshots at 1366 px and 360 px go to e2e/artifacts/.

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
const PASSWORD = 'Annual-e2e-2026';

/** The office's date `n` days ago. */
function daysAgo(n) {
  const d = new Date(`${todayIn()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`annual report and hotspots on ${backend}`, backend, pre);
    continue;
  }

  describe(`annual report and hotspots on ${backend}`, () => {
    let server;
    let browser;
    let api;
    const open = [];

    before(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const s of open) await s.context.close().catch(() => {});
      await api?.dispose().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    async function as(username, password = PASSWORD) {
      const s = await newPage(browser);
      open.push(s);
      await s.page.setViewportSize(WIDE);
      const resp = await login(s.page, server.url, username, password);
      assert.equal(resp.status(), 200, `${username} logs in`);
      await s.page.locator('[data-testid=who]').waitFor();
      return s.page;
    }

    async function shots(page, name) {
      await page.setViewportSize(WIDE);
      await page.screenshot({ path: await artifactPath(`annual-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: await artifactPath(`annual-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
      assert.ok(width <= 360, `${name} is ${width} px wide at 360`);
    }

    async function petition(respondent, days, content) {
      const r = await api.post('/api/v1/cases', {
        data: {
          channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106', unit: '330106',
          received_on: daysAgo(days),
          petitioners: [{ name: '李四', phone: '13900000000', id_number: null, address: null }],
          headcount: 1, representatives: [], respondent, content, demands: '请求处理。',
        },
      });
      assert.equal(r.status(), 201, await r.text());
      return r.json();
    }

    test('the annual report follows the figures and the wording; a rising matter is a hotspot', { timeout: STEP_TIMEOUT * 2 }, async () => {
      await changeAdminPassword(server);
      api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name, level, parent] of [
        ['330100', '杭州市信访局', 'city', 'ROOT'],
        ['330106', '杭州市西湖区信访局', 'county', '330100'],
      ]) {
        r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      for (const [username, role, unit, display_name] of [
        ['hz.supervisor', 'supervisor', '330100', '赵督查'],
        ['hz.leader', 'leader', '330100', '钱主任'],
      ]) {
        r = await api.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD, display_name } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }
      // A matter that was already there before this month.
      await petition('某街道办', 45, '街道路灯损坏多日无人修理。');

      const sup = await as('hz.supervisor');
      // No hotspot for the company yet.
      await sup.goto(`${server.url}/staff/hotspots?unit=330106`);
      assert.equal(await sup.locator('[data-testid=hotspot][data-key="respondent:华安物业公司"]').count(), 0);

      // Three petitions against one company this month.
      const cases = [];
      for (const [d, content] of [[1, '华安物业长期不维修电梯，老人上下楼困难。'], [3, '小区电梯多次困人，华安物业不予处理。'], [6, '华安物业乱收停车费。']]) {
        cases.push(await petition(d === 3 ? '华安 物业公司' : '华安物业公司', d, content));
      }
      const year = todayIn().slice(0, 4);

      // The annual report, from the header.
      await clickAndWait(sup, sup.locator('[data-testid=nav-annual]'));
      await sup.selectOption('[data-testid=annual-unit]', '330106');
      await sup.fill('[data-testid=annual-year]', year);
      await sup.fill('[data-testid=annual-done]', '开展物业服务专项治理。');
      await clickAndWait(sup, sup.locator('[data-testid=annual-show]'));
      r = await api.get(`/api/v1/reports/annual?unit=330106&year=${year}`);
      assert.ok(r.ok(), await r.text());
      const figures = await r.json();
      const q = await (await api.get(`/api/v1/cases?unit=330106&from=${year}-01-01&to=${year}-12-31&limit=1`)).json();
      assert.equal(figures.total, q.total, 'the API figure is the queue count');
      assert.equal(await text(sup.locator('[data-testid=annual-total]')), String(figures.total));
      for (const m of figures.months) {
        const cell = sup.locator(`[data-testid=annual-months] a[data-month="${m.month.slice(5)}"]`);
        assert.equal(await text(cell), String(m.count), m.month);
      }
      assert.match(await text(sup.locator('[data-testid=annual-top-respondents]')), /华安物业公司\s*3/);
      const body = await text(sup.locator('[data-testid=annual-text]'));
      assert.match(body, new RegExp(`共登记信访事项${figures.total}件`));
      assert.match(body, /开展物业服务专项治理/);
      await shots(sup, 'report');

      // The print version: the document alone.
      await clickAndWait(sup, sup.locator('[data-testid=annual-print]'));
      const doc = sup.locator('[data-testid=annual-print-doc]');
      assert.match(await text(doc.locator('[data-testid=annual-title]')), new RegExp(`杭州市西湖区信访局${year}年度信访工作报告`));
      assert.equal(await sup.locator('header.top').count(), 0, 'no header on the print version');
      await sup.emulateMedia({ media: 'print' });
      assert.equal(await sup.locator('nav.no-print').isVisible(), false, 'the back link does not print');
      await sup.screenshot({ path: await artifactPath(`annual-print-${backend}.png`), fullPage: true });
      await sup.emulateMedia({ media: 'screen' });
      await shots(sup, 'print');

      // The admin edits the wording; the report shows it.
      const admin = await as('admin', server.adminPassword);
      await admin.goto(`${server.url}/staff/annual-report/template`);
      await admin.fill('[data-testid=annual-template-zh]', '{year}年，{unit}共受理{total}件，被反映最多的是{top_respondent}。\n\n工作：{done}');
      await clickAndWait(admin, admin.locator('[data-testid=annual-template-save]'));
      assert.match(await text(admin.locator('[data-testid=annual-template-saved]')), /措辞已保存/);
      await shots(admin, 'template');
      await sup.goto(`${server.url}/staff/annual-report?unit=330106&year=${year}&done=${encodeURIComponent('开展物业服务专项治理。')}`);
      const edited = await text(sup.locator('[data-testid=annual-text]'));
      assert.match(edited, new RegExp(`${year}年，杭州市西湖区信访局共受理${figures.total}件，被反映最多的是华安物业公司。`));
      assert.match(edited, /工作：开展物业服务专项治理/);

      // The hotspot: exactly the three cases, rising from none.
      await sup.goto(`${server.url}/staff/hotspots?unit=330106`);
      const spot = sup.locator('[data-testid=hotspot][data-key="respondent:华安物业公司"]');
      await spot.waitFor();
      assert.equal(await text(spot.locator('[data-testid=hotspot-trend]')), '本期 3 件，上期 0 件');
      const linked = await spot.locator('[data-testid=hotspot-cases] a').evaluateAll((as) => as.map((a) => Number(a.dataset.caseId)));
      assert.deepEqual([...linked].sort((a, b) => a - b), cases.map((c) => c.id).sort((a, b) => a - b));
      assert.equal(await spot.locator('svg.spark polyline').count(), 1, 'a sparkline');
      const dispute = new URL(await spot.locator('[data-testid=hotspot-dispute]').getAttribute('href'), server.url);
      assert.equal(dispute.pathname, '/staff/disputes/new');
      assert.equal(dispute.searchParams.get('hotspot'), 'respondent:华安物业公司');
      assert.deepEqual(dispute.searchParams.get('cases').split(',').map(Number).sort((a, b) => a - b), cases.map((c) => c.id).sort((a, b) => a - b));
      await shots(sup, 'hotspots');

      // Given to a leader.
      await spot.locator('[data-testid=hotspot-owner-select]').selectOption({ label: '钱主任 (杭州市信访局)' });
      await clickAndWait(sup, spot.locator('[data-testid=hotspot-assign]'));
      assert.match(await text(sup.locator('[data-testid=hotspot-assigned]')), /已指定包案领导/);
      const owned = sup.locator('[data-testid=hotspot][data-key="respondent:华安物业公司"] [data-testid=hotspot-owner]');
      assert.match(await text(owned), /钱主任/);

      // A case link opens the case.
      await clickAndWait(sup, sup.locator('[data-testid=hotspot][data-key="respondent:华安物业公司"] [data-testid=hotspot-cases] a').first());
      assert.match(new URL(sup.url()).pathname, /^\/staff\/cases\/\d+$/);
    });
  });
}
