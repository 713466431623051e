// answer_cache.test.mjs — remembered answers (fcgi/answer_cache.c): a worker
// answers a remembered identity's GET of a data view from the answer it sent
// before when the ETag of this request (from the org's data version the guard
// brings back) is the remembered answer's. These tests warm every worker
// thread, then prove that answers do come from memory
// (vs_answers_from_memory_total), that they are byte-identical to a fresh
// answer (Cache-Control: no-cache), that a write of each kind is seen on the
// very next request of every thread, and that another org's caller never
// gets one.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, freshSource, scrapeMetrics, useSourceAddress } from './lib.mjs';
import { apiKeyFor, newOrg, platformAdmin } from './fixtures.mjs';
import { callEvents, messagingOrgWithCall, postWebhook } from './msg_helpers.mjs';

useSourceAddress('127.0.0.63');

const ROUNDS = 48; // > workers × threads of the test stack (2 × 8): every thread sees the caller
const SCRAPER = '127.0.0.1'; // in metrics_allow_cidr

let admin; let M;
before(async () => {
  admin = await platformAdmin();
  M = await messagingOrgWithCall('+12025550191');
});

async function fromMemory() {
  const res = await scrapeMetrics({ source: SCRAPER });
  assert.equal(res.status, 200);
  const line = res.text.split('\n').find((l) => l.startsWith('vs_answers_from_memory_total '));
  assert.ok(line, 'vs_answers_from_memory_total is exported');
  return Number(line.split(' ')[1]);
}

/** ROUNDS GETs of path with a fresh client address (nginx limits each address). */
async function rounds(path, headers) {
  const source = freshSource();
  const answers = [];
  for (let i = 0; i < ROUNDS; i++) answers.push(await api.get(path, { headers, source }));
  return answers;
}

test('answers come from memory, byte-identical to a fresh answer, and no-cache skips memory', async () => {
  for (const path of [`/api/orgs/${M.org.id}/calls?limit=5`, `/api/orgs/${M.org.id}/metrics`,
    `/api/orgs/${M.org.id}/reports?group_by=day`]) {
    const key = await apiKeyFor(M.org.id, admin.headers); // one per path: nginx limits each credential to a burst of 300
    const fresh = await api.get(path, { headers: { ...key.headers, 'cache-control': 'no-cache' } });
    assert.equal(fresh.status, 200, fresh.text);
    await rounds(path, key.headers); // every thread remembers the identity and the answer
    const m0 = await fromMemory();
    const answers = await rounds(path, key.headers);
    const m1 = await fromMemory();
    assert.ok(m1 - m0 >= ROUNDS / 2, `${path}: ${m1 - m0} of ${ROUNDS} answers from memory`);
    const again = await api.get(path, { headers: { ...key.headers, 'cache-control': 'no-cache' } });
    for (const r of [...answers, again]) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.etag, fresh.headers.etag, `${path}: the same ETag`);
      if (!path.includes('/metrics')) assert.equal(r.text, fresh.text, `${path}: the same bytes`); // metrics' live window moves
    }
    const m2 = await fromMemory();
    const bypass = await rounds(path, { ...key.headers, 'cache-control': 'no-cache' });
    const pragma = await rounds(path, { ...key.headers, pragma: 'no-cache' });
    assert.equal(await fromMemory(), m2, 'Cache-Control / Pragma: no-cache never come from memory');
    for (const r of [...bypass, ...pragma]) assert.equal(r.status, 200);
  }
});

test('a webhook call and a contact create, edit and delete are seen on the next request of every thread', async () => {
  const [k1, k2, k3] = [await apiKeyFor(M.org.id, admin.headers), await apiKeyFor(M.org.id, admin.headers),
    await apiKeyFor(M.org.id, admin.headers)];
  // calls: a new call through the webhook
  const calls = `/api/orgs/${M.org.id}/calls?limit=20`;
  const n = (await rounds(calls, k1.headers)).at(-1).json.total;
  for (const e of callEvents({ business: M.from, client: '+12025550192' })) {
    const w = await postWebhook(M.integration, e);
    assert.ok(w.status < 300, w.text);
  }
  for (const r of await rounds(calls, k1.headers)) assert.equal(r.json.total, n + 1, 'the new call on every thread');
  // contacts: a create, then an edit
  const contacts = `/api/orgs/${M.org.id}/contacts?limit=50`;
  const c = await api.post(`/api/orgs/${M.org.id}/contacts`, { first_name: 'Memo', last_name: 'Before' }, { headers: admin.headers });
  assert.equal(c.status, 201, c.text);
  const seen = await rounds(contacts, k2.headers);
  for (const r of seen) assert.ok(r.json.data.some((x) => x.id === c.json.id && x.last_name === 'Before'));
  const u = await api.put(`/api/orgs/${M.org.id}/contacts/${c.json.id}`, { last_name: 'After', etag: c.json.etag }, { headers: admin.headers });
  assert.equal(u.status, 200, u.text);
  for (const r of await rounds(contacts, k2.headers)) {
    const row = r.json.data.find((x) => x.id === c.json.id);
    assert.equal(row?.last_name, 'After', 'the edit on every thread');
    assert.notEqual(r.headers.etag, seen.at(-1).headers.etag);
  }
  // a deleted contact is gone on every thread
  const d = await api.del(`/api/orgs/${M.org.id}/contacts/${c.json.id}`, { headers: admin.headers });
  assert.ok(d.status === 204 || d.status === 200, d.text);
  for (const r of await rounds(contacts, k3.headers)) assert.ok(!r.json.data.some((x) => x.id === c.json.id), 'the delete on every thread');
});

test("another org's caller never gets a remembered answer: 404, as on the full path", async () => {
  const key = await apiKeyFor(M.org.id, admin.headers);
  const path = `/api/orgs/${M.org.id}/calls?limit=5`;
  await rounds(path, key.headers); // remembered for M.org
  const other = await newOrg(admin.headers);
  const otherKey = await apiKeyFor(other.id, admin.headers);
  await rounds(`/api/orgs/${other.id}/calls?limit=5`, otherKey.headers); // the other key is remembered too
  for (const r of await rounds(path, otherKey.headers)) assert.equal(r.status, 404, 'cross-org stays 404');
});
