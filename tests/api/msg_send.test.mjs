// msg_send.test.mjs — POST /api/orgs/:orgId/sms/send through the simulator:
// accepted, refused, timing out and failing mid-way (the SMS sent upstream but
// the reply lost). Whatever happens no message is lost (every one is stored
// before it is sent) and none is sent twice (the simulator's own record of
// accepted sends is the truth): a POST that may have reached MightyCall is
// never repeated (its API honours no Idempotency-Key); the SMS sync settles it. Plus input validation, Idempotency-Key reuse,
// the per-org rate limit, per-number keys and access.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole, apiKeyFor } from './fixtures.mjs';
import { simControl, vsSync } from './sync_helpers.mjs';

const faults_get = () => simControl('GET', '/faults');
import { clearFaults, faults, messagingOrg, simNumbers, simSent, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.61');

const send = (org, body, headers, extra = {}) => api.post(`/api/orgs/${org}/sms/send`, body, { headers: { ...headers, ...extra } });
const rowsOf = (org) => Number(sql(`SELECT COUNT(*) FROM sms_messages WHERE org_id = '${org}'`)[0][0]);
const SECRET_TEXT = ['demo-user-key'];

let M; // the org used by most tests
before(async () => {
  await clearFaults();
  M = await messagingOrg();
});
after(() => clearFaults());

test('accepted: stored, sent once with an upstream Idempotency-Key, 201 with MightyCall id', async () => {
  const to = uniquePhone();
  const res = await send(M.org.id, { to: [to], message: 'Hello from the tests' }, M.headers);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.status, 'sent');
  assert.equal(res.json.sent, 1);
  assert.match(res.json.idempotency_key, /^auto_/);
  const [m] = res.json.messages;
  assert.equal(m.status, 'sent');
  assert.equal(m.direction, 'outbound');
  assert.equal(m.from, M.from);
  assert.equal(m.to, to);
  assert.equal(m.body, 'Hello from the tests');
  assert.equal(m.delivery_state, null);
  assert.match(m.thread_id, /^[0-9a-f-]{36}$/);
  const sent = await simSent(to);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].id, m.external_id);
  assert.equal(sent[0].from, M.from);
  assert.equal(sent[0].path, '/contactcenter/messages/send');
  assert.equal(sent[0].idempotency_key, `vs-${m.id}`);
  for (const s of SECRET_TEXT) assert.ok(!res.text.includes(s));
});

test('several recipients: one message (and one upstream send) each; numbers normalised, duplicates dropped', async () => {
  const a = uniquePhone(), b = uniquePhone();
  const bFormatted = `(${b.slice(2, 5)}) ${b.slice(5, 8)}-${b.slice(8)}`;
  const res = await send(M.org.id, { to: [a, bFormatted, b], message: 'group' }, M.headers);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.messages.map((m) => m.to), [a, b]);
  assert.equal((await simSent(a)).length, 1);
  assert.equal((await simSent(b)).length, 1);
  assert.notEqual(res.json.messages[0].thread_id, res.json.messages[1].thread_id, 'one thread per contact');
});

test('refused by MightyCall: stored as failed with its reason, 502, nothing sent', async () => {
  const { silent } = await simNumbers();
  const from = silent[0];
  const add = await api.post(`/api/orgs/${M.org.id}/sms/numbers`, { phone_number: from }, { headers: M.headers });
  assert.ok([200, 201].includes(add.status), add.text);
  const to = uniquePhone();
  const res = await send(M.org.id, { from, to: [to], message: 'will be refused' }, M.headers);
  assertError(assert, res, 502, 'UPSTREAM_ERROR');
  const [m] = res.json.details.messages;
  assert.equal(m.status, 'failed');
  assert.match(m.failure_reason, /403/);
  assert.match(m.failure_reason, /Failed to send message/);
  assert.equal((await simSent(to)).length, 0);
  assert.deepEqual(sql(`SELECT status FROM sms_messages WHERE id = '${m.id}'`), [['failed']]);
});

const outboxOf = (id) => sql(`SELECT m.status, o.state, COALESCE(o.resolved_by, '-') FROM sms_messages m JOIN sms_outbox o ON o.message_id = m.id WHERE m.id = '${id}'`)[0];

