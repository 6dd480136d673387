// Start and stop a Hearken server (SQLite or PostgreSQL) and launch the system
// Chromium through playwright-core, for the browser tests in ../tests/.
//
// Environment:
//   HEARKEN_BIN      the hearken binary (default: ../target/debug/hearken, relative to e2e/)
//   CHROMIUM         the Chromium executable (default: /usr/bin/chromium)
//   HEARKEN_E2E_PG   PostgreSQL server URL without a database name
//                    (default: postgres://postgres@127.0.0.1:5432)
//   CI               when set, a missing PostgreSQL or Chromium is an error, not a skip

import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileP = promisify(execFile);

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');
export const HEARKEN_BIN = path.resolve(
  E2E_DIR,
  process.env.HEARKEN_BIN || '../target/debug/hearken',
);
export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';
export const IN_CI = Boolean(process.env.CI);

const PG_BASE = (process.env.HEARKEN_E2E_PG || 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const PG = new URL(PG_BASE);
const PSQL_ARGS = [
  '-h', PG.hostname || '127.0.0.1',
  '-p', PG.port || '5432',
  '-U', decodeURIComponent(PG.username || 'postgres'),
  '-v', 'ON_ERROR_STOP=1',
  '-X', '-q',
];

/** Runs one SQL statement against the `postgres` maintenance database. */
async function psql(sql) {
  const env = { ...process.env };
  if (PG.password) env.PGPASSWORD = decodeURIComponent(PG.password);
  return execFileP('psql', [...PSQL_ARGS, '-d', 'postgres', '-c', sql], {
    env,
    timeout: 60_000,
  });
}

/** Whether PostgreSQL answers; `{ok, reason}`. */
export async function postgresAvailable() {
  try {
    await psql('SELECT 1');
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `psql cannot connect to ${PG_BASE}: ${(e.stderr || e.message || '').trim()}` };
  }
}

/** Whether the Chromium executable exists; `{ok, reason}`. */
export function chromiumAvailable() {
  return existsSync(CHROMIUM_PATH)
    ? { ok: true }
    : { ok: false, reason: `no Chromium at ${CHROMIUM_PATH} (set CHROMIUM, or apt-get install chromium)` };
}

function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `hearken serve` on a free loopback port with a fresh temp data folder
 * and, for `postgres`, a fresh database that stop() drops again. `args` are added to
 * `serve`'s (e.g. `['--now', '2026-12-01T15:29:00+08:00']`).
 *
 * Returns { url, adminPassword, backend, log(), stop(), restart(args) }. restart() stops
 * the server and starts it again on the same data (with other `args`, e.g. a later
 * `--now`); `url` then names the new port (cookies are kept: they do not name a port).
 */
export async function startServer(backend, { startTimeoutMs = 120_000, args: extra = [] } = {}) {
  if (!['sqlite', 'postgres'].includes(backend)) throw new Error(`unknown backend ${backend}`);
  if (!existsSync(HEARKEN_BIN)) {
    throw new Error(`no hearken binary at ${HEARKEN_BIN}: run \`cargo build -p hearken\` or set HEARKEN_BIN`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), `hearken-e2e-${backend}-`));
  let dbName = null;
  const args = ['serve', '--data', dataDir, '--bind', '127.0.0.1:0'];
  if (backend === 'postgres') {
    dbName = `hearken_e2e_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    await psql(`CREATE DATABASE ${dbName}`);
    args.push('--database-url', `${PG_BASE}/${dbName}`);
  }

  // The server must not pick up a developer's HEARKEN_* settings.
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HEARKEN_')) env[k] = v;
  env.RUST_LOG = env.RUST_LOG || 'warn';

  let out = '';
  const keep = (s) => (s.length > 200_000 ? s.slice(-200_000) : s);
  let child = null;

  /** Spawns the server; resolves with its URL and, on a first start, the admin's password. */
  const launch = (more) => {
    child = spawn(HEARKEN_BIN, [...args, ...more], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const c = child;
    // Keep draining both pipes for the whole life of the server (a full pipe would
    // block it); keep the tail for diagnostics.
    c.stdout.setEncoding('utf8');
    c.stderr.setEncoding('utf8');
    c.stderr.on('data', (d) => { out = keep(out + d); });
    return new Promise((resolve, reject) => {
      let stdout = '';
      let url = null;
      let adminPassword = null;
      let done = false;
      const timer = setTimeout(
        () => reject(new Error(`hearken did not start within ${startTimeoutMs / 1000} s.\nstdout:\n${stdout}\nstderr:\n${out}`)),
        startTimeoutMs,
      );
      const onExit = (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`hearken exited during start (code ${code}, signal ${sig}).\nstdout:\n${stdout}\nstderr:\n${out}`));
      };
      c.once('exit', onExit);
      c.once('error', (e) => { clearTimeout(timer); reject(e); });
      c.stdout.on('data', (d) => {
        out = keep(out + d);
        if (done) return;
        stdout += d;
        const m = stdout.match(/Hearken is serving at (http:\/\/127\.0\.0\.1:\d+)\//);
        if (m) url = m[1];
        const p = stdout.match(/one-time password\s+(\S+)/);
        if (p) adminPassword = p[1];
        const again = /Log in with your account/.test(stdout);
        if (url && (adminPassword || again)) {
          done = true;
          clearTimeout(timer);
          c.off('exit', onExit);
          resolve({ url, adminPassword });
        }
      });
    });
  };

  const kill = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 20_000))) {
        console.error('# hearken did not stop within 20 s of SIGTERM; sending SIGKILL');
        child.kill('SIGKILL');
        await waitForExit(child, 10_000);
      }
    }
  };

  let stopped = false;
  const cleanup = async () => {
    if (dbName) {
      try {
        await psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      } catch (e) {
        console.error(`# could not drop database ${dbName}: ${e.stderr || e.message}`);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await kill();
    await cleanup();
  };

  try {
    const { url, adminPassword } = await launch(extra);
    const server = { url, adminPassword, backend, dataDir, dbName, log: () => out, stop };
    server.restart = async (more = []) => {
      await kill();
      try {
        server.url = (await launch(more)).url;
      } catch (e) {
        await stop();
        throw e;
      }
      return server;
    };
    return server;
  } catch (e) {
    await stop();
    throw e;
  }
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the system Chromium (playwright-core downloads no browser). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 120_000,
  });
}

/** Creates e2e/artifacts/ and returns the path of a file in it. */
export async function artifactPath(name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}
