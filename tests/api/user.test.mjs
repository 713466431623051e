// user.test.mjs — the signed-in user's routes: GET /api/user/profile,
// GET /api/user/orgs, POST /api/user/onboard (seed 004 shapes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { addMember, createUser, login, newOrg, platformAdmin, uniqueName } from './fixtures.mjs';

useSourceAddress('127.0.0.27');

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const keysOf = (o) => Object.keys(o).sort();
const bearer = (t) => ({ authorization: `Bearer ${t}` });

test('GET /api/user/profile → {id, email, full_name, global_role, created_at}', async () => {
  const u = await createUser({ fullName: 'Zoë Ångström' });
  const s = await login(u.email, u.password);
  const res = await api.get('/api/user/profile', { headers: bearer(s.access_token) });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(keysOf(res.json), ['created_at', 'email', 'full_name', 'global_role', 'id']);
  assert.equal(res.json.full_name, 'Zoë Ångström');
  assert.equal(res.json.global_role, 'user');
  assert.match(res.json.created_at, ISO);
  const admin = await platformAdmin();
  const a = await api.get('/api/user/profile', { headers: admin.headers });
  assert.equal(a.json.global_role, 'platform_admin');
});

test('GET /api/user/orgs → {data,total,skip,limit} of {id, name, slug, timezone, role, created_at}', async () => {
  const admin = await platformAdmin();
  const u = await createUser();
  const s = await login(u.email, u.password);
  const empty = await api.get('/api/user/orgs', { headers: bearer(s.access_token) });
  assert.deepEqual(empty.json, { data: [], total: 0, skip: 0, limit: 50 });
  const a = await newOrg(admin.headers);
  const b = await newOrg(admin.headers);
  await newOrg(admin.headers); // not a member
  await addMember(admin.headers, a.id, u.email, 'manager');
  await addMember(admin.headers, b.id, u.email, 'agent');
  const res = await api.get('/api/user/orgs', { headers: bearer(s.access_token) });
  assert.equal(res.status, 200);
  assert.equal(res.json.total, 2);
  assert.deepEqual(res.json.data.map((o) => [o.id, o.role]), [[a.id, 'manager'], [b.id, 'agent']]);
  const o = res.json.data[0];
  assert.deepEqual(keysOf(o), ['created_at', 'id', 'name', 'role', 'slug', 'timezone']);
  assert.equal(o.name, a.name);
  assert.equal(o.timezone, a.timezone);
  assert.equal(o.slug, a.slug);
  const page = await api.get('/api/user/orgs?skip=1&limit=1', { headers: bearer(s.access_token) });
  assert.deepEqual(page.json.data.map((x) => x.id), [b.id]);
});

test('POST /api/user/onboard creates the first org with the caller as org_admin', async () => {
  const u = await createUser({ fullName: 'Founder' });
  const s = await login(u.email, u.password);
  const h = bearer(s.access_token);
  const name = uniqueName('My Company');
  const res = await api.post('/api/user/onboard', { org_name: name, timezone: 'America/Denver' }, { headers: h });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(keysOf(res.json), ['created_at', 'id', 'name', 'role', 'slug', 'timezone']);
  assert.equal(res.json.timezone, 'America/Denver');
  assert.equal(res.json.name, name);
  assert.equal(res.json.slug, name.toLowerCase().replaceAll(' ', '-'));
  assert.equal(res.json.role, 'org_admin');
  assert.deepEqual(sql(`SELECT role FROM org_members WHERE org_id = '${res.json.id}' AND user_id = '${u.id}'`), [['org_admin']]);
  assert.equal(sql(`SELECT timezone FROM orgs WHERE id = '${res.json.id}'`)[0][0], 'America/Denver');
  // the new org_admin can use it right away
  assert.equal((await api.get(`/api/admin/orgs/${res.json.id}`, { headers: h })).status, 200);
  // a second onboarding is refused: the user already has an org
  const again = await api.post('/api/user/onboard', { org_name: uniqueName('Second') }, { headers: h });
  assertError(assert, again, 400, 'BAD_REQUEST');
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE user_id = '${u.id}'`)[0][0], '1');
});

test('onboard: invalid input → 400 naming the field; nothing created (a taken name: trust_low.test.mjs)', async () => {
  const u = await createUser();
  const h = bearer((await login(u.email, u.password)).access_token);
  const before = sql('SELECT COUNT(*) FROM orgs')[0][0];
  for (const [body, field] of [[{}, 'org_name'], [{ org_name: '' }, 'org_name'], [{ org_name: '!!!' }, 'org_name'],
    [{ org_name: 'x'.repeat(201) }, 'org_name'], [{ org_name: 'Fine Name', timezone: 'Nowhere/City' }, 'timezone']]) {
    const res = await api.post('/api/user/onboard', body, { headers: h });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, JSON.stringify(body));
  }
  assert.equal(sql('SELECT COUNT(*) FROM orgs')[0][0], before);
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE user_id = '${u.id}'`)[0][0], '0');
});

test('concurrent onboarding of one user creates exactly one org', async () => {
  const u = await createUser();
  const h = bearer((await login(u.email, u.password)).access_token);
  const results = await Promise.all(Array.from({ length: 5 }, () =>
    api.post('/api/user/onboard', { org_name: uniqueName('Race') }, { headers: h })));
  const statuses = results.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 400, 400, 400, 400]);
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE user_id = '${u.id}'`)[0][0], '1');
});
