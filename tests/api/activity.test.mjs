// activity.test.mjs — GET /api/orgs/:orgId/activity: which events are
// recorded (org, members, keys, logins), who did them, the seed 004 item shape
// {id, type, description, user, timestamp}, newest first, paging, the type
// filter and org isolation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { addMember, apiKeyFor, createUser, login, newOrg, platformAdmin, uniqueName, userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.24');

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function feed(orgId, headers, query = '') {
  const res = await api.get(`/api/orgs/${orgId}/activity${query}`, { headers });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

test('org, member, key and login events are recorded with their actor', async () => {
  const admin = await platformAdmin();
  const name = uniqueName('Feed Org');
  const org = await newOrg(admin.headers, { name });
  const orgAdmin = await userWithRole(org.id, 'org_admin'); // member_added + user_login
  const renamed = uniqueName('Feed Renamed');
  assert.equal((await api.put(`/api/admin/orgs/${org.id}`, { name: renamed, timezone: 'Europe/Oslo' }, { headers: orgAdmin.headers })).status, 200);
  const u = await createUser({ fullName: 'Removed Person' });
  // an org admin invites (member_invited); the person accepts (member_added by them)
  const inv = await api.post(`/api/admin/orgs/${org.id}/members`, { email: u.email, role: 'agent' }, { headers: orgAdmin.headers });
  assert.equal(inv.status, 202, inv.text);
  const us = await login(u.email, u.password);
  const acc = await api.post(`/api/user/invitations/${inv.json.invitation.id}/accept`, undefined,
    { headers: { authorization: `Bearer ${us.access_token}` } });
  assert.equal(acc.status, 200, acc.text);
  const members = await api.get(`/api/admin/orgs/${org.id}/members`, { headers: orgAdmin.headers });
  const m = members.json.data.find((x) => x.email === u.email);
  assert.equal((await api.del(`/api/admin/orgs/${org.id}/members/${m.id}`, { headers: orgAdmin.headers })).status, 200);
  const key = await apiKeyFor(org.id, orgAdmin.headers);
  assert.equal((await api.del(`/api/orgs/${org.id}/api-keys/${key.id}`, { headers: orgAdmin.headers })).status, 200);

  const f = await feed(org.id, orgAdmin.headers);
  assert.deepEqual(Object.keys(f).sort(), ['data', 'limit', 'skip', 'total']);
  for (const e of f.data) {
    assert.deepEqual(Object.keys(e).sort(), ['call', 'description', 'id', 'timestamp', 'type', 'user']);
    assert.match(e.id, UUID);
    assert.match(e.timestamp, ISO);
    assert.equal(typeof e.description, 'string');
    assert.ok(e.user === null || typeof e.user === 'string');
  }
  const types = f.data.map((e) => e.type);
  // newest first
  assert.deepEqual(types, ['api_key_revoked', 'api_key_created', 'member_removed', 'member_added', 'member_invited',
    'org_updated', 'user_login', 'member_added', 'org_created']);
  const by = Object.fromEntries(f.data.map((e) => [e.type, e]));
  assert.equal(by.org_created.user, 'Platform Admin');
  assert.match(by.org_created.description, new RegExp(name));
  assert.equal(by.org_updated.user, orgAdmin.user.full_name);
  assert.match(by.org_updated.description, new RegExp(`${name}.*${renamed}`));
  assert.match(by.org_updated.description, /Europe\/Oslo/);
  assert.match(by.member_removed.description, new RegExp(u.email));
  assert.equal(by.user_login.user, orgAdmin.user.full_name);
  assert.match(by.api_key_created.description, new RegExp(key.key.slice(0, 12)));
  assert.ok(!JSON.stringify(f).includes(key.key.slice(12)), 'no key material in the feed');
  assert.equal(by.member_invited.user, orgAdmin.user.full_name);
  assert.equal(f.data[3].user, 'Removed Person', 'the invitee added themselves by accepting');
  assert.equal(f.total, 9);
});

test('type filter, paging and validation', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  for (let i = 0; i < 3; i++) await addMember(admin.headers, org.id, (await createUser()).email, 'agent');
  const only = await feed(org.id, admin.headers, '?type=member_added');
  assert.equal(only.total, 3);
  assert.ok(only.data.every((e) => e.type === 'member_added'));
  const none = await feed(org.id, admin.headers, '?type=integration_sync');
  assert.deepEqual(none.data, []);
  assert.equal(none.total, 0);
  const page = await feed(org.id, admin.headers, '?type=member_added&skip=1&limit=1');
  assert.equal(page.data.length, 1);
  assert.equal(page.total, 3);
  assert.equal(page.data[0].id, only.data[1].id);
  assert.equal(page.skip, 1);
  assert.equal(page.limit, 1);
  for (const bad of ['type=bogus', "type=call'--", 'type=MEMBER_ADDED', `type=${'x'.repeat(100)}`, 'limit=0', 'skip=x', 'type=%ZZ']) {
    const res = await api.get(`/api/orgs/${org.id}/activity?${bad}`, { headers: admin.headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.ok(['type', 'limit', 'skip'].includes(res.json.details.field), bad);
  }
});

test('every member (and the org\'s key) reads the feed; other orgs cannot', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  const other = await newOrg(admin.headers);
  const agent = await userWithRole(org.id, 'agent');
  const key = await apiKeyFor(org.id);
  assert.ok((await feed(org.id, agent.headers)).total >= 2);
  assert.ok((await feed(org.id, key.headers)).total >= 2);
  assertError(assert, await api.get(`/api/orgs/${other.id}/activity`, { headers: agent.headers }), 404, 'NOT_FOUND');
  // the other org's events never leak into this feed
  const mine = await feed(org.id, admin.headers, '?limit=500');
  const theirs = sql(`SELECT id FROM activity_log WHERE org_id = '${other.id}'`).map((r) => r[0]);
  assert.ok(theirs.length >= 1);
  for (const e of mine.data) assert.ok(!theirs.includes(e.id));
});

test('a login is recorded in each org of the user', async () => {
  const admin = await platformAdmin();
  const a = await newOrg(admin.headers);
  const b = await newOrg(admin.headers);
  const u = await createUser({ fullName: 'Two Orgs' });
  await addMember(admin.headers, a.id, u.email, 'agent');
  await addMember(admin.headers, b.id, u.email, 'manager');
  await login(u.email, u.password);
  for (const org of [a, b]) {
    const f = await feed(org.id, admin.headers, '?type=user_login');
    assert.equal(f.total, 1);
    assert.equal(f.data[0].user, 'Two Orgs');
    assert.match(f.data[0].description, /Two Orgs signed in/);
  }
});

test('missed calls (webhooks) and voicemails are recorded once, linked to their call', async () => {
  const { messagingOrg, callEvents, postWebhook, uniquePhone } = await import('./msg_helpers.mjs');
  const M = await messagingOrg({ number: 6 });
  const client = uniquePhone();
  const evs = callEvents({ inbound: true, connected: false, business: M.from, client, start: Date.now() - 60_000, durMs: 20_000 });
  let callId;
  for (const e of evs) callId = (await postWebhook(M.integration, e)).json.call_id ?? callId;
  for (const e of evs.slice(-1)) await postWebhook(M.integration, { ...e, Guid: undefined }); // a repeat of the end
  const answered = callEvents({ inbound: true, connected: true, business: M.from, client: uniquePhone(), start: Date.now() - 60_000, durMs: 20_000 });
  for (const e of answered) await postWebhook(M.integration, e);
  const r = await api.get(`/api/orgs/${M.org.id}/activity?type=call`, { headers: M.headers });
  assert.equal(r.status, 200, r.text);
  const missed = r.json.data.filter((a) => a.call);
  assert.equal(missed.length, 1, JSON.stringify(r.json.data));
  assert.equal(missed[0].call.id, callId);
  assert.equal(missed[0].call.business_number, M.from);
  assert.match(missed[0].description, new RegExp(`^Missed call from \\${client} to \\${M.from}$`));
});
