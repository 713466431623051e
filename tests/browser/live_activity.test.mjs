// live_activity.test.mjs — the overview's activity feed in chromium: a missed
// call posted to nginx's webhook URL appears (pushed, no reload) as "Missed
// call from …", linked to the call, and the link opens the calls list on
// that call's day, number and type. Direct API calls from 127.0.0.121.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useSourceAddress } from '../api/lib.mjs';
import { orgWithIntegration } from '../api/sync_helpers.mjs';
import { callEvents, postWebhook, uniquePhone } from '../api/msg_helpers.mjs';
import { closeAll, login, markNoReload, newMember, newPage, noReload, shot, tableReady } from './browser_lib.mjs';

useSourceAddress('127.0.0.121');
let O; let user; let main;
const business = '+15550100555';

before(async () => {
  O = await orgWithIntegration({ timezone: 'UTC', label: 'Activity' });
  user = await newMember(O.admin.headers, O.org.id, 'manager', { fullName: 'Ada Activity', prefix: 'act' });
  main = await newPage();
});
after(closeAll);

test('a missed call shows in the activity feed without reload and links to the call', async () => {
  const { page } = main;
  await login(page, user.email, user.password);
  await page.waitForURL(/#\/overview/);
  await page.locator('.live-status[data-push="on"]').waitFor({ timeout: 30_000 });
  await markNoReload(page);
  const client = uniquePhone();
  let callId;
  for (const e of callEvents({ id: randomUUID(), inbound: true, connected: false, business, client, start: Date.now() - 30_000, durMs: 15_000 })) {
    const r = await postWebhook(O.integration, e);
    assert.equal(r.status, 200, r.text);
    callId = r.json.call_id ?? callId;
  }
  const link = page.getByRole('link', { name: `Missed call from ${client} to ${business}` });
  await link.waitFor({ timeout: 15_000 });
  assert.equal(await link.getAttribute('data-call-id'), callId);
  await noReload(page);
  await shot(page, 'live-activity');
  await link.click();
  await page.waitForFunction(() => location.hash.startsWith('#/calls'));
  const hash = await page.evaluate(() => decodeURIComponent(location.hash));
  assert.match(hash, /type=missed/);
  assert.match(hash, new RegExp(`phone_number=\\${business}`));
  assert.equal(await tableReady(page), 1, 'the one missed call of that number that day');
  assert.deepEqual(main.errors, []);
});
