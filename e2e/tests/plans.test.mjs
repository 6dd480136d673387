// Emergency plans (应急预案) in a real browser, on SQLite and on PostgreSQL: the county's
// leader writes a plan with a group-visit trigger of 50; a group visit of 60 is
// registered; the leader is told, sees the proposal on the case page and activates the
// plan; a team member is told, finishes the task and writes the log; the leader closes the
// incident with its after-action review, and the timeline shows every step. A leading
// group for a special period then shows on the member's /staff/today. Screenshots at
// 1366 px and 360 px go to e2e/artifacts/.

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
const PASSWORD = 'Plans-e2e-2026';

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`emergency plans on ${backend}`, backend, pre);
    continue;
  }

  describe(`emergency plans on ${backend}`, () => {
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
      await page.screenshot({ path: await artifactPath(`plans-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: await artifactPath(`plans-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
      assert.ok(width <= 360, `${name} is ${width} px wide at 360`);
    }

    test('a group visit of 60 proposes the plan, a leader activates it, and it runs to its review', { timeout: STEP_TIMEOUT }, async () => {
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
        ['xihu.leader', 'leader', '330106'],
        ['xihu.handler', 'handler', '330106'],
      ]) {
        r = await api.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }

      // The leader writes the plan from the plans page.
      const leader = await as('xihu.leader');
      await clickAndWait(leader, leader.locator('[data-testid=nav-plans]'));
      await clickAndWait(leader, leader.locator('[data-testid=new-plan]'));
      await leader.fill('#pl-name', '群体性来访接待预案');
      await leader.fill('#pl-people', '50');
      // A member who is not a user of the unit is refused by name, and nothing is lost.
      await leader.fill('#pl-teams', '接待组 | 接待来访群众，倾听诉求 | @nobody | 13800000001');
      await leader.fill('#pl-resources', 'vehicle | 公务车 | 2\ncommunication | 对讲机 | 6');
      await leader.fill('#pl-steps', '开放接待室\n引导代表说明诉求\n联系相关部门到场答复');
      await leader.fill('#pl-contacts', '区信访局值班室 | 0571-87000000 | 区委办');
      await clickAndWait(leader, leader.locator('[data-testid=save-plan]'));
      assert.match(await text(leader.locator('[data-testid=form-error]')), /工作组与成员/);
      assert.equal(await leader.inputValue('#pl-name'), '群体性来访接待预案');
      await leader.fill('#pl-teams', '接待组 | 接待来访群众，倾听诉求 | @xihu.handler | 13800000001\n接待组 | | 王五 | 13800000002');
      await clickAndWait(leader, leader.locator('[data-testid=save-plan]'));
      assert.match(new URL(leader.url()).pathname, /^\/staff\/plans\/\d+$/);
      assert.equal(await text(leader.locator('[data-testid=plan-version]')), 'v1');
      assert.match(await text(leader.locator('[data-testid=plan-triggers]')), /集体访 ≥ 50 人/);
      await shots(leader, 'plan');

      // A group visit of 60 is registered in the county.
      r = await api.post('/api/v1/cases', {
        data: {
          channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106', unit: '330106',
          petitioners: [{ name: '张三', phone: '13800000000', id_number: null, address: null }],
          headcount: 60, representatives: [], respondent: '某建筑公司',
          content: '六十名工人反映某工地拖欠工资。', demands: '请求督促支付工资。',
        },
      });
      assert.equal(r.status(), 201, await r.text());
      const visit = await r.json();
      await api.dispose();

      // The leader is told, and the case page proposes the plan; nothing ran by itself.
      await leader.goto(`${server.url}/staff/notifications`);
      assert.match(await text(leader.locator('[data-testid=notifications]')), /预案「群体性来访接待预案」的触发条件已满足/);
      await leader.goto(`${server.url}/staff/incidents`);
      assert.match(await text(leader.locator('main')), /暂无事件/);
      await leader.goto(`${server.url}/staff/cases/${visit.id}`);
      const banner = leader.locator('[data-testid=plan-proposal]');
      assert.match(await text(banner), /预案「群体性来访接待预案」的触发条件已满足（60 人集体访）— 启动？/);
      await shots(leader, 'proposal');
      await clickAndWait(leader, banner.locator('[data-testid=activate-plan]'));
      assert.match(new URL(leader.url()).pathname, /^\/staff\/incidents\/\d+$/);
      const incidentUrl = leader.url().replace(/\?.*$/, '');
      assert.equal(await text(leader.locator('[data-testid=incident-version]')), 'v1');
      assert.match(await text(leader.locator('[data-testid=tasks]')), /接待组/);
      assert.equal(await leader.locator('[data-testid=task-done]').count(), 1, 'one task, not yet done');

      // The team member is told, finishes the task and writes the log.
      const handler = await as('xihu.handler');
      await handler.goto(`${server.url}/staff/notifications`);
      assert.match(await text(handler.locator('[data-testid=notifications]')), /预案「群体性来访接待预案」已启动/);
      await handler.goto(incidentUrl);
      await handler.fill('[data-testid=tasks] input[name=note]', '接待室已开放');
      await clickAndWait(handler, handler.locator('[data-testid=task-done]'));
      assert.match(await text(handler.locator('[data-testid=tasks]')), /已完成/);
      await handler.locator('[data-testid=log-box] summary').click();
      await handler.fill('#inc-log', '五名代表说明了诉求，区人社局已到场答复。');
      await clickAndWait(handler, handler.locator('[data-testid=log-submit]'));
      await shots(handler, 'incident');

      // The leader closes it with the after-action review; an empty part is named.
      await leader.goto(incidentUrl);
      await leader.locator('[data-testid=close-box] summary').click();
      await leader.fill('#inc-happened', '六十名工人到区信访局反映欠薪。');
      await leader.fill('#inc-worked', '分组接待，部门当场答复。');
      await clickAndWait(leader, leader.locator('[data-testid=close-submit]'));
      assert.match(await text(leader.locator('[data-testid=form-error]')), /改进事项/);
      assert.equal(await leader.inputValue('#inc-worked'), '分组接待，部门当场答复。');
      await leader.fill('#inc-improve', '提前约请人社部门值守。');
      await clickAndWait(leader, leader.locator('[data-testid=close-submit]'));
      assert.equal(await text(leader.locator('[data-testid=incident-state]')), '已结束');
      assert.match(await text(leader.locator('[data-testid=review]')), /提前约请人社部门值守/);
      const timeline = leader.locator('[data-testid=timeline]');
      for (const [kind, what] of [
        ['opened', /事件开始处置/],
        ['task_assigned', /接待组/],
        ['task_done', /接待室已开放/],
        ['log', /五名代表说明了诉求/],
        ['closed', /分组接待，部门当场答复/],
      ]) {
        assert.match(await text(timeline.locator(`li[data-kind=${kind}]`)), what, kind);
      }
      await shots(leader, 'closed');

      // The case page now links to the incident instead of proposing.
      await leader.goto(`${server.url}/staff/cases/${visit.id}`);
      assert.equal(await leader.locator('[data-testid=plan-proposal]').count(), 0);
      assert.match(await text(leader.locator('[data-testid=plan-activated]')), /已启动预案/);

      // The plan's own record shows the proposal and the activation.
      await leader.goto(`${server.url}/staff/plans`);
      await clickAndWait(leader, leader.locator('[data-testid=plans] a').first());
      const planLog = leader.locator('[data-testid=timeline]');
      assert.match(await text(planLog.locator('li[data-kind=proposed]')), /60 人/);
      assert.match(await text(planLog.locator('li[data-kind=activated]')), /第 1 版/);
    });

    test('a leading group for a special period shows on a member\'s dashboard', { timeout: STEP_TIMEOUT }, async () => {
      const leader = await as('xihu.leader');
      await leader.goto(`${server.url}/staff/groups`);
      await clickAndWait(leader, leader.locator('[data-testid=new-group]'));
      const today = todayIn();
      await leader.fill('#grp-name', '国庆特护期信访工作领导小组');
      await leader.fill('#grp-starts', today);
      await leader.fill('#grp-ends', today);
      await leader.fill('#grp-head', '@xihu.leader');
      await leader.fill('#grp-head-phone', '13900000000');
      await leader.fill('#grp-deputies', '李副局长');
      await leader.fill('#grp-office', '区信访局办公室（三楼）');
      await leader.fill('#grp-working', '接访组 | 接待来访群众 | @xihu.handler | 13800000001\n保障组 | 后勤与通讯 | 赵六 | 13700000000');
      await clickAndWait(leader, leader.locator('[data-testid=save-group]'));
      assert.match(new URL(leader.url()).pathname, /^\/staff\/groups\/\d+$/);
      assert.equal(await text(leader.locator('[data-testid=group-name]')), '国庆特护期信访工作领导小组');
      await shots(leader, 'group');

      const handler = await as('xihu.handler');
      await handler.goto(`${server.url}/staff/today`);
      const box = handler.locator('[data-testid=today-groups]');
      assert.match(await text(box), /国庆特护期信访工作领导小组/);
      assert.match(await text(box), /接访组/);
      assert.match(await text(box), /区信访局办公室/);
      await shots(handler, 'today');
    });
  });
}
