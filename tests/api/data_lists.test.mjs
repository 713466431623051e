// data_lists.test.mjs — the time-series lists of the call-data API (calls,
// sms, recordings, voicemails) and extensions: seed 004 shapes field by
// field, every filter, newest-first order with ties broken by id, exact totals
// (counters + partial-hour edges, compared with COUNT(*) over the rows),
// paging by skip and by cursor while rows arrive, bad parameters, cross-org
// isolation. Rows are inserted as root, the way the sync writes them.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import {
  allByCursor, bumpDataVersion, dataOrg, insertCalls, insertExtensions, insertRecordings, insertSms, insertVoicemails,
  isoSec, lit, sqlNum,
} from './data_helpers.mjs';

useSourceAddress('127.0.0.40');

const TZ = 'America/New_York'; // March 2024 before DST: UTC-5
const N1 = '+12125550101';
const N2 = '+13125550102';
const BASE = Date.UTC(2024, 2, 1, 0, 0, 0); // 2024-03-01T00:00:00Z
const TIE = BASE + 7 * 3600e3 + 1234; // three calls share this instant
const STATUSES = ['connected', 'missed', 'voicemail', 'connected', 'dropped', 'connected', 'no_answer', 'ringing'];

const typeOf = (c) => (c.direction === 'outbound' ? 'outbound'
  : ['connected', 'ringing', 'in_progress'].includes(c.status) ? 'inbound' : 'missed');

let A; let B; // orgs
let calls = []; // inserted rows of A

function callRows(orgId) {
  const rows = [];
  for (let i = 0; i < 40; i++) {
    rows.push({
      org_id: orgId,
      started_at: BASE + i * 53 * 60e3 + (i % 7) * 1000 + 250,
      business_number: i % 3 === 0 ? N2 : N1,
      direction: i % 4 === 3 ? 'outbound' : 'inbound',
      status: STATUSES[i % STATUSES.length],
      caller_number: `+1415555${String(1000 + i)}`,
      caller_name: `Caller ${i}`,
      called_number: i % 3 === 0 ? N2 : N1,
      duration_seconds: i * 7,
      queue_wait_seconds: i % 2 ? i : null,
      extension: String(101 + (i % 3)),
      agent_name: `Agent ${101 + (i % 3)}`,
      recording_url: i % 5 === 0 ? `https://rec.example/${i}.wav` : null,
    });
  }
  for (let k = 0; k < 3; k++) {
    rows.push({ org_id: orgId, started_at: TIE, business_number: N1, direction: 'inbound', status: 'connected', caller_name: `Tie ${k}` });
  }
  // one second before local midnight of 2024-03-02 in New York (05:00Z)
  rows.push({ org_id: orgId, started_at: Date.UTC(2024, 2, 2, 4, 59, 59, 500), business_number: N2, status: 'missed', caller_name: 'Late' });
  rows.push({ org_id: orgId, started_at: Date.UTC(2024, 2, 2, 5, 0, 0, 0), business_number: N2, status: 'connected', caller_name: 'Early' });
  return rows;
}

/** Ids in API order (started_at DESC, id DESC) per MariaDB, filtered by a SQL condition. */
function sqlOrder(orgId, table, timeCol, where = '') {
  return sql(`SELECT id FROM ${table} WHERE org_id = ${lit(orgId)} ${where} ORDER BY ${timeCol} DESC, id DESC`).map((r) => r[0]);
}

const get = (path, who = A.agent.headers) => api.get(`/api/orgs/${A.id}${path}`, { headers: who });

before(async () => {
  A = await dataOrg({ timezone: TZ });
  B = await dataOrg({ timezone: 'UTC', roles: ['agent'] });
  calls = insertCalls(callRows(A.id));
  insertCalls(callRows(B.id).slice(0, 5));
});

