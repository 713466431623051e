// data_metrics.test.mjs — GET /api/orgs/:orgId/metrics (seed 004 fields;
// "today" and "this month" in the org's time zone: calls at 23:30 / 00:30
// local land on the right side, in a whole-hour and in a half-hour zone;
// averages; agents online/idle from agent status and live calls) and
// GET /api/client-metrics (platform admins and the service key only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { platformAdmin, serviceHeaders, userWithRole } from './fixtures.mjs';
import { dataOrg, insertCalls, insertExtensions, insertSms, lit } from './data_helpers.mjs';

useSourceAddress('127.0.0.44');

const parts = new Map();
function local(ms, tz) {
  if (!parts.has(tz)) {
    parts.set(tz, new Intl.DateTimeFormat('en-CA', {
      timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }));
  }
  const p = Object.fromEntries(parts.get(tz).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, month: `${p.year}-${p.month}`, hour: Number(p.hour), minute: Number(p.minute) };
}

/** UTC ms of local midnight starting `day` in tz (searching quarter hours). */
function localMidnight(day, tz) {
  const [y, m, d] = day.split('-').map(Number);
  for (let q = -14 * 4; q <= 14 * 4; q++) {
    const t = Date.UTC(y, m - 1, d) + q * 15 * 60e3;
    const l = local(t, tz);
    if (l.day === day && l.hour === 0 && l.minute === 0) return t;
  }
  throw new Error(`no midnight for ${day} in ${tz}`);
}

/** A zone of the list where it is now between 02:00 and 21:00 (no midnight during the test). */
function pickZone(list) {
  const now = Date.now();
  return list.find((tz) => { const h = local(now, tz).hour; return h >= 2 && h <= 21; });
}

async function checkZone(tz) {
  const O = await dataOrg({ timezone: tz, roles: ['agent', 'manager'] });
  const now = Date.now();
  const today = local(now, tz).day;
  const todayStart = localMidnight(today, tz);
  const monthStart = localMidnight(`${today.slice(0, 7)}-01`, tz);
  const times = [
    todayStart - 30 * 60e3, // 23:30 yesterday (this month unless today is the 1st)
    todayStart + 30 * 60e3, // 00:30 today
    todayStart + 1000,
    now - 60e3, // in the current, partial hour
    monthStart - 30 * 60e3, // 23:30 on the last day of last month
    monthStart + 30 * 60e3, // 00:30 on the 1st
    monthStart + 4 * 86400e3 + 13 * 60e3,
    now - 3 * 86400e3,
  ].filter((t) => t < now - 30e3);
  const calls = insertCalls(times.map((t, i) => ({
    org_id: O.id, started_at: t, status: i % 3 === 2 ? 'missed' : 'connected', duration_seconds: 60 + i * 30,
    // every fourth call outbound: the cards count inbound calls only for missed and the answer rate
    direction: i % 4 === 1 ? 'outbound' : 'inbound',
    queue_wait_seconds: i % 2 ? 10 * i : null,
  })));
  insertSms(times.map((t) => ({ org_id: O.id, sent_at: t })));
  const ms = (c) => Date.parse(`${c.started_at.replace(' ', 'T')}Z`);
  const inToday = calls.filter((c) => ms(c) >= todayStart);
  const inMonth = calls.filter((c) => ms(c) >= monthStart);
  const answered = inMonth.filter((c) => c.status === 'connected');
  const waits = inMonth.filter((c) => c.queue_wait_seconds !== null);
  const r2 = (x) => Math.round(x * 100) / 100;

  const r = await api.get(`/api/orgs/${O.id}/metrics`, { headers: O.agent.headers });
  assert.equal(r.status, 200, r.text);
  const m = r.json;
  for (const k of ['calls_today', 'calls_this_month', 'sms_today', 'sms_this_month', 'avg_call_duration_minutes',
    'queue_wait_minutes', 'agents_online', 'agents_idle']) {
    assert.equal(typeof m[k], 'number', `${k} in ${r.text}`);
  }
  assert.equal(m.timezone, tz);
  assert.equal(m.today, today);
  assert.equal(m.today_starts_at, new Date(todayStart).toISOString().replace('.000', ''));
  assert.equal(m.month_starts_at, new Date(monthStart).toISOString().replace('.000', ''));
  assert.equal(m.calls_today, inToday.length, `${tz}: ${r.text}`);
  assert.equal(m.calls_this_month, inMonth.length, `${tz}: ${r.text}`);
  assert.equal(m.sms_today, inToday.length);
  assert.equal(m.sms_this_month, inMonth.length);
  assert.equal(m.answered_today, inToday.filter((c) => c.status === 'connected').length);
  const inboundToday = inToday.filter((c) => c.direction === 'inbound');
  assert.equal(m.inbound_today, inboundToday.length);
  assert.equal(m.inbound_answered_today, inboundToday.filter((c) => c.status === 'connected').length);
  assert.equal(m.missed_today, inboundToday.filter((c) => c.status !== 'connected').length);
  // each equals the count of the list it stands for (issue 18: numbers that agree)
  const listTotal = async (q) => {
    const l = await api.get(`/api/orgs/${O.id}/calls?date_from=${today}&date_to=${today}&limit=1&${q}`, { headers: O.agent.headers });
    assert.equal(l.status, 200, l.text);
    return l.json.total;
  };
  assert.equal(await listTotal('type=missed'), m.missed_today);
  assert.equal(await listTotal('direction=inbound'), m.inbound_today);
  assert.equal(await listTotal('direction=inbound&status=connected'), m.inbound_answered_today);
  assert.equal(m.avg_call_duration_minutes, answered.length ? r2(answered.reduce((s, c) => s + c.duration_seconds, 0) / answered.length / 60) : 0);
  assert.equal(m.queue_wait_minutes, waits.length ? r2(waits.reduce((s, c) => s + c.queue_wait_seconds, 0) / waits.length / 60) : 0);
  assert.equal(m.agents_online, 0);
  assert.equal(m.agents_idle, 0);
  return O;
}

