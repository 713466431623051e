// zero_trip.test.mjs — the zero-trip answer (fcgi/identity_cache.c with
// core/platform/change_board.c): once a worker thread's guard has seen a
// caller's identity and the org's version, an unchanged conditional request
// (304) or a remembered answer is sent without asking MariaDB while no
// change counter on the host's change board has moved. These tests make every worker thread answer from
// the board (parallel waves of conditional requests), prove it takes no round
// trip, and then change something through every kind of writer — a webhook
// and a contact edit (the workers), a sync run (the vs-sync binary), a key
// revocation and a member removal (identity writes), a raw SQL edit (an
// operator's script, announced on the board as tests/api/lib.mjs does) — and
// prove that the very next conditional request of every thread sees it:
// never a stale 304. The test stack's lease is a minute
// (VS_ZERO_TRIP_LEASE_MS), so only the board can have stopped a stale answer.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, freshSource, metricsCounter as counter, sql, useSourceAddress } from './lib.mjs';
import { apiKeyFor, platformAdmin, userWithRole } from './fixtures.mjs';
import { callEvents, messagingOrgWithCall, postWebhook } from './msg_helpers.mjs';
import { orgWithIntegration, vsSync } from './sync_helpers.mjs';

useSourceAddress('127.0.0.69');

const ROUNDS = 48; // > workers × threads of the test stack (2 × 8)
const CALLS = '/api/orgs/:orgId/calls';

let admin; let M;
before(async () => {
  admin = await platformAdmin();
  M = await messagingOrgWithCall('+12025550191');
});

/** ROUNDS parallel GETs of path, twice (every worker thread answers some: the
 * first of a thread runs the guard, the rest may come from the board). */
async function warm(path, headers) {
  const source = freshSource();
  for (let wave = 0; wave < 2; wave++) {
    const rs = await Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers, source })));
    rs.forEach((r) => assert.equal(r.status, 304, `warming: ${r.status} ${r.text.slice(0, 80)}`));
  }
}

/** ROUNDS parallel GETs of path: what every thread answers next. */
function everyThread(path, headers) {
  const source = freshSource();
  return Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers, source })));
}

/** A fresh key of org, its tag on path, and every thread answering its conditional GET from the board. */
async function warmedKey(orgId, path) {
  const key = await apiKeyFor(orgId, admin.headers);
  const first = await api.get(path, { headers: key.headers });
  assert.equal(first.status, 200, first.text);
  const headers = { ...key.headers, 'if-none-match': first.headers.etag };
  await warm(path, headers);
  return { key, tag: first.headers.etag, headers };
}

/** After a change: every thread's next conditional GET is a 200 with a new tag. */
async function assertNoStale304(path, headers, tag, what) {
  const rs = await everyThread(path, headers);
  rs.forEach((r, i) => {
    assert.equal(r.status, 200, `request ${i} after ${what}: a stale ${r.status}`);
    assert.notEqual(r.headers.etag, tag, `request ${i} after ${what}: the tag moved`);
  });
}

test('an unchanged conditional GET: 304 without a round trip once every thread has checked it', async () => {
  const path = `/api/orgs/${M.org.id}/calls?limit=9`;
  const { headers, tag } = await warmedKey(M.org.id, path);
  const trips0 = await counter('vs_db_round_trips_total', CALLS);
  const reqs0 = await counter('vs_http_requests_total', CALLS);
  const source = freshSource();
  for (let i = 0; i < ROUNDS; i++) {
    const r = await api.get(path, { headers, source });
    assert.equal(r.status, 304);
    assert.equal(r.text, '');
    assert.equal(r.headers.etag, tag);
  }
  const trips = (await counter('vs_db_round_trips_total', CALLS)) - trips0;
  const reqs = (await counter('vs_http_requests_total', CALLS)) - reqs0;
  assert.equal(reqs, ROUNDS);
  // a thread checks again when the wall-clock minute turns: at most once each
  assert.ok(trips / reqs < 0.5, `round trips per 304: ${trips}/${reqs}`);
});

