// auth.test.mjs — password login, refresh-token rotation and logout, login
// throttling (429 + Retry-After, per account and per IP), bearer-token
// attacks (alg none, other algorithms, bad signature, expired, not yet valid,
// missing sub, unknown user), Supabase-signed tokens, API key / service key
// authentication failures, and headers that must never be identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VAR, api, assertError, sql, useSourceAddress } from './lib.mjs';
import {
  apiKeyFor, createUser, login, newOrg, platformAdmin, serviceHeaders, userWithRole,
} from './fixtures.mjs';

useSourceAddress('127.0.0.20');

const JWT_SECRET = readFileSync(`${VAR}/secrets/jwt_secret`, 'utf8').trim();
const SUPABASE_SECRET = readFileSync(`${VAR}/secrets/supabase_jwt_secret`, 'utf8').trim();
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** header.payload.signature, HMAC-SHA256 (or another digest) with key. */
function jwt(header, payload, key = JWT_SECRET, digest = 'sha256') {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(digest, key).update(input).digest('base64url')}`;
}
const bearer = (t) => ({ authorization: `Bearer ${t}` });
const HS256 = { alg: 'HS256', typ: 'JWT' };

// Failed logins go out from addresses of their own (127.6.x.y): the per-IP
// throttle must never touch another test's address.
function failSource() {
  const r = randomBytes(2);
  return `127.6.${r[0]}.${(r[1] % 254) + 1}`;
}
function conf(key, dflt) {
  const m = readFileSync(`${VAR}/victorysync.conf`, 'utf8').match(new RegExp(`^${key}=(\\d+)`, 'm'));
  return m ? Number(m[1]) : dflt;
}
const MAX_FAILURES = conf('login_max_failures', 5);
const WINDOW = conf('login_window_seconds', 900);
const IP_MAX_FAILURES = conf('login_ip_max_failures', 30);

function assertKeys(obj, keys, what) {
  assert.deepEqual(Object.keys(obj).sort(), [...keys].sort(), `${what} has exactly ${keys.join(', ')}`);
}
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('login returns the seed 004 session shape with a working HS256 token', async () => {
  const u = await createUser({ fullName: 'Login Shape' });
  const res = await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: failSource() });
  assert.equal(res.status, 200, res.text);
  assertKeys(res.json, ['access_token', 'token_type', 'expires_in', 'refresh_token', 'user'], 'session');
  assert.equal(res.json.token_type, 'bearer');
  assert.ok(Number.isInteger(res.json.expires_in) && res.json.expires_in > 0);
  assert.match(res.json.refresh_token, /^vsr_[A-Za-z0-9_-]{43}$/);
  const user = res.json.user;
  assertKeys(user, ['id', 'email', 'full_name', 'global_role', 'created_at'], 'user');
  assert.equal(user.id, u.id);
  assert.equal(user.email, u.email);
  assert.equal(user.full_name, 'Login Shape');
  assert.equal(user.global_role, 'user');
  assert.match(user.created_at, ISO);

  const [h, p] = res.json.access_token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), { alg: 'HS256', typ: 'JWT' });
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  assert.equal(claims.sub, u.id);
  assert.equal(claims.email, u.email);
  assert.equal(claims.exp - claims.iat, res.json.expires_in);
  // signed with the configured secret (never a secret of the code)
  assert.equal(jwt(HS256, claims).split('.')[2], res.json.access_token.split('.')[2]);

  const me = await api.get('/api/user/profile', { headers: bearer(res.json.access_token) });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.id, u.id);
});

test('login: email is case-insensitive; wrong password and unknown user get the same 401', async () => {
  const u = await createUser({ email: `Mixed.Case.${randomUUID()}@Example.TEST` });
  assert.match(u.email, /^mixed\.case\./);
  const ok = await api.post('/api/auth/login', { email: u.email.toUpperCase(), password: u.password }, { source: failSource() });
  assert.equal(ok.status, 200, ok.text);

  const wrong = await api.post('/api/auth/login', { email: u.email, password: `${u.password}x` }, { source: failSource() });
  assertError(assert, wrong, 401, 'UNAUTHORIZED');
  const unknown = await api.post('/api/auth/login', { email: `nobody-${randomUUID()}@example.test`, password: u.password },
    { source: failSource() });
  assertError(assert, unknown, 401, 'UNAUTHORIZED');
  assert.deepEqual(unknown.json, wrong.json, 'no hint whether the account exists');
});

test('login validates its input: 400 naming the field, malformed JSON named', async () => {
  const s = failSource();
  const cases = [
    [{ password: 'whatever-123' }, 'email'],
    [{ email: 'not-an-email', password: 'whatever-123' }, 'email'],
    [{ email: 42, password: 'whatever-123' }, 'email'],
    [{ email: 'a@example.test' }, 'password'],
    [{ email: 'a@example.test', password: ['x'] }, 'password'],
    [{ email: 'a@example.test', password: 'x'.repeat(257) }, 'password'],
  ];
  for (const [body, field] of cases) {
    const res = await api.post('/api/auth/login', body, { source: s });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, JSON.stringify(body));
  }
  const bad = await api.post('/api/auth/login', undefined, {
    body: '{"email": "a@example.test", "password": ', headers: { 'content-type': 'application/json' }, source: s,
  });
  assertError(assert, bad, 400, 'BAD_REQUEST');
  assert.match(bad.json.error, /malformed JSON/);
  assert.ok(bad.json.details.reason);
  const arr = await api.post('/api/auth/login', [1, 2], { source: s });
  assertError(assert, arr, 400, 'BAD_REQUEST');
});

test('refresh rotates the token; a replayed token revokes the whole family', async () => {
  const u = await createUser();
  const s1 = await login(u.email, u.password);
  const r1 = await api.post('/api/auth/refresh', { refresh_token: s1.refresh_token });
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r1.json.token_type, 'bearer');
  assert.equal(r1.json.user.id, u.id);
  assert.notEqual(r1.json.refresh_token, s1.refresh_token, 'rotated');
  assert.equal((await api.get('/api/user/profile', { headers: bearer(r1.json.access_token) })).status, 200);

  // stored only as a SHA-256 hash
  const hash = createHash('sha256').update(r1.json.refresh_token).digest('hex');
  assert.equal(sql(`SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = '${hash}'`)[0][0], '1');
  const clear = sql(`SELECT COUNT(*) FROM refresh_tokens WHERE CONCAT_WS('|', id, user_id, family_id, token_hash) LIKE '%${r1.json.refresh_token.slice(4)}%'`);
  assert.equal(clear[0][0], '0');

  // the successor works once...
  const r2 = await api.post('/api/auth/refresh', { refresh_token: r1.json.refresh_token });
  assert.equal(r2.status, 200, r2.text);
  // ...replaying an already used token is refused and ends the session family
  const replay = await api.post('/api/auth/refresh', { refresh_token: s1.refresh_token });
  assertError(assert, replay, 401, 'UNAUTHORIZED');
  const after = await api.post('/api/auth/refresh', { refresh_token: r2.json.refresh_token });
  assertError(assert, after, 401, 'UNAUTHORIZED');

  // another login is another family, unaffected
  const s2 = await login(u.email, u.password);
  assert.equal((await api.post('/api/auth/refresh', { refresh_token: s2.refresh_token })).status, 200);
});

test('refresh: unknown or malformed tokens 401, missing field 400; logout revokes', async () => {
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: `vsr_${randomBytes(32).toString('base64url')}` }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: "' OR 1=1 --" }), 401, 'UNAUTHORIZED');
  const missing = await api.post('/api/auth/refresh', {});
  assertError(assert, missing, 400, 'BAD_REQUEST');
  assert.equal(missing.json.details.field, 'refresh_token');

  const u = await createUser();
  const s = await login(u.email, u.password);
  const out = await api.post('/api/auth/logout', { refresh_token: s.refresh_token });
  assert.equal(out.status, 200, out.text);
  assert.deepEqual(out.json, { success: true });
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: s.refresh_token }), 401, 'UNAUTHORIZED');
});

test('failed logins are throttled per (account, address): 429 + Retry-After there, the owner elsewhere gets in', async () => {
  const u = await createUser();
  const attacker = failSource();
  const statuses = [];
  for (let i = 0; i < MAX_FAILURES; i++) {
    const r = await api.post('/api/auth/login', { email: u.email, password: 'wrong-password' }, { source: attacker });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, Array(MAX_FAILURES).fill(401));
  // the pair is throttled, even with the right password
  const blocked = await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: attacker });
  assertError(assert, blocked, 429, 'RATE_LIMITED');
  const retry = Number(blocked.headers['retry-after']);
  assert.ok(retry >= 1 && retry <= WINDOW, `Retry-After ${blocked.headers['retry-after']}`);
  assert.equal(blocked.json.details.retry_after_seconds, retry);
  // no lockout: the owner from an address that did not fail gets in
  assert.equal((await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: failSource() })).status, 200);

  // another account from the same address is not affected by the pair
  const v = await createUser();
  assert.equal((await api.post('/api/auth/login', { email: v.email, password: v.password }, { source: attacker })).status, 200);
  // the throttle counts unknown accounts too (no account enumeration)
  const ghost = `ghost-${randomUUID()}@example.test`;
  const g = failSource();
  for (let i = 0; i < MAX_FAILURES; i++) {
    await api.post('/api/auth/login', { email: ghost, password: 'wrong-password' }, { source: g });
  }
  assertError(assert, await api.post('/api/auth/login', { email: ghost, password: 'x-password' }, { source: g }), 429, 'RATE_LIMITED');
});

test('failed logins are throttled per address across accounts', async () => {
  const ip = failSource();
  for (let i = 0; i < IP_MAX_FAILURES; i++) {
    const r = await api.post('/api/auth/login', { email: `spray-${randomUUID()}@example.test`, password: 'wrong-password' }, { source: ip });
    assert.equal(r.status, 401, r.text);
  }
  const u = await createUser();
  const blocked = await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: ip });
  assertError(assert, blocked, 429, 'RATE_LIMITED');
  assert.ok(Number(blocked.headers['retry-after']) >= 1);
  // the same user from another address is fine, and success clears nothing for the address
  assert.equal((await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: failSource() })).status, 200);
  assert.equal((await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: ip })).status, 429);
});

test('a successful login resets the (account, address) counter', async () => {
  const u = await createUser();
  const s = failSource();
  for (let i = 0; i < MAX_FAILURES - 1; i++) {
    assert.equal((await api.post('/api/auth/login', { email: u.email, password: 'wrong-password' }, { source: s })).status, 401);
  }
  assert.equal((await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: s })).status, 200);
  for (let i = 0; i < MAX_FAILURES - 1; i++) {
    assert.equal((await api.post('/api/auth/login', { email: u.email, password: 'wrong-password' }, { source: s })).status, 401);
  }
  assert.equal((await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: s })).status, 200);
});

test('bearer token attacks are all 401', async () => {
  const u = await createUser();
  const admin = await platformAdmin();
  const t = now();
  const good = { sub: u.id, email: u.email, iat: t, exp: t + 600 };
  // sanity: a token we build the same way is accepted
  assert.equal((await api.get('/api/user/profile', { headers: bearer(jwt(HS256, good)) })).status, 200);

  const valid = jwt(HS256, good);
  const [vh, vp, vs] = valid.split('.');
  const attacks = {
    'alg none, no signature': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good)}.`,
    'alg none, kept signature': `${b64({ alg: 'none', typ: 'JWT' })}.${vp}.${vs}`,
    'alg "None"': `${b64({ alg: 'None' })}.${b64(good)}.`,
    'HS512 with the right secret': jwt({ alg: 'HS512', typ: 'JWT' }, good, JWT_SECRET, 'sha512'),
    'HS384 with the right secret': jwt({ alg: 'HS384', typ: 'JWT' }, good, JWT_SECRET, 'sha384'),
    'RS256 header, HMAC signature (key confusion)': jwt({ alg: 'RS256', typ: 'JWT' }, good),
    'no alg': jwt({ typ: 'JWT' }, good),
    'bad signature': `${vh}.${vp}.${vs.slice(0, -2)}${vs.endsWith('AA') ? 'BA' : 'AA'}`,
    'payload swapped to the admin': `${vh}.${b64({ ...good, sub: admin.user.id })}.${vs}`,
    'wrong secret': jwt(HS256, good, 'not-the-secret-not-the-secret-000'),
    'expired': jwt(HS256, { ...good, iat: t - 7200, exp: t - 3600 }),
    'nbf in the future': jwt(HS256, { ...good, nbf: t + 3600 }),
    'iat in the future': jwt(HS256, { ...good, iat: t + 3600, exp: t + 7200 }),
    'no exp': jwt(HS256, { sub: u.id, email: u.email, iat: t }),
    'missing sub': jwt(HS256, { email: u.email, iat: t, exp: t + 600 }),
    'empty sub': jwt(HS256, { ...good, sub: '' }),
    'sub not a uuid': jwt(HS256, { ...good, sub: "1' OR '1'='1" }),
    'unknown user': jwt(HS256, { ...good, sub: randomUUID() }),
    'two segments': `${vh}.${vp}`,
    'garbage': 'not-a-token',
  };
  for (const [name, token] of Object.entries(attacks)) {
    const res = await api.get('/api/user/profile', { headers: bearer(token) });
    assertError(assert, res, 401, 'UNAUTHORIZED');
    assert.match(res.headers['www-authenticate'] ?? '', /^Bearer/, name);
  }
  // not a Bearer scheme
  for (const h of [valid, `Basic ${valid}`, `Token ${valid}`, 'Bearer ']) {
    const res = await api.get('/api/user/profile', { headers: { authorization: h } });
    assert.equal(res.status, 401, `Authorization: ${h.slice(0, 20)}… → ${res.status}`);
  }
  // the scheme itself is case-insensitive
  assert.equal((await api.get('/api/user/profile', { headers: { authorization: `bearer ${valid}` } })).status, 200);
});

