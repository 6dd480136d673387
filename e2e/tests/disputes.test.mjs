// The dispute register (矛盾纠纷台账) and screening (排查) in a real browser, on SQLite and
// on PostgreSQL: a county clerk turns a hotspot into an entry (the form comes prefilled),
// plans a step whose deadline has passed, records a mediation, links a second petition;
// the city leader sees the overdue step on the supervision board and follows it to the
// list; the clerk completes the step and resolves the entry, and its timeline shows every
// change. A screening campaign then gets "nothing found" from one county and a found
// entry from the other, and shows its progress by unit. Screenshots at 1366 px and 360 px
// go to e2e/artifacts/.

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
const PASSWORD = 'Disputes-e2e-2026';

/** The office's date `n` days ago. */
function daysAgo(n) {
  const d = new Date(`${todayIn()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`disputes on ${backend}`, backend, pre);
    continue;
  }

  describe(`disputes on ${backend}`, () => {
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
      await page.screenshot({ path: await artifactPath(`disputes-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: await artifactPath(`disputes-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
      assert.ok(width <= 360, `${name} is ${width} px wide at 360`);
    }

    test('a dispute runs from entry to resolution, and a screening shows its progress', { timeout: STEP_TIMEOUT * 2 }, async () => {
      await changeAdminPassword(server);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name, level, parent] of [
        ['330100', '杭州市信访局', 'city', 'ROOT'],
        ['330106', '西湖区信访局', 'county', '330100'],
        ['330102', '上城区信访局', 'county', '330100'],
      ]) {
        r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      for (const [username, role, unit] of [
        ['hz.leader', 'leader', '330100'],
        ['xihu.clerk', 'clerk', '330106'],
        ['sc.clerk', 'clerk', '330102'],
      ]) {
        r = await api.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }
      const cases = [];
      for (const name of ['张三', '李四']) {
        r = await api.post('/api/v1/cases', {
          data: {
            channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106', unit: '330106',
            received_on: daysAgo(3),
            petitioners: [{ name, phone: '13800000000', id_number: null, address: null }],
            headcount: 1, representatives: [], respondent: '某建筑公司',
            content: '在某工地务工，被拖欠工资三个月。', demands: '请求督促支付工资。',
          },
        });
        assert.equal(r.status(), 201, await r.text());
        cases.push(await r.json());
      }
      await api.dispose();

      // A hotspot's link opens the form filled in; the clerk adds what it cannot know.
      const clerk = await as('xihu.clerk');
      await clickAndWait(clerk, clerk.locator('[data-testid=nav-disputes]'));
      assert.equal(new URL(clerk.url()).pathname, '/staff/disputes');
      const q = new URLSearchParams({
        title: '某工地拖欠农民工工资', kind: 'wage_arrears', region: '330106', address: '西湖区某某路工地',
        parties: '某建筑公司；18名工人', cases: String(cases[0].id), hotspot: 'wages:330106:某建筑公司',
      });
      await clerk.goto(`${server.url}/staff/disputes/new?${q}`);
      assert.equal(await clerk.inputValue('#d-title'), '某工地拖欠农民工工资');
      assert.equal(await clerk.inputValue('#d-kind'), 'wage_arrears');
      assert.equal(await clerk.inputValue('#d-cases'), String(cases[0].id));
      // A bad number of people is refused by name, and nothing typed is lost.
      await clerk.fill('#d-people', '0');
      await clerk.locator('#d-people').evaluate((e) => e.removeAttribute('min'));
      await clickAndWait(clerk, clerk.locator('[data-testid=dispute-form] button[type=submit]'));
      assert.match(await text(clerk.locator('[data-testid=form-error]')), /涉及人数/);
      assert.equal(await clerk.inputValue('#d-parties'), '某建筑公司；18名工人');
      await clerk.fill('#d-people', '18');
      await clerk.selectOption('#d-scale', 'large');
      await clerk.selectOption('#d-urgency', 'urgent');
      await clerk.fill('#d-owner-name', '王副区长');
      await clickAndWait(clerk, clerk.locator('[data-testid=dispute-form] button[type=submit]'));
      assert.match(new URL(clerk.url()).pathname, /^\/staff\/disputes\/\d+$/);
      const entryUrl = clerk.url().replace(/\?.*$/, '');
      assert.equal(await text(clerk.locator('[data-testid=dispute-title]')), '某工地拖欠农民工工资');
      assert.match(await text(clerk.locator('[data-testid=linked-cases]')), new RegExp(cases[0].case_no));

      // A step whose deadline has passed, a mediation, the second petition.
      await clerk.locator('[data-testid=step-form] summary').click();
      await clerk.fill('#s-what', '约谈建筑公司负责人，核实欠薪数额');
      await clerk.fill('#s-due', daysAgo(2));
      await clerk.fill('#s-who', '区人社局');
      await clickAndWait(clerk, clerk.locator('[data-testid=step-form] button[type=submit]'));
      assert.match(await text(clerk.locator('[data-testid=step-overdue]')), /已超期/);
      await clerk.locator('[data-testid=mediation-form] summary').click();
      await clerk.fill('#m-who', '区人民调解委员会');
      await clerk.fill('#m-agreed', '公司分两期支付欠薪，首期于月底前支付。');
      await clickAndWait(clerk, clerk.locator('[data-testid=mediation-form] button[type=submit]'));
      assert.match(await text(clerk.locator('[data-testid=mediations]')), /分两期支付/);
      await clerk.fill('#l-cases', cases[1].case_no);
      await clickAndWait(clerk, clerk.locator('[data-testid=link-form] button[type=submit]'));
      const linked = clerk.locator('[data-testid=linked-cases] li');
      assert.equal(await linked.count(), 2);
      assert.match(await text(linked.nth(1)), new RegExp(`${cases[1].case_no}.*办理中|${cases[1].case_no}`));
      await shots(clerk, 'entry');

      // The city leader sees the overdue step on the board and follows it to the list.
      const leader = await as('hz.leader');
      await clickAndWait(leader, leader.locator('[data-testid=nav-supervision]'));
      const figure = leader.locator('[data-testid=dispute-steps] li[data-unit="330106"] a');
      assert.match(await text(figure), /1 件纠纷 1 个步骤/);
      await shots(leader, 'board');
      await clickAndWait(leader, figure);
      assert.match(await text(leader.locator('[data-testid=dispute-count]')), /共 1 条/);
      assert.match(await text(leader.locator('[data-testid=row-overdue]')), /超期 1 项/);
      await shots(leader, 'list');

      // The clerk completes the step and resolves the entry.
      await clerk.goto(entryUrl);
      await clickAndWait(clerk, clerk.locator('[data-testid=steps] li form button'));
      assert.match(await text(clerk.locator('[data-testid=step-done]')), /完成/);
      await clerk.selectOption('#o-outcome', 'resolved');
      await clerk.fill('#o-note', '欠薪已全部支付，工人签字确认。');
      await clickAndWait(clerk, clerk.locator('[data-testid=outcome-form] button[type=submit]'));
      assert.match(await text(clerk.locator('[data-testid=dispute-outcome]')), /已化解/);
      const timeline = clerk.locator('[data-testid=dispute-timeline] li');
      const lines = await timeline.allTextContents();
      const kinds = lines.map((l) => (l.match(/登记结果|步骤完成|关联信访件|调解|添加步骤|登记/) ?? [''])[0]);
      assert.deepEqual(kinds, ['登记', '关联信访件', '添加步骤', '调解', '关联信访件', '步骤完成', '登记结果']);
      assert.match(lines[6], /已化解/);
      await shots(clerk, 'resolved');
      // The board has nothing overdue any more.
      await leader.goto(`${server.url}/staff/supervision`);
      await leader.locator('[data-testid=dispute-steps-none]').waitFor();

      // A screening campaign for both counties.
      await leader.goto(`${server.url}/staff/screenings`);
      await leader.locator('[data-testid=screening-form] summary').click();
      await leader.fill('#sc-title', '春节前矛盾纠纷排查');
      await leader.fill('#sc-sectors', '建筑工地、劳动密集型企业');
      await leader.fill('#sc-starts', daysAgo(1));
      await leader.fill('#sc-ends', daysAgo(-14));
      await leader.check('input[name=units][value="330106"]');
      await leader.check('input[name=units][value="330102"]');
      await clickAndWait(leader, leader.locator('[data-testid=screening-form] button[type=submit]'));
      const campaignUrl = leader.url();
      assert.match(await text(leader.locator('[data-testid=screening-summary]')), /2 个单位中已报告 0 个/);

      const other = await as('sc.clerk');
      await other.goto(campaignUrl);
      await other.check('input[name=answer][value=nothing_found]');
      await clickAndWait(other, other.locator('[data-testid=answer-form] button[type=submit]'));
      await clerk.goto(campaignUrl);
      await clerk.check('input[name=answer][value=found]');
      await clerk.locator('[data-testid=answer-form] input[name=disputes]').first().check();
      await clickAndWait(clerk, clerk.locator('[data-testid=answer-form] button[type=submit]'));

      await leader.goto(campaignUrl);
      assert.match(await text(leader.locator('[data-testid=screening-summary]')), /2 个单位中已报告 2 个/);
      assert.match(await text(leader.locator('[data-testid=screening-detail]')), /无事 1 · 排查出 1 件/);
      const row = (code) => leader.locator(`[data-testid=screening-units] tr[data-unit="${code}"]`);
      assert.match(await text(row('330102').locator('[data-testid=unit-state]')), /无事报平安/);
      assert.match(await text(row('330106').locator('[data-testid=unit-state]')), /排查出 1 件/);
      assert.match(await text(row('330106')), /某工地拖欠农民工工资/);
      await shots(leader, 'screening');
    });

    test('the list pages by 50, and the register figures show by kind, outcome and unit', { timeout: STEP_TIMEOUT * 2 }, async () => {
      const clerk = await as('xihu.clerk');
      const api = clerk.context().request;
      const before = await (await api.get(`${server.url}/api/v1/disputes`)).json();
      for (let n = before.length; n < 55; n++) {
        const r = await api.post(`${server.url}/api/v1/disputes`, {
          data: {
            kind: n % 3 ? 'land_compensation' : 'wage_arrears', title: `村民反映征地补偿问题 ${n}`,
            region: '330106', address: '西湖区某村', parties: '某村委会；村民', people: 5,
            scale: 'ordinary', urgency: 'normal', owner_name: '李副镇长',
          },
        });
        assert.equal(r.status(), 201, await r.text());
      }
      await clerk.goto(`${server.url}/staff/disputes`);
      assert.match(await text(clerk.locator('[data-testid=dispute-count]')), /本页 50 条/);
      assert.equal(await clerk.locator('[data-testid=disputes] tbody tr').count(), 50);
      await clickAndWait(clerk, clerk.locator('[data-testid=dispute-next-page]'));
      assert.equal(await clerk.locator('[data-testid=disputes] tbody tr').count(), 5);
      assert.equal(await clerk.locator('[data-testid=dispute-next-page]').count(), 0);
      await shots(clerk, 'list-second-page');
      await clickAndWait(clerk, clerk.locator('[data-testid=dispute-first-page]'));
      assert.equal(await clerk.locator('[data-testid=disputes] tbody tr').count(), 50);

      // The figures, from the list's link; each number opens its list.
      await clickAndWait(clerk, clerk.locator('[data-testid=dispute-stats-link]'));
      assert.equal(new URL(clerk.url()).pathname, '/staff/stats/registers');
      assert.match(await text(clerk.locator('[data-testid=reg-dispute-total]')), /共 55 条/);
      assert.match(await text(clerk.locator('[data-testid=reg-disputes-by-outcome]')), /已化解\s*\d+/);
      assert.match(await text(clerk.locator('[data-testid=reg-disputes-by-unit]')), /西湖区信访局\s*\d+/);
      await shots(clerk, 'figures');
      await clickAndWait(clerk, clerk.locator('[data-testid=reg-disputes-by-kind] a').first());
      assert.match(new URL(clerk.url()).search, /kind=/);
      const en = await newPage(browser, { locale: 'en' });
      open.push(en);
      await login(en.page, server.url, 'hz.leader', PASSWORD);
      await en.page.goto(`${server.url}/staff/stats/registers?lang=en`);
      assert.match(await text(en.page.locator('h1')), /Register figures/);
      await en.page.setViewportSize(WIDE);
      await en.page.screenshot({ path: await artifactPath(`disputes-figures-en-1366-${backend}.png`), fullPage: true });
    });
  });
}