test('a timeout before MightyCall handled it: unknown (no blind retry), nothing sent; a replay sends nothing either', async () => {
  const key = `key-${randomUUID()}`;
  const to = uniquePhone();
  const body = { to: [to], message: 'slow network' };
  await faults({ timeout_ms: 800, fail_next: { count: 5, status: 'timeout', paths: 'messages/send' } });
  const first = await send(M.org.id, body, M.headers, { 'idempotency-key': key });
  await clearFaults();
  assert.equal(first.status, 202, first.text);
  assert.equal(first.json.idempotency_key, key);
  const [m] = first.json.messages;
  assert.equal(m.status, 'queued');
  assert.equal(m.delivery_state, 'unknown');
  assert.equal((await simSent(to)).length, 0, 'nothing reached MightyCall');
  const before = rowsOf(M.org.id);
  const again = await send(M.org.id, body, M.headers, { 'idempotency-key': key });
  assert.ok([200, 201, 202].includes(again.status), again.text);
  assert.equal(again.json.messages[0].id, m.id, 'the same message, not a new one');
  assert.equal(again.json.messages[0].delivery_state, 'unknown', 'not sent again blindly');
  assert.equal(rowsOf(M.org.id), before, 'replays store nothing new');
  assert.equal((await simSent(to)).length, 0);
  // not in the journal a day after the attempt: failed
  sql(`UPDATE sms_outbox SET last_attempt_at = NOW(3) - INTERVAL 25 HOUR WHERE message_id = '${m.id}'`);
  const r = await vsSync(['run', '--org', M.org.id, '--type', 'sms']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(outboxOf(m.id), ['failed', 'done', 'send']);
});

for (const fault of ['timeout_after', 'reset_after', 'malformed']) {
  test(`MightyCall accepted the send, the reply was lost (${fault}): one SMS upstream, unknown until the SMS sync finds it → sent`, async () => {
    const key = `key-${randomUUID()}`;
    const to = uniquePhone();
    const body = { to: [to], message: `accepted, reply lost ${randomUUID()}` };
    // a send just before: the worker thread that serves it most likely serves the next request too, with its
    // connection to MightyCall still open — libcurl would resend a request on a reused connection that closes
    // before any answer (mc_client.c: a POST always gets a connection of its own)
    const warm = await send(M.org.id, { to: [uniquePhone()], message: `warm ${randomUUID()}` }, M.headers);
    assert.ok(warm.status < 300, warm.text);
    await faults({ timeout_ms: 800, fail_next: { count: 5, status: fault, paths: 'messages/send' } });
    const first = await send(M.org.id, body, M.headers, { 'idempotency-key': key });
    await clearFaults();
    assert.equal(first.status, 202, first.text);
    const [mine] = first.json.messages;
    assert.equal(mine.delivery_state, 'unknown');
    assert.deepEqual(outboxOf(mine.id), ['queued', 'unknown', '-']);
    // a client retry with the same key does not send it again
    const again = await send(M.org.id, body, M.headers, { 'idempotency-key': key });
    assert.equal(again.json.messages[0].id, mine.id);
    const sent = await simSent(to);
    assert.equal(sent.length, 1, 'exactly one message at MightyCall');
    const r = await vsSync(['run', '--org', M.org.id, '--type', 'sms']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(outboxOf(mine.id), ['sent', 'done', 'journal']);
    const rows = sql(`SELECT id, status, source FROM sms_messages WHERE org_id = '${M.org.id}' AND external_id = '${sent[0].id}'`);
    assert.deepEqual(rows, [[mine.id, 'sent', 'api']], 'one row: ours, now sent with the journal id');
    assert.equal((await simSent(to)).length, 1, 'still once');
  });
}

test('5xx: unknown, not failed and not retried; nothing lost', async () => {
  await faults({ fail_next: { count: 5, status: 503, paths: 'messages/send' } });
  const to = uniquePhone();
  const res = await send(M.org.id, { to: [to], message: 'server trouble' }, M.headers);
  const left = (await faults_get()).fail_next.remaining;
  await clearFaults();
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.messages[0].status, 'queued');
  assert.equal(left, 4, 'one POST, no retry');
  assert.deepEqual(outboxOf(res.json.messages[0].id), ['queued', 'unknown', '-']);
});

test('Idempotency-Key reused with another body → 409, nothing stored or sent', async () => {
  const key = `key-${randomUUID()}`;
  const to = uniquePhone();
  const a = await send(M.org.id, { to: [to], message: 'first' }, M.headers, { 'idempotency-key': key });
  assert.equal(a.status, 201, a.text);
  const before = rowsOf(M.org.id);
  const b = await send(M.org.id, { to: [to], message: 'second' }, M.headers, { 'idempotency-key': key });
  assertError(assert, b, 409, 'CONFLICT');
  assert.equal(b.json.details.field, 'Idempotency-Key');
  assert.equal(rowsOf(M.org.id), before);
  assert.equal((await simSent(to)).length, 1);
});

test('concurrent requests with one Idempotency-Key send once', async () => {
  const key = `key-${randomUUID()}`;
  const to = uniquePhone();
  const body = { to: [to], message: 'at once' };
  const rs = await Promise.all([0, 1, 2, 3].map(() => send(M.org.id, body, M.headers, { 'idempotency-key': key })));
  for (const r of rs) assert.ok([201, 202].includes(r.status), r.text);
  assert.equal(new Set(rs.map((r) => r.json.messages[0].id)).size, 1);
  assert.equal((await simSent(to)).length, 1);
});

test('bad input → 400 naming the field (and the number); nothing stored', async () => {
  const before = rowsOf(M.org.id);
  const cases = [
    [{ message: 'x' }, 'to'],
    [{ to: [], message: 'x' }, 'to'],
    [{ to: 'x'.repeat(5), message: 'x' }, 'to[0]'],
    [{ to: [uniquePhone(), '555-12'], message: 'x' }, 'to[1]'],
    [{ to: [uniquePhone(), 42], message: 'x' }, 'to[1]'],
    [{ to: Array.from({ length: 51 }, () => uniquePhone()), message: 'x' }, 'to'],
    [{ to: [uniquePhone()] }, 'message'],
    [{ to: [uniquePhone()], message: '' }, 'message'],
    [{ to: [uniquePhone()], message: 'x'.repeat(1601) }, 'message'],
    [{ to: [uniquePhone()], message: 'bell\u0007' }, 'message'],
    [{ from: 'nope', to: [uniquePhone()], message: 'x' }, 'from'],
    [{ from: '+12125550000', to: [uniquePhone()], message: 'x' }, 'from'],
    [{ to: [uniquePhone()], message: 'x', attachments: [] }, 'attachments'],
  ];
  for (const [body, field] of cases) {
    const res = await send(M.org.id, body, M.headers);
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, JSON.stringify(body).slice(0, 80));
  }
  const named = await send(M.org.id, { to: ['+1 212 ABC'], message: 'x' }, M.headers);
  assert.match(named.json.error, /\+1 212 ABC/);
  assert.equal(named.json.details.value, '+1 212 ABC');
  const badKey = await send(M.org.id, { to: [uniquePhone()], message: 'x' }, M.headers, { 'idempotency-key': 'has space' });
  assertError(assert, badKey, 400, 'BAD_REQUEST');
  assert.equal(badKey.json.details.field, 'Idempotency-Key');
  const notJson = await api.post(`/api/orgs/${M.org.id}/sms/send`, undefined, { body: '{"to":', headers: { ...M.headers, 'content-type': 'application/json' } });
  assertError(assert, notJson, 400, 'BAD_REQUEST');
  assert.equal(rowsOf(M.org.id), before);
});

