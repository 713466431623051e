// trust_sessions.test.mjs — logout and refresh-family revocation end that
// session's access tokens on their next request (the token's "sid" is the
// refresh-token family; the who-you-are statement reads the family's state,
// no extra round trip), while other sessions of the same user go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, useSourceAddress } from './lib.mjs';
import { createUser, login } from './fixtures.mjs';

useSourceAddress('127.0.0.68');

const bearer = (t) => ({ authorization: `Bearer ${t}` });
const profile = (t) => api.get('/api/user/profile', { headers: bearer(t) });
const claims = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString('utf8'));

test('logout ends that session\'s access token at once; another session of the user goes on', async () => {
  const u = await createUser();
  const a = await login(u.email, u.password);
  const b = await login(u.email, u.password);
  assert.match(claims(a.access_token).sid, /^[0-9a-f-]{36}$/, 'the access token names its session');
  assert.notEqual(claims(a.access_token).sid, claims(b.access_token).sid);
  assert.equal((await profile(a.access_token)).status, 200);
  const out = await api.post('/api/auth/logout', { refresh_token: a.refresh_token });
  assert.equal(out.status, 200, out.text);
  const after = await profile(a.access_token);
  assertError(assert, after, 401, 'UNAUTHORIZED');
  assert.equal(after.json.details.reason, 'session ended');
  assert.equal((await profile(b.access_token)).status, 200, 'the other session is untouched');
});

test('a refresh keeps the session; replaying a used refresh token revokes the family and ends its access tokens', async () => {
  const u = await createUser();
  const s = await login(u.email, u.password);
  const r1 = await api.post('/api/auth/refresh', { refresh_token: s.refresh_token });
  assert.equal(r1.status, 200, r1.text);
  assert.equal(claims(r1.json.access_token).sid, claims(s.access_token).sid, 'same session');
  // both access tokens of the live session work
  assert.equal((await profile(s.access_token)).status, 200);
  assert.equal((await profile(r1.json.access_token)).status, 200);
  // replay of the rotated token: theft detected, the family is revoked
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: s.refresh_token }), 401, 'UNAUTHORIZED');
  for (const t of [s.access_token, r1.json.access_token]) {
    const r = await profile(t);
    assertError(assert, r, 401, 'UNAUTHORIZED');
    assert.equal(r.json.details.reason, 'session ended');
  }
  // signing in again is a new session
  const again = await login(u.email, u.password);
  assert.equal((await profile(again.access_token)).status, 200);
});
