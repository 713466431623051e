// ops_metrics.test.mjs — GET /metrics (fcgi/handlers/prometheus.c, fcgi/stats.c):
// strict Prometheus text 0.0.4, counters that move with traffic and survive a
// killed worker, route labels that are patterns (never raw paths), the
// database-backed families, and who may see it (metrics_allow_cidr = the
// default 127.0.0.1,::1 in the test stack, or a valid x-service-key; anyone
// else gets the unknown-route 404).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, childPids, freshSource, pidOf, processAlive, request, scrapeMetrics, sql, useSourceAddress, waitFor } from './lib.mjs';
import { apiKeyFor, newOrg, platformAdmin, serviceHeaders } from './fixtures.mjs';

useSourceAddress('127.0.0.80'); // not in metrics_allow_cidr
const SCRAPER = '127.0.0.1';   // is

// ------------------------------------------------------------ strict parser
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(s, where) {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  assert.match(s, /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, `${where}: bad value ${s}`);
  return Number(s);
}

function parseLabels(s, where) {
  // s: the text between { and }, exclusive
  const labels = {};
  let i = 0;
  while (i < s.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(s.slice(i));
    assert.ok(m, `${where}: bad label at ${s.slice(i)}`);
    i += m[0].length;
    let v = '';
    for (;;) {
      assert.ok(i < s.length, `${where}: unterminated label value`);
      const c = s[i++];
      if (c === '"') break;
      if (c === '\\') {
        const e = s[i++];
        assert.ok(e === '\\' || e === '"' || e === 'n', `${where}: bad escape \\${e}`);
        v += e === 'n' ? '\n' : e;
      } else {
        assert.notEqual(c, '\n', `${where}: raw newline in label value`);
        v += c;
      }
    }
    assert.ok(!(m[1] in labels), `${where}: duplicate label ${m[1]}`);
    assert.ok(LABEL.test(m[1]));
    labels[m[1]] = v;
    if (i < s.length) {
      assert.equal(s[i], ',', `${where}: expected , between labels`);
      i++;
    }
  }
  return labels;
}

/** Family name of a sample, given the declared types (histogram suffixes). */
function familyOf(name, types) {
  if (types.has(name)) return name;
  for (const suf of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suf)) {
      const base = name.slice(0, -suf.length);
      if (types.get(base) === 'histogram' || types.get(base) === 'summary') return base;
    }
  }
  return name;
}

/** Parse exposition text strictly → Map family → {type, help, samples: [{name, labels, value}]} */
export function parseExposition(text) {
  assert.ok(text.endsWith('\n'), 'exposition ends with a newline');
  const fams = new Map();
  const types = new Map();
  const seenSeries = new Set();
  let current = null;
  const closed = new Set();
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, n) => {
    const where = `line ${n + 1}: ${line}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // other comments are allowed
      const [, kind, name, rest] = m;
      assert.ok(NAME.test(name), `${where}: bad metric name`);
      let f = fams.get(name);
      if (!f) { f = { type: 'untyped', help: undefined, samples: [] }; fams.set(name, f); }
      if (kind === 'TYPE') {
        assert.ok(TYPES.has(rest), `${where}: bad type`);
        assert.ok(!types.has(name), `${where}: second TYPE for ${name}`);
        assert.equal(f.samples.length, 0, `${where}: TYPE after samples`);
        types.set(name, rest);
        f.type = rest;
      } else {
        assert.equal(f.help, undefined, `${where}: second HELP for ${name}`);
        assert.ok(!/\\[^\\n]/.test(rest), `${where}: bad escape in HELP`);
        f.help = rest;
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    assert.ok(m, `${where}: not a sample line`);
    const [, name, , labelText, valueText] = m;
    const labels = labelText !== undefined ? parseLabels(labelText, where) : {};
    const value = parseValue(valueText, where);
    const fam = familyOf(name, types);
    if (fam !== current) {
      assert.ok(!closed.has(fam), `${where}: samples of ${fam} are not contiguous`);
      if (current) closed.add(current);
      current = fam;
    }
    let f = fams.get(fam);
    if (!f) { f = { type: 'untyped', help: undefined, samples: [] }; fams.set(fam, f); }
    const key = `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
    assert.ok(!seenSeries.has(key), `${where}: duplicate series ${key}`);
    seenSeries.add(key);
    f.samples.push({ name, labels, value });
  });
  // per-type rules
  for (const [fam, f] of fams) {
    if (f.type === 'counter') {
      for (const s of f.samples) {
        assert.equal(s.name, fam, `${fam}: counter sample named ${s.name}`);
        assert.ok(s.value >= 0, `${fam}: negative counter`);
      }
    }
    if (f.type === 'histogram') checkHistogram(fam, f.samples);
  }
  return fams;
}

