// search_lists.test.mjs — finding a customer in the dashboard (issue 18 item
// 1), in Debian's chromium via playwright-core against a running stack:
// Messages pages past 100 conversations ("Show more", keyset cursor), finds
// one by a contact's last name or a number, lists only unread ones, and its
// unread badges keep their pill shape; Calls narrows to one customer by name
// and by number; Contacts finds last names, e-mail prefixes and companies
// (the Company column and the edit dialog show it, 1280×800); an SMS log
// row shows the contact's name and opens its conversation. Rows are written
// straight into the tables, as the sync would. The console stays clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, sql, useSourceAddress } from '../api/lib.mjs';
import { insertCalls, insertSms, lit } from '../api/data_helpers.mjs';
import { closeAll, signedInPage, goto, tableReady, orgWithAdmin, DESKTOP } from './browser_lib.mjs';

useSourceAddress('127.0.0.204');

const THREADS = 130;
const UNREAD = 37;
const num = (i) => `+1646555${String(1000 + i).padStart(4, '0')}`;
const CUSTOMER = '+17185550142';
let O; let page;
const errors = [];

function insertContact(org, c) {
  sql(`INSERT INTO contacts (id, org_id, etag, display_name, first_name, last_name, company, primary_phone, primary_email) VALUES
    (${lit(randomUUID())}, ${lit(org)}, ${lit(randomUUID().slice(0, 16))}, ${lit(c.display)}, ${lit(c.first)}, ${lit(c.last)},
     ${lit(c.company ?? null)}, ${lit(c.phone)}, ${lit(c.email ?? null)})`);
}

before(async () => {
  O = await orgWithAdmin({ name: 'Search' });
  const id = O.org.id;
  const t0 = Date.parse('2026-11-01T08:00:00Z');
  insertSms(Array.from({ length: THREADS }, (_, i) => ({
    org_id: id, contact_number: num(i), sent_at: t0 + i * 60000, body: `message ${i}`,
    read_at: i >= THREADS - UNREAD ? null : '2026-11-02 00:00:00.000',
  })));
  insertContact(id, { display: 'Martha Clark', first: 'Martha', last: 'Clark', phone: num(5), email: 'mclark@example.test' });
  insertContact(id, { display: 'Jon Snowden', first: 'Jon', last: 'Snowden', phone: num(100), email: 'clarkfan@example.test' });
  insertContact(id, { display: 'Paula Kessler', first: 'Paula', last: 'Kessler', phone: CUSTOMER, company: 'Northwind Traders' });
  const base = Date.parse('2026-11-03T10:00:00Z');
  insertCalls([
    { org_id: id, started_at: base, direction: 'inbound', caller_number: CUSTOMER, called_number: '+12125550100', caller_name: null },
    { org_id: id, started_at: base + 60000, direction: 'outbound', caller_number: '+12125550100', called_number: CUSTOMER, caller_name: 'Agent Smith' },
    ...Array.from({ length: 20 }, (_, i) => ({ org_id: id, started_at: base + (i + 2) * 60000, direction: 'inbound',
      caller_number: `+1929555${String(2000 + i)}`, called_number: '+12125550100', caller_name: `Someone ${i}` })),
  ]);
  ({ page } = await signedInPage(O.user, { viewport: DESKTOP }, errors));
});

after(async () => {
  await closeAll();
});

const threadLinks = () => page.locator('main .thread-list a.thread-link');
const countText = () => page.locator('main .thread-count').textContent();

test('Messages: more than 100 conversations are reached with "Show more"', async () => {
  await goto(page, '#/messages');
  await page.waitForFunction(() => document.querySelectorAll('main .thread-list a.thread-link').length === 50, null, { timeout: 30_000 });
  assert.equal((await countText()).trim(), `50 of ${THREADS} conversations`);
  const more = page.getByRole('button', { name: 'Show more' });
  await more.click();
  await page.waitForFunction(() => document.querySelectorAll('main .thread-list a.thread-link').length === 100);
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll('main .thread-list a.thread-link').length === n, THREADS);
  assert.equal(await more.isHidden(), true, 'no more pages');
  const contacts = await threadLinks().evaluateAll((as) => as.map((a) => a.dataset.contact));
  assert.equal(new Set(contacts).size, THREADS, 'each conversation once');
  assert.equal(contacts[THREADS - 1], num(0), 'the oldest conversation is reachable');
});

test('Messages: unread badges are pills, not tall ovals', async () => {
  const box = await page.locator('main .thread-link .badge').first().boundingBox();
  assert.ok(box, 'an unread badge');
  assert.ok(box.width > box.height, `badge ${box.width}x${box.height}`);
  assert.ok(box.height < 32, `badge height ${box.height}`);
});

test('Messages: search by last name or number, and the unread filter (kept in the address)', async () => {
  await page.getByLabel('Search conversations').fill('clark');
  await page.waitForFunction(() => document.querySelectorAll('main .thread-list a.thread-link').length === 1);
  assert.match(await threadLinks().first().textContent(), /Martha Clark/);
  assert.match(await page.evaluate(() => location.hash), /search=clark/);
  await page.getByLabel('Search conversations').fill('646555110');
  await page.waitForFunction(() => document.querySelectorAll('main .thread-list a.thread-link').length === 10);
  await page.getByLabel('Search conversations').fill('');
  await page.getByLabel('Unread only').check();
  await page.waitForFunction((n) => document.querySelectorAll('main .thread-list a.thread-link').length === n, UNREAD);
  assert.equal(await page.locator('main .thread-list a.thread-link.unread').count(), UNREAD);
  assert.match(await page.evaluate(() => location.hash), /unread=true/);
  await page.getByLabel('Unread only').uncheck();
  await page.waitForFunction(() => document.querySelectorAll('main .thread-list a.thread-link').length === 50);
});

