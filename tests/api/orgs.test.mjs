// orgs.test.mjs — /api/admin/orgs: create (slug, time zone, conflicts), list
// (paging envelope), get (member_count), update (rename → new slug), delete
// (cascade), with field-by-field response shapes of seed 004.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import {
  addMember, apiKeyFor, createUser, newOrg, platformAdmin, serviceHeaders, uniqueName, userWithRole,
} from './fixtures.mjs';

useSourceAddress('127.0.0.21');

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const keysOf = (o) => Object.keys(o).sort();
const q = (s) => s.replaceAll("'", "''");

test('POST /api/admin/orgs → 201 {id, name, slug, timezone, created_at}', async () => {
  const { headers } = await platformAdmin();
  const name = `Acme Inc ${randomUUID().slice(0, 8)}`;
  const res = await api.post('/api/admin/orgs', { name, timezone: 'America/New_York' }, { headers });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(keysOf(res.json), ['created_at', 'id', 'name', 'slug', 'timezone']);
  assert.match(res.json.id, UUID);
  assert.equal(res.json.name, name);
  assert.equal(res.json.slug, `acme-inc-${name.slice(-8).toLowerCase()}`);
  assert.equal(res.json.timezone, 'America/New_York');
  assert.match(res.json.created_at, ISO);
  const row = sql(`SELECT name, slug, timezone FROM orgs WHERE id = '${res.json.id}'`);
  assert.deepEqual(row, [[name, res.json.slug, 'America/New_York']]);
});

test('slugs are derived from names; the default time zone is UTC', async () => {
  const { headers } = await platformAdmin();
  const tag = randomUUID().slice(0, 6);
  const cases = [
    [`  Café Zürich & Co ${tag}`.trim(), `cafe-zurich-co-${tag}`],
    [`Joe's Pizza -- ${tag}!!`, `joes-pizza-${tag}`],
    [`Straße ${tag}`, `strasse-${tag}`],
    [`Привет ${tag}`, `привет-${tag}`],
    [`🚀 Rocket ${tag}`, `rocket-${tag}`],
  ];
  for (const [name, slug] of cases) {
    const res = await api.post('/api/admin/orgs', { name }, { headers });
    assert.equal(res.status, 201, `${name}: ${res.text}`);
    assert.equal(res.json.slug, slug, name);
    assert.equal(res.json.name, name, 'the name is stored exactly as given');
    assert.equal(res.json.timezone, 'UTC');
  }
});

test('a name whose slug is taken → 409 CONFLICT naming the field, nothing created', async () => {
  const { headers } = await platformAdmin();
  const base = uniqueName('Conflict Co');
  await newOrg(headers, { name: base });
  const before = sql('SELECT COUNT(*) FROM orgs')[0][0];
  for (const name of [base, base.toUpperCase(), `${base}!`, `${base} `]) {
    const res = await api.post('/api/admin/orgs', { name }, { headers });
    if (name.endsWith(' ')) { assertError(assert, res, 400, 'BAD_REQUEST'); continue; }
    assertError(assert, res, 409, 'CONFLICT');
    assert.equal(res.json.details.field, 'name');
  }
  assert.equal(sql('SELECT COUNT(*) FROM orgs')[0][0], before);
});

