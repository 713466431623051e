// daily_report_missed.test.mjs — numbers that agree (issue 18) over a PAST
// range: the Reports page's missed total, for the days ending yesterday in
// the org's zone, links to the calls list of those days with type=missed,
// and equals that list's count, on the day tab (the org's day rollup) and on
// the agent tab. Outbound calls nobody picked up lie in the range and must
// not count (docs/dashboard.md#cards). 1280×800, real chromium, data from the
// simulator through the real vs-sync binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, useSourceAddress } from '../api/lib.mjs';
import { simControl } from '../api/sync_helpers.mjs';
import { closeAll, signedInPage, goto, tableReady, orgWithAdmin, syncOrg, shownNumber, DESKTOP } from './browser_lib.mjs';

useSourceAddress('127.0.0.189');
const TZ = 'America/Chicago';

let page;
let org;
let user;
let from;
let to;
const consoleErrors = [];

const plusDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
// 18:00Z is noon (CST) or 13:00 (CDT) in Chicago: the same local day
const noonOf = (day) => `${day}T18:00:00Z`;

before(async () => {
  ({ org, user } = await orgWithAdmin({ resetSimulator: true, name: 'Report Missed', timezone: TZ }));
  const m = (await api.get(`/api/orgs/${org.id}/metrics`, { headers: user.headers })).json;
  to = plusDays(m.today, -1); // yesterday in the org's zone
  from = plusDays(m.today, -4);
  for (const [day, calls] of [
    [to, [[3, 'Missed', 'inbound'], [2, 'Missed', 'outbound'], [2, 'Connected', 'inbound']]],
    [plusDays(m.today, -3), [[1, 'VoiceMail', 'inbound'], [1, 'Missed', 'outbound'], [1, 'Connected', 'outbound']]],
  ]) {
    for (const [count, status, direction] of calls) await simControl('POST', '/calls', { count, status, direction, at: noonOf(day) });
  }
  await simControl('POST', '/calls', { count: 2, status: 'Missed', direction: 'inbound' }); // today: outside the range
  await syncOrg(org.id, 'all');
  ({ page } = await signedInPage(user, { viewport: DESKTOP }, consoleErrors));
});

after(closeAll);

const listTotal = async (q) => {
  const r = await api.get(`/api/orgs/${org.id}/calls?limit=1&date_from=${from}&date_to=${to}&${q}`, { headers: user.headers });
  assert.equal(r.status, 200, r.text);
  return r.json.total;
};

/** The missed total shown on the Reports page and the count of the calls list its link opens. */
async function missedAndList() {
  await tableReady(page);
  const shown = shownNumber(await page.locator('[data-total="missed"]').textContent());
  const link = page.locator('[data-total-list="missed"]');
  assert.ok(await link.isVisible(), 'the missed total links to its list');
  const href = await link.getAttribute('href');
  const q = new URLSearchParams(href.split('?')[1]);
  assert.equal(href.split('?')[0], '#/calls');
  assert.deepEqual([q.get('type'), q.get('date_from'), q.get('date_to')], ['missed', from, to]);
  await link.click();
  await page.waitForFunction(() => location.hash.startsWith('#/calls'));
  const total = await tableReady(page);
  const types = await page.locator('main table.data-table tbody td:nth-child(2)').allTextContents();
  assert.ok(types.length > 0 && types.every((t) => /missed/i.test(t)), `only missed calls listed: ${types}`);
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith('#/reports'));
  await tableReady(page); // the page Back opened has loaded before the next step moves on
  return { shown, total };
}

test('a past range: the Reports missed total equals the calls list it opens (day and agent tabs, 1280×800)', async () => {
  assert.deepEqual(page.viewportSize(), DESKTOP);
  const outboundUnanswered = await listTotal('direction=outbound&status=missed');
  assert.ok(outboundUnanswered >= 3, `outbound calls nobody answered lie in the range: ${outboundUnanswered}`);
  const missed = await listTotal('type=missed');
  assert.ok(missed >= 4, `the 3 + 1 inbound unanswered calls appended in the range: ${missed}`);

  await goto(page, `#/reports?tab=day&date_from=${from}&date_to=${to}`);
  const day = await missedAndList();
  assert.equal(day.shown, day.total);
  assert.equal(day.total, missed);
  const rep = (await api.get(`/api/orgs/${org.id}/reports?group_by=day&date_from=${from}&date_to=${to}`, { headers: user.headers })).json;
  assert.equal(rep.summary.missed, missed);
  assert.ok(rep.summary.missed <= rep.summary.calls - rep.summary.answered - outboundUnanswered, 'outbound unanswered calls not missed');

  await tableReady(page);
  await page.locator('#tab-agent').click(); // sets the table loading at once
  await page.locator('#tab-agent[aria-selected="true"]').waitFor();
  const agent = await missedAndList();
  assert.equal(agent.shown, agent.total);
  assert.equal(agent.total, missed);
  assert.deepEqual(consoleErrors, []);
});

test('with an agent filter (the calls list has none) the missed total has no link', async () => {
  await goto(page, `#/reports?tab=day&date_from=${from}&date_to=${to}&agent_id=${user.id}`);
  const link = page.locator('[data-total-list="missed"]');
  await tableReady(page);
  await link.waitFor({ state: 'hidden' }); // the page before had it in sight
  assert.equal(await link.isVisible(), false);
  assert.match(await page.locator('[data-total="missed"]').textContent(), /^\d/);
  assert.deepEqual(consoleErrors, []);
});
