// browser_lib.mjs — the one set-up library of the browser tests
// (tests/browser/*.test.mjs). Debian's chromium via playwright-core (never a
// downloaded browser), against the stack the tests run on. Each helper does
// one recurring job:
//
// Browser
//   newContext(opts)        a chromium of its own with a fresh profile directory
//                           (sessions never mix); opts are playwright's context
//                           options (viewport, timezoneId, isMobile, …)
//   newPage(opts, errors, ignore)
//                           the page of a new context, its console errors and
//                           uncaught exceptions collected into errors (see
//                           watchConsole for ignore): {context, page, errors}
//   signedInPage(user, opts, errors)
//                           newPage(opts, errors), signed in as user
//                           ({email, password}), waiting for the overview
//   watchConsole(p, sink, ignore)
//                           console errors / uncaught exceptions of p into sink,
//                           but for console errors matching ignore (a step's
//                           expected refused requests)
//   closeContext(context)   close one context and remove its profile
//   closeAll()              close every context still open (after())
//   DESKTOP, PHONE          the two viewports of the layout tests (1280×800,
//                           390×844); a context without one is 1280×900
// Pages
//   BASE                    the dashboard's https address
//   openLogin(p)            load the dashboard, wait for the login page
//   signIn(p, email, pw)    fill the login form shown and submit it (no wait)
//   login(p, email, pw, {landing})
//                           openLogin + signIn, then wait until the page has
//                           left the login page (or reached landing, a RegExp
//                           of the address)
//   goto(p, hash)           hash navigation, waiting for the page's h1
//   tableReady(p, scope)    wait until the data table has loaded; its total
//   checkLabels(p, {clickables})
//                           the accessibility basics (labels, names; with
//                           clickables: no clickable non-button either)
//   markNoReload(p), noReload(p)
//                           detect that a page was not reloaded
//   shot(p, name, fullPage) a screenshot to tests/browser/screenshots/
//                           (git-ignored)
//   digits(s)               the digits of a shown number, as a string
//   shownNumber(s)          the digits of a shown number, as a number
// Data
//   PASSWORD                the password of the users made here
//   newUser({fullName, password, prefix, platformAdmin})
//                           a new user with a unique e-mail: {id, email, password}
//   newMember(adminHeaders, orgId, role, {fullName, password, prefix})
//                           a new user who is role in the org: {id, email, password}
//   orgWithAdmin({name, timezone, fullName, password, simulator, resetSimulator})
//                           a fresh org (connected to the simulator unless
//                           simulator is false; with resetSimulator, the
//                           simulator reset first: fresh counters, no faults)
//                           and its org_admin (signed in through the API too):
//                           {org, user: {id, email, password, headers}, admin}
//   runVsSync(...args)      the real vs-sync binary, as a timer runs it; the
//                           test fails on a non-zero exit
//   syncOrg(orgId, type)    vs-sync run of one org (type: all, calls, …)
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { api, ROOT, SIM_URL, HTTPS_PORT } from '../api/lib.mjs';
import * as fx from '../api/fixtures.mjs';
import { simReset, vsSync } from '../api/sync_helpers.mjs';

export const BASE = `https://127.0.0.1:${HTTPS_PORT}`;
export const SHOTS = join(ROOT, 'tests/browser/screenshots');
export const PASSWORD = 'Browser-test-pass-42';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---- browser ----------------------------------------------------------------

const opened = [];  // [{context, dir}] to close at the end

export async function newContext(opts = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'vs-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true,
    ignoreHTTPSErrors: true, acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...opts,
  });
  opened.push({ context, dir });
  return context;
}

