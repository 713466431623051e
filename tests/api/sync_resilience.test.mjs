// sync_resilience.test.mjs — crash safety and sharing: a sync killed with
// SIGKILL in the middle of a page resumes on the next run with nothing lost and
// nothing duplicated; a dead runner's job is re-queued when its lease expires;
// progress is visible through the API while a job runs; two concurrent drains
// share one MightyCall token; the daily quota is never exceeded (the job is
// deferred, and resumes later).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, useSourceAddress } from './lib.mjs';
import {
  expectedCounts, jobIdFrom, jobRow, orgWithIntegration, setFaults, simCounts, simReset, spawnSync, sqlNum,
  storedCounts, until, vsSync,
} from './sync_helpers.mjs';

useSourceAddress('127.0.0.33');

let expected;

before(async () => {
  await simReset(); // first: a reset also drops messages other suites sent
  expected = await expectedCounts();
  await simReset();
});

const jobOf = (orgId, type) => sql(`SELECT id FROM sync_jobs WHERE org_id = '${orgId}' AND type = '${type}' `
  + 'ORDER BY created_at DESC LIMIT 1')[0]?.[0];

test('kill -9 in the middle of a page, then re-run: nothing lost, nothing duplicated', async () => {
  const { org, admin } = await orgWithIntegration();
  // slow answers so that the kill lands while a page is being fetched
  await setFaults({ latency_ms: 400, paths: 'calls|journal' });
  const { child, done } = spawnSync(['run', '--org', org.id, '--type', 'calls', '--lease', '3']);
  const jobId = await until(() => jobOf(org.id, 'calls'), { what: 'the job row' });
  // progress is visible through the API while the job runs
  const running = await until(async () => {
    const r = await api.get(`/api/mightycall/sync/jobs/${jobId}`, { headers: admin.headers });
    return r.json?.status === 'running' && r.json.progress.pages_done >= 2 ? r.json : null;
  }, { what: 'two committed pages' });
  assert.ok(running.progress.items_done >= 2 * 500);
  assert.ok(running.result.new_calls >= 2 * 500);
  child.kill('SIGKILL');
  const killed = await done;
  assert.equal(killed.signal, 'SIGKILL');
  await setFaults({});
  const partial = storedCounts(org.id).calls;
  assert.ok(partial >= 1000 && partial < expected.calls, `partial: ${partial}`);
  assert.equal(jobRow(jobId).status, 'running', 'the dead runner still holds the lease');
  assert.equal(sqlNum(`SELECT COUNT(*) FROM sync_cursors WHERE org_id = '${org.id}' AND stream = 'calls' `
    + 'AND run_state IS NOT NULL'), 1, 'the unfinished run is recorded');

  // the re-run waits for the lease to expire, re-queues the job and resumes it
  await simReset();
  const r = await vsSync(['run', '--org', org.id, '--type', 'calls']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(jobIdFrom(r.stdout, 'calls'), jobId, 'the same job is resumed');
  const job = jobRow(jobId);
  assert.equal(job.status, 'completed');
  assert.equal(job.attempts, 2);
  assert.equal(job.new_count, expected.calls, 'the counts run on across attempts, each call counted once');
  assert.equal(storedCounts(org.id).calls, expected.calls);
  assert.equal(sqlNum(`SELECT COUNT(DISTINCT external_id) FROM calls WHERE org_id = '${org.id}'`), expected.calls);
  // resumed, not restarted: the pages done before the kill were not fetched again
  const counts = await simCounts();
  assert.ok(counts.by_endpoint['GET /calls'] < Math.ceil(expected.calls / 500),
    `re-fetched ${counts.by_endpoint['GET /calls']} call pages`);
  // reports agree with the calls (no double counting from the replayed page)
  assert.equal(sqlNum(`SELECT SUM(calls) FROM call_reports_daily WHERE org_id = '${org.id}'`), expected.calls);
});

test('a drain that dies leaves its job to be re-queued when the lease expires', async () => {
  const { org, admin } = await orgWithIntegration();
  const t = await api.post(`/api/mightycall/sync/sms?orgId=${org.id}`, undefined, { headers: admin.headers });
  assert.equal(t.status, 202, t.text);
  await setFaults({ latency_ms: 1500, paths: 'journal' });
  const { child, done } = spawnSync(['drain', '--org', org.id, '--lease', '5']);
  await until(() => jobRow(t.json.job_id)?.status === 'running', { what: 'the job to start' });
  child.kill('SIGKILL');
  await done;
  await setFaults({});
  // until the lease expires, nobody else takes the job
  const early = await vsSync(['drain', '--org', org.id]);
  assert.match(early.stdout, /drain: 0 job\(s\) run/);
  await until(() => sqlNum(`SELECT COUNT(*) FROM sync_jobs WHERE id = '${t.json.job_id}' `
    + 'AND lease_expires_at < NOW(3)') === 1, { what: 'the lease to expire' });
  const d = await vsSync(['drain', '--org', org.id]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /drain: 1 job\(s\) run: 1 completed/);
  const job = jobRow(t.json.job_id);
  assert.equal(job.status, 'completed');
  assert.equal(job.attempts, 2);
  assert.equal(storedCounts(org.id).sms, expected.sms);
});

test('a runner that keeps dying fails the job after max_attempts', async () => {
  const { org } = await orgWithIntegration();
  const id = sql('SELECT UUID()')[0][0];
  sql(`INSERT INTO sync_jobs (id, org_id, type, status, attempts, max_attempts, lease_owner, lease_expires_at) `
    + `VALUES ('${id}', '${org.id}', 'contacts', 'running', 5, 5, 'dead:1:0', NOW(3) - INTERVAL 1 SECOND)`);
  const d = await vsSync(['drain', '--org', org.id]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  const job = jobRow(id);
  assert.equal(job.status, 'failed');
  assert.match(job.error_message, /stopped responding 5 times/);
});

test('two concurrent drains share one token (a single token request)', async () => {
  const { org, admin, integration } = await orgWithIntegration();
  sql(`DELETE FROM mc_tokens WHERE integration_id = '${integration.id}'`);
  for (const type of ['voicemails', 'contacts', 'extensions']) {
    const t = await api.post(`/api/mightycall/sync/${type}?orgId=${org.id}`, undefined, { headers: admin.headers });
    assert.equal(t.status, 202, t.text);
  }
  await simReset();
  // a slow token endpoint: whoever refreshes holds the lock a while, the other waits for it
  await setFaults({ latency_ms: 1000, paths: 'auth/token' });
  const a = spawnSync(['drain', '--org', org.id]);
  const b = spawnSync(['drain', '--org', org.id]);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  await setFaults({});
  assert.equal(ra.code, 0, ra.stdout + ra.stderr);
  assert.equal(rb.code, 0, rb.stdout + rb.stderr);
  const ran = (s) => Number(/drain: (\d+) job/.exec(s)[1]);
  assert.equal(ran(ra.stdout) + ran(rb.stdout), 3);
  const counts = await simCounts();
  assert.equal(counts.by_endpoint['POST /auth/token'], 1, JSON.stringify(counts.by_endpoint));
  assert.equal(sqlNum(`SELECT COUNT(*) FROM sync_jobs WHERE org_id = '${org.id}' AND status = 'completed'`), 3);
});

test('the daily quota is never exceeded: the job is deferred, and resumes later', async () => {
  const { org, integration } = await orgWithIntegration();
  sql(`DELETE FROM mc_tokens WHERE integration_id = '${integration.id}'`);
  await simReset();
  const QUOTA = 4; // the token + pages of 1000 calls: less than the data set
  const r = await vsSync(['run', '--org', org.id, '--type', 'calls'], { env: { VS_MC_DAILY_QUOTA: String(QUOTA) } });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  const jobId = jobIdFrom(r.stdout, 'calls');
  const job = jobRow(jobId);
  assert.equal(job.status, 'deferred');
  assert.match(job.error_message, /budget .*used up/);
  assert.match(job.run_after, / 00:00:00/, 'deferred until the quota window resets (00:00 UTC)');
  const counts = await simCounts();
  assert.ok(counts.total <= QUOTA, `the simulator saw ${counts.total} requests`);
  assert.equal(counts.quota_used['demo-api-key'], counts.total);
  assert.equal(sqlNum('SELECT SUM(requests) FROM mc_request_counts'), QUOTA);
  const partial = storedCounts(org.id).calls;
  assert.ok(partial > 0 && partial < expected.calls, `partial: ${partial}`);

  // still exhausted: deferred again without a single request
  const again = await vsSync(['run', '--org', org.id, '--type', 'calls'], { env: { VS_MC_DAILY_QUOTA: String(QUOTA) } });
  assert.equal(again.code, 4);
  assert.equal((await simCounts()).total, counts.total);
  // the queue does not pick it up before run_after
  const drained = await vsSync(['drain', '--org', org.id]);
  assert.match(drained.stdout, /drain: 0 job\(s\) run/);

  // a bigger budget (the next day, as far as the counter knows): the job resumes where it stopped
  const later = await vsSync(['run', '--org', org.id, '--type', 'calls']);
  assert.equal(later.code, 0, later.stdout + later.stderr);
  assert.equal(jobIdFrom(later.stdout, 'calls'), jobId);
  assert.equal(jobRow(jobId).status, 'completed');
  assert.equal(storedCounts(org.id).calls, expected.calls);
});
