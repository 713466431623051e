// live_push.test.mjs — pushed live updates in a real browser (chromium via
// playwright-core) through nginx's nchan: a webhook POSTed to nginx shows as
// a new row on the open calls page and as a changed card on the overview,
// and an agent's status change made in a second browser shows on the
// manager's board — each without a reload. The board is for managers and
// org admins only. Direct API calls go out from 127.0.0.118.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useSourceAddress } from '../api/lib.mjs';
import { orgWithIntegration } from '../api/sync_helpers.mjs';
import { callEvents, postWebhook, uniquePhone } from '../api/msg_helpers.mjs';
import {
  checkLabels, closeAll, digits, goto, login, markNoReload, newMember, newPage, noReload, shot, tableReady,
} from './browser_lib.mjs';

useSourceAddress('127.0.0.118');

let O;            // {org, integration, admin}
let manager;      // {email, password, id}
let agent;
let main;         // {page, errors} of the manager
const business = '+15550100999';

/** Posts every event of one completed inbound call to nginx's webhook URL. */
async function webhookCall() {
  const evs = callEvents({ id: randomUUID(), business, client: uniquePhone(), start: Date.now() - 20_000, durMs: 10_000 });
  for (const e of evs) {
    const r = await postWebhook(O.integration, e);
    assert.equal(r.status, 200, r.text);
  }
  return evs[0].Body.Id;
}

before(async () => {
  O = await orgWithIntegration({ timezone: 'UTC', label: 'Live' });
  manager = await newMember(O.admin.headers, O.org.id, 'manager', { fullName: 'Mona Manager' });
  agent = await newMember(O.admin.headers, O.org.id, 'agent', { fullName: 'Alex Agent' });
  main = await newPage();
});

after(closeAll);

test('the overview connects to the push stream; a webhook call changes a card without reload', async () => {
  const { page } = main;
  await login(page, manager.email, manager.password);
  await page.waitForURL(/#\/overview/);
  await page.locator('.live-status[data-state="live"][data-push="on"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-metric="calls_today"][data-ready="true"]').waitFor({ timeout: 30_000 });
  const before = Number(digits(await page.locator('[data-metric="calls_today"]').textContent()));
  await markNoReload(page);
  await webhookCall();
  await page.waitForFunction((b) => Number(document.querySelector('[data-metric="calls_today"]').textContent.replace(/\D/g, '')) === b + 1,
    before, { timeout: 15_000 });
  await noReload(page);
  await shot(page, 'live-overview');
});

test('the open calls page gets the webhook call as a new row without reload', async () => {
  const { page } = main;
  await goto(page, '#/calls');
  const before = await tableReady(page);
  await markNoReload(page);
  await webhookCall();
  await page.waitForFunction((b) => Number(document.querySelector('main table.data-table[data-state="ready"]')?.dataset.total) === b + 1,
    before, { timeout: 15_000 });
  const rows = await page.locator('main table.data-table tbody tr').count();
  assert.equal(rows, before + 1);
  await noReload(page);
});

test('the manager\'s board: counts by status, and an agent\'s change in a second browser appears live', async () => {
  const { page } = main;
  await goto(page, '#/board');
  assert.ok(await tableReady(page) >= 2, 'the manager and the agent are listed');
  const row = page.locator(`main tr[data-user="${agent.id}"]`);
  assert.equal(await row.getAttribute('data-status'), 'offline');
  const availBefore = Number(digits(await page.locator('[data-count="available"]').textContent()));
  await markNoReload(page);

  const second = await newPage();
  await login(second.page, agent.email, agent.password);
  await second.page.getByLabel('My status').selectOption('available');
  await page.locator(`main tr[data-user="${agent.id}"][data-status="available"]`).waitFor({ timeout: 15_000 });
  await page.waitForFunction((b) => Number(document.querySelector('[data-count="available"]').textContent.replace(/\D/g, '')) === b + 1, availBefore);
  assert.match(await row.locator('td[data-label="Since"]').textContent(), /now|second|minute/);
  await noReload(page);
  await checkLabels(page);
  await shot(page, 'live-board');

  // the agent has no board: no link, and the address sends them elsewhere
  const nav = second.page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Calls' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Agents board' }).count(), 0);
  await second.page.evaluate(() => { location.hash = '#/board'; });
  await second.page.waitForFunction(() => !location.hash.startsWith('#/board'));
  assert.deepEqual(second.errors, []);
});

test('the manager\'s browser logged no console errors', () => {
  assert.deepEqual(main.errors, []);
});
