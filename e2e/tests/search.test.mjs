// Search from the header, in a real browser on SQLite and on PostgreSQL: a clerk types a
// three-character place name in the header's search box on the queue page and sees the
// case with the place highlighted; the results page at 1366 px and at 360 px (no
// horizontal overflow). Screenshots go to e2e/artifacts/.

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

async function shoot(page, name) {
  await page.screenshot({ path: await artifactPath(name), fullPage: true });
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`search on ${backend}`, backend, pre);
    continue;
  }

  describe(`search on ${backend}`, () => {
    let server;
    let browser;
    let admin;

    before(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      await admin?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    test('the header search box finds a place name and highlights it', { timeout: STEP_TIMEOUT }, async () => {
      await changeAdminPassword(server);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      let target;
      for (const content of [
        '三里屯路口的红绿灯坏了一个多月，早晚高峰经常堵车，差点出了事故。',
        '小区物业公司擅自提高物业费，没有召开业主大会。',
      ]) {
        r = await api.post('/api/v1/cases', {
          data: {
            channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106',
            petitioners: [{ name: '张三', phone: '13800000000', id_number: null, address: null }],
            headcount: 1, representatives: [], respondent: '', content, demands: '请尽快处理。',
          },
        });
        assert.equal(r.status(), 201, await r.text());
        target ??= await r.json();
      }
      await api.dispose();

      admin = await newPage(browser);
      const page = admin.page;
      await page.setViewportSize(WIDE);
      await login(page, server.url, 'admin', server.adminPassword);
      // The index follows the feed a moment behind: search until the case is there.
      let found = false;
      for (let i = 0; i < 40 && !found; i += 1) {
        await page.goto(`${server.url}/staff/cases`);
        await page.fill('[data-testid=header-search]', '三里屯');
        await clickAndWait(page, page.locator('form.search-box button[type=submit]'));
        found = (await page.locator('[data-testid=search-results] li').count()) > 0;
        if (!found) await page.waitForTimeout(250);
      }
      assert.ok(found, 'the case was found');
      assert.equal(new URL(page.url()).pathname, '/staff/search');
      const results = page.locator('[data-testid=search-results] li');
      assert.equal(await results.count(), 1, 'only the case that names the place');
      assert.equal(await text(results.first().locator('a')), target.case_no);
      assert.equal(await text(results.first().locator('mark').first()), '三里屯');
      assert.equal(await page.inputValue('[data-testid=search-page-q]'), '三里屯');
      await shoot(page, `search-1366-${backend}.png`);

      await page.setViewportSize(PHONE);
      await page.reload();
      const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth }));
      assert.ok(o.scroll <= 360, `the results page is ${o.scroll} px wide at 360`);
      assert.ok(await results.first().locator('mark').first().isVisible());
      await shoot(page, `search-360-${backend}.png`);
      await page.setViewportSize(WIDE);
    });
  });
}
