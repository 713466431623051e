// msg_numbers.test.mjs — SMS numbers settings: E.164 normalisation, labels,
// exactly one default per org, the per-number MightyCall key sealed at rest and
// never returned, bulk saves, access (agents read, org_admins write, other
// orgs 404).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.60');

const path = (org) => `/api/orgs/${org}/sms/numbers`;
const defaults = (org) => sql(`SELECT phone_number FROM sms_numbers WHERE org_id = '${org}' AND is_default = 1`).map((r) => r[0]);

test('POST creates a number in E.164; the first one is the default; keys are sealed and never returned', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const a = await api.post(path(org.id), { phone_number: '(202) 868-1663', label: 'Main Phone' }, { headers });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.phone_number, '+12028681663');
  assert.equal(a.json.label, 'Main Phone');
  assert.equal(a.json.is_default, true);
  assert.equal(a.json.has_mightycall_key, false);
  const key = `k-${randomUUID()}`;
  const b = await api.post(path(org.id), { phone_number: '202.780.3332', label: 'Editor', mightycall_key: key, is_default: false },
    { headers });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.is_default, false);
  assert.equal(b.json.has_mightycall_key, true);
  assert.ok(!b.text.includes(key), 'the key is never returned');
  assert.ok(!('mightycall_key' in b.json) && !('mightycall_key_enc' in b.json));
  const [[enc]] = sql(`SELECT mightycall_key_enc FROM sms_numbers WHERE id = '${b.json.id}'`);
  assert.match(enc, /^v1:/);
  assert.ok(!enc.includes(key), 'stored sealed');
  const list = await api.get(path(org.id), { headers });
  assert.equal(list.status, 200);
  assert.equal(list.json.total, 2);
  assert.deepEqual(list.json.data.map((n) => n.phone_number), ['+12028681663', '+12027803332'], 'default first');
  assert.ok(!list.text.includes(key));
  assert.deepEqual(defaults(org.id), ['+12028681663']);
});

test('exactly one default: setting another moves it, unsetting the only default is 409, deleting it promotes one', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const a = (await api.post(path(org.id), { phone_number: '+12125550101' }, { headers })).json;
  const b = (await api.post(path(org.id), { phone_number: '+12125550102', is_default: true }, { headers })).json;
  assert.equal(b.is_default, true);
  assert.deepEqual(defaults(org.id), ['+12125550102']);
  const un = await api.post(path(org.id), { phone_number: '+1 212 555 0102', is_default: false }, { headers });
  assertError(assert, un, 409, 'CONFLICT');
  assert.deepEqual(defaults(org.id), ['+12125550102']);
  // update by number: label only keeps the default
  const upd = await api.post(path(org.id), { phone_number: '212-555-0101', label: 'Renamed' }, { headers });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.json.id, a.id);
  assert.equal(upd.json.label, 'Renamed');
  assert.equal(upd.json.is_default, false);
  const del = await api.del(`${path(org.id)}/${b.id}`, { headers });
  assert.equal(del.status, 200, del.text);
  assert.deepEqual(defaults(org.id), ['+12125550101'], 'the remaining number became the default');
  const again = await api.del(`${path(org.id)}/${b.id}`, { headers });
  assertError(assert, again, 404, 'NOT_FOUND');
  assert.equal(again.json.details.resource, 'sms_number');
});

test('keys: set, keep when absent, remove with null', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const n = (await api.post(path(org.id), { phone_number: '+13125550111', mightycall_key: 'abc123def456' }, { headers })).json;
  assert.equal(n.has_mightycall_key, true);
  const keep = await api.post(path(org.id), { phone_number: '+13125550111', label: 'x' }, { headers });
  assert.equal(keep.json.has_mightycall_key, true);
  const legacy = await api.post(path(org.id), { phone_number: '+13125550111', mighty_call_key: null }, { headers });
  assert.equal(legacy.json.has_mightycall_key, false, 'seed 003 spelling accepted');
  assert.deepEqual(sql(`SELECT mightycall_key_enc IS NULL FROM sms_numbers WHERE id = '${n.id}'`), [['1']]);
});

