// Safety inspection campaigns (安全隐患排查) in a real browser, on SQLite and on PostgreSQL:
// the city inspector uploads a register file with a bad row (refused whole, the row and
// column named, nothing kept), then a good one; starts a campaign; the county inspector,
// on a phone, records an inspection with a hazard and a photo, issues a rectification
// order (printed), records a failed re-inspection and issues a suspension order
// (printed); the campaign shows 1 of 3 visited. Screenshots at 1366 px and 360 px go to
// e2e/artifacts/.

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
const PASSWORD = 'Inspections-e2e-2026';

const HEAD = '类型,许可证号,名称,地址,行政区划代码,责任单位\n';
const BAD_CSV = `${HEAD}学校食堂,JY33010600001,西湖小学食堂,西湖区文三路 1 号,330106,330106
网吧,JY33010600009,某网吧,西湖区文三路 3 号,330106,330106
药店,JY33010600002,百姓大药房文三店,西湖区文三路 9 号,330106,330106
`;
const GOOD_CSV = `${HEAD}学校食堂,JY33010600001,西湖小学食堂,西湖区文三路 1 号,330106,330106
药店,JY33010600002,百姓大药房文三店,西湖区文三路 9 号,330106,330106
幼儿园食堂,JY33010600003,西湖幼儿园食堂,西湖区保俶路 2 号,330106,330106
`;
// A 1×1 PNG, the inspector's photo.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

