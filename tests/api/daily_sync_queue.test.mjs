// daily_sync_queue.test.mjs — the org's sync queue as its Sync page sees it
// (GET /api/orgs/:orgId/sync/queue: a warning once ready jobs wait past the
// stall threshold), cancelling a job that has not started
// (POST /api/orgs/:orgId/sync/jobs/:jobId/cancel), and the dev stack's sync
// loop (scripts/sync-loop.sh, what the systemd timers run in production)
// taking a job queued through the API to completion with nobody running
// vs-sync by hand. The loop is limited to this file's org (VS_SYNC_ORG), so
// no other test's queue is touched.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ROOT, PROFILE, VAR, api, assertError, sql, useSourceAddress, waitFor, processAlive, childPids } from './lib.mjs';
import { userWithRole } from './fixtures.mjs';
import { orgWithIntegration, simReset } from './sync_helpers.mjs';

useSourceAddress('127.0.0.181');

let org;      // {id} with a MightyCall integration at the simulator
let other;    // another org with an integration
let manager;  // headers of a manager of org
let agent;    // headers of an agent of org

before(async () => {
  await simReset();
  ({ org } = await orgWithIntegration());
  ({ org: other } = await orgWithIntegration());
  manager = (await userWithRole(org.id, 'manager')).headers;
  agent = (await userWithRole(org.id, 'agent')).headers;
});

async function queue(headers = agent, orgId = org.id) {
  const r = await api.get(`/api/orgs/${orgId}/sync/queue`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function trigger(type, orgId = org.id, headers = manager) {
  const r = await api.post(`/api/mightycall/sync/${type}?orgId=${orgId}`, {}, { headers });
  assert.equal(r.status, 202, r.text);
  return r.json.job_id;
}

test('an empty queue is not stalled', async () => {
  const q = await queue();
  assert.equal(q.org_id, org.id);
  assert.deepEqual([q.queued, q.running, q.deferred, q.oldest_queued_at, q.oldest_wait_seconds, q.stalled],
    [0, 0, 0, null, null, false]);
  assert.equal(q.stall_after_seconds, 300);
});

test('a job waiting past the threshold marks the queue stalled; a deferred one does not', async () => {
  const job = await trigger('contacts');
  let q = await queue();
  assert.equal(q.queued, 1);
  assert.equal(q.stalled, false, 'a job queued just now is not a stall');
  assert.ok(q.oldest_wait_seconds >= 0 && q.oldest_wait_seconds < q.stall_after_seconds);

  // ten minutes without any worker
  sql(`UPDATE sync_jobs SET created_at = NOW(3) - INTERVAL 10 MINUTE, run_after = NOW(3) - INTERVAL 10 MINUTE WHERE id = '${job}'`);
  q = await queue();
  assert.equal(q.stalled, true);
  assert.ok(q.oldest_wait_seconds >= 600, `waited ${q.oldest_wait_seconds}s`);
  assert.match(q.oldest_queued_at, /Z$/);

  // the other org sees nothing of it
  const o = await queue((await userWithRole(other.id, 'agent')).headers, other.id);
  assert.equal(o.queued, 0);
  assert.equal(o.stalled, false);

  // waiting for its time (quota) is not a missing worker
  sql(`UPDATE sync_jobs SET status = 'deferred', run_after = NOW(3) + INTERVAL 1 HOUR WHERE id = '${job}'`);
  q = await queue();
  assert.deepEqual([q.queued, q.deferred, q.stalled], [0, 1, false]);
  sql(`UPDATE sync_jobs SET status = 'queued', run_after = NOW(3) - INTERVAL 10 MINUTE WHERE id = '${job}'`);
});

test('a queued job is cancelled by a manager; the type can be queued again at once', async () => {
  const job = await trigger('contacts');  // the stalled one of the test above (existing)
  assertError(assert, await api.post(`/api/orgs/${org.id}/sync/jobs/${job}/cancel`, {}, { headers: agent }), 403, 'FORBIDDEN');
  const r = await api.post(`/api/orgs/${org.id}/sync/jobs/${job}/cancel`, {}, { headers: manager });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, job);
  assert.equal(r.json.status, 'cancelled');
  assert.ok(r.json.completed_at);
  assert.equal((await queue()).stalled, false, 'a cancelled job no longer waits');

  const again = await api.post(`/api/orgs/${org.id}/sync/jobs/${job}/cancel`, {}, { headers: manager });
  assertError(assert, again, 409, 'CONFLICT');
  assert.match(again.json.error, /cancelled/);

  const fresh = await trigger('contacts');
  assert.notEqual(fresh, job, 'a new job, not the cancelled one');
  const listed = await api.get(`/api/mightycall/sync/jobs?orgId=${org.id}&status=cancelled`, { headers: manager });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.json.data.map((j) => j.id), [job]);
  await api.post(`/api/orgs/${org.id}/sync/jobs/${fresh}/cancel`, {}, { headers: manager });
});

