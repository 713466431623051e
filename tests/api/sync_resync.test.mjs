// sync_resync.test.mjs — one journal window per run serves calls, voicemails
// and SMS (docs/sync.md "One journal window"): a no-change re-sync of every
// stream costs 4 requests, a quiet scheduled tick 1; a call or voicemail the
// journal shows (also one that started before the cursors) makes the next run
// read /calls or /voicemails; a change the journal does not show comes back
// once the last full read is older than sync_reconcile_minutes. The tables
// stay equal to the simulator's. Runs the real vs-sync binary.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, useSourceAddress } from './lib.mjs';
import {
  expectedCounts, jobIdFrom, jobRow, orgWithIntegration, setFaults, simControl, simCounts, simReset, sqlNum,
  storedCounts, vsSync,
} from './sync_helpers.mjs';

useSourceAddress('127.0.0.137');

let oid;

/** Requests per endpoint the simulator counted since `from` (a /counts snapshot). */
async function requestsSince(from) {
  const now = (await simCounts()).by_endpoint;
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (from[k] ?? 0)]).filter(([, v]) => v > 0));
}

/** A scheduled 15-minute tick: calls, voicemails and sms become due, are queued and drained. */
async function tick(org = oid) {
  sql(`UPDATE sync_jobs SET completed_at = completed_at - INTERVAL 16 MINUTE WHERE org_id = '${org}' `
    + "AND status = 'completed' AND type IN ('calls', 'voicemails', 'sms')");
  const s = await vsSync(['schedule', '--org', org]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /schedule: 3 job\(s\) queued/);
  const counted = (await simCounts()).by_endpoint;
  const d = await vsSync(['drain', '--org', org]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /drain: 3 job\(s\) run: 3 completed/);
  return requestsSince(counted);
}

