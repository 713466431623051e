// dashboard.test.mjs — the dashboard in a real browser (Debian's chromium via
// playwright-core, never a downloaded browser) against the stack `make test`
// started: nginx serves dashboard/, the API answers, the MightyCall simulator
// provides the data and the real vs-sync binary imports it. Nothing is mocked.
//
// One user (org admin of "main", agent of "second") walks through: login,
// metric cards and charts filled from the simulator's data and updated live,
// agent status, calls filtered and exported to CSV, a recording played, an
// SMS sent and seen in its thread, a sync triggered and watched to
// completion, a number assigned, a contact added and deleted, an API key
// created and copied, the org switcher, a phone-sized screen, keyboard-only
// login, onboarding of a user without an org, token refresh/expiry, API
// errors in plain words and logout. The main browser's console must stay
// free of errors throughout. Screenshots of the main pages go to
// tests/browser/screenshots/ (git-ignored) on every run.
// Direct API calls go out from 127.0.0.50 (nginx limits are per address).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, useSourceAddress, SIM_URL, waitFor } from '../api/lib.mjs';
import * as fx from '../api/fixtures.mjs';
import { simReset, simControl } from '../api/sync_helpers.mjs';
import {
  BASE, checkLabels, closeAll, closeContext, digits, goto, login, newMember, newPage, openLogin,
  runVsSync, shot, signIn, tableReady,
} from './browser_lib.mjs';

useSourceAddress('127.0.0.50');

const PASSWORD = 'Dashboard-test-pass-42';

let ctx;            // the main desktop context
let page;
const consoleErrors = [];   // every console error / uncaught exception of the main flow
let admin;          // platform admin {token, headers, user}
let mainOrg;        // {id, name}
let secondOrg;
let dana;           // {id, email, password}
let orgHeaders;     // headers of dana for direct API checks

// ---- set-up: data through the API and the real sync binary ------------------

before(async () => {
  admin = await fx.platformAdmin();
  mainOrg = await fx.newOrg(admin.headers, { name: fx.uniqueName('Browser Main'), timezone: 'UTC' });
  secondOrg = await fx.newOrg(admin.headers, { name: fx.uniqueName('Browser Second'), timezone: 'UTC' });
  dana = await newMember(admin.headers, mainOrg.id, 'org_admin', { fullName: 'Dana Dashboard', password: PASSWORD, prefix: 'dana' });
  await fx.addMember(admin.headers, secondOrg.id, dana.email, 'agent');
  orgHeaders = { authorization: `Bearer ${(await fx.login(dana.email, dana.password)).access_token}` };

  // MightyCall data: the simulator's account (no faults, quota unused — earlier
  // test files may have left either), plus calls and SMS arriving "now" so
  // today's cards have something to show whatever the hour.
  await simReset();
  const integ = await api.post(`/api/admin/orgs/${mainOrg.id}/integrations`, {
    integration_type: 'mightycall', label: 'Simulator',
    credentials: { api_key: 'demo-api-key', user_key: 'demo-user-key', base_url: SIM_URL },
  }, { headers: admin.headers });
  assert.ok(integ.status === 200 || integ.status === 201, `integration: ${integ.status} ${integ.text}`);
  await simControl('POST', '/calls', { count: 12 });
  await simControl('POST', '/sms', { count: 3 });
  await runVsSync('run', '--org', mainOrg.id, '--type', 'all');

  ({ context: ctx, page } = await newPage({}, consoleErrors));
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
});

after(closeAll);

// ---- the walk-through -------------------------------------------------------

test('static files: long-lived caching for assets, no-cache for the page, CSP on all', async () => {
  for (const [path, cache] of [['/app.css', 'max-age=604800'], ['/js/app.js', 'max-age=604800'],
    ['/vendor/uplot/uPlot.esm.js', 'max-age=604800'], ['/vendor/uplot/uPlot.min.css', 'max-age=604800'],
    ['/', 'no-cache'], ['/index.html', 'no-cache']]) {
    const res = await api.get(path, { https: true });
    assert.equal(res.status, 200, path);
    assert.match(res.headers['cache-control'], new RegExp(cache), path);
    assert.match(res.headers['content-security-policy'], /default-src 'self'/, path);
  }
});

