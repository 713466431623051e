// etag.test.mjs — conditional GETs (fcgi/etag.c): lists, reports and metrics
// carry ETag W/"<data version>-<hash>"; If-None-Match with the current tag is
// a 304 without a body; every kind of write of call data moves the tag (a
// webhook event, an SMS send, a contact edit, a phone-number assignment, a
// sync run); another query or another org never shares a tag.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, useSourceAddress } from './lib.mjs';
import { addMember, createUser } from './fixtures.mjs';
import { callEvents, messagingOrg, postWebhook, uniquePhone } from './msg_helpers.mjs';
import { vsSync } from './sync_helpers.mjs';
import { insertPhones } from './data_helpers.mjs';

useSourceAddress('127.0.0.61');

let M; let N;
const TAGGED = ['calls', 'recordings', 'sms', 'voicemails', 'extensions', 'phone-numbers', 'contacts', 'reports', 'metrics'];

before(async () => {
  M = await messagingOrg();
  N = await messagingOrg({ number: 1 });
});

const get = (org, path, headers, inm) =>
  api.get(`/api/orgs/${org.id}/${path}`, { headers: inm ? { ...headers, 'if-none-match': inm } : headers });

async function tagOf(org, path, headers) {
  const r = await get(org, path, headers);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.etag ?? '', /^W\/"\d+-[0-9a-f]{16}"$/, `ETag of ${path}`);
  return r.headers.etag;
}

/** The tag still answers 304 (no body), or, after a write, 200 with a new tag. */
async function expectNotModified(org, path, inm, headers, tag = inm) {
  const r = await get(org, path, headers, inm);
  assert.equal(r.status, 304, `${path}: ${r.text}`);
  assert.equal(r.text, '', '304 carries no body');
  assert.equal(r.headers.etag, tag);
}
async function expectModified(org, path, tag, headers) {
  const r = await get(org, path, headers, tag);
  assert.equal(r.status, 200, `${path} after a write: ${r.text}`);
  assert.notEqual(r.headers.etag, tag);
  assert.ok(r.json, 'a body');
  return r.headers.etag;
}

test('every tagged route: ETag on 200, 304 without a body on an unchanged If-None-Match', async () => {
  for (const p of TAGGED) {
    const tag = await tagOf(M.org, p, M.headers);
    await expectNotModified(M.org, p, tag, M.headers);
    // lists of tags, and a weak/strong spelling, match too; another tag does not
    await expectNotModified(M.org, p, `W/"0-0000000000000000", ${tag}`, M.headers, tag);
    await expectNotModified(M.org, p, tag.slice(2), M.headers, tag);
    const other = await get(M.org, p, M.headers, 'W/"999999-0000000000000000"');
    assert.equal(other.status, 200);
  }
});

test('a different query is a different tag; normalised values are the same tag', async () => {
  const a = await tagOf(M.org, 'calls?limit=10', M.headers);
  const b = await tagOf(M.org, 'calls?limit=11', M.headers);
  const c = await tagOf(M.org, 'calls?direction=inbound', M.headers);
  assert.notEqual(a, b);
  assert.notEqual(a, c);
  assert.equal(await tagOf(M.org, 'calls', M.headers), await tagOf(M.org, 'calls?limit=50', M.headers));
  assert.notEqual(await tagOf(M.org, 'calls', M.headers), await tagOf(M.org, 'sms', M.headers));
});

test("another org's tag never matches, even at the same version", async () => {
  sql(`DELETE FROM org_data_versions WHERE org_id IN ('${M.org.id}', '${N.org.id}')`);
  const tm = await tagOf(M.org, 'calls', M.headers);
  const tn = await tagOf(N.org, 'calls', N.headers);
  assert.equal(tm.split('-')[0], tn.split('-')[0], 'same version');
  assert.notEqual(tm, tn);
  const r = await get(N.org, 'calls', N.headers, tm);
  assert.equal(r.status, 200);
  // an API key and a member see the same data but are tagged apart
  const key = (await api.post(`/api/orgs/${M.org.id}/api-keys`, { name: 'etag' }, { headers: M.headers })).json.key;
  const viaKey = await tagOf(M.org, 'calls', { 'x-api-key': key });
  assert.notEqual(viaKey, tm);
  await expectNotModified(M.org, 'calls', viaKey, { 'x-api-key': key });
});

test('no stale 304 after a webhook event', async () => {
  const tag = await tagOf(M.org, 'calls', M.headers);
  for (const ev of callEvents({ business: M.from, client: uniquePhone() })) {
    const r = await postWebhook(M.integration, ev);
    assert.ok(r.status < 300, r.text);
  }
  const fresh = await expectModified(M.org, 'calls', tag, M.headers);
  await expectNotModified(M.org, 'calls', fresh, M.headers);
});

test('no stale 304 after an SMS send', async () => {
  const tag = await tagOf(M.org, 'sms', M.headers);
  const mtag = await tagOf(M.org, 'metrics', M.headers);
  const r = await api.post(`/api/orgs/${M.org.id}/sms/send`, { to: [uniquePhone()], message: 'etag test' }, { headers: M.headers });
  assert.equal(r.status, 201, r.text);
  await expectModified(M.org, 'sms', tag, M.headers);
  await expectModified(M.org, 'metrics', mtag, M.headers);
});

test('no stale 304 after a contact edit', async () => {
  const tag = await tagOf(M.org, 'contacts', M.headers);
  const c = await api.post(`/api/orgs/${M.org.id}/contacts`, { first_name: 'Etag' }, { headers: M.headers });
  assert.equal(c.status, 201, c.text);
  await expectModified(M.org, 'contacts', tag, M.headers);
});

test('no stale 304 after a phone-number assignment', async () => {
  const [phone] = insertPhones([{ org_id: M.org.id, number: uniquePhone(), label: 'Etag' }]);
  const u = await createUser();
  await addMember(M.headers, M.org.id, u.email, 'agent');
  const tag = await tagOf(M.org, 'phone-numbers', M.headers);
  const r = await api.post(`/api/orgs/${M.org.id}/phone-numbers/${phone.id}/assign`, { user_id: u.id }, { headers: M.headers });
  assert.equal(r.status, 200, r.text);
  await expectModified(M.org, 'phone-numbers', tag, M.headers);
});

test('no stale 304 after a sync run', async () => {
  const tag = await tagOf(M.org, 'phone-numbers', M.headers);
  const etag = await tagOf(M.org, 'extensions', M.headers);
  const run = await vsSync(['run', '--org', M.org.id, '--type', 'extensions']);
  assert.equal(run.code, 0, `vs-sync run extensions: ${run.stderr}`);
  await expectModified(M.org, 'extensions', etag, M.headers);
  await expectModified(M.org, 'phone-numbers', tag, M.headers); // one org version for every view
});
