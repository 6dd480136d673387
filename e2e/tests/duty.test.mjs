// A duty day in a real browser on SQLite and on PostgreSQL: the roster is planned and
// shows in the header, a handover is written and acknowledged, three of four counties
// report (one with "nothing to report"), the fourth misses its deadline, and the city's
// report rolls them up with the missing county flagged. Real time: the counties' window
// is a special period 20 minutes from now; the fourth county's own special period has a
// window at 00:01, already passed. Screenshots at 1366 px and 360 px in e2e/artifacts/.

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
import { STEP_TIMEOUT, clickAndWait, newPage, login, text, changeAdminPassword, todayIn } from '../lib/pages.mjs';

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };

async function prerequisites(backend) {
  const c = chromiumAvailable();
  if (!c.ok) return c;
  if (backend === 'postgres') return postgresAvailable();
  return { ok: true };
}

async function shoot(page, name) {
  await page.screenshot({ path: await artifactPath(name), fullPage: true });
}

/** Local HH:MM in the office, `minutes` from now, or null if that crosses midnight. */
function localTimeIn(minutes) {
  const t = new Date(Date.now() + minutes * 60_000);
  const day = todayIn('Asia/Shanghai', t);
  if (day !== todayIn()) return null;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(t);
}

async function noOverflow(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `${what} is ${w} px wide at 360`);
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    describe(`duty on ${backend}`, () => {
      if (IN_CI) {
        test('prerequisites are present', () => assert.fail(`${backend}: ${pre.reason}`));
      } else {
        test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
      }
    });
    continue;
  }

  describe(`duty on ${backend}`, () => {
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

    test('a roster, a handover, three counties report, one is missing, the city rolls up', { timeout: STEP_TIMEOUT }, async (t) => {
      const window = localTimeIn(20);
      if (!window) return t.skip('too close to midnight in Asia/Shanghai');
      const today = todayIn();
      await changeAdminPassword(server);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      r = await api.post('/api/v1/units', { data: { code: '330100', name: '杭州市信访局', level: 'city', parent: 'ROOT' } });
      assert.equal(r.status(), 201, await r.text());
      const counties = [['330102', '上城区信访局'], ['330103', '下城区信访局'], ['330104', '江干区信访局'], ['330105', '拱墅区信访局']];
      for (const [code, name] of counties) {
        r = await api.post('/api/v1/units', { data: { code, name, level: 'county', parent: '330100' } });
        assert.equal(r.status(), 201, await r.text());
      }
      r = await api.post('/api/v1/reports/special-periods', {
        data: { unit: '330100', name: '重要会议特护期', starts_on: today, ends_on: today, windows: window, subtree: true, rest_days: true },
      });
      assert.equal(r.status(), 201, await r.text());
      r = await api.post('/api/v1/reports/special-periods', {
        data: { unit: '330105', name: '拱墅区早报', starts_on: today, ends_on: today, windows: '00:01', subtree: false, rest_days: true },
      });
      assert.equal(r.status(), 201, await r.text());
      await api.dispose();

      admin = await newPage(browser);
      const page = admin.page;
      await page.setViewportSize(WIDE);
      await login(page, server.url, 'admin', server.adminPassword);

      // The roster: today's shift, then the team shows under the header on every page.
      await page.goto(`${server.url}/staff/duty`);
      const row = await page.locator('[data-testid=roster] tbody tr').evaluateAll(
        (rows, day) => rows.findIndex((r) => r.textContent.includes(day)), today);
      assert.ok(row >= 0, 'today is in this week');
      // The shift starts at midnight so that it is on now, whatever the hour.
      await page.fill(`input[name=starts_${row}]`, '00:00');
      await page.fill(`[data-testid=leader-${row}]`, '王建国');
      await page.fill(`[data-testid=leader-phone-${row}]`, '13900000001');
      await page.fill(`[data-testid=staff-${row}]`, '李明 13900000002\n赵红 0571-88888888');
      await clickAndWait(page, page.locator('[data-testid=roster-save]'));
      assert.match(await text(page.locator('[data-testid=duty-line]')), /王建国 13900000001/);

      // The handover: written by the outgoing team, acknowledged by the incoming one.
      await page.fill('[data-testid=handover-pending]', '某工地欠薪问题，预计明早有来电，已通知区人社局。');
      await clickAndWait(page, page.locator('[data-testid=handover-save]'));
      await clickAndWait(page, page.locator('[data-testid=handover-ack]'));
      assert.match(await text(page.locator('[data-testid=handover-acked]')), /确认接班/);
      await shoot(page, `duty-roster-1366-${backend}.png`);

      // Three counties report; the first has nothing to report.
      for (const [i, [code]] of counties.slice(0, 3).entries()) {
        await page.goto(`${server.url}/staff/reports?unit=${code}`);
        if (i === 0) await page.check('[data-testid=nothing-to-report]');
        else await page.fill('[data-testid=incidents]', i === 1 ? '某工地欠薪，约三十人到区政府反映，已接待劝返。' : '');
        if (i === 2) await page.fill('[data-testid=notes]', '重点矛盾纠纷排查已完成。');
        await clickAndWait(page, page.locator('[data-testid=file-submit]'));
        assert.equal(await text(page.locator('[data-testid=report-status]')), '已报', code);
      }

      // The city sees the fourth county missing and compiles its own report.
      await page.goto(`${server.url}/staff/reports?unit=330100`);
      const statuses = await page.locator('[data-testid=children-1] tbody tr').allTextContents();
      assert.equal(statuses.length, 4);
      assert.match(statuses[3], /拱墅区信访局.*未报/s);
      assert.match(statuses[0], /已报/);
      assert.match(await text(page.locator('[data-testid=special-period]')), /重要会议特护期/);
      await shoot(page, `duty-reports-1366-${backend}.png`);
      await page.fill('[data-testid=notes]', '全市信访形势总体平稳。');
      await clickAndWait(page, page.locator('[data-testid=file-submit]'));
      assert.match(await text(page.locator('[data-testid=rollup-missing]')), /1 个单位未报/);
      const rollup = await page.locator('[data-testid=rollup] tbody tr').allTextContents();
      assert.match(rollup[0], /无事/);
      assert.match(rollup[1], /欠薪/);
      assert.match(rollup[3], /未报/);
      await shoot(page, `duty-rollup-1366-${backend}.png`);

      await page.setViewportSize(PHONE);
      await page.reload();
      await noOverflow(page, 'the report');
      await shoot(page, `duty-rollup-360-${backend}.png`);
      await page.goto(`${server.url}/staff/duty`);
      await noOverflow(page, 'the roster');
      await shoot(page, `duty-roster-360-${backend}.png`);
      await page.setViewportSize(WIDE);
    });
    test('a special-period day with two windows, and the report history', { timeout: STEP_TIMEOUT }, async (t) => {
      const second = localTimeIn(20);
      if (!second) return t.skip('too close to midnight in Asia/Shanghai');
      const today = todayIn();
      if (!admin) {
        await changeAdminPassword(server);
        admin = await newPage(browser);
        await login(admin.page, server.url, 'admin', server.adminPassword);
      }
      const page = admin.page;
      await page.setViewportSize(WIDE);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      r = await api.post('/api/v1/units', { data: { code: '330200', name: '宁波市信访局', level: 'city', parent: 'ROOT' } });
      assert.equal(r.status(), 201, await r.text());
      for (const [code, name] of [['330203', '海曙区信访局'], ['330205', '江北区信访局']]) {
        r = await api.post('/api/v1/units', { data: { code, name, level: 'county', parent: '330200' } });
        assert.equal(r.status(), 201, await r.text());
      }
      // Two windows today: one at 00:01, already passed, and one 20 minutes from now.
      r = await api.post('/api/v1/reports/special-periods', {
        data: { unit: '330200', name: '两会特护期', starts_on: today, ends_on: today, windows: `00:01, ${second}`, subtree: true, rest_days: true },
      });
      assert.equal(r.status(), 201, await r.text());
      await api.dispose();

      // The county sees both windows: the morning one missed, the afternoon one open.
      await page.goto(`${server.url}/staff/reports?unit=330203`);
      assert.match(await text(page.locator('[data-testid=special-period]')), /两会特护期/);
      assert.equal(await text(page.locator('[data-testid=window-1] [data-testid=own-status]')), '未报');
      assert.equal(await text(page.locator('[data-testid=window-2] [data-testid=own-status]')), '待报');
      // It says "nothing to report" for the second window, explicitly.
      await page.selectOption('select[name=window]', '2');
      await page.check('[data-testid=nothing-to-report]');
      await clickAndWait(page, page.locator('[data-testid=file-submit]'));
      assert.equal(await text(page.locator('[data-testid=report-status]')), '已报');
      assert.match(await text(page.locator('[data-testid=nothing]')), /无事报平安/);

      // The city: both counties missed the first window; in the second one has reported
      // and the other still has time.
      await page.goto(`${server.url}/staff/reports?unit=330200`);
      const first = await page.locator('[data-testid=children-1] tbody tr').allTextContents();
      assert.equal(first.length, 2);
      for (const row of first) assert.match(row, /未报/);
      const later = await page.locator('[data-testid=children-2] tbody tr').allTextContents();
      assert.match(later[0], /海曙区信访局.*已报/s);
      assert.match(later[1], /江北区信访局.*待报/s);
      await shoot(page, `duty-special-1366-${backend}.png`);

      // The history finds the all-clear by unit and kind, and downloads what it found.
      await page.click('[data-testid=history-link]');
      await page.waitForURL(/\/staff\/reports\/history/);
      await page.fill('input[name=unit]', '330203');
      await page.selectOption('select[name=nothing]', 'true');
      await clickAndWait(page, page.locator('[data-testid=history-filters] button[type=submit]'));
      const rows = await page.locator('[data-testid=history] tbody tr').allTextContents();
      assert.equal(rows.length, 1, rows.join('\n'));
      assert.match(rows[0], /海曙区信访局.*无事报平安/s);
      const href = await page.locator('[data-testid=history-xlsx]').getAttribute('href');
      const file = await page.context().request.get(`${server.url}${href}`);
      assert.equal(file.status(), 200);
      assert.match(file.headers()['content-type'], /spreadsheetml/);
      assert.ok((await file.body()).length > 1000, 'an XLSX file');
      // A day the other way round is refused with a message, and the filters stay.
      await page.fill('input[name=from]', today);
      await page.fill('input[name=to]', '2020-01-01');
      await clickAndWait(page, page.locator('[data-testid=history-filters] button[type=submit]'));
      assert.match(await text(page.locator('[data-testid=history-error]')), /结束日期不能早于开始日期/);
      assert.equal(await page.inputValue('input[name=unit]'), '330203');
      await shoot(page, `duty-history-1366-${backend}.png`);
      await page.setViewportSize(PHONE);
      await page.reload();
      await noOverflow(page, 'the report history');
      await shoot(page, `duty-history-360-${backend}.png`);
      await page.setViewportSize(WIDE);
    });
  });
}
