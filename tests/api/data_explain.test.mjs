// data_explain.test.mjs — every list and aggregate statement of the call-data
// API is served by an index. The statements and example parameters come from
// the code's own catalog (core/data/data_sql.c, printed into
// tests/api/data_queries.json; when the unit-test binary is built it is run
// here too and must print the same). Each case is run as root through
// PREPARE/EXECUTE of "EXPLAIN <the same SQL text>" with real values, on a
// database holding several orgs of data, and checked: the expected index per
// table, no full table or full index scan, no filesort where the order must
// come from the index; keyset pages also run through ANALYZE to check that
// only about one page of rows is read, whatever the depth.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT, sql, useSourceAddress } from './lib.mjs';
import { dataOrg } from './data_helpers.mjs';

useSourceAddress('127.0.0.45');

const CATALOG = JSON.parse(readFileSync(`${ROOT}/tests/api/data_queries.json`, 'utf8'));
const ORGS = 6;
const CALLS = 4000; // per org
const T0 = '2024-01-01 00:00:00';

let tokens;

function lit(v) {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** Fill one org with rows in every table the catalog reads (counters rebuilt at the end). */
function seed(orgId, n) {
  const o = lit(orgId);
  const t = (expr) => `TIMESTAMP('${T0}') + INTERVAL (${expr}) SECOND`;
  sql(`SET @vs_bulk_skip_counters = 1;
    INSERT INTO calls (org_id, external_id, business_number, direction, status, caller_number, extension, started_at, duration_seconds, queue_wait_seconds)
      SELECT ${o}, CONCAT('x', seq), CONCAT('+1212555', LPAD(seq % 20, 4, '0')), IF(seq % 8 < 5, 'inbound', 'outbound'),
        ELT(1 + seq % 6, 'connected', 'missed', 'connected', 'voicemail', 'dropped', 'in_progress'), CONCAT('+1415555', LPAD(seq % 9000, 4, '0')),
        100 + seq % 30, ${t('seq * 1937')}, seq % 600, IF(seq % 3 = 0, seq % 90, NULL) FROM seq_1_to_${n};
    INSERT INTO sms_messages (org_id, external_id, business_number, contact_number, direction, body, status, sent_at)
      SELECT ${o}, CONCAT('s', seq), CONCAT('+1212555', LPAD(seq % 20, 4, '0')), CONCAT('+1415555', LPAD(seq % 9000, 4, '0')),
        IF(seq % 2, 'inbound', 'outbound'), 'hello', IF(seq % 2, 'received', 'delivered'), ${t('seq * 3877')} FROM seq_1_to_${n / 2};
    INSERT INTO recordings (org_id, external_id, business_number, direction, duration_seconds, url, recorded_at)
      SELECT ${o}, CONCAT('r', seq), CONCAT('+1212555', LPAD(seq % 20, 4, '0')), 'inbound', seq % 300, 'https://r.example/x.wav', ${t('seq * 7001')}
      FROM seq_1_to_${n / 4};
    INSERT INTO voicemails (org_id, external_id, to_number, from_number, status, duration_seconds, received_at)
      SELECT ${o}, CONCAT('v', seq), CONCAT('+1212555', LPAD(seq % 20, 4, '0')), '+14155550000', IF(seq % 3, 'unread', 'read'), 20, ${t('seq * 19001')}
      FROM seq_1_to_${n / 10};
    INSERT INTO extensions (org_id, external_id, extension, display_name, status)
      SELECT ${o}, CONCAT('u', seq), 100 + seq, CONCAT('Agent ', seq), IF(seq % 5, 'active', 'inactive') FROM seq_1_to_30;
    INSERT INTO phone_numbers (org_id, external_id, number, status)
      SELECT ${o}, CONCAT('p', seq), CONCAT('+1212555', LPAD(seq, 4, '0')), IF(seq % 4, 'active', 'inactive') FROM seq_0_to_19;
    INSERT INTO contacts (org_id, external_id, display_name, first_name, company, primary_phone, primary_email, deleted_at)
      SELECT ${o}, CONCAT('k', seq), CONCAT(CHAR(65 + seq % 26), 'name ', seq), 'x',
        IF(seq % 3 = 0, NULL, CONCAT(CHAR(65 + seq % 26), 'lco ', seq)), CONCAT('+1415555', LPAD(seq, 4, '0')),
        CONCAT('p', seq, '@example.test'), IF(seq % 20 = 0, NOW(), NULL) FROM seq_1_to_${n / 8};
    INSERT INTO call_reports_daily (org_id, day, phone_number, calls, answered, missed)
      SELECT ${o}, DATE('${T0}') + INTERVAL (seq DIV 20) DAY, CONCAT('+1212555', LPAD(seq % 20, 4, '0')), 10, 7, 3 FROM seq_0_to_1799;
    CALL vs_data_counts_rebuild(${o});`);
}

before(async () => {
  const orgs = [];
  for (let i = 0; i < ORGS; i++) orgs.push(await dataOrg({ roles: i === 0 ? ['agent'] : [] }));
  for (const o of orgs) seed(o.id, CALLS);
  const target = orgs[0];
  sql(`INSERT INTO agent_status (org_id, user_id, status, since) VALUES (${lit(target.id)}, ${lit(target.agent.user.id)}, 'available', NOW())`);
  sql('ANALYZE TABLE calls, sms_messages, recordings, voicemails, extensions, phone_numbers, contacts, call_reports_daily, '
    + 'data_counts_hourly, data_counts_daily, data_counts_total, agent_status, org_members, sync_jobs, orgs, users');
  const [[curT, curId]] = sql(`SELECT DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s.%f'), id FROM calls WHERE org_id = ${lit(target.id)} ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ${Math.floor(CALLS / 2)}`);
  tokens = {
    $org: target.id, $num: '+12125550003', $tA: '2024-01-10 10:17:33', $tB: '2024-01-10 10:47:03',
    $hA: '2024-01-10 11:00:00', $hB: '2024-01-11 00:00:00', $hC: '2024-01-20 00:00:00', $hD: '2024-01-20 05:00:00',
    $dA: '2024-01-05', $dB: '2024-02-20', $curT: curT, $curId: curId,
  };
});

/** EXPLAIN (or ANALYZE) of a catalog case through PREPARE/EXECUTE → rows as objects. */
function explain(q, verb = 'EXPLAIN') {
  const params = q.params.map((v) => (typeof v === 'string' && v.startsWith('$') ? tokens[v] : v));
  for (const [i, v] of q.params.entries()) assert.ok(!(typeof v === 'string' && v.startsWith('$') && tokens[v] === undefined), `token ${v}`);
  const sets = params.map((v, i) => `SET @p${i} = ${lit(v)};`).join(' ');
  const using = params.length ? ` USING ${params.map((_, i) => `@p${i}`).join(', ')}` : '';
  const rows = sql(`${sets} SET @q = ${lit(`${verb} ${q.sql}`)}; PREPARE s FROM @q; EXECUTE s${using}; DEALLOCATE PREPARE s;`);
  const cols = verb === 'EXPLAIN'
    ? ['id', 'select_type', 'table', 'type', 'possible_keys', 'key', 'key_len', 'ref', 'rows', 'Extra']
    : ['id', 'select_type', 'table', 'type', 'possible_keys', 'key', 'key_len', 'ref', 'rows', 'r_rows', 'filtered', 'r_filtered', 'Extra'];
  return rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i] === 'NULL' ? null : r[i]])));
}