function checkHistogram(fam, samples) {
  const groups = new Map();
  const keyOf = (labels) => JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort());
  for (const s of samples) {
    const k = keyOf(s.labels);
    if (!groups.has(k)) groups.set(k, { buckets: [], sum: undefined, count: undefined });
    const g = groups.get(k);
    if (s.name === `${fam}_bucket`) {
      assert.ok('le' in s.labels, `${fam}: bucket without le`);
      g.buckets.push({ le: parseValue(s.labels.le, fam), value: s.value });
    } else if (s.name === `${fam}_sum`) g.sum = s.value;
    else if (s.name === `${fam}_count`) g.count = s.value;
    else assert.fail(`${fam}: unexpected sample ${s.name}`);
  }
  for (const [k, g] of groups) {
    assert.ok(g.buckets.length > 0, `${fam}${k}: no buckets`);
    for (let i = 1; i < g.buckets.length; i++) {
      assert.ok(g.buckets[i].le > g.buckets[i - 1].le, `${fam}${k}: le not increasing`);
      assert.ok(g.buckets[i].value >= g.buckets[i - 1].value, `${fam}${k}: buckets not monotonic`);
    }
    const inf = g.buckets[g.buckets.length - 1];
    assert.equal(inf.le, Infinity, `${fam}${k}: last bucket is +Inf`);
    assert.equal(g.count, inf.value, `${fam}${k}: _count equals the +Inf bucket`);
    assert.ok(g.sum !== undefined && g.sum >= 0, `${fam}${k}: _sum present`);
  }
}

// ------------------------------------------------------------ helpers
async function scrape(opts = {}) {
  const res = await scrapeMetrics({ source: SCRAPER, ...opts });
  assert.equal(res.status, 200, res.text);
  return { res, fams: parseExposition(res.text) };
}

function sample(fams, fam, name, labels) {
  const f = fams.get(fam);
  if (!f) return undefined;
  const s = f.samples.find((x) => x.name === name
    && Object.entries(labels).every(([k, v]) => x.labels[k] === v)
    && Object.keys(x.labels).length === Object.keys(labels).length);
  return s?.value;
}
const reqCount = (fams, route, method, status) =>
  sample(fams, 'vs_http_requests_total', 'vs_http_requests_total', { route, method, status: String(status) }) ?? 0;
const histCount = (fams, route, method) =>
  sample(fams, 'vs_http_request_duration_seconds', 'vs_http_request_duration_seconds_count', { route, method }) ?? 0;

