// daily_lib.mjs — what the daily_*.test.mjs browser tests share (modelled on
// dashboard.test.mjs): a chromium of its own per context (Debian's, via
// playwright-core), sign-in, hash navigation, waiting for a data table, and
// a user who is org_admin of a fresh org connected to the simulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { api, SIM_URL, HTTPS_PORT } from '../api/lib.mjs';
import * as fx from '../api/fixtures.mjs';

export const BASE = `https://127.0.0.1:${HTTPS_PORT}`;
export const PASSWORD = 'Daily-browser-pass-42';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const opened = [];

export async function newContext(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vs-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true,
    ignoreHTTPSErrors: true, acceptDownloads: true, viewport: DESKTOP, ...opts,
  });
  opened.push({ context, dir });
  return context;
}

export async function closeAll() {
  for (const { context, dir } of opened.splice(0)) {
    await context.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Console errors and uncaught exceptions of a page go to sink. */
export function watchConsole(p, sink) {
  p.on('console', (m) => { if (m.type() === 'error') sink.push(`${m.text()} @ ${m.location()?.url ?? ''}`); });
  p.on('pageerror', (e) => sink.push(`uncaught: ${e.message}`));
}

export async function login(p, email, password = PASSWORD) {
  await p.goto(`${BASE}/`);
  await p.waitForURL(/#\/login/);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/#\/overview/);
}

export async function goto(p, hash) {
  await p.evaluate((hh) => { location.hash = hh; }, hash);
  await p.waitForFunction((hh) => location.hash.startsWith(hh) && document.querySelector('main h1'), hash);
}

/** Wait until the page's data table has loaded; returns its total. */
export async function tableReady(p, scope = 'main') {
  const t = p.locator(`${scope} table.data-table[data-state="ready"]`).first();
  await t.waitFor({ timeout: 30_000 });
  return Number(await t.getAttribute('data-total'));
}

/** A fresh org (time zone tz) connected to the simulator, and its org_admin (signed in through the API too). */
export async function orgWithAdmin({ name = 'Daily', timezone = 'UTC' } = {}) {
  const admin = await fx.platformAdmin();
  const org = await fx.newOrg(admin.headers, { name: fx.uniqueName(name), timezone });
  const user = { email: `${fx.uniqueName('lead').toLowerCase()}@example.test`, password: PASSWORD };
  user.id = (await fx.createUser({ email: user.email, password: user.password, fullName: 'Lea Lead' })).id;
  await fx.addMember(admin.headers, org.id, user.email, 'org_admin');
  user.headers = { authorization: `Bearer ${(await fx.login(user.email, user.password)).access_token}` };
  const integ = await api.post(`/api/admin/orgs/${org.id}/integrations`, {
    integration_type: 'mightycall', label: 'Simulator',
    credentials: { api_key: 'demo-api-key', user_key: 'demo-user-key', base_url: SIM_URL },
  }, { headers: admin.headers });
  assert.equal(integ.status, 201, integ.text);
  return { org, user, admin };
}