describe('calls', () => {
  test('shape of an item, field by field (seed 004 + extras)', async () => {
    const r = await get('/calls?limit=500');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), ['data', 'limit', 'next_cursor', 'skip', 'total']);
    const byId = new Map(r.json.data.map((c) => [c.id, c]));
    for (const c of calls) {
      const got = byId.get(c.id);
      assert.ok(got, `call ${c.id} listed`);
      assert.equal(got.phone_number, c.business_number);
      assert.equal(got.caller_name, c.caller_name ?? null);
      assert.equal(got.duration_seconds, c.duration_seconds);
      assert.equal(got.status, c.status);
      assert.equal(got.type, typeOf(c));
      assert.equal(got.date, isoSec(new Date(c.started_at.replace(' ', 'T') + 'Z')));
      assert.equal(got.direction, c.direction);
      assert.equal(got.caller_number, c.caller_number);
      assert.equal(got.extension, c.extension);
      assert.equal(got.agent, c.agent_name);
      assert.equal(got.recording_url, c.recording_url);
      assert.equal(got.queue_wait_seconds, c.queue_wait_seconds);
      assert.equal(typeof got.id, 'string');
      assert.ok(!('_pos' in got));
    }
    assert.equal(r.json.total, calls.length);
    assert.equal(r.json.next_cursor, null);
  });

  test('newest first, ties on the same instant broken by id, exactly as MariaDB orders them', async () => {
    const r = await get('/calls?limit=500');
    assert.deepEqual(r.json.data.map((c) => c.id), sqlOrder(A.id, 'calls', 'started_at'));
    const ties = r.json.data.filter((c) => c.caller_name?.startsWith('Tie '));
    assert.equal(ties.length, 3);
  });

  test('filters: phone_number, direction, type, status, and combinations — totals exact', async () => {
    const cases = [
      ['phone_number=%2B12125550101', (c) => c.business_number === N1],
      ['phone_number=(312)%20555-0102', (c) => c.business_number === N2], // normalised to E.164
      ['phone_number=3125550102', (c) => c.business_number === N2],
      ['direction=outbound', (c) => c.direction === 'outbound'],
      ['direction=inbound', (c) => c.direction === 'inbound'],
      ['type=inbound', (c) => typeOf(c) === 'inbound'],
      ['type=outbound', (c) => typeOf(c) === 'outbound'],
      ['type=missed', (c) => typeOf(c) === 'missed'],
      ['status=voicemail', (c) => c.status === 'voicemail'],
      ['status=no_answer&direction=outbound', (c) => c.status === 'no_answer' && c.direction === 'outbound'],
      [`type=missed&phone_number=${encodeURIComponent(N2)}`, (c) => typeOf(c) === 'missed' && c.business_number === N2],
      ['status=busy', () => false],
    ];
    for (const [q, pred] of cases) {
      const r = await get(`/calls?limit=500&${q}`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      const want = calls.filter(pred).map((c) => c.id).sort();
      assert.deepEqual(r.json.data.map((c) => c.id).sort(), want, q);
      assert.equal(r.json.total, want.length, `total for ${q}`);
      for (const c of r.json.data) assert.ok(pred({ ...c, business_number: c.phone_number }), `${q}: ${c.id}`);
    }
  });

  test('date_from / date_to: date-times are UTC instants (date_to includes its second)', async () => {
    const t = (ms) => new Date(ms).toISOString();
    const ms = (c) => Date.parse(c.started_at.replace(' ', 'T') + 'Z');
    const from = BASE + 5 * 3600e3 + 17 * 60e3 + 33e3; // not on an hour
    const to = BASE + 30 * 3600e3 + 3 * 60e3 + 2e3;
    const cases = [
      [`date_from=${t(from)}`, (c) => ms(c) >= from],
      [`date_to=${t(to)}`, (c) => ms(c) < to + 1000],
      [`date_from=${t(from)}&date_to=${t(to)}`, (c) => ms(c) >= from && ms(c) < to + 1000],
      [`date_from=${t(from)}&date_to=${t(from + 20 * 60e3)}`, (c) => ms(c) >= from && ms(c) < from + 20 * 60e3 + 1000],
      // the tie instant has milliseconds: date_to at its whole second includes it
      [`date_from=${t(TIE - 234)}&date_to=${t(TIE - 234)}`, (c) => ms(c) >= TIE - 234 && ms(c) < TIE - 234 + 1000],
      [`date_from=${encodeURIComponent('2024-03-01T12:00:00+05:30')}`, (c) => ms(c) >= Date.UTC(2024, 2, 1, 6, 30)],
    ];
    for (const [q, pred] of cases) {
      const r = await get(`/calls?limit=500&${q}`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      const want = calls.filter(pred).map((c) => c.id).sort();
      assert.deepEqual(r.json.data.map((c) => c.id).sort(), want, q);
      assert.equal(r.json.total, want.length, `total ${q}`);
    }
    const tie = await get(`/calls?date_from=${t(TIE - 234)}&date_to=${t(TIE - 234)}`);
    assert.equal(tie.json.total, 3);
  });

  test('plain dates are days of the org time zone (23:59:59 local stays on its day)', async () => {
    // 2024-03-01 in New York = [05:00Z Mar 1, 05:00Z Mar 2)
    const day1 = await get('/calls?limit=500&date_from=2024-03-01&date_to=2024-03-01');
    const ms = (c) => Date.parse(c.started_at.replace(' ', 'T') + 'Z');
    const want = calls.filter((c) => ms(c) >= Date.UTC(2024, 2, 1, 5) && ms(c) < Date.UTC(2024, 2, 2, 5));
    assert.deepEqual(day1.json.data.map((c) => c.id).sort(), want.map((c) => c.id).sort());
    assert.equal(day1.json.total, want.length);
    assert.ok(day1.json.data.some((c) => c.caller_name === 'Late'), 'the call at 23:59:59.5 local is on Mar 1');
    assert.ok(!day1.json.data.some((c) => c.caller_name === 'Early'), 'the call at 00:00 local is on Mar 2');
    const day2 = await get('/calls?limit=500&date_from=2024-03-02');
    assert.ok(day2.json.data.some((c) => c.caller_name === 'Early'));
    assert.ok(!day2.json.data.some((c) => c.caller_name === 'Late'));
  });

  test('total stays exact through inserts, updates that move a call between filters, and deletes', async () => {
    const org = await dataOrg({ timezone: 'Asia/Kolkata', roles: ['agent'] }); // half-hour zone
    const rows = insertCalls(Array.from({ length: 25 }, (_, i) => ({
      org_id: org.id, started_at: BASE + i * 37 * 60e3 + 999, status: i % 2 ? 'connected' : 'missed',
      business_number: i % 2 ? N1 : N2,
    })));
    const check = async (q, where) => {
      const r = await api.get(`/api/orgs/${org.id}/calls?limit=1&${q}`, { headers: org.agent.headers });
      assert.equal(r.status, 200, r.text);
      const n = sqlNum(`SELECT COUNT(*) FROM calls WHERE org_id = ${lit(org.id)} ${where}`);
      assert.equal(r.json.total, n, `${q} (${where})`);
    };
    const f = new Date(BASE + 50 * 60e3 + 7e3).toISOString();
    const to = new Date(BASE + 13 * 3600e3 + 5e3).toISOString();
    const probes = async () => {
      await check('', '');
      await check('status=missed', "AND status = 'missed'");
      await check('type=inbound', "AND call_type = 'inbound'");
      await check(`phone_number=${encodeURIComponent(N1)}`, `AND business_number = '${N1}'`);
      await check(`date_from=${f}&date_to=${to}`, `AND started_at >= '${f.slice(0, 19).replace('T', ' ')}' AND started_at < DATE_ADD('${to.slice(0, 19).replace('T', ' ')}', INTERVAL 1 SECOND)`);
      await check(`date_from=${f}&status=connected`, `AND started_at >= '${f.slice(0, 19).replace('T', ' ')}' AND status = 'connected'`);
      await check('date_from=2024-03-01', "AND started_at >= '2024-02-29 18:30:00'");
    };
    await probes();
    sql(`UPDATE calls SET status = 'connected', duration_seconds = 99 WHERE id IN (${rows.slice(0, 6).map((r) => lit(r.id)).join(',')})`);
    sql(`UPDATE calls SET started_at = started_at + INTERVAL 3 HOUR, business_number = '${N1}' WHERE id = ${lit(rows[7].id)}`);
    // an upsert like the sync's: unchanged values must not move counters
    sql(`INSERT INTO calls (id, org_id, external_id, direction, status, started_at) SELECT id, org_id, external_id, direction, status, started_at FROM calls WHERE id = ${lit(rows[9].id)} ON DUPLICATE KEY UPDATE status = VALUES(status)`);
    sql(`DELETE FROM calls WHERE id IN (${lit(rows[10].id)}, ${lit(rows[11].id)})`);
    bumpDataVersion(org.id); // as the writer's transaction would (else a remembered answer is still current)
    await probes();
    // the rebuild procedure (bulk loads) computes the same counters as the triggers
    const before = sql(`SELECT kind, bucket, number, d1, d2, n, answered, dur_sum FROM data_counts_hourly WHERE org_id = ${lit(org.id)} AND n <> 0 ORDER BY 1, 2, 3, 4, 5`);
    sql(`CALL vs_data_counts_rebuild(${lit(org.id)})`);
    const after = sql(`SELECT kind, bucket, number, d1, d2, n, answered, dur_sum FROM data_counts_hourly WHERE org_id = ${lit(org.id)} AND n <> 0 ORDER BY 1, 2, 3, 4, 5`);
    assert.deepEqual(after, before);
    await probes();
  });

  test('paging with skip and limit walks the same order without gaps', async () => {
    const order = sqlOrder(A.id, 'calls', 'started_at');
    const seen = [];
    for (let skip = 0; skip < order.length; skip += 7) {
      const r = await get(`/calls?skip=${skip}&limit=7`);
      assert.equal(r.status, 200);
      assert.equal(r.json.skip, skip);
      assert.equal(r.json.limit, 7);
      assert.equal(r.json.total, order.length);
      seen.push(...r.json.data.map((c) => c.id));
    }
    assert.deepEqual(seen, order);
    const past = await get(`/calls?skip=${order.length + 5}`);
    assert.deepEqual(past.json.data, []);
    assert.equal(past.json.next_cursor, null);
  });

  test('paging with cursors: no row missed or repeated while new rows arrive between pages', async () => {
    const org = await dataOrg({ roles: ['agent'] });
    const orig = insertCalls(Array.from({ length: 33 }, (_, i) => ({
      org_id: org.id, started_at: BASE + Math.floor(i / 3) * 60e3, // groups of 3 on one instant
    })));
    const expected = sqlOrder(org.id, 'calls', 'started_at');
    let added = 0;
    const seen = await allByCursor(`/api/orgs/${org.id}/calls`, org.agent.headers, {
      limit: 4,
      between: () => {
        // newer calls, calls on the instant of rows already paged, and older ones (back-filled by a sync)
        insertCalls([
          { org_id: org.id, started_at: Date.now() },
          { org_id: org.id, started_at: BASE + 10 * 60e3 },
          { org_id: org.id, started_at: BASE - 3600e3 },
        ]);
        added += 3;
      },
    });
    const ids = seen.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'no row twice');
    const origIds = new Set(orig.map((r) => r.id));
    assert.deepEqual(ids.filter((id) => origIds.has(id)), expected, 'every original row once, in order');
    const dates = seen.map((c) => c.date);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'never goes back up in time');
    assert.ok(added > 0);
  });

  test('a cursor combines with filters and keeps the total of the whole filtered list', async () => {
    const order = sqlOrder(A.id, 'calls', 'started_at', `AND business_number = '${N1}'`);
    const seen = await allByCursor(`/api/orgs/${A.id}/calls?phone_number=${encodeURIComponent(N1)}`, A.agent.headers, { limit: 6 });
    assert.deepEqual(seen.map((c) => c.id), order);
    const first = await get(`/calls?limit=6&phone_number=${encodeURIComponent(N1)}`);
    const second = await get(`/calls?limit=6&phone_number=${encodeURIComponent(N1)}&cursor=${first.json.next_cursor}`);
    assert.equal(second.json.total, order.length);
    assert.equal(second.json.skip, 0);
  });

  test('bad query parameters → 400 naming the field', async () => {
    const first = await get('/calls?limit=2');
    const smsCursor = Buffer.from(JSON.stringify([1, 'sms', '2024-03-01 00:00:00.000000', calls[0].id])).toString('base64url');
    const bad = [
      ['date_from=yesterday', 'date_from'],
      ['date_from=2024-02-30', 'date_from'],
      ['date_to=2024-03-01T25:00:00Z', 'date_to'],
      ['date_to=2024-13-01', 'date_to'],
      ['date_from=2024-03-05&date_to=2024-03-01', 'date_from'],
      ['date_to=1969-12-31T23:59:59Z', 'date_to'], // before the epoch: the span would wrap
      ['date_from=1969-07-20T20:17:40Z&date_to=2024-03-01', 'date_from'],
      ['direction=sideways', 'direction'],
      ['type=voicemail', 'type'],
      ['status=lost', 'status'],
      ['phone_number=call-me', 'phone_number'],
      ['phone_number=123', 'phone_number'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['skip=-1', 'skip'],
      ['cursor=not-a-cursor', 'cursor'],
      ['cursor=WzEsImNhbGxzIiwieCIsInkiXQ', 'cursor'], // [1,"calls","x","y"]
      [`cursor=${first.json.next_cursor}&skip=5`, 'skip'],
    ];
    bad.push([`cursor=${smsCursor}`, 'cursor']); // another list's cursor
    for (const [q, field] of bad) {
      const r = await get(`/calls?${q}`);
      assertError(assert, r, 400, 'BAD_REQUEST');
      assert.equal(r.json.details.field, field, `${q}: ${r.text}`);
    }
  });
});

