// rate_limit.test.mjs — nginx answers 429 with the JSON error body and
// Retry-After once an unauthenticated client exceeds 60/min (+ burst).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError } from './lib.mjs';

test('unauthenticated burst from one IP gets 429 JSON with Retry-After', async () => {
  // a fresh address each run: the zone remembers addresses for a minute
  const source = `127.1.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
  const statuses = [];
  let limited;
  for (let i = 0; i < 80 && !limited; i++) {
    const res = await api.get('/health', { source });
    statuses.push(res.status);
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, `no 429 after ${statuses.length} requests`);
  assertError(assert, limited, 429, 'RATE_LIMITED');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.ok(statuses.filter((s) => s === 200).length >= 30, 'the burst allowance is honoured first');

  // another client address is not affected
  const other = await api.get('/health', { source: '127.0.0.78' });
  assert.equal(other.status, 200);
});