test('a remembered answer without a round trip; a webhook is seen by the next GET of every thread', async () => {
  const key = await apiKeyFor(M.org.id, admin.headers);
  const path = `/api/orgs/${M.org.id}/calls?limit=14`;
  const first = await api.get(path, { headers: key.headers });
  assert.equal(first.status, 200, first.text);
  const source = freshSource();
  for (let wave = 0; wave < 2; wave++) { // every thread remembers the answer and checks it once
    const rs = await Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers: key.headers, source })));
    rs.forEach((r) => assert.equal(r.text, first.text));
  }
  const trips0 = await counter('vs_db_round_trips_total', CALLS);
  const reqs0 = await counter('vs_http_requests_total', CALLS);
  for (let i = 0; i < ROUNDS; i++) {
    const r = await api.get(path, { headers: key.headers, source });
    assert.equal(r.status, 200);
    assert.equal(r.text, first.text, 'the remembered answer, byte for byte');
    assert.equal(r.headers.etag, first.headers.etag);
  }
  const trips = (await counter('vs_db_round_trips_total', CALLS)) - trips0;
  const reqs = (await counter('vs_http_requests_total', CALLS)) - reqs0;
  assert.equal(reqs, ROUNDS);
  assert.ok(trips / reqs < 0.5, `round trips per remembered answer: ${trips}/${reqs}`);
  for (const e of callEvents({ business: M.from, client: '+12025550194' })) {
    const w = await postWebhook(M.integration, e);
    assert.ok(w.status < 300, w.text);
  }
  const rs = await everyThread(path, key.headers);
  rs.forEach((r, i) => {
    assert.equal(r.status, 200);
    assert.equal(r.json.total, first.json.total + 1, `request ${i} after a webhook: the new call`);
    assert.notEqual(r.headers.etag, first.headers.etag);
  });
});

test('a webhook (a worker\'s write) is seen by the next conditional GET of every thread', async () => {
  const path = `/api/orgs/${M.org.id}/calls?limit=10`;
  const { headers, tag } = await warmedKey(M.org.id, path);
  for (const e of callEvents({ business: M.from, client: '+12025550192' })) {
    const w = await postWebhook(M.integration, e);
    assert.ok(w.status < 300, w.text);
  }
  await assertNoStale304(path, headers, tag, 'a webhook');
});

test('a contact edit through the API is seen at once', async () => {
  const path = `/api/orgs/${M.org.id}/contacts?limit=10`;
  const { headers, tag } = await warmedKey(M.org.id, path);
  const made = await api.post(`/api/orgs/${M.org.id}/contacts`,
    { first_name: 'Zero', last_name: 'Trip' }, { headers: admin.headers });
  assert.equal(made.status, 201, made.text);
  await assertNoStale304(path, headers, tag, 'a contact edit');
});

test('a sync run (the vs-sync binary\'s writes) is seen at once', async () => {
  const S = await orgWithIntegration({ label: 'Zero trip' });
  const path = `/api/orgs/${S.org.id}/extensions?limit=10`;
  const { headers, tag } = await warmedKey(S.org.id, path);
  const run = await vsSync(['run', '--org', S.org.id, '--type', 'extensions']);
  assert.equal(run.code, 0, run.stderr);
  await assertNoStale304(path, headers, tag, 'a sync run');
});

test('a key revoked through the API: 401 on the next request of every thread', async () => {
  const path = `/api/orgs/${M.org.id}/calls?limit=11`;
  const { key, headers } = await warmedKey(M.org.id, path);
  const del = await api.del(`/api/orgs/${M.org.id}/api-keys/${key.id}`, { headers: admin.headers });
  assert.equal(del.status, 200, del.text);
  const rs = await everyThread(path, headers);
  rs.forEach((r, i) => assert.equal(r.status, 401, `request ${i} after the revocation: ${r.status}`));
});

test('a removed member: 404 on the next request of every thread', async () => {
  const agent = await userWithRole(M.org.id, 'agent');
  const path = `/api/orgs/${M.org.id}/calls?limit=12`;
  const first = await api.get(path, { headers: agent.headers });
  assert.equal(first.status, 200, first.text);
  const headers = { ...agent.headers, 'if-none-match': first.headers.etag };
  await warm(path, headers);
  const del = await api.del(`/api/admin/orgs/${M.org.id}/members/${agent.member.id}`, { headers: admin.headers });
  assert.equal(del.status, 200, del.text);
  const rs = await everyThread(path, headers);
  rs.forEach((r, i) => assert.equal(r.status, 404, `request ${i} after the removal: ${r.status}`));
});

test('a raw SQL edit announced on the change board is seen at once', async () => {
  const path = `/api/orgs/${M.org.id}/calls?limit=13`;
  const { headers, tag } = await warmedKey(M.org.id, path);
  sql(`UPDATE org_data_versions SET version = version + 1 WHERE org_id = '${M.org.id}'`); // touches the board
  await assertNoStale304(path, headers, tag, 'a raw SQL edit');
});