describe('sms, recordings, voicemails', () => {
  let sms; let recs; let vms;
  before(() => {
    sms = insertSms(Array.from({ length: 14 }, (_, i) => ({
      org_id: A.id, sent_at: BASE + i * 41 * 60e3, business_number: i % 2 ? N1 : N2, contact_number: `+1415555${2000 + i}`,
      direction: i % 3 ? 'inbound' : 'outbound', status: i % 3 ? 'received' : (i % 2 ? 'delivered' : 'failed'),
      body: `message ${i}`, failure_reason: i % 3 || i % 2 ? null : 'carrier refused',
    })));
    insertSms([{ org_id: B.id, sent_at: BASE }]);
    recs = insertRecordings(Array.from({ length: 9 }, (_, i) => ({
      org_id: A.id, recorded_at: BASE + i * 3600e3, business_number: i % 2 ? N1 : N2, call_id: calls[i].id,
      direction: i % 2 ? 'inbound' : 'outbound', duration_seconds: 10 + i, url: `https://rec.example/${i}.wav`,
    })));
    insertRecordings([{ org_id: B.id, recorded_at: BASE }]);
    vms = insertVoicemails(Array.from({ length: 8 }, (_, i) => ({
      org_id: A.id, received_at: BASE + i * 5400e3, to_number: i % 2 ? N1 : N2, status: i % 3 ? 'unread' : 'read',
      from_number: `+1415555${3000 + i}`, duration_seconds: 5 + i, transcription: i === 2 ? 'call me back' : null,
    })));
    insertVoicemails([{ org_id: B.id, received_at: BASE }]);
  });

  test('sms: shape (seed 004: phone_number, direction, message, sender, date), filters, order', async () => {
    const r = await get('/sms?limit=100');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, sms.length);
    assert.deepEqual(r.json.data.map((m) => m.id), sqlOrder(A.id, 'sms_messages', 'sent_at'));
    const byId = new Map(r.json.data.map((m) => [m.id, m]));
    for (const m of sms) {
      const got = byId.get(m.id);
      assert.equal(got.phone_number, m.business_number);
      assert.equal(got.direction, m.direction);
      assert.equal(got.message, m.body);
      assert.equal(got.sender, m.direction === 'inbound' ? m.contact_number : m.business_number);
      assert.equal(got.recipient, m.direction === 'inbound' ? m.business_number : m.contact_number);
      assert.equal(got.contact_number, m.contact_number);
      assert.equal(got.status, m.status);
      assert.equal(got.failure_reason, m.failure_reason);
      assert.equal(got.date, isoSec(new Date(m.sent_at.replace(' ', 'T') + 'Z')));
    }
    for (const [q, pred] of [
      ['direction=outbound', (m) => m.direction === 'outbound'],
      [`phone_number=${encodeURIComponent(N1)}`, (m) => m.business_number === N1],
      ['status=failed', (m) => m.status === 'failed'],
      [`direction=inbound&phone_number=${encodeURIComponent(N2)}`, (m) => m.direction === 'inbound' && m.business_number === N2],
      [`date_from=${new Date(BASE + 3 * 3600e3).toISOString()}`, (m) => Date.parse(m.sent_at.replace(' ', 'T') + 'Z') >= BASE + 3 * 3600e3],
    ]) {
      const f = await get(`/sms?limit=100&${q}`);
      const want = sms.filter(pred).map((m) => m.id).sort();
      assert.deepEqual(f.json.data.map((m) => m.id).sort(), want, q);
      assert.equal(f.json.total, want.length, q);
    }
    const seen = await allByCursor(`/api/orgs/${A.id}/sms`, A.agent.headers, { limit: 4 });
    assert.deepEqual(seen.map((m) => m.id), sqlOrder(A.id, 'sms_messages', 'sent_at'));
    for (const [q, field] of [['direction=up', 'direction'], ['status=lost', 'status'], ['date_to=x', 'date_to']]) {
      const b = await get(`/sms?${q}`);
      assertError(assert, b, 400, 'BAD_REQUEST');
      assert.equal(b.json.details.field, field);
    }
  });

  test('recordings: shape (seed 004: call_id, phone_number, duration_seconds, url, date), filters, cursor', async () => {
    const r = await get('/recordings?limit=100');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, recs.length);
    assert.deepEqual(r.json.data.map((x) => x.id), sqlOrder(A.id, 'recordings', 'recorded_at'));
    const byId = new Map(r.json.data.map((x) => [x.id, x]));
    for (const x of recs) {
      const got = byId.get(x.id);
      assert.equal(got.call_id, x.call_id);
      assert.equal(got.phone_number, x.business_number);
      assert.equal(got.duration_seconds, x.duration_seconds);
      assert.equal(got.url, x.url);
      assert.equal(got.date, isoSec(new Date(x.recorded_at.replace(' ', 'T') + 'Z')));
      assert.equal(got.direction, x.direction);
      assert.equal(got.caller_number, x.caller_number);
    }
    const f = await get(`/recordings?phone_number=${encodeURIComponent(N1)}&direction=inbound`);
    const want = recs.filter((x) => x.business_number === N1 && x.direction === 'inbound');
    assert.equal(f.json.total, want.length);
    assert.deepEqual(f.json.data.map((x) => x.id).sort(), want.map((x) => x.id).sort());
    const seen = await allByCursor(`/api/orgs/${A.id}/recordings`, A.agent.headers, { limit: 2 });
    assert.deepEqual(seen.map((x) => x.id), sqlOrder(A.id, 'recordings', 'recorded_at'));
    const b = await get('/recordings?date_from=2024-03-01T10:00:00Q');
    assertError(assert, b, 400, 'BAD_REQUEST');
    assert.equal(b.json.details.field, 'date_from');
  });

  test('voicemails: shape, status and phone filters, cursor', async () => {
    const r = await get('/voicemails?limit=100');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, vms.length);
    assert.deepEqual(r.json.data.map((x) => x.id), sqlOrder(A.id, 'voicemails', 'received_at'));
    const byId = new Map(r.json.data.map((x) => [x.id, x]));
    for (const v of vms) {
      const got = byId.get(v.id);
      assert.equal(got.phone_number, v.to_number);
      assert.equal(got.caller_number, v.from_number);
      assert.equal(got.duration_seconds, v.duration_seconds);
      assert.equal(got.status, v.status);
      assert.equal(got.url, v.recording_url);
      assert.equal(got.transcription, v.transcription);
      assert.equal(got.assigned_to, v.assigned_to);
      assert.equal(got.date, isoSec(new Date(v.received_at.replace(' ', 'T') + 'Z')));
    }
    for (const [q, pred] of [
      ['status=unread', (v) => v.status === 'unread'],
      [`phone_number=${encodeURIComponent(N2)}&status=read`, (v) => v.to_number === N2 && v.status === 'read'],
    ]) {
      const f = await get(`/voicemails?${q}`);
      const want = vms.filter(pred).map((v) => v.id).sort();
      assert.deepEqual(f.json.data.map((v) => v.id).sort(), want, q);
      assert.equal(f.json.total, want.length);
    }
    const seen = await allByCursor(`/api/orgs/${A.id}/voicemails`, A.agent.headers, { limit: 3 });
    assert.deepEqual(seen.map((x) => x.id), sqlOrder(A.id, 'voicemails', 'received_at'));
    const b = await get('/voicemails?status=deleted');
    assertError(assert, b, 400, 'BAD_REQUEST');
    assert.equal(b.json.details.field, 'status');
  });
});

