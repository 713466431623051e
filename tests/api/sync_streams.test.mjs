// sync_streams.test.mjs — every stream syncs the simulator's data set fully
// (counts equal what the simulator itself lists), a re-run adds and changes
// nothing, new upstream calls / SMS appear after the next run, and the jobs
// API: triggers (202, de-duplicated), list and show with results, visibility;
// the admin MightyCall views. Runs the real vs-sync binary.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, uniqueName, userWithRole } from './fixtures.mjs';
import {
  STREAMS, expectedCounts, jobIdFrom, jobRow, orgWithIntegration, simControl, simCounts, simReset, sqlNum,
  storedCounts, vsSync,
} from './sync_helpers.mjs';

useSourceAddress('127.0.0.31');

let env;      // {org, integration, admin}
let expected; // counts according to the simulator

before(async () => {
  await simReset(); // first: a reset also drops messages other suites sent
  expected = await expectedCounts();
  await simReset();
  env = await orgWithIntegration();
});

test('vs-sync --help and run --help document the commands and exit codes', async () => {
  const top = await vsSync(['--help']);
  assert.equal(top.code, 0);
  for (const c of ['run', 'drain', 'schedule']) assert.match(top.stdout, new RegExp(`\\b${c}\\b`));
  for (const c of ['run', 'drain', 'schedule']) {
    const r = await vsSync([c, '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /usage: vs-sync/);
    assert.match(r.stdout, /exit codes/);
  }
  const bad = await vsSync(['run', '--org', env.org.id, '--type', 'faxes']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown type/);
  const noOrg = await vsSync(['run', '--org', 'not-a-uuid', '--type', 'calls']);
  assert.equal(noOrg.code, 2);
});

/** Requests per endpoint the simulator counted since `from` (a /counts snapshot). */
async function requestsSince(from) {
  const now = (await simCounts()).by_endpoint;
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (from[k] ?? 0)]).filter(([, v]) => v > 0));
}

test('a full first sync stores exactly the simulator\'s data set', async () => {
  const counted = (await simCounts()).by_endpoint;
  const r = await vsSync(['run', '--org', env.org.id, '--type', 'all']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const t of STREAMS) assert.match(r.stdout, new RegExp(`^${t}: completed`, 'm'), t);
  const got = storedCounts(env.org.id);
  for (const k of ['phone_numbers', 'phone_numbers_all', 'extensions', 'calls', 'recordings', 'voicemails', 'sms', 'contacts']) {
    assert.equal(got[k], expected[k], `${k}: stored ${got[k]}, simulator has ${expected[k]}`);
  }
  assert.ok(got.reports > 0, 'daily reports computed');
  // the job rows say the same
  const calls = jobRow(jobIdFrom(r.stdout, 'calls'));
  assert.equal(calls.status, 'completed');
  assert.equal(calls.new_count, expected.calls);
  assert.equal(calls.attempts, 1);
  assert.ok(calls.pages_done >= 2);
  // one pass over the calls: /calls pages of 1000 (recordings come with them, no second read); the
  // journal only for the extensions' agents (one page) and the SMS (pages of 1000 until an empty one)
  const used = await requestsSince(counted);
  assert.equal(used['GET /calls'], Math.max(1, Math.ceil(expected.calls / 1000)), JSON.stringify(used));
  assert.equal(used['GET /journal/requests'], 1 + Math.floor(expected.sms / 1000) + 1, JSON.stringify(used));
  assert.equal(used['GET /voicemails'], Math.max(1, Math.ceil(expected.voicemails / 500)), JSON.stringify(used));
  // every stored call is linked to its number and has its agent's MightyCall user id (extensions map)
  const oid = env.org.id;
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND phone_number_id IS NULL`), 0);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND agent_external_id IS NULL`), 0);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls c JOIN extensions e ON e.org_id = c.org_id `
    + `AND e.external_id = c.agent_external_id WHERE c.org_id = '${oid}' AND e.extension = c.extension`), expected.calls);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND status = 'unknown'`), 0);
  // recording URLs are attached to their calls; voicemails linked to calls
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND recording_url IS NOT NULL`), expected.recordings);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM recordings WHERE org_id = '${oid}' AND call_id IS NULL`), 0);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM voicemails WHERE org_id = '${oid}' AND call_id IS NULL`), 0);
  // every active extension has its number (from the journal's agents)
  assert.equal(sqlNum(`SELECT COUNT(*) FROM extensions WHERE org_id = '${oid}' AND extension IS NULL`), 0);
  // the reports add up to the calls
  assert.equal(sqlNum(`SELECT SUM(calls) FROM call_reports_daily WHERE org_id = '${oid}'`), expected.calls);
  assert.equal(sqlNum(`SELECT SUM(answered) FROM call_reports_daily WHERE org_id = '${oid}'`),
    expected.callList.filter((c) => c.callStatus.toLowerCase() === 'connected').length);
  // a cursor per stream and the journal window's row, no unfinished run left behind
  assert.equal(sqlNum(`SELECT COUNT(*) FROM sync_cursors WHERE org_id = '${oid}'`), STREAMS.length + 1);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM sync_cursors WHERE org_id = '${oid}' AND run_state IS NOT NULL`), 0);
});

