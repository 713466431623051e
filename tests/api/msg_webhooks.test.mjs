// msg_webhooks.test.mjs — POST /api/webhooks/mightycall/:integrationId:
// forged and replayed events are refused with nothing stored; valid events are
// stored once (repeats are duplicates), calls are built out-of-order safely,
// unknown event types are kept, the simulator's own deliveries land, and a
// burst of 1,000 events from many addresses is absorbed with every event
// stored exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, freshSource, sql, useSourceAddress, waitFor } from './lib.mjs';
import { simControl } from './sync_helpers.mjs';
import { callEvents, clearFaults, mcEvent, messagingOrg, pool, postWebhook, uniquePhone, webhookUrl } from './msg_helpers.mjs';

useSourceAddress('127.0.0.63');

let M;
before(async () => {
  await clearFaults();
  M = await messagingOrg({ number: 2 });
});
after(async () => {
  await simControl('POST', '/webhooks', { url: null }).catch(() => {});
});

const eventsOf = (org) => Number(sql(`SELECT COUNT(*) FROM call_events WHERE org_id = '${org}'`)[0][0]);
const callRow = (org, ext) => {
  const r = sql(`SELECT direction, status, business_number, caller_number, called_number, extension, duration_seconds, source, ended_at IS NULL FROM calls WHERE org_id = '${org}' AND external_id = '${ext}'`);
  if (!r.length) return null;
  const [direction, status, business, caller, called, extension, duration, source, open] = r[0];
  return { direction, status, business, caller, called, extension, duration: Number(duration), source, open: open === '1' };
};

test('forged, replayed and malformed events are refused and nothing is stored', async () => {
  const before = eventsOf(M.org.id);
  const ev = () => mcEvent('IncomingCall', { id: randomUUID(), from: uniquePhone(), to: M.from });
  const forged = [
    postWebhook(M.integration, ev(), { secret: 'wrong-secret' }),
    postWebhook(M.integration, ev(), { secret: null }),
    postWebhook(M.integration, ev(), { secret: '' }),
    postWebhook(M.integration, ev(), { secret: M.integration.webhook_secret.slice(0, -1) }),
    postWebhook(M.integration, ev(), { secret: `${M.integration.webhook_secret}x` }),
    postWebhook({ ...M.integration, id: randomUUID() }, ev()),
    api.post(`/api/webhooks/mightycall/not-a-uuid?secret=${M.integration.webhook_secret}`, ev(), { source: freshSource() }),
    postWebhook(M.integration, { ...ev(), ApiKey: 'someone-else' }),
    postWebhook(M.integration, (() => { const e = ev(); delete e.ApiKey; return e; })()),
  ];
  for (const r of await Promise.all(forged)) {
    assertError(assert, r, 401, 'UNAUTHORIZED');
    assert.ok(!r.text.includes(M.integration.webhook_secret));
  }
  const stale = await postWebhook(M.integration, mcEvent('IncomingCall', { id: randomUUID(), from: uniquePhone(), to: M.from, at: Date.now() - 3600e3 }));
  assertError(assert, stale, 401, 'UNAUTHORIZED');
  assert.equal(stale.json.details.reason, 'stale_timestamp');
  const future = await postWebhook(M.integration, mcEvent('IncomingCall', { id: randomUUID(), from: uniquePhone(), to: M.from, at: Date.now() + 3600e3 }));
  assertError(assert, future, 401, 'UNAUTHORIZED');
  // a valid event captured an hour ago and sent again: refused
  const captured = mcEvent('IncomingCallCompleted', { id: randomUUID(), from: uniquePhone(), to: M.from, at: Date.now() - 2 * 3600e3 });
  assertError(assert, await postWebhook(M.integration, captured), 401, 'UNAUTHORIZED');
  for (const [body, field] of [
    ['{"EventType":', 'body'],
    ['[]', 'body'],
    [JSON.stringify({ ...ev(), Timestamp: 'yesterday' }), 'Timestamp'],
    [JSON.stringify({ ...ev(), Timestamp: undefined }), 'Timestamp'],
    [JSON.stringify({ ...ev(), EventType: 'Bad Type!' }), 'EventType'],
    [JSON.stringify({ ...ev(), Body: 'x' }), 'Body'],
    [JSON.stringify({ ...ev(), Body: { Id: 'x'.repeat(65) } }), 'Body.Id'],
  ]) {
    const r = await postWebhook(M.integration, body);
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, field, body.slice(0, 60));
  }
  assert.equal(eventsOf(M.org.id), before, 'nothing stored');
});

