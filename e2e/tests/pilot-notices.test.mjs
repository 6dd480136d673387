// Browser test of the case page after a transfer, on SQLite and on PostgreSQL: the
// route form previews the notice and refuses a transfer to the unit that holds the
// case; the timeline says in Chinese where the case went and what staff wrote; the
// transfer notice is headed and signed by the petition office and names the receiving
// department. Screenshots of the case page at 1366 px and 360 px go to artifacts/.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  launchBrowser,
  artifactPath,
  postgresAvailable,
  chromiumAvailable,
  IN_CI,
} from '../lib/server.mjs';
import { STEP_TIMEOUT, clickAndWait, newPage, login, text, changeAdminPassword } from '../lib/pages.mjs';

const PASSWORD = 'Test-password-1';
const OFFICE = { code: '330106', name: '西湖区信访局', level: 'county', parent: 'ROOT' };
const HR = { code: '330106-RS', name: '西湖区人力资源和社会保障局', level: 'department', parent: '330106' };
// username → [role, unit, display name]
const USERS = {
  pn_sup: ['supervisor', OFFICE.code, '督办员王芳'],
  pn_hd: ['handler', HR.code, '承办人李明'],
};
const NOTE = '已调取该公司近三个月的工资台账。';
const FORM_ERROR = 'main p.error:not([data-testid=calendar-warning])';

