// report_rollup.test.mjs — the org's day rollup (sql/075, call_reports_org_daily)
// that answers reports?group_by=day without a phone_number filter: after
// inserts, updates (also moving a row to another day) and deletes of
// call_reports_daily rows it equals the grouped sum of those rows, a day
// without rows disappears, and the API's by-day page (rollup) equals the
// by-day page of every number summed (the grouped statement answers the
// phone_number-filtered page).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin } from './fixtures.mjs';

useSourceAddress('127.0.0.63');

let admin; let org;
before(async () => {
  admin = await platformAdmin();
  org = await newOrg(admin.headers, { timezone: 'America/Chicago' });
});

const COLS = 'calls, answered, missed, inbound, outbound, voicemails, total_duration';

function rollup() {
  return sql(`SELECT CAST(day AS CHAR), nrows, ${COLS}, handled FROM call_reports_org_daily
              WHERE org_id = '${org.id}' ORDER BY day`).map((r) => r.join('|'));
}
function grouped() {
  return sql(`SELECT CAST(day AS CHAR), COUNT(*), ${COLS.split(', ').map((c) => `SUM(${c})`).join(', ')},
              SUM(ROUND(avg_handle_seconds * answered)) FROM call_reports_daily
              WHERE org_id = '${org.id}' GROUP BY day ORDER BY day`).map((r) => r.join('|'));
}
// missed: inbound calls not answered (docs/dashboard.md#cards), at most inbound - its answered
function put(day, number, [calls, answered, missed, inbound, outbound, vm, dur, avg]) {
  sql(`INSERT INTO call_reports_daily (org_id, day, phone_number, calls, answered, missed, inbound, outbound,
       voicemails, answer_rate, avg_handle_seconds, total_duration)
       VALUES ('${org.id}', '${day}', '${number}', ${calls}, ${answered}, ${missed}, ${inbound}, ${outbound},
       ${vm}, ${calls ? Math.round(10000 * answered / calls) / 100 : 0}, ${avg}, ${dur})
       ON DUPLICATE KEY UPDATE calls = VALUES(calls), answered = VALUES(answered), missed = VALUES(missed),
       inbound = VALUES(inbound), outbound = VALUES(outbound), voicemails = VALUES(voicemails),
       answer_rate = VALUES(answer_rate), avg_handle_seconds = VALUES(avg_handle_seconds),
       total_duration = VALUES(total_duration)`);
}
const byDay = (extra = '') => api.get(`/api/orgs/${org.id}/reports?group_by=day&date_from=2026-03-01&date_to=2026-03-31${extra}`,
  { headers: admin.headers });

test('the rollup follows inserts, updates, moves and deletes of the number rows', () => {
  put('2026-03-07', '+13125550101', [10, 7, 2, 9, 1, 2, 600, 61.33]);
  put('2026-03-07', '+13125550102', [4, 1, 3, 4, 0, 1, 90, 17.5]);
  put('2026-03-08', '+13125550101', [3, 3, 0, 2, 1, 0, 300, 100.01]);
  assert.deepEqual(rollup(), grouped());
  assert.equal(rollup().length, 2);
  put('2026-03-07', '+13125550102', [6, 5, 0, 5, 1, 0, 420, 70.25]); // update in place
  assert.deepEqual(rollup(), grouped());
  sql(`UPDATE call_reports_daily SET day = '2026-03-09' WHERE org_id = '${org.id}' AND day = '2026-03-08'`); // move
  assert.deepEqual(rollup(), grouped());
  assert.deepEqual(rollup().map((r) => r.split('|')[0]), ['2026-03-07', '2026-03-09']);
  sql(`DELETE FROM call_reports_daily WHERE org_id = '${org.id}' AND phone_number = '+13125550102'`);
  assert.deepEqual(rollup(), grouped());
  sql(`DELETE FROM call_reports_daily WHERE org_id = '${org.id}' AND day = '2026-03-09'`);
  assert.deepEqual(rollup(), grouped(), 'a day without rows is gone');
  assert.equal(rollup().length, 1);
});

test('the by-day page from the rollup equals the sum of the per-number pages', async () => {
  put('2026-03-10', '+13125550101', [12, 9, 1, 10, 2, 1, 1234, 88.89]);
  put('2026-03-10', '+13125550102', [5, 2, 3, 5, 0, 3, 77, 12.5]);
  put('2026-03-11', '+13125550102', [1, 0, 1, 1, 0, 1, 0, 0]);
  const all = await byDay();
  assert.equal(all.status, 200, all.text);
  const a = await byDay('&phone_number=%2B13125550101');
  const b = await byDay('&phone_number=%2B13125550102');
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  const days = new Map();
  for (const row of [...a.json.data, ...b.json.data]) {
    const d = days.get(row.day) ?? { day: row.day, calls: 0, answered: 0, missed: 0, total_duration: 0, inbound: 0, outbound: 0, voicemails: 0 };
    for (const k of ['calls', 'answered', 'missed', 'total_duration', 'inbound', 'outbound', 'voicemails']) d[k] += row[k];
    days.set(row.day, d);
  }
  assert.equal(all.json.total, days.size);
  for (const row of all.json.data) {
    const d = days.get(row.day);
    assert.ok(d, `day ${row.day}`);
    for (const k of ['calls', 'answered', 'missed', 'total_duration', 'inbound', 'outbound', 'voicemails']) {
      assert.equal(row[k], d[k], `${row.day} ${k}`);
    }
    assert.equal(row.answer_rate, d.calls ? Math.round(10000 * d.answered / d.calls) / 100 : 0);
  }
  // the same day's average handle time as the grouped statement (the general path with a number filter
  // computes it from the same integer sums)
  const day10 = all.json.data.find((r) => r.day === '2026-03-10');
  assert.equal(day10.avg_handle_seconds, Math.round(100 * (Math.round(88.89 * 9) + Math.round(12.5 * 2)) / 11) / 100);
  assert.equal(all.json.summary.calls, a.json.summary.calls + b.json.summary.calls);
  assert.equal(all.json.summary.answered, a.json.summary.answered + b.json.summary.answered);
  // missed is the sum of the rows' missed (not calls - answered)
  assert.equal(all.json.summary.missed, a.json.summary.missed + b.json.summary.missed);
  assert.equal(all.json.summary.missed, Number(sql(`SELECT SUM(missed) FROM call_reports_daily WHERE org_id = '${org.id}'
    AND day BETWEEN '2026-03-01' AND '2026-03-31'`)[0][0]));
  assert.ok(all.json.summary.missed < all.json.summary.calls - all.json.summary.answered);
});