// ------------------------------------------------------------ tests
test('GET /metrics from loopback is strict Prometheus text 0.0.4 with every family', async () => {
  const { res, fams } = await scrape();
  assert.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  assert.match(res.headers['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
  assert.equal(res.headers['cache-control'], 'no-store');
  const expected = {
    vs_build_info: 'gauge', vs_workers_alive: 'gauge', vs_worker_restarts_total: 'counter',
    vs_http_requests_total: 'counter', vs_http_request_duration_seconds: 'histogram',
    vs_db_connections_open: 'gauge', vs_db_connections_in_use: 'gauge', vs_db_reconnects_total: 'counter',
    vs_db_round_trips_total: 'counter',
    vs_sync_jobs: 'gauge', vs_mightycall_requests_today: 'gauge', vs_mightycall_requests_limit: 'gauge',
    vs_mightycall_token_refreshes_total: 'counter', vs_webhook_events: 'gauge', vs_metrics_db_up: 'gauge',
  };
  for (const [name, type] of Object.entries(expected)) {
    assert.ok(fams.has(name), `family ${name} present`);
    assert.equal(fams.get(name).type, type, `${name} is a ${type}`);
    assert.ok(fams.get(name).help, `${name} has HELP`);
  }
  const build = fams.get('vs_build_info').samples;
  assert.equal(build.length, 1);
  assert.match(build[0].labels.version, /^\d+\.\d+\.\d+/);
  assert.equal(sample(fams, 'vs_metrics_db_up', 'vs_metrics_db_up', {}), 1);
  assert.ok(sample(fams, 'vs_workers_alive', 'vs_workers_alive', {}) >= 1);
  assert.ok(sample(fams, 'vs_db_connections_open', 'vs_db_connections_open', {}) >= 1, 'this scrape holds one');
});

test('request counters and histograms grow with traffic, by route pattern and status', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  const key = await apiKeyFor(org.id);
  const N = 12;
  const before = (await scrape()).fams;
  const unknownPath = `/api/no-such-${randomUUID()}`;
  for (let i = 0; i < N; i++) {
    assert.equal((await api.get('/health', { source: freshSource() })).status, 200);
    // no-cache: the list statement runs (no remembered answer, which may cost no round trip at all)
    assert.equal((await api.get(`/api/orgs/${org.id}/calls`, { headers: { ...key.headers, 'cache-control': 'no-cache' } })).status, 200);
    assert.equal((await api.get(unknownPath, { source: freshSource() })).status, 404);
  }
  const { res, fams } = await scrape();
  const route = '/api/orgs/:orgId/calls';
  assert.ok(reqCount(fams, '/health', 'GET', 200) >= reqCount(before, '/health', 'GET', 200) + N);
  assert.ok(reqCount(fams, route, 'GET', 200) >= reqCount(before, route, 'GET', 200) + N);
  assert.ok(reqCount(fams, 'unmatched', 'GET', 404) >= reqCount(before, 'unmatched', 'GET', 404) + N);
  assert.ok(histCount(fams, route, 'GET') >= histCount(before, route, 'GET') + N);
  assert.ok(histCount(fams, '/health', 'GET') >= histCount(before, '/health', 'GET') + N);
  // every list request that runs the list sends MariaDB at least one statement (the full path two:
  // who-you-are and the list; a thread that remembers the caller one, its guard riding on the list)
  const trips = (f) => sample(f, 'vs_db_round_trips_total', 'vs_db_round_trips_total', { route, method: 'GET' }) ?? 0;
  assert.ok(trips(fams) >= trips(before) + N, `round trips of ${route}`);
  // labels are patterns: no raw ids or paths
  assert.ok(!res.text.includes(org.id), 'an org id in a route label');
  assert.ok(!res.text.includes(unknownPath), 'a raw unknown path in a label');
  for (const s of fams.get('vs_http_requests_total').samples) {
    assert.ok(s.labels.route === 'unmatched' || s.labels.route.startsWith('/'), s.labels.route);
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(s.labels.route), `raw id in ${s.labels.route}`);
  }
});

