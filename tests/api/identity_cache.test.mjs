// identity_cache.test.mjs — the one-round-trip read (fcgi/identity_cache.c):
// a worker thread remembers an identity it resolved and answers the next GET
// of a data view with it, checked by a guard in the same statement as the
// data. These tests make every worker thread remember the caller (many
// requests), prove that the remembered path is taken (fewer round trips than
// requests × 2 on /metrics), that its answers equal the full path's (body and
// ETag), and that a revoked key, a removed member, revoked sessions and a
// changed org time zone are seen on the very next request of every thread.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, freshSource, metricsCounter as counter, sql, useSourceAddress } from './lib.mjs';
import { addMember, apiKeyFor, createUser, login, newOrg, platformAdmin, userWithRole } from './fixtures.mjs';
import { callEvents, messagingOrgWithCall, postWebhook } from './msg_helpers.mjs';

useSourceAddress('127.0.0.62');

const ROUNDS = 48; // > workers × threads of the test stack (2 × 8)

let admin; let M;
before(async () => {
  admin = await platformAdmin();
  M = await messagingOrgWithCall('+12025550187'); // a list with rows carries the guard
});

/** ROUNDS GETs of path (after 2 × ROUNDS not measured, ROUNDS at a time: the
 * worker threads take whichever connection is ready — the same few, one
 * request after another — so only parallel requests reach every thread, and
 * every thread must prepare its statements and see the caller once); every
 * answer, and the round trips per request on /metrics. */
async function rounds(path, headers, route) {
  const source = freshSource(); // nginx limits each client address too: a new one per round
  for (let wave = 0; wave < 2; wave++) { // 3 × ROUNDS a call: two calls per key stay in nginx's burst of 300
    await Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers, source })));
  }
  const trips0 = route && await counter('vs_db_round_trips_total', route);
  const reqs0 = route && await counter('vs_http_requests_total', route);
  const answers = [];
  for (let i = 0; i < ROUNDS; i++) answers.push(await api.get(path, { headers, source }));
  if (!route) return { answers }; // /metrics is rate-limited like any anonymous caller: read it only when asked
  const trips = (await counter('vs_db_round_trips_total', route)) - trips0;
  const reqs = (await counter('vs_http_requests_total', route)) - reqs0;
  return { answers, tripsPerRequest: trips / reqs, reqs };
}

test('a remembered API key: fewer round trips, the same body and ETag as the full path', async () => {
  const key = await apiKeyFor(M.org.id, admin.headers);
  const path = `/api/orgs/${M.org.id}/calls?limit=5`;
  const first = await api.get(path, { headers: key.headers }); // the full path: nothing remembered yet
  assert.equal(first.status, 200, first.text);
  const { answers, tripsPerRequest, reqs } = await rounds(path, key.headers, '/api/orgs/:orgId/calls');
  assert.equal(reqs, ROUNDS);
  for (const r of answers) {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, first.text, 'the same body on every path');
    assert.equal(r.headers.etag, first.headers.etag, 'the same ETag on every path');
  }
  // the full path costs 2 (identity + list); remembered answers cost 1, or none while the change board
  // shows nothing moved (zero_trip.test.mjs)
  assert.ok(tripsPerRequest < 2, `round trips per request ${tripsPerRequest}`);
});

test('a remembered conditional GET: 304 in at most one round trip, the same tag as the full path', async () => {
  const key = await apiKeyFor(M.org.id, admin.headers);
  const path = `/api/orgs/${M.org.id}/calls?limit=7`;
  const first = await api.get(path, { headers: key.headers });
  assert.equal(first.status, 200);
  const tag = first.headers.etag;
  const { answers, tripsPerRequest } = await rounds(path, { ...key.headers, 'if-none-match': tag }, '/api/orgs/:orgId/calls');
  for (const r of answers) {
    assert.equal(r.status, 304);
    assert.equal(r.text, '');
    assert.equal(r.headers.etag, tag);
  }
  // at most one round trip each (the full path costs 2; the change board saves the guard too, see
  // zero_trip.test.mjs); a thread the waves missed would add one
  assert.ok(tripsPerRequest <= 1 + 2 / ROUNDS, `round trips per 304 ${tripsPerRequest}`);
});

test('a revoked key is refused on the next request of every thread', async () => {
  const org = M.org;
  const key = await apiKeyFor(org.id, admin.headers);
  const path = `/api/orgs/${org.id}/calls?limit=2`;
  const warm = await rounds(path, key.headers, '/api/orgs/:orgId/calls');
  assert.ok(warm.answers.every((r) => r.status === 200));
  assert.ok(warm.tripsPerRequest < 2, 'remembered before the revocation');
  const del = await api.del(`/api/orgs/${org.id}/api-keys/${key.id}`, { headers: admin.headers });
  assert.equal(del.status, 200, del.text);
  // in parallel, so that every thread answers some of them
  const after = await Promise.all(Array.from({ length: ROUNDS },
    () => api.get(path, { headers: key.headers, source: freshSource() })));
  after.forEach((r, i) => assert.equal(r.status, 401,
    `request ${i} after the revocation: ${r.status} ${r.text.slice(0, 80)}`));
});

