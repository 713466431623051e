// trust_login.test.mjs — login throttling without lockout (docs/authorization.md,
// "Login throttling"): an attacker flooding wrong passwords from one loopback
// address does not keep the owner out from another; parallel wrong passwords
// are counted atomically (at most login_max_failures evaluated); the
// per-account back-off slows only addresses that failed for the account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VAR, api, assertError, sql, useSourceAddress } from './lib.mjs';
import { createUser } from './fixtures.mjs';

useSourceAddress('127.0.0.61');

function conf(key, dflt) {
  const m = readFileSync(`${VAR}/victorysync.conf`, 'utf8').match(new RegExp(`^${key}=(\\d+)`, 'm'));
  return m ? Number(m[1]) : dflt;
}
const MAX_FAILURES = conf('login_max_failures', 5);
const BACKOFF_MAX = conf('login_backoff_max_seconds', 60);
// addresses of this file only (127.61.x.y): the per-address counters of one
// test never touch another test's address
const src = () => { const r = randomBytes(2); return `127.61.${r[0]}.${(r[1] % 254) + 1}`; };
const loginFrom = (source, email, password) => api.post('/api/auth/login', { email, password }, { source });

test('flood of wrong passwords from one address, then the right one from another: the owner gets in', async () => {
  const u = await createUser();
  const attacker = src();
  const owner = src();
  const flood = [];
  for (let i = 0; i < MAX_FAILURES + 5; i++) flood.push((await loginFrom(attacker, u.email, 'wrong-password')).status);
  assert.deepEqual(flood.slice(0, MAX_FAILURES), Array(MAX_FAILURES).fill(401));
  assert.deepEqual(flood.slice(MAX_FAILURES), Array(5).fill(429), 'the attacking pair is throttled');
  // the right password from an address that did not fail
  const ok = await loginFrom(owner, u.email, u.password);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.user.email, u.email);
  // the attacker's address stays throttled, even with the right password
  assertError(assert, await loginFrom(attacker, u.email, u.password), 429, 'RATE_LIMITED');
  // and again while the flood goes on
  assert.equal((await loginFrom(attacker, u.email, 'wrong-password')).status, 429);
  assert.equal((await loginFrom(owner, u.email, u.password)).status, 200);
});

test('30 parallel wrong passwords for one account from one address: at most login_max_failures evaluated', async () => {
  const u = await createUser();
  const attacker = src();
  const answers = await Promise.all(Array.from({ length: 30 }, () => loginFrom(attacker, u.email, 'wrong-password')));
  const evaluated = answers.filter((r) => r.status === 401).length;
  const refused = answers.filter((r) => r.status === 429).length;
  assert.equal(evaluated + refused, 30, answers.map((r) => r.status).join(','));
  assert.ok(evaluated >= 1 && evaluated <= MAX_FAILURES, `${evaluated} evaluated (allowed ${MAX_FAILURES})`);
  for (const r of answers.filter((x) => x.status === 429)) assert.equal(r.json.code, 'RATE_LIMITED');
  // the counter saw every attempt; the owner elsewhere still gets in
  const [[rowN]] = sql(`SELECT n FROM rate_counters WHERE kind = 'pair' AND subject = '${u.email}\\n${attacker}'`);
  assert.equal(Number(rowN), 30);
  assert.equal((await loginFrom(src(), u.email, u.password)).status, 200);
});

test('per-account back-off: an address that failed waits after many failures; a fresh address does not', async () => {
  const u = await createUser();
  const spread = [];
  // failures from many addresses (one each): the account passes the threshold
  const n = MAX_FAILURES + 6;
  for (let i = 0; i < n; i++) {
    const s = src();
    spread.push(s);
    assert.equal((await loginFrom(s, u.email, 'wrong-password')).status, 401);
  }
  const [[acctN]] = sql(`SELECT n FROM rate_counters WHERE kind = 'account' AND subject = '${u.email}'`);
  assert.equal(Number(acctN), n);
  // an address that failed retries at once (its last failure is "now"): it waits
  sql(`UPDATE rate_counters SET last_fail_at = NOW(3) WHERE kind = 'pair' AND subject = '${u.email}\\n${spread[0]}'`);
  const slowed = await loginFrom(spread[0], u.email, u.password);
  assertError(assert, slowed, 429, 'RATE_LIMITED');
  const wait = slowed.json.details.retry_after_seconds;
  assert.ok(wait >= 1 && wait <= BACKOFF_MAX, `back-off ${wait}`);
  // the refusal did not use up that pair's allowance
  const [[pairN]] = sql(`SELECT n FROM rate_counters WHERE kind = 'pair' AND subject = '${u.email}\\n${spread[0]}'`);
  assert.equal(Number(pairN), 1);
  // once the back-off has passed (moved back in the table) the owner's right password works there
  sql(`UPDATE rate_counters SET last_fail_at = NOW(3) - INTERVAL ${BACKOFF_MAX + 1} SECOND WHERE kind = 'pair' AND subject = '${u.email}\\n${spread[0]}'`);
  assert.equal((await loginFrom(spread[0], u.email, u.password)).status, 200);
  // success cleared the account's back-off
  assert.deepEqual(sql(`SELECT n FROM rate_counters WHERE kind = 'account' AND subject = '${u.email}'`), []);
});

test('the per-address limit: after login_ip_max_failures failures any account from it gets 429, others are unaffected', async () => {
  const IP_MAX = conf('login_ip_max_failures', 30);
  const ip = src();
  for (let i = 0; i < IP_MAX; i++) {
    const u = `spray-${randomBytes(6).toString('hex')}@example.test`;
    assert.equal((await loginFrom(ip, u, 'wrong-password')).status, 401);
  }
  const v = await createUser();
  assertError(assert, await loginFrom(ip, v.email, v.password), 429, 'RATE_LIMITED');
  assert.equal((await loginFrom(src(), v.email, v.password)).status, 200);
  // the refused attempt did not count against v's pair at that address
  const [[pairN]] = sql(`SELECT n FROM rate_counters WHERE kind = 'pair' AND subject = '${v.email}\\n${ip}'`);
  assert.equal(Number(pairN), 0);
});
