// msg_threads.test.mjs — SMS threads built from sent, webhook and synced
// messages alike (one per business number and contact), never duplicating a
// message that two sources describe (the real vs-sync binary against the
// simulator's journal, in both orders), unread counts, mark-read, paging,
// replies, access.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole } from './fixtures.mjs';
import { simControl, vsSync } from './sync_helpers.mjs';
import { clearFaults, mcEvent, messagingOrg, postWebhook, simSent, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.62');

const threadsPath = (org) => `/api/orgs/${org}/sms/threads`;
let M;
before(async () => {
  await clearFaults();
  M = await messagingOrg({ number: 1 });
});
after(() => clearFaults());

async function inboundSimSms() {
  const r = await simControl('POST', '/sms', { count: 1 });
  const j = r.requests[0];
  return { guid: j.requestGuid, client: j.client.address ?? j.client, business: j.businessNumber.number ?? j.businessNumber, text: j.text };
}

function byExternal(org, ext) {
  return sql(`SELECT id, thread_id, source FROM sms_messages WHERE org_id = '${org}' AND external_id = '${ext}'`);
}

test('sending creates the thread (business number, contact); newest first; unread only counts inbound', async () => {
  const a = uniquePhone(), b = uniquePhone();
  const s1 = await api.post(`/api/orgs/${M.org.id}/sms/send`, { to: [a], message: 'one' }, { headers: M.headers });
  assert.equal(s1.status, 201, s1.text);
  const s2 = await api.post(`/api/orgs/${M.org.id}/sms/send`, { to: [b], message: 'two' }, { headers: M.headers });
  assert.equal(s2.status, 201, s2.text);
  const list = await api.get(`${threadsPath(M.org.id)}?limit=2`, { headers: M.headers });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.limit, 2);
  const [first, second] = list.json.data;
  assert.equal(first.contact_number, b, 'newest first');
  assert.equal(second.contact_number, a);
  assert.equal(first.business_number, M.from);
  assert.equal(first.unread_count, 0);
  assert.equal(first.message_count, 1);
  assert.equal(first.last_message.body, 'two');
  assert.equal(first.last_message.direction, 'outbound');
  const one = await api.get(`${threadsPath(M.org.id)}/${first.id}`, { headers: M.headers });
  assert.equal(one.status, 200);
  assert.equal(one.json.id, first.id);
  assert.equal(one.json.messages.total, 1);
  assert.equal(one.json.messages.data[0].id, s2.json.messages[0].id);
});

test('webhook first, then the sync: one message, one thread; unread until mark-read', async () => {
  const sms = await inboundSimSms();
  const ev = mcEvent('IncomingMessage', { id: sms.guid, from: sms.client, to: sms.business, body: { Text: sms.text } });
  const w = await postWebhook(M.integration, ev);
  assert.equal(w.status, 200, w.text);
  assert.match(w.json.message_id, /^[0-9a-f-]{36}$/);
  const [[id, thread]] = byExternal(M.org.id, sms.guid);
  assert.equal(id, w.json.message_id);
  const t1 = await api.get(`${threadsPath(M.org.id)}/${thread}`, { headers: M.headers });
  assert.equal(t1.json.contact_number, sms.client);
  assert.equal(t1.json.business_number, sms.business);
  assert.ok(t1.json.unread_count >= 1);
  const r = await vsSync(['run', '--org', M.org.id, '--type', 'sms']);
  assert.equal(r.code, 0, r.stderr);
  const rows = byExternal(M.org.id, sms.guid);
  assert.equal(rows.length, 1, 'the sync updated the webhook row');
  assert.equal(rows[0][0], id);
  assert.equal(rows[0][1], thread);
  const t2 = await api.get(`${threadsPath(M.org.id)}/${thread}?limit=500`, { headers: M.headers });
  assert.equal(t2.json.messages.data.filter((m) => m.external_id === sms.guid).length, 1);
  assert.equal(t2.json.message_count, t2.json.messages.total);
  // one thread per (business, contact)
  assert.equal(sql(`SELECT COUNT(*) FROM sms_threads WHERE org_id = '${M.org.id}' AND business_number = '${sms.business}' AND contact_number = '${sms.client}'`)[0][0], '1');
  // every synced message got a thread
  assert.equal(sql(`SELECT COUNT(*) FROM sms_messages WHERE org_id = '${M.org.id}' AND thread_id IS NULL`)[0][0], '0');
  const mr = await api.post(`${threadsPath(M.org.id)}/${thread}/mark-read`, {}, { headers: M.headers });
  assert.equal(mr.status, 200, mr.text);
  assert.ok(mr.json.marked >= 1);
  assert.equal(mr.json.unread_count, 0);
  const t3 = await api.get(`${threadsPath(M.org.id)}/${thread}`, { headers: M.headers });
  assert.equal(t3.json.unread_count, 0);
  assert.ok(t3.json.last_read_at);
});