test('events are stored once; a repeat is a duplicate; ApiKey is not stored', async () => {
  const ev = mcEvent('IncomingCall', { id: randomUUID(), from: uniquePhone(), to: M.from, ext: '101' });
  const a = await postWebhook(M.integration, ev);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.received, true);
  assert.equal(a.json.duplicate, false);
  const b = await postWebhook(M.integration, ev);
  assert.equal(b.status, 200, b.text);
  assert.equal(b.json.duplicate, true);
  assert.equal(b.json.event_id, a.json.event_id);
  const rows = sql(`SELECT event_type, call_external_id, payload FROM call_events WHERE org_id = '${M.org.id}' AND event_guid = '${ev.Guid}'`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][0], 'IncomingCall');
  assert.equal(rows[0][1], ev.Body.Id);
  assert.ok(!rows[0][2].includes('ApiKey') && !rows[0][2].includes(ev.ApiKey));
  // without a Guid the payload itself identifies the event
  const noGuid = { ...mcEvent('IncomingCallRinging', { id: ev.Body.Id, from: ev.Body.From, to: M.from }) };
  delete noGuid.Guid;
  assert.equal((await postWebhook(M.integration, noGuid)).json.duplicate, false);
  assert.equal((await postWebhook(M.integration, noGuid)).json.duplicate, true);
});

test('unknown event types are stored, not rejected, and listed', async () => {
  const ev = mcEvent('CallbackRequested', { id: randomUUID(), from: uniquePhone(), to: M.from });
  const r = await postWebhook(M.integration, ev);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.event_type, 'CallbackRequested');
  assert.equal(r.json.call_id, null);
  const list = await api.get(`/api/orgs/${M.org.id}/webhooks/events?event_type=CallbackRequested`, { headers: M.headers });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.total, 1);
  assert.equal(list.json.data[0].guid, ev.Guid);
  assert.equal(list.json.data[0].payload.EventType, 'CallbackRequested');
  assert.equal(list.json.data[0].payload.ApiKey, undefined);
});

test('a call is built from its events in any order (sorted by Timestamp)', async () => {
  const client = uniquePhone();
  const evs = callEvents({ business: M.from, client, ext: '104', durMs: 50000 });
  const id = evs[0].Body.Id;
  const order = [4, 2, 0, 3, 1]; // Completed first
  for (const [k, i] of order.entries()) {
    const r = await postWebhook(M.integration, evs[i]);
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.call_id, /^[0-9a-f-]{36}$/);
    if (k === 0) assert.equal(callRow(M.org.id, id).status, 'missed', 'completed, not (yet) connected');
  }
  const c = callRow(M.org.id, id);
  assert.deepEqual(c, { direction: 'inbound', status: 'connected', business: M.from, caller: client, called: M.from,
    extension: '104', duration: 50, source: 'webhook', open: false });
  // an outbound call that is still ringing, then answered
  const out = callEvents({ inbound: false, business: M.from, client: uniquePhone(), ext: '105' });
  await postWebhook(M.integration, out[0]);
  assert.equal(callRow(M.org.id, out[0].Body.Id).status, 'ringing');
  await postWebhook(M.integration, out[1]);
  const mid = callRow(M.org.id, out[0].Body.Id);
  assert.equal(mid.status, 'in_progress');
  assert.equal(mid.open, true);
  assert.equal(mid.direction, 'outbound');
  assert.equal(mid.business, M.from);
  await postWebhook(M.integration, out[2]);
  assert.equal(callRow(M.org.id, out[0].Body.Id).status, 'connected');
});

test('the Swagger\'s consultation sequence: a Completed event with an Extension ends only that leg', async () => {
  const id = randomUUID(), client = uniquePhone(), t0 = Date.now() - 60000;
  const seq = [['CallbackCall'], ['CallbackCallRinging', '101'], ['CallbackCallConnected', '101'],
    ['IncomingCallRinging', '102'], ['IncomingCallConnected', '102'], ['IncomingCallCompleted', '102'], ['CallbackCallCompleted']]
    .map(([type, ext], i) => mcEvent(type, { id, ext, from: client, to: M.from, at: t0 + i * 5000 }));
  for (const [i, ev] of seq.entries()) {
    const r = await postWebhook(M.integration, ev);
    assert.equal(r.status, 200, r.text);
    const c = callRow(M.org.id, id);
    if (i < seq.length - 1) {
      assert.equal(c.open, true, `still open after ${ev.EventType} (${ev.Body.Extension ?? 'no extension'})`);
      assert.equal(c.status, i < 2 ? 'ringing' : 'in_progress', ev.EventType);
    }
  }
  assert.deepEqual(callRow(M.org.id, id), { direction: 'inbound', status: 'connected', business: M.from, caller: client,
    called: M.from, extension: '101', duration: 30, source: 'webhook', open: false });
});