test('a one-number string is accepted for to; 1600 characters is the limit', async () => {
  const to = uniquePhone();
  const res = await send(M.org.id, { to: to.slice(2), message: 'é'.repeat(1600) }, M.headers);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.messages[0].to, to);
});

test('per-number key: used instead of the integration credentials (a wrong one fails, nothing sent)', async () => {
  const { texting } = await simNumbers();
  const good = texting[1 % texting.length], bad = texting[2 % texting.length];
  await api.post(`/api/orgs/${M.org.id}/sms/numbers`, { phone_number: good, mightycall_key: 'demo-user-key' }, { headers: M.headers });
  await api.post(`/api/orgs/${M.org.id}/sms/numbers`, { phone_number: bad, mightycall_key: 'not-the-user-key' }, { headers: M.headers });
  const to1 = uniquePhone(), to2 = uniquePhone();
  const ok = await send(M.org.id, { from: good, to: [to1], message: 'own key' }, M.headers);
  assert.equal(ok.status, 201, ok.text);
  const ko = await send(M.org.id, { from: bad, to: [to2], message: 'wrong key' }, M.headers);
  assertError(assert, ko, 502, 'UPSTREAM_ERROR');
  assert.equal(ko.json.details.messages[0].status, 'failed');
  assert.ok(!ko.text.includes('not-the-user-key'), 'keys never appear in errors');
  assert.equal((await simSent(to1)).length, 1);
  assert.equal((await simSent(to2)).length, 0);
});