test('sync first, then the webhook: the webhook finds the synced message, nothing duplicated', async () => {
  const sms = await inboundSimSms();
  const r = await vsSync(['run', '--org', M.org.id, '--type', 'sms']);
  assert.equal(r.code, 0, r.stderr);
  const before = byExternal(M.org.id, sms.guid);
  assert.equal(before.length, 1, 'synced');
  const total = Number(sql(`SELECT COUNT(*) FROM sms_messages WHERE org_id = '${M.org.id}'`)[0][0]);
  const w = await postWebhook(M.integration, mcEvent('IncomingMessage', { id: sms.guid, from: sms.client, to: sms.business, body: { Text: sms.text } }));
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.message_id, before[0][0]);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM sms_messages WHERE org_id = '${M.org.id}'`)[0][0]), total);
  const list = await api.get(`${threadsPath(M.org.id)}?contact_number=${encodeURIComponent(sms.client)}&business_number=${encodeURIComponent(sms.business)}`, { headers: M.headers });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.total, 1);
  assert.equal(list.json.data[0].id, byExternal(M.org.id, sms.guid)[0][1]);
});

test('a sent message synced back from the journal stays one message', async () => {
  const to = uniquePhone();
  const s = await api.post(`/api/orgs/${M.org.id}/sms/send`, { to: [to], message: `echo ${randomUUID()}` }, { headers: M.headers });
  assert.equal(s.status, 201, s.text);
  const r = await vsSync(['run', '--org', M.org.id, '--type', 'sms']);
  assert.equal(r.code, 0, r.stderr);
  const rows = byExternal(M.org.id, s.json.messages[0].external_id);
  assert.deepEqual(rows.map((x) => x[0]), [s.json.messages[0].id]);
});

test('unread filter, paging of threads and of messages', async () => {
  const client = uniquePhone();
  const business = M.from;
  for (let i = 0; i < 3; i++) {
    const w = await postWebhook(M.integration, mcEvent('IncomingMessage', { id: randomUUID(), from: client, to: business, body: { Text: `in ${i}` }, at: Date.now() - (3 - i) * 1000 }));
    assert.equal(w.status, 200, w.text);
  }
  const unread = await api.get(`${threadsPath(M.org.id)}?unread=true&limit=500`, { headers: M.headers });
  const t = unread.json.data.find((x) => x.contact_number === client);
  assert.ok(t, 'listed as unread');
  assert.equal(t.unread_count, 3);
  assert.equal(t.last_message.body, 'in 2');
  for (const x of unread.json.data) assert.ok(x.unread_count > 0);
  const p1 = await api.get(`${threadsPath(M.org.id)}/${t.id}?limit=2`, { headers: M.headers });
  assert.deepEqual(p1.json.messages.data.map((m) => m.body), ['in 2', 'in 1']);
  assert.equal(p1.json.messages.total, 3);
  const p2 = await api.get(`${threadsPath(M.org.id)}/${t.id}?limit=2&skip=2`, { headers: M.headers });
  assert.deepEqual(p2.json.messages.data.map((m) => m.body), ['in 0']);
  assert.equal(p2.json.messages.data[0].direction, 'inbound');
  assert.equal(p2.json.messages.data[0].from, client);
  await api.post(`${threadsPath(M.org.id)}/${t.id}/mark-read`, {}, { headers: M.headers });
  const after = await api.get(`${threadsPath(M.org.id)}?unread=true&limit=500`, { headers: M.headers });
  assert.ok(!after.json.data.some((x) => x.id === t.id));
});

test('reply in a thread: sent from its business number to its contact, lands in the same thread', async () => {
  const client = uniquePhone();
  const w = await postWebhook(M.integration, mcEvent('IncomingMessage', { id: randomUUID(), from: client, to: M.from, body: { Text: 'hi?' } }));
  const [[, thread]] = sql(`SELECT id, thread_id FROM sms_messages WHERE id = '${w.json.message_id}'`);
  const r = await api.post(`${threadsPath(M.org.id)}/${thread}/messages`, { message: 'hello back' }, { headers: M.headers });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.messages[0].thread_id, thread);
  assert.equal(r.json.messages[0].from, M.from);
  assert.equal(r.json.messages[0].to, client);
  const sent = await simSent(client);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].message, 'hello back');
  const bad = await api.post(`${threadsPath(M.org.id)}/${thread}/messages`, { message: '' }, { headers: M.headers });
  assertError(assert, bad, 400, 'BAD_REQUEST');
  assert.equal(bad.json.details.field, 'message');
});

test('bad filters → 400; foreign and unknown threads → 404; other orgs → 404', async () => {
  for (const q of ['unread=yes', 'business_number=abc', 'contact_number=12', 'limit=0', 'skip=-1']) {
    const r = await api.get(`${threadsPath(M.org.id)}?${q}`, { headers: M.headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
  }
  const { headers } = await platformAdmin();
  const other = await newOrg(headers);
  const outsider = await userWithRole(other.id, 'org_admin');
  const [[thread]] = sql(`SELECT id FROM sms_threads WHERE org_id = '${M.org.id}' LIMIT 1`);
  assertError(assert, await api.get(threadsPath(M.org.id), { headers: outsider.headers }), 404, 'NOT_FOUND');
  const foreign = await api.get(`${threadsPath(other.id)}/${thread}`, { headers: outsider.headers });
  assertError(assert, foreign, 404, 'NOT_FOUND');
  assert.equal(foreign.json.details.resource, 'sms_thread');
  assertError(assert, await api.post(`${threadsPath(other.id)}/${thread}/mark-read`, {}, { headers: outsider.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.post(`${threadsPath(other.id)}/${thread}/messages`, { message: 'x' }, { headers: outsider.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(`${threadsPath(M.org.id)}/${randomUUID()}`, { headers: M.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(`${threadsPath(M.org.id)}/nope`, { headers: M.headers }), 404, 'NOT_FOUND');
  const agent = await userWithRole(M.org.id, 'agent');
  assert.equal((await api.get(threadsPath(M.org.id), { headers: agent.headers })).status, 200);
});