test('the catalog file is what the code prints (when the unit-test binary is built)', (t) => {
  const bin = `${ROOT}/${process.env.VS_BUILD ?? 'build'}/tests/unit/test_data_sql`;
  if (!existsSync(bin)) {
    t.skip(`${bin} not built; tests/unit/test_data_sql checks the file in make test`);
    return;
  }
  const printed = JSON.parse(execFileSync(bin, ['--print'], { encoding: 'utf8' }));
  assert.deepEqual(printed, CATALOG, 'regenerate: test_data_sql --print > tests/api/data_queries.json');
});

test('the catalog covers every list and aggregate statement', () => {
  const names = CATALOG.queries.map((q) => q.name);
  for (const must of ['calls_list', 'calls_list/cursor', 'calls_total', 'counts_all_time', 'sms_list', 'sms_total',
    'recordings_list', 'recordings_total', 'voicemails_list', 'voicemails_total', 'extensions_list', 'extensions_total',
    'phones_list', 'phones_total', 'contacts_list', 'contacts_total', 'report_rows', 'report_by_day', 'report_by_phone',
    'report_by_agent', 'report_summary', 'report_by_day_page', 'report_by_phone_page', 'metrics_org', 'client_metrics']) {
    assert.ok(names.includes(must), `${must} in the catalog`);
  }
  assert.equal(new Set(names).size, names.length);
});

for (const q of CATALOG.queries) {
  test(`EXPLAIN ${q.name}: served by an index, no full scan`, () => {
    const plan = explain(q);
    const expect = q.expect;
    const what = `${q.name}\n${plan.map((r) => `${r.select_type} ${r.table} ${r.type} ${r.key} rows=${r.rows} ${r.Extra ?? ''}`).join('\n')}`;
    const seenTables = new Set();
    for (const r of plan) {
      if (!r.table || r.table.startsWith('<')) continue; // derived / union result
      seenTables.add(r.table);
      const want = expect[r.table];
      if (want === '~') continue; // a small platform table counted whole (orgs, users)
      assert.ok(!['ALL', 'index'].includes(r.type), `full scan of ${r.table}: ${what}`);
      assert.ok(r.key, `no index for ${r.table}: ${what}`);
      if (want && want !== '*') {
        const allowed = Array.isArray(want) ? want : [want];
        assert.ok(allowed.includes(r.key), `${r.table} uses ${r.key}, expected ${allowed.join(' or ')}: ${what}`);
      }
    }
    for (const t of Object.keys(expect).filter((k) => !k.startsWith('_'))) {
      assert.ok(seenTables.has(t), `${t} appears in the plan: ${what}`);
    }
    if (expect._no_filesort) {
      assert.ok(!plan.some((r) => (r.Extra ?? '').includes('filesort')), `order must come from the index: ${what}`);
    }
  });
}

test('keyset pages read about one page of rows at any depth (ANALYZE)', () => {
  for (const q of CATALOG.queries.filter((x) => /_list/.test(x.name) && x.params.includes('$curId'))) {
    const plan = explain(q, 'ANALYZE');
    const main = plan.find((r) => r.table && !r.table.startsWith('<'));
    const read = Number(main.r_rows);
    // 51 rows wanted; a filter that the driving index does not cover may read a few pages more
    assert.ok(read <= 51 * 4, `${q.name} read ${read} rows: ${JSON.stringify(main)}`);
  }
});
