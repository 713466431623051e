// msg_live.test.mjs — GET /api/orgs/:orgId/live: a start cursor, then every
// call and message created or changed since it (new ones, status changes,
// mark-read), each handed out once per change, paged, per org.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, useSourceAddress, waitFor } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole } from './fixtures.mjs';
import { callEvents, mcEvent, messagingOrg, postWebhook, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.65');

let M;
before(async () => { M = await messagingOrg({ number: 8 }); });

const live = (org, cursor, headers) =>
  api.get(`/api/orgs/${org}/live${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { headers });

/** Poll from cursor until pick(result) is truthy; returns {found, cursor}. */
async function until(cursor, pick, what) {
  let c = cursor;
  const found = await waitFor(async () => {
    const r = await live(M.org.id, c, M.headers);
    assert.equal(r.status, 200, r.text);
    c = r.json.cursor;
    return pick(r.json);
  }, { tries: 100, everyMs: 200, what });
  return { found, cursor: c };
}

test('without a cursor: nothing yet, and a cursor to poll with', async () => {
  const r = await live(M.org.id, null, M.headers);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.calls, []);
  assert.deepEqual(r.json.messages, []);
  assert.match(r.json.cursor, /^v1\.\d+\.[0-9a-f-]{36}\.\d+\.[0-9a-f-]{36}$/);
  assert.equal(r.json.has_more, false);
});

test('new messages, new calls and their changes show up once per change', async () => {
  let { cursor } = (await live(M.org.id, null, M.headers)).json;
  const to = uniquePhone();
  const s = await api.post(`/api/orgs/${M.org.id}/sms/send`, { to: [to], message: 'live!' }, { headers: M.headers });
  assert.equal(s.status, 201, s.text);
  const msgId = s.json.messages[0].id;
  ({ cursor } = await until(cursor, (j) => j.messages.find((m) => m.id === msgId && m.status === 'sent'), 'the sent SMS'));
  // the same rows are not handed out again
  const quiet = await live(M.org.id, cursor, M.headers);
  assert.ok(!quiet.json.messages.some((m) => m.id === msgId));
  // a call ringing, then completed
  const evs = callEvents({ business: M.from, client: uniquePhone(), start: Date.now() - 30000, durMs: 20000 });
  await postWebhook(M.integration, evs[0]);
  let r = await until(cursor, (j) => j.calls.find((c) => c.external_id === evs[0].Body.Id), 'the ringing call');
  assert.equal(r.found.status, 'ringing');
  for (const e of evs.slice(1)) await postWebhook(M.integration, e);
  r = await until(r.cursor, (j) => j.calls.find((c) => c.external_id === evs[0].Body.Id && c.status === 'connected'), 'the completed call');
  assert.equal(r.found.duration_seconds, 20);
  // an inbound SMS, then marked read
  const w = await postWebhook(M.integration, mcEvent('IncomingMessage', { id: randomUUID(), from: uniquePhone(), to: M.from, body: { Text: 'ping' } }));
  const m = await until(r.cursor, (j) => j.messages.find((x) => x.id === w.json.message_id), 'the inbound SMS');
  assert.equal(m.found.read_at, null);
  assert.equal(m.found.direction, 'inbound');
  await api.post(`/api/orgs/${M.org.id}/sms/threads/${m.found.thread_id}/mark-read`, {}, { headers: M.headers });
  const read = await until(m.cursor, (j) => j.messages.find((x) => x.id === w.json.message_id && x.read_at), 'the read SMS');
  assert.ok(read.found.read_at);
});

test('a cursor from the past pages through in order (has_more) without losing rows', async () => {
  const O = await messagingOrg({ number: 9 });
  const start = (await live(O.org.id, null, O.headers)).json.cursor;
  const ids = new Set();
  const evs = Array.from({ length: 25 }, () => mcEvent('IncomingMessage', { id: randomUUID(), from: uniquePhone(), to: O.from, body: { Text: 'bulk' } }));
  for (const e of evs) {
    const r = await postWebhook(O.integration, e);
    assert.equal(r.status, 200, r.text);
    ids.add(r.json.message_id);
  }
  let cursor = start;
  const seen = new Set();
  await waitFor(async () => {
    const r = await live(O.org.id, cursor, O.headers);
    assert.equal(r.status, 200, r.text);
    for (const m of r.json.messages) seen.add(m.id);
    cursor = r.json.cursor;
    return [...ids].every((id) => seen.has(id));
  }, { tries: 100, everyMs: 200, what: 'all 25 messages' });
});

test('bad cursor → 400; other orgs → 404; members and API keys may poll', async () => {
  for (const c of ['nope', 'v1.1.2.3.4', `v1.x.${randomUUID()}.1.${randomUUID()}`, `v2.1.${randomUUID()}.1.${randomUUID()}`]) {
    const r = await live(M.org.id, c, M.headers);
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'cursor');
  }
  const { headers } = await platformAdmin();
  const other = await newOrg(headers);
  const outsider = await userWithRole(other.id, 'org_admin');
  assertError(assert, await live(M.org.id, null, outsider.headers), 404, 'NOT_FOUND');
  const agent = await userWithRole(M.org.id, 'agent');
  assert.equal((await live(M.org.id, null, agent.headers)).status, 200);
  assertError(assert, await live(M.org.id, null, {}), 401, 'UNAUTHORIZED');
});
