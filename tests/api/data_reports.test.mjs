// data_reports.test.mjs — GET /api/orgs/:orgId/reports: rows per (local day,
// number) and group_by=day|phone_number from call_reports_daily (recomputed
// by the real vs-sync binary from calls inserted here), group_by=agent from
// the calls themselves; days in the org's time zone — a call at 23:30 local
// stays on its day, also in a half-hour zone; filters, paging, bad params.
// missed = inbound calls not answered and no longer live, the calls list's
// type=missed (docs/dashboard.md#cards): outbound calls nobody picked up and
// a call still ringing are in the data and must not count.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, useSourceAddress } from './lib.mjs';
import { userWithRole } from './fixtures.mjs';
import { insertCalls, insertExtensions } from './data_helpers.mjs';
import { orgWithIntegration, vsSync } from './sync_helpers.mjs';

useSourceAddress('127.0.0.43');

const N1 = '+12125550301';
const N2 = '+13125550302';

const fmt = new Map();
function localDay(ms, tz) {
  if (!fmt.has(tz)) fmt.set(tz, new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }));
  return fmt.get(tz).format(new Date(ms));
}

/** Calls around the local midnight between 2024-06-09 and 2024-06-10 of tz. */
function dataset(orgId, midnightUtc) {
  const M = midnightUtc;
  const rows = [
    { started_at: M - 30 * 60e3, business_number: N1, status: 'connected', duration_seconds: 100, extension: '101', caller_name: '23:30 local' },
    { started_at: M + 30 * 60e3, business_number: N1, status: 'connected', duration_seconds: 200, extension: '101', caller_name: '00:30 local' },
    { started_at: M - 1000, business_number: N2, status: 'missed', duration_seconds: 0, extension: '102' },
    { started_at: M, business_number: N2, status: 'voicemail', duration_seconds: 15, extension: '102' },
    { started_at: M + 5 * 3600e3, business_number: N2, status: 'connected', duration_seconds: 301, extension: '102', direction: 'outbound' },
    { started_at: M + 7 * 3600e3, business_number: N2, status: 'no_answer', duration_seconds: 0, extension: '102', direction: 'outbound' },
    { started_at: M + 8 * 3600e3, business_number: N1, status: 'missed', duration_seconds: 0, extension: '101', direction: 'outbound' },
    { started_at: M + 8 * 3600e3 + 5e3, business_number: N1, status: 'ringing', duration_seconds: 0, extension: '101' },
    { started_at: M + 9 * 3600e3 + 17e3, business_number: N1, status: 'dropped', duration_seconds: 3, extension: null },
    { started_at: M + 23 * 3600e3 + 59 * 60e3, business_number: N1, status: 'connected', duration_seconds: 42, extension: '101' },
    { started_at: M + 24 * 3600e3, business_number: N1, status: 'connected', duration_seconds: 58, extension: '101' }, // next day
    { started_at: M - 26 * 3600e3, business_number: N2, status: 'connected', duration_seconds: 77, extension: '101' }, // 06-08
  ];
  return rows.map((r) => ({ org_id: orgId, direction: 'inbound', ...r }));
}

/** The calls list's type=missed (and the overview card's missed). */
const isMissed = (r) => r.direction === 'inbound' && !['connected', 'ringing', 'in_progress'].includes(r.status);

function expectGroups(rows, tz, key) {
  const out = new Map();
  for (const r of rows) {
    const day = localDay(r.ms, tz);
    const k = key(r, day);
    const g = out.get(k) ?? { calls: 0, answered: 0, missed: 0, total_duration: 0, ans: 0 };
    g.calls++;
    g.total_duration += r.duration_seconds;
    if (r.status === 'connected') { g.answered++; g.ans += r.duration_seconds; }
    if (isMissed(r)) g.missed++;
    out.set(k, g);
  }
  for (const g of out.values()) {
    g.answer_rate = Math.round((10000 * g.answered) / g.calls) / 100;
    g.avg_handle_seconds = g.answered ? Math.round((100 * g.ans) / g.answered) / 100 : 0;
  }
  return out;
}

function checkFigures(got, want, what) {
  for (const k of ['calls', 'answered', 'missed', 'total_duration', 'answer_rate', 'avg_handle_seconds']) {
    assert.equal(got[k], want[k], `${what}: ${k} (${JSON.stringify(got)})`);
  }
}

async function setup(tz, midnightUtc) {
  const o = await orgWithIntegration({ timezone: tz });
  const agent = await userWithRole(o.org.id, 'agent');
  insertExtensions([
    { org_id: o.org.id, extension: '101', display_name: 'Alice Agent', user_id: agent.user.id },
    { org_id: o.org.id, extension: '102', display_name: 'Bob Agent' },
  ]);
  const rows = insertCalls(dataset(o.org.id, midnightUtc)).map((r) => ({ ...r, ms: Date.parse(`${r.started_at.replace(' ', 'T')}Z`) }));
  const run = await vsSync(['run', '--org', o.org.id, '--type', 'reports', '--since', '2024-06-01']);
  assert.equal(run.code, 0, `vs-sync run reports: ${run.stderr}`);
  return { org: o.org, agent, rows, get: (q) => api.get(`/api/orgs/${o.org.id}/reports${q}`, { headers: agent.headers }) };
}

