// account.test.mjs — issue 16 item 3: password change (the other sessions
// end: their refresh tokens and access tokens stop working) and password
// reset by a one-time link mailed through the stack's MTA, with the same
// answer whether or not the e-mail has an account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { createUser, login, uniqueName } from './fixtures.mjs';
import { linkToken, waitForMail } from './mailbox.mjs';
import { recordSecret } from './secret_log.mjs';

useSourceAddress('127.0.0.62');

const bearer = (t) => ({ authorization: `Bearer ${t}` });
const newPassword = () => { const p = `pw-${uniqueName('n')}`; recordSecret(p); return p; };

test('password change: a new session for the caller, every other session ends, the old password fails', async () => {
  const u = await createUser();
  const a = await login(u.email, u.password);
  const b = await login(u.email, u.password);
  const wrong = await api.post('/api/user/password', { current_password: 'not-the-password', new_password: 'whatever-123' },
    { headers: bearer(a.access_token) });
  assertError(assert, wrong, 400, 'BAD_REQUEST');
  assert.equal(wrong.json.details.field, 'current_password');
  const weak = await api.post('/api/user/password', { current_password: u.password, new_password: 'short' },
    { headers: bearer(a.access_token) });
  assertError(assert, weak, 400, 'BAD_REQUEST');
  assert.equal(weak.json.details.field, 'new_password');

  const pw = newPassword();
  const res = await api.post('/api/user/password', { current_password: u.password, new_password: pw },
    { headers: bearer(a.access_token) });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.user.id, u.id);
  // the other session: its refresh token and its access token are dead
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: b.refresh_token }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.get('/api/user/profile', { headers: bearer(b.access_token) }), 401, 'UNAUTHORIZED');
  // and so is the calling client's previous pair; the new one works
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: a.refresh_token }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.get('/api/user/profile', { headers: bearer(a.access_token) }), 401, 'UNAUTHORIZED');
  assert.equal((await api.get('/api/user/profile', { headers: bearer(res.json.access_token) })).status, 200);
  const rotated = await api.post('/api/auth/refresh', { refresh_token: res.json.refresh_token });
  assert.equal(rotated.status, 200, rotated.text);
  assertError(assert, await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: '127.0.0.63' }),
    401, 'UNAUTHORIZED');
  await login(u.email, pw);
});

test('reset request: the same answer whether or not the e-mail has an account; only the account gets a link', async () => {
  const u = await createUser();
  const unknown = `${uniqueName('nobody')}@example.test`;
  const a = await api.post('/api/auth/password-reset', { email: u.email });
  const b = await api.post('/api/auth/password-reset', { email: unknown });
  assert.equal(a.status, 202, a.text);
  assert.equal(b.status, a.status);
  assert.deepEqual(b.json, a.json);
  const msg = await waitForMail(u.email);
  assert.equal(msg.headers.subject, 'Reset your VictorySync password');
  recordSecret(linkToken(msg, 'reset'));
  assert.equal(Number(sql(`SELECT COUNT(*) FROM password_resets r JOIN users u ON u.id = r.user_id
    WHERE u.email = '${u.email}'`)[0][0]), 1);
  assertError(assert, await api.post('/api/auth/password-reset', { email: 'not an email' }), 400, 'BAD_REQUEST');
});

test('reset: the link sets a new password once, ends every session, and expires', async () => {
  const u = await createUser();
  const s = await login(u.email, u.password);
  await api.post('/api/auth/password-reset', { email: u.email });
  const token = linkToken(await waitForMail(u.email), 'reset');
  recordSecret(token);
  const weak = await api.post('/api/auth/password-reset/complete', { token, password: 'short' });
  assertError(assert, weak, 400, 'BAD_REQUEST');
  assert.equal(weak.json.details.field, 'password');
  const pw = newPassword();
  const ok = await api.post('/api/auth/password-reset/complete', { token, password: pw });
  assert.equal(ok.status, 200, ok.text);
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: s.refresh_token }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.get('/api/user/profile', { headers: bearer(s.access_token) }), 401, 'UNAUTHORIZED');
  await login(u.email, pw);
  const again = await api.post('/api/auth/password-reset/complete', { token, password: newPassword() });
  assertError(assert, again, 400, 'BAD_REQUEST');
  assert.equal(again.json.details.field, 'token');
  await login(u.email, pw);

  // an expired link
  await api.post('/api/auth/password-reset', { email: u.email });
  const late = linkToken(await waitForMail(u.email, 2), 'reset');
  recordSecret(late);
  sql(`UPDATE password_resets SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE user_id = '${u.id}' AND used_at IS NULL`);
  const expired = await api.post('/api/auth/password-reset/complete', { token: late, password: newPassword() });
  assertError(assert, expired, 400, 'BAD_REQUEST');
  assert.equal(expired.json.details.field, 'token');
  await login(u.email, pw);
});

test('a session begun in the same second as a reset works at once (its token counts from the restart)', async () => {
  const u = await createUser();
  // a reset or password change ends sessions up to the end of its second (sessions_valid_after = the next
  // second); set it ahead explicitly, so the login below always falls before it
  sql(`UPDATE users SET sessions_valid_after = NOW() + INTERVAL 3 SECOND WHERE id = '${u.id}'`);
  const s = await login(u.email, u.password);
  const me = await api.get('/api/user/profile', { headers: bearer(s.access_token) });
  assert.equal(me.status, 200, me.text);
  const next = await api.post('/api/auth/refresh', { refresh_token: s.refresh_token });
  assert.equal(next.status, 200, next.text);
  assert.equal((await api.get('/api/user/profile', { headers: bearer(next.json.access_token) })).status, 200);
});

test('a password change voids reset links issued before it', async () => {
  const u = await createUser();
  await api.post('/api/auth/password-reset', { email: u.email });
  const token = linkToken(await waitForMail(u.email), 'reset');
  recordSecret(token);
  const s = await login(u.email, u.password);
  const pw = newPassword();
  const ch = await api.post('/api/user/password', { current_password: u.password, new_password: pw }, { headers: bearer(s.access_token) });
  assert.equal(ch.status, 200, ch.text);
  const res = await api.post('/api/auth/password-reset/complete', { token, password: newPassword() });
  assertError(assert, res, 400, 'BAD_REQUEST');
  await login(u.email, pw);
});