describe('extensions', () => {
  test('shape, order by extension, status filter, cursor, user mapping', async () => {
    const org = await dataOrg({ roles: ['agent', 'manager'] });
    const rows = insertExtensions([
      { org_id: org.id, extension: '103', display_name: 'Carol', email: 'carol@example.test', role: 'agent' },
      { org_id: org.id, extension: '101', display_name: 'Alice', email: 'alice@example.test', role: 'admin', user_id: org.manager.user.id },
      { org_id: org.id, extension: '102', display_name: 'Bob', role: 'manager', status: 'inactive' },
      { org_id: org.id, extension: null, display_name: 'Voicemail box', role: 'user' },
    ]);
    insertExtensions([{ org_id: A.id, extension: '101', display_name: 'Other org' }]);
    const r = await api.get(`/api/orgs/${org.id}/extensions`, { headers: org.agent.headers });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 4);
    assert.deepEqual(r.json.data.map((e) => e.display_name), ['Voicemail box', 'Alice', 'Bob', 'Carol']);
    const alice = r.json.data[1];
    assert.equal(alice.id, rows[1].id);
    assert.equal(alice.extension, '101');
    assert.equal(alice.email, 'alice@example.test');
    assert.equal(alice.role, 'admin');
    assert.equal(alice.status, 'active');
    assert.equal(alice.user_id, org.manager.user.id);
    assert.equal(alice.user_name, org.manager.user.full_name);
    const active = await api.get(`/api/orgs/${org.id}/extensions?status=active`, { headers: org.agent.headers });
    assert.equal(active.json.total, 3);
    assert.ok(active.json.data.every((e) => e.status === 'active'));
    const seen = await allByCursor(`/api/orgs/${org.id}/extensions`, org.agent.headers, { limit: 1 });
    assert.deepEqual(seen.map((e) => e.display_name), ['Voicemail box', 'Alice', 'Bob', 'Carol']);
    const bad = await api.get(`/api/orgs/${org.id}/extensions?status=gone`, { headers: org.agent.headers });
    assertError(assert, bad, 400, 'BAD_REQUEST');
    assert.equal(bad.json.details.field, 'status');
  });
});