test('bulk {numbers:[…]} saves all; a bad item is 400 naming it and nothing is saved', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const bad = await api.post(path(org.id), {
    numbers: [{ phone_number: '(202) 868-1663' }, { phone_number: '555-12' }],
  }, { headers });
  assertError(assert, bad, 400, 'BAD_REQUEST');
  assert.equal(bad.json.details.field, 'numbers[1].phone_number');
  assert.equal(sql(`SELECT COUNT(*) FROM sms_numbers WHERE org_id = '${org.id}'`)[0][0], '0');
  const dup = await api.post(path(org.id), { numbers: [{ phone_number: '2028681663' }, { phone_number: '+12028681663' }] },
    { headers });
  assertError(assert, dup, 400, 'BAD_REQUEST');
  assert.equal(dup.json.details.field, 'numbers[1].phone_number');
  const ok = await api.post(path(org.id), {
    numbers: [
      { phone_number: '(202) 868-1663', label: 'Main Phone', mighty_call_key: '60db9a3d9930', is_default: true },
      { phone_number: '(202) 780-3332', label: 'Editor Account', mighty_call_key: '3847a1cf2d34' },
      { phone_number: '(888) 656-7627', label: 'Dashboard Texting' },
    ],
  }, { headers });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.data.map((n) => [n.phone_number, n.is_default, n.has_mightycall_key]),
    [['+12028681663', true, true], ['+12027803332', false, true], ['+18886567627', false, false]]);
  assert.ok(!ok.text.includes('60db9a3d9930'));
});

test('bad input → 400 naming the field', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const cases = [
    [{}, 'phone_number'],
    [{ phone_number: 12125550100 }, 'phone_number'],
    [{ phone_number: '1-800-FLOWERS' }, 'phone_number'],
    [{ phone_number: '+1 212 555' }, 'phone_number'],
    [{ phone_number: '020 7123 4567' }, 'phone_number'],
    [{ phone_number: '+12125550100', label: 'x'.repeat(201) }, 'label'],
    [{ phone_number: '+12125550100', is_default: 'yes' }, 'is_default'],
    [{ phone_number: '+12125550100', mightycall_key: '' }, 'mightycall_key'],
    [{ phone_number: '+12125550100', mightycall_key: 'has space' }, 'mightycall_key'],
    [{ phone_number: '+12125550100', mightycall_key: 'k'.repeat(257) }, 'mightycall_key'],
    [{ numbers: [] }, 'numbers'],
    [{ numbers: 'x' }, 'numbers'],
  ];
  for (const [body, field] of cases) {
    const res = await api.post(path(org.id), body, { headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, JSON.stringify(body));
  }
  const bad = await api.post(path(org.id), { phone_number: '1-800-FLOWERS' }, { headers });
  assert.match(bad.json.error, /1-800-FLOWERS/, 'the message names the number');
  assert.equal(sql(`SELECT COUNT(*) FROM sms_numbers WHERE org_id = '${org.id}'`)[0][0], '0');
});

test('access: members read, only org_admins write; other orgs and foreign ids are 404', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const n = (await api.post(path(org.id), { phone_number: '+14155550123' }, { headers })).json;
  const agent = await userWithRole(org.id, 'agent');
  const manager = await userWithRole(org.id, 'manager');
  const admin = await userWithRole(org.id, 'org_admin');
  const outsider = await userWithRole(other.id, 'org_admin');
  assert.equal((await api.get(path(org.id), { headers: agent.headers })).status, 200);
  assertError(assert, await api.post(path(org.id), { phone_number: '+14155550124' }, { headers: agent.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.post(path(org.id), { phone_number: '+14155550124' }, { headers: manager.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.del(`${path(org.id)}/${n.id}`, { headers: manager.headers }), 403, 'FORBIDDEN');
  assert.equal((await api.post(path(org.id), { phone_number: '+14155550124' }, { headers: admin.headers })).status, 201);
  assertError(assert, await api.get(path(org.id), { headers: outsider.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.post(path(org.id), { phone_number: '+14155550125' }, { headers: outsider.headers }), 404, 'NOT_FOUND');
  // another org's number under your own org's path
  const foreign = await api.del(`${path(other.id)}/${n.id}`, { headers: outsider.headers });
  assertError(assert, foreign, 404, 'NOT_FOUND');
  assert.equal(foreign.json.details.resource, 'sms_number');
  assertError(assert, await api.del(`${path(org.id)}/not-a-uuid`, { headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(path(randomUUID()), { headers }), 404, 'NOT_FOUND');
  assert.equal(sql(`SELECT COUNT(*) FROM sms_numbers WHERE id = '${n.id}'`)[0][0], '1');
});
