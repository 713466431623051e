// trust_scopes.test.mjs — scoped API keys (docs/authorization.md, "API key
// scopes"): chosen at creation (default read), shown in the list, validated
// (400 naming "scopes"), and enforced by the route table: a missing scope is
// a 403 naming it in details.scope; a held scope opens the route whatever its
// role level. The full route × scope grid is in authz_matrix.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { apiKeyFor, newOrg, platformAdmin } from './fixtures.mjs';
import { messagingOrg, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.62');

test('scopes are chosen at creation, stored as given and listed; default read', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const plain = await apiKeyFor(org.id, headers);
  assert.deepEqual(plain.scopes, ['read']);
  const all = await apiKeyFor(org.id, headers, ['sync', 'write', 'sms:send', 'read']);
  assert.deepEqual(all.scopes, ['read', 'sms:send', 'write', 'sync'], 'in the documented order');
  const list = await api.get(`/api/orgs/${org.id}/api-keys`, { headers });
  assert.equal(list.status, 200);
  const byId = Object.fromEntries(list.json.data.map((k) => [k.id, k.scopes]));
  assert.deepEqual(byId[plain.id], ['read']);
  assert.deepEqual(byId[all.id], ['read', 'sms:send', 'write', 'sync']);
  assert.deepEqual(sql(`SELECT scopes FROM api_keys WHERE id = '${all.id}'`), [['read,sms:send,write,sync']]);
});

test('invalid scopes → 400 naming the field; nothing created', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  for (const scopes of [[], ['admin'], ['read', 'read'], 'read', [1], ['read', 'write', 'sync', 'sms:send', 'read'], ['READ']]) {
    const r = await api.post(`/api/orgs/${org.id}/api-keys`, { name: 'bad', scopes }, { headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'scopes', JSON.stringify(scopes));
  }
  assert.deepEqual(sql(`SELECT COUNT(*) FROM api_keys WHERE org_id = '${org.id}'`), [['0']]);
});

test('a read-only key cannot send SMS (403 naming sms:send); a key with sms:send can', async () => {
  const M = await messagingOrg();
  const reader = await apiKeyFor(M.org.id, M.headers);
  const body = { to: [uniquePhone()], message: 'wallboard must not send' };
  const denied = await api.post(`/api/orgs/${M.org.id}/sms/send`, body, { headers: reader.headers });
  assertError(assert, denied, 403, 'FORBIDDEN');
  assert.equal(denied.json.details.scope, 'sms:send');
  assert.match(denied.json.error, /sms:send/);
  assert.deepEqual(sql(`SELECT COUNT(*) FROM sms_messages WHERE org_id = '${M.org.id}'`), [['0']], 'nothing sent');
  // reading still works
  assert.equal((await api.get(`/api/orgs/${M.org.id}/calls`, { headers: reader.headers })).status, 200);

  const sender = await apiKeyFor(M.org.id, M.headers, ['sms:send']);
  const sent = await api.post(`/api/orgs/${M.org.id}/sms/send`, { to: [uniquePhone()], message: 'hi' }, { headers: sender.headers });
  assert.equal(sent.status, 201, sent.text);
  // sms:send alone does not read
  const noRead = await api.get(`/api/orgs/${M.org.id}/calls`, { headers: sender.headers });
  assertError(assert, noRead, 403, 'FORBIDDEN');
  assert.equal(noRead.json.details.scope, 'read');
});

test('write opens contact writes to a key (a manager-level route); sync opens sync triggers', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const reader = await apiKeyFor(org.id, headers);
  const writer = await apiKeyFor(org.id, headers, ['read', 'write']);
  const denied = await api.post(`/api/orgs/${org.id}/contacts`, { first_name: 'Scoped' }, { headers: reader.headers });
  assertError(assert, denied, 403, 'FORBIDDEN');
  assert.equal(denied.json.details.scope, 'write');
  const made = await api.post(`/api/orgs/${org.id}/contacts`, { first_name: 'Scoped' }, { headers: writer.headers });
  assert.equal(made.status, 201, made.text);
  const del = await api.del(`/api/orgs/${org.id}/contacts/${made.json.id}`, { headers: writer.headers });
  assert.equal(del.status, 200, del.text);

  const trig = await api.post(`/api/mightycall/sync/calls?orgId=${org.id}`, undefined, { headers: writer.headers });
  assertError(assert, trig, 403, 'FORBIDDEN');
  assert.equal(trig.json.details.scope, 'sync');
  const syncer = await apiKeyFor(org.id, headers, ['sync']);
  const ok = await api.post(`/api/mightycall/sync/calls?orgId=${org.id}`, undefined, { headers: syncer.headers });
  assert.ok([202, 409].includes(ok.status), `past authorization: ${ok.status} ${ok.text}`);
  // no scope opens key management, admin or user routes
  for (const k of [reader, writer, syncer]) {
    assertError(assert, await api.get(`/api/orgs/${org.id}/api-keys`, { headers: k.headers }), 403, 'FORBIDDEN');
    assertError(assert, await api.get('/api/user/profile', { headers: k.headers }), 403, 'FORBIDDEN');
  }
});

test('scopes are read with the key on every request: narrowing takes effect on the next one', async () => {
  // docs/performance.md "who-you-are": the key lookup is one statement; the
  // scopes column is read by that same SELECT (core/identity/api_keys.c).
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const k = await apiKeyFor(org.id, headers, ['read', 'write']);
  sql(`UPDATE api_keys SET scopes = 'read' WHERE id = '${k.id}'`);
  // the next request sees the narrowed scopes at once
  const r = await api.post(`/api/orgs/${org.id}/contacts`, { first_name: 'Narrowed' }, { headers: k.headers });
  assertError(assert, r, 403, 'FORBIDDEN');
  assert.equal(r.json.details.scope, 'write');
});
