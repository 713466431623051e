// trust_password.test.mjs — wrong current passwords of POST /api/user/password
// are throttled with the login's counters (docs/authorization.md, "Login
// throttling"): a stolen access token cannot brute-force the password. Past
// login_max_failures for the account from one address, 429 + Retry-After,
// even with the right password, until the window passes; a success resets the
// count; a guess costs the same allowance whether made by login or by a
// password change; the owner from another address is never locked out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VAR, api, assertError, freshSource, sql, useSourceAddress } from './lib.mjs';
import { createUser, login, uniqueName } from './fixtures.mjs';
import { recordSecret } from './secret_log.mjs';

useSourceAddress('127.0.0.151');

function conf(key, dflt) {
  const m = readFileSync(`${VAR}/victorysync.conf`, 'utf8').match(new RegExp(`^${key}=(\\d+)`, 'm'));
  return m ? Number(m[1]) : dflt;
}
const MAX_FAILURES = conf('login_max_failures', 5);
const WINDOW = conf('login_window_seconds', 900);

const bearer = (t) => ({ authorization: `Bearer ${t}` });
const newPassword = () => { const p = `pw-${uniqueName('n')}`; recordSecret(p); return p; };
const change = (source, token, current, next) =>
  api.post('/api/user/password', { current_password: current, new_password: next }, { source, headers: bearer(token) });
const loginFrom = (source, email, password) => api.post('/api/auth/login', { email, password }, { source });
const counter = (kind, subject) => sql(`SELECT n FROM rate_counters WHERE kind = '${kind}' AND subject = '${subject}'`);

test('wrong current passwords: 400 up to login_max_failures, then 429 with Retry-After even for the right one', async () => {
  const u = await createUser();
  const s = await login(u.email, u.password); // from another address (fixtures' login sources)
  const thief = freshSource();
  for (let i = 0; i < MAX_FAILURES; i++) {
    const r = await change(thief, s.access_token, `wrong-${i}`, 'another-password-1');
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'current_password');
  }
  const refused = await change(thief, s.access_token, 'wrong-again', 'another-password-1');
  assertError(assert, refused, 429, 'RATE_LIMITED');
  const wait = refused.json.details.retry_after_seconds;
  assert.ok(wait >= 1 && wait <= WINDOW, `retry after ${wait}`);
  assert.equal(refused.headers['retry-after'], String(wait));
  // the right password is not evaluated either: still 429, and nothing changed
  assertError(assert, await change(thief, s.access_token, u.password, newPassword()), 429, 'RATE_LIMITED');
  assert.equal((await api.get('/api/user/profile', { source: thief, headers: bearer(s.access_token) })).status, 200,
    'the session was not ended: the password did not change');
  // the owner signing in from an address that did not fail is not slowed
  const owner = freshSource();
  assert.equal((await loginFrom(owner, u.email, u.password)).status, 200);
  // once the window has passed (moved back in the table) the right password works from there
  sql(`UPDATE rate_counters SET window_start = NOW(3) - INTERVAL ${WINDOW + 1} SECOND
       WHERE kind = 'pair' AND subject = '${u.email}\\n${thief}'`);
  const pw = newPassword();
  const ok = await change(thief, s.access_token, u.password, pw);
  assert.equal(ok.status, 200, ok.text);
  await login(u.email, pw);
});

test('a successful change resets the count like a login does', async () => {
  const u = await createUser();
  const s = await login(u.email, u.password);
  const from = freshSource();
  for (let i = 0; i < MAX_FAILURES - 1; i++)
    assert.equal((await change(from, s.access_token, `wrong-${i}`, 'another-password-1')).status, 400);
  assert.deepEqual(counter('pair', `${u.email}\\n${from}`), [[String(MAX_FAILURES - 1)]]);
  assert.deepEqual(counter('account', u.email), [[String(MAX_FAILURES - 1)]]);
  const pw = newPassword();
  const ok = await change(from, s.access_token, u.password, pw);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(counter('pair', `${u.email}\\n${from}`), [], 'the (account, address) counter is cleared');
  assert.deepEqual(counter('account', u.email), [], 'the account back-off is cleared');
  // a whole new allowance from that address (the old count would refuse the second attempt)
  for (let i = 0; i < MAX_FAILURES; i++)
    assert.equal((await change(from, ok.json.access_token, `wrong-${i}`, 'another-password-1')).status, 400);
  assertError(assert, await change(from, ok.json.access_token, pw, newPassword()), 429, 'RATE_LIMITED');
});

test('login and password change share one allowance per (account, address); no lockout from elsewhere', async () => {
  const u = await createUser();
  const s = await login(u.email, u.password);
  const thief = freshSource();
  // wrong logins and wrong current passwords from one address add up
  for (let i = 0; i < MAX_FAILURES - 1; i++)
    assert.equal((await loginFrom(thief, u.email, `wrong-${i}`)).status, 401);
  assert.equal((await change(thief, s.access_token, 'wrong-last', 'another-password-1')).status, 400);
  assertError(assert, await change(thief, s.access_token, u.password, newPassword()), 429, 'RATE_LIMITED');
  assertError(assert, await loginFrom(thief, u.email, u.password), 429, 'RATE_LIMITED');
  // failing password changes cannot lock the owner out: from an address that did
  // not fail, the login and the change both work at once
  const owner = freshSource();
  const again = await loginFrom(owner, u.email, u.password);
  assert.equal(again.status, 200, again.text);
  const pw = newPassword();
  const ok = await change(owner, again.json.access_token, u.password, pw);
  assert.equal(ok.status, 200, ok.text);
  // the thief's address stays refused for the account until its window passes
  assertError(assert, await loginFrom(thief, u.email, pw), 429, 'RATE_LIMITED');
});