for (const [tz, midnight] of [
  ['America/New_York', Date.UTC(2024, 5, 10, 4, 0)], // EDT: local midnight 04:00Z
  ['Asia/Kolkata', Date.UTC(2024, 5, 9, 18, 30)],   // +05:30: local midnight 18:30Z the day before
]) {
  describe(`reports in ${tz}`, () => {
    let R;
    before(async () => { R = await setup(tz, midnight); });

    test('group_by=day: a call at 23:30 local stays on its day, 00:30 on the next', async () => {
      const r = await R.get('?group_by=day&date_from=2024-06-08&date_to=2024-06-11');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.group_by, 'day');
      assert.equal(r.json.timezone, tz);
      assert.equal(r.json.date_from, '2024-06-08');
      assert.equal(r.json.date_to, '2024-06-11');
      const want = expectGroups(R.rows, tz, (_, day) => day);
      assert.deepEqual(r.json.data.map((d) => d.day), [...want.keys()].sort());
      for (const d of r.json.data) checkFigures(d, want.get(d.day), d.day);
      assert.equal(r.json.total, want.size);
      const late = R.rows.find((x) => x.caller_name === '23:30 local');
      const early = R.rows.find((x) => x.caller_name === '00:30 local');
      assert.equal(localDay(late.ms, tz), '2024-06-09');
      assert.equal(localDay(early.ms, tz), '2024-06-10');
      const d9 = r.json.data.find((d) => d.day === '2024-06-09');
      assert.equal(d9.calls, 2); // 23:30 and 23:59:59 local
      const sum = r.json.summary;
      checkFigures(sum, expectGroups(R.rows, tz, () => 'all').get('all'), 'summary');
    });

    test('default rows: one per (day, number) as stored; phone_number filter', async () => {
      const r = await R.get('?date_from=2024-06-09&date_to=2024-06-10');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.group_by, 'day_phone_number');
      const inRange = R.rows.filter((x) => ['2024-06-09', '2024-06-10'].includes(localDay(x.ms, tz)));
      const want = expectGroups(inRange, tz, (x, day) => `${day}|${x.business_number}`);
      assert.deepEqual(r.json.data.map((d) => `${d.day}|${d.phone_number}`), [...want.keys()].sort());
      for (const d of r.json.data) {
        checkFigures(d, want.get(`${d.day}|${d.phone_number}`), `${d.day} ${d.phone_number}`);
        for (const k of ['inbound', 'outbound', 'voicemails']) assert.equal(typeof d[k], 'number');
      }
      const f = await R.get(`?date_from=2024-06-09&date_to=2024-06-10&phone_number=${encodeURIComponent(N2)}`);
      assert.ok(f.json.data.length > 0);
      assert.ok(f.json.data.every((d) => d.phone_number === N2));
      assert.equal(f.json.summary.calls, inRange.filter((x) => x.business_number === N2).length);
    });

    test('group_by=phone_number sums each number over the range', async () => {
      const r = await R.get('?group_by=phone_number&date_from=2024-06-10&date_to=2024-06-10');
      assert.equal(r.status, 200, r.text);
      const inDay = R.rows.filter((x) => localDay(x.ms, tz) === '2024-06-10');
      const want = expectGroups(inDay, tz, (x) => x.business_number);
      assert.deepEqual(r.json.data.map((d) => d.phone_number), [...want.keys()].sort());
      for (const d of r.json.data) checkFigures(d, want.get(d.phone_number), d.phone_number);
    });

    test('group_by=agent: from the calls, by extension, named from extensions, local-day bounds', async () => {
      const r = await R.get('?group_by=agent&date_from=2024-06-10&date_to=2024-06-10');
      assert.equal(r.status, 200, r.text);
      const inDay = R.rows.filter((x) => localDay(x.ms, tz) === '2024-06-10');
      const want = expectGroups(inDay, tz, (x) => x.extension ?? null);
      assert.equal(r.json.total, want.size);
      for (const d of r.json.data) checkFigures(d, want.get(d.extension), `extension ${d.extension}`);
      const alice = r.json.data.find((d) => d.extension === '101');
      assert.equal(alice.agent_name, 'Alice Agent');
      assert.equal(alice.agent_user_id, R.agent.user.id);
      const none = r.json.data.find((d) => d.extension === null);
      assert.equal(none.agent_name, null);
      // ordered by calls, most first
      const calls = r.json.data.map((d) => d.calls);
      assert.deepEqual(calls, [...calls].sort((a, b) => b - a));
      // the 23:30 call of the day before is not in 06-10, the 00:30 one is
      assert.equal(alice.calls, inDay.filter((x) => x.extension === '101').length);
      const f = await R.get(`?group_by=agent&date_from=2024-06-08&date_to=2024-06-11&phone_number=${encodeURIComponent(N1)}`);
      const wantN1 = expectGroups(R.rows.filter((x) => x.business_number === N1), tz, (x) => x.extension ?? null);
      for (const d of f.json.data) checkFigures(d, wantN1.get(d.extension), `N1 extension ${d.extension}`);
      checkFigures(f.json.summary, expectGroups(R.rows.filter((x) => x.business_number === N1), tz, () => 'a').get('a'), 'agent summary');
    });

    test('missed equals the calls list with type=missed over the same days (and number), every grouping', async () => {
      const range = 'date_from=2024-06-08&date_to=2024-06-11';
      const listTotal = async (q) => {
        const r = await api.get(`/api/orgs/${R.org.id}/calls?type=missed&limit=1&${q}`, { headers: R.agent.headers });
        assert.equal(r.status, 200, r.text);
        return r.json.total;
      };
      const outboundUnanswered = R.rows.filter((x) => x.direction === 'outbound' && x.status !== 'connected').length;
      assert.ok(outboundUnanswered >= 2, 'outbound calls nobody answered are in the range');
      const want = R.rows.filter(isMissed).length;
      assert.equal(await listTotal(range), want);
      for (const q of ['', 'group_by=day', 'group_by=phone_number', 'group_by=agent', 'direction=inbound', 'direction=inbound&group_by=agent']) {
        const r = await R.get(`?${range}&${q}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.summary.missed, want, `${q}: summary`);
        assert.ok(r.json.summary.missed < r.json.summary.calls - r.json.summary.answered, `${q}: not every unanswered call`);
        assert.equal(r.json.data.reduce((n, d) => n + d.missed, 0), want, `${q}: rows`);
      }
      const outbound = await R.get(`?${range}&group_by=day&direction=outbound`);
      assert.equal(outbound.json.summary.missed, 0, 'no outbound call is missed');
      assert.equal(await listTotal(`${range}&direction=outbound`), 0);
      const n1 = `phone_number=${encodeURIComponent(N1)}`;
      for (const q of ['group_by=day', 'group_by=agent', '']) {
        const r = await R.get(`?${range}&${n1}&${q}`);
        assert.equal(r.json.summary.missed, await listTotal(`${range}&${n1}`), `N1 ${q}`);
      }
      // one past day at a time, as the Reports page links them
      for (const day of ['2024-06-09', '2024-06-10']) {
        const r = await R.get(`?group_by=day&date_from=${day}&date_to=${day}`);
        assert.equal(r.json.summary.missed, await listTotal(`date_from=${day}&date_to=${day}`), day);
      }
    });

    test('paging over groups', async () => {
      const all = await R.get('?group_by=day&date_from=2024-06-01&date_to=2024-06-30');
      const p1 = await R.get('?group_by=day&date_from=2024-06-01&date_to=2024-06-30&limit=2');
      const p2 = await R.get('?group_by=day&date_from=2024-06-01&date_to=2024-06-30&limit=2&skip=2');
      assert.equal(p1.json.total, all.json.total);
      assert.deepEqual([...p1.json.data, ...p2.json.data].map((d) => d.day), all.json.data.slice(0, 4).map((d) => d.day));
    });
  });
}

describe('reports: parameters', () => {
  let R;
  before(async () => { R = await setup('UTC', Date.UTC(2024, 5, 10)); });

  test('without dates: the last 30 local days up to today', async () => {
    const r = await R.get('?group_by=day');
    assert.equal(r.status, 200, r.text);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(r.json.date_to, today);
    assert.equal((Date.parse(r.json.date_to) - Date.parse(r.json.date_from)) / 86400e3, 29);
    assert.deepEqual(r.json.data, []);
    assert.equal(r.json.summary.calls, 0);
  });

  test('a date-time picks its local day', async () => {
    const r = await R.get(`?group_by=day&date_from=${encodeURIComponent('2024-06-10T23:30:00-02:00')}&date_to=2024-06-11`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.date_from, '2024-06-11');
  });

  test('bad parameters → 400 naming the field', async () => {
    for (const [q, field] of [
      ['group_by=week', 'group_by'],
      ['date_from=June', 'date_from'],
      ['date_to=2024-06-31', 'date_to'],
      ['date_from=2024-06-10&date_to=2024-06-01', 'date_from'],
      ['date_from=2023-01-01&date_to=2024-06-01', 'date_from'],
      ['phone_number=abc', 'phone_number'],
      ['limit=1000', 'limit'],
    ]) {
      const r = await R.get(`?${q}`);
      assertError(assert, r, 400, 'BAD_REQUEST');
      assert.equal(r.json.details.field, field, `${q}: ${r.text}`);
    }
  });
});
