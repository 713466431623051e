// generate.mjs — bulk call data for benchmarks, straight into MariaDB as root
// with INSERT … SELECT over the SEQUENCE engine (seq_1_to_N): no row goes
// through the client. For one org: N calls over the last DAYS days up to now
// (US-business-hours-shaped, 20 business numbers, 30 extensions, statuses and
// directions in the simulator's proportions), recordings for 65% of answered
// calls, N/5 SMS, N/50 voicemails; then the counters of sql/030 rebuilt
// (vs_data_counts_rebuild) and call_reports_daily recomputed for every local
// day the way the sync does (mc_reports_recompute_days).
//
//   node bench/generate.mjs ORG_ID [--calls N] [--days D]       (profile from VS_PROFILE)
//
// Rows carry external ids "bench-…", so a second run for the same org first
// removes the previous bench rows of that org.
import { sql } from '../tests/api/lib.mjs';

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Deterministic "random" in [0, m) from a row number and a salt (integer hash in SQL). */
const h = (salt, m) => `(((seq * 2654435761 + ${salt} * 40503) ^ (seq >> 7)) % ${m})`;

export function generate(orgId, { calls = 1_000_000, days = 90, log = () => {} } = {}) {
  const o = lit(orgId);
  const span = days * 86400;
  // second of the span, shaped: most calls on weekdays 13:00–22:00 UTC (US business hours)
  const sec = `(FLOOR(${h(1, days)}) * 86400 + IF(${h(2, 10)} < 8, 46800 + ${h(3, 32400)}, ${h(4, 86400)}))`;
  const t0 = `(UTC_TIMESTAMP(3) - INTERVAL ${span} SECOND)`;
  const started = `LEAST(${t0} + INTERVAL (${sec} + (${h(5, 1000)}) / 1000) SECOND, UTC_TIMESTAMP(3) - INTERVAL 1 SECOND)`;
  const t = Date.now();
  log(`generate: removing earlier bench rows of org ${orgId}`);
  sql(`SET @vs_bulk_skip_counters = 1;
    DELETE FROM recordings WHERE org_id = ${o} AND external_id LIKE 'bench-%';
    DELETE FROM voicemails WHERE org_id = ${o} AND external_id LIKE 'bench-%';
    DELETE FROM sms_messages WHERE org_id = ${o} AND external_id LIKE 'bench-%';
    DELETE FROM calls WHERE org_id = ${o} AND external_id LIKE 'bench-%';`);
  log(`generate: ${calls} calls over ${days} days`);
  for (let from = 1; from <= calls; from += 250_000) {
    const to = Math.min(calls, from + 249_999);
    sql(`SET @vs_bulk_skip_counters = 1;
      INSERT INTO calls (org_id, external_id, business_number, direction, status, caller_number, caller_name, called_number,
                         extension, agent_name, started_at, duration_seconds, queue_wait_seconds, recording_url, source)
      SELECT ${o}, CONCAT('bench-', seq), CONCAT('+1212555', LPAD(${h(6, 20)}, 4, '0')), dir, st,
             CONCAT('+1415', LPAD(${h(7, 9000000)}, 7, '0')), CONCAT('Caller ', ${h(8, 5000)}),
             CONCAT('+1212555', LPAD(${h(6, 20)}, 4, '0')), CONCAT(101 + ${h(9, 30)}), CONCAT('Agent ', 101 + ${h(9, 30)}),
             ${started}, IF(st = 'connected', 20 + ${h(10, 600)}, ${h(11, 30)}),
             IF(dir = 'inbound', ${h(12, 240)}, NULL),
             IF(st = 'connected' AND ${h(13, 100)} < 65, CONCAT('https://recordings.example/bench-', seq, '.wav'), NULL),
             'calls'
      FROM (SELECT seq, dir, CASE WHEN dir = 'inbound' AND r < 72 THEN 'connected'
                                  WHEN dir = 'inbound' AND r < 92 THEN 'missed'
                                  WHEN dir = 'inbound' THEN 'dropped'
                                  WHEN r < 78 THEN 'connected' ELSE 'no_answer' END AS st
            FROM (SELECT seq, IF(${h(14, 100)} < 62, 'inbound', 'outbound') AS dir, ${h(15, 100)} AS r
                  FROM seq_${from}_to_${to}) s) y`);
    log(`generate: calls ${to}/${calls} (${Math.round((Date.now() - t) / 1000)} s)`);
  }
  log('generate: recordings, sms, voicemails');
  sql(`SET @vs_bulk_skip_counters = 1;
    INSERT INTO recordings (org_id, external_id, call_id, business_number, caller_number, direction, extension,
                            duration_seconds, url, file_name, recorded_at)
      SELECT org_id, external_id, id, business_number, caller_number, direction, extension, duration_seconds,
             recording_url, CONCAT(external_id, '.wav'), started_at
      FROM calls WHERE org_id = ${o} AND external_id LIKE 'bench-%' AND recording_url IS NOT NULL;
    INSERT INTO sms_messages (org_id, external_id, business_number, contact_number, direction, body, status, sent_at, source)
      SELECT ${o}, CONCAT('bench-', seq), CONCAT('+1212555', LPAD(${h(16, 20)}, 4, '0')),
             CONCAT('+1415', LPAD(${h(17, 90000)}, 7, '0')), IF(${h(18, 100)} < 55, 'inbound', 'outbound'),
             CONCAT('Benchmark message ', seq), IF(${h(18, 100)} < 55, 'received', IF(${h(19, 100)} < 96, 'delivered', 'failed')),
             ${started}, 'journal'
      FROM seq_1_to_${Math.max(1, Math.floor(calls / 5))};
    INSERT INTO voicemails (org_id, external_id, from_number, to_number, assigned_to, duration_seconds, status,
                            recording_url, received_at)
      SELECT ${o}, CONCAT('bench-', seq), CONCAT('+1415', LPAD(${h(20, 9000000)}, 7, '0')),
             CONCAT('+1212555', LPAD(${h(21, 20)}, 4, '0')), 'Main box', 5 + ${h(22, 120)},
             IF(${h(23, 3)} = 0, 'read', 'unread'), CONCAT('https://recordings.example/vm-', seq, '.wav'), ${started}
      FROM seq_1_to_${Math.max(1, Math.floor(calls / 50))};`);
  log(`generate: counters (vs_data_counts_rebuild) (${Math.round((Date.now() - t) / 1000)} s)`);
  sql(`CALL vs_data_counts_rebuild(${o})`);
  log('generate: call_reports_daily for every local day');
  sql(`DELETE FROM call_reports_daily WHERE org_id = ${o};
    INSERT INTO call_reports_daily (org_id, day, phone_number, phone_number_id, calls, answered, missed, inbound,
                                    outbound, voicemails, answer_rate, avg_handle_seconds, total_duration, computed_at)
    SELECT ${o}, x.d, x.bn, NULL, COUNT(*), SUM(x.status = 'connected'),
           SUM(x.direction = 'inbound' AND x.status NOT IN ('connected', 'ringing', 'in_progress')),
           SUM(x.direction = 'inbound'), SUM(x.direction = 'outbound'), SUM(x.status = 'voicemail'),
           ROUND(100 * SUM(x.status = 'connected') / COUNT(*), 2),
           ROUND(COALESCE(SUM(IF(x.status = 'connected', x.duration_seconds, 0)) / NULLIF(SUM(x.status = 'connected'), 0), 0), 2),
           SUM(x.duration_seconds), NOW(3)
    FROM (SELECT DATE(COALESCE(CONVERT_TZ(c.started_at, '+00:00', o.timezone), c.started_at)) AS d,
                 COALESCE(c.business_number, '') AS bn, c.status, c.direction, c.duration_seconds
          FROM calls c JOIN orgs o ON o.id = c.org_id WHERE c.org_id = ${o}) x
    GROUP BY x.d, x.bn;
    ANALYZE TABLE calls, sms_messages, recordings, voicemails, call_reports_daily, data_counts_hourly, data_counts_daily, data_counts_total;`);
  log(`generate: done in ${Math.round((Date.now() - t) / 1000)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const org = args[0];
  if (!/^[0-9a-f-]{36}$/.test(org ?? '')) {
    console.error('usage: node bench/generate.mjs ORG_ID [--calls N] [--days D]');
    process.exit(2);
  }
  const opt = (name, d) => { const i = args.indexOf(name); return i > 0 ? Number(args[i + 1]) : d; };
  generate(org, { calls: opt('--calls', 1_000_000), days: opt('--days', 90), log: (m) => console.error(m) });
}
