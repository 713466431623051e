// sync_faults.test.mjs — upstream faults (simulator /__sim/faults): 5xx, 429,
// malformed JSON, connection resets and timeouts are retried and the job
// completes with the full data; persistent faults fail the job cleanly with a
// plain message (no secret, no crash); an expired token is refreshed exactly
// once; MightyCall's own quota (429 with a far Retry-After) defers the job.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, useSourceAddress } from './lib.mjs';
import {
  SECRETS, expectedCounts, jobIdFrom, jobRow, orgWithIntegration, setFaults, simControl, simCounts, simReset,
  spawnSync, sqlNum, storedCounts, until, vsSync,
} from './sync_helpers.mjs';

useSourceAddress('127.0.0.32');

let expected;

before(async () => {
  await simReset(); // first: a reset also drops messages other suites sent
  expected = await expectedCounts();
  await simReset();
});

/** The outcome must be a clean exit, never a crash. */
function clean(r) {
  assert.equal(r.signal, null, `vs-sync died of ${r.signal}: ${r.stderr}`);
  assert.ok([0, 1, 3, 4].includes(r.code), `exit code ${r.code}: ${r.stderr}`);
  for (const s of SECRETS) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a secret in the output');
  }
}

test('random 5xx, 429, malformed JSON and resets are retried: the data arrives complete', async () => {
  const { org } = await orgWithIntegration();
  // the random draws are seeded and a calls run is only ~a dozen requests (pages
  // of 1000): two forced 503s make sure at least some faults happen whatever the draws
  await setFaults({ error_rate: 0.08, rate_429: 0.04, malformed_rate: 0.05, reset_rate: 0.05,
    paths: 'calls|journal|voicemails', fail_next: { count: 2, status: 503, paths: 'calls|journal' } });
  const r = await vsSync(['run', '--org', org.id, '--type', 'calls']);
  clean(r);
  const v = await vsSync(['run', '--org', org.id, '--type', 'voicemails']);
  clean(v);
  const faults = await simControl('GET', '/faults');
  await setFaults({});
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const injected = Object.values(faults.injected ?? {}).reduce((a, b) => a + b, 0);
  assert.ok(injected > 0, `faults were injected: ${JSON.stringify(faults.injected)}`);
  const got = storedCounts(org.id);
  assert.equal(got.calls, expected.calls);
  assert.equal(got.voicemails, expected.voicemails);
  assert.equal(jobRow(jobIdFrom(r.stdout, 'calls')).status, 'completed');
});

test('a server error that persists fails the job cleanly with a plain message', async () => {
  const { org } = await orgWithIntegration();
  await setFaults({ fail_next: { count: 50, status: 503, paths: 'phonenumbers' } });
  const r = await vsSync(['run', '--org', org.id, '--type', 'phone_numbers']);
  await setFaults({});
  clean(r);
  assert.equal(r.code, 3, 'unavailable');
  const job = jobRow(jobIdFrom(r.stdout, 'phone_numbers'));
  assert.equal(job.status, 'failed');
  assert.match(job.error_message, /MightyCall answered 503/);
  assert.match(job.error_message, /phone numbers/);
  assert.ok(!/[{}<>]/.test(job.error_message), `plain words: ${job.error_message}`);
  // the integration shows the last error too
  assert.match(sql(`SELECT last_error FROM integrations WHERE org_id = '${org.id}'`)[0][0], /503/);
  // retried a few times, not forever
  const counts = await simCounts();
  assert.ok(counts.by_endpoint['GET /phonenumbers'] >= 2 && counts.by_endpoint['GET /phonenumbers'] <= 10);
});

