// data_reports_filters.test.mjs — the reports route's direction, status and
// agent_id filters (computed from the calls of the range, with
// inbound_answered and avg_wait_seconds), for every grouping.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, useSourceAddress } from './lib.mjs';
import { callEvents, messagingOrg, postWebhook, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.119');

let M;
const report = (q) => api.get(`/api/orgs/${M.org.id}/reports?${q}`, { headers: M.headers });

before(async () => {
  M = await messagingOrg({ number: 5 });
  // today: an answered and an unanswered inbound call, an answered outbound one
  for (const [inbound, connected] of [[true, true], [true, false], [false, true]]) {
    for (const e of callEvents({ inbound, connected, business: M.from, client: uniquePhone(), start: Date.now() - 60_000, durMs: 20_000 })) {
      const r = await postWebhook(M.integration, e);
      assert.equal(r.status, 200, r.text);
    }
  }
});

test('direction=inbound: only inbound calls, with the inbound answered count', async () => {
  const r = await report('group_by=day&direction=inbound');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.summary.calls, 2);
  assert.equal(r.json.summary.answered, 1);
  assert.equal(r.json.summary.inbound, 2);
  assert.equal(r.json.summary.outbound, 0);
  assert.equal(r.json.summary.inbound_answered, 1);
  assert.equal(r.json.summary.answer_rate, 50);
  assert.equal(r.json.data.length, 1);
  assert.equal(r.json.data[0].calls, 2);
  assert.equal(typeof r.json.summary.avg_wait_seconds, 'number');
});

test('status and direction by number and by agent; unfiltered totals unchanged', async () => {
  const all = await report('group_by=phone_number');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.summary.calls, 3);
  assert.equal(all.json.summary.inbound_answered, undefined, 'the stored reports path');
  const conn = await report('group_by=phone_number&status=connected');
  assert.equal(conn.json.summary.calls, 2);
  assert.deepEqual(conn.json.data.map((d) => d.phone_number), [M.from]);
  const out = await report('group_by=agent&direction=outbound');
  assert.equal(out.status, 200, out.text);
  assert.equal(out.json.summary.calls, 1);
  assert.equal(out.json.data.reduce((n, d) => n + d.calls, 0), 1);
  const rows = await report('direction=inbound&status=connected');
  assert.equal(rows.json.group_by, 'day_phone_number');
  assert.equal(rows.json.summary.calls, 1);
});

test('agent_id: only that member\'s calls; malformed filters are 400 naming them', async () => {
  const none = await report(`group_by=day&agent_id=${randomUUID()}`);
  assert.equal(none.status, 200, none.text);
  assert.equal(none.json.summary.calls, 0);
  assert.deepEqual(none.json.data, []);
  assertError(assert, await report('direction=sideways'), 400, 'BAD_REQUEST');
  assert.equal((await report('direction=sideways')).json.details.field, 'direction');
  assert.equal((await report('status=nope')).json.details.field, 'status');
  assert.equal((await report('agent_id=123')).json.details.field, 'agent_id');
});
