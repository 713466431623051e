// daily_cards.test.mjs — numbers that agree (issue 18): each overview card
// with a list links to it, filtered to the org's today, and the card's
// number equals that list's count; missed counts inbound calls only (outbound
// calls nobody picked up are appended too, and must not count), the answer
// rate is inbound answered / inbound. 1280×800, real chromium, data from the
// simulator through the real vs-sync binary. Definitions: docs/dashboard.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, useSourceAddress } from '../api/lib.mjs';
import { simControl } from '../api/sync_helpers.mjs';
import { closeAll, signedInPage, tableReady, orgWithAdmin, syncOrg, shownNumber, DESKTOP } from './browser_lib.mjs';

useSourceAddress('127.0.0.183');

let page;
let org;
let user;
const consoleErrors = [];

before(async () => {
  ({ org, user } = await orgWithAdmin({ resetSimulator: true, name: 'Daily Cards', timezone: 'UTC' }));
  await simControl('POST', '/calls', { count: 3, status: 'Missed', direction: 'inbound' });
  await simControl('POST', '/calls', { count: 2, status: 'Missed', direction: 'outbound' });
  await simControl('POST', '/calls', { count: 2, status: 'Connected', direction: 'inbound' });
  await syncOrg(org.id, 'all');
  ({ page } = await signedInPage(user, { viewport: DESKTOP }, consoleErrors));
});

after(closeAll);

/** The card's shown number, then its list opened from the card's link: [card, list count]. */
async function cardAndList(key) {
  await page.locator(`[data-metric="${key}"][data-ready="true"]`).waitFor({ timeout: 30_000 });
  const shown = await page.locator(`[data-metric="${key}"]`).textContent();
  const sub = await page.locator(`[data-metric="${key}"] + .card-sub`).textContent();
  await page.locator(`[data-card-list="${key}"]`).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/overview'));
  const total = await tableReady(page);
  const hash = await page.evaluate(() => location.hash);
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith('#/overview'));
  return { shown, sub, total, hash };
}

test('missed today = the calls list filtered to missed today (outbound unanswered calls excluded)', async () => {
  const m = (await api.get(`/api/orgs/${org.id}/metrics`, { headers: user.headers })).json;
  const { shown, total, hash } = await cardAndList('missed');
  assert.match(hash, new RegExp(`type=missed.*date_from=${m.today}.*date_to=${m.today}|date_from=${m.today}.*type=missed`));
  assert.equal(shownNumber(shown), total);
  assert.equal(total, m.missed_today);
  assert.ok(total >= 3, `the 3 inbound missed calls appended now: ${total}`);
  const outboundUnanswered = (await api.get(`/api/orgs/${org.id}/calls?date_from=${m.today}&date_to=${m.today}&direction=outbound&status=missed&limit=1`, { headers: user.headers })).json.total;
  assert.ok(outboundUnanswered >= 2, 'outbound calls nobody answered exist today');
  const allUnanswered = m.calls_today - m.answered_today;
  assert.ok(m.missed_today <= allUnanswered - outboundUnanswered, 'they are not counted as missed');
});

test('calls today and SMS today equal their lists; the answer rate is inbound answered / inbound list', async () => {
  const calls = await cardAndList('calls_today');
  assert.equal(shownNumber(calls.shown), calls.total);
  const sms = await cardAndList('sms_today');
  assert.equal(shownNumber(sms.shown), sms.total);
  const rate = await cardAndList('answer_rate');
  assert.match(rate.hash, /direction=inbound/);
  const m = (await api.get(`/api/orgs/${org.id}/metrics`, { headers: user.headers })).json;
  assert.equal(rate.total, m.inbound_today);
  assert.match(rate.sub, new RegExp(`^${m.inbound_answered_today} of ${rate.total} inbound answered$`));
  const pct = Math.round((1000 * m.inbound_answered_today) / m.inbound_today) / 10;
  assert.equal(Number(rate.shown.replace(/[^\d.]/g, '')), pct);
  assert.deepEqual(consoleErrors, []);
});
