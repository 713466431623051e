// trust_low.test.mjs — the low items of the trust review: strict UTF-8 in
// query text (overlong forms, surrogates, > U+10FFFF → 400 naming the
// parameter), range-checked cursor keys, Supabase tokens only for
// aud/role "authenticated", and wrong service keys limited per address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VAR, api, assertError, useSourceAddress } from './lib.mjs';
import { createUser, newOrg, platformAdmin, serviceHeaders } from './fixtures.mjs';

useSourceAddress('127.0.0.65');

function conf(key, dflt) {
  const m = readFileSync(`${VAR}/victorysync.conf`, 'utf8').match(new RegExp(`^${key}=(\\d+)`, 'm'));
  return m ? Number(m[1]) : dflt;
}

test('strict UTF-8: overlong forms, surrogates and code points above U+10FFFF → 400 naming the parameter', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const base = `/api/orgs/${org.id}/contacts`;
  assert.equal((await api.get(`${base}?search=${encodeURIComponent('Zoë 🔑')}`, { headers })).status, 200);
  for (const bad of ['%C0%AF', '%E0%80%AF', '%F0%80%80%AF', '%ED%A0%80', '%ED%BF%BF', '%F4%90%80%80', '%F5%80%80%80', '%E2%82']) {
    const r = await api.get(`${base}?search=a${bad}b`, { headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'search', bad);
  }
});

test('cursor keys are range-checked: 9999-99-99 99:99:99 → 400 naming cursor', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const enc = (key) => Buffer.from(JSON.stringify([1, 'calls', key, randomUUID()])).toString('base64url');
  assert.equal((await api.get(`/api/orgs/${org.id}/calls?cursor=${enc('2024-02-29 23:59:59')}`, { headers })).status, 200);
  for (const key of ['9999-99-99 99:99:99', '2023-02-29 10:00:00', '2024-01-01 24:00:00', '2024-04-31 00:00:00.5']) {
    const r = await api.get(`/api/orgs/${org.id}/calls?cursor=${enc(key)}`, { headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'cursor', key);
  }
});

test('Supabase tokens: only aud/role "authenticated" (anon and service_role keys are refused)', async () => {
  const secret = readFileSync(`${VAR}/secrets/supabase_jwt_secret`, 'utf8').trim();
  const u = await createUser({ fullName: 'Supabase Aud' });
  const t = Math.floor(Date.now() / 1000);
  const sign = (payload) => {
    const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const claims = { sub: u.id, email: u.email, iat: t, exp: t + 600 };
  const get = (p) => api.get('/api/user/profile', { headers: { authorization: `Bearer ${sign(p)}` } });
  assert.equal((await get({ ...claims, aud: 'authenticated', role: 'authenticated' })).status, 200);
  for (const extra of [{}, { aud: 'authenticated', role: 'anon' }, { aud: 'authenticated', role: 'service_role' },
    { aud: 'other', role: 'authenticated' }, { role: 'authenticated' }]) {
    const r = await get({ ...claims, ...extra });
    assertError(assert, r, 401, 'UNAUTHORIZED');
    assert.equal(r.json.details.reason, 'wrong audience', JSON.stringify(extra));
  }
});

test('wrong service keys are limited per address: then 429 even for the right key there, other addresses unaffected', async () => {
  const max = conf('service_key_max_failures', 10);
  const src = '127.65.0.1';
  for (let i = 0; i < max; i++) {
    const r = await api.get('/api/admin/orgs', { headers: { 'x-service-key': `wrong-service-key-${i}-padding0` }, source: src });
    assertError(assert, r, 401, 'UNAUTHORIZED');
  }
  const blocked = await api.get('/api/admin/orgs', { headers: { 'x-service-key': 'wrong-service-key-last-padding' }, source: src });
  assertError(assert, blocked, 429, 'RATE_LIMITED');
  assert.ok(Number(blocked.headers['retry-after']) >= 1);
  const right = await api.get('/api/admin/orgs', { headers: serviceHeaders(), source: src });
  assertError(assert, right, 429, 'RATE_LIMITED');
  assert.equal((await api.get('/api/admin/orgs', { headers: serviceHeaders(), source: '127.65.0.2' })).status, 200);
});

test('onboarding with another tenant\'s org name: created with a slug of its own, nothing about the other org revealed', async () => {
  const { headers } = await platformAdmin();
  const taken = await newOrg(headers);
  const u = await createUser();
  const login = await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: '127.65.1.1' });
  const h = { authorization: `Bearer ${login.json.access_token}` };
  const r = await api.post('/api/user/onboard', { org_name: taken.name.toUpperCase() }, { headers: h });
  assert.equal(r.status, 201, r.text);
  assert.notEqual(r.json.id, taken.id);
  assert.notEqual(r.json.slug, taken.slug);
  assert.ok(r.json.slug.startsWith(`${taken.slug}-`), r.json.slug);
  assert.ok(!r.text.includes(taken.id), 'the other org is not named');
  assert.equal(r.json.role, 'org_admin');
});