test('malformed JSON that persists fails that page cleanly; earlier pages stay', async () => {
  const { org } = await orgWithIntegration();
  await vsSync(['run', '--org', org.id, '--type', 'phone_numbers']);
  // the first page of calls arrives, then every answer of /calls is cut in half
  await setFaults({ latency_ms: 200, paths: '/calls' });
  const run = spawnSync(['run', '--org', org.id, '--type', 'calls']);
  await until(() => sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${org.id}'`) > 0, { what: 'a first page of calls' });
  await simControl('PATCH', '/faults', { fail_next: { count: 60, status: 'malformed', paths: '/calls' } });
  const r = await run.done;
  await setFaults({});
  clean(r);
  assert.equal(r.code, 1);
  const job = jobRow(jobIdFrom(r.stdout, 'calls'));
  assert.equal(job.status, 'failed');
  assert.match(job.error_message, /malformed JSON/);
  assert.match(job.error_message, /fetching calls \d+/);
  // the pages before the failure were committed, whole
  const stored = storedCounts(org.id).calls;
  assert.ok(stored >= 1000 && stored < expected.calls && stored % 1000 === 0, `stored ${stored}`);
  // and the next run resumes at the saved position instead of starting over
  await simReset();
  const again = await vsSync(['run', '--org', org.id, '--type', 'calls']);
  assert.equal(again.code, 0, again.stderr);
  const counts = await simCounts();
  assert.equal(counts.by_endpoint['GET /calls'], Math.ceil((expected.calls - stored) / 1000), 'stored pages not fetched again');
  assert.equal(storedCounts(org.id).calls, expected.calls);
});

test('resets and a timeout are retried', async () => {
  const { org } = await orgWithIntegration();
  await setFaults({ fail_next: { count: 2, status: 'reset', paths: 'voicemails' } });
  const r = await vsSync(['run', '--org', org.id, '--type', 'voicemails']);
  clean(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  await setFaults({ fail_next: { count: 1, status: 'timeout', paths: 'contacts' } });
  const t = await vsSync(['run', '--org', org.id, '--type', 'contacts'], { env: { VS_MC_TIMEOUT_SECONDS: '2' } });
  await setFaults({});
  clean(t);
  assert.equal(t.code, 0, t.stdout + t.stderr);
  const got = storedCounts(org.id);
  assert.equal(got.voicemails, expected.voicemails);
  assert.equal(got.contacts, expected.contacts);
  const counts = await simCounts();
  assert.ok(counts.by_status.reset >= 2, JSON.stringify(counts.by_status));
  assert.ok(counts.by_status.timeout >= 1, JSON.stringify(counts.by_status));
});

test('an expired token is refreshed exactly once, and the job carries on', async () => {
  const { org } = await orgWithIntegration();
  await vsSync(['run', '--org', org.id, '--type', 'phone_numbers']);
  await simControl('POST', '/tokens/expire', {});
  await simReset();
  const r = await vsSync(['run', '--org', org.id, '--type', 'sms']);
  clean(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const counts = await simCounts();
  assert.equal(counts.by_endpoint['POST /auth/token'], 1, JSON.stringify(counts.by_endpoint));
  assert.equal(counts.by_status['401'], 1);
  assert.equal(storedCounts(org.id).sms, expected.sms);
  // a second run reuses the refreshed token
  await simReset();
  await vsSync(['run', '--org', org.id, '--type', 'voicemails']);
  assert.equal((await simCounts()).by_endpoint['POST /auth/token'] ?? 0, 0);
});

test('journal answers wrapped in {"data": …} are read like bare ones', async () => {
  const { org } = await orgWithIntegration();
  await setFaults({ journal_envelope: 'data' });
  const r = await vsSync(['run', '--org', org.id, '--type', 'sms']);
  await setFaults({});
  clean(r);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(storedCounts(org.id).sms, expected.sms);
});

test('refused credentials (token) fail the job and mark the integration', async () => {
  const { org } = await orgWithIntegration();
  sql(`DELETE FROM mc_tokens WHERE integration_id IN (SELECT id FROM integrations WHERE org_id = '${org.id}')`);
  await setFaults({ fail_next: { count: 5, status: 400, paths: 'auth/token' } });
  const r = await vsSync(['run', '--org', org.id, '--type', 'extensions']);
  await setFaults({});
  clean(r);
  assert.equal(r.code, 1);
  const job = jobRow(jobIdFrom(r.stdout, 'extensions'));
  assert.equal(job.status, 'failed');
  assert.match(job.error_message, /refused the credentials/);
});

test('MightyCall\'s own quota (429 until midnight) defers the job instead of hammering it', async () => {
  const { org } = await orgWithIntegration();
  await simReset();
  await setFaults({ quota: 3 });
  const r = await vsSync(['run', '--org', org.id, '--type', 'calls']);
  const counts = await simCounts();
  await setFaults({});
  const jobId = jobIdFrom(r.stdout, 'calls');
  // honoured from the 429: the simulator's Retry-After runs to its quota reset
  // (the next UTC midnight), so the job waits until then — read from the job's
  // own timestamps (stored in UTC), not compared with the test's clock: never
  // before midnight (a retry a second early meets the same 429; mc_retry_at
  // rounds the precise clock up), at most the moment between the simulator
  // reading its clock and the client reading its own after it
  const [[afterDeferral, atReset, runAfter, updatedAt]] = sql(`SELECT run_after >= updated_at, `
    + `TIME(run_after) < '00:00:05', run_after, updated_at FROM sync_jobs WHERE id = '${jobId}'`);
  const facts = `exit ${r.code}, by_status ${JSON.stringify(counts.by_status)}, run_after ${runAfter}, `
    + `updated_at ${updatedAt}\n${r.stdout}${r.stderr}`;
  clean(r);
  assert.equal(r.code, 4, facts);
  const job = jobRow(jobId);
  assert.equal(job.status, 'deferred', facts);
  assert.match(job.error_message, /request limit/, facts);
  assert.ok(afterDeferral === '1' && atReset === '1', `run_after is honoured from the 429: ${facts}`);
  assert.ok(counts.by_status['429'] <= 2, `stopped at the first 429s: ${facts}`);
  sql(`UPDATE sync_jobs SET status = 'failed' WHERE id = '${jobId}'`);
});