test('call fields are mapped from both sources (status, direction, parties, duration)', () => {
  const byId = new Map(expected.callList.map((c) => [c.id, c]));
  const rows = sql(`SELECT external_id, direction, status, duration_seconds, business_number, caller_number, `
    + `COALESCE(recording_url, '') FROM calls WHERE org_id = '${env.org.id}' ORDER BY RAND() LIMIT 200`);
  assert.equal(rows.length, 200);
  const statusOf = { connected: 'connected', missed: 'missed', voicemail: 'voicemail', dropped: 'dropped' };
  for (const [id, dir, status, dur, bn, caller, rec] of rows) {
    const c = byId.get(id);
    assert.ok(c, `call ${id} comes from the simulator`);
    assert.equal(dir, c.direction.toLowerCase() === 'incoming' ? 'inbound' : 'outbound');
    assert.equal(status, statusOf[c.callStatus.toLowerCase()]);
    assert.equal(Number(dur), Math.round(Number(c.duration) / 1000));
    assert.equal(bn, c.businessNumber);
    if (dir === 'inbound') assert.equal(caller, c.caller.phone);
    assert.equal(rec, c.callRecord?.uri ?? '');
  }
});

test('re-running every stream is idempotent: nothing new, nothing updated, nothing duplicated', async () => {
  const before = storedCounts(env.org.id);
  const counted = (await simCounts()).by_endpoint;
  const r = await vsSync(['run', '--org', env.org.id, '--type', 'all']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // four requests (the token is cached): /phonenumbers, /team, one journal window for calls,
  // voicemails and SMS (it shows nothing the calls and voicemails streams have not stored, and their
  // last full read is younger than sync_reconcile_minutes), /contacts — docs/sync.md "Request
  // arithmetic". The first sync proved the journal's page size (a full page of 1000), so a window
  // shorter than that ends without an empty page.
  const used = await requestsSince(counted);
  assert.deepEqual(used, {
    'GET /phonenumbers': 1, 'GET /team': 1, 'GET /journal/requests': 1, 'GET /contacts': 1,
  });
  for (const t of STREAMS) {
    const job = jobRow(jobIdFrom(r.stdout, t));
    assert.equal(job.status, 'completed', t);
    assert.equal(job.new_count, 0, `${t} new`);
    assert.equal(job.updated_count, 0, `${t} updated`);
  }
  assert.deepEqual(storedCounts(env.org.id), before);
});

test('incremental: calls and SMS added upstream appear after the next run, and only they', async () => {
  const added = await simControl('POST', '/calls', { count: 3, status: 'Connected', recording: true });
  assert.equal(added.calls.length, 3);
  await simControl('POST', '/sms', { count: 2 });
  await simReset();
  const r = await vsSync(['run', '--org', env.org.id, '--type', 'calls']);
  assert.equal(r.code, 0, r.stderr);
  const job = jobRow(jobIdFrom(r.stdout, 'calls'));
  assert.equal(job.new_count, 3, 'the SMS the journal window stored are not the calls job\'s');
  for (const c of added.calls) {
    assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${env.org.id}' AND external_id = '${c.id}' `
      + `AND recording_url IS NOT NULL`), 1, `call ${c.id}`);
  }
  // an incremental run reads a window, not everything: the journal window (it shows the new calls,
  // and stores the new SMS), then one /calls page
  const counts = await simCounts();
  assert.deepEqual(counts.by_endpoint, { 'GET /journal/requests': 1, 'GET /calls': 1 });
  assert.equal(storedCounts(env.org.id).calls, expected.calls + 3);
  assert.equal(storedCounts(env.org.id).sms, expected.sms + 2);
  // an sms job queued after that window reads it again (one page) and finds nothing new
  const s = await vsSync(['run', '--org', env.org.id, '--type', 'sms']);
  assert.equal(jobRow(jobIdFrom(s.stdout, 'sms')).new_count, 0);
  assert.deepEqual((await simCounts()).by_endpoint, { 'GET /journal/requests': 2, 'GET /calls': 1 });
  assert.equal(storedCounts(env.org.id).sms, expected.sms + 2);
});

