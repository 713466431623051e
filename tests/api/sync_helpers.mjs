// sync_helpers.mjs — shared by the sync_*.test.mjs files: the real vs-sync
// binary as a child process, the simulator's control API (/__sim/…), an org
// with a MightyCall integration pointing at the simulator, and the counts the
// simulator itself reports (the independent truth the tests compare with).
import { spawn } from 'node:child_process';
import { ROOT, VAR, SIM_URL, api, sql, sleep } from './lib.mjs';
import { newOrg, platformAdmin, uniqueName } from './fixtures.mjs';
import { SimClient } from '../sim/harness.mjs';

export const BUILD = process.env.VS_BUILD ?? 'build';
export const VS_SYNC = `${ROOT}/${BUILD}/vs-sync`;
export const SIM_API_KEY = 'demo-api-key';
export const SIM_USER_KEY = 'demo-user-key';
export const STREAMS = ['phone_numbers', 'extensions', 'calls', 'recordings', 'voicemails', 'sms', 'contacts', 'reports'];

function childEnv(env) {
  return {
    ...process.env,
    CREDENTIALS_DIRECTORY: `${VAR}/secrets`,
    // sanitizer reports of the sync binary land next to the workers' ones,
    // where dev-test.sh / test-all.sh look for them
    ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? `log_path=${VAR}/log/asan-sync:detect_leaks=1`,
    UBSAN_OPTIONS: process.env.UBSAN_OPTIONS ?? `log_path=${VAR}/log/asan-ubsan-sync:print_stacktrace=1`,
    VS_LOG_LEVEL: 'info',
    ...env,
  };
}

/** Spawn vs-sync (not awaited): {child, done: Promise<{code, signal, stdout, stderr}>}. */
export function spawnSync(args, { env = {} } = {}) {
  const child = spawn(VS_SYNC, ['--config', `${VAR}/victorysync.conf`, ...args], {
    env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Run vs-sync to completion. */
export function vsSync(args, opts) {
  return spawnSync(args, opts).done;
}

/** Control API of the simulator. */
export async function simControl(method, path, body) {
  const r = await fetch(`${SIM_URL}/__sim${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`sim ${method} ${path} → ${r.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Fresh counters, no faults, no quota use — and our own request counter cleared too. */
export async function simReset() {
  await simControl('POST', '/reset', {});
  sql('DELETE FROM mc_request_counts');
}

export const simCounts = () => simControl('GET', '/counts');
export const setFaults = (f) => simControl('POST', '/faults', f);

/** An org (time zone tz) with a MightyCall integration at the simulator. */
export async function orgWithIntegration({ timezone = 'America/New_York', label } = {}) {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers, { name: uniqueName('Sync'), timezone });
  const res = await api.post(`/api/admin/orgs/${org.id}/integrations`, {
    integration_type: 'mightycall',
    label: label ?? 'Simulator',
    credentials: { api_key: SIM_API_KEY, user_key: SIM_USER_KEY, base_url: SIM_URL },
  }, { headers: admin.headers });
  if (res.status !== 201) throw new Error(`create integration → ${res.status}: ${res.text}`);
  return { org, integration: res.json, admin };
}

/** One number from a SELECT. */
export function sqlNum(q) {
  const rows = sql(q);
  return Number(rows[0]?.[0] ?? 0);
}

/** Row counts of the synced tables for one org. */
export function storedCounts(orgId) {
  const q = (t, where = '') => sqlNum(`SELECT COUNT(*) FROM ${t} WHERE org_id = '${orgId}' ${where}`);
  return {
    phone_numbers: q('phone_numbers', "AND status = 'active'"),
    phone_numbers_all: q('phone_numbers'),
    extensions: q('extensions'),
    calls: q('calls'),
    recordings: q('recordings'),
    voicemails: q('voicemails'),
    sms: q('sms_messages'),
    contacts: q('contacts', 'AND deleted_at IS NULL'),
    contacts_all: q('contacts'),
    reports: q('call_reports_daily'),
  };
}

/** The job row of vs-sync's "type: outcome … (job ID)" line. */
export function jobIdFrom(stdout, type) {
  const m = new RegExp(`^${type}: .*\\(job ([0-9a-f-]{36})\\)`, 'm').exec(stdout);
  return m ? m[1] : null;
}

export function jobRow(jobId) {
  const cols = ['status', 'synced_count', 'new_count', 'updated_count', 'attempts', 'error_message', 'pages_done',
    'items_done', 'run_after', 'lease_owner'];
  const r = sql(`SELECT ${cols.join(', ')} FROM sync_jobs WHERE id = '${jobId}'`)[0];
  if (!r) return null;
  const o = Object.fromEntries(cols.map((c, i) => [c, r[i] === 'NULL' ? null : r[i]]));
  for (const k of ['synced_count', 'new_count', 'updated_count', 'attempts', 'pages_done', 'items_done']) o[k] = Number(o[k]);
  return o;
}

/** A client of the simulator's MightyCall API (counts against its quota: call before simReset). */
export async function simClient() {
  const c = new SimClient(SIM_URL, null, SIM_API_KEY, SIM_USER_KEY);
  await c.token();
  return c;
}

/** All items of a skip-paged list (/calls, /voicemails) from `since`. */
export async function simAll(c, path, key, sinceIso) {
  const out = [];
  for (let skip = 0; ; skip += 5000) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await c.getJson(`${path}${sep}pageSize=5000&skip=${skip}&startUtc=${encodeURIComponent(sinceIso)}`);
    if (r.status !== 200) throw new Error(`sim ${path} → ${r.status}`);
    const items = r.body.data[key];
    out.push(...items);
    if (items.length < 5000) return out;
  }
}

/** What a full first sync must store, according to the simulator. */
export async function expectedCounts() {
  const c = await simClient();
  const since = new Date(Date.now() - 366 * 86400000).toISOString();
  const phones = (await c.getJson('/phonenumbers')).body.data;
  const team = (await c.getJson('/team')).body;
  const calls = await simAll(c, '/calls', 'calls', since);
  const vms = await simAll(c, '/voicemails', 'voicemails', since);
  let sms = 0;
  for (let page = 1; ; page++) {
    const r = await c.getJson(`/journal/requests?type=Message,MessageThread&pageSize=1000&page=${page}`);
    const n = (r.body.requests ?? r.body.data.requests).length;
    sms += n;
    if (n < 1000) break;
  }
  const contacts = (await c.getJson('/contacts?pageSize=1000')).body.data.records;
  return {
    phone_numbers: phones.phoneNumbers.length,
    phone_numbers_all: phones.phoneNumbers.length + phones.deletedPhoneNumbers.length,
    extensions: team.users.length,
    calls: calls.length,
    recordings: calls.filter((x) => x.callRecord).length,
    voicemails: vms.length,
    sms,
    contacts,
    callList: calls,
  };
}

/** Poll a condition (bounded by tries, not a timing assertion). */
export async function until(fn, { tries = 600, everyMs = 100, what = 'condition' } = {}) {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Text that must never show up in responses, logs or error messages. */
export const SECRETS = [SIM_USER_KEY];
