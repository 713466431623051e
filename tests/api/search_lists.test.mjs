// search_lists.test.mjs — finding a customer (issue 18 item 1): the SMS
// thread list keyset-paged with search (number or name prefix) and the unread
// filter; contacts found by first name, last name, company, e-mail and number
// prefixes; calls narrowed to one customer by number or name; SMS log rows
// carrying the contact's name and their thread. Bad input is a 400 naming the
// field. Rows are written straight into the tables as the sync would.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';

/** A 400 whose details name field. */
function badField(res, field) {
  assertError(assert, res, 400, 'BAD_REQUEST');
  assert.equal(res.json.details.field, field, res.text);
}
import { allByCursor, dataOrg, insertCalls, insertSms, lit } from './data_helpers.mjs';

useSourceAddress('127.0.0.203');

const THREADS = 130;
const UNREAD = 37;
let O; let other;
const num = (i) => `+1646555${String(1000 + i).padStart(4, '0')}`;

function insertContact(org, c) {
  sql(`INSERT INTO contacts (id, org_id, display_name, first_name, last_name, company, primary_phone, primary_email) VALUES
    (${lit(randomUUID())}, ${lit(org)}, ${lit(c.display)}, ${lit(c.first ?? null)}, ${lit(c.last ?? null)},
     ${lit(c.company ?? null)}, ${lit(c.phone ?? null)}, ${lit(c.email ?? null)})`);
}

before(async () => {
  O = await dataOrg({ roles: ['agent'] });
  other = await dataOrg({ roles: ['agent'] });
  const t0 = Date.parse('2026-11-01T08:00:00Z');
  insertSms(Array.from({ length: THREADS }, (_, i) => ({
    org_id: O.id, contact_number: num(i), sent_at: t0 + i * 60000, body: `m${i}`,
    read_at: i < UNREAD ? null : '2026-11-02 00:00:00.000',
  })));
  insertContact(O.id, { display: 'Martha Clark', first: 'Martha', last: 'Clark', phone: num(5), email: 'mclark@example.test' });
  insertContact(O.id, { display: 'Jon Snowden', first: 'Jon', last: 'Snowden', phone: num(100), email: 'clarkfan@example.test' });
  insertContact(O.id, { display: 'Zed Quill', first: 'Zed', last: 'Quill', phone: '+13125550177', email: 'zq@example.test' });
  insertContact(O.id, { display: 'Ada Byron', first: 'Ada', last: 'Byron', company: 'Clarkson Ltd', phone: '+14155550188' });
  insertContact(other.id, { display: 'Other Clark', first: 'Other', last: 'Clark', phone: num(5) });
  insertContact(other.id, { display: 'Other Firm', first: 'Other', last: 'Firm', company: 'Zedco', phone: '+13125550199' });
});

const threads = (org, q = '') => `/api/orgs/${org}/sms/threads${q}`;

test('threads: every one of >100 threads is reached by the cursor, newest first, none twice', async () => {
  const first = await api.get(threads(O.id), { headers: O.agent.headers });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.total, THREADS);
  assert.ok(first.json.next_cursor, 'a next page');
  const all = await allByCursor(threads(O.id), O.agent.headers, { limit: 40 });
  assert.equal(all.length, THREADS);
  assert.equal(new Set(all.map((t) => t.id)).size, THREADS);
  assert.equal(all[0].contact_number, num(THREADS - 1), 'newest first');
  assert.equal(all[THREADS - 1].contact_number, num(0));
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].last_message_at >= all[i].last_message_at);
  const named = all.find((t) => t.contact_number === num(5));
  assert.equal(named.contact_name, 'Martha Clark');
});

test('threads: unread filter lists only threads with unread inbound messages, paged', async () => {
  const all = await allByCursor(threads(O.id, '?unread=true'), O.agent.headers, { limit: 10 });
  assert.equal(all.length, UNREAD);
  assert.ok(all.every((t) => t.unread_count > 0));
  const r = await api.get(threads(O.id, '?unread=true&limit=5'), { headers: O.agent.headers });
  assert.equal(r.json.total, UNREAD);
  const read = await api.get(threads(O.id, '?unread=false'), { headers: O.agent.headers });
  assert.equal(read.json.total, THREADS, 'unread=false is no filter');
});

