// zz_reliability.test.mjs — runs last: kills a worker, restarts MariaDB under
// load and sends SIGTERM with a request in flight. Nothing may crash; the
// stack must come back by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  api, stack, freshSource, pidOf, childPids, processAlive, waitFor, sleep, sqlSession, useSourceAddress, VAR,
} from './lib.mjs';

useSourceAddress('127.0.0.12');

test('a killed worker is replaced and requests keep being served', async () => {
  const sup = pidOf('api');
  const before = childPids(sup);
  assert.ok(before.length >= 1, 'supervisor has workers');
  process.kill(before[0], 'SIGKILL');
  await waitFor(() => {
    const now = childPids(sup);
    return now.length === before.length && !now.includes(before[0]);
  }, { what: 'replacement worker' });
  for (let i = 0; i < 20; i++) {
    const res = await api.get('/health', { source: freshSource() });
    assert.equal(res.status, 200, res.text);
  }
  assert.ok(processAlive(sup), 'supervisor survived');
});

test('MariaDB restart: 503 UNAVAILABLE while down, recovery without worker crash', async () => {
  const sup = pidOf('api');
  const workers = childPids(sup).sort();
  stack('db-stop');
  const down = await api.get('/health', { source: freshSource() });
  assert.equal(down.status, 503, down.text);
  assert.equal(down.json.db, 'down');
  assert.equal(down.json.code, 'UNAVAILABLE');
  // several requests while down: every one is a clean 503, never a 502/crash
  for (let i = 0; i < 10; i++) {
    const r = await api.get('/health', { source: freshSource() });
    assert.equal(r.status, 503);
  }
  stack('db-start');
  await waitFor(async () => (await api.get('/health', { source: freshSource() })).status === 200, { what: 'recovery after restart' });
  // every thread reconnects: hammer it and expect only 200s
  const results = await Promise.all(Array.from({ length: 40 }, () => api.get('/health', { source: freshSource() })));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
  assert.deepEqual(childPids(sup).sort(), workers, 'no worker crashed or was replaced');
});

test('SIGTERM lets an in-flight request finish, then the pool exits', async () => {
  const sup = pidOf('api');
  const session = sqlSession();
  session.send('LOCK TABLES schema_migrations WRITE');
  await session.sync();
  // this request blocks inside the worker on the table lock
  const inflight = api.get('/health', { timeoutMs: 60000, source: freshSource() });
  await sleep(500);
  process.kill(sup, 'SIGTERM');
  await sleep(500);
  assert.ok(processAlive(sup), 'pool waits for the in-flight request');
  session.send('UNLOCK TABLES');
  await session.sync();
  session.close();
  const res = await inflight;
  assert.equal(res.status, 200, `in-flight request completed: ${res.text}`);
  await waitFor(() => !processAlive(sup), { what: 'supervisor exit' });
  const log = readFileSync(`${VAR}/log/api.log`, 'utf8');
  assert.match(log, /worker: drained, exiting/);
  assert.match(log, /supervisor: all workers stopped/);
  stack('api-start');
  await waitFor(async () => (await api.get('/health', { source: freshSource() })).status === 200, { what: 'api restart' });
});