test('a call stored by the sync keeps its authoritative fields', async () => {
  const id = randomUUID();
  sql(`INSERT INTO calls (org_id, external_id, direction, status, started_at, duration_seconds, source, business_number) VALUES ('${M.org.id}', '${id}', 'inbound', 'voicemail', UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE, 33, 'calls', '${M.from}')`);
  const evs = callEvents({ id, business: M.from, client: uniquePhone(), ext: '106' });
  for (const e of evs) assert.equal((await postWebhook(M.integration, e)).status, 200);
  const c = callRow(M.org.id, id);
  assert.equal(c.status, 'voicemail');
  assert.equal(c.duration, 33);
  assert.equal(c.source, 'calls');
  assert.equal(c.extension, '106', 'missing fields are filled in');
});

test('completed calls reach the daily report and the live feed at once', async () => {
  const start = await api.get(`/api/orgs/${M.org.id}/live`, { headers: M.headers });
  assert.equal(start.status, 200, start.text);
  const evs = callEvents({ business: M.from, client: uniquePhone(), connected: false });
  for (const e of evs) assert.equal((await postWebhook(M.integration, e)).status, 200);
  const id = evs[0].Body.Id;
  const day = sql(`SELECT SUM(calls), SUM(missed) FROM call_reports_daily WHERE org_id = '${M.org.id}' AND phone_number = '${M.from}'`)[0];
  assert.ok(Number(day[0]) >= 1 && Number(day[1]) >= 1, `report ${day}`);
  let cursor = start.json.cursor;
  const seen = await waitFor(async () => {
    const r = await api.get(`/api/orgs/${M.org.id}/live?cursor=${encodeURIComponent(cursor)}`, { headers: M.headers });
    assert.equal(r.status, 200, r.text);
    cursor = r.json.cursor;
    return r.json.calls.find((c) => c.external_id === id);
  }, { tries: 100, everyMs: 200, what: 'the call in the live feed' });
  assert.equal(seen.status, 'missed');
});

test('the simulator delivers its own (shuffled) events: calls land with their final state', async () => {
  await simControl('POST', '/webhooks', { url: webhookUrl(M.integration), order: 'shuffled' });
  let r;
  try {
    r = await simControl('POST', '/calls', { count: 2, duration_ms: 30000, business_number: M.from, status: 'Connected', direction: 'inbound' });
  } finally {
    await simControl('POST', '/webhooks', { url: null });
  }
  assert.ok(r.webhooks.length >= 8, 'events were delivered');
  for (const d of r.webhooks) assert.equal(d.status, 200, JSON.stringify(d));
  for (const call of r.calls) {
    const c = callRow(M.org.id, call.id);
    assert.ok(c, `call ${call.id} stored`);
    assert.equal(c.status, 'connected');
    assert.equal(c.direction, 'inbound');
    assert.equal(c.business, M.from);
    assert.equal(c.duration, 30);
    assert.equal(c.open, false);
  }
});

test('a burst of 1,000 events from many addresses: every event stored exactly once, every call right', async () => {
  const B = await messagingOrg({ number: 4, withNumber: false });
  const calls = Array.from({ length: 200 }, (_, i) => callEvents({
    business: M.from, client: uniquePhone(), ext: String(101 + (i % 20)), connected: i % 4 !== 0, inbound: i % 5 !== 0,
    start: Date.now() - 120000 + i * 10, durMs: 40000,
  }));
  let events = calls.flat();
  while (events.length < 1000) events.push(mcEvent('AgentStatusChanged', { id: randomUUID() }));
  events = events.slice(0, 1000);
  // shuffle
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [events[i], events[j]] = [events[j], events[i]];
  }
  const res = await pool(events, 16, (ev) => postWebhook(B.integration, ev, { source: freshSource() }));
  const bad = res.filter((r) => r.status !== 200);
  assert.equal(bad.length, 0, bad.slice(0, 3).map((r) => `${r.status} ${r.text}`).join('\n'));
  assert.equal(eventsOf(B.org.id), 1000);
  assert.equal(res.filter((r) => r.json.duplicate).length, 0);
  // repeat a tenth of them: all duplicates
  const again = await pool(events.slice(0, 100), 16, (ev) => postWebhook(B.integration, ev, { source: freshSource() }));
  assert.ok(again.every((r) => r.status === 200 && r.json.duplicate === true));
  assert.equal(eventsOf(B.org.id), 1000);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${B.org.id}'`)[0][0]), 200);
  const expect = (evs) => {
    const inbound = evs[0].EventType.startsWith('Incoming');
    const connected = evs.some((e) => e.EventType.endsWith('Connected'));
    return connected ? 'connected' : inbound ? 'missed' : 'no_answer';
  };
  const got = new Map(sql(`SELECT external_id, status, duration_seconds FROM calls WHERE org_id = '${B.org.id}'`).map((r) => [r[0], r]));
  for (const evs of calls) {
    const row = got.get(evs[0].Body.Id);
    assert.ok(row, 'stored');
    assert.equal(row[1], expect(evs), evs[0].Body.Id);
    assert.equal(Number(row[2]), 40);
  }
});
