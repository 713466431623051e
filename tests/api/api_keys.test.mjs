// api_keys.test.mjs — org API keys: shown once, stored only as SHA-256,
// prefix in lists, last_used_at (at most one write a minute), revocation on
// the very next request, scoped to their own org and to agent-level routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { apiKeyFor, newOrg, platformAdmin, userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.23');

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const keysOf = (o) => Object.keys(o).sort();
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

test('POST api-keys → 201 {id, name, key, scopes, created_at}; the key is never stored in clear', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  const res = await api.post(`/api/orgs/${org.id}/api-keys`, { name: 'Mobile App API Key' }, { headers: admin.headers });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(keysOf(res.json), ['created_at', 'id', 'key', 'name', 'scopes']);
  assert.deepEqual(res.json.scopes, ['read'], 'read only by default');
  assert.equal(res.json.name, 'Mobile App API Key');
  assert.match(res.json.key, /^vs_live_[A-Za-z0-9_-]{43}$/);
  assert.match(res.json.created_at, ISO);
  const key = res.json.key;

  // stored: hash and prefix only
  assert.deepEqual(sql(`SELECT key_hash, key_prefix, org_id FROM api_keys WHERE id = '${res.json.id}'`),
    [[sha256(key), key.slice(0, 12), org.id]]);
  const body = key.slice(12);
  const clear = sql(`SELECT COUNT(*) FROM api_keys WHERE CONCAT_WS('|', id, org_id, name, key_prefix, key_hash) LIKE '%${body}%'`);
  assert.equal(clear[0][0], '0');
  const logged = sql(`SELECT COUNT(*) FROM activity_log WHERE description LIKE '%${body}%'`);
  assert.equal(logged[0][0], '0', 'not in the activity log either');

  // shown once: the list has the prefix, never the key
  const list = await api.get(`/api/orgs/${org.id}/api-keys`, { headers: admin.headers });
  assert.equal(list.status, 200);
  assert.deepEqual(keysOf(list.json), ['data', 'limit', 'skip', 'total']);
  const item = list.json.data.find((k) => k.id === res.json.id);
  assert.deepEqual(keysOf(item), ['created_at', 'id', 'last_used_at', 'name', 'prefix', 'scopes']);
  assert.deepEqual(item.scopes, ['read']);
  assert.equal(item.prefix, key.slice(0, 12));
  assert.equal(item.last_used_at, null);
  assert.ok(!list.text.includes(body));
});

test('two keys are different; the list is newest first with paging', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const a = await apiKeyFor(org.id);
  const b = await apiKeyFor(org.id);
  const c = await apiKeyFor(org.id);
  assert.notEqual(a.key, b.key);
  const list = await api.get(`/api/orgs/${org.id}/api-keys?limit=2`, { headers });
  assert.equal(list.json.total, 3);
  assert.deepEqual(list.json.data.map((k) => k.id), [c.id, b.id]);
  const rest = await api.get(`/api/orgs/${org.id}/api-keys?skip=2`, { headers });
  assert.deepEqual(rest.json.data.map((k) => k.id), [a.id]);
});

test('a key acts in its own org, on agent-level routes only', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const key = await apiKeyFor(org.id);
  assert.equal((await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers })).status, 200);
  // another org: 404, as if it did not exist
  const foreign = await api.get(`/api/orgs/${other.id}/activity`, { headers: key.headers });
  assertError(assert, foreign, 404, 'NOT_FOUND');
  assertError(assert, await api.get(`/api/orgs/${randomUUID()}/activity`, { headers: key.headers }), 404, 'NOT_FOUND');
  // never /api/admin/* or /api/user/*, never key management
  for (const p of ['/api/admin/orgs', `/api/admin/orgs/${org.id}`, `/api/admin/orgs/${org.id}/members`, '/api/user/profile', '/api/user/orgs',
    `/api/orgs/${org.id}/api-keys`]) {
    assertError(assert, await api.get(p, { headers: key.headers }), 403, 'FORBIDDEN');
  }
  assertError(assert, await api.post(`/api/orgs/${org.id}/api-keys`, { name: 'more' }, { headers: key.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.del(`/api/orgs/${org.id}/api-keys/${key.id}`, { headers: key.headers }), 403, 'FORBIDDEN');
});

test('revocation takes effect on the very next request', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  const key = await apiKeyFor(org.id, admin.headers);
  const keep = await apiKeyFor(org.id, admin.headers);
  assert.equal((await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers })).status, 200);
  const res = await api.del(`/api/orgs/${org.id}/api-keys/${key.id}`, { headers: admin.headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { success: true });
  assertError(assert, await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers }), 401, 'UNAUTHORIZED');
  assert.equal((await api.get(`/api/orgs/${org.id}/activity`, { headers: keep.headers })).status, 200, 'other keys unaffected');
  // gone from the list, kept (revoked) for the record, second revoke is 404
  const list = (await api.get(`/api/orgs/${org.id}/api-keys`, { headers: admin.headers })).json;
  assert.deepEqual(list.data.map((k) => k.id), [keep.id]);
  assert.equal(sql(`SELECT revoked_at IS NOT NULL FROM api_keys WHERE id = '${key.id}'`)[0][0], '1');
  const again = await api.del(`/api/orgs/${org.id}/api-keys/${key.id}`, { headers: admin.headers });
  assertError(assert, again, 404, 'NOT_FOUND');
  assert.equal(again.json.details.resource, 'api_key');
});

test('another org\'s key cannot be revoked through my org (404, still works)', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  const theirs = await apiKeyFor(other.id);
  const res = await api.del(`/api/orgs/${org.id}/api-keys/${theirs.id}`, { headers: admin.headers });
  assertError(assert, res, 404, 'NOT_FOUND');
  assertError(assert, await api.del(`/api/orgs/${other.id}/api-keys/${theirs.id}`, { headers: admin.headers }), 404, 'NOT_FOUND');
  assert.equal((await api.get(`/api/orgs/${other.id}/activity`, { headers: theirs.headers })).status, 200);
});

test('last_used_at is set on use and written at most once a minute', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const key = await apiKeyFor(org.id);
  const lastUsed = () => sql(`SELECT COALESCE(DATE_FORMAT(last_used_at, '%Y-%m-%d %H:%i:%s.%f'), 'null') FROM api_keys WHERE id = '${key.id}'`)[0][0];
  assert.equal(lastUsed(), 'null');
  assert.equal((await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers })).status, 200);
  const first = lastUsed();
  assert.notEqual(first, 'null');
  for (let i = 0; i < 3; i++) await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers });
  assert.equal(lastUsed(), first, 'no write within the minute');
  // once the stored time is older than a minute, the next use refreshes it
  sql(`UPDATE api_keys SET last_used_at = NOW(3) - INTERVAL 2 MINUTE WHERE id = '${key.id}'`);
  const aged = lastUsed();
  await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers });
  assert.ok(lastUsed() > aged);
  const item = (await api.get(`/api/orgs/${org.id}/api-keys`, { headers })).json.data[0];
  assert.match(item.last_used_at, ISO);
});

test('creating keys validates the name', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const before = sql(`SELECT COUNT(*) FROM api_keys WHERE org_id = '${org.id}'`)[0][0];
  for (const body of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 7 }, { name: 'tab\there' }, { name: ' padded ' }]) {
    const res = await api.post(`/api/orgs/${org.id}/api-keys`, body, { headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, 'name');
  }
  assert.equal(sql(`SELECT COUNT(*) FROM api_keys WHERE org_id = '${org.id}'`)[0][0], before);
});
