// live_reports.test.mjs — the reports page in chromium: day / number / agent
// tabs, each a table and a chart; totals with the inbound answer rate; the
// direction filter; CSV of exactly the table shown. Data: calls posted to
// nginx's webhook URL today. Direct API calls go out from 127.0.0.120.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { api, useSourceAddress } from '../api/lib.mjs';
import { orgWithIntegration } from '../api/sync_helpers.mjs';
import { callEvents, postWebhook, uniquePhone } from '../api/msg_helpers.mjs';
import { checkLabels, closeAll, goto, login, newMember, newPage, shot, tableReady } from './browser_lib.mjs';

useSourceAddress('127.0.0.120');
let O; let user; let main;
const business = '+15550100777';

before(async () => {
  O = await orgWithIntegration({ timezone: 'UTC', label: 'Reports' });
  user = await newMember(O.admin.headers, O.org.id, 'org_admin', { fullName: 'Rita Reports', prefix: 'rep' });
  for (const [inbound, connected] of [[true, true], [true, false], [false, true]]) {
    for (const e of callEvents({ id: randomUUID(), inbound, connected, business, client: uniquePhone(), start: Date.now() - 60_000, durMs: 30_000 })) {
      const r = await postWebhook(O.integration, e);
      assert.equal(r.status, 200, r.text);
    }
  }
  main = await newPage();
});
after(closeAll);

const total = (p, k) => p.locator(`[data-total="${k}"]`).textContent();

test('reports by day: totals, the inbound answer rate, a chart and a table in the org\'s days', async () => {
  const { page } = main;
  await login(page, user.email, user.password);
  await goto(page, '#/reports');
  const days = await tableReady(page);
  assert.equal(days, 30, 'the last 30 days, empty ones included');
  assert.equal(await total(page, 'calls'), '3');
  assert.equal(await total(page, 'answered'), '2');
  assert.equal(await total(page, 'missed'), '1');
  assert.equal(await total(page, 'answer_rate'), '50.0 %');
  await page.locator('#report-chart[data-ready="true"] canvas').first().waitFor();
  assert.match(await page.locator('main').textContent(), /days of UTC/);
  await checkLabels(page);
  await shot(page, 'live-reports-day');
});

test('by number and by agent tabs; the direction filter; CSV of exactly what is shown', async () => {
  const { page } = main;
  await page.getByRole('tab', { name: 'By number' }).click();
  await page.waitForFunction(() => document.querySelector('#tab-number')?.getAttribute('aria-selected') === 'true'
    && document.querySelector('main table.report-table')?.dataset.state === 'ready');
  assert.equal(await tableReady(page), 1);
  assert.match(await page.locator('main table.report-table tbody td[data-label="Business number"]').textContent(), /555 010 0777/);
  await page.locator('#report-chart[data-ready="true"] canvas').first().waitFor();
  await shot(page, 'live-reports-number');

  await page.getByRole('tab', { name: 'By agent' }).click();
  await page.waitForFunction(() => document.querySelector('#tab-agent')?.getAttribute('aria-selected') === 'true'
    && document.querySelector('main table.report-table')?.dataset.state === 'ready');
  assert.match(await page.locator('main table.report-table tbody').textContent(), /ext\. 101/);

  await page.getByLabel('Direction').selectOption('outbound');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => document.querySelector('[data-total="calls"]')?.textContent === '1');
  assert.equal(await total(page, 'answer_rate'), '—', 'no inbound calls in an outbound report');
  assert.match(await page.evaluate(() => location.hash), /direction=outbound/);
  const shownRows = await page.locator('main table.report-table tbody tr').count();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines.length, shownRows + 1, 'header + the rows shown');
  assert.match(lines[0], /^Agent,Calls,Answered,Missed,Answer rate,Avg talk,Total talk$/);
  assert.equal(lines[1], 'ext. 101,1,1,0,100.0 %,0:30,0:30');
  const api1 = await api.get(`/api/orgs/${O.org.id}/reports?group_by=agent&direction=outbound`, { headers: O.admin.headers });
  assert.equal(api1.json.summary.calls, 1);
  assert.deepEqual(main.errors, []);
});
