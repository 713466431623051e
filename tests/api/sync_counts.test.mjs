// sync_counts.test.mjs — the data_counts_* counters stay exact when the sync
// writes in bulk (mc_store_bulk.c: triggers skipped, one set-based update per
// page): after a first sync, and after a re-sync over rows that changed,
// vanished or arrived meanwhile, every counter row equals what a full recount
// (vs_data_counts_rebuild, sql/031) makes from the stored rows.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, useSourceAddress } from './lib.mjs';
import { jobIdFrom, jobRow, orgWithIntegration, simControl, vsSync } from './sync_helpers.mjs';

useSourceAddress('127.0.0.41');

let env;
before(async () => { env = await orgWithIntegration({ timezone: 'UTC' }); });

const NONZERO = 'NOT (n = 0 AND answered = 0 AND dur_sum = 0 AND ans_dur_sum = 0 AND wait_sum = 0 AND wait_n = 0)';

const KEY = 'd.kind = k.kind AND d.number = k.number AND d.d1 = k.d1 AND d.d2 = k.d2 AND d.n = k.n '
  + 'AND d.answered = k.answered AND d.dur_sum = k.dur_sum AND d.ans_dur_sum = k.ans_dur_sum '
  + 'AND d.wait_sum = k.wait_sum AND d.wait_n = k.wait_n';

/** Keep the org's non-zero counter rows (a recount never makes zero rows), recount
 * with vs_data_counts_rebuild, and compare in SQL: per table [kept, recounted, equal]. */
function assertExact(orgId, what) {
  const o = `'${orgId}'`;
  const keep = (t, g) => `CREATE TEMPORARY TABLE k_${g} AS SELECT * FROM ${t} WHERE org_id = ${o} AND ${NONZERO};`;
  const cmp = (t, g, bucket) => `SELECT '${g}', (SELECT COUNT(*) FROM k_${g}), `
    + `(SELECT COUNT(*) FROM ${t} WHERE org_id = ${o}), (SELECT COUNT(*) FROM k_${g} k JOIN ${t} d `
    + `ON d.org_id = ${o} AND ${KEY}${bucket ? ' AND d.bucket = k.bucket' : ''});`;
  const rows = sql(keep('data_counts_hourly', 'hourly') + keep('data_counts_daily', 'daily')
    + keep('data_counts_total', 'total') + `CALL vs_data_counts_rebuild(${o});`
    + cmp('data_counts_hourly', 'hourly', true) + cmp('data_counts_daily', 'daily', true)
    + cmp('data_counts_total', 'total', false));
  assert.equal(rows.length, 3);
  for (const [g, kept, recounted, equal] of rows) {
    assert.ok(Number(recounted) > 0, `${what}: ${g} has counters`);
    assert.deepEqual([Number(kept), Number(equal)], [Number(recounted), Number(recounted)],
      `${what}: ${g} counters (kept, equal to the recount) vs the recount's ${recounted} rows`);
  }
}

const callAll = (orgId) => Number(sql(`SELECT n FROM data_counts_total WHERE org_id = '${orgId}' AND kind = 'call_all'`)[0][0]);

async function run(type, since) {
  const r = await vsSync(['run', '--org', env.org.id, '--type', type, ...(since ? ['--since', since] : [])]);
  assert.equal(r.code, 0, `${type}: ${r.stdout}${r.stderr}`);
  if (type !== 'all') assert.equal(jobRow(jobIdFrom(r.stdout, type)).status, 'completed');
  return r;
}

test('counters equal a full recount after a first sync and after a re-sync over changed, deleted and new rows', async () => {
  const org = env.org.id;
  await run('all');
  const calls = Number(sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}'`)[0][0]);
  const recs = Number(sql(`SELECT COUNT(*) FROM recordings WHERE org_id = '${org}'`)[0][0]);
  assert.ok(calls > 100 && recs > 0, `the simulator's calls were synced (${calls} calls, ${recs} recordings)`);
  assertExact(org, 'first sync');
  assert.equal(callAll(org), calls, 'call_all total = stored calls');

  // Rows changed behind the sync's back (the triggers keep the counters exact
  // meanwhile); the re-sync must move every one of them back.
  const changed = sql(`SELECT external_id FROM calls WHERE org_id = '${org}' AND status = 'connected' `
    + 'AND source = \'calls\' ORDER BY started_at DESC LIMIT 25').map((r) => r[0]);
  assert.equal(changed.length, 25);
  const list = changed.map((id) => `'${id}'`).join(',');
  sql(`UPDATE calls SET status = 'dropped', started_at = started_at - INTERVAL 3 HOUR, duration_seconds = 1 `
    + `WHERE org_id = '${org}' AND external_id IN (${list})`);
  sql(`UPDATE recordings SET duration_seconds = duration_seconds + 7 WHERE org_id = '${org}' ORDER BY recorded_at LIMIT 10`);
  const gone = sql(`SELECT external_id FROM calls WHERE org_id = '${org}' AND external_id NOT IN (${list}) `
    + 'ORDER BY started_at LIMIT 10').map((r) => r[0]);
  sql(`DELETE FROM calls WHERE org_id = '${org}' AND external_id IN (${gone.map((id) => `'${id}'`).join(',')})`);
  await simControl('POST', '/calls', { count: 4, status: 'Connected', recording: true });
  await simControl('POST', '/calls', { count: 3, status: 'Missed' });
  assertExact(org, 'after the changes (triggers)');

  const since = new Date(Date.now() - 400 * 86400e3).toISOString();
  await run('calls', since);
  await run('recordings', since);
  assertExact(org, 're-sync');
  const restored = sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}' AND external_id IN (${list}) `
    + 'AND status = \'connected\'')[0][0];
  assert.equal(Number(restored), 25, 'the changed calls are back to their MightyCall values');
  const back = Number(sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}' AND external_id IN `
    + `(${gone.map((id) => `'${id}'`).join(',')})`)[0][0]);
  assert.equal(back, 10, 'the deleted calls are back');
  const nowCalls = Number(sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}'`)[0][0]);
  assert.equal(nowCalls, calls + 7, 'the appended calls arrived, nothing duplicated');
  assert.equal(callAll(org), nowCalls);
});
