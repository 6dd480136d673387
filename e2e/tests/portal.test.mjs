// Browser test of the public portal on SQLite and on PostgreSQL, on a 360 px phone
// screen with JavaScript switched off: a citizen submits a petition and gets a receipt;
// staff walk the lifecycle (through the API); the citizen tracks the case, reads the
// reply, rates it and asks for a review; a leader publishes reception times and
// answers an appointment; axe-core finds no serious or critical problem on any portal
// page; and a rate limit is hit. Every portal page is saved as a 360 px screenshot.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
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
import { STEP_TIMEOUT, ACTION_TIMEOUT, NAV_TIMEOUT, clickAndWait, newPage, login, text, todayIn, changeAdminPassword } from '../lib/pages.mjs';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PASSWORD = 'Test-password-1';
const PHONE = { width: 360, height: 740 };
const REPLY = '经核实，您反映的拖欠工资问题属实，已责令该公司在十日内支付。';
const NOTE = '内部记录：承办人电话核实';
const PDF = { name: '工资条.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% e2e evidence\n') };

const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A phone-sized context; JavaScript off unless `js`, CSP bypassed only for axe. */
async function phone(browser, { js = false, bypassCSP = false, locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport: PHONE, locale, javaScriptEnabled: js, bypassCSP });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  return { context, page: await context.newPage() };
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    describe(`public portal on ${backend}`, () => {
      if (IN_CI) test('prerequisites are present', () => assert.fail(`${backend}: ${pre.reason}`));
      else test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
    });
    continue;
  }

  describe(`public portal on ${backend}`, () => {
    let server;
    let browser;
    let citizen; // { context, page }: a phone with JavaScript off
    let leader; // { context, page }: a leader's desktop browser
    const api = {}; // username → APIRequestContext, logged in
    const c = { caseNo: null, code: null, id: null, refNo: null, refCode: null };
    const shot = async (page, name) =>
      page.screenshot({ path: await artifactPath(`portal-${name}-${backend}.png`), fullPage: true });

    before(async () => {
      server = await startServer(backend);
      // The one-time admin password must be changed first (the forced first-login change).
      await changeAdminPassword(server);
      browser = await launchBrowser();
      citizen = await phone(browser);
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const r of Object.values(api)) await r.dispose().catch(() => {});
      await citizen?.context.close().catch(() => {});
      await leader?.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    async function as(username) {
      if (api[username]) return api[username];
      const r = await request.newContext({ baseURL: server.url });
      const resp = await r.post('/api/v1/session', {
        data: { username, password: username === 'admin' ? server.adminPassword : PASSWORD },
      });
      assert.ok(resp.ok(), `${username} logs in: ${resp.status()}`);
      api[username] = r;
      return r;
    }

    async function action(username, act, data) {
      const r = await (await as(username)).post(`/api/v1/cases/${c.id}/actions/${act}`, { data });
      assert.ok(r.ok(), `${username} ${act}: ${r.status()} ${await r.text()}`);
      return r.json();
    }

    test('staff accounts are set up through the API', { timeout: STEP_TIMEOUT }, async () => {
      const admin = await as('admin');
      let r = await admin.post('/api/v1/units', { data: { code: '330106', name: '西湖区信访局', level: 'county', parent: 'ROOT' } });
      assert.ok(r.ok(), await r.text());
      for (const [username, role, unit] of [['sup', 'supervisor', 'ROOT'], ['hd', 'handler', '330106'], ['rl', 'leader', 'ROOT']]) {
        r = await admin.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }
    });

    test('a citizen submits a petition on a phone without JavaScript and gets a receipt', { timeout: STEP_TIMEOUT }, async () => {
      const { page } = citizen;
      let resp = await page.goto(`${server.url}/`);
      assert.equal(resp.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.match(await text(page.locator('[data-testid=flow]')), /15 日内/, 'the procedure shows its time limits');
      await clickAndWait(page, page.locator('nav a[href="/submit"]'));
      await page.check('#type-claim');
      await page.selectOption('#category', 'labor.wages');
      await page.fill('#region', '330106');
      await page.fill('#respondent', '某建筑公司');
      await page.fill('#content', '我在某工地务工，被拖欠工资三个月，共计两万元。');
      await page.fill('#demands', '请求督促支付拖欠的工资。');
      await page.setInputFiles('#attachments', PDF);
      await page.fill('#name', '张三');
      await page.fill('#phone', '13800000000');
      resp = await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
      assert.equal(resp.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/submit/receipt');
      c.caseNo = await text(page.locator('[data-testid=receipt-case-no]'));
      c.code = await text(page.locator('[data-testid=receipt-query-code]'));
      assert.match(c.caseNo, /^ROOT-\d{4}-\d{6}$/);
      assert.match(c.code, /^[2-9A-HJ-NP-Z]{8}$/);
      assert.match(await text(page.locator('[data-testid=receipt-next]')), /\d{4}年\d{1,2}月\d{1,2}日/, 'the next step has its deadline, dated in words');
      const download = await citizen.context.request.get(`${server.url}/submit/receipt.txt`);
      assert.ok((await download.text()).includes(c.code), 'the downloaded receipt has the code');
      await shot(page, 'receipt');
      // The case is in the intake queue, online.
      const list = await (await (await as('sup')).get(`/api/v1/cases?case_no=${c.caseNo}`)).json();
      assert.equal(list.items[0].channel, 'online');
      assert.equal(list.items[0].unit_code, 'ROOT');
      c.id = list.items[0].id;
    });

    test('staff route, accept, note, reply and deliver through the API', { timeout: STEP_TIMEOUT }, async () => {
      assert.ok(c.id, 'the petition was submitted');
      await action('sup', 'route', { mode: 'transfer', unit: '330106' });
      await action('hd', 'accept', {});
      await action('hd', 'note', { kind: 'note', text: NOTE });
      await action('hd', 'reply', { outcome: 'support', text: REPLY, basis: '《劳动合同法》第三十条' });
      // The draft is issued once a leader signs it off (cn-2022).
      await action('rl', 'approve', {});
      const v = await action('sup', 'deliver', { received_on: todayIn('Asia/Shanghai') });
      assert.equal(v.stage, 'review_window');
    });

    test('the citizen tracks the case, reads the reply, rates it and asks for a review', { timeout: STEP_TIMEOUT }, async () => {
      assert.ok(c.code, 'the petition was submitted');
      const { page } = citizen;
      // A fresh visit: the receipt's cookie is gone.
      await citizen.context.clearCookies();
      await page.goto(`${server.url}/track`);
      await page.fill('#number', c.caseNo);
      await page.fill('#code', c.code.toLowerCase());
      await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/track/view');
      assert.equal(await text(page.locator('[data-testid=stage]')), '复查申请期');
      assert.equal(await text(page.locator('[data-testid=unit]')), '西湖区信访局');
      const notices = await text(page.locator('[data-testid=notices]'));
      assert.ok(notices.includes(REPLY), 'the reply is readable');
      assert.ok(notices.includes('《劳动合同法》第三十条'), 'with its legal basis');
      const body = await text(page.locator('main'));
      for (const secret of [NOTE, 'hd', '张三', '13800000000']) {
        assert.ok(!body.includes(secret), `the page does not show ${secret}`);
      }
      const statuses = await page.locator('[data-testid=deadlines] .badge').allTextContents();
      assert.deepEqual(statuses.slice(0, 3), ['按期完成', '按期完成', '按期完成'], 'routing, acceptance and handling were on time');
      await shot(page, 'case');

      await page.check('#rating-satisfied');
      await clickAndWait(page, page.locator('[data-testid=rate-form] button[type=submit]'));
      assert.match(await text(page.locator('[data-testid=done]')), /评价已提交/);
      assert.match(await text(page.locator('[data-testid=rate-closed]')), /满意/);

      await page.fill('#reason', '补偿金额的计算有误，请求复查。');
      await clickAndWait(page, page.locator('[data-testid=review-form] button[type=submit]'));
      assert.match(await text(page.locator('[data-testid=done]')), /复查申请已提交/);
      assert.equal(await text(page.locator('[data-testid=stage]')), '复查');
      assert.match(await text(page.locator('[data-testid=review-closed]')), /复查正在进行/);

      // English, through the header's switch, on the same page.
      await clickAndWait(page, page.locator('a.lang'));
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await text(page.locator('[data-testid=stage]')), 'Review');
      await clickAndWait(page, page.locator('a.lang'));
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

      const events = await (await (await as('sup')).get(`/api/v1/cases/${c.id}/events`)).json();
      const kinds = events.map((e) => e.kind);
      assert.ok(kinds.includes('rate') && kinds.includes('request_review'), `the case records both: ${kinds}`);
    });

    test('a leader publishes reception times; a citizen books; staff confirm; the citizen sees it', { timeout: STEP_TIMEOUT }, async () => {
      leader = await newPage(browser);
      const lp = leader.page;
      const resp = await login(lp, server.url, 'rl', PASSWORD);
      assert.equal(resp.status(), 200);
      const today = todayIn('Asia/Shanghai');
      for (const [day, name] of [[addDays(today, 1), '王局长'], [addDays(today, 2), '李副局长']]) {
        await lp.goto(`${server.url}/staff/reception`);
        await lp.locator('details:has([data-testid=slot-form]) summary').click();
        await lp.fill('#slot-leader', name);
        await lp.fill('#slot-title', '局长');
        await lp.fill('#slot-day', day);
        await lp.fill('#slot-start', '09:00');
        await lp.fill('#slot-end', '11:30');
        await lp.fill('#slot-place', '信访接待大厅');
        await clickAndWait(lp, lp.locator('[data-testid=slot-form] button[type=submit]'));
        assert.equal(new URL(lp.url()).searchParams.get('saved'), '1');
      }

      const { page } = citizen;
      await page.goto(`${server.url}/reception`);
      assert.equal(await page.locator('[data-testid=slots] li').count(), 2, 'both times are public');
      await shot(page, 'reception');
      await page.locator('input[name=slot]').first().check();
      await page.fill('#matter', '想当面反映工地拖欠工资的问题。');
      await page.fill('#phone', '13900000000');
      await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/reception/receipt');
      c.refNo = await text(page.locator('[data-testid=appt-ref]'));
      c.refCode = await text(page.locator('[data-testid=appt-code]'));
      assert.match(c.refNo, /^YF\d{10}$/);
      await shot(page, 'appointment-receipt');

      await lp.goto(`${server.url}/staff/reception`);
      const appt = lp.locator(`[data-testid=appointment][data-ref="${c.refNo}"]`);
      assert.match(await text(appt), /13900000000/, 'staff see how to reach the citizen');
      await appt.locator('select[name=decision]').selectOption('confirm');
      await appt.locator('textarea[name=message]').fill('请携带身份证件按时到达。');
      await clickAndWait(lp, appt.locator('button[type=submit]'));
      assert.equal(new URL(lp.url()).searchParams.get('saved'), '1');

      await citizen.context.clearCookies();
      await page.goto(`${server.url}/track`);
      await page.fill('#number', c.refNo);
      await page.fill('#code', c.refCode);
      await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
      assert.equal(await text(page.locator('[data-testid=appt-status]')), '已确认');
      assert.equal(await text(page.locator('[data-testid=appt-answer]')), '请携带身份证件按时到达。');
      assert.ok(!(await text(page.locator('main'))).includes('13900000000'), 'no contact details on the public page');
      await shot(page, 'appointment');

      // A field visit, logged with the case it took up.
      await lp.goto(`${server.url}/staff/reception`);
      await lp.locator('details:has([data-testid=visit-form]) summary').click();
      await lp.fill('#visit-leader', '王局长');
      await lp.fill('#visit-place', '某建筑工地');
      await lp.fill('#visit-cases', c.caseNo);
      await clickAndWait(lp, lp.locator('[data-testid=visit-form] button[type=submit]'));
      assert.match(await text(lp.locator('[data-testid=visits]')), new RegExp(c.caseNo));
      await lp.screenshot({ path: await artifactPath(`portal-staff-reception-${backend}.png`), fullPage: true });
    });

    test('axe finds no serious or critical problem on any portal page, at 360 px', { timeout: STEP_TIMEOUT * 2 }, async () => {
      assert.ok(c.code && c.refCode, 'the earlier steps made a case and an appointment');
      // Only this context bypasses the CSP, so that axe can be injected.
      const { context, page } = await phone(browser, { js: true, bypassCSP: true });
      const check = async (name) => {
        await page.addScriptTag({ path: AXE_PATH });
        const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
        const bad = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
        assert.deepEqual(
          bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
          [],
          `${name}: serious or critical axe violations`,
        );
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} fits 360 px (overflows by ${overflow} px)`);
        await shot(page, name);
      };
      try {
        for (const [path, name] of [['/', 'home'], ['/?lang=en', 'home-en'], ['/submit', 'submit'], ['/track', 'track'], ['/reception', 'reception-form']]) {
          const resp = await page.goto(`${server.url}${path}`);
          assert.equal(resp.status(), 200, path);
          await check(name);
        }
        // A form with mistakes.
        await page.goto(`${server.url}/submit`);
        await page.check('#type-claim');
        await page.selectOption('#category', 'labor.wages');
        await page.fill('#region', '12');
        await page.fill('#content', '内容');
        await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
        assert.ok(await page.locator('[data-testid=form-errors]').count(), 'the mistakes are listed');
        await check('submit-errors');
        // A wrong code.
        await page.goto(`${server.url}/track`);
        await page.fill('#number', c.caseNo);
        await page.fill('#code', 'AAAAAAAA');
        await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
        assert.ok(await page.locator('[data-testid=track-error]').count());
        await check('track-not-found');
        // The case page and the appointment page.
        for (const [number, code, name] of [[c.caseNo, c.code, 'case-axe'], [c.refNo, c.refCode, 'appointment-axe']]) {
          await page.goto(`${server.url}/track`);
          await page.fill('#number', number);
          await page.fill('#code', code);
          await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
          assert.equal(new URL(page.url()).pathname, '/track/view');
          await check(name);
        }
        // The receipts.
        await page.goto(`${server.url}/submit`);
        await page.check('#type-suggestion');
        await page.selectOption('#category', 'labor.wages');
        await page.fill('#region', '330106');
        await page.fill('#content', '建议在工地公示工资支付情况。');
        await page.check('#anonymous');
        await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
        assert.equal(new URL(page.url()).pathname, '/submit/receipt');
        await check('receipt-axe');
        await page.goto(`${server.url}/reception`);
        await page.locator('input[name=slot]').first().check();
        await page.fill('#matter', '反映小区噪音问题。');
        await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
        assert.equal(new URL(page.url()).pathname, '/reception/receipt');
        await check('appointment-receipt-axe');
      } finally {
        await context.close();
      }
    });

    test('too many tracking attempts are refused with 429 and Retry-After', { timeout: STEP_TIMEOUT }, async () => {
      const { context, page } = await phone(browser);
      try {
        let limited = null;
        for (let i = 0; i < 12 && !limited; i++) {
          await page.goto(`${server.url}/track`);
          await page.fill('#number', c.caseNo ?? 'ROOT-2026-000001');
          await page.fill('#code', 'AAAAAAAA');
          const resp = await clickAndWait(page, page.locator('form.portal-form button[type=submit]'));
          if (resp.status() === 429) limited = resp;
          else assert.equal(resp.status(), 404);
        }
        assert.ok(limited, 'the limit was hit within 12 attempts');
        const retry = Number(await limited.headerValue('retry-after'));
        assert.ok(retry >= 1 && retry <= 60, `Retry-After is ${retry}`);
        assert.match(await text(page.locator('[data-testid=portal-message]')), /秒后再试/);
        await shot(page, 'limited');
        // The API shares the budget.
        const r = await context.request.get(`${server.url}/api/v1/public/cases/${c.caseNo}?code=${c.code}`);
        assert.equal(r.status(), 429);
        assert.ok(r.headers()['retry-after']);
      } finally {
        await context.close();
      }
    });
  });
}
