// sync_reports.test.mjs — daily reports per local day (the org's time zone,
// DST included) and business number, recomputed from the stored calls:
// compared row by row with the simulator's own calls bucketed independently
// here; calls one minute either side of local midnight land on their own
// days; a time zone change plus `run --type reports --since` re-buckets.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, useSourceAddress } from './lib.mjs';
import {
  jobIdFrom, jobRow, orgWithIntegration, simAll, simClient, simControl, simReset, vsSync,
} from './sync_helpers.mjs';

useSourceAddress('127.0.0.34');

const ZONE = 'America/New_York';

const dayFormats = new Map();
function localDay(ms, tz) {
  if (!dayFormats.has(tz)) {
    dayFormats.set(tz, new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }));
  }
  return dayFormats.get(tz).format(new Date(ms));
}

function localClock(ms, tz) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false })
    .format(new Date(ms));
}

/** UTC instant of local midnight starting `day` (YYYY-MM-DD) in tz. */
function localMidnight(day, tz) {
  const [y, m, d] = day.split('-').map(Number);
  for (let off = -14; off <= 14; off++) {
    const t = Date.UTC(y, m - 1, d, off, 0, 0);
    if (localDay(t, tz) === day && localClock(t, tz) === '00:00') return t;
  }
  throw new Error(`no midnight for ${day} in ${tz}`);
}

/** Expected report rows {`${day}|${number}` → figures} from the simulator's calls. */
function bucket(calls, tz) {
  const out = new Map();
  for (const c of calls) {
    const key = `${localDay(Date.parse(c.dateTimeUtc), tz)}|${c.businessNumber}`;
    const r = out.get(key) ?? { calls: 0, answered: 0, missed: 0, total: 0, answeredDur: 0 };
    const dur = Math.round(Number(c.duration) / 1000);
    const connected = c.callStatus.toLowerCase() === 'connected';
    // missed: inbound and not answered (the simulator's calls are never live)
    const inbound = ['incoming', 'inbound'].includes(String(c.direction).toLowerCase());
    r.calls++;
    r.total += dur;
    if (connected) { r.answered++; r.answeredDur += dur; } else if (inbound) r.missed++;
    out.set(key, r);
  }
  return out;
}

function stored(orgId) {
  const rows = sql(`SELECT CAST(day AS CHAR), phone_number, calls, answered, missed, total_duration, answer_rate, `
    + `avg_handle_seconds FROM call_reports_daily WHERE org_id = '${orgId}'`);
  return new Map(rows.map(([day, num, calls, answered, missed, total, rate, avg]) => [`${day}|${num}`, {
    calls: Number(calls), answered: Number(answered), missed: Number(missed), total: Number(total),
    rate: Number(rate), avg: Number(avg),
  }]));
}

function compare(orgId, calls, tz) {
  const want = bucket(calls, tz);
  const got = stored(orgId);
  assert.equal(got.size, want.size, `report rows: stored ${got.size}, expected ${want.size}`);
  for (const [key, w] of want) {
    const g = got.get(key);
    assert.ok(g, `missing report row ${key}`);
    assert.equal(g.calls, w.calls, `${key} calls`);
    assert.equal(g.answered, w.answered, `${key} answered`);
    assert.equal(g.missed, w.missed, `${key} missed`);
    assert.equal(g.total, w.total, `${key} total_duration`);
    assert.equal(g.rate, Math.round((10000 * w.answered) / w.calls) / 100, `${key} answer_rate`);
    assert.equal(g.avg, w.answered ? Math.round((100 * w.answeredDur) / w.answered) / 100 : 0, `${key} avg_handle`);
  }
}

let env;
let boundary; // { before, after, day1, day2, number }
let calls;

before(async () => {
  await simReset();
  env = await orgWithIntegration({ timezone: ZONE });
  const c = await simClient();
  const number = (await c.getJson('/phonenumbers')).body.data.phoneNumbers[0].number;
  // a day three days back, and the minute either side of its end (local time)
  const day1 = localDay(Date.now() - 3 * 86400000, ZONE);
  const midnight = localMidnight(localDay(Date.now() - 2 * 86400000, ZONE), ZONE);
  const day2 = localDay(midnight, ZONE);
  const mk = async (at) => (await simControl('POST', '/calls', {
    count: 1, at: new Date(at).toISOString(), business_number: number, status: 'Connected', duration_ms: 61000,
  })).calls[0];
  boundary = { before: await mk(midnight - 30000), after: await mk(midnight + 30000), day1, day2, number };
  calls = await simAll(c, '/calls', 'calls', new Date(Date.now() - 366 * 86400000).toISOString());
  await simReset();
});

