// A duty day in a real browser on SQLite and on PostgreSQL, on the server's clock set
// with `serve --now … --freeze-clock` (no test waits for a deadline):
//   at 15:29 — the roster is planned under the province's leading group and shows in the
//     header, a handover is written and acknowledged, three of four counties report by
//     the default 15:30 deadline (one with "nothing to report", one under the group), and
//     the city sees the fourth pending;
//   at 15:31 (the same data, the server restarted) — the fourth is missing, the city
//     compiles its report (due 16:00) with the roll-up flagging it, then the fourth files
//     late; the group lists the shift and report filed under it and is edited into its
//     second version;
//   and a special-period day with two windows (08:40 and 16:40): the first filed late,
//     the second pending, then the report history.
// Screenshots at 1366 px and 360 px in e2e/artifacts/.

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
/** A Tuesday, a working day: the default schedule has one window, 15:30 / 16:00. */
const DAY = '2026-12-01';
const at = (hm) => ['--now', `${DAY}T${hm}:00+08:00`, '--freeze-clock'];

async function shoot(page, name) {
  await page.screenshot({ path: await artifactPath(name), fullPage: true });
}

async function noOverflow(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `${what} is ${w} px wide at 360`);
}

async function adminApi(server) {
  const api = await request.newContext({ baseURL: server.url });
  const r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
  assert.ok(r.ok(), await r.text());
  return api;
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`duty on ${backend}`, backend, pre);
    continue;
  }

  describe(`duty on ${backend}`, () => {
    let server;
    let browser;
    let admin;
    let clock = '15:29';

    /** Restarts the server on the same data with the clock at `hm`. */
    async function clockAt(hm) {
      if (clock === hm) return;
      await server.restart(at(hm));
      clock = hm;
    }

    async function adminPage() {
      if (!admin) {
        await changeAdminPassword(server);
        admin = await newPage(browser);
        await login(admin.page, server.url, 'admin', server.adminPassword);
      }
      return admin.page;
    }

    before(async () => {
      server = await startServer(backend, { args: at('15:29') });
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      await admin?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    test('15:29 and 15:31: a roster, a handover, three counties report, one is missing, the city rolls up', { timeout: STEP_TIMEOUT * 2 }, async () => {
      await changeAdminPassword(server);
      const api = await adminApi(server);
      let r = await api.post('/api/v1/units', { data: { code: '330100', name: '杭州市信访局', level: 'city', parent: 'ROOT' } });
      assert.equal(r.status(), 201, await r.text());
      const counties = [['330102', '上城区信访局'], ['330103', '下城区信访局'], ['330104', '江干区信访局'], ['330105', '拱墅区信访局']];
      for (const [code, name] of counties) {
        r = await api.post('/api/v1/units', { data: { code, name, level: 'county', parent: '330100' } });
        assert.equal(r.status(), 201, await r.text());
      }
      // The province's leading group for the month; admin heads it.
      r = await api.post('/api/v1/leading-groups', {
        data: {
          name: '岁末年初信访工作领导小组', starts_on: DAY, ends_on: '2026-12-31',
          head: '@admin', head_phone: '13900000000', deputies: '李副局长', office: '省信访局办公室',
          working_groups: [{ name: '接访组', duties: '接待来访群众', members: [{ name: '赵六', phone: '13700000000' }] }],
        },
      });
      assert.equal(r.status(), 201, await r.text());
      const group = (await r.json()).id;
      await api.dispose();

      const page = await adminPage();
      await page.setViewportSize(WIDE);

      // The roster: today's shift under the group; the team shows under the header.
      await page.goto(`${server.url}/staff/duty`);
      const row = await page.locator('[data-testid=roster] tbody tr').evaluateAll(
        (rows, day) => rows.findIndex((r) => r.querySelector('td').textContent.includes(day)), DAY);
      assert.ok(row >= 0, 'the set day is in this week');
      await page.fill(`[data-testid=leader-${row}]`, '王建国');
      await page.fill(`[data-testid=leader-phone-${row}]`, '13900000001');
      await page.fill(`[data-testid=staff-${row}]`, '李明 13900000002\n赵红 0571-88888888');
      await page.selectOption(`[data-testid=group-${row}]`, String(group));
      // The day before is refused under the group (it starts on DAY); what was typed stays.
      assert.ok(row > 0, 'the week has a day before the set day');
      await page.fill(`[data-testid=leader-${row - 1}]`, '陈志强');
      await page.fill(`[data-testid=leader-phone-${row - 1}]`, '13900000003');
      await page.fill(`[data-testid=staff-${row - 1}]`, '周敏 13900000004');
      await page.selectOption(`[data-testid=group-${row - 1}]`, String(group));
      await clickAndWait(page, page.locator('[data-testid=roster-save]'));
      assert.match(await text(page.locator('[data-testid=duty-error]')), /领导小组.*不在有效期内/);
      assert.equal(await page.inputValue(`[data-testid=leader-${row}]`), '王建国');
      assert.equal(await page.inputValue(`[data-testid=group-${row}]`), String(group));
      await page.selectOption(`[data-testid=group-${row - 1}]`, '');
      await clickAndWait(page, page.locator('[data-testid=roster-save]'));
      assert.match(await text(page.locator('[data-testid=duty-line]')), /王建国 13900000001/);
      assert.equal(await page.inputValue(`[data-testid=group-${row}]`), String(group));

      // The handover: written by the outgoing team, acknowledged by the incoming one.
      await page.fill('[data-testid=handover-pending]', '某工地欠薪问题，预计明早有来电，已通知区人社局。');
      await clickAndWait(page, page.locator('[data-testid=handover-save]'));
      await clickAndWait(page, page.locator('[data-testid=handover-ack]'));
      assert.match(await text(page.locator('[data-testid=handover-acked]')), /确认接班/);
      await shoot(page, `duty-roster-1366-${backend}.png`);

      // 15:29: three counties report; the first has nothing to report, the second files
      // under the leading group.
      for (const [i, [code]] of counties.slice(0, 3).entries()) {
        await page.goto(`${server.url}/staff/reports?unit=${code}`);
        if (i === 0) await page.check('[data-testid=nothing-to-report]');
        if (i === 1) {
          await page.fill('[data-testid=incidents]', '某工地欠薪，约三十人到区政府反映，已接待劝返。');
          await page.selectOption('[data-testid=report-group]', String(group));
        }
        if (i === 2) await page.fill('[data-testid=notes]', '重点矛盾纠纷排查已完成。');
        await clickAndWait(page, page.locator('[data-testid=file-submit]'));
        assert.equal(await text(page.locator('[data-testid=report-status]')), '已报', code);
      }

      // The city at 15:29: three filed, the fourth still has a minute.
      await page.goto(`${server.url}/staff/reports?unit=330100`);
      let statuses = await page.locator('[data-testid=children-1] tbody tr').allTextContents();
      assert.equal(statuses.length, 4);
      for (const s of statuses.slice(0, 3)) assert.match(s, /已报/);
      assert.match(statuses[3], /拱墅区信访局.*待报/s);
      assert.equal(await text(page.locator('[data-testid=window-1] [data-testid=own-status]')), '待报');
      assert.match(await text(page.locator('[data-testid=window-1] h2')), /16:00/);
      await shoot(page, `duty-reports-1529-1366-${backend}.png`);

      // 15:31: the fourth county is missing; the city compiles before its 16:00.
      await clockAt('15:31');
      await page.goto(`${server.url}/staff/reports?unit=330100`);
      statuses = await page.locator('[data-testid=children-1] tbody tr').allTextContents();
      assert.match(statuses[3], /拱墅区信访局.*未报/s);
      assert.match(statuses[1], /下城区信访局.*已报/s);
      await shoot(page, `duty-reports-1531-1366-${backend}.png`);
      await page.fill('[data-testid=notes]', '全市信访形势总体平稳。');
      await clickAndWait(page, page.locator('[data-testid=file-submit]'));
      assert.equal(await text(page.locator('[data-testid=report-status]')), '已报');
      assert.match(await text(page.locator('[data-testid=rollup-missing]')), /1 个单位未报/);
      const rollup = await page.locator('[data-testid=rollup] tbody tr').allTextContents();
      assert.match(rollup[0], /无事/);
      assert.match(rollup[1], /欠薪/);
      assert.match(rollup[2], /排查/);
      assert.match(rollup[3], /拱墅区信访局.*未报/s);
      await shoot(page, `duty-rollup-1366-${backend}.png`);
      const cityReport = page.url();

      // The fourth county files late; the city's roll-up now says so.
      await page.goto(`${server.url}/staff/reports?unit=330105`);
      await page.fill('[data-testid=incidents]', '辖区一企业欠薪，已督促整改。');
      await clickAndWait(page, page.locator('[data-testid=file-submit]'));
      assert.equal(await text(page.locator('[data-testid=report-status]')), '迟报');
      await page.goto(cityReport);
      assert.match(await text(page.locator('[data-testid=rollup-late]')), /1 个单位迟报/);
      assert.equal(await page.locator('[data-testid=rollup-missing]').count(), 0);

      await page.setViewportSize(PHONE);
      await page.reload();
      await noOverflow(page, 'the report');
      await shoot(page, `duty-rollup-360-${backend}.png`);
      await page.goto(`${server.url}/staff/duty`);
      await noOverflow(page, 'the roster');
      await shoot(page, `duty-roster-360-${backend}.png`);
      await page.setViewportSize(WIDE);

      // The report filed under the group names it; the group lists the shift and the
      // report; its head sees it on the dashboard.
      await page.goto(`${server.url}/staff/reports?unit=330103`);
      await page.locator('[data-testid=window-1] h2 a').click();
      await page.waitForURL(/\/staff\/reports\/\d+$/);
      assert.match(await text(page.locator('[data-testid=report-group]')), /岁末年初信访工作领导小组/);
      await clickAndWait(page, page.locator('[data-testid=report-group] a'));
      assert.match(await text(page.locator('[data-testid=group-shifts]')), new RegExp(`${DAY}.*王建国`, 's'));
      assert.match(await text(page.locator('[data-testid=group-reports]')), /下城区信访局/);
      assert.equal(await text(page.locator('[data-testid=group-version]')), '第 1 版');

      // Edited: another office and a second working group; the second version, and the
      // change on the timeline.
      await clickAndWait(page, page.locator('[data-testid=edit-group]'));
      await page.fill('#grp-office', '省信访局三楼值班室');
      const lines = await page.inputValue('#grp-working');
      await page.fill('#grp-working', `${lines}\n保障组 | 后勤保障 | 钱七 | 13600000000`);
      await clickAndWait(page, page.locator('[data-testid=save-group]'));
      assert.equal(await text(page.locator('[data-testid=group-version]')), '第 2 版');
      const timeline = await text(page.locator('[data-testid=timeline]'));
      assert.match(timeline, /修改领导小组/);
      assert.match(timeline, /办公室：省信访局办公室 → 省信访局三楼值班室/);
      assert.match(timeline, /保障组/);
      await shoot(page, `duty-group-1366-${backend}.png`);
      await page.goto(`${server.url}/staff/today`);
      assert.match(await text(page.locator('[data-testid=today-groups]')), /省信访局三楼值班室/);
    });

    test('a special-period day with two windows, and the report history', { timeout: STEP_TIMEOUT }, async () => {
      await changeAdminPassword(server);
      await clockAt('15:31');
      const page = await adminPage();
      await page.setViewportSize(WIDE);
      const api = await adminApi(server);
      let r = await api.post('/api/v1/units', { data: { code: '330200', name: '宁波市信访局', level: 'city', parent: 'ROOT' } });
      assert.equal(r.status(), 201, await r.text());
      for (const [code, name] of [['330203', '海曙区信访局'], ['330205', '江北区信访局']]) {
        r = await api.post('/api/v1/units', { data: { code, name, level: 'county', parent: '330200' } });
        assert.equal(r.status(), 201, await r.text());
      }
      // Two windows a day, 08:40 and 16:40; at 15:31 the first has passed.
      r = await api.post('/api/v1/reports/special-periods', {
        data: { unit: '330200', name: '两会特护期', starts_on: DAY, ends_on: DAY, windows: '08:40, 16:40', subtree: true, rest_days: true },
      });
      assert.equal(r.status(), 201, await r.text());
      await api.dispose();

      // The county sees both windows: the morning one missed, the afternoon one open.
      await page.goto(`${server.url}/staff/reports?unit=330203`);
      assert.match(await text(page.locator('[data-testid=special-period]')), /两会特护期/);
      assert.equal(await text(page.locator('[data-testid=window-1] [data-testid=own-status]')), '未报');
      assert.equal(await text(page.locator('[data-testid=window-2] [data-testid=own-status]')), '待报');
      // It files the morning window late, then says "nothing to report" for the second.
      await page.selectOption('select[name=window]', '1');
      await page.fill('[data-testid=incidents]', '上午无集体访，一起来电已转办。');
      await clickAndWait(page, page.locator('[data-testid=file-submit]'));
      assert.equal(await text(page.locator('[data-testid=report-status]')), '迟报');
      await page.goto(`${server.url}/staff/reports?unit=330203`);
      await page.selectOption('select[name=window]', '2');
      await page.check('[data-testid=nothing-to-report]');
      await clickAndWait(page, page.locator('[data-testid=file-submit]'));
      assert.equal(await text(page.locator('[data-testid=report-status]')), '已报');
      assert.match(await text(page.locator('[data-testid=nothing]')), /无事报平安/);

      // The city: in the first window one county late and one missing; in the second one
      // has reported and the other still has time.
      await page.goto(`${server.url}/staff/reports?unit=330200`);
      const first = await page.locator('[data-testid=children-1] tbody tr').allTextContents();
      assert.equal(first.length, 2);
      assert.match(first[0], /海曙区信访局.*迟报/s);
      assert.match(first[1], /江北区信访局.*未报/s);
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
      await page.fill('input[name=from]', DAY);
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