test('no default number → 400 from; no integration → 409; nothing stored', async () => {
  const noNumber = await messagingOrg({ withNumber: false });
  const r1 = await send(noNumber.org.id, { to: [uniquePhone()], message: 'x' }, noNumber.headers);
  assertError(assert, r1, 400, 'BAD_REQUEST');
  assert.equal(r1.json.details.field, 'from');
  const { headers } = await platformAdmin();
  const bare = await newOrg(headers);
  await api.post(`/api/orgs/${bare.id}/sms/numbers`, { phone_number: '+12125550199' }, { headers });
  const r2 = await send(bare.id, { to: [uniquePhone()], message: 'x' }, headers);
  assertError(assert, r2, 409, 'CONFLICT');
  assert.equal(rowsOf(noNumber.org.id) + rowsOf(bare.id), 0);
});

test('per-org rate limit → 429 with Retry-After; the refused request stores nothing', async () => {
  const R = await messagingOrg({ number: 3 });
  let limited = null;
  for (let i = 0; i < 4 && !limited; i++) {
    const to = Array.from({ length: 35 }, () => uniquePhone());
    const before = rowsOf(R.org.id);
    const res = await send(R.org.id, { to, message: `burst ${i}` }, R.headers);
    if (res.status === 429) {
      limited = res;
      assert.equal(rowsOf(R.org.id), before, 'nothing stored');
    } else {
      assert.equal(res.status, 201, res.text);
    }
  }
  assert.ok(limited, 'the limit was reached');
  assertError(assert, limited, 429, 'RATE_LIMITED');
  const wait = Number(limited.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  assert.equal(limited.json.details.limit_per_minute, 60);
});

test('access: agents and API keys send; other orgs get 404', async () => {
  const agent = await userWithRole(M.org.id, 'agent');
  const r1 = await send(M.org.id, { to: [uniquePhone()], message: 'agent' }, agent.headers);
  assert.equal(r1.status, 201, r1.text);
  assert.equal(r1.json.messages[0].sent_by_user_id, agent.user.id);
  const key = await apiKeyFor(M.org.id, M.headers, ['read', 'sms:send']);
  const r2 = await send(M.org.id, { to: [uniquePhone()], message: 'api key' }, key.headers);
  assert.equal(r2.status, 201, r2.text);
  const { headers } = await platformAdmin();
  const other = await newOrg(headers);
  const outsider = await userWithRole(other.id, 'org_admin');
  const before = rowsOf(M.org.id);
  assertError(assert, await send(M.org.id, { to: [uniquePhone()], message: 'x' }, outsider.headers), 404, 'NOT_FOUND');
  const otherKey = await apiKeyFor(other.id);
  assertError(assert, await send(M.org.id, { to: [uniquePhone()], message: 'x' }, otherKey.headers), 404, 'NOT_FOUND');
  assertError(assert, await send(M.org.id, { to: [uniquePhone()], message: 'x' }, {}), 401, 'UNAUTHORIZED');
  assert.equal(rowsOf(M.org.id), before);
});
