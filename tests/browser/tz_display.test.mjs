// tz_display.test.mjs — one time zone (issue 18, item 2): the browser runs in
// Pacific/Auckland, the org is in America/Chicago (18 or 19 hours apart, a
// different calendar day for most of the day). A call pinned at a known
// instant is shown at its Chicago time on the Calls page, the page says once
// "Times in America/Chicago", and the CSV export names the zone in the
// column header with the Chicago local time in the cell. Real chromium,
// data from the simulator through the real vs-sync binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, useSourceAddress } from '../api/lib.mjs';
import { simControl } from '../api/sync_helpers.mjs';
import { closeAll, signedInPage, tableReady, orgWithAdmin, syncOrg, BASE, DESKTOP } from './browser_lib.mjs';

useSourceAddress('127.0.0.186');
const ORG_TZ = 'America/Chicago';
const BROWSER_TZ = 'Pacific/Auckland';

let org;
let user;
let call;      // the pinned call as the API lists it
let day;       // its day (YYYY-MM-DD), the same in UTC and in Chicago
let listHash;  // a Calls address that lists it
const consoleErrors = [];

before(async () => {
  ({ org, user } = await orgWithAdmin({ resetSimulator: true, name: 'Tz Display', timezone: ORG_TZ }));
  // yesterday 16:05:37 UTC = 10:05:37 in Chicago (CST) = 05:05:37 the next day in Auckland
  day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const at = `${day}T16:05:37Z`;
  await simControl('POST', '/calls', { count: 1, at, status: 'Connected', direction: 'inbound' });
  await syncOrg(org.id, 'calls');
  // find the call through the API, with the filters the page will use
  const atMs = Date.parse(at);
  const numbers = new Set();
  for (let skip = 0; skip < 5000 && !call; skip += 200) {
    const page = await api.get(`/api/orgs/${org.id}/calls?date_from=${day}&date_to=${day}&limit=200&skip=${skip}`, { headers: user.headers });
    assert.equal(page.status, 200, page.text);
    for (const c of page.json.data) numbers.add(c.phone_number);
    call = page.json.data.find((c) => Date.parse(c.date) === atMs);
    if (page.json.data.length < 200) break;
  }
  assert.ok(call, `the pinned call ${at} is listed (business numbers seen: ${[...numbers].join(', ')})`);
  const q = `date_from=${day}&date_to=${day}&phone_number=${encodeURIComponent(call.phone_number)}`;
  const narrow = await api.get(`/api/orgs/${org.id}/calls?${q}&limit=200`, { headers: user.headers });
  const idx = narrow.json.data.findIndex((c) => c.id === call.id);
  assert.ok(idx >= 0, 'the call is on the first 200 of its business number that day');
  listHash = `#/calls?${q}&limit=200`;
});

after(closeAll);

async function orgPage() {
  const { page } = await signedInPage(user, { viewport: DESKTOP, timezoneId: BROWSER_TZ, locale: 'en-US' }, consoleErrors);
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), BROWSER_TZ, 'the browser runs in Auckland');
  return page;
}

const fmt = (iso, timeZone) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));

test('a call is shown at its time in the org\'s zone, not the browser\'s, and the page says which zone', async () => {
  const page = await orgPage();
  await page.goto(`${BASE}/${listHash}`);
  await tableReady(page);
  const cell = page.locator(`main table.data-table tbody tr[data-id="${call.id}"] > :first-child`);
  const shown = (await cell.textContent()).trim();
  const chicago = fmt(call.date, ORG_TZ);
  const auckland = fmt(call.date, BROWSER_TZ);
  assert.notEqual(chicago, auckland, 'the two zones show different times');
  assert.match(chicago, /10:05\sAM/, `Chicago time of ${call.date}`);
  assert.equal(shown, chicago, `shown "${shown}", Chicago "${chicago}", Auckland "${auckland}"`);
  // labelled once on the page
  const notes = await page.locator('main .tz-note').allTextContents();
  assert.deepEqual(notes, [`Times in ${ORG_TZ}`]);
  // the overview (another page) is labelled too
  await page.goto(`${BASE}/#/overview`);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.deepEqual(await page.locator('main .tz-note').allTextContents(), [`Times in ${ORG_TZ}`]);
  assert.deepEqual(consoleErrors, []);
});

test('the CSV export names the zone and gives the org\'s local time', async () => {
  const page = await orgPage();
  await page.goto(`${BASE}/${listHash}`);
  await tableReady(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  const [header, ...lines] = text.trim().split(/\r\n/);
  const cols = header.split(',');
  assert.equal(cols[0], `Date (${ORG_TZ})`, `header: ${header}`);
  assert.ok(lines.some((l) => l.startsWith(`${day} 10:05:37,`)), `a row at ${day} 10:05:37 Chicago time:\n${lines.slice(0, 5).join('\n')}`);
  assert.ok(!lines.some((l) => l.includes('T16:05:37')), 'no raw UTC instants');
  assert.deepEqual(consoleErrors, []);
});