for (const backend of ['sqlite', 'postgres']) {
  const pre = await prerequisites(backend);
  if (!pre.ok) {
    missing(`inspections on ${backend}`, backend, pre);
    continue;
  }

  describe(`inspections on ${backend}`, () => {
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

    async function as(username, viewport = WIDE) {
      const s = await newPage(browser);
      open.push(s);
      await s.page.setViewportSize(viewport);
      const resp = await login(s.page, server.url, username, PASSWORD);
      assert.equal(resp.status(), 200, `${username} logs in`);
      await s.page.locator('[data-testid=who]').waitFor();
      return s.page;
    }

    async function shots(page, name, back = WIDE) {
      await page.setViewportSize(WIDE);
      await page.screenshot({ path: await artifactPath(`inspections-${name}-1366-${backend}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: await artifactPath(`inspections-${name}-360-${backend}.png`), fullPage: true });
      await page.setViewportSize(back);
      assert.ok(width <= 360, `${name} is ${width} px wide at 360`);
    }

    async function upload(page, name, csv) {
      await page.setInputFiles('#imp-file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await clickAndWait(page, page.locator('[data-testid=insp-import-form] button[type=submit]'));
    }

    test('a campaign runs from the import to a suspension order', { timeout: STEP_TIMEOUT }, async () => {
      await changeAdminPassword(server);
      const api = await request.newContext({ baseURL: server.url });
      let r = await api.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name, level, parent] of [
        ['330100', '杭州市市场监督管理局', 'city', 'ROOT'],
        ['330106', '西湖区市场监督管理局', 'county', '330100'],
      ]) {
        r = await api.post('/api/v1/units', { data: { code, name, level, parent } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      for (const [username, role, unit] of [
        ['hz.inspector', 'supervisor', '330100'],
        ['xh.inspector', 'handler', '330106'],
      ]) {
        r = await api.post('/api/v1/users', { data: { username, role, unit, password: PASSWORD } });
        assert.ok(r.ok(), `${username}: ${await r.text()}`);
      }
      await api.dispose();

      // The city inspector opens the register from the header and uploads a file with a bad row.
      const city = await as('hz.inspector');
      await clickAndWait(city, city.locator('[data-testid=nav-inspections]'));
      assert.equal(new URL(city.url()).pathname, '/staff/inspections');
      await clickAndWait(city, city.locator('[data-testid=insp-establishments-link]'));
      await upload(city, '名录-有误.csv', BAD_CSV);
      const refused = city.locator('[data-testid=insp-import-refused]');
      assert.match(await text(refused), /文件未导入：共 1 处错误/);
      const rows = city.locator('[data-testid=insp-import-errors] tbody tr');
      assert.equal(await rows.count(), 1);
      assert.match(await text(rows.first()), /第 3 行 “类型” 列：类型不正确/);
      // Nothing was kept, not even the good rows.
      assert.equal(await city.locator('[data-testid=insp-establishments]').count(), 0);
      await shots(city, 'import-refused');

      await upload(city, '名录.csv', GOOD_CSV);
      assert.match(await text(city.locator('[data-testid=insp-notice]')), /已导入 3 个检查对象/);
      assert.equal(await city.locator('[data-testid=insp-establishments] tbody tr').count(), 3);
      await shots(city, 'establishments');

      // A campaign on school and kindergarten canteens and pharmacies, today only.
      await city.goto(`${server.url}/staff/inspections`);
      await city.fill('#c-name', '秋季开学食品药品安全隐患排查');
      for (const k of ['school_canteen', 'kindergarten_canteen', 'pharmacy']) {
        await city.check(`input[name=kinds][value=${k}]`);
      }
      await clickAndWait(city, city.locator('[data-testid=insp-campaign-form] button[type=submit]'));
      assert.match(new URL(city.url()).pathname, /^\/staff\/inspections\/campaigns\/\d+$/);
      const campaignUrl = city.url();
      assert.match(await text(city.locator('[data-testid=insp-progress-total]')), /已检查 0 \/ 3 家/);

      // The county inspector, on a phone, inspects the school canteen.
      const county = await as('xh.inspector', PHONE);
      await county.goto(campaignUrl);
      await clickAndWait(county, county.locator('[data-testid=insp-inspect-JY33010600001]'));
      assert.equal(await text(county.locator('[data-testid=insp-form-establishment]')), '西湖小学食堂');
      await county.fill('#i-who', '张三、李四');
      await county.check('input[name=answer_4][value=fail]');
      await county.fill('#hz-0', '食品留样不足 48 小时，留样记录缺失两日');
      await county.selectOption('#sv-0', 'serious');
      await county.fill('#i-findings', '后厨整体整洁，留样管理不到位。');
      await county.setInputFiles('#i-photos', { name: '留样柜.png', mimeType: 'image/png', buffer: PNG });
      const formWidth = await county.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(formWidth <= 360, `the form is ${formWidth} px wide at 360`);
      await county.screenshot({ path: await artifactPath(`inspections-form-360-${backend}.png`), fullPage: true });
      await clickAndWait(county, county.locator('[data-testid=insp-form] button[type=submit]'));
      assert.match(await text(county.locator('[data-testid=insp-notice]')), /检查记录已保存/);
      assert.match(await text(county.locator('[data-testid=insp-answers]')), /不合格/);
      assert.equal(await county.locator('.photos img').count(), 1);
      await shots(county, 'visit', PHONE);

      // The hazard leads to a rectification order, printed.
      await clickAndWait(county, county.locator('[data-testid=insp-hazard-link]'));
      assert.match(await text(county.locator('[data-testid=insp-hazard-state]')), /待整改/);
      await county.fill('#r-days', '7');
      await county.fill('#r-req', '建立留样台账，配备专用留样冰箱，留样不少于 48 小时。');
      await clickAndWait(county, county.locator('[data-testid=insp-rectify-form] button[type=submit]'));
      assert.match(await text(county.locator('[data-testid=insp-hazard-state]')), /整改中/);
      const hazardUrl = county.url().replace(/\?.*$/, '');
      await clickAndWait(county, county.locator('[data-testid=insp-print-rectification_order]'));
      let doc = county.locator('[data-testid=insp-order-document]');
      assert.equal(await text(doc.locator('[data-testid=insp-order-title]')), '责令整改通知书');
      assert.match(await text(doc), /西湖小学食堂（许可证号：JY33010600001）/);
      assert.match(await text(doc), /食品留样不足 48 小时/);
      assert.match(await text(doc), /ZG-\d{4}-\d{5}/);
      await shots(county, 'rectification-print', PHONE);

      // The re-inspection finds it not fixed; a suspension order follows, printed.
      await county.goto(hazardUrl);
      await county.check('input[name=fixed][value=no]');
      await county.fill('#ri-notes', '仍未配备留样冰箱，留样记录仍不完整。');
      await clickAndWait(county, county.locator('[data-testid=insp-reinspect-form] button[type=submit]'));
      assert.match(await text(county.locator('[data-testid=insp-hazard-state]')), /复查未通过/);
      await county.fill('#s-req', '自即日起停业整顿，整改完毕经验收合格后方可恢复经营。');
      await clickAndWait(county, county.locator('[data-testid=insp-suspend-form] button[type=submit]'));
      assert.match(await text(county.locator('[data-testid=insp-hazard-state]')), /停业整顿/);
      assert.equal(await county.locator('[data-testid=insp-orders] li').count(), 2);
      await shots(county, 'hazard', PHONE);
      await clickAndWait(county, county.locator('[data-testid=insp-print-suspension_order]'));
      doc = county.locator('[data-testid=insp-order-document]');
      assert.equal(await text(doc.locator('[data-testid=insp-order-title]')), '责令停业整顿决定书');
      assert.match(await text(doc), /仍未配备留样冰箱/);
      assert.match(await text(doc), /TY-\d{4}-\d{5}/);
      await shots(county, 'suspension-print', PHONE);

      // The campaign's progress: 1 of 3 visited, nothing open, nothing overdue.
      await city.goto(campaignUrl);
      assert.match(await text(city.locator('[data-testid=insp-progress-total]')), /已检查 1 \/ 3 家，未消除隐患 0 处，逾期未整改 0 件/);
      assert.match(await text(city.locator('[data-testid=insp-progress] tbody tr').first()), /西湖区市场监督管理局\s*1 \/ 3/);
      assert.match(await text(city.locator('[data-testid=insp-hazards]')), /停业整顿/);
      const [download] = await Promise.all([
        city.waitForEvent('download'),
        city.locator('[data-testid=insp-export]').click(),
      ]);
      assert.match(download.suggestedFilename(), /\.xlsx$/);
      await shots(city, 'campaign');
    });

    test('a campaign over two counties; a critical hazard proposes a plan a person activates', { timeout: STEP_TIMEOUT }, async () => {
      const admin = await request.newContext({ baseURL: server.url });
      let r = await admin.post('/api/v1/session', { data: { username: 'admin', password: server.adminPassword } });
      assert.ok(r.ok(), await r.text());
      for (const [code, name] of [['330102', '上城区市场监督管理局'], ['330105', '拱墅区市场监督管理局']]) {
        r = await admin.post('/api/v1/units', { data: { code, name, level: 'county', parent: '330100' } });
        assert.ok(r.ok(), `${code}: ${await r.text()}`);
      }
      await admin.dispose();

      // The city imports the other counties' schools and keeps a food-safety plan whose
      // trigger is a critical hazard.
      const city = await as('hz.inspector');
      const cityApi = city.context().request;
      await city.goto(`${server.url}/staff/inspections/establishments`);
      await city.locator('details.box summary').click();
      await upload(city, '两区.csv', `${HEAD}学校食堂,JY33010200001,上城实验学校食堂,上城区清泰街 5 号,330102,330102
学校食堂,JY33010500001,拱墅小学食堂,拱墅区湖墅路 1 号,330105,330105
`);
      assert.match(await text(city.locator('[data-testid=insp-notice]')), /已导入 2 个检查对象/);
      r = await cityApi.post(`${server.url}/api/v1/plans`, {
        data: {
          name: '学校食品安全事故应急预案', triggers: [{ kind: 'critical_hazard' }],
          teams: [{ name: '现场处置组', role: '封存问题食品，安抚师生家长', members: [{ name: '王五', phone: '13800000002' }] }],
          steps: ['到场核查', '封存留样'],
        },
      });
      assert.equal(r.status(), 201, await r.text());

      // A campaign over two of the three counties, ticked on the form.
      await city.goto(`${server.url}/staff/inspections`);
      await city.fill('#c-name', '两区学校食堂专项检查');
      await city.check('input[name=kinds][value=school_canteen]');
      await city.check('input[name=units][value="330106"]');
      await city.check('input[name=units][value="330102"]');
      await shots(city, 'campaign-form');
      await clickAndWait(city, city.locator('[data-testid=insp-campaign-form] button[type=submit]'));
      assert.match(await text(city.locator('[data-testid=insp-campaign-units]')), /西湖区市场监督管理局 330106、上城区市场监督管理局 330102/);
      assert.match(await text(city.locator('[data-testid=insp-progress-total]')), /已检查 0 \/ 2 家/);
      const progress = await text(city.locator('[data-testid=insp-progress]'));
      assert.match(progress, /上城区市场监督管理局/);
      assert.doesNotMatch(progress, /拱墅/);
      await shots(city, 'campaign-two-units');

      // The city inspects the Shangcheng school and grades a hazard critical.
      await clickAndWait(city, city.locator('[data-testid=insp-inspect-JY33010200001]'));
      await city.fill('#i-who', '赵六');
      await city.fill('#hz-0', '冷库温度失控，部分食材已变质');
      await city.selectOption('#sv-0', 'critical');
      await clickAndWait(city, city.locator('[data-testid=insp-form] button[type=submit]'));
      await clickAndWait(city, city.locator('[data-testid=insp-hazard-link]'));
      const banner = city.locator('[data-testid=hazard-plan-proposal]');
      assert.match(await text(banner), /本隐患评定为重大隐患，预案「学校食品安全事故应急预案」的触发条件已满足/);
      await shots(city, 'hazard-proposal');
      // Nothing is running until a person decides.
      r = await cityApi.get(`${server.url}/api/v1/incidents`);
      assert.deepEqual(await r.json(), []);
      await clickAndWait(city, banner.locator('[data-testid=hazard-activate-plan]'));
      assert.match(new URL(city.url()).pathname, /^\/staff\/incidents\/\d+$/);
      assert.equal(await text(city.locator('[data-testid=incident-title]')), '学校食品安全事故应急预案 · 上城实验学校食堂');
      await city.goBack();
      await city.reload();
      assert.match(await text(city.locator('[data-testid=hazard-plan-activated]')), /已启动预案「学校食品安全事故应急预案」/);
    });
  });
}