test('Supabase-signed tokens are accepted for known users, refused for unknown ones', async () => {
  const u = await createUser({ fullName: 'Supabase User' });
  const t = now();
  const supa = {
    aud: 'authenticated', exp: t + 600, iat: t, iss: 'https://project.supabase.co/auth/v1', sub: u.id,
    email: u.email, phone: '', app_metadata: { provider: 'email' }, user_metadata: {}, role: 'authenticated',
    aal: 'aal1', session_id: randomUUID(),
  };
  const ok = await api.get('/api/user/profile', { headers: bearer(jwt(HS256, supa, SUPABASE_SECRET)) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.id, u.id);
  const unknown = await api.get('/api/user/profile', { headers: bearer(jwt(HS256, { ...supa, sub: randomUUID() }, SUPABASE_SECRET)) });
  assertError(assert, unknown, 401, 'UNAUTHORIZED');
  const expired = await api.get('/api/user/profile', { headers: bearer(jwt(HS256, { ...supa, exp: t - 100, iat: t - 1000 }, SUPABASE_SECRET)) });
  assertError(assert, expired, 401, 'UNAUTHORIZED');
  const other = await api.get('/api/user/profile', { headers: bearer(jwt({ alg: 'HS512' }, supa, SUPABASE_SECRET, 'sha512')) });
  assertError(assert, other, 401, 'UNAUTHORIZED');
});

test('invalid API keys and service keys are 401; a valid service key works', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  const key = await apiKeyFor(org.id);
  const path = `/api/orgs/${org.id}/activity`;
  assert.equal((await api.get(path, { headers: key.headers })).status, 200);
  const mangled = key.key.slice(0, -1) + (key.key.endsWith('A') ? 'B' : 'A');
  for (const k of [mangled, 'vs_live_short', `${key.key}x`, "' OR 1=1 --", `vs_live_${randomBytes(32).toString('base64url')}`]) {
    assertError(assert, await api.get(path, { headers: { 'x-api-key': k } }), 401, 'UNAUTHORIZED');
  }
  const svc = serviceHeaders();
  assert.equal((await api.get('/api/admin/orgs', { headers: svc })).status, 200);
  for (const k of [`${svc['x-service-key']}0`, svc['x-service-key'].slice(1), 'service', svc['x-service-key'].toUpperCase()]) {
    assertError(assert, await api.get('/api/admin/orgs', { headers: { 'x-service-key': k } }), 401, 'UNAUTHORIZED');
  }
});