test('log in; the org-admin sees the overview', async () => {
  await login(page, dana.email, dana.password, { landing: /#\/overview/ });
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).waitFor();
});

test('metric cards are filled from the simulator data, charts drawn', async () => {
  for (const key of ['calls_today', 'answer_rate', 'missed', 'aht', 'sms_today', 'agents_online']) {
    await page.locator(`[data-metric="${key}"][data-ready="true"]`).waitFor({ timeout: 30_000 });
  }
  const m = (await api.get(`/api/orgs/${mainOrg.id}/metrics`, { headers: orgHeaders })).json;
  assert.ok(m.calls_today >= 12, `the 12 calls appended today were synced: ${JSON.stringify(m)}`);
  const shown = await page.locator('[data-metric="calls_today"]').textContent();
  assert.equal(Number(digits(shown)), m.calls_today);
  const rate = await page.locator('[data-metric="answer_rate"]').textContent();
  assert.match(rate, /^\d+(\.\d)? %$/);
  await page.locator('#chart-volume[data-ready="true"] canvas').first().waitFor();
  await page.locator('#chart-rate canvas').first().waitFor();
  await page.locator('.live-status[data-state="live"]').waitFor();
  await checkLabels(page, { clickables: true });
  await shot(page, 'overview');
});

test('the overview updates live when new calls are synced', async () => {
  const before = Number(digits(await page.locator('[data-metric="calls_today"]').textContent()));
  await page.evaluate(() => { window.__noReload = true; });
  await simControl('POST', '/calls', { count: 3 });
  await runVsSync('run', '--org', mainOrg.id, '--type', 'calls');
  await page.waitForFunction((b) => {
    const v = Number(document.querySelector('[data-metric="calls_today"]').textContent.replace(/\D/g, ''));
    return v >= b + 3;
  }, before, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.__noReload), true, 'no page reload');
});

test('"My status" → Available: the agents-online card follows', async () => {
  const before = Number(digits(await page.locator('[data-metric="agents_online"]').textContent()));
  await page.getByLabel('My status').selectOption('available');
  await page.waitForFunction((b) => Number(document.querySelector('[data-metric="agents_online"]').textContent.replace(/\D/g, '')) === b + 1, before);
  const me = (await api.get(`/api/orgs/${mainOrg.id}/agents/${dana.id}/status`, { headers: orgHeaders })).json;
  assert.equal(me.status, 'available');
});

test('calls: filter by business number, page, export the filtered rows as CSV', async () => {
  await goto(page, '#/calls');
  const all = await tableReady(page);
  assert.ok(all > 50, `calls listed: ${all}`);
  const nums = (await api.get(`/api/orgs/${mainOrg.id}/phone-numbers?limit=50`, { headers: orgHeaders })).json.data;
  const number = nums.find((n) => n.call_count > 0)?.number ?? nums[0].number;
  const expected = (await api.get(`/api/orgs/${mainOrg.id}/calls?phone_number=${encodeURIComponent(number)}&limit=1`, { headers: orgHeaders })).json.total;
  assert.ok(expected > 0 && expected < all);

  await page.getByLabel('Business number').fill(number);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction((n) => document.querySelector('main table.data-table')?.dataset.state === 'ready'
    && Number(document.querySelector('main table.data-table').dataset.total) === n, expected, { timeout: 30_000 });
  const cells = await page.locator('main table.data-table tbody td[data-label="Business number"]').allTextContents();
  assert.ok(cells.length > 0);
  for (const c of cells) assert.equal(digits(c), digits(number));
  assert.match(await page.evaluate(() => location.hash), /phone_number=/, 'filter kept in the address');

  if (expected > 50) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/Showing 51–/).waitFor();
  }

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines.length, expected + 1, 'header + every filtered call (all pages)');
  assert.match(lines[0], /^Date \(UTC\),Type,Business number/, "the date column names the org's zone");
  for (const l of lines.slice(1)) assert.ok(l.includes(number), l);
  await page.getByText(`Exported ${expected.toLocaleString('en-US')} row`).waitFor();
  await checkLabels(page, { clickables: true });
  await shot(page, 'calls');
});