test('triggers: 202 with a queued job, de-duplicated; drain runs it; jobs API shows the result', async () => {
  const { org, admin } = env;
  const t1 = await api.post(`/api/mightycall/sync/phone-numbers?orgId=${org.id}`, undefined, { headers: admin.headers });
  assert.equal(t1.status, 202, t1.text);
  assert.equal(t1.json.status, 'queued');
  assert.equal(t1.json.type, 'phone_numbers');
  assert.equal(t1.json.org_id, org.id);
  assert.match(t1.json.job_id, /^[0-9a-f-]{36}$/);
  assert.match(t1.json.created_at, /Z$/);
  const t2 = await api.post(`/api/mightycall/sync/phone-numbers?orgId=${org.id}`, undefined, { headers: admin.headers });
  assert.equal(t2.status, 202);
  assert.equal(t2.json.job_id, t1.json.job_id, 'an active job is returned instead of a duplicate');
  const t3 = await api.post(`/api/mightycall/sync/reports?orgId=${org.id}&date_from=2020-01-01`, undefined,
    { headers: admin.headers });
  assert.equal(t3.status, 202);
  assert.equal(t3.json.type, 'reports');
  // (nginx allows a handful of requests per org and minute on these routes: another org for this one)
  const spare = await newOrg(admin.headers, { name: uniqueName('Spare') });
  const unknown = await api.post(`/api/mightycall/sync/faxes?orgId=${spare.id}`, undefined, { headers: admin.headers });
  assertError(assert, unknown, 404, 'NOT_FOUND');
  assert.equal(unknown.json.details.resource, 'sync_type');

  const queued = await api.get(`/api/mightycall/sync/jobs?type=phone_numbers&status=pending`, { headers: admin.headers });
  assert.equal(queued.status, 200);
  assert.ok(queued.json.data.some((j) => j.id === t1.json.job_id));
  for (const k of ['data', 'total', 'skip', 'limit']) assert.ok(k in queued.json, k);

  const d = await vsSync(['drain', '--org', org.id]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /drain: 2 job\(s\) run: 2 completed/);

  const show = await api.get(`/api/mightycall/sync/jobs/${t1.json.job_id}`, { headers: admin.headers });
  assert.equal(show.status, 200, show.text);
  const job = show.json;
  assert.equal(job.status, 'completed');
  assert.equal(job.type, 'phone_numbers');
  assert.equal(job.org_id, org.id);
  assert.equal(job.integration_id, env.integration.id);
  assert.equal(job.result.synced_count, expected.phone_numbers_all);
  assert.equal(job.result.new_numbers, 0);
  assert.equal(job.result.updated_numbers, 0);
  assert.equal(job.error_message, null);
  assert.equal(job.attempts, 1);
  assert.match(job.started_at, /Z$/);
  assert.match(job.completed_at, /Z$/);
  assert.equal(job.progress.pages_done, 1);
  const rep = await api.get(`/api/mightycall/sync/jobs/${t3.json.job_id}`, { headers: admin.headers });
  assert.equal(rep.json.status, 'completed');
  assert.ok(rep.json.result.synced_count > 0);
  assert.match(rep.json.since, /^2020-01-01T00:00:00Z$/);
});