test('time zones are checked against mysql.time_zone_name (exact spelling)', async () => {
  const { headers } = await platformAdmin();
  for (const tz of ['Europe/Berlin', 'Asia/Kolkata', 'UTC', 'America/Argentina/Buenos_Aires']) {
    const res = await api.post('/api/admin/orgs', { name: uniqueName('TZ'), timezone: tz }, { headers });
    assert.equal(res.status, 201, `${tz}: ${res.text}`);
    assert.equal(res.json.timezone, tz);
  }
  for (const tz of ['america/new_york', 'Mars/Olympus', 'EST5EDT; DROP TABLE orgs', '+05:00', '', 'x'.repeat(65), 5]) {
    const res = await api.post('/api/admin/orgs', { name: uniqueName('TZ'), timezone: tz }, { headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, 'timezone', String(tz));
  }
});

test('GET /api/admin/orgs: {data,total,skip,limit}, seed 004 items, paging', async () => {
  const { headers } = await platformAdmin();
  const made = [];
  for (let i = 0; i < 3; i++) made.push(await newOrg(headers, { name: uniqueName('Paged') }));
  const res = await api.get('/api/admin/orgs?limit=500', { headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(keysOf(res.json), ['data', 'limit', 'skip', 'total']);
  assert.equal(res.json.skip, 0);
  assert.equal(res.json.limit, 500);
  assert.equal(res.json.total, Number(sql('SELECT COUNT(*) FROM orgs')[0][0]));
  for (const o of res.json.data) {
    assert.deepEqual(keysOf(o), ['created_at', 'id', 'member_count', 'name', 'slug', 'timezone', 'updated_at']);
    assert.ok(Number.isInteger(o.member_count));
    assert.match(o.updated_at, ISO);
  }
  const ids = res.json.data.map((o) => o.id);
  for (const m of made) assert.ok(ids.includes(m.id));
  // newest first
  assert.deepEqual(ids.slice(0, 3), made.map((m) => m.id).reverse());

  const p1 = await api.get('/api/admin/orgs?skip=1&limit=2', { headers });
  assert.equal(p1.status, 200);
  assert.equal(p1.json.skip, 1);
  assert.equal(p1.json.limit, 2);
  assert.equal(p1.json.data.length, 2);
  assert.deepEqual(p1.json.data.map((o) => o.id), ids.slice(1, 3));
  const dflt = await api.get('/api/admin/orgs', { headers });
  assert.equal(dflt.json.limit, 50);
  for (const bad of ['limit=0', 'limit=501', 'limit=abc', 'skip=-1', 'skip=1e3', 'limit=%27']) {
    const r = await api.get(`/api/admin/orgs?${bad}`, { headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.ok(['skip', 'limit'].includes(r.json.details.field), bad);
  }
});

test('GET /api/admin/orgs/:orgId: seed 004 shape and a correct member_count', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers, { timezone: 'Europe/Paris' });
  const get = async () => (await api.get(`/api/admin/orgs/${org.id}`, { headers })).json;
  let o = await get();
  assert.deepEqual(keysOf(o), ['created_at', 'id', 'member_count', 'name', 'slug', 'timezone', 'updated_at']);
  assert.equal(o.member_count, 0);
  assert.equal(o.timezone, 'Europe/Paris');
  const a = await createUser();
  const b = await createUser();
  const ma = await addMember(headers, org.id, a.email, 'agent');
  await addMember(headers, org.id, b.email, 'manager');
  o = await get();
  assert.equal(o.member_count, 2);
  assert.equal((await api.del(`/api/admin/orgs/${org.id}/members/${ma.id}`, { headers })).status, 200);
  o = await get();
  assert.equal(o.member_count, 1);
  // list agrees
  const list = (await api.get('/api/admin/orgs?limit=500', { headers })).json.data.find((x) => x.id === org.id);
  assert.equal(list.member_count, 1);

  assertError(assert, await api.get(`/api/admin/orgs/${randomUUID()}`, { headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get('/api/admin/orgs/not-a-uuid', { headers }), 404, 'NOT_FOUND');
});

test('PUT /api/admin/orgs/:orgId → {id, name, timezone, updated_at}; rename re-derives the slug', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers, { name: uniqueName('Before') });
  const before = (await api.get(`/api/admin/orgs/${org.id}`, { headers })).json;
  await new Promise((r) => setTimeout(r, 1100)); // updated_at has second resolution in the API
  const name = uniqueName('After Name');
  const res = await api.put(`/api/admin/orgs/${org.id}`, { name, timezone: 'America/Chicago' }, { headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(keysOf(res.json), ['id', 'name', 'timezone', 'updated_at']);
  assert.equal(res.json.id, org.id);
  assert.equal(res.json.name, name);
  assert.equal(res.json.timezone, 'America/Chicago');
  assert.ok(res.json.updated_at > before.updated_at, 'updated_at moves');
  const after = (await api.get(`/api/admin/orgs/${org.id}`, { headers })).json;
  assert.equal(after.slug, name.toLowerCase().replaceAll(' ', '-'));
  assert.equal(after.created_at, before.created_at);

  // only the time zone
  const tz = await api.put(`/api/admin/orgs/${org.id}`, { timezone: 'Asia/Tokyo' }, { headers });
  assert.equal(tz.status, 200);
  assert.equal(tz.json.name, name);
  assert.equal(tz.json.timezone, 'Asia/Tokyo');
  // nothing to change
  const empty = await api.put(`/api/admin/orgs/${org.id}`, {}, { headers });
  assertError(assert, empty, 400, 'BAD_REQUEST');
  assert.equal(empty.json.details.field, 'name');
  // a rename onto another org's slug
  const other = await newOrg(headers);
  const clash = await api.put(`/api/admin/orgs/${org.id}`, { name: other.name.toUpperCase() }, { headers });
  assertError(assert, clash, 409, 'CONFLICT');
  assert.equal((await api.get(`/api/admin/orgs/${org.id}`, { headers })).json.name, name, 'unchanged');
  assertError(assert, await api.put(`/api/admin/orgs/${randomUUID()}`, { name: 'x' }, { headers }), 404, 'NOT_FOUND');
});

test('an org_admin manages their org; managers and agents may not', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  const manager = await userWithRole(org.id, 'manager');
  assert.equal((await api.get(`/api/admin/orgs/${org.id}`, { headers: admin.headers })).status, 200);
  const put = await api.put(`/api/admin/orgs/${org.id}`, { timezone: 'Europe/Rome' }, { headers: admin.headers });
  assert.equal(put.status, 200, put.text);
  assertError(assert, await api.put(`/api/admin/orgs/${org.id}`, { timezone: 'UTC' }, { headers: manager.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.del(`/api/admin/orgs/${org.id}`, { headers: admin.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.get('/api/admin/orgs', { headers: admin.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.post('/api/admin/orgs', { name: uniqueName('No') }, { headers: admin.headers }), 403, 'FORBIDDEN');
  // another org is invisible: 404, not 403
  const other = await newOrg(headers);
  assertError(assert, await api.get(`/api/admin/orgs/${other.id}`, { headers: admin.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.put(`/api/admin/orgs/${other.id}`, { timezone: 'UTC' }, { headers: admin.headers }), 404, 'NOT_FOUND');
});

test('the service key can create, read and delete orgs', async () => {
  const svc = serviceHeaders();
  const res = await api.post('/api/admin/orgs', { name: uniqueName('Svc') }, { headers: svc });
  assert.equal(res.status, 201, res.text);
  assert.equal((await api.get(`/api/admin/orgs/${res.json.id}`, { headers: svc })).status, 200);
  assert.equal((await api.del(`/api/admin/orgs/${res.json.id}`, { headers: svc })).status, 200);
});

test('DELETE /api/admin/orgs/:orgId removes the org and all its data', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const agent = await userWithRole(org.id, 'agent');
  const key = await apiKeyFor(org.id);
  assert.equal((await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers })).status, 200);
  const counts = () => sql(`SELECT (SELECT COUNT(*) FROM org_members WHERE org_id = '${org.id}'),`
    + ` (SELECT COUNT(*) FROM api_keys WHERE org_id = '${org.id}'),`
    + ` (SELECT COUNT(*) FROM activity_log WHERE org_id = '${org.id}')`)[0].map(Number);
  const [m, k, a] = counts();
  assert.ok(m === 1 && k === 1 && a >= 3);

  const res = await api.del(`/api/admin/orgs/${org.id}`, { headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { success: true });
  assert.deepEqual(counts(), [0, 0, 0]);
  assert.equal(sql(`SELECT COUNT(*) FROM orgs WHERE id = '${org.id}'`)[0][0], '0');
  // the deletion itself is kept as a platform-level event
  const ev = sql(`SELECT COUNT(*) FROM activity_log WHERE org_id IS NULL AND type = 'org_deleted' AND description LIKE '%${q(org.id)}%'`);
  assert.equal(ev[0][0], '1');
  // the user still exists, the org is gone for everyone
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE id = '${agent.user.id}'`)[0][0], '1');
  assertError(assert, await api.get(`/api/admin/orgs/${org.id}`, { headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(`/api/orgs/${org.id}/activity`, { headers: agent.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(`/api/orgs/${org.id}/activity`, { headers: key.headers }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.del(`/api/admin/orgs/${org.id}`, { headers }), 404, 'NOT_FOUND');
  const orgs = (await api.get('/api/user/orgs', { headers: agent.headers })).json;
  assert.equal(orgs.total, 0);
});
