// ops_logs.test.mjs — structured logs: exactly one logfmt line per request in
// api.log with the request id that the response carried as X-Request-Id (also
// on errors, and nginx's own 413/429), the route pattern (never the raw path)
// and the org; every line of the workers is logfmt; vs-sync writes one line
// per job start/page/end with job, type, org and integration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { VAR, api, freshSource, request, sleep, useSourceAddress, waitFor } from './lib.mjs';
import { apiKeyFor, newOrg, platformAdmin } from './fixtures.mjs';
import { orgWithIntegration, vsSync } from './sync_helpers.mjs';

useSourceAddress('127.0.0.81');
const LOG = `${VAR}/log/api.log`;

/** logfmt line → object (strict: key=bare or key="quoted with \\ escapes"). */
function parseLogfmt(line) {
  const out = {};
  let i = 0;
  while (i < line.length) {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)=/.exec(line.slice(i));
    assert.ok(m, `logfmt key expected at ${JSON.stringify(line.slice(i))} in ${line}`);
    i += m[0].length;
    let v = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        assert.ok(i < line.length, `unterminated value in ${line}`);
        const c = line[i++];
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i++];
          v += { n: '\n', r: '\r', t: '\t' }[e] ?? (e === 'u' ? String.fromCharCode(parseInt(line.slice(i, (i += 4)), 16)) : e);
        } else v += c;
      }
    } else {
      const end = line.indexOf(' ', i);
      v = line.slice(i, end < 0 ? line.length : end);
      assert.ok(!v.includes('"') && !v.includes('='), `bare value ${v} in ${line}`);
      i = end < 0 ? line.length : end;
    }
    out[m[1]] = v;
    if (i < line.length) { assert.equal(line[i], ' ', `space between fields in ${line}`); i++; }
  }
  return out;
}

const logLines = () => readFileSync(LOG, 'utf8').split('\n').filter(Boolean);
const requestLines = (id) => logLines().filter((l) => l.includes(`request_id=${id}`)).map(parseLogfmt);

async function lineFor(id) {
  return waitFor(() => { const l = requestLines(id); return l.length ? l : null; }, { what: `log line of ${id}` });
}

test('one logfmt line per request, with the id of its X-Request-Id, the route pattern and the org', async () => {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers);
  const key = await apiKeyFor(org.id);
  const cases = [
    [await api.get(`/api/orgs/${org.id}/calls?limit=5`, { headers: key.headers }), 'GET', '/api/orgs/:orgId/calls', 200, org.id],
    [await api.get('/health', { source: freshSource() }), 'GET', '/health', 200, '-'],
    [await api.get(`/api/orgs/${randomUUID()}/calls`, { headers: key.headers }), 'GET', '/api/orgs/:orgId/calls', 404, null],
    [await api.get(`/api/nothing-here/${randomUUID()}`), 'GET', 'unmatched', 404, '-'],
    [await api.post('/api/auth/login', { email: 'nobody@example.test', password: 'not-the-password-1' }, { source: freshSource() }), 'POST', '/api/auth/login', 401, '-'],
    [await api.del('/health'), 'DELETE', 'unmatched', 405, '-'],
  ];
  for (const [res, method, route, status, orgLabel] of cases) {
    const id = res.headers['x-request-id'];
    assert.match(id ?? '', /^[0-9a-f]{32}$/, `X-Request-Id on ${method} ${route} ${status}`);
    assert.equal(res.status, status, res.text);
    const lines = await lineFor(id);
    await sleep(50);
    assert.equal(requestLines(id).length, 1, `exactly one line for ${id}`);
    const l = lines[0];
    assert.equal(l.msg, 'request');
    assert.equal(l.level, status >= 500 ? 'warn' : 'info');
    assert.match(l.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(l.method, method);
    assert.equal(l.route, route);
    assert.equal(l.status, String(status));
    assert.match(l.duration_ms, /^\d+\.\d+$/);
    assert.match(l.worker, /^\d+$/);
    assert.match(l.db_trips, /^\d+$/);
    if (route === '/api/orgs/:orgId/calls' && status === 200) assert.ok(Number(l.db_trips) >= 2, l.db_trips);
    if (route === 'unmatched') assert.equal(l.db_trips, '0');
    if (orgLabel) assert.equal(l.org, orgLabel);
  }
  // the raw path of a request never reaches the log
  const raw = `/api/orgs/${org.id}/calls`;
  assert.ok(!readFileSync(LOG, 'utf8').includes(raw), 'raw path in api.log');
});

test('nginx puts X-Request-Id on its own error pages too', async () => {
  const big = await request('POST', '/api/auth/login', {
    body: 'x'.repeat(1024 * 1024 + 10), headers: { 'content-type': 'application/json' }, source: freshSource(),
  });
  assert.equal(big.status, 413);
  assert.match(big.headers['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
  // the unauthenticated per-IP limit (60/min, burst 30) from one address
  let limited;
  const src = freshSource();
  for (let i = 0; i < 80 && !limited; i++) {
    const r = await api.get('/health', { source: src });
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, 'rate limit reached');
  assert.match(limited.headers['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
});

test('every line the workers write is logfmt with ts, level, msg and the process', async () => {
  const lines = logLines().slice(-2000);
  assert.ok(lines.length > 10);
  for (const line of lines) {
    if (!line.startsWith('ts=')) continue; // lines of an older format from earlier runs of this profile
    const l = parseLogfmt(line);
    assert.ok(['debug', 'info', 'warn', 'error'].includes(l.level), line);
    assert.ok(typeof l.msg === 'string' && l.msg.length, line);
    assert.ok(/^\d+$/.test(l.pid ?? l.worker ?? ''), `pid or worker in ${line}`);
  }
});

test('vs-sync logs one structured line per job start, page and end', async () => {
  const { org, integration } = await orgWithIntegration();
  const r = await vsSync(['run', '--org', org.id, '--type', 'phone_numbers']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('ts=')).map(parseLogfmt);
  const mine = lines.filter((l) => l.org === org.id);
  const start = mine.find((l) => l.msg === 'sync_job_start');
  const page = mine.find((l) => l.msg === 'sync_page');
  const end = mine.find((l) => l.msg === 'sync_job_end');
  assert.ok(start && page && end, r.stderr);
  for (const l of [start, page, end]) {
    assert.match(l.job_id, /^[0-9a-f-]{36}$/);
    assert.equal(l.type, 'phone_numbers');
    assert.equal(l.integration, integration.id);
  }
  assert.equal(page.stream, 'phone_numbers');
  assert.match(page.items, /^\d+$/);
  assert.equal(end.result, 'completed');
  assert.match(end.duration_ms, /^\d+\.\d$/);
  assert.equal(mine.filter((l) => l.msg === 'sync_job_end').length, 1);
});