test('recordings: one plays in the page', async () => {
  await goto(page, '#/recordings');
  const total = await tableReady(page);
  assert.ok(total > 0, 'recordings were synced');
  const play = page.getByRole('button', { name: /^Play recording/ }).first();
  await play.click();
  await page.waitForFunction(() => ['playing', 'ended'].includes(document.querySelector('.player')?.dataset.state), null, { timeout: 30_000 });
  // the audio really advances (the simulator's WAV is short: it may already have ended)
  await page.waitForFunction(() => { const a = document.querySelector('.player audio'); return a.currentTime > 0 || a.ended; }, null, { timeout: 30_000 });
  assert.match(await page.locator('.player-caption').textContent(), /^Now playing: recording of/);
  await shot(page, 'recordings');
});

test('voicemails and SMS log list synced data', async () => {
  await goto(page, '#/voicemails');
  assert.ok(await tableReady(page) > 0, 'voicemails');
  await checkLabels(page, { clickables: true });
  await goto(page, '#/sms');
  assert.ok(await tableReady(page) > 0, 'sms');
  await page.getByLabel('Direction').selectOption('inbound');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => document.querySelector('main table.data-table')?.dataset.state === 'ready');
  const dirs = await page.locator('main table.data-table tbody td[data-label="Direction"]').allTextContents();
  for (const d of dirs) assert.equal(d.trim(), 'Inbound');
  await shot(page, 'sms-log');
});

