// members.test.mjs — /api/admin/orgs/:orgId/members: add (email, role,
// conflicts), list (seed 004 shape, paging), remove (scoped to the org, never
// the last org_admin), and what membership changes mean for access.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { addMember, createUser, newOrg, platformAdmin, userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.22');

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const keysOf = (o) => Object.keys(o).sort();
const membersPath = (org) => `/api/admin/orgs/${org}/members`;

test('POST members → 201 {id, user_id, email, role, created_at}', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const u = await createUser({ fullName: 'Jane Smith' });
  const res = await api.post(membersPath(org.id), { email: u.email.toUpperCase(), role: 'manager' }, { headers });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(keysOf(res.json), ['created_at', 'email', 'id', 'role', 'user_id']);
  assert.equal(res.json.user_id, u.id);
  assert.equal(res.json.email, u.email);
  assert.equal(res.json.role, 'manager');
  assert.match(res.json.created_at, ISO);
  assert.deepEqual(sql(`SELECT org_id, user_id, role FROM org_members WHERE id = '${res.json.id}'`), [[org.id, u.id, 'manager']]);
});

test('adding: duplicate → 409, unknown user → 400 email, bad role → 400 role; nothing written', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const u = await createUser();
  await addMember(headers, org.id, u.email, 'agent');
  const count = () => sql(`SELECT COUNT(*) FROM org_members WHERE org_id = '${org.id}'`)[0][0];
  const dup = await api.post(membersPath(org.id), { email: u.email, role: 'org_admin' }, { headers });
  assertError(assert, dup, 409, 'CONFLICT');
  assert.equal(sql(`SELECT role FROM org_members WHERE org_id = '${org.id}' AND user_id = '${u.id}'`)[0][0], 'agent');
  const cases = [
    [{ email: `nobody-${randomUUID()}@example.test`, role: 'agent' }, 'email'],
    [{ email: 'not an email', role: 'agent' }, 'email'],
    [{ role: 'agent' }, 'email'],
    [{ email: u.email }, 'role'],
    [{ email: u.email, role: 'owner' }, 'role'],
    [{ email: u.email, role: 'platform_admin' }, 'role'],
    [{ email: u.email, role: 'AGENT' }, 'role'],
    [{ email: u.email, role: 1 }, 'role'],
  ];
  for (const [body, field] of cases) {
    const res = await api.post(membersPath(org.id), body, { headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, JSON.stringify(body));
  }
  assert.equal(count(), '1');
});

test('GET members: {data,total,skip,limit}, seed 004 items, oldest first, paging', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const people = [];
  for (const role of ['org_admin', 'manager', 'agent']) {
    const u = await createUser({ fullName: `Person ${role}` });
    people.push({ u, m: await addMember(headers, org.id, u.email, role) });
  }
  const res = await api.get(membersPath(org.id), { headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(keysOf(res.json), ['data', 'limit', 'skip', 'total']);
  assert.equal(res.json.total, 3);
  assert.deepEqual(res.json.data.map((d) => d.id), people.map((p) => p.m.id));
  const first = res.json.data[0];
  assert.deepEqual(keysOf(first), ['created_at', 'email', 'full_name', 'id', 'role', 'user_id']);
  assert.equal(first.full_name, 'Person org_admin');
  assert.equal(first.email, people[0].u.email);
  assert.equal(first.user_id, people[0].u.id);
  const page = await api.get(`${membersPath(org.id)}?skip=1&limit=1`, { headers });
  assert.deepEqual(page.json.data.map((d) => d.id), [people[1].m.id]);
  assert.equal(page.json.total, 3);
  assert.equal(page.json.skip, 1);
  assert.equal(page.json.limit, 1);
});

test('DELETE member: success, then 404; another org\'s member under my org is 404 and untouched', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  const u = await createUser();
  const m = await addMember(headers, org.id, u.email, 'agent');
  const foreign = await addMember(headers, other.id, (await createUser()).email, 'agent');

  const idor = await api.del(`${membersPath(org.id)}/${foreign.id}`, { headers: admin.headers });
  assertError(assert, idor, 404, 'NOT_FOUND');
  assert.equal(idor.json.details.resource, 'member');
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE id = '${foreign.id}'`)[0][0], '1');
  // even a platform admin must name the member's own org
  assertError(assert, await api.del(`${membersPath(org.id)}/${foreign.id}`, { headers }), 404, 'NOT_FOUND');

  const res = await api.del(`${membersPath(org.id)}/${m.id}`, { headers: admin.headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { success: true });
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE id = '${m.id}'`)[0][0], '0');
  assertError(assert, await api.del(`${membersPath(org.id)}/${m.id}`, { headers: admin.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.del(`${membersPath(org.id)}/not-a-uuid`, { headers: admin.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.del(`${membersPath(org.id)}/${randomUUID()}`, { headers: admin.headers }), 404, 'NOT_FOUND');
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE id = '${u.id}'`)[0][0], '1', 'the user remains');
});

test('the last org_admin cannot be removed (409); with two, one can go', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const a = await userWithRole(org.id, 'org_admin');
  const last = await api.del(`${membersPath(org.id)}/${a.member.id}`, { headers });
  assertError(assert, last, 409, 'CONFLICT');
  const b = await userWithRole(org.id, 'org_admin');
  assert.equal((await api.del(`${membersPath(org.id)}/${a.member.id}`, { headers: b.headers })).status, 200);
  assertError(assert, await api.del(`${membersPath(org.id)}/${b.member.id}`, { headers: b.headers }), 409, 'CONFLICT');
});

test('roles: managers list but cannot change members; agents cannot list', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const manager = await userWithRole(org.id, 'manager');
  const agent = await userWithRole(org.id, 'agent');
  assert.equal((await api.get(membersPath(org.id), { headers: manager.headers })).status, 200);
  const u = await createUser();
  assertError(assert, await api.post(membersPath(org.id), { email: u.email, role: 'agent' }, { headers: manager.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.del(`${membersPath(org.id)}/${agent.member.id}`, { headers: manager.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.get(membersPath(org.id), { headers: agent.headers }), 403, 'FORBIDDEN');
  // an org_admin can invite another org_admin (the invitation carries the role;
  // tests/api/invitations.test.mjs covers accepting it)
  const admin = await userWithRole(org.id, 'org_admin');
  const made = await api.post(membersPath(org.id), { email: u.email, role: 'org_admin' }, { headers: admin.headers });
  assert.equal(made.status, 202, made.text);
  assert.equal(made.json.invitation.role, 'org_admin');
});

test('membership is access: a removed member loses the org at once (404)', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const agent = await userWithRole(org.id, 'agent');
  assert.equal((await api.get(`/api/orgs/${org.id}/activity`, { headers: agent.headers })).status, 200);
  assert.equal((await api.del(`${membersPath(org.id)}/${agent.member.id}`, { headers })).status, 200);
  assertError(assert, await api.get(`/api/orgs/${org.id}/activity`, { headers: agent.headers }), 404, 'NOT_FOUND');
  const mine = await api.get('/api/user/orgs', { headers: agent.headers });
  assert.equal(mine.json.total, 0);
});