test('threads: search by number prefix (with or without +1) and by contact name, first or last', async () => {
  let r = await api.get(threads(O.id, `?search=${encodeURIComponent('646555101')}&limit=100`), { headers: O.agent.headers });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.data.map((t) => t.contact_number).sort(), Array.from({ length: 10 }, (_, i) => num(10 + i)).sort());
  r = await api.get(threads(O.id, `?search=${encodeURIComponent('+1 (646) 555-1005')}`), { headers: O.agent.headers });
  assert.deepEqual(r.json.data.map((t) => t.contact_number), [num(5)]);
  for (const q of ['clark', 'Martha', 'martha cl', 'CLA']) {
    r = await api.get(threads(O.id, `?search=${encodeURIComponent(q)}`), { headers: O.agent.headers });
    assert.deepEqual(r.json.data.map((t) => t.contact_number), [num(5)], q);
    assert.equal(r.json.total, 1, q);
  }
  r = await api.get(threads(O.id, '?search=snow&unread=true'), { headers: O.agent.headers });
  assert.equal(r.json.total, 0, 'search and unread combine');
  r = await api.get(threads(O.id, '?search=nobody'), { headers: O.agent.headers });
  assert.equal(r.json.total, 0);
  assert.deepEqual(r.json.data, []);
  r = await api.get(threads(other.id, '?search=646555'), { headers: other.agent.headers });
  assert.equal(r.json.total, 0, 'another org sees none of these threads');
});

test('threads: bad parameters are 400 naming the field', async () => {
  const h = { headers: O.agent.headers };
  badField(await api.get(threads(O.id, `?search=${'x'.repeat(101)}`), h), 'search');
  badField(await api.get(threads(O.id, '?cursor=nope'), h), 'cursor');
  badField(await api.get(threads(O.id, '?unread=yes'), h), 'unread');
  const c = (await api.get(`/api/orgs/${O.id}/contacts?limit=1`, h)).json.next_cursor;
  assert.ok(c, 'a contacts cursor');
  badField(await api.get(threads(O.id, `?cursor=${encodeURIComponent(c)}`), h), 'cursor');
  const first = await api.get(threads(O.id, '?limit=2'), h);
  badField(await api.get(threads(O.id, `?limit=2&skip=2&cursor=${encodeURIComponent(first.json.next_cursor)}`), h), 'skip');
});

const contacts = (q) => `/api/orgs/${O.id}/contacts?search=${encodeURIComponent(q)}`;

test('contacts: search by last name, first name, company, e-mail prefix and number', async () => {
  const names = async (q) => {
    const r = await api.get(contacts(q), { headers: O.agent.headers });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, r.json.data.length, q);
    return r.json.data.map((c) => c.display_name);
  };
  assert.deepEqual(await names('clark'), ['Ada Byron', 'Jon Snowden', 'Martha Clark'], 'company, last name and e-mail prefix');
  assert.deepEqual(await names('CLARKSON L'), ['Ada Byron'], 'company prefix, any case');
  assert.deepEqual(await names('ltd'), [], 'only the start of the company');
  assert.deepEqual(await names('Snow'), ['Jon Snowden']);
  assert.deepEqual(await names('zed'), ['Zed Quill'], 'not the other org\'s company Zedco');
  assert.deepEqual(await names('mclark'), ['Martha Clark'], 'e-mail prefix without @');
  assert.deepEqual(await names('mclark@ex'), ['Martha Clark']);
  assert.deepEqual(await names('312555'), ['Zed Quill']);
  assert.deepEqual(await names('quilt'), []);
  assert.deepEqual(await names('50%'), [], 'wildcards are literal');
});

test('contacts: a word search pages by cursor', async () => {
  const all = await allByCursor(`/api/orgs/${O.id}/contacts?search=clark`, O.agent.headers, { limit: 1 });
  assert.deepEqual(all.map((c) => c.display_name), ['Ada Byron', 'Jon Snowden', 'Martha Clark']);
});

