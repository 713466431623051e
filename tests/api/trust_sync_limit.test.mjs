// trust_sync_limit.test.mjs — the sync-trigger limit (sync_triggers_per_minute
// per org) is counted by the workers after authentication, on the lowercased
// org id: anonymous callers and other orgs' users cannot use up an org's
// budget, and changing the letter case of orgId does not dodge it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VAR, api, assertError, freshSource, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.67');

const conf = (key, dflt) => {
  const m = readFileSync(`${VAR}/victorysync.conf`, 'utf8').match(new RegExp(`^${key}=(\\d+)`, 'm'));
  return m ? Number(m[1]) : dflt;
};
const LIMIT = conf('sync_triggers_per_minute', 10);
const trigger = (orgId, headers, source) => api.post(`/api/mightycall/sync/calls?orgId=${orgId}`, undefined, { headers, source });
// admitted: past the limit (202 queued, or 409 for an org without an integration)
const admitted = (r) => r.status === 202 || r.status === 409;

test('anonymous callers and other orgs cannot use up an org\'s trigger budget', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const manager = await userWithRole(org.id, 'manager');
  const outsider = await userWithRole(other.id, 'manager');
  for (let i = 0; i < LIMIT + 2; i++) {
    assertError(assert, await trigger(org.id, {}, freshSource()), 401, 'UNAUTHORIZED');
    assertError(assert, await trigger(org.id.toUpperCase(), outsider.headers), 404, 'NOT_FOUND');
  }
  const r = await trigger(org.id, manager.headers);
  assert.ok(admitted(r), `the org's own manager is not limited: ${r.status} ${r.text}`);
});

test('the limit is per org and case-insensitive: the (LIMIT+1)th trigger in a minute → 429 + Retry-After', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const manager = await userWithRole(org.id, 'manager');
  for (let i = 0; i < LIMIT; i++) {
    const id = i % 2 ? org.id.toUpperCase() : org.id;
    const r = await trigger(id, manager.headers);
    assert.ok(admitted(r), `trigger ${i + 1}: ${r.status} ${r.text}`);
  }
  const limited = await trigger(org.id.toUpperCase(), manager.headers);
  assertError(assert, limited, 429, 'RATE_LIMITED');
  const wait = Number(limited.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  assert.equal(limited.json.details.retry_after_seconds, wait);
  // another org has its own budget
  assert.ok(admitted(await trigger(other.id, headers)));
});
