// trust_ssrf.test.mjs — the SSRF guard of an integration's base_url
// (core/mightycall/mc_target.c, docs/sync.md "Where requests may go"): hosts
// other than MightyCall's and the test stack's mc_allowed_hosts are refused
// with 400 before anything is resolved; any unreachable or non-MightyCall
// target answers one neutral 502 (a database port, a closed port and an HTTP
// server that is not MightyCall cannot be told apart); checks run under a
// per-process concurrency cap (over it: 503 + Retry-After at once).
// Every target here is on 127.0.0.0/8.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HTTP_PORT, SIM_URL, VAR, api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, uniqueName } from './fixtures.mjs';
import { SIM_API_KEY, SIM_USER_KEY, setFaults } from './sync_helpers.mjs';

useSourceAddress('127.0.0.63');

const DB_PORT = Number(process.env.VS_DB_PORT ?? 13307);
const conf = (key, dflt) => {
  const m = readFileSync(`${VAR}/victorysync.conf`, 'utf8').match(new RegExp(`^${key}=(\\d+)`, 'm'));
  return m ? Number(m[1]) : dflt;
};
const creds = (base_url) => ({ api_key: SIM_API_KEY, user_key: SIM_USER_KEY, base_url });
const create = async (headers, base_url, orgId) => {
  const org = orgId ?? (await newOrg(headers, { name: uniqueName('Ssrf') })).id;
  return api.post(`/api/admin/orgs/${org}/integrations`, { label: 'ssrf', credentials: creds(base_url) }, { headers });
};

after(() => setFaults({}));

test('base_url hosts other than MightyCall and mc_allowed_hosts are refused (400) before any connection', async () => {
  const { headers } = await platformAdmin();
  for (const url of ['https://127.0.0.2:3306', `http://127.0.0.3:${DB_PORT}`, 'https://127.1.1.1',
    'https://localhost.localdomain:8443', 'https://[::1]:3306', 'https://2130706433', 'https://0x7f.0.0.1',
    'https://mightycall.com', 'https://api.mightycall.com.evil.test']) {
    const r = await create(headers, url);
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'credentials.base_url', url);
  }
});

test('unreachable and non-MightyCall loopback targets all answer the same neutral 502', async () => {
  const { headers } = await platformAdmin();
  const targets = [
    `http://127.0.0.1:${DB_PORT}`, // MariaDB: a TCP service that is not HTTP
    'http://127.0.0.1:9',          // nothing listens
    `http://127.0.0.1:${HTTP_PORT}`, // an HTTP server that is not MightyCall (404 JSON)
  ];
  const answers = [];
  for (const url of targets) {
    const r = await create(headers, url);
    assertError(assert, r, 502, 'UPSTREAM_ERROR');
    answers.push({ status: r.status, error: r.json.error, code: r.json.code, details: r.json.details });
  }
  for (const a of answers.slice(1)) assert.deepEqual(a, answers[0], 'no port probing through different messages');
  assert.deepEqual(answers[0].details, {});
});

test('the loopback simulator (allowed by this stack\'s config) still works', async () => {
  const { headers } = await platformAdmin();
  const r = await create(headers, SIM_URL);
  assert.equal(r.status, 201, r.text);
});

test('integration checks run under a concurrency cap: over it → 503 + Retry-After at once', async () => {
  const { headers } = await platformAdmin();
  const workers = conf('workers', 2);
  const cap = conf('mc_check_concurrency', 2);
  const orgs = [];
  const n = workers * cap + 6;
  for (let i = 0; i < n; i++) orgs.push((await newOrg(headers, { name: uniqueName('Cap') })).id);
  // the simulator holds token requests (then answers 504): each check stays busy
  await setFaults({ fail_next: { count: 200, status: 'timeout', paths: 'auth/token' }, timeout_ms: 3000 });
  let answers;
  try {
    answers = await Promise.all(orgs.map((o) => create(headers, SIM_URL, o)));
  } finally {
    await setFaults({});
  }
  const busy = answers.filter((r) => r.status === 503);
  const checked = answers.filter((r) => r.status === 502);
  assert.equal(busy.length + checked.length, n, answers.map((r) => r.status).join(','));
  assert.ok(checked.length >= 1 && checked.length <= workers * cap, `${checked.length} checks ran (cap ${cap} × ${workers})`);
  for (const r of busy) {
    assertError(assert, r, 503, 'UNAVAILABLE');
    assert.equal(r.headers['retry-after'], '1');
    assert.equal(r.json.details.retry_after_seconds, 1);
  }
  // nothing was stored for any of them
  const ids = orgs.map((o) => `'${o}'`).join(',');
  assert.deepEqual(sql(`SELECT COUNT(*) FROM integrations WHERE org_id IN (${ids})`), [['0']]);
});
