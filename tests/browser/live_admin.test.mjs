// live_admin.test.mjs — the admin pages of the live dashboard in chromium:
// SMS number settings (add with a key, edit the label and replace the key,
// remove the key — the key never shown back), the webhook events view (new
// events pushed in without reload, linked to their call) and the
// platform-admin MightyCall pages (admin sync with its progress and result,
// numbers / extensions / reports across orgs). Direct API calls from 127.0.0.123.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, useSourceAddress } from '../api/lib.mjs';
import { orgWithIntegration } from '../api/sync_helpers.mjs';
import { mcEvent, postWebhook, uniquePhone } from '../api/msg_helpers.mjs';
import {
  checkLabels, closeAll, goto, login, markNoReload, newMember, newPage, newUser, noReload, shot, tableReady,
} from './browser_lib.mjs';

useSourceAddress('127.0.0.123');
let O; let orgAdmin; let platform; let main;
const KEY1 = `key-${randomUUID()}`;
const KEY2 = `key-${randomUUID()}`;
const NUMBER = '+12025550143';

before(async () => {
  O = await orgWithIntegration({ timezone: 'UTC', label: 'Admin pages' });
  orgAdmin = await newMember(O.admin.headers, O.org.id, 'org_admin', { fullName: 'Olga Orgadmin', prefix: 'oa' });
  platform = await newUser({ fullName: 'Pat Platform', prefix: 'pa', platformAdmin: true });
  main = await newPage();
});
after(closeAll);

const numberRow = (page) => page.locator('main table.data-table tbody tr', { hasText: '+1 202 555 0143' });

test('SMS numbers: add with a key, edit and replace the key, remove it; the key is never shown', async () => {
  const { page } = main;
  await login(page, orgAdmin.email, orgAdmin.password);
  await goto(page, '#/admin/sms-numbers');
  await tableReady(page);
  await page.getByRole('button', { name: 'Add number' }).click();
  await page.getByLabel('Phone number').fill('(202) 555-0143');
  await page.getByLabel('Label').fill('Front desk');
  await page.getByLabel('MightyCall user key').fill(KEY1);
  await page.getByRole('button', { name: 'Add number' }).last().click();
  await numberRow(page).waitFor();
  assert.match(await numberRow(page).textContent(), /Front desk.*Default.*Set/);
  await checkLabels(page);

  await page.getByRole('button', { name: 'Edit +1 202 555 0143' }).click();
  await page.getByLabel('Label').fill('Reception');
  await page.getByLabel('Replace the MightyCall user key').fill(KEY2);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => /Reception/.test(document.querySelector('main table.data-table tbody')?.textContent ?? ''));
  const list = (await api.get(`/api/orgs/${O.org.id}/sms/numbers`, { headers: O.admin.headers })).json.data;
  const saved = list.find((n) => n.phone_number === NUMBER);
  assert.equal(saved.label, 'Reception');
  assert.equal(saved.has_mightycall_key, true);
  const html = await page.content();
  assert.ok(!html.includes(KEY1) && !html.includes(KEY2), 'no key in the page');
  await shot(page, 'live-sms-numbers');

  await page.getByRole('button', { name: 'Remove the key of +1 202 555 0143' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove key' }).click();
  await page.waitForFunction(() => /Not set/.test(document.querySelector('main table.data-table tbody')?.textContent ?? ''));
  const after1 = (await api.get(`/api/orgs/${O.org.id}/sms/numbers`, { headers: O.admin.headers })).json.data.find((n) => n.phone_number === NUMBER);
  assert.equal(after1.has_mightycall_key, false);
});

test('webhook events: the latest events with type and call; a new one arrives without reload', async () => {
  const { page } = main;
  const callId = randomUUID();
  const r = await postWebhook(O.integration, mcEvent('IncomingCall', { id: callId, from: uniquePhone(), to: NUMBER }));
  assert.equal(r.status, 200, r.text);
  await goto(page, '#/webhook-events');
  const before = await tableReady(page);
  assert.ok(before >= 1);
  await markNoReload(page);
  const id2 = randomUUID();
  const r2 = await postWebhook(O.integration, mcEvent('IncomingCall', { id: id2, from: uniquePhone(), to: NUMBER }));
  assert.equal(r2.status, 200, r2.text);
  const link = page.locator(`main a[data-call-id="${id2}"]`);
  await link.waitFor({ timeout: 15_000 });
  assert.match(await page.locator('main table.data-table tbody tr').first().textContent(), /IncomingCall/);
  await noReload(page);
  await checkLabels(page);
  await shot(page, 'live-webhook-events');
  await link.click();
  await page.waitForFunction(() => location.hash.startsWith('#/calls'));
  assert.equal(await tableReady(page), 2, 'both calls to that number today');
  assert.deepEqual(main.errors, []);
});

test('platform admin: MightyCall numbers, extensions and reports across orgs; admin sync with progress', async () => {
  const p = await newPage();
  await login(p.page, platform.email, platform.password);
  const nav = p.page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'MightyCall' }).click();
  await p.page.getByRole('heading', { level: 1, name: 'MightyCall (all organisations)' }).waitFor();
  await p.page.getByLabel('Organisation').selectOption(O.org.id);
  await p.page.waitForFunction((id) => location.hash.includes(`orgId=${id}`), O.org.id);
  await p.page.getByRole('button', { name: 'Sync numbers and extensions now' }).click();
  await p.page.locator('#admin-sync-status[data-state="done"]').waitFor({ timeout: 60_000 });
  assert.match(await p.page.locator('#admin-sync-status').textContent(), /^Done: \d+ numbers \(\d+ new\), \d+ extensions/);
  await p.page.waitForFunction(() => Number(document.querySelector('main table.data-table[data-state="ready"]')?.dataset.total) > 0, null, { timeout: 30_000 });
  const numbers = Number(await p.page.locator('main table.data-table').first().getAttribute('data-total'));
  const api1 = await api.get(`/api/admin/mightycall/phone-numbers?orgId=${O.org.id}&limit=1`, { headers: O.admin.headers });
  assert.equal(numbers, api1.json.total);
  await checkLabels(p.page);
  await shot(p.page, 'live-platform-mightycall');
  await p.page.getByRole('tab', { name: 'Extensions' }).click();
  await p.page.waitForFunction(() => location.hash.includes('view=extensions'));
  assert.ok(await tableReady(p.page) > 0);
  await p.page.getByRole('tab', { name: 'Reports' }).click();
  await p.page.waitForFunction(() => location.hash.includes('view=reports'));
  await tableReady(p.page);
  assert.deepEqual(p.errors, []);
});
