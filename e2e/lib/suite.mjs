// What every browser suite shares before it starts: its prerequisites, and how a suite
// without them is reported (a failure when CI is set, a skip with the reason elsewhere).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresAvailable, chromiumAvailable, IN_CI } from './server.mjs';

/** Chromium, and PostgreSQL for the `postgres` half. */
export async function prerequisites(backend) {
  const c = chromiumAvailable();
  if (!c.ok) return c;
  if (backend === 'postgres') return postgresAvailable();
  return { ok: true };
}

/** Declares the suite `title` as missing what `pre` names. */
export function missing(title, backend, pre) {
  describe(title, () => {
    if (IN_CI) {
      test('prerequisites are present', () => assert.fail(`${backend}: ${pre.reason}`));
    } else {
      test('prerequisites are present', { skip: `${backend}: ${pre.reason}` }, () => {});
    }
  });
}