async function prerequisites(backend) {
  const c = chromiumAvailable();
  if (!c.ok) return c;
  if (backend === 'postgres') return postgresAvailable();
  return { ok: true };
}

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    describe(`notices and the case page on ${backend}`, () => {
      if (IN_CI) {
        test('prerequisites are present', () => assert.fail(`${backend}: ${pre.reason}`));
      } else {
        test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
      }
    });
    continue;
  }

  describe(`notices and the case page on ${backend}`, () => {
    let server;
    let browser;
    const as = {};
    const c = { id: null };

    before(async () => {
      server = await startServer(backend);
      await changeAdminPassword(server);
      browser = await launchBrowser();
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      for (const s of Object.values(as)) await s.context.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, { timeout: STEP_TIMEOUT });

    async function user(username) {
      if (as[username]) return as[username].page;
      const s = await newPage(browser);
      as[username] = s;
      const password = username === 'admin' ? server.adminPassword : PASSWORD;
      const resp = await login(s.page, server.url, username, password);
      assert.equal(resp.status(), 200, `${username} logs in`);
      return s.page;
    }

    const casePath = () => `/staff/cases/${c.id}`;
    const routeForm = (page) => page.locator('[data-testid=actions] details[data-action="route"]');

    test('the office, its department and their staff are set up', { timeout: STEP_TIMEOUT }, async () => {
      await user('admin');
      const api = as.admin.context.request;
      for (const unit of [OFFICE, HR]) {
        const r = await api.post(`${server.url}/api/v1/units`, { data: unit });
        assert.ok(r.ok(), `unit ${unit.code}: ${r.status()} ${await r.text()}`);
      }
      for (const [username, [role, unit, display_name]] of Object.entries(USERS)) {
        const r = await api.post(`${server.url}/api/v1/users`, {
          data: { username, role, unit, password: PASSWORD, display_name },
        });
        assert.ok(r.ok(), `user ${username}: ${r.status()} ${await r.text()}`);
      }
      const sup = await user('pn_sup');
      const r = await as.pn_sup.context.request.post(`${server.url}/api/v1/cases`, {
        data: {
          channel: 'visit', type: 'claim', category: 'labor.wages', region: '330106', unit: OFFICE.code,
          petitioners: [{ name: '钱七', phone: '13900139001' }], headcount: 1, representatives: [],
          respondent: '某物流公司', content: '某物流公司拖欠三个月工资。', demands: '支付拖欠的工资。',
        },
      });
      assert.equal(r.status(), 201, await r.text());
      c.id = (await r.json()).id;
      await sup.goto(`${server.url}${casePath()}`);
      await sup.locator('[data-testid=now]').waitFor();
    });

    test('the route form has no default unit and shows what the petitioner will be told', { timeout: STEP_TIMEOUT }, async () => {
      const page = await user('pn_sup');
      await page.goto(`${server.url}${casePath()}`);
      const form = routeForm(page);
      await form.locator(':scope > summary').click();
      assert.equal(await page.inputValue('#route-unit'), '', 'no unit is chosen for the supervisor');
      const preview = form.locator('[data-testid=route-preview]');
      assert.ok(await preview.isVisible(), 'the preview is shown with the form');
      const before = await preview.innerText();
      assert.ok(before.includes('信访事项转送（交办）告知书'), before);
      assert.ok(before.includes(OFFICE.name), 'the office issues it');
      assert.ok(before.includes('所选单位'), 'the unit is still to be chosen');
      await page.selectOption('#route-unit', HR.code);
      assert.ok((await preview.innerText()).includes(HR.name), 'choosing the unit fills it in');
      await page.screenshot({ path: await artifactPath(`pilot-notices-route-${backend}.png`), fullPage: true });
    });

    test('a transfer to the unit that holds the case is refused beside the unit field', { timeout: STEP_TIMEOUT }, async () => {
      const page = await user('pn_sup');
      await page.goto(`${server.url}${casePath()}`);
      const form = routeForm(page);
      await form.locator(':scope > summary').click();
      await page.selectOption('#route-mode', 'transfer');
      await page.selectOption('#route-unit', OFFICE.code);
      const resp = await clickAndWait(page, form.locator('button[type=submit]'));
      assert.equal(resp.status(), 422);
      assert.match(await text(page.locator(FORM_ERROR)), /不能转送或交办给本单位/);
      assert.match(await text(page.locator('[data-testid=field-error-unit]')), /不能转送或交办给本单位/);
      assert.equal(await page.inputValue('#route-unit'), OFFICE.code, 'the choice is kept');
      assert.equal(await text(page.locator('[data-testid=stage]')), '待转送交办', 'nothing moved');
    });

    test('the supervisor transfers it; the department writes a note', { timeout: STEP_TIMEOUT }, async () => {
      const page = await user('pn_sup');
      await page.goto(`${server.url}${casePath()}`);
      const form = routeForm(page);
      await form.locator(':scope > summary').click();
      await page.selectOption('#route-mode', 'transfer');
      await page.selectOption('#route-unit', HR.code);
      const resp = await clickAndWait(page, form.locator('button[type=submit]'));
      assert.equal(resp.status(), 200);
      assert.equal(await text(page.locator('[data-testid=stage]')), '受理告知');

      const hd = await user('pn_hd');
      await hd.goto(`${server.url}${casePath()}`);
      for (const [action, fill] of [['accept', null], ['note', NOTE]]) {
        const d = hd.locator(`[data-testid=actions] details[data-action="${action}"]`);
        await d.locator(':scope > summary').click();
        if (fill) await hd.fill(`#${action}-text`, fill);
        const r = await clickAndWait(hd, d.locator('button[type=submit]'));
        assert.equal(r.status(), 200, `${action}`);
      }
    });

    test('the timeline says in Chinese where the case went and what was written', { timeout: STEP_TIMEOUT }, async () => {
      const page = await user('pn_sup');
      await page.goto(`${server.url}${casePath()}`);
      const entries = await page.locator('[data-testid=timeline] li').allInnerTexts();
      const all = entries.join('\n');
      assert.ok(entries.some((e) => e.includes('转送交办') && e.includes(`转送至：${HR.name}`) && e.includes('督办员王芳')), all);
      assert.ok(entries.some((e) => e.includes(NOTE) && e.includes('承办人李明')), all);
      for (const word of ['pn_sup', 'pn_hd', 'portal', 'petitioner', '#']) {
        assert.ok(!all.includes(word), `no ${word} on the timeline: ${all}`);
      }
      const now = page.locator('[data-testid=now]');
      const box = await now.boundingBox();
      const timeline = await page.locator('[data-testid=timeline]').boundingBox();
      assert.ok(box.y < timeline.y, 'what to do now comes first');

      for (const [width, height] of [[1366, 900], [360, 780]]) {
        await page.setViewportSize({ width, height });
        await page.goto(`${server.url}${casePath()}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `no sideways scrolling at ${width} px (${overflow} px too wide)`);
        await page.screenshot({ path: await artifactPath(`pilot-notices-case-${width}-${backend}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    test('the transfer notice is issued by the petition office and names the department', { timeout: STEP_TIMEOUT }, async () => {
      const page = await user('pn_sup');
      await page.goto(`${server.url}${casePath()}`);
      const links = page.locator('[data-testid=notices] a');
      assert.deepEqual(await links.allInnerTexts(), ['信访事项转送（交办）告知书', '信访事项受理告知书']);
      assert.deepEqual(await page.locator('[data-testid=notice-issuer]').allInnerTexts(), [OFFICE.name, HR.name]);
      await clickAndWait(page, links.first());
      assert.equal(await text(page.locator('[data-testid=issuer]')), OFFICE.name, 'headed by the office');
      const signature = await text(page.locator('[data-testid=signature]'));
      assert.ok(signature.startsWith(OFFICE.name), `signed by the office: ${signature}`);
      assert.match(signature, /\d{4}年\d{1,2}月\d{1,2}日$/, 'dated in words');
      const body = await text(page.locator('[data-testid=notice]'));
      assert.ok(body.includes(`转送（交办）${HR.name}办理`), body);
      assert.doesNotMatch(body, /\d{4}-\d{2}-\d{2}/, 'no ISO dates in the document');
      await page.screenshot({ path: await artifactPath(`pilot-notices-transfer-notice-${backend}.png`), fullPage: true });

      await page.goto(`${server.url}${casePath()}`);
      await clickAndWait(page, page.locator('[data-testid=notices] a').nth(1));
      assert.equal(await text(page.locator('[data-testid=issuer]')), HR.name, 'the acceptance comes from the department');
    });
  });
}