test('only loopback (metrics_allow_cidr) or a valid service key see /metrics; everyone else gets the unknown-route 404', async () => {
  const unknown = await api.get('/no-such-ops-route-x');
  const hidden = [
    await api.get('/metrics'),
    await api.get('/metrics', { headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', forwarded: 'for=127.0.0.1' } }),
    await api.get('/metrics', { headers: { 'x-service-key': 'wrong-service-key-value' } }),
    await api.get('/metrics', { headers: (await platformAdmin()).headers }),
    await api.post('/metrics', {}),
  ];
  for (const r of hidden) {
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json?.code, 'NOT_FOUND');
    assert.equal(r.json?.error, 'no such route');
    assert.ok(!/vs_/.test(r.text), 'no metric leaked');
    assert.match(r.headers['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
  }
  assert.ok(unknown.status === 404 || unknown.status === 200); // static dashboard outside /api
  const viaKey = await api.get('/metrics', { headers: serviceHeaders() });
  assert.equal(viaKey.status, 200);
  parseExposition(viaKey.text);
  const v6 = await scrape(); // 127.0.0.1
  assert.ok(v6.fams.size > 5);
});

test('the database families match the tables', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  sql(`INSERT INTO sync_jobs (org_id, type, status) VALUES ('${org.id}', 'contacts', 'failed')`);
  sql(`INSERT INTO ops_counters (name, label, value) VALUES ('mc_token_refreshes', 'ops-test-label', 3) ON DUPLICATE KEY UPDATE value = value + 3`);
  const { fams } = await scrape();
  for (const [type, status, n] of sql('SELECT type, status, COUNT(*) FROM sync_jobs GROUP BY type, status')) {
    assert.equal(sample(fams, 'vs_sync_jobs', 'vs_sync_jobs', { type, status }), Number(n), `${type}/${status}`);
  }
  const [[refreshes]] = sql("SELECT value FROM ops_counters WHERE name = 'mc_token_refreshes' AND label = 'ops-test-label'");
  assert.equal(sample(fams, 'vs_mightycall_token_refreshes_total', 'vs_mightycall_token_refreshes_total',
    { integration: 'ops-test-label' }), Number(refreshes));
  for (const [integration, orgId, used] of sql(
    'SELECT i.id, i.org_id, COALESCE(c.requests, 0) FROM integrations i LEFT JOIN mc_request_counts c '
    + 'ON c.key_fp = i.key_fp AND c.day = UTC_DATE()')) {
    const got = sample(fams, 'vs_mightycall_requests_today', 'vs_mightycall_requests_today', { integration, org: orgId });
    assert.ok(got !== undefined && got >= Number(used), `quota of ${integration}: ${got} < ${used}: ${fams.get('vs_mightycall_requests_today').samples.map((x) => JSON.stringify(x)).join(' ')}`);
    assert.equal(sample(fams, 'vs_mightycall_requests_limit', 'vs_mightycall_requests_limit', { integration, org: orgId }), 2500);
  }
  for (const [type, n] of sql('SELECT event_type, COUNT(*) FROM call_events GROUP BY event_type ORDER BY COUNT(*) DESC LIMIT 50')) {
    assert.equal(sample(fams, 'vs_webhook_events', 'vs_webhook_events', { type }), Number(n), type);
  }
  sql("DELETE FROM ops_counters WHERE label = 'ops-test-label'");
});

test('counts live in the shared region: a killed worker loses none, the supervisor counts the restart', async () => {
  for (let i = 0; i < 8; i++) await api.get('/health', { source: freshSource() });
  const before = (await scrape()).fams;
  const sup = pidOf('api');
  const workers = childPids(sup);
  assert.ok(workers.length >= 1);
  process.kill(workers[0], 'SIGKILL');
  await waitFor(() => !processAlive(workers[0]), { what: 'worker gone' });
  await waitFor(() => {
    const now = childPids(sup);
    return now.length === workers.length && !now.includes(workers[0]);
  }, { what: 'worker restarted' });
  const after = (await waitFor(async () => {
    const r = await request('GET', '/metrics', { source: SCRAPER });
    return r.status === 200 ? r : null;
  }, { what: 'metrics after restart' }));
  const fams = parseExposition(after.text);
  const restarts = (f) => sample(f, 'vs_worker_restarts_total', 'vs_worker_restarts_total', {});
  assert.ok(restarts(fams) >= restarts(before) + 1, 'restart counted');
  assert.equal(sample(fams, 'vs_workers_alive', 'vs_workers_alive', {}), workers.length);
  assert.ok(reqCount(fams, '/health', 'GET', 200) >= reqCount(before, '/health', 'GET', 200), 'no count lost');
  assert.ok(histCount(fams, '/health', 'GET') >= histCount(before, '/health', 'GET'));
});
