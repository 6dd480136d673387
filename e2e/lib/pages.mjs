// Small helpers for driving the staff pages: browser contexts, logins, waiting for
// the page a form submission leads to. Shared by the tests in ../tests/.

// The machine is slow (2 cores, debug build): be generous.
export const ACTION_TIMEOUT = 30_000;
export const NAV_TIMEOUT = 60_000;
export const STEP_TIMEOUT = 180_000;

/** Clicks something that submits a form or follows a link, and waits for the new page. */
export async function clickAndWait(page, locator) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
    locator.click(),
  ]);
  return response;
}

/** A fresh browser context (its own cookies, so its own user) in Chinese, and a page in it. */
export async function newPage(browser, { locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({
    locale,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  const page = await context.newPage();
  return { context, page };
}

/** Logs in through the login form; the response of the page it leads to. */
export async function login(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/staff/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  return clickAndWait(page, page.locator('form[action="/staff/login"] button[type=submit]'));
}

/** The trimmed text of the first element a locator finds. */
export const text = async (locator) => ((await locator.textContent()) ?? '').trim();

/** Today's date (YYYY-MM-DD) in a time zone; the office's is Asia/Shanghai. */
export function todayIn(timeZone = 'Asia/Shanghai', now = new Date()) {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The password the tests give `admin` in place of the one-time password. */
export const ADMIN_PASSWORD = 'Admin-e2e-chosen-2026';

/**
 * The first login's forced password change, done once through the API: the one-time
 * `admin` password must be changed before anything else works. Afterwards
 * `server.adminPassword` is the new password, so a test logs in as admin as before.
 */
export async function changeAdminPassword(server) {
  if (server.adminPasswordChanged) return server.adminPassword;
  const login = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: server.adminPassword }),
  });
  if (!login.ok) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const change = await fetch(`${server.url}/api/v1/me/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ current_password: server.adminPassword, new_password: ADMIN_PASSWORD }),
  });
  if (change.status !== 204) throw new Error(`admin password change: ${change.status} ${await change.text()}`);
  server.adminPassword = ADMIN_PASSWORD;
  server.adminPasswordChanged = true;
  return ADMIN_PASSWORD;
}
