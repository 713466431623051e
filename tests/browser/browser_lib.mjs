// browser_lib.mjs — what the browser tests of the live dashboard pages
// (live_*.test.mjs) share: Debian's chromium via playwright-core (never a
// downloaded browser) in contexts with fresh profiles, sign-in, hash
// navigation, table readiness, the console watch, the accessibility basics
// and screenshots to tests/browser/screenshots/ (as dashboard.test.mjs does).
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, HTTPS_PORT } from '../api/lib.mjs';

export const BASE = `https://127.0.0.1:${HTTPS_PORT}`;
export const SHOTS = join(ROOT, 'tests/browser/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const opened = [];

/** A chromium of its own with a fresh profile directory (sessions never mix). */
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

export async function closeAll() {
  for (const { context, dir } of opened.splice(0)) {
    await context.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page of a new context, its console errors collected into the returned list. */
export async function newPage(opts) {
  const context = await newContext(opts);
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} @ ${m.location()?.url ?? ''}`); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return { context, page, errors };
}

export async function shot(p, name, fullPage = true) {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

export async function login(p, email, password) {
  await p.goto(`${BASE}/`);
  await p.waitForURL(/#\/login/);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL((u) => !/#\/login/.test(u.hash));
}

export async function goto(p, hash) {
  await p.evaluate((x) => { location.hash = x; }, hash);
  await p.waitForFunction((x) => location.hash.startsWith(x) && document.querySelector('main h1'), hash);
}

/** Wait until the page's data table has loaded; returns its total. */
export async function tableReady(p, scope = 'main') {
  const t = p.locator(`${scope} table.data-table[data-state="ready"]`).first();
  await t.waitFor({ timeout: 30_000 });
  return Number(await t.getAttribute('data-total'));
}

/** Every form control has a label and every button a name (the a11y basics). */
export async function checkLabels(p) {
  const problems = await p.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (el.closest('[hidden]')) continue;
      if (!(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))) out.push(`unlabelled ${el.tagName} ${el.name || el.id}`);
    }
    for (const b of document.querySelectorAll('button, a[href]')) {
      if (b.closest('[hidden]')) continue;
      if (!(b.textContent.trim() || b.getAttribute('aria-label'))) out.push(`nameless ${b.tagName} ${b.outerHTML.slice(0, 80)}`);
    }
    return out;
  });
  assert.deepEqual(problems, [], `accessibility basics on ${await p.evaluate(() => location.hash)}`);
}

/** Marks the page so a reload (which clears it) is detected by noReload(). */
export async function markNoReload(p) { await p.evaluate(() => { window.__noReload = true; }); }
export async function noReload(p) { assert.equal(await p.evaluate(() => window.__noReload), true, 'no page reload'); }

export const digits = (s) => String(s).replace(/\D/g, '');