test('calls: by customer number (inbound caller, outbound called) and by customer name', async () => {
  const cust = '+17185550142';
  const base = Date.parse('2026-11-03T10:00:00Z');
  insertContact(O.id, { display: 'Paula Kessler', first: 'Paula', last: 'Kessler', phone: cust });
  const rows = insertCalls([
    { org_id: O.id, started_at: base, direction: 'inbound', caller_number: cust, called_number: '+12125550100', caller_name: null },
    { org_id: O.id, started_at: base + 60000, direction: 'outbound', caller_number: '+12125550100', called_number: cust, caller_name: 'Agent Smith' },
    { org_id: O.id, started_at: base + 120000, direction: 'inbound', caller_number: '+17185550999', called_number: '+12125550100', caller_name: 'Kessler Paul' },
    { org_id: O.id, started_at: base + 180000, direction: 'outbound', caller_number: cust, called_number: '+17185550998', caller_name: 'Agent Smith' },
  ]);
  const h = { headers: O.agent.headers };
  let r = await api.get(`/api/orgs/${O.id}/calls?customer_number=${encodeURIComponent('(718) 555-0142')}`, h);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.data.map((c) => c.id), [rows[1].id, rows[0].id], 'newest first, both directions');
  assert.equal(r.json.total, 2);
  const paged = await allByCursor(`/api/orgs/${O.id}/calls?customer_number=${encodeURIComponent(cust)}`, O.agent.headers, { limit: 1 });
  assert.deepEqual(paged.map((c) => c.id), [rows[1].id, rows[0].id]);
  r = await api.get(`/api/orgs/${O.id}/calls?customer_number=${encodeURIComponent(cust)}&direction=outbound`, h);
  assert.deepEqual(r.json.data.map((c) => c.id), [rows[1].id]);
  r = await api.get(`/api/orgs/${O.id}/calls?customer_name=kessler`, h);
  assert.deepEqual(r.json.data.map((c) => c.id), [rows[2].id, rows[1].id, rows[0].id], 'contact last name + caller name');
  assert.equal(r.json.total, 3);
  r = await api.get(`/api/orgs/${O.id}/calls?customer_name=paula`, h);
  assert.deepEqual(r.json.data.map((c) => c.id), [rows[1].id, rows[0].id]);
  r = await api.get(`/api/orgs/${O.id}/calls?customer_name=agent`, h);
  assert.deepEqual(r.json.data, [], 'the agent of an outbound call is not the customer');
  r = await api.get(`/api/orgs/${O.id}/calls?customer_name=kessler&date_from=2026-11-03T10:01:30Z`, h);
  assert.deepEqual(r.json.data.map((c) => c.id), [rows[2].id]);
  const o = await api.get(`/api/orgs/${other.id}/calls?customer_number=${encodeURIComponent(cust)}`, { headers: other.agent.headers });
  assert.equal(o.json.total, 0, 'another org sees none');
});

test('calls: bad customer parameters are 400 naming the field', async () => {
  const h = { headers: O.agent.headers };
  badField(await api.get(`/api/orgs/${O.id}/calls?customer_number=abc`, h), 'customer_number');
  badField(await api.get(`/api/orgs/${O.id}/calls?customer_name=k`, h), 'customer_name');
  badField(await api.get(`/api/orgs/${O.id}/calls?customer_name=${'k'.repeat(101)}`, h), 'customer_name');
  badField(await api.get(`/api/orgs/${O.id}/calls?customer_name=kessler&customer_number=%2B17185550142`, h), 'customer_name');
  badField(await api.get(`/api/orgs/${O.id}/sms?customer_name=kessler`, h), 'customer_name');
});

test('SMS log rows carry the contact name and their thread', async () => {
  // a message the sync just stored (no thread yet): the log files it first
  insertSms([{ org_id: O.id, contact_number: num(5), sent_at: Date.parse('2026-11-01T07:00:00Z'), body: 'older' }]);
  const r = await api.get(`/api/orgs/${O.id}/sms?limit=200`, { headers: O.agent.headers });
  assert.equal(r.status, 200, r.text);
  const rows5 = r.json.data.filter((m) => m.contact_number === num(5));
  assert.equal(rows5.length, 2);
  assert.equal(rows5[0].thread_id, rows5[1].thread_id, 'one conversation');
  const row = rows5[0];
  assert.equal(row.contact_name, 'Martha Clark');
  assert.match(row.thread_id, /^[0-9a-f-]{36}$/);
  const t = await api.get(threads(O.id, `/${row.thread_id}`), { headers: O.agent.headers });
  assert.equal(t.status, 200);
  assert.equal(t.json.contact_number, num(5));
  assert.equal(r.json.data.find((m) => m.contact_number === num(6)).contact_name, null);
});