test('metrics in a whole-hour zone: today and this month start at local midnight', async () => {
  const tz = pickZone(['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Pacific/Honolulu', 'America/Los_Angeles', 'UTC']);
  await checkZone(tz);
});

test('metrics in a half-hour zone: local midnight falls inside an hour', async () => {
  const tz = pickZone(['Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Adelaide']);
  await checkZone(tz);
});

test('agents online / idle: agent status of members, live calls on their extensions', async () => {
  const O = await dataOrg({ roles: ['agent', 'manager'] });
  const a2 = await userWithRole(O.id, 'agent');
  const a3 = await userWithRole(O.id, 'agent');
  const a4 = await userWithRole(O.id, 'agent');
  const gone = await userWithRole(O.id, 'agent');
  const set = (u, status) => sql(`INSERT INTO agent_status (org_id, user_id, status, since) VALUES (${lit(O.id)}, ${lit(u.user.id)}, ${lit(status)}, UTC_TIMESTAMP(3))`);
  set(O.agent, 'available'); // idle
  set(a2, 'available');      // on a live call
  set(a3, 'dnd');            // online, not idle
  set(gone, 'available');    // removed from the org below: not counted
  // a4: never set a status → offline
  sql(`DELETE FROM org_members WHERE org_id = ${lit(O.id)} AND user_id = ${lit(gone.user.id)}`);
  insertExtensions([
    { org_id: O.id, extension: '201', user_id: a2.user.id, display_name: 'A2' },
    { org_id: O.id, extension: '202', user_id: O.agent.user.id, display_name: 'A1' },
  ]);
  insertCalls([
    { org_id: O.id, started_at: Date.now() - 60e3, status: 'in_progress', extension: '201' },
    { org_id: O.id, started_at: Date.now() - 10 * 3600e3, status: 'ringing', extension: '202' }, // stale: not live
  ]);
  const r = await api.get(`/api/orgs/${O.id}/metrics`, { headers: a4.headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.agents_online, 3);
  assert.equal(r.json.agents_idle, 1);
  assert.equal(r.json.agents_available, 2);
  assert.equal(r.json.agents_dnd, 1);
  assert.equal(r.json.agents_on_call, 1);
});

test('metrics: API key of the org reads them; other orgs are 404', async () => {
  const O = await dataOrg({ roles: ['agent'] });
  const P = await dataOrg({ roles: ['agent'] });
  assert.equal((await api.get(`/api/orgs/${O.id}/metrics`, { headers: O.key.headers })).status, 200);
  const r = await api.get(`/api/orgs/${P.id}/metrics`, { headers: O.agent.headers });
  assertError(assert, r, 404, 'NOT_FOUND');
  assert.equal(r.json.details.resource, 'organization');
});

test('client-metrics: seed 004 fields, totals over every org, platform admins and the service key only', async () => {
  const admin = await platformAdmin();
  const before = await api.get('/api/client-metrics', { headers: admin.headers });
  assert.equal(before.status, 200, before.text);
  const b = before.json;
  for (const k of ['total_calls', 'total_calls_today', 'total_sms', 'total_organizations', 'total_users', 'avg_call_duration_minutes']) {
    assert.equal(typeof b[k], 'number', k);
  }
  assert.ok(['healthy', 'backlogged', 'stalled'].includes(b.queue_status), b.queue_status);
  const O = await dataOrg({ roles: ['agent'] });
  insertCalls(Array.from({ length: 5 }, (_, i) => ({ org_id: O.id, started_at: Date.now() - i * 1000 })));
  insertCalls([{ org_id: O.id, started_at: Date.UTC(2023, 0, 1) }]);
  insertSms([{ org_id: O.id, sent_at: Date.now() }]);
  const after = await api.get('/api/client-metrics', { headers: serviceHeaders() });
  assert.equal(after.status, 200);
  const a = after.json;
  assert.equal(a.total_calls - b.total_calls, 6);
  const utcDayTurned = new Date().toISOString().slice(0, 10) !== new Date(Date.now() - 5000).toISOString().slice(0, 10);
  if (!utcDayTurned) assert.equal(a.total_calls_today - b.total_calls_today, 5);
  assert.equal(a.total_sms - b.total_sms, 1);
  assert.equal(a.total_organizations - b.total_organizations, 1);
  assert.ok(a.total_users >= b.total_users + 1);
  const totalsInDb = Number(sql('SELECT COUNT(*) FROM calls')[0][0]);
  assert.equal(a.total_calls, totalsInDb, 'counters agree with the rows');
  for (const who of [O.agent.headers, O.key.headers]) {
    assertError(assert, await api.get('/api/client-metrics', { headers: who }), 403, 'FORBIDDEN');
  }
  assertError(assert, await api.get('/api/client-metrics'), 401, 'UNAUTHORIZED');
});
