// data_phone_numbers.test.mjs — GET /api/orgs/:orgId/phone-numbers (seed 004
// shape, status filter, call_count and last_call_at from the stored calls,
// order and cursor) and POST/DELETE …/phone-numbers/:phoneId/assign (members
// of the org only, roles, other orgs' numbers, activity log).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { createUser, userWithRole } from './fixtures.mjs';
import { allByCursor, dataOrg, insertCalls, insertPhones, isoSec, lit } from './data_helpers.mjs';

useSourceAddress('127.0.0.41');

let A; let B; let phones; let otherPhone;
const BASE = Date.UTC(2024, 4, 10, 12, 0, 0);

before(async () => {
  A = await dataOrg({ roles: ['agent', 'manager'] });
  B = await dataOrg({ roles: ['agent', 'manager'] });
  phones = insertPhones([
    { org_id: A.id, number: '+13125550002', label: 'Chicago', status: 'active', is_primary: 1 },
    { org_id: A.id, number: '+12125550001', label: 'New York', status: 'active', sms_enabled: 1 },
    { org_id: A.id, number: '+18005550003', label: 'Toll free', status: 'inactive', is_toll_free: 1 },
    { org_id: A.id, number: '+14155550004', label: 'San Francisco', status: 'active', assigned_user_id: A.manager.user.id, assigned_at: '2024-05-01 10:00:00' },
  ]);
  [otherPhone] = insertPhones([{ org_id: B.id, number: '+12125550001', label: 'B main' }]);
  insertCalls([
    ...Array.from({ length: 7 }, (_, i) => ({ org_id: A.id, business_number: '+12125550001', started_at: BASE + i * 60e3 })),
    ...Array.from({ length: 3 }, (_, i) => ({ org_id: A.id, business_number: '+13125550002', started_at: BASE - i * 3600e3, direction: 'outbound' })),
    { org_id: B.id, business_number: '+12125550001', started_at: BASE + 3600e3 },
  ]);
});

const list = (q = '', who = A.agent.headers) => api.get(`/api/orgs/${A.id}/phone-numbers${q}`, { headers: who });

test('list: seed 004 shape field by field, ordered by number, with call_count and last_call_at', async () => {
  const r = await list();
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 4);
  assert.deepEqual(r.json.data.map((p) => p.number), ['+12125550001', '+13125550002', '+14155550004', '+18005550003']);
  const ny = r.json.data[0];
  assert.equal(ny.id, phones[1].id);
  assert.equal(ny.status, 'active');
  assert.equal(ny.assigned_to_name, null);
  assert.equal(ny.assigned_to_user_id, null);
  assert.equal(ny.call_count, 7);
  assert.equal(ny.last_call_at, isoSec(BASE + 6 * 60e3));
  assert.match(ny.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ny.label, 'New York');
  assert.equal(ny.sms_enabled, true);
  const chi = r.json.data[1];
  assert.equal(chi.call_count, 3);
  assert.equal(chi.last_call_at, isoSec(BASE));
  assert.equal(chi.is_primary, true);
  const sf = r.json.data[2];
  assert.equal(sf.assigned_to_user_id, A.manager.user.id);
  assert.equal(sf.assigned_to_name, A.manager.user.full_name);
  assert.equal(sf.call_count, 0);
  assert.equal(sf.last_call_at, null);
  assert.equal(r.json.data[3].status, 'inactive');
  assert.equal(r.json.data[3].is_toll_free, true);
  for (const p of r.json.data) {
    for (const k of ['id', 'number', 'status', 'assigned_to_name', 'assigned_to_user_id', 'call_count', 'last_call_at', 'created_at']) {
      assert.ok(k in p, `${k} in ${JSON.stringify(p)}`);
    }
  }
});

test('status filter: active, inactive, unassigned (active and assigned to nobody)', async () => {
  const active = await list('?status=active');
  assert.deepEqual(active.json.data.map((p) => p.number), ['+12125550001', '+13125550002', '+14155550004']);
  assert.equal(active.json.total, 3);
  const inactive = await list('?status=inactive');
  assert.deepEqual(inactive.json.data.map((p) => p.number), ['+18005550003']);
  const unassigned = await list('?status=unassigned');
  assert.deepEqual(unassigned.json.data.map((p) => p.number), ['+12125550001', '+13125550002']);
  assert.equal(unassigned.json.total, 2);
  const bad = await list('?status=assigned');
  assertError(assert, bad, 400, 'BAD_REQUEST');
  assert.equal(bad.json.details.field, 'status');
});

test('paging by cursor and by skip gives the same order', async () => {
  const seen = await allByCursor(`/api/orgs/${A.id}/phone-numbers`, A.agent.headers, { limit: 1 });
  assert.deepEqual(seen.map((p) => p.number), ['+12125550001', '+13125550002', '+14155550004', '+18005550003']);
  const page2 = await list('?skip=2&limit=2');
  assert.deepEqual(page2.json.data.map((p) => p.number), ['+14155550004', '+18005550003']);
  assert.equal(page2.json.next_cursor, null);
});