describe('access and isolation', () => {
  const LISTS = ['/calls', '/sms', '/recordings', '/voicemails', '/extensions', '/phone-numbers', '/contacts',
    '/reports', '/metrics'];

  test('another org is 404 (as if it did not exist) for members and API keys, on every route', async () => {
    for (const path of LISTS) {
      for (const who of [A.agent.headers, A.manager.headers, A.key.headers]) {
        const r = await api.get(`/api/orgs/${B.id}${path}`, { headers: who });
        assertError(assert, r, 404, 'NOT_FOUND');
        assert.equal(r.json.details.resource, 'organization', `${path}: ${r.text}`);
      }
      const mine = await api.get(`/api/orgs/${A.id}${path}`, { headers: A.key.headers });
      assert.equal(mine.status, 200, `${path} with the org's API key: ${mine.text}`);
    }
  });

  test('no list ever shows another org\'s rows', async () => {
    for (const path of ['/calls', '/sms', '/recordings', '/voicemails']) {
      const mine = await get(`${path}?limit=500`);
      const theirs = await api.get(`/api/orgs/${B.id}${path}?limit=500`, { headers: B.agent.headers });
      assert.equal(theirs.status, 200);
      const ids = new Set(mine.json.data.map((x) => x.id));
      assert.ok(theirs.json.data.length > 0, path);
      for (const x of theirs.json.data) assert.ok(!ids.has(x.id), `${path}: ${x.id} in both orgs`);
    }
  });

  test('no credentials → 401', async () => {
    const r = await api.get(`/api/orgs/${A.id}/calls`);
    assertError(assert, r, 401, 'UNAUTHORIZED');
  });
});