export async function closeContext(context) {
  const i = opened.findIndex((o) => o.context === context);
  if (i < 0) return;
  const [{ dir }] = opened.splice(i, 1);
  await context.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

export async function closeAll() {
  for (const { context } of [...opened]) await closeContext(context);
}

export function watchConsole(p, sink, ignore = /$^/) {
  p.on('console', (m) => { if (m.type() === 'error' && !ignore.test(m.text())) sink.push(`${m.text()} @ ${m.location()?.url ?? ''}`); });
  p.on('pageerror', (e) => sink.push(`uncaught: ${e.message}`));
}

export async function newPage(opts, errors = [], ignore = undefined) {
  const context = await newContext(opts);
  const page = context.pages()[0] ?? await context.newPage();
  watchConsole(page, errors, ignore);
  return { context, page, errors };
}

export async function signedInPage(user, opts, errors) {
  const made = await newPage(opts, errors);
  await login(made.page, user.email, user.password, { landing: /#\/overview/ });
  return made;
}

// ---- pages ------------------------------------------------------------------

export async function shot(p, name, fullPage = true) {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

export async function openLogin(p) {
  await p.goto(`${BASE}/`);
  await p.waitForURL(/#\/login/);
}

export async function signIn(p, email, password) {
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

export async function login(p, email, password, { landing } = {}) {
  await openLogin(p);
  await signIn(p, email, password);
  await p.waitForURL(landing ?? ((u) => !/#\/login/.test(u.hash)));
}

export async function goto(p, hash) {
  await p.evaluate((x) => { location.hash = x; }, hash);
  await p.waitForFunction((x) => location.hash.startsWith(x) && document.querySelector('main h1'), hash);
}

export async function tableReady(p, scope = 'main') {
  const t = p.locator(`${scope} table.data-table[data-state="ready"]`).first();
  await t.waitFor({ timeout: 30_000 });
  return Number(await t.getAttribute('data-total'));
}

export async function checkLabels(p, { clickables = false } = {}) {
  const problems = await p.evaluate((withClickables) => {
    const out = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (el.closest('[hidden]')) continue;
      if (!(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))) out.push(`unlabelled ${el.tagName} ${el.name || el.id}`);
    }
    for (const b of document.querySelectorAll('button, a[href]')) {
      if (b.closest('[hidden]')) continue;
      if (!(b.textContent.trim() || b.getAttribute('aria-label'))) out.push(`nameless ${b.tagName} ${b.outerHTML.slice(0, 80)}`);
    }
    if (withClickables) {
      for (const el of document.querySelectorAll('[onclick], div[tabindex="0"], span[tabindex="0"]')) out.push(`clickable non-button ${el.tagName}`);
    }
    return out;
  }, clickables);
  assert.deepEqual(problems, [], `accessibility basics on ${await p.evaluate(() => location.hash)}`);
}

export async function markNoReload(p) { await p.evaluate(() => { window.__noReload = true; }); }
export async function noReload(p) { assert.equal(await p.evaluate(() => window.__noReload), true, 'no page reload'); }

export const digits = (s) => String(s).replace(/\D/g, '');
export const shownNumber = (s) => Number(digits(s));

// ---- data -------------------------------------------------------------------

export async function newUser({ fullName, password = PASSWORD, prefix = 'user', platformAdmin = false } = {}) {
  const u = { email: `${fx.uniqueName(prefix).toLowerCase()}@example.test`, password };
  u.id = (await fx.createUser({ email: u.email, password, fullName, platformAdmin })).id;
  return u;
}

export async function newMember(adminHeaders, orgId, role, { fullName, password = PASSWORD, prefix = role } = {}) {
  const u = await newUser({ fullName, password, prefix });
  await fx.addMember(adminHeaders, orgId, u.email, role);
  return u;
}

export async function orgWithAdmin({
  name = 'Daily', timezone = 'UTC', fullName = 'Lea Lead', password = PASSWORD, simulator = true, resetSimulator = false,
} = {}) {
  if (resetSimulator) await simReset();
  const admin = await fx.platformAdmin();
  const org = await fx.newOrg(admin.headers, { name: fx.uniqueName(name), timezone });
  const user = await newMember(admin.headers, org.id, 'org_admin', { fullName, password, prefix: fullName.split(' ')[0] });
  user.headers = { authorization: `Bearer ${(await fx.login(user.email, user.password)).access_token}` };
  if (!simulator) return { org, user, admin };
  const integ = await api.post(`/api/admin/orgs/${org.id}/integrations`, {
    integration_type: 'mightycall', label: 'Simulator',
    credentials: { api_key: 'demo-api-key', user_key: 'demo-user-key', base_url: SIM_URL },
  }, { headers: admin.headers });
  assert.equal(integ.status, 201, integ.text);
  return { org, user, admin };
}

export async function runVsSync(...args) {
  const r = await vsSync(args);
  assert.equal(r.code, 0, `vs-sync ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}

export const syncOrg = (orgId, type = 'all') => runVsSync('run', '--org', orgId, '--type', type);