test('jobs are visible to members of their org only; triggers need manager+', async () => {
  const { org } = env;
  const manager = await userWithRole(org.id, 'manager');
  const agent = await userWithRole(org.id, 'agent');
  const t = await api.post(`/api/mightycall/sync/sms?orgId=${org.id}`, undefined, { headers: manager.headers });
  assert.equal(t.status, 202, t.text);
  // agents cannot start syncs (another org of theirs: nginx's per-org limit is small)
  const admin0 = await platformAdmin();
  const side = await newOrg(admin0.headers, { name: uniqueName('Side') });
  const sideAgent = await userWithRole(side.id, 'agent');
  assertError(assert, await api.post(`/api/mightycall/sync/sms?orgId=${side.id}`, undefined,
    { headers: sideAgent.headers }), 403, 'FORBIDDEN');
  const mine = await api.get('/api/mightycall/sync/jobs?limit=500', { headers: agent.headers });
  assert.equal(mine.status, 200);
  assert.ok(mine.json.data.length > 0);
  assert.ok(mine.json.data.every((j) => j.org_id === org.id), 'an agent sees only its org');
  assert.equal((await api.get(`/api/mightycall/sync/jobs/${t.json.job_id}`, { headers: agent.headers })).status, 200);

  const admin = await platformAdmin();
  const other = await newOrg(admin.headers, { name: uniqueName('Outsider') });
  const outsider = await userWithRole(other.id, 'org_admin');
  const theirs = await api.get('/api/mightycall/sync/jobs', { headers: outsider.headers });
  assert.equal(theirs.json.total, 0);
  assertError(assert, await api.get(`/api/mightycall/sync/jobs/${t.json.job_id}`, { headers: outsider.headers }),
    404, 'NOT_FOUND');
  const filtered = await api.get(`/api/mightycall/sync/jobs?orgId=${org.id}`, { headers: outsider.headers });
  assertError(assert, filtered, 404, 'NOT_FOUND');
  assert.equal(filtered.json.details.resource, 'organization');
  assertError(assert, await api.get('/api/mightycall/sync/jobs?status=sleeping', { headers: admin.headers }),
    400, 'BAD_REQUEST');
  // leave the queue empty for the next tests
  const d = await vsSync(['drain', '--org', org.id]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
});

test('schedule queues the due streams of active integrations, never twice', async () => {
  const fresh = await orgWithIntegration();
  const s1 = await vsSync(['schedule', '--org', fresh.org.id]);
  assert.equal(s1.code, 0, s1.stderr);
  assert.match(s1.stdout, /schedule: 8 job\(s\) queued for 1 integration/);
  const s2 = await vsSync(['schedule', '--org', fresh.org.id]);
  assert.match(s2.stdout, /schedule: 0 job\(s\) queued/);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM sync_jobs WHERE org_id = '${fresh.org.id}' AND status = 'queued'`), 8);
  const d = await vsSync(['drain', '--org', fresh.org.id]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /8 job\(s\) run: 8 completed/);
  // everything is fresh now: nothing is due
  const s3 = await vsSync(['schedule', '--org', fresh.org.id]);
  assert.match(s3.stdout, /schedule: 0 job\(s\) queued/);
  const all = await vsSync(['schedule', '--org', fresh.org.id, '--all']);
  assert.match(all.stdout, /schedule: 8 job\(s\) queued/);
  sql(`UPDATE sync_jobs SET status = 'failed' WHERE org_id = '${fresh.org.id}' AND status = 'queued'`);
});

test('admin views: phone numbers, extensions, reports, and a synchronous sync', async () => {
  const admin = await platformAdmin();
  const oid = env.org.id;
  const pn = await api.get(`/api/admin/mightycall/phone-numbers?orgId=${oid}&limit=500`, { headers: admin.headers });
  assert.equal(pn.status, 200, pn.text);
  assert.equal(pn.json.total, expected.phone_numbers_all);
  assert.deepEqual(pn.json.phone_numbers, pn.json.data);
  const one = pn.json.data[0];
  assert.match(one.number, /^\+\d{11}$/);
  assert.equal(one.orgId, oid);
  assert.ok('label' in one && 'createdAt' in one);
  const ext = await api.get(`/api/admin/mightycall/extensions?orgId=${oid}&limit=500`, { headers: admin.headers });
  assert.equal(ext.json.total, expected.extensions);
  assert.equal(ext.json.extensions[0].extension, '101');
  assert.equal(typeof ext.json.extensions[0].display_name, 'string');
  const rep = await api.get(`/api/admin/mightycall/reports?orgId=${oid}&limit=5`, { headers: admin.headers });
  assert.equal(rep.status, 200);
  assert.ok(rep.json.total > 0);
  const r0 = rep.json.reports[0];
  for (const k of ['day', 'phone_number', 'calls', 'answered', 'missed', 'answer_rate', 'avg_handle_seconds', 'total_duration']) {
    assert.ok(k in r0, k);
  }
  assert.match(r0.day, /^\d{4}-\d\d-\d\d$/);
  // missed counts inbound calls only: at most the calls nobody answered
  assert.ok(r0.missed <= r0.calls - r0.answered, JSON.stringify(r0));
  const sync = await api.post(`/api/admin/mightycall/sync?orgId=${oid}`, undefined, { headers: admin.headers });
  assert.equal(sync.status, 200, sync.text);
  assert.equal(sync.json.success, true);
  assert.equal(sync.json.phones, expected.phone_numbers);
  assert.equal(sync.json.extensions, expected.extensions);
  assertError(assert, await api.post('/api/admin/mightycall/sync', undefined, { headers: admin.headers }), 400, 'BAD_REQUEST');
  const plain = await newOrg(admin.headers, { name: uniqueName('NoIntegration') });
  assertError(assert, await api.post('/api/admin/mightycall/sync', { orgId: plain.id }, { headers: admin.headers }),
    404, 'NOT_FOUND');
});
