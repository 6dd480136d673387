// Statistics in a real browser on SQLite and on PostgreSQL: a county clerk opens
// 统计 from the menu, sees the volumes by category as bars, clicks a bar and lands on the
// queue listing exactly that many cases; the drill-down and the volume by unit and the
// rates table; the page at 1366 px and at 360 px (no horizontal overflow), in Chinese and
// English. Screenshots go to e2e/artifacts/.

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
import { STEP_TIMEOUT, clickAndWait, newPage, login, text, changeAdminPassword } from '../lib/pages.mjs';

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };
const PASSWORD = 'Stats-e2e-pass-2026';

async function shoot(page, name) {
  await page.screenshot({ path: await artifactPath(name), fullPage: true });
}

async function noOverflow(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `${what} is ${w} px wide at 360`);
}

/** The number the queue says it lists: 共 N 件. */
async function queueCount(page) {
  const t = await text(page.locator('[data-testid=queue-count]'));
  const m = t.replace(/,/g, '').match(/(\d+)/);
  assert.ok(m, `count in "${t}"`);
  return Number(m[1]);
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`stats on ${backend}`, backend, pre);
    continue;
  }

  describe(`stats on ${backend}`, () => {
    let server;
    let browser;
    let clerk;

    before(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      await clerk?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    test('a clerk clicks a bar and the queue lists exactly its cases', { timeout: STEP_TIMEOUT }, async () => {
      await changeAdminPassword(server);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name, level, parent] of [
        ['330106', '杭州市西湖区信访局', 'county', 'ROOT'],
        ['330106-RS', '西湖区人力资源和社会保障局', 'department', '330106'],
      ]) {
        r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      r = await api.post('/api/v1/users', { data: { username: 'xihu.clerk', role: 'clerk', unit: '330106', password: PASSWORD } });
      assert.ok(r.ok(), await r.text());
      // Seven wage cases, three pension cases and two housing cases in the county, one
      // case in the root office the clerk does not see.
      const cases = [
        ...Array(5).fill(['labor.wages', '330106']),
        ...Array(2).fill(['labor.wages', '330106-RS']),
        ...Array(3).fill(['labor.pension', '330106']),
        ...Array(2).fill(['housing.property', '330106-RS']),
        ['labor.wages', 'ROOT'],
      ];
      for (const [category, unit] of cases) {
        r = await api.post('/api/v1/cases', {
          data: {
            channel: 'visit', type: 'claim', category, region: '330106', unit,
            petitioners: [{ name: '张三', phone: '13800000000', id_number: null, address: null }],
            headcount: 1, representatives: [], respondent: '', content: '反映拖欠问题。', demands: '请尽快处理。',
          },
        });
        assert.equal(r.status(), 201, await r.text());
      }
      await api.dispose();

      clerk = await newPage(browser);
      const page = clerk.page;
      await page.setViewportSize(WIDE);
      await login(page, server.url, 'xihu.clerk', PASSWORD);
      await clickAndWait(page, page.locator('[data-testid=nav-stats]'));
      assert.equal(new URL(page.url()).pathname, '/staff/stats');
      assert.match(await text(page.locator('[data-testid=stats-total]')), /合计 12 件/);
      const labor = page.locator('tr[data-key=labor]');
      assert.equal(await text(labor.locator('[data-testid=stats-count]')), '10');
      assert.equal(await page.locator('[data-testid=stats-rates] tbody tr').count(), 2, 'the county itself and its department');
      await shoot(page, `stats-1366-${backend}.png`);

      // The bar leads to the queue with exactly those cases, whatever their state.
      await clickAndWait(page, labor.locator('[data-testid=stats-bar]'));
      assert.equal(new URL(page.url()).pathname, '/staff/cases');
      assert.equal(await queueCount(page), 10);

      // Drill down into 劳动和社会保障, then to the wage cases.
      await page.goBack();
      await clickAndWait(page, labor.locator('a.drill'));
      const wages = page.locator('tr[data-key="labor.wages"]');
      assert.equal(await text(wages.locator('[data-testid=stats-count]')), '7');
      await clickAndWait(page, wages.locator('[data-testid=stats-bar]'));
      assert.equal(await queueCount(page), 7);

      // By unit: the county itself and its department, each a link to its own cases.
      await page.goto(`${server.url}/staff/stats?by=unit`);
      const own = page.locator('tr[data-key="330106!"]');
      assert.match(await text(own.locator('th')), /本级/);
      assert.equal(await text(own.locator('[data-testid=stats-count]')), '8');
      await clickAndWait(page, own.locator('[data-testid=stats-bar]'));
      assert.equal(await queueCount(page), 8);
      // The queue's own filter keeps the choice, so filtering further keeps those cases.
      assert.equal(await page.inputValue('select[name=unit]'), '330106!');

      // A rate's denominator opens the queue of exactly the cases it counts: the eight
      // petitions the county registered itself, counted by the repeat rate.
      await page.goto(`${server.url}/staff/stats`);
      const ownRates = page.locator('[data-testid=stats-rates] tbody tr.own');
      const repeat = ownRates.locator('td').nth(5);
      assert.equal(await text(repeat.locator('a[data-part=counted]')), '8');
      await clickAndWait(page, repeat.locator('a[data-part=counted]'));
      assert.equal(new URL(page.url()).pathname, '/staff/cases');
      assert.equal(await queueCount(page), 8);
      assert.match(await text(page.locator('[data-testid=rate-note]')), /重复信访率/);
      await shoot(page, `stats-rate-cases-${backend}.png`);

      await page.goto(`${server.url}/staff/stats`);
      await page.setViewportSize(PHONE);
      await page.reload();
      await noOverflow(page, 'the statistics page');
      await shoot(page, `stats-360-${backend}.png`);

      await page.setViewportSize(WIDE);
      await page.goto(`${server.url}/staff/stats?lang=en&by=unit`);
      assert.match(await text(page.locator('h1')), /Statistics/);
      await shoot(page, `stats-en-1366-${backend}.png`);
      await page.emulateMedia({ media: 'print' });
      await shoot(page, `stats-print-${backend}.png`);
      await page.emulateMedia({ media: 'screen' });
    });
  });
}