test('SMS: send a message and see it in its thread; opening a thread marks it read', async () => {
  await goto(page, '#/messages');
  await page.locator('.thread-list .thread-link').first().waitFor({ timeout: 30_000 });

  // an unread inbound conversation gets marked read when opened
  const unread = page.locator('.thread-link.unread').first();
  if (await unread.count()) {
    const id = await unread.getAttribute('data-thread-id');
    await unread.click();
    await page.locator('.thread-pane[data-read="true"]').waitFor();
    await page.waitForFunction((tid) => !document.querySelector(`.thread-link[data-thread-id="${tid}"]`)?.classList.contains('unread'), id);
    const t = (await api.get(`/api/orgs/${mainOrg.id}/sms/threads/${id}`, { headers: orgHeaders })).json;
    assert.equal(Number((t.thread ?? t).unread_count ?? 0), 0, 'marked read on the server');
  }

  const to = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
  const text = `Browser test ${Date.now()}`;
  await page.getByRole('button', { name: 'New message' }).click();
  const texting = (await api.get(`/api/orgs/${mainOrg.id}/phone-numbers?limit=100`, { headers: orgHeaders })).json.data
    .find((n) => n.sms_enabled === true || n.may_text === true || n.sms_mode === 'enabled');
  if (texting) await page.getByLabel('From').selectOption(texting.number);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.waitForURL(/#\/messages\/[^/?]+/, { timeout: 30_000 });
  await page.locator('.messages .bubble.out', { hasText: text }).waitFor({ timeout: 30_000 });
  await page.locator(`.thread-link[data-contact$="${digits(to)}"], .thread-link[data-contact="${to}"]`).first().waitFor();
  const sent = await simControl('GET', '/messages');
  assert.ok(sent.messages.some((m) => m.message === text && m.to.includes(to)), 'MightyCall got the message');

  // reply inside the thread
  const reply = `Reply ${Date.now()}`;
  await page.getByLabel(/^Reply to/).fill(reply);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('.messages .bubble.out', { hasText: reply }).waitFor({ timeout: 30_000 });
  await checkLabels(page, { clickables: true });
  await shot(page, 'messages');
});

test('sync: trigger a sync and watch the job complete without reloading', async () => {
  await goto(page, '#/sync');
  await tableReady(page);
  await page.evaluate(() => { window.__noReload = 'sync'; });
  const before = new Set(await page.locator('main table.data-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id)));
  await page.getByRole('button', { name: 'Sync phone numbers' }).click();
  // the new job appears as queued…
  const newRow = page.locator('main table.data-table tbody tr').filter({ has: page.locator('.job-status[data-type="phone_numbers"][data-status="queued"]') }).first();
  await newRow.waitFor({ timeout: 30_000 });
  const jobId = await newRow.getAttribute('data-id');
  assert.ok(jobId && !before.has(jobId), 'a new job row');
  const job = (await api.get(`/api/mightycall/sync/jobs/${jobId}`, { headers: orgHeaders })).json;
  assert.equal(job.type, 'phone_numbers');
  // …the sync binary (a systemd timer in production) runs it, and the page follows
  await runVsSync('drain');
  const row = page.locator(`main table.data-table tbody tr[data-id="${jobId}"]`);
  await row.locator('.job-status[data-status="completed"]').waitFor({ timeout: 60_000 });
  assert.match(await row.locator('td[data-label="Progress"]').textContent(), /\d+ synced/);
  await page.locator('.sync-card-status[data-type="phone_numbers"] .badge', { hasText: 'Completed' }).waitFor();
  assert.equal(await page.evaluate(() => window.__noReload), 'sync', 'no page reload');
  await checkLabels(page, { clickables: true });
  await shot(page, 'sync');
});

test('phone numbers: assign one to a member and unassign it', async () => {
  await goto(page, '#/numbers');
  assert.ok(await tableReady(page) > 0);
  const row = page.locator('main table.data-table tbody tr').filter({ has: page.getByRole('button', { name: /^Assign / }) }).first();
  const id = await row.getAttribute('data-id');
  await row.getByRole('button', { name: /^Assign / }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Member').selectOption({ label: 'Dana Dashboard (Org admin)' });
  await dlg.getByRole('button', { name: 'Assign', exact: true }).click();
  const same = page.locator(`main table.data-table tbody tr[data-id="${id}"]`);
  await same.locator('td[data-label="Assigned to"]', { hasText: 'Dana Dashboard' }).waitFor();
  const listed = (await api.get(`/api/orgs/${mainOrg.id}/phone-numbers?limit=500`, { headers: orgHeaders })).json.data.find((n) => n.id === id);
  assert.ok(listed.assigned_to_user_id, 'assigned on the server');
  await shot(page, 'numbers');
  await same.getByRole('button', { name: /^Unassign / }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Unassign', exact: true }).click();
  await same.getByRole('button', { name: /^Assign / }).waitFor();
  await checkLabels(page, { clickables: true });
});

test('contacts: add one (saved in MightyCall too), find it, delete it', async () => {
  await goto(page, '#/contacts');
  assert.ok(await tableReady(page) > 0, 'contacts were synced');
  const last = fx.uniqueName('Tester').replace(/-/g, '');
  await page.getByRole('button', { name: 'Add contact' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('First name').fill('Browser');
  await dlg.getByLabel('Last name').fill(last);
  await dlg.getByLabel('Phone').fill('+12125550199');
  await dlg.getByRole('button', { name: 'Add contact' }).click();
  await page.getByText(`Browser ${last} added.`).waitFor();
  await page.getByLabel('Search name, company, phone or email').fill(`Browser ${last}`);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => document.querySelector('main table.data-table')?.dataset.state === 'ready'
    && document.querySelector('main table.data-table').dataset.total === '1');
  await page.getByRole('button', { name: `Delete Browser ${last}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('Contact deleted.').waitFor();
  await page.waitForFunction(() => document.querySelector('main table.data-table')?.dataset.total === '0');
  await checkLabels(page, { clickables: true });
});

test('admin: create an API key, shown once, copied, working', async () => {
  await goto(page, '#/admin/api-keys');
  await tableReady(page);
  await page.getByRole('button', { name: 'Create API key' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Browser test key');
  // scopes: read is checked by default; add sms:send
  assert.equal(await page.getByRole('dialog').getByRole('checkbox', { name: /^Read/ }).isChecked(), true);
  await page.getByRole('dialog').getByRole('checkbox', { name: /^Send SMS/ }).check();
  await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
  const input = page.getByLabel('API key', { exact: true });
  await input.waitFor();
  const key = await input.inputValue();
  assert.ok(key.length >= 20, 'a key is shown');
  await page.getByRole('button', { name: 'Copy key' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
  const res = await api.get(`/api/orgs/${mainOrg.id}/calls?limit=1`, { headers: { 'x-api-key': key } });
  assert.equal(res.status, 200, 'the new key works');
  const row = page.locator('main table.data-table tbody tr', { hasText: 'Browser test key' });
  await row.waitFor();
  assert.match(await row.innerText(), /read, sms:send/, 'the list shows the scopes');
  const denied = await api.post(`/api/orgs/${mainOrg.id}/contacts`, { first_name: 'x' }, { headers: { 'x-api-key': key } });
  assert.equal(denied.status, 403, 'write was not chosen');
  await shot(page, 'api-keys');
  await page.getByRole('button', { name: 'Done, I saved it' }).click();
  assert.equal(await page.content().then((html) => html.includes(key)), false, 'never shown again');
});

test('admin: members and integrations (credentials never shown back)', async () => {
  await goto(page, '#/admin/members');
  assert.ok(await tableReady(page) >= 1);
  await goto(page, '#/admin/integrations');
  assert.equal(await tableReady(page), 1);
  const html = await page.content();
  assert.ok(!html.includes('demo-user-key') && !html.includes('demo-api-key'), 'no credentials in the page');
  await checkLabels(page, { clickables: true });
  await shot(page, 'integrations');
});

test('org switcher: the agent role in the second org hides manager and admin pages', async () => {
  const sel = page.getByLabel('Organisation', { exact: true });
  await sel.selectOption(secondOrg.id);
  await page.waitForFunction(() => !document.querySelector('#nav a[data-path="/sync"]'));
  const nav = await page.locator('#nav a').allTextContents();
  assert.ok(nav.includes('Calls') && !nav.includes('API keys') && !nav.includes('Sync'), nav.join(','));
  await goto(page, '#/overview');
  await page.locator('[data-metric="calls_today"][data-ready="true"]').waitFor();
  await sel.selectOption(mainOrg.id);
  await page.locator('#nav a[data-path="/sync"]').waitFor();
});

test('phone-sized screen: no sideways scrolling, menu reachable', async () => {
  const { context: phone, page: p } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, consoleErrors);
  await login(p, dana.email, dana.password, { landing: /#\/overview/ });
  await p.locator('[data-metric="calls_today"][data-ready="true"]').waitFor();
  const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(await overflow() <= 1, `overview fits: ${await overflow()}`);
  await shot(p, 'phone-overview', false);
  await p.getByRole('button', { name: 'Menu' }).click();
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
  await p.waitForURL(/#\/calls/);
  await tableReady(p);
  assert.ok(await overflow() <= 1, `calls fit: ${await overflow()}`);
  await shot(p, 'phone-calls', false);
  await closeContext(phone);
});

test('keyboard only: sign in with Tab and Enter, reach a page from the navigation', async () => {
  const { context: kb, page: p } = await newPage({}, consoleErrors);
  await p.goto(`${BASE}/#/login`);
  await p.getByLabel('Email').waitFor();
  assert.equal(await p.evaluate(() => document.activeElement?.name), 'email', 'focus starts in the email field');
  await p.keyboard.type(dana.email);
  await p.keyboard.press('Tab');
  await p.keyboard.type(dana.password);
  await p.keyboard.press('Enter');
  await p.waitForURL(/#\/overview/);
  // tab to the "Calls" link and follow it
  let onCalls = false;
  for (let i = 0; i < 80 && !onCalls; i++) {
    await p.keyboard.press('Tab');
    onCalls = await p.evaluate(() => document.activeElement?.dataset?.path === '/calls');
  }
  assert.ok(onCalls, 'the Calls link is reachable by Tab');
  await p.keyboard.press('Enter');
  await p.waitForURL(/#\/calls/);
  await closeContext(kb);
});

test('a user without an organisation is onboarded', async () => {
  const email = `${fx.uniqueName('newbie').toLowerCase()}@example.test`;
  await fx.createUser({ email, password: PASSWORD, fullName: 'New Person' });
  const { context: c, page: p } = await newPage({}, consoleErrors);
  await login(p, email, PASSWORD, { landing: /#\/onboard/ });
  await p.getByLabel('Organisation name').fill(fx.uniqueName('Newbie Co'));
  await shot(p, 'onboarding');
  await p.getByRole('button', { name: 'Create organisation' }).click();
  await p.waitForURL(/#\/overview/);
  await p.locator('[data-metric="calls_today"][data-ready="true"]').waitFor();
  await closeContext(c);
});

test('token refresh keeps the user signed in; a revoked session goes back to login', async () => {
  const { context: c, page: p, errors: errs } = await newPage();
  await login(p, dana.email, dana.password, { landing: /#\/overview/ });
  // the access token "runs out": the next request refreshes it first.
  // Tokens carry whole-second iat/exp: let the clock pass one second so the
  // refreshed token cannot be byte-identical to the one from the login.
  const old = await p.evaluate(() => JSON.parse(localStorage.getItem('vs.auth')));
  await new Promise((r) => setTimeout(r, 1100));
  await p.evaluate(() => { const a = JSON.parse(localStorage.getItem('vs.auth')); a.expiresAt = Date.now() - 1000; localStorage.setItem('vs.auth', JSON.stringify(a)); });
  await p.reload();
  await p.locator('[data-metric="calls_today"][data-ready="true"]').waitFor();
  const fresh = await p.evaluate(() => JSON.parse(localStorage.getItem('vs.auth')));
  assert.notEqual(fresh.token, old.token, 'new access token');
  assert.notEqual(fresh.refreshToken, old.refreshToken, 'refresh token rotated');
  assert.deepEqual(errs, [], 'refreshing causes no errors');

  // the session is revoked elsewhere (logout of its refresh token), the access token runs out
  const revoke = await api.post('/api/auth/logout', { refresh_token: fresh.refreshToken });
  assert.equal(revoke.status, 200);
  await p.evaluate(() => { const a = JSON.parse(localStorage.getItem('vs.auth')); a.expiresAt = Date.now() - 1000; localStorage.setItem('vs.auth', JSON.stringify(a)); });
  await p.reload();
  await p.waitForURL(/#\/login/, { timeout: 30_000 });
  await p.getByText('Your session has expired. Please sign in again.').waitFor();
  // the only error allowed here is the refused refresh itself
  assert.ok(errs.every((e) => /401/.test(e)), errs.join('\n'));
  await closeContext(c);
});

test('API errors are shown in plain words, next to the field they concern', async () => {
  // a separate browser: the refused requests below are logged by chromium as
  // "Failed to load resource" — expected here, and kept out of the main run's count
  const { context: c, page: p, errors: errs } = await newPage();
  await openLogin(p);
  await signIn(p, dana.email, 'not-the-password');
  await p.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  assert.equal(await p.getByLabel('Password').inputValue(), '', 'password cleared');
  await p.getByLabel('Password').fill(dana.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/#\/overview/);
  await goto(p, '#/admin/members');
  await tableReady(p);
  // an org admin invites (tests/browser/invitations.test.mjs walks the whole flow)
  await p.getByRole('button', { name: 'Invite member' }).click();
  const dlg = p.getByRole('dialog');
  await dlg.getByLabel('Email').fill(dana.email);
  await dlg.getByRole('button', { name: 'Send invitation' }).click();
  await dlg.getByRole('alert').filter({ hasText: 'User is already a member of this organization.' }).waitFor();
  await shot(p, 'error-in-form');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.ok(errs.length >= 2 && errs.every((e) => /status of (400|401|409)/.test(e)), errs.join('\n'));
  await closeContext(c);
});

test('sign out returns to the login page and forgets the session', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/#\/login/);
  await page.getByText('You have signed out.').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('vs.auth')), null);
  await shot(page, 'login');
  await page.goto(`${BASE}/#/calls`);
  await page.waitForURL(/#\/login/);
});

test('no console errors during the whole run', () => {
  assert.deepEqual(consoleErrors, []);
});
