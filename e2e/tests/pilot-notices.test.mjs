// Notices and the case page after a transfer, in a real browser, on SQLite and on
// PostgreSQL. The petition office's supervisor opens the route form (no unit chosen, a
// preview of what the citizen will be told, filled in as a unit is chosen), is refused a
// transfer to the office itself, and transfers the case to a department. The department
// accepts, notes, extends and drafts a reply; its leader sends the draft back, and the
// handler finds it in the reply form to edit; the leader signs it off. A review and a
// re-review follow. Every notice is read in the browser: each is headed and signed by
// the unit that took its step and names the right receiving unit. The timeline says it
// all in plain Chinese. Screenshots at 1366 and 360 px go to artifacts/.
//
// The steps that are not about these pages go through the API, to keep the suite cheap.

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
import {
  STEP_TIMEOUT,
  ACTION_TIMEOUT,
  NAV_TIMEOUT,
  changeAdminPassword,
  clickAndWait,
  login,
  text,
  todayIn,
} from '../lib/pages.mjs';

const PASSWORD = 'Test-password-1';
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };
const ROOT = '信访工作机构';
const OFFICE = { code: '330106', name: '西湖区信访局', level: 'county', parent: 'ROOT' };
const HR = { code: '330106-RS', name: '西湖区人力资源和社会保障局', level: 'department', parent: '330106' };
// username → [role, unit, display name]
const USERS = {
  pn_sup: ['supervisor', OFFICE.code, '督办员王芳'],
  pn_hd: ['handler', HR.code, '承办人李明'],
  pn_ld: ['leader', HR.code, '人社局长陈静'],
  pn_xld: ['leader', OFFICE.code, '信访局长周强'],
  pn_root: ['leader', 'ROOT', '主任赵刚'],
};
const NOTE = '已调取该公司近三个月的工资台账。';
const EXTEND_REASON = '需要调取银行流水';
const DRAFT = '经调查核实，该公司确实拖欠您三个月工资。';
const COMMENTS = '请写明支付期限';
const REPLY = '经调查核实，该公司确实拖欠您三个月工资，已责令其于十日内全额支付。';
const BASIS = '《保障农民工工资支付条例》第十五条';
const REVIEW_REASON = '支付金额不对';
const REVIEW = '原处理意见正确，予以维持。';
const REREVIEW = '复查意见正确，予以维持。';
const DECLINE_REASON = '该争议已由劳动仲裁受理';
const REFER_TO = '西湖区劳动人事争议仲裁委员会';
const FORM_ERROR = 'main p.error:not([data-testid=calendar-warning])';
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const DOC_DATE = /\d{4}年\d{1,2}月\d{1,2}日$/;

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    describe(`notices and the case page on ${backend}`, () => {
      if (IN_CI) test('prerequisites are present', () => assert.fail(`${backend}: ${pre.reason}`));
      else test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
    });
    continue;
  }

  describe(`notices and the case page on ${backend}`, () => {
    let server;
    let browser;
    const pages = {}; // username → { context, page }, logged in
    const apis = {}; // username → API request context, logged in
    // A: transferred and taken through to a re-review. B: assigned, then declined.
    const a = { id: null, no: null, code: null };
    const b = { id: null, no: null, code: null };

    before(async () => {
      server = await startServer(backend);
      await changeAdminPassword(server);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const s of Object.values(pages)) await s.context.close().catch(() => {});
      for (const r of Object.values(apis)) await r.dispose().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    async function api(username) {
      if (apis[username]) return apis[username];
      const r = await request.newContext({ baseURL: server.url });
      const password = username === 'admin' ? server.adminPassword : PASSWORD;
      const resp = await r.post('/api/v1/session', { data: { username, password } });
      assert.ok(resp.ok(), `${username} logs in: ${resp.status()}`);
      apis[username] = r;
      return r;
    }

    /** Takes an action through the API; the case as it is afterwards. */
    async function act(username, c, action, data = {}) {
      const resp = await (await api(username)).post(`/api/v1/cases/${c.id}/actions/${action}`, { data });
      assert.ok(resp.ok(), `${username} ${action}: ${resp.status()} ${await resp.text()}`);
      return resp.json();
    }

    async function as(username) {
      if (pages[username]) return pages[username].page;
      const context = await browser.newContext({ viewport: WIDE, locale: 'zh-CN' });
      context.setDefaultTimeout(ACTION_TIMEOUT);
      context.setDefaultNavigationTimeout(NAV_TIMEOUT);
      const page = await context.newPage();
      pages[username] = { context, page };
      const resp = await login(page, server.url, username, PASSWORD);
      assert.equal(resp.status(), 200, `${username} logs in`);
      return page;
    }

    /** Saves the page at 1366 px and at 360 px; at 360 nothing scrolls sideways. */
    async function shots(page, name) {
      await page.setViewportSize(WIDE);
      await page.screenshot({ path: await artifactPath(`pilot-notices-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name}: no sideways scrolling at 360 px (${overflow} px too wide)`);
      await page.screenshot({ path: await artifactPath(`pilot-notices-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
    }

    async function openCase(page, c) {
      const resp = await page.goto(`${server.url}/staff/cases/${c.id}`);
      assert.equal(resp.status(), 200);
      await page.locator('[data-testid=stage]').waitFor();
    }

    const form = (page, action) => page.locator(`[data-testid=actions] details[data-action="${action}"]`);
    const stageOf = (page) => text(page.locator('[data-testid=stage]'));

    /** Opens an action's form (unless it is open already). */
    async function openForm(page, action) {
      const details = form(page, action);
      assert.equal(await details.count(), 1, `the ${action} form is offered`);
      if (!(await details.evaluate((d) => d.open))) await details.locator(':scope > summary').click();
      return details;
    }

    async function submit(page, action, fields = {}) {
      const details = await openForm(page, action);
      for (const [name, value] of Object.entries(fields)) {
        const field = page.locator(`#${action}-${name}`);
        if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      return clickAndWait(page, details.locator('button[type=submit]'));
    }

    test('the office, its department and their staff are set up, with two cases', { timeout: STEP_TIMEOUT }, async () => {
      const admin = await api('admin');
      for (const unit of [OFFICE, HR]) {
        const r = await admin.post('/api/v1/units', { data: unit });
        assert.ok(r.ok(), `unit ${unit.code}: ${r.status()} ${await r.text()}`);
      }
      for (const [username, [role, unit, display_name]] of Object.entries(USERS)) {
        const r = await admin.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD, display_name } });
        assert.ok(r.ok(), `user ${username}: ${r.status()} ${await r.text()}`);
      }
      const sup = await api('pn_sup');
      for (const c of [a, b]) {
        const r = await sup.post('/api/v1/cases', {
          data: {
            channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106', unit: OFFICE.code,
            petitioners: [{ name: '钱七', phone: '13900139001' }], headcount: 1, representatives: [],
            respondent: '某物流公司', content: '某物流公司拖欠三个月工资，共计两万元。', demands: '支付拖欠的工资。',
          },
        });
        assert.equal(r.status(), 201, await r.text());
        const made = await r.json();
        c.id = made.id;
        c.no = made.case_no;
        c.code = made.query_code;
      }
    });

    test('the route form chooses no unit and previews what the citizen will be told', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      await openCase(page, a);
      const details = await openForm(page, 'route');
      assert.equal(await page.inputValue('#route-unit'), '', 'no unit is chosen for the supervisor');
      const preview = details.locator('[data-testid=route-preview]');
      assert.ok(await preview.isVisible(), 'the preview is shown with the form');
      const first = await preview.innerText();
      for (const want of ['信访事项转送（交办）告知书', OFFICE.name, a.no, '钱七', '所选单位']) {
        assert.ok(first.includes(want), `the preview says ${want}: ${first}`);
      }
      assert.doesNotMatch(first, ISO_DATE, 'dates as documents write them');
      await page.selectOption('#route-unit', HR.code);
      const marks = await preview.locator('[data-preview-unit]').allInnerTexts();
      assert.ok(marks.length > 0 && marks.every((m) => m === HR.name), `choosing the unit fills it in: ${marks}`);
      await page.selectOption('#route-unit', '');
      assert.ok((await preview.innerText()).includes('所选单位'), 'and choosing none puts the placeholder back');
      await page.selectOption('#route-unit', HR.code);
      await details.scrollIntoViewIfNeeded();
      await shots(page, 'route');
    });

    test('a transfer to the office that holds the case is refused beside the unit field', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      await openCase(page, a);
      const resp = await submit(page, 'route', { mode: 'transfer', unit: OFFICE.code });
      assert.equal(resp.status(), 422);
      assert.match(await text(page.locator(FORM_ERROR)), /不能转送或交办给本单位/);
      assert.match(await text(page.locator('[data-testid=field-error-unit]')), /不能转送或交办给本单位/);
      assert.equal(await page.inputValue('#route-unit'), OFFICE.code, 'the choice is kept');
      const marks = await form(page, 'route').locator('[data-preview-unit]').allInnerTexts();
      assert.ok(marks.every((m) => m === OFFICE.name), `the preview names the kept choice: ${marks}`);
      assert.equal(await stageOf(page), '待转送交办', 'nothing moved');
    });

    test('the supervisor transfers case A and assigns case B to the department', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      await openCase(page, a);
      const resp = await submit(page, 'route', { mode: 'transfer', unit: HR.code });
      assert.equal(resp.status(), 200);
      assert.equal(await stageOf(page), '受理告知');
      await act('pn_sup', b, 'route', { mode: 'assign', unit: HR.code, result_due: '2099-01-01' });
      await act('pn_hd', b, 'decline', { reason: DECLINE_REASON, refer_to: REFER_TO });
    });

    test('a draft the leader sends back is in the reply form, with the comments, to edit', { timeout: STEP_TIMEOUT }, async () => {
      await act('pn_hd', a, 'accept');
      await act('pn_hd', a, 'note', { kind: 'note', text: NOTE });
      await act('pn_ld', a, 'extend', { days: 10, reason: EXTEND_REASON });
      const hd = await as('pn_hd');
      await openCase(hd, a);
      let resp = await submit(hd, 'reply', { outcome: 'support', text: DRAFT, basis: BASIS });
      assert.equal(resp.status(), 200);
      assert.match(await text(hd.locator('[data-testid=sign-off-draft]')), /待领导签发/);

      const ld = await as('pn_ld');
      await openCase(ld, a);
      resp = await submit(ld, 'return', { comments: COMMENTS });
      assert.equal(resp.status(), 200);

      await openCase(hd, a);
      const reply = form(hd, 'reply');
      assert.ok(await reply.evaluate((d) => d.open), 'the reply form is open');
      assert.match(await text(reply.locator('[data-testid=returned-comments]')), new RegExp(COMMENTS));
      assert.equal(await hd.inputValue('#reply-text'), DRAFT, 'the draft text is there to edit');
      assert.equal(await hd.inputValue('#reply-basis'), BASIS);
      assert.equal(await hd.inputValue('#reply-outcome'), 'support');
      // On a phone, the case number and each action's deadline stay on one line.
      await hd.setViewportSize(PHONE);
      for (const el of [hd.locator('[data-testid=case-no]'), reply.locator('.action-due')]) {
        const lines = await el.evaluate((e) => e.getClientRects().length);
        assert.equal(lines, 1, `${await text(el)} on one line at 360 px`);
      }
      await reply.scrollIntoViewIfNeeded();
      await shots(hd, 'reply-returned');
      resp = await submit(hd, 'reply', { text: REPLY });
      assert.equal(resp.status(), 200);
      assert.match(await text(hd.locator('[data-testid=draft-text]')), /十日内全额支付/);

      // The handler's notifications (routed in, sent back) fit a phone, numbers unbroken.
      await hd.goto(`${server.url}/staff/notifications`);
      assert.match(await text(hd.locator('[data-testid=notifications]')), /退回/);
      await hd.setViewportSize(PHONE);
      const split = await hd.evaluate(() => [...document.querySelectorAll('[data-testid=notifications] a')]
        .filter((e) => e.getClientRects().length > 1).map((e) => e.textContent));
      assert.deepEqual(split, [], 'case numbers unbroken at 360 px');
      await shots(hd, 'notifications'); // and nothing wider than the screen

      await act('pn_ld', a, 'approve');
      const day = { received_on: todayIn('Asia/Shanghai') };
      await act('pn_sup', a, 'deliver', day);
      await act('pn_sup', a, 'rate', { rating: 'dissatisfied' });
      await act('pn_sup', a, 'request_review', { reason: REVIEW_REASON });
      await act('pn_xld', a, 'review_decision', { outcome: 'uphold', text: REVIEW });
      // A leader further up signs it off: the office that wrote it still issues it.
      await act('pn_root', a, 'approve');
      await act('pn_sup', a, 'deliver', day);
      await act('pn_sup', a, 'request_rereview', { reason: '仍不服' });
      await act('pn_root', a, 'rereview_decision', { outcome: 'uphold', text: REREVIEW });
      await act('pn_root', a, 'approve');
    });

    /** Opens the case's notices one by one: [{ issuer, signature, body, title }]. */
    async function readNotices(page, c) {
      await openCase(page, c);
      const count = await page.locator('[data-testid=notices] a').count();
      const out = [];
      for (let i = 0; i < count; i++) {
        await openCase(page, c);
        const link = page.locator('[data-testid=notices] a').nth(i);
        const listed = await text(page.locator('[data-testid=notice-issuer]').nth(i));
        const title = await text(link);
        await clickAndWait(page, link);
        out.push({
          listed,
          title,
          issuer: await text(page.locator('[data-testid=issuer]')),
          signature: await text(page.locator('[data-testid=signature]')),
          body: await text(page.locator('[data-testid=notice]')),
        });
      }
      return out;
    }

    test('every notice of case A is issued by the unit that took its step', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      const notices = await readNotices(page, a);
      const expect = [
        [OFFICE.name, '转送', [`转送（交办）${HR.name}办理`]],
        [HR.name, '受理', []],
        [HR.name, '延期', [EXTEND_REASON]],
        [HR.name, '处理意见', ['十日内全额支付', BASIS]],
        [OFFICE.name, '复查', [REVIEW]],
        [ROOT, '复核', [REREVIEW]],
      ];
      assert.equal(notices.length, expect.length, notices.map((n) => n.title).join(' / '));
      for (const [i, [issuer, title, says]] of expect.entries()) {
        const n = notices[i];
        assert.ok(n.title.includes(title), `notice ${i}: ${n.title}`);
        assert.equal(n.listed, issuer, `${n.title} is listed under its issuer`);
        assert.equal(n.issuer, issuer, `${n.title} is headed by ${issuer}`);
        assert.ok(n.signature.startsWith(issuer), `${n.title} is signed by ${issuer}: ${n.signature}`);
        assert.match(n.signature, DOC_DATE, 'dated in words');
        assert.doesNotMatch(n.body, ISO_DATE, `${n.title}: no ISO dates`);
        for (const want of says) assert.ok(n.body.includes(want), `${n.title} says ${want}: ${n.body}`);
      }
      // The transfer names the department as the receiving unit, never the office itself.
      assert.ok(!notices[0].body.includes(`转送（交办）${OFFICE.name}`), notices[0].body);
      // The reply does not repeat its template's lead-in.
      assert.ok(!notices[3].body.includes('经调查核实，处理意见如下：经调查核实'), notices[3].body);

      await openCase(page, a);
      await clickAndWait(page, page.locator('[data-testid=notices] a').first());
      await shots(page, 'notice-transfer');
    });

    test('case B: the assignment comes from the office, the refusal from the department', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      const [assign, refusal, ...rest] = await readNotices(page, b);
      assert.equal(rest.length, 0);
      assert.equal(assign.issuer, OFFICE.name);
      assert.ok(assign.body.includes(`转送（交办）${HR.name}办理`), assign.body);
      assert.equal(refusal.issuer, HR.name);
      assert.ok(refusal.signature.startsWith(HR.name), refusal.signature);
      for (const want of [DECLINE_REASON, REFER_TO]) assert.ok(refusal.body.includes(want), `${want}: ${refusal.body}`);
    });

    test('the timeline says in plain Chinese what happened, who did it and where the case went', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      await openCase(page, a);
      const entries = await page.locator('[data-testid=timeline] li').allInnerTexts();
      const all = entries.join('\n');
      const has = (...words) => entries.some((e) => words.every((w) => e.includes(w)));
      assert.ok(has('转送交办', `转送至：${HR.name}`, '督办员王芳（西湖区信访局）'), all);
      assert.ok(has(NOTE, '承办人李明（西湖区人力资源和社会保障局）'), all);
      assert.ok(has('办理期限延长 10 日', `理由：${EXTEND_REASON}`, '人社局长陈静'), all);
      assert.ok(has(`修改意见：${COMMENTS}`), all);
      assert.ok(has('结论：支持', REPLY, `依据：${BASIS}`), all);
      assert.ok(has('评价：不满意'), all);
      assert.ok(has(`理由：${REVIEW_REASON}`), all);
      assert.ok(has(REVIEW, `作出单位：${OFFICE.name}`), all);
      assert.ok(!has(REVIEW, `作出单位：${ROOT}`), `the office made the review opinion: ${all}`);
      for (const word of ['pn_', 'portal', 'petitioner', '#', 'undefined']) {
        assert.ok(!all.includes(word), `no "${word}" on the timeline: ${all}`);
      }
      assert.doesNotMatch(all, /[a-z]{4,}/, `no English words on the timeline: ${all}`);
      const now = await page.locator('[data-testid=now]').boundingBox();
      const timeline = await page.locator('[data-testid=timeline]').boundingBox();
      assert.ok(now.y < timeline.y, 'what to do now comes first');
      await shots(page, 'case');
    });

    test('the queue keeps case numbers and dates on one line, on a phone too', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      await page.goto(`${server.url}/staff/cases`);
      for (const viewport of [WIDE, PHONE]) {
        await page.setViewportSize(viewport);
        for (const no of [a.no, b.no]) {
          const link = page.locator(`a:has-text("${no}")`).first();
          const lines = await link.evaluate((e) => e.getClientRects().length);
          assert.equal(lines, 1, `${no} on one line at ${viewport.width} px`);
        }
      }
      await shots(page, 'queue');
    });

    test('on a phone, the registration form fits the screen; a citizen tracks the case with dates in words', { timeout: STEP_TIMEOUT }, async () => {
      const page = await as('pn_sup');
      await page.goto(`${server.url}/staff/cases/new`);
      await page.locator('table.petitioners').waitFor();
      await shots(page, 'register'); // no sideways scrolling at 360 px
      const citizen = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled: false });
      try {
        const phone = await citizen.newPage();
        await phone.goto(`${server.url}/track`);
        const words = await phone.evaluate(() => document.body.innerText);
        assert.ok(!words.includes('ROOT'), `no internal unit code on /track: ${words}`);
        // The citizen reads case A: every date as documents write it, none split.
        assert.ok(a.code, 'the registration gave a query code');
        await phone.fill('#number', a.no);
        await phone.fill('#code', a.code);
        await clickAndWait(phone, phone.locator('form.portal-form button[type=submit]'));
        assert.equal(new URL(phone.url()).pathname, '/track/view');
        const view = await phone.evaluate(() => document.querySelector('main').innerText);
        assert.doesNotMatch(view, ISO_DATE, `no ISO dates for the citizen: ${view}`);
        assert.ok(view.includes(REPLY) && view.includes(REVIEW), view);
        for (const date of await phone.locator('[data-testid=notices] time').allInnerTexts()) {
          assert.match(date, DOC_DATE);
        }
        const split = await phone.evaluate(() => [...document.querySelectorAll('.deadlines .nowrap, [data-testid=notices] time, [data-testid=case-no]')]
          .filter((e) => e.getClientRects().length > 1).map((e) => e.textContent));
        assert.deepEqual(split, [], 'no date or case number is split over two lines');
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `/track fits at 360 px (${overflow} px too wide)`);
        await phone.screenshot({ path: await artifactPath(`pilot-notices-track-360-${backend}.png`), fullPage: true });
      } finally {
        await citizen.close();
      }
    });
  });
}
