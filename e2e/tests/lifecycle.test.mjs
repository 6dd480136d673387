// Browser test of a case's statutory lifecycle on the case page, on SQLite and on
// PostgreSQL: routing, acceptance, handling (note, extension), reply, delivery,
// rating, review and re-review by the unit above, conclusion and closing — each
// step taken by the role that may take it, through the action forms.
//
// Each backend gets its own server and Chromium; every user works in a browser
// context of their own. The steps of one backend run in order and share the case.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
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
  clickAndWait,
  newPage,
  login,
  text,
  todayIn,
  changeAdminPassword,
} from '../lib/pages.mjs';

const PASSWORD = 'Test-password-1';
const COUNTY = { code: '330106', name: '西湖区信访局', level: 'county', parent: 'ROOT' };
// username → [role, unit]
const USERS = {
  sup: ['supervisor', 'ROOT'],
  hd: ['handler', COUNTY.code],
  ld: ['leader', COUNTY.code],
  rl: ['leader', 'ROOT'],
};

const STAGE = {
  routing: '待转送交办',
  acceptance: '受理告知',
  handling: '办理',
  replyDelivery: '待送达答复',
  reviewWindow: '复查申请期',
  review: '复查',
  reviewDelivery: '待送达复查意见',
  rereviewWindow: '复核申请期',
  rereview: '复核',
  rereviewDelivery: '待送达复核意见',
  concluded: '已终结',
  closed: '已办结',
};

