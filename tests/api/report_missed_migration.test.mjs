// report_missed_migration.test.mjs — migration 100 (sql/100_report_missed_inbound.sql)
// recounts the stored call_reports_daily.missed with the card's definition
// (inbound, not answered, no longer live = calls.call_type 'missed'), on a
// database of its own: every earlier migration applied, report rows written
// with the old definition (every call not connected), then 100 applied. Rows
// that change move their computed_at, the others keep it; the org day rollup
// (sql/075) follows through its triggers; an org without calls and the
// other figures are left as they were.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, VAR, sql } from './lib.mjs';

const BUILD = process.env.VS_BUILD ?? 'build';
const db = `vs_mig100_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'vs-mig100-'));
const M100 = '100_report_missed_inbound.sql';

function migrate() {
  return spawnSync(`${ROOT}/${BUILD}/vs-sync`, ['--config', `${VAR}/victorysync.conf`, 'migrate', '--dir', dir], {
    encoding: 'utf8', env: { ...process.env, CREDENTIALS_DIRECTORY: `${VAR}/secrets`, VS_DB_NAME: db },
  });
}
const q = (s) => sql(s, db);

sql(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`, 'mysql');
after(() => { sql(`DROP DATABASE IF EXISTS ${db}`, 'mysql'); rmSync(dir, { recursive: true, force: true }); });

const A = '0190a000-0000-7000-8000-00000000000a'; // America/Chicago, calls on two local days
const B = '0190a000-0000-7000-8000-00000000000b'; // a report row and no calls
const N1 = '+13125550111';
const N2 = '+13125550112';

// [started_at UTC, number, direction, status]; Chicago is UTC-5 in March after the 8th (CDT)
const CALLS = [
  ['2026-03-10 15:00:00', N1, 'inbound', 'missed'],
  ['2026-03-10 15:10:00', N1, 'inbound', 'voicemail'],
  ['2026-03-10 15:20:00', N1, 'inbound', 'connected'],
  ['2026-03-10 15:30:00', N1, 'outbound', 'no_answer'],
  ['2026-03-10 15:40:00', N1, 'outbound', 'missed'],
  ['2026-03-10 15:50:00', N1, 'inbound', 'ringing'],
  ['2026-03-11 04:30:00', N1, 'inbound', 'dropped'], // 23:30 local: still 03-10
  ['2026-03-10 16:00:00', N2, 'inbound', 'connected'],
  ['2026-03-10 16:10:00', N2, 'outbound', 'no_answer'],
  ['2026-03-11 16:00:00', N2, 'inbound', 'connected'],
];

test('every earlier migration applies; report rows as the old definition wrote them', () => {
  for (const f of readdirSync(join(ROOT, 'sql')).filter((n) => /^\d{3}_.*\.sql$/.test(n) && n !== M100)) {
    copyFileSync(join(ROOT, 'sql', f), join(dir, f));
  }
  const r = migrate();
  assert.equal(r.status, 0, r.stderr);
  q(`INSERT INTO orgs (id, name, slug, timezone) VALUES ('${A}', 'Mig A', 'mig-100-a', 'America/Chicago'),
     ('${B}', 'Mig B', 'mig-100-b', 'UTC')`);
  q(`INSERT INTO calls (org_id, external_id, business_number, direction, status, started_at, duration_seconds) VALUES
     ${CALLS.map(([t, n, d, s], i) => `('${A}', 'm100-${i}', '${n}', '${d}', '${s}', '${t}', ${s === 'connected' ? 60 : 0})`).join(', ')}`);
  // the pre-100 recompute: missed = every call not connected
  q(`INSERT INTO call_reports_daily (org_id, day, phone_number, calls, answered, missed, inbound, outbound, voicemails,
       answer_rate, avg_handle_seconds, total_duration, computed_at)
     SELECT '${A}', x.d, x.bn, COUNT(*), SUM(x.status = 'connected'), SUM(x.status <> 'connected'),
            SUM(x.direction = 'inbound'), SUM(x.direction = 'outbound'), SUM(x.status = 'voicemail'),
            ROUND(100 * SUM(x.status = 'connected') / COUNT(*), 2), 60, SUM(x.duration_seconds), '2026-03-12 00:00:00'
     FROM (SELECT DATE(CONVERT_TZ(started_at, '+00:00', 'America/Chicago')) AS d, business_number AS bn, status,
                  direction, duration_seconds FROM calls WHERE org_id = '${A}') x GROUP BY x.d, x.bn`);
  q(`INSERT INTO call_reports_daily (org_id, day, phone_number, calls, answered, missed, computed_at)
     VALUES ('${B}', '2026-03-10', '${N1}', 4, 1, 3, '2026-03-12 00:00:00')`);
  assert.deepEqual(q(`SELECT CAST(day AS CHAR), phone_number, missed FROM call_reports_daily WHERE org_id = '${A}'
                      ORDER BY day, phone_number`),
  [['2026-03-10', N1, '6'], ['2026-03-10', N2, '1'], ['2026-03-11', N2, '0']]);
});

test('100 recounts missed as inbound not answered and no longer live; the rollup follows', () => {
  const before = q(`SELECT CAST(day AS CHAR), phone_number, calls, answered, inbound, outbound, voicemails, answer_rate,
                    total_duration FROM call_reports_daily ORDER BY org_id, day, phone_number`);
  copyFileSync(join(ROOT, 'sql', M100), join(dir, M100));
  const r = migrate();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /applying 100_report_missed_inbound\.sql/);
  // N1 on 03-10: missed, voicemail, dropped at 23:30 local; not the outbound ones, not the one ringing
  assert.deepEqual(q(`SELECT CAST(day AS CHAR), phone_number, missed FROM call_reports_daily WHERE org_id = '${A}'
                      ORDER BY day, phone_number`),
  [['2026-03-10', N1, '3'], ['2026-03-10', N2, '0'], ['2026-03-11', N2, '0']]);
  assert.deepEqual(q(`SELECT CAST(day AS CHAR), phone_number FROM call_reports_daily WHERE org_id = '${A}'
                      AND computed_at = '2026-03-12 00:00:00' ORDER BY day`), [['2026-03-11', N2]],
  'the two changed rows have a new computed_at, the unchanged one keeps its own');
  // the same count as the calls list's type=missed over that local day
  assert.deepEqual(q(`SELECT COUNT(*) FROM calls WHERE org_id = '${A}' AND call_type = 'missed'
                      AND started_at >= '2026-03-10 05:00:00' AND started_at < '2026-03-11 05:00:00'`), [['3']]);
  assert.deepEqual(q(`SELECT missed FROM call_reports_daily WHERE org_id = '${B}'`), [['0']], 'no calls: nothing missed');
  assert.deepEqual(q(`SELECT CAST(day AS CHAR), phone_number, calls, answered, inbound, outbound, voicemails, answer_rate,
                      total_duration FROM call_reports_daily ORDER BY org_id, day, phone_number`), before, 'other figures kept');
  assert.deepEqual(q(`SELECT org_id, CAST(day AS CHAR), missed, nrows, calls FROM call_reports_org_daily ORDER BY org_id, day`),
    q(`SELECT org_id, CAST(day AS CHAR), SUM(missed), COUNT(*), SUM(calls) FROM call_reports_daily GROUP BY org_id, day
       ORDER BY org_id, day`));
  assert.deepEqual(q("SHOW PROCEDURE STATUS WHERE Name = 'vs_100_report_missed'"), [], 'its helper procedure is gone');
});