test('reports per local day and number equal the simulator\'s calls bucketed in the org\'s zone', async () => {
  const r = await vsSync(['run', '--org', env.org.id, '--type', 'calls']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  compare(env.org.id, calls, ZONE);
  // the data set crosses a DST change in most seasons; either way the zone is honoured
  const s = sql(`SELECT CAST(DATE(CONVERT_TZ(started_at, '+00:00', '${ZONE}')) AS CHAR) FROM calls `
    + `WHERE org_id = '${env.org.id}' AND external_id = '${boundary.before.id}'`);
  assert.equal(s[0][0], boundary.day1);
});

test('a call one minute before local midnight and one a minute after land on different days', () => {
  const { before: b, after: a, day1, day2, number } = boundary;
  assert.notEqual(day1, day2);
  assert.equal(localDay(Date.parse(b.dateTimeUtc), ZONE), day1);
  assert.equal(localDay(Date.parse(a.dateTimeUtc), ZONE), day2);
  // in UTC both are on the same date or not — what matters is the local one
  const got = stored(env.org.id);
  const want = bucket(calls, ZONE);
  assert.equal(got.get(`${day1}|${number}`).calls, want.get(`${day1}|${number}`).calls);
  assert.equal(got.get(`${day2}|${number}`).calls, want.get(`${day2}|${number}`).calls);
  // and without the zone they would have been counted elsewhere for at least one of the two
  const utc = bucket(calls, 'UTC');
  const differs = [...want.keys()].some((k) => utc.get(k)?.calls !== want.get(k).calls);
  assert.ok(differs, 'the org zone changes the buckets');
});

test('the reports stream recomputes from stored calls; re-runs change nothing', async () => {
  const r = await vsSync(['run', '--org', env.org.id, '--type', 'reports', '--since', '2000-01-01']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const job = jobRow(jobIdFrom(r.stdout, 'reports'));
  assert.equal(job.status, 'completed');
  assert.equal(job.new_count, 0);
  assert.equal(job.updated_count, 0);
  compare(env.org.id, calls, ZONE);
  // a call changed locally (e.g. by a webhook) is picked up by the incremental run
  const id = boundary.before.id;
  sql(`UPDATE calls SET status = 'missed' WHERE org_id = '${env.org.id}' AND external_id = '${id}'`);
  const inc = await vsSync(['run', '--org', env.org.id, '--type', 'reports']);
  const j2 = jobRow(jobIdFrom(inc.stdout, 'reports'));
  assert.equal(j2.updated_count, 1, 'one report row changed');
  const row = stored(env.org.id).get(`${boundary.day1}|${boundary.number}`);
  const want = bucket(calls, ZONE).get(`${boundary.day1}|${boundary.number}`);
  assert.equal(row.answered, want.answered - 1);
  sql(`UPDATE calls SET status = 'connected' WHERE org_id = '${env.org.id}' AND external_id = '${id}'`);
  await vsSync(['run', '--org', env.org.id, '--type', 'reports']);
  compare(env.org.id, calls, ZONE);
});

test('after a time zone change, reports --since re-buckets every day', async () => {
  const tokyo = 'Asia/Tokyo';
  const res = await api.put(`/api/admin/orgs/${env.org.id}`, { timezone: tokyo }, { headers: env.admin.headers });
  assert.equal(res.status, 200, res.text);
  const r = await vsSync(['run', '--org', env.org.id, '--type', 'reports', '--since', '2000-01-01']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  compare(env.org.id, calls, tokyo);
  // the admin view filters by day and number
  const { day2, number } = boundary;
  const day = localDay(Date.parse(boundary.after.dateTimeUtc), tokyo);
  const view = await api.get(`/api/admin/mightycall/reports?orgId=${env.org.id}&date_from=${day}&date_to=${day}`
    + `&phone_number=${encodeURIComponent(number)}`, { headers: env.admin.headers });
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.total, 1);
  assert.equal(view.json.reports[0].day, day);
  assert.equal(view.json.reports[0].calls, bucket(calls, tokyo).get(`${day}|${number}`).calls);
  assert.ok(day2);
});