test('Calls: the Customer filter finds a customer by name and by number, both directions', async () => {
  await goto(page, '#/calls');
  assert.equal(await tableReady(page), 22);
  const apply = async (value, want) => {
    await page.getByLabel('Customer').fill(value);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction((n) => document.querySelector('main table.data-table')?.dataset.state === 'ready'
      && Number(document.querySelector('main table.data-table').dataset.total) === n, want, { timeout: 30_000 });
  };
  await apply('kessler', 2);
  await apply('(718) 555-0142', 2);
  const dirs = await page.locator('main table.data-table tbody tr').count();
  assert.equal(dirs, 2);
  await apply('nobody here', 0);
});

test('Contacts: search finds last names and e-mail prefixes', async () => {
  await goto(page, '#/contacts');
  await tableReady(page);
  await page.getByLabel('Search name, company, phone or email').fill('clark');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => document.querySelector('main table.data-table')?.dataset.state === 'ready'
    && Number(document.querySelector('main table.data-table').dataset.total) === 2, null, { timeout: 30_000 });
  const text = await page.locator('main table.data-table tbody').textContent();
  assert.match(text, /Martha Clark/);
  assert.match(text, /Jon Snowden/, 'found by the e-mail prefix clarkfan@');
});

test('Contacts: search by the start of a company finds its contact at 1280×800; the dialog edits the company', async () => {
  assert.deepEqual(page.viewportSize(), { width: 1280, height: 800 });
  await goto(page, '#/contacts');
  await tableReady(page);
  const search = page.getByLabel('Search name, company, phone or email');
  assert.match(await search.getAttribute('placeholder'), /company/i, 'the placeholder says a company is searched');
  const find = async (q, n) => {
    await search.fill(q);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction((want) => document.querySelector('main table.data-table')?.dataset.state === 'ready'
      && Number(document.querySelector('main table.data-table').dataset.total) === want, n, { timeout: 30_000 });
  };
  await find('northw', 1);
  const row = page.locator('main table.data-table tbody tr').first();
  assert.match(await row.locator('th').textContent(), /Paula Kessler/);
  assert.equal((await row.locator('td[data-label="Company"]').textContent()).trim(), 'Northwind Traders');
  assert.match(await page.evaluate(() => location.hash), /search=northw/);
  // the Company column is in sight, inside the table box, without sideways scrolling
  const fit = await page.evaluate(() => {
    const wrap = document.querySelector('main .table-wrap');
    const th = [...document.querySelectorAll('main .data-table thead th')].find((x) => x.textContent === 'Company');
    const w = wrap.getBoundingClientRect(); const c = th.getBoundingClientRect();
    return { scroll: wrap.scrollWidth, client: wrap.clientWidth, inside: c.right <= w.right + 0.5 && c.width > 0 };
  });
  assert.ok(fit.scroll <= fit.client && fit.inside, `Company column fits at 1280: ${JSON.stringify(fit)}`);
  // edit: the dialog shows the company; a new one is saved and found, the old one no longer
  await page.getByRole('button', { name: 'Edit Paula Kessler' }).click();
  const dlg = page.getByRole('dialog');
  const company = dlg.getByLabel('Company');
  assert.equal(await company.inputValue(), 'Northwind Traders');
  await company.fill('Contoso Pharmaceuticals');
  await dlg.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Contact saved.').waitFor();
  await find('contoso', 1);
  assert.equal((await page.locator('main table.data-table tbody tr td[data-label="Company"]').first().textContent()).trim(), 'Contoso Pharmaceuticals');
  await find('northw', 0);
});

test('SMS log: a row shows the contact name and opens its conversation', async () => {
  // Martha's newest message: the first row of the log
  insertSms([{ org_id: O.org.id, contact_number: num(5), sent_at: Date.parse('2026-11-05T08:00:00Z'), body: 'hello again',
    read_at: '2026-11-05 09:00:00.000' }]);
  await goto(page, '#/sms');
  await tableReady(page);
  const link = page.locator('main table.data-table a.conversation-link', { hasText: 'Martha Clark' }).first();
  await link.waitFor({ timeout: 30_000 });
  const thread = (await api.get(`/api/orgs/${O.org.id}/sms/threads?search=clark`, { headers: O.user.headers })).json.data[0];
  assert.equal(await link.getAttribute('href'), `#/messages/${thread.id}`, 'the row links to its thread');
  await link.click();
  await page.waitForFunction(() => /^#\/messages/.test(location.hash) && document.querySelector('main .thread-head h2'), null, { timeout: 30_000 });
  assert.match(await page.locator('main .thread-head h2').textContent(), /Martha Clark/);
  assert.equal(await page.locator('main .messages li').count(), 2, 'both of her messages');
});

test('no console errors', () => {
  assert.deepEqual(errors, []);
});
