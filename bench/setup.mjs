// setup.mjs — run by bench/run.sh after the "bench" stack is up: makes a
// platform admin, an org ("Bench 1M", America/New_York) and an API key,
// loads 1M calls (+ SMS, recordings, voicemails, counters, daily reports)
// with bench/generate.mjs, and prints one wrk target per line on stdout:
//     name|path|header
// Progress goes to stderr. The data stay in var/bench between runs and are
// reused when the org already holds them (BENCH_FRESH=1 regenerates).
// BENCH_ORGS=100 additionally loads 99 more orgs of BENCH_CALLS_PER_ORG
// (default 92 000) calls — about 10M rows over 100 orgs — to show that one
// org's lists and totals do not depend on the others' volume.
//
// The bench profile's MariaDB is started by scripts/stack.sh with a 256 MiB
// buffer pool; 1M calls with their indexes take ~1.3 GiB, so this raises it
// (SET GLOBAL innodb_buffer_pool_size, bench profile only, documented in
// docs/performance.md) — a production server is sized for its data.
import { randomBytes } from 'node:crypto';
import { api, sql } from '../tests/api/lib.mjs';
import { createUser, login } from '../tests/api/fixtures.mjs';
import { generate } from './generate.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const ORGS = Number(process.env.BENCH_ORGS ?? 1);
const PER_ORG = Number(process.env.BENCH_CALLS_PER_ORG ?? 92_000);
const log = (m) => process.stderr.write(`setup: ${m}\n`);
const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

async function ensureOrg(headers, name) {
  const found = sql(`SELECT id FROM orgs WHERE name = ${lit(name)}`);
  if (found.length) return found[0][0];
  const r = await api.post('/api/admin/orgs', { name, timezone: 'America/New_York' }, { headers });
  if (r.status !== 201) throw new Error(`create org ${name}: ${r.status} ${r.text}`);
  return r.json.id;
}

const count = (orgId) => Number(sql(`SELECT n FROM data_counts_total WHERE org_id = ${lit(orgId)} AND kind = 'call_all'`)[0]?.[0] ?? 0);

async function main() {
  sql('SET GLOBAL innodb_buffer_pool_size = 2147483648');
  const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await createUser({ email, password, fullName: 'Bench Admin', platformAdmin: true });
  const session = await login(email, password);
  const headers = { authorization: `Bearer ${session.access_token}` };

  const orgId = await ensureOrg(headers, 'Bench 1M');
  if (process.env.BENCH_FRESH === '1' || count(orgId) < CALLS) {
    generate(orgId, { calls: CALLS, days: 90, log });
  } else {
    log(`reusing ${count(orgId)} calls of org ${orgId}`);
  }
  for (let i = 2; i <= ORGS; i++) {
    const other = await ensureOrg(headers, `Bench org ${i}`);
    if (process.env.BENCH_FRESH === '1' || count(other) < PER_ORG) generate(other, { calls: PER_ORG, days: 90, log });
  }

  const key = await api.post(`/api/orgs/${orgId}/api-keys`, { name: `bench ${Date.now()}` }, { headers });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.text}`);
  const apiKey = `x-api-key: ${key.json.key}`;
  const bearer = `Authorization: Bearer ${session.access_token}`;

  // a cursor 800 000 rows deep (the position of that row, as the API encodes it)
  const [[pos, id]] = sql(`SELECT DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s.%f'), id FROM calls FORCE INDEX (calls_org_started)
    WHERE org_id = ${lit(orgId)} ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ${Math.floor(CALLS * 0.8)}`);
  const cursor = Buffer.from(JSON.stringify([1, 'calls', pos, id])).toString('base64url');
  const check = await api.get(`/api/orgs/${orgId}/calls?limit=50&cursor=${cursor}`, { headers: { 'x-api-key': key.json.key } });
  if (check.status !== 200 || check.json.data.length !== 50) throw new Error(`deep cursor: ${check.status} ${check.text.slice(0, 200)}`);
  const [[to]] = sql("SELECT DATE(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', 'America/New_York'))");
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86400e3).toISOString().slice(0, 10);
  const base = `/api/orgs/${orgId}`;
  log(`org ${orgId}: ${count(orgId)} calls; targets follow`);
  const targets = [
    [`GET calls?limit=50 (1M calls, API key)`, `${base}/calls?limit=50`, apiKey],
    [`GET calls?limit=50 (1M calls, Bearer JWT)`, `${base}/calls?limit=50`, bearer],
    [`GET calls at a cursor 800k rows deep`, `${base}/calls?limit=50&cursor=${cursor}`, apiKey],
    [`GET calls?phone_number=…&limit=50`, `${base}/calls?limit=50&phone_number=%2B12125550007`, apiKey],
    [`GET reports?group_by=day (90 days)`, `${base}/reports?group_by=day&date_from=${from}&date_to=${to}&limit=100`, apiKey],
    [`GET metrics`, `${base}/metrics`, apiKey],
  ];
  for (const [name, path, hdr] of targets) process.stdout.write(`${name}|${path}|${hdr}\n`);
}

main().catch((e) => { log(e.stack ?? String(e)); process.exit(1); });
