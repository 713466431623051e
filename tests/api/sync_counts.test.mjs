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

const FIGURES = 'n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n';
const NONZERO = 'NOT (n = 0 AND answered = 0 AND dur_sum = 0 AND ans_dur_sum = 0 AND wait_sum = 0 AND wait_n = 0)';

/** Every non-zero counter row of the org, as sorted text lines (a recount never keeps zero rows). */
function counters(orgId) {
  const q = (table, bucket) => sql(`SELECT kind, ${bucket}, number, d1, d2, ${FIGURES} FROM ${table} `
    + `WHERE org_id = '${orgId}' AND ${NONZERO} ORDER BY kind, ${bucket}, number, d1, d2`).map((r) => r.join('|'));
  return {
    hourly: q('data_counts_hourly', 'CAST(bucket AS CHAR)'),
    daily: q('data_counts_daily', 'CAST(bucket AS CHAR)'),
    total: q('data_counts_total', "''"),
  };
}

function assertExact(orgId, what) {
  const kept = counters(orgId);
  sql(`CALL vs_data_counts_rebuild('${orgId}')`);
  const recount = counters(orgId);
  for (const g of ['hourly', 'daily', 'total']) {
    const missing = recount[g].filter((l) => !kept[g].includes(l));
    const extra = kept[g].filter((l) => !recount[g].includes(l));
    assert.deepEqual({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }, { missing: [], extra: [] },
      `${what}: ${g} counters differ from a recount`);
  }
  return recount;
}

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
  const first = assertExact(org, 'first sync');
  const callAll = first.total.find((l) => l.startsWith('call_all|'));
  assert.equal(Number(callAll.split('|')[5]), calls, 'call_all total = stored calls');

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
  const after = assertExact(org, 're-sync');
  const restored = sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}' AND external_id IN (${list}) `
    + 'AND status = \'connected\'')[0][0];
  assert.equal(Number(restored), 25, 'the changed calls are back to their MightyCall values');
  const back = Number(sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}' AND external_id IN `
    + `(${gone.map((id) => `'${id}'`).join(',')})`)[0][0]);
  assert.equal(back, 10, 'the deleted calls are back');
  const nowCalls = Number(sql(`SELECT COUNT(*) FROM calls WHERE org_id = '${org}'`)[0][0]);
  assert.equal(nowCalls, calls + 7, 'the appended calls arrived, nothing duplicated');
  assert.equal(Number(after.total.find((l) => l.startsWith('call_all|')).split('|')[5]), nowCalls);
});