// The timeline entries the walk adds, in order: [event label, actor].
const WALK = [
  ['转送交办', 'sup'],
  ['受理', 'hd'],
  ['办理记录', 'hd'],
  ['延期', 'ld'],
  ['答复', 'hd'],
  ['领导签发', 'ld'],
  ['送达', 'sup'],
  ['满意度评价', 'sup'],
  ['申请复查', 'sup'],
  ['复查意见', 'rl'],
  ['领导签发', 'rl'],
  ['送达', 'sup'],
  ['申请复核', 'sup'],
  ['复核意见', 'rl'],
  ['领导签发', 'rl'],
  ['送达', 'sup'],
  ['办结归档', 'sup'],
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// A form's error; not the admins' banner about a missing holiday schedule, which has
// the same class.
const FORM_ERROR = 'main p.error:not([data-testid=calendar-warning])';

/** Days from date a to date b (YYYY-MM-DD). */
const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    describe(`case lifecycle on ${backend}`, () => {
      if (IN_CI) {
        test('prerequisites are present', () => {
          assert.fail(`${backend}: ${pre.reason} (CI is set: a missing prerequisite fails the run)`);
        });
      } else {
        test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
      }
    });
    continue;
  }

  describe(`case lifecycle on ${backend}`, () => {
    let server;
    let browser;
    // username → { context, page }, each logged in in a context of its own.
    const as = {};
    const uniq = `${backend}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    // Filled in by the steps, in order.
    const c = {
      id: null,
      caseNo: null,
      serverToday: null,
      baseTimeline: null,
      reached: null, // the stage label the last successful step left the case in
    };

    before(async () => {
      server = await startServer(backend);
      // The one-time admin password must be changed first (the forced first-login change).
      await changeAdminPassword(server);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const s of Object.values(as)) await s.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    const casePath = () => `/staff/cases/${c.id}`;

    /** Fails a step at once unless the earlier steps left the case in `stage`. */
    const need = (stage) => {
      assert.ok(c.id, 'no case was registered by the earlier step');
      assert.equal(c.reached, stage, `the earlier steps did not bring the case to ${stage}`);
    };

    /** Logs `username` in, in a fresh browser context, once. */
    async function user(username) {
      if (as[username]) return as[username].page;
      const s = await newPage(browser);
      as[username] = s;
      const resp = await login(s.page, server.url, username, username === 'admin' ? server.adminPassword : PASSWORD);
      assert.equal(resp.status(), 200, `${username} logs in`);
      assert.equal(new URL(s.page.url()).pathname, '/staff/today', `${username} lands on today's work`);
      await s.page.locator('[data-testid=who]').waitFor();
      return s.page;
    }

    async function openCase(page) {
      const resp = await page.goto(`${server.url}${casePath()}`);
      assert.equal(resp.status(), 200, `the case page answered ${resp.status()}`);
      await page.locator('[data-testid=stage]').waitFor();
    }

    const stageOf = (page) => text(page.locator('[data-testid=stage]'));
    const actionForm = (page, action) => page.locator(`[data-testid=actions] details[data-action="${action}"]`);
    const offered = async (page) =>
      page.locator('[data-testid=actions] details[data-action]').evaluateAll((ds) => ds.map((d) => d.dataset.action));

    /** Opens the form of `action`, fills its fields ({name: value}) and submits it. */
    async function submitAction(page, action, fields = {}) {
      const details = actionForm(page, action);
      assert.equal(await details.count(), 1, `the ${action} form is offered (offered: ${JSON.stringify(await offered(page))})`);
      await details.locator(':scope > summary').click();
      const submit = details.locator('button[type=submit]');
      await submit.waitFor({ state: 'visible' });
      for (const [name, value] of Object.entries(fields)) {
        const field = page.locator(`#${action}-${name}`);
        const tag = await field.evaluate((e) => e.tagName);
        if (tag === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      return clickAndWait(page, submit);
    }

    /**
     * As `username`, on the case page, takes `action` and expects it to succeed and to
     * leave the case in `stage`.
     */
    async function act(username, action, fields, stage) {
      const page = await user(username);
      await openCase(page);
      const resp = await submitAction(page, action, fields);
      const url = new URL(page.url());
      const error = page.locator(FORM_ERROR);
      const shown = (await error.count()) ? await text(error) : '';
      assert.equal(shown, '', `${username}'s ${action} shows no error`);
      assert.equal(resp.status(), 200, `${username}'s ${action} answered ${resp.status()}`);
      assert.equal(url.pathname, casePath(), `${username}'s ${action} leads back to the case page`);
      assert.equal(url.searchParams.get('saved'), '1', 'the page says it was saved');
      await page.locator('p.notice').waitFor();
      assert.equal(await stageOf(page), stage, `after ${username}'s ${action} the stage is ${stage}`);
      c.reached = stage;
      return page;
    }

    test('admin sets up a county and its users through the API', { timeout: STEP_TIMEOUT }, async () => {
      const admin = await user('admin');
      const api = as.admin.context.request;
      let r = await api.post(`${server.url}/api/v1/units`, { data: COUNTY });
      assert.ok(r.ok(), `creating the unit answered ${r.status()}: ${await r.text()}`);
      for (const [username, [role, unit]] of Object.entries(USERS)) {
        r = await api.post(`${server.url}/api/v1/users`, {
          data: { username, role, unit, password: PASSWORD, display_name: `${username}-${role}` },
        });
        assert.ok(r.ok(), `creating ${username} answered ${r.status()}: ${await r.text()}`);
      }
      await admin.goto(`${server.url}/staff/admin/users`);
      for (const username of Object.keys(USERS)) {
        assert.equal(await admin.locator('table td', { hasText: new RegExp(`^${username}$`) }).count(), 1, `${username} is listed`);
      }
    });

    test('the supervisor registers a petition and opens the case', { timeout: STEP_TIMEOUT }, async () => {
      const page = await user('sup');
      await page.goto(`${server.url}/staff/cases/new`);
      c.serverToday = await page.inputValue('#received_on');
      assert.match(c.serverToday, DATE);
      assert.equal(c.serverToday, todayIn('Asia/Shanghai'), 'the server\'s today is today in Asia/Shanghai');
      await page.selectOption('#category', 'labor.wages');
      await page.fill('#region', '330106');
      await page.fill('input[name=p0_name]', '赵六');
      await page.fill('input[name=p0_phone]', '13900139000');
      await page.fill('#respondent', `某餐饮公司 ${uniq}`);
      await page.fill('#content', `E2E ${uniq} 某餐饮公司拖欠工资两个月。`);
      await page.fill('#demands', '支付拖欠的工资。');
      const resp = await clickAndWait(page, page.getByRole('button', { name: '登记并出具回执' }));
      assert.equal(resp.status(), 200, `registration answered ${resp.status()}`);
      const m = new URL(page.url()).pathname.match(/^\/staff\/cases\/([^/]+)\/receipt$/);
      assert.ok(m, `landed on the receipt, not ${page.url()}`);
      c.id = m[1];
      c.caseNo = await text(page.locator('[data-testid=receipt-case-no]'));
      assert.ok(c.caseNo.length > 0);

      await clickAndWait(page, page.locator(`a[href="${casePath()}"]`).first());
      assert.equal(new URL(page.url()).pathname, casePath());
      assert.equal(await text(page.locator('[data-testid=case-no]')), c.caseNo);
      assert.equal(await stageOf(page), STAGE.routing);
      assert.match(await text(page.locator('[data-testid=due-date]')), DATE, 'routing has a due date');
      assert.deepEqual(await offered(page), ['route', 'void', 'link_concluded'], 'a supervisor may route, void or link a new case to a concluded one');
      c.baseTimeline = await page.locator('[data-testid=timeline] li').count();
      assert.ok(c.baseTimeline >= 1, 'the registration is on the timeline');
      c.reached = STAGE.routing;
    });

    test('an admin sees the case but is offered no action', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.routing);
      const page = await user('admin');
      await openCase(page);
      assert.equal(await page.locator('[data-testid=actions]').count(), 0, 'no actions block for an admin');
      assert.equal(await page.locator('details[data-action]').count(), 0);
    });

    test('the county cannot see the case before it is transferred', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.routing);
      const page = await user('hd');
      const resp = await page.goto(`${server.url}${casePath()}`);
      assert.equal(resp.status(), 404);
    });

    test('the supervisor transfers the case to the county', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.routing);
      const page = await act('sup', 'route', { mode: 'transfer', unit: COUNTY.code }, STAGE.acceptance);
      assert.match((await page.locator('dl.facts').allInnerTexts()).join('\n'), /330106/, 'the case is with the county now');
      assert.match(await text(page.locator('[data-testid=due-date]')), DATE, 'acceptance has a due date');
    });

    test('the county handler accepts it and records a hearing', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.acceptance);
      let page = await user('hd');
      await openCase(page);
      const mine = await offered(page);
      assert.ok(mine.includes('accept'), `the handler may accept: ${JSON.stringify(mine)}`);
      assert.ok(!mine.includes('route') && !mine.includes('void'), `a handler neither routes nor voids: ${JSON.stringify(mine)}`);
      await act('hd', 'accept', {}, STAGE.handling);
      page = await act('hd', 'note', { kind: 'hearing', text: '组织听证，双方到场陈述。' }, STAGE.handling);
      const entries = await page.locator('[data-testid=timeline] li').allInnerTexts();
      assert.match(entries.at(-1), /办理记录/, 'the note is on the timeline');
    });

    test('the county leader: a bad extension is refused, a good one moves the due date once', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.handling);
      const page = await user('ld');
      await openCase(page);
      const dueBefore = await text(page.locator('[data-testid=due-date]'));
      assert.match(dueBefore, DATE);
      const timelineBefore = await page.locator('[data-testid=timeline] li').count();

      // 99 days is more than the rules allow (30).
      let resp = await submitAction(page, 'extend', { days: '99', reason: '案情复杂' });
      assert.ok(resp.status() < 500, `the refused extension answered ${resp.status()}`);
      const error = page.locator(FORM_ERROR);
      await error.waitFor();
      assert.match(await text(error), /延期天数超出允许范围/, 'the error names the problem');
      assert.notEqual(new URL(page.url()).searchParams.get('saved'), '1', 'nothing was saved');
      assert.equal(await stageOf(page), STAGE.handling, 'the stage is unchanged');
      assert.equal(await text(page.locator('[data-testid=due-date]')), dueBefore, 'the due date is unchanged');
      assert.equal(await page.locator('[data-testid=timeline] li').count(), timelineBefore, 'no timeline entry');

      // A second tab that still shows the extension form.
      const stale = await as.ld.context.newPage();
      try {
        await openCase(stale);
        assert.equal(await actionForm(stale, 'extend').count(), 1);

        const after = await act('ld', 'extend', { days: '30', reason: '案情复杂，需补充调查' }, STAGE.handling);
        const dueAfter = await text(after.locator('[data-testid=due-date]'));
        assert.match(dueAfter, DATE);
        const moved = daysBetween(dueBefore, dueAfter);
        assert.ok(moved >= 25 && moved <= 40, `the due date moved by about 30 days: ${dueBefore} → ${dueAfter}`);
        assert.equal(await actionForm(after, 'extend').count(), 0, 'one extension only: the form is gone');
        const handlingRow = after.locator('[data-testid=deadlines] tbody tr', { hasText: STAGE.handling });
        // The due cell may add a note after the date (counted on plain weekends when the
        // year's holidays are not published).
        const dueCell = await text(handlingRow.last().locator('td').nth(2));
        assert.equal(dueCell.split(/\s/)[0], dueAfter, `the deadlines table has the new due date: ${dueCell}`);

        // The stale form is refused: the stage no longer allows an extension.
        resp = await submitAction(stale, 'extend', { days: '10', reason: '再次延期' });
        assert.ok(resp.status() < 500, `the second extension answered ${resp.status()}`);
        await stale.locator(FORM_ERROR).waitFor();
        assert.match(await text(stale.locator(FORM_ERROR)), /当前环节不允许此操作/);
        assert.equal(await stageOf(stale), STAGE.handling);
        assert.equal(await text(stale.locator('[data-testid=due-date]')), dueAfter, 'the due date is not moved again');
        assert.equal(await actionForm(stale, 'extend').count(), 0);
      } finally {
        await stale.close();
      }
    });

    test('the handler drafts the reply and the county leader signs it off', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.handling);
      // cn-2022 has replies signed off (签发): the draft waits in handling.
      let page = await act(
        'hd',
        'reply',
        { outcome: 'support', text: '经调查，诉求属实，责令该公司于十日内支付拖欠工资。', basis: '《保障农民工工资支付条例》第十五条' },
        STAGE.handling,
      );
      assert.equal(await actionForm(page, 'reply').count(), 0, 'no second draft while one waits');
      page = await act('ld', 'approve', {}, STAGE.replyDelivery);
      assert.equal(await actionForm(page, 'reply').count(), 0, 'no second reply');
    });

    test('the supervisor records delivery and the rating, then the request for review', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.replyDelivery);
      let page = await act('sup', 'deliver', { received_on: todayIn('Asia/Shanghai') }, STAGE.reviewWindow);
      assert.match(await text(page.locator('[data-testid=due-date]')), DATE, 'the review window has a due date');
      page = await act('sup', 'rate', { rating: 'satisfied' }, STAGE.reviewWindow);
      assert.equal(await actionForm(page, 'rate').count(), 0, 'rated once only');
      await act('sup', 'request_review', { reason: '对处理意见不服，申请复查。' }, STAGE.review);
    });

    test('the county leader is offered no review opinion on its own unit\'s case', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.review);
      const page = await user('ld');
      await openCase(page);
      assert.equal(await stageOf(page), STAGE.review);
      assert.equal(
        await actionForm(page, 'review_decision').count(),
        0,
        `a leader of the handling unit must not be offered review_decision (offered: ${JSON.stringify(await offered(page))})`,
      );
    });

    test('the server refuses a review opinion from the handling unit\'s leader', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.review);
      await user('ld');
      const r = await as.ld.context.request.post(`${server.url}/api/v1/cases/${c.id}/actions/review_decision`, {
        data: { outcome: 'change', text: '自己复查自己。' },
      });
      assert.equal(r.status(), 403, `answered ${r.status()}: ${await r.text()}`);
      const page = await user('sup');
      await openCase(page);
      assert.equal(await stageOf(page), STAGE.review, 'the stage is unchanged');
    });

    test('the leader above gives the review opinion; delivery; request for re-review', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.review);
      await act('rl', 'review_decision', { outcome: 'uphold', text: '原处理意见正确，予以维持。' }, STAGE.review);
      await act('rl', 'approve', {}, STAGE.reviewDelivery);
      await act('sup', 'deliver', { received_on: todayIn('Asia/Shanghai') }, STAGE.rereviewWindow);
      await act('sup', 'request_rereview', { reason: '对复查意见不服，申请复核。' }, STAGE.rereview);
    });

    test('the leader above gives the re-review opinion; delivery concludes; the supervisor closes', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.rereview);
      await act('rl', 'rereview_decision', { outcome: 'uphold', text: '复查意见正确，予以维持。' }, STAGE.rereview);
      await act('rl', 'approve', {}, STAGE.rereviewDelivery);
      await act('sup', 'deliver', { received_on: todayIn('Asia/Shanghai') }, STAGE.concluded);
      const page = await act('sup', 'close', { reason: '复核终结，归档。' }, STAGE.closed);
      assert.equal(await page.locator('[data-testid=actions]').count(), 0, `nothing more to do (offered: ${JSON.stringify(await offered(page))})`);
    });

    test('the timeline and the deadlines tell the whole story', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.closed);
      const page = await user('sup');
      await openCase(page);
      const entries = await page.locator('[data-testid=timeline] li').allInnerTexts();
      assert.equal(entries.length, c.baseTimeline + WALK.length, `an entry per action: ${JSON.stringify(entries, null, 1)}`);
      assert.match(entries[0], /登记/);
      WALK.forEach(([label, actor], i) => {
        const entry = entries[c.baseTimeline + i];
        assert.ok(entry.includes(label), `entry ${c.baseTimeline + i} is ${label}: ${entry}`);
        assert.match(entry, new RegExp(`· ${actor}\\b`), `entry ${c.baseTimeline + i} names ${actor}: ${entry}`);
      });

      const rows = await page.locator('[data-testid=deadlines] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
      );
      const stages = rows.map((r) => r[0]);
      assert.deepEqual(
        stages,
        [
          STAGE.routing, STAGE.acceptance, STAGE.handling, STAGE.replyDelivery, STAGE.reviewWindow,
          STAGE.review, STAGE.reviewDelivery, STAGE.rereviewWindow, STAGE.rereview,
          STAGE.rereviewDelivery, STAGE.concluded,
        ],
        'a deadline row per stage the case went through',
      );
      const today = todayIn('Asia/Shanghai');
      for (const [stage, start, due, met] of rows) {
        assert.match(start, DATE, `${stage} has a start`);
        assert.match(met, DATE, `${stage} was met: ${JSON.stringify(rows)}`);
        assert.ok(met >= start && met <= today, `${stage} was met between its start and today: ${start} … ${met}`);
        if (due) assert.match(due.split(/\s/)[0], DATE, `${stage}'s due date`);
      }
      for (const stage of [STAGE.routing, STAGE.acceptance, STAGE.handling, STAGE.reviewWindow, STAGE.review, STAGE.rereviewWindow, STAGE.rereview]) {
        const row = rows.find((r) => r[0] === stage);
        assert.match(row[2], /^\d{4}-\d{2}-\d{2}/, `${stage} has a due date`);
      }
      await page.screenshot({ path: await artifactPath(`lifecycle-${backend}.png`), fullPage: true });
    });

    test('each step the petitioner must be told about has a notice that prints cleanly', { timeout: STEP_TIMEOUT }, async () => {
      need(STAGE.closed);
      const page = await user('sup');
      await openCase(page);
      const links = page.locator('[data-testid=notices] a');
      assert.deepEqual(await links.allInnerTexts(), [
        '信访事项转送（交办）告知书', '信访事项受理告知书', '信访事项延期办理告知书',
        '信访处理意见书', '信访事项复查意见书', '信访事项复核意见书',
      ]);
      await clickAndWait(page, links.nth(3));
      const body = await text(page.locator('[data-testid=notice]'));
      assert.ok(body.includes(c.caseNo), 'the decision names the case');
      assert.match(body, /处理意见如下/);
      assert.match(body, /三十日内/, 'it tells the petitioner how to ask for review');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('nav.no-print').isVisible(), false, 'the buttons do not print');
      const pdf = await page.pdf({ preferCSSPageSize: true });
      assert.ok(pdf.length > 5000, 'a real PDF');
      await writeFile(await artifactPath(`notice-decision-${backend}.pdf`), pdf);
      await page.screenshot({ path: await artifactPath(`notice-decision-${backend}.png`), fullPage: true });
    });
  });
}