test('x-user-id and similar headers are never identity', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  const agent = await userWithRole(org.id, 'agent');
  const spoof = { 'x-user-id': admin.user.id, 'x-org-id': org.id, 'x-role': 'platform_admin', 'x-forwarded-user': admin.user.email };
  assertError(assert, await api.get('/api/admin/orgs', { headers: spoof }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.get('/api/admin/orgs', { headers: { ...agent.headers, ...spoof } }), 403, 'FORBIDDEN');
  const me = await api.get('/api/user/profile', { headers: { ...agent.headers, ...spoof } });
  assert.equal(me.json.id, agent.user.id);
});

test('no credentials → 401 with WWW-Authenticate on every protected route family', async () => {
  for (const p of ['/api/user/profile', '/api/admin/orgs', `/api/orgs/${randomUUID()}/activity`]) {
    const res = await api.get(p);
    assertError(assert, res, 401, 'UNAUTHORIZED');
    assert.match(res.headers['www-authenticate'], /^Bearer/);
  }
});

test('a login is recorded as user_login in the member\'s orgs', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  const m = await userWithRole(org.id, 'agent'); // userWithRole logs in once
  const rows = sql(`SELECT COUNT(*) FROM activity_log WHERE org_id = '${org.id}' AND type = 'user_login' AND user_id = '${m.user.id}'`);
  assert.equal(rows[0][0], '1');
});