test('a running job cannot be cancelled; another org\'s job is not found', async () => {
  const job = await trigger('extensions');
  sql(`UPDATE sync_jobs SET status = 'running', started_at = NOW(3) WHERE id = '${job}'`);
  const r = await api.post(`/api/orgs/${org.id}/sync/jobs/${job}/cancel`, {}, { headers: manager });
  assertError(assert, r, 409, 'CONFLICT');
  assert.match(r.json.error, /running/);
  assert.equal((await queue()).running, 1);
  sql(`UPDATE sync_jobs SET status = 'failed', completed_at = NOW(3) WHERE id = '${job}'`);

  const theirs = await trigger('extensions', other.id, (await userWithRole(other.id, 'manager')).headers);
  const cross = await api.post(`/api/orgs/${org.id}/sync/jobs/${theirs}/cancel`, {}, { headers: manager });
  assertError(assert, cross, 404, 'NOT_FOUND');
  assert.equal(cross.json.details.resource, 'sync_job');
  assert.equal(sql(`SELECT status FROM sync_jobs WHERE id = '${theirs}'`)[0][0], 'queued');
  assertError(assert, await api.post(`/api/orgs/${org.id}/sync/jobs/not-a-uuid/cancel`, {}, { headers: manager }), 404, 'NOT_FOUND');
});

test('the sync loop runs a job queued from the API to completion, and schedules on its own', async () => {
  const job = await trigger('phone-numbers');
  const loop = spawn(`${ROOT}/scripts/sync-loop.sh`, [PROFILE], {
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? `log_path=${VAR}/log/asan-sync:detect_leaks=1`, VS_SYNC_ORG: org.id, VS_SYNC_DRAIN_EVERY: '1', VS_SYNC_SCHEDULE_EVERY: '3600', VS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  loop.stdout.on('data', (d) => { out += d; });
  loop.stderr.on('data', (d) => { out += d; });
  const ended = new Promise((resolve) => loop.on('close', (code, signal) => resolve({ code, signal })));
  try {
    const done = await waitFor(async () => {
      const r = await api.get(`/api/mightycall/sync/jobs/${job}`, { headers: manager });
      return ['completed', 'failed'].includes(r.json.status) ? r.json : null;
    }, { tries: 600, everyMs: 200, what: `job ${job} run by the loop` });
    assert.equal(done.status, 'completed', `${done.error_message ?? ''}\n${out}`);
    assert.ok(done.result.synced_count > 0);
    // the loop's first tick also ran `vs-sync schedule` for the org: every
    // other stream was queued by the schedule and drained
    await waitFor(() => Number(sql(`SELECT COUNT(*) FROM sync_jobs WHERE org_id = '${org.id}' AND trigger_source = 'schedule' AND status = 'completed'`)[0][0]) >= 7,
      { tries: 1500, everyMs: 200, what: 'scheduled jobs completed by the loop' });
    assert.equal((await queue()).stalled, false);
  } finally {
    const kids = childPids(loop.pid);
    loop.kill('SIGTERM');
    const { code } = await ended;
    assert.equal(code, 0, out);
    for (const k of kids) assert.equal(processAlive(k), false, `child ${k} of the loop ended with it`);
  }
  assert.match(out, /sync-loop: stopped/);
  assert.equal(sql(`SELECT COUNT(*) FROM sync_jobs WHERE org_id = '${other.id}' AND status = 'completed'`)[0][0], '0',
    'the loop limited to one org left the other org\'s queue alone');
});