/** The stored tables hold exactly what the simulator lists. */
async function assertExact(org = oid) {
  const want = await expectedCounts();
  const got = storedCounts(org);
  for (const k of ['calls', 'recordings', 'voicemails', 'sms']) assert.equal(got[k], want[k], k);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM voicemails WHERE org_id = '${org}' AND call_id IS NULL`), 0);
}

const iso = (msAgo) => new Date(Date.now() - msAgo).toISOString();

before(async () => {
  await simReset();
  const env = await orgWithIntegration();
  oid = env.org.id;
  const r = await vsSync(['run', '--org', oid, '--type', 'all']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('a no-change re-sync of every stream costs 4 requests: one journal window for calls, voicemails and SMS', async () => {
  const stored = storedCounts(oid);
  const all = await vsSync(['schedule', '--org', oid, '--all']);
  assert.match(all.stdout, /schedule: 8 job\(s\) queued/);
  const counted = (await simCounts()).by_endpoint;
  const d = await vsSync(['drain', '--org', oid]);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /8 job\(s\) run: 8 completed/);
  const used = await requestsSince(counted);
  assert.deepEqual(used, { 'GET /phonenumbers': 1, 'GET /team': 1, 'GET /journal/requests': 1, 'GET /contacts': 1 });
  assert.equal(Object.values(used).reduce((a, b) => a + b, 0), 4);
  assert.deepEqual(storedCounts(oid), stored);
  // the window's verdicts: Call entries judged for both streams, nothing new
  const row = JSON.parse(sql(`SELECT cursor_value FROM sync_cursors WHERE org_id = '${oid}' AND stream = 'journal'`)[0][0]);
  assert.ok(row.calls_at > 0 && row.vm_at > 0, JSON.stringify(row));
  assert.equal(row.calls_new, 0);
  assert.equal(row.vm_new, 0);
  assert.equal(row.page, 1000, 'the first sync proved the page size');
});

test('a quiet scheduled tick costs the journal window only', async () => {
  assert.deepEqual(await tick(), { 'GET /journal/requests': 1 });
});

test('a call the journal shows, started before the cursors, is found by the next run', async () => {
  const { calls } = await simControl('POST', '/calls', { count: 1, at: iso(30 * 60000), status: 'Connected', recording: true });
  assert.equal(calls.length, 1);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND external_id = '${calls[0].id}'`), 0);
  assert.deepEqual(await tick(), { 'GET /journal/requests': 1, 'GET /calls': 1 });
  assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND external_id = '${calls[0].id}' `
    + 'AND recording_url IS NOT NULL'), 1);
  await assertExact();
});

test('new calls and a new voicemail appended upstream: the journal sends the next run to /calls and /voicemails', async () => {
  const added = await simControl('POST', '/calls', { count: 2, status: 'Connected' });
  const vm = await simControl('POST', '/calls', { count: 1, status: 'VoiceMail' });
  const vms = storedCounts(oid).voicemails;
  assert.deepEqual(await tick(), { 'GET /journal/requests': 1, 'GET /calls': 1, 'GET /voicemails': 1 });
  for (const c of [...added.calls, ...vm.calls]) {
    assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${oid}' AND external_id = '${c.id}'`), 1, c.id);
  }
  assert.equal(storedCounts(oid).voicemails, vms + 1);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM voicemails v JOIN calls c ON c.id = v.call_id WHERE v.org_id = '${oid}' `
    + `AND c.external_id = '${vm.calls[0].id}'`), 1, 'the voicemail is linked to its call');
  await assertExact();
  // and the run after that is quiet again
  assert.deepEqual(await tick(), { 'GET /journal/requests': 1 });
});

test('a change the journal does not show is read back once the last full read is older than sync_reconcile_minutes', async () => {
  const callId = sql(`SELECT external_id FROM calls WHERE org_id = '${oid}' ORDER BY started_at DESC LIMIT 1`)[0][0];
  const vmId = sql(`SELECT external_id FROM voicemails WHERE org_id = '${oid}' ORDER BY received_at DESC LIMIT 1`)[0][0];
  const dur = (t, id) => sqlNum(`SELECT duration_seconds FROM ${t} WHERE org_id = '${oid}' AND external_id = '${id}'`);
  const callDur = dur('calls', callId), vmDur = dur('voicemails', vmId);
  // what MightyCall changes without a journal entry (here: the stored copy drifts from it)
  sql(`UPDATE calls SET duration_seconds = duration_seconds + 7 WHERE org_id = '${oid}' AND external_id = '${callId}'`);
  sql(`UPDATE voicemails SET duration_seconds = duration_seconds + 7 WHERE org_id = '${oid}' AND external_id = '${vmId}'`);
  // within the interval the journal decides: nothing new, nothing read back
  assert.deepEqual(await tick(), { 'GET /journal/requests': 1 });
  assert.equal(dur('calls', callId), callDur + 7);
  assert.equal(dur('voicemails', vmId), vmDur + 7);
  // the last full reads are now 61 minutes old (default sync_reconcile_minutes: 60)
  const old = iso(61 * 60000);
  sql(`UPDATE sync_cursors SET cursor_value = '${old}' WHERE org_id = '${oid}' AND stream IN ('calls', 'voicemails')`);
  const used = await tick();
  assert.deepEqual(used, { 'GET /journal/requests': 1, 'GET /calls': 1, 'GET /voicemails': 1 });
  assert.equal(dur('calls', callId), callDur);
  assert.equal(dur('voicemails', vmId), vmDur);
  const calls = jobRow(sql(`SELECT id FROM sync_jobs WHERE org_id = '${oid}' AND type = 'calls' `
    + 'ORDER BY created_at DESC LIMIT 1')[0][0]);
  assert.equal(calls.updated_count, 1);
  await assertExact();
});

test('run --type calls alone: a job queued after the last window reads the journal, then /calls only when it shows a call', async () => {
  const counted = (await simCounts()).by_endpoint;
  const r = await vsSync(['run', '--org', oid, '--type', 'calls']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(jobRow(jobIdFrom(r.stdout, 'calls')).status, 'completed');
  assert.deepEqual(await requestsSince(counted), { 'GET /journal/requests': 1 });
});

test('with journal requestGuid ≠ call id and pages capped at 100, the journal still finds what is new, exactly', async () => {
  const modes = { journal_guid: 'distinct', page_cap: 100 };
  // the simulator's own listing (the expected counts) is read without the modes
  const exact = async (org) => { await setFaults({}); await assertExact(org); await setFaults(modes); };
  await setFaults(modes);
  try {
    const other = (await orgWithIntegration()).org.id;
    const first = await vsSync(['run', '--org', other, '--type', 'all']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    await exact(other);
    // quiet: the window (under 100 entries) ends on its first page, the page size being proven (100)
    assert.deepEqual(await tick(other), { 'GET /journal/requests': 1 });
    const past = await simControl('POST', '/calls', { count: 1, at: iso(20 * 60000), status: 'Connected' });
    const vm = await simControl('POST', '/calls', { count: 1, status: 'VoiceMail' });
    assert.deepEqual(await tick(other), { 'GET /journal/requests': 1, 'GET /calls': 1, 'GET /voicemails': 1 });
    for (const c of [...past.calls, ...vm.calls]) {
      assert.equal(sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = '${other}' AND external_id = '${c.id}'`), 1, c.id);
    }
    await exact(other);
    assert.deepEqual(await tick(other), { 'GET /journal/requests': 1 });
  } finally {
    await setFaults({});
  }
});