test('assign to a member: seed 004 response, visible in the list, logged in the activity', async () => {
  const target = phones[0]; // Chicago
  const r = await api.post(`/api/orgs/${A.id}/phone-numbers/${target.id}/assign`, { user_id: A.agent.user.id }, { headers: A.manager.headers });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['assigned_at', 'assigned_to_name', 'assigned_to_user_id', 'id', 'number']);
  assert.equal(r.json.id, target.id);
  assert.equal(r.json.number, '+13125550002');
  assert.equal(r.json.assigned_to_user_id, A.agent.user.id);
  assert.equal(r.json.assigned_to_name, A.agent.user.full_name);
  assert.match(r.json.assigned_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const l = await list();
  const p = l.json.data.find((x) => x.id === target.id);
  assert.equal(p.assigned_to_user_id, A.agent.user.id);
  assert.equal(p.assigned_to_name, A.agent.user.full_name);
  const unassigned = await list('?status=unassigned');
  assert.ok(!unassigned.json.data.some((x) => x.id === target.id));
  const act = sql(`SELECT type, description FROM activity_log WHERE org_id = ${lit(A.id)} AND type = 'phone_number_assigned'`);
  assert.ok(act.some(([, d]) => d.includes('+13125550002')), JSON.stringify(act));
  // reassigning to someone else is allowed (an org_admin/manager decision)
  const again = await api.post(`/api/orgs/${A.id}/phone-numbers/${target.id}/assign`, { user_id: A.manager.user.id }, { headers: A.admin.headers });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.assigned_to_user_id, A.manager.user.id);
});

test('unassign: seed 004 response, idempotent, logged', async () => {
  const target = phones[3]; // San Francisco, assigned to the manager
  const r = await api.del(`/api/orgs/${A.id}/phone-numbers/${target.id}/assign`, { headers: A.manager.headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, target.id);
  assert.equal(r.json.number, '+14155550004');
  assert.equal(r.json.assigned_to_user_id, null);
  assert.match(r.json.unassigned_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const l = await list('?status=unassigned');
  assert.ok(l.json.data.some((x) => x.id === target.id));
  const twice = await api.del(`/api/orgs/${A.id}/phone-numbers/${target.id}/assign`, { headers: A.manager.headers });
  assert.equal(twice.status, 200);
  const n = sql(`SELECT COUNT(*) FROM activity_log WHERE org_id = ${lit(A.id)} AND type = 'phone_number_unassigned'`)[0][0];
  assert.ok(Number(n) >= 1);
});

test('assign only to a member of this org: others are 400 naming user_id; bad bodies are 400', async () => {
  const url = `/api/orgs/${A.id}/phone-numbers/${phones[1].id}/assign`;
  const stranger = await createUser({ fullName: 'Not a member' });
  for (const body of [
    { user_id: stranger.id },        // exists, member of no org
    { user_id: B.agent.user.id },    // member of another org
    { user_id: randomUUID() },       // nobody
  ]) {
    const r = await api.post(url, body, { headers: A.manager.headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'user_id', r.text);
  }
  for (const body of [{}, { user_id: 'me' }, { user_id: 42 }]) {
    const r = await api.post(url, body, { headers: A.manager.headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'user_id');
  }
  const notJson = await api.post(url, undefined, { headers: { ...A.manager.headers, 'content-type': 'application/json' }, body: '{oops' });
  assertError(assert, notJson, 400, 'BAD_REQUEST');
  const still = await list();
  assert.equal(still.json.data.find((x) => x.id === phones[1].id).assigned_to_user_id, null);
});

test('numbers of another org, unknown and malformed ids are 404; roles: agent and API key 403', async () => {
  for (const id of [otherPhone.id, randomUUID(), 'not-a-uuid']) {
    const r = await api.post(`/api/orgs/${A.id}/phone-numbers/${id}/assign`, { user_id: A.agent.user.id }, { headers: A.manager.headers });
    assertError(assert, r, 404, 'NOT_FOUND');
    assert.notEqual(r.json.details.resource, 'organization');
    const d = await api.del(`/api/orgs/${A.id}/phone-numbers/${id}/assign`, { headers: A.manager.headers });
    assertError(assert, d, 404, 'NOT_FOUND');
  }
  const otherRow = sql(`SELECT assigned_user_id FROM phone_numbers WHERE id = ${lit(otherPhone.id)}`)[0][0];
  assert.equal(otherRow, 'NULL');
  const url = `/api/orgs/${A.id}/phone-numbers/${phones[1].id}/assign`;
  assertError(assert, await api.post(url, { user_id: A.agent.user.id }, { headers: A.agent.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.post(url, { user_id: A.agent.user.id }, { headers: A.key.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.del(url, { headers: A.agent.headers }), 403, 'FORBIDDEN');
  // a manager of another org does not even see this org
  const r = await api.post(url, { user_id: B.agent.user.id }, { headers: B.manager.headers });
  assertError(assert, r, 404, 'NOT_FOUND');
  assert.equal(r.json.details.resource, 'organization');
  const otherList = await api.get(`/api/orgs/${A.id}/phone-numbers`, { headers: B.agent.headers });
  assertError(assert, otherList, 404, 'NOT_FOUND');
  // an org_admin made later can assign too
  const orgAdmin = await userWithRole(A.id, 'org_admin');
  const ok = await api.post(url, { user_id: orgAdmin.user.id }, { headers: orgAdmin.headers });
  assert.equal(ok.status, 200, ok.text);
});