test('a removed member loses the org (404) on the next request of every thread', async () => {
  const org = M.org;
  const agent = await userWithRole(org.id, 'agent');
  const headers = agent.headers;
  const path = `/api/orgs/${org.id}/calls?limit=2`;
  const warm = await rounds(path, headers, '/api/orgs/:orgId/calls');
  assert.ok(warm.answers.every((r) => r.status === 200));
  assert.ok(warm.tripsPerRequest < 2, 'remembered before the removal');
  const del = await api.del(`/api/admin/orgs/${org.id}/members/${agent.member.id}`, { headers: admin.headers });
  assert.equal(del.status, 200, del.text);
  // in parallel, so that every thread answers some of them
  const after = await Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers })));
  after.forEach((r, i) => assert.equal(r.status, 404, `request ${i} after the removal: ${r.status}`));
});

test('revoked sessions: the next request of every thread is 401', async () => {
  const org = await newOrg(admin.headers); // an empty list: the guard runs alone
  const agent = await userWithRole(org.id, 'agent');
  const headers = agent.headers;
  const path = `/api/orgs/${org.id}/contacts?limit=2`;
  const warm = await rounds(path, headers);
  assert.ok(warm.answers.every((r) => r.status === 200));
  sql(`UPDATE users SET sessions_valid_after = NOW() + INTERVAL 1 SECOND WHERE id = '${agent.user.id}'`);
  // in parallel, so that every thread answers some of them
  const after = await Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers })));
  after.forEach((r, i) => assert.equal(r.status, 401, `request ${i} after the revocation: ${r.status}`));
});

test('logout: the session\'s access token is refused on the next request of every thread', async () => {
  const u = await createUser();
  await addMember(admin.headers, M.org.id, u.email, 'agent');
  const s = await login(u.email, u.password);
  const other = await login(u.email, u.password); // a second session stays signed in
  const headers = { authorization: `Bearer ${s.access_token}` };
  const path = `/api/orgs/${M.org.id}/calls?limit=3`;
  const warm = await rounds(path, headers, '/api/orgs/:orgId/calls');
  assert.ok(warm.answers.every((r) => r.status === 200));
  assert.ok(warm.tripsPerRequest < 2, 'remembered before the logout');
  const out = await api.post('/api/auth/logout', { refresh_token: s.refresh_token });
  assert.ok(out.status < 300, out.text);
  // in parallel, so that every thread answers some of them
  const after = await Promise.all(Array.from({ length: ROUNDS }, () => api.get(path, { headers })));
  after.forEach((r, i) => assert.equal(r.status, 401, `request ${i} after the logout: ${r.status}`));
  const still = await api.get(path, { headers: { authorization: `Bearer ${other.access_token}` } });
  assert.equal(still.status, 200, 'the other session is untouched');
});

test('a write and a time-zone change are seen at once: new ETag, no stale answer', async () => {
  // one key per phase: nginx limits each credential to a burst of 300 requests
  const [k1, k2, k3, k4] = [await apiKeyFor(M.org.id, admin.headers), await apiKeyFor(M.org.id, admin.headers),
    await apiKeyFor(M.org.id, admin.headers), await apiKeyFor(M.org.id, admin.headers)];
  const path = `/api/orgs/${M.org.id}/calls?limit=50`;
  const before = await rounds(path, k1.headers);
  const tag = before.answers.at(-1).headers.etag;
  const n = before.answers.at(-1).json.total;
  for (const e of callEvents({ business: M.from, client: '+12025550188' })) {
    const w = await postWebhook(M.integration, e);
    assert.ok(w.status < 300, w.text);
  }
  // conditional requests with the old tag: 200 and the new tag on every thread, never a stale 304
  const cond = await rounds(path, { ...k2.headers, 'if-none-match': tag });
  for (const r of cond.answers) {
    assert.equal(r.status, 200, 'no stale 304');
    assert.notEqual(r.headers.etag, tag);
  }
  const after = await rounds(path, k1.headers);
  for (const r of after.answers) {
    assert.equal(r.status, 200);
    assert.notEqual(r.headers.etag, tag, 'the tag moved with the write');
    assert.equal(r.json.total, n + 1, 'the new call on every thread');
  }
  await rounds(`/api/orgs/${M.org.id}/metrics`, k3.headers); // every thread remembers the zone
  sql(`UPDATE orgs SET timezone = 'Asia/Tokyo' WHERE id = '${M.org.id}'`);
  const remembered = await rounds(`/api/orgs/${M.org.id}/metrics`, k3.headers);
  const fresh = await rounds(`/api/orgs/${M.org.id}/metrics`, k4.headers);
  for (const r of [...remembered.answers, ...fresh.answers]) {
    assert.equal(r.status, 200);
    assert.equal(r.json.timezone, 'Asia/Tokyo', 'the new zone on every thread');
  }
});
