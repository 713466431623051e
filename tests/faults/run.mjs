// run.mjs — the fault run (scripts/faults.sh starts the stack and this driver).
// While wrk drives the API it: (a) kill -9s a worker, (b) restarts MariaDB,
// (c) makes the simulator answer 5xx/429 during a sync, (d) SIGKILLs that sync
// mid-page (twice) and re-runs it until it completes, (e) sends a burst of
// malformed requests over raw TCP. Then it checks: the pool is whole again,
// no unexpected status, the faulted sync stored exactly what an uninterrupted
// sync of the same simulator dataset stored (row counts + checksums per table,
// and the simulator's own counts), and one sync under valgrind memcheck has no
// leak and no error. Prints a table; exits 1 when a check failed.
//
// Environment (set by scripts/faults.sh): the VS_* variables of scripts/env.sh,
// FAULTS_MODE=short|full, FAULTS_SMALL_SIM_URL (small dataset for valgrind),
// FAULTS_VALGRIND_BUILD (non-sanitized build dir), FAULTS_RESULTS (markdown
// file to update, full mode), FAULTS_COMMAND (shown in the report),
// FAULTS_BREAK=duplicate,lose,alter,dead,leak (self-test: break things on purpose so
// the matching checks must fail; see docs/faults.md).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import {
  ROOT, VAR, HTTP_PORT, SIM_URL, api, sql, sleep, stack, pidOf, childPids, processAlive,
} from '../api/lib.mjs';
import { platformAdmin, newOrg, apiKeyFor, uniqueName } from '../api/fixtures.mjs';
import { spawnSync, vsSync, simControl, expectedCounts, STREAMS } from '../api/sync_helpers.mjs';
import { burst } from './malformed.mjs';

const SHORT = process.env.FAULTS_MODE === 'short';
const WORKERS = Number(process.env.VS_WORKERS ?? 2);
const SMALL_SIM_URL = process.env.FAULTS_SMALL_SIM_URL;
const VG_BUILD = process.env.FAULTS_VALGRIND_BUILD ?? 'build';
const BREAK = new Set((process.env.FAULTS_BREAK ?? '').split(',').filter(Boolean));
const SYNC_ENV = { VS_MC_DAILY_QUOTA: '1000000', VS_LOG_LEVEL: 'warn' };
const WRK = SHORT ? { threads: 1, conns: 8, bound: 150 } : { threads: 2, conns: 16, bound: 900 };
const BURST_SOURCE = '127.0.0.77';
const LEASE = '2'; // short, so a re-run after a SIGKILL waits little for the dead runner's lease

const t0 = Date.now();
const checks = [];
const fig = {};
const log = (m) => console.log(`faults [${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${m}`);
function check(name, ok, detail = '') {
  checks.push({ name, ok: !!ok, detail: String(detail) });
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
async function until(fn, { seconds = 60, everyMs = 100 } = {}) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await sleep(everyMs);
  }
  return null;
}
const health = async () => { try { return (await api.get('/health', { timeoutMs: 5000 })).status; } catch { return 0; } };
const fileSize = (f) => (existsSync(f) ? statSync(f).size : 0);
const fromOffset = (f, off) => (existsSync(f) ? readFileSync(f).subarray(off).toString('utf8') : '');

// ---------------------------------------------------------------- orgs
async function orgAt(admin, label, baseUrl) {
  const org = await newOrg(admin.headers, { name: uniqueName(label), timezone: 'America/New_York' });
  const res = await api.post(`/api/admin/orgs/${org.id}/integrations`, {
    integration_type: 'mightycall', label,
    credentials: { api_key: 'demo-api-key', user_key: 'demo-user-key', base_url: baseUrl },
  }, { headers: admin.headers });
  if (res.status !== 201) throw new Error(`create integration → ${res.status}: ${res.text}`);
  return org.id;
}

// ---------------------------------------------------------------- sync helpers
const latestJob = (orgId, type) => {
  const r = sql(`SELECT status, pages_done FROM sync_jobs WHERE org_id = '${orgId}' AND type = '${type}' `
    + 'ORDER BY created_at DESC LIMIT 1')[0];
  return r ? { status: r[0], pages: Number(r[1]) } : null;
};
const completedAll = (stdout) => STREAMS.every((t) => new RegExp(`^${t}: completed`, 'm').test(stdout));

/** Is a read of the journal window unfinished (SMS pages committed, more to come)? The calls, voicemails and
 * SMS jobs share one journal read per run (docs/sync.md "One journal window"): whichever job reads it commits
 * the SMS pages with the sms stream's run_state, so that is where a read in progress shows. */
const journalMidRead = (orgId) => Number(sql(`SELECT COUNT(*) FROM sync_cursors WHERE org_id = '${orgId}' `
  + "AND stream = 'sms' AND run_state IS NOT NULL")[0][0]) > 0;

/** Start `run --type all`, SIGKILL it while stream `type` is between pages (≥ minPages committed); for sms,
 * while the shared journal window read (which stores the SMS) is between pages, whichever job reads it: killed
 * at once, since the read's last pages may follow within the simulator's latency. */
async function killMidPage(orgId, type, minPages) {
  const { child, done } = spawnSync(['run', '--org', orgId, '--type', 'all', '--lease', LEASE], { env: SYNC_ENV });
  let exited = null;
  done.then((r) => { exited = r; });
  const hit = await until(() => {
    if (exited) return 'exited';
    if (type === 'sms') return journalMidRead(orgId) ? { journal: true } : null;
    const j = latestJob(orgId, type);
    return j && j.status === 'running' && j.pages >= minPages ? j : null;
  }, { seconds: SHORT ? 300 : 1800, everyMs: 25 });
  if (hit === 'exited' || !hit) {
    if (!exited) child.kill('SIGKILL');
    const r = await done;
    return { killed: false, detail: hit ? `the run ended before ${type} reached page ${minPages} (exit ${r.code}): ${r.stdout.trim().split('\n').pop()}`
      : `${type} did not reach page ${minPages} in time` };
  }
  // the next page is being fetched (the simulator answers with latency): kill inside it
  if (type !== 'sms') await sleep(40 + Math.floor(Math.random() * 80));
  child.kill('SIGKILL');
  const r = await done;
  const after = latestJob(orgId, type);
  const midJournal = type === 'sms' && journalMidRead(orgId);
  return { killed: r.signal === 'SIGKILL', pages: after.pages, jobStatus: after.status, midJournal,
    detail: `${type} job ${after.status} after ${after.pages} committed pages${midJournal ? '; the journal window read (SMS) unfinished' : ''}` };
}

// ---------------------------------------------------------------- consistency
// Stable columns only: no row ids, org/integration ids, created/updated times,
// and NOW()-stamped columns as NULL-or-not; links to other rows as NULL-or-not.
const TABLES = {
  phone_numbers: ['external_id', 'number', 'label', 'status', 'is_primary', 'is_toll_free', 'sms_enabled', 'sms_mode',
    'may_call', 'upstream_last_used', 'last_call_at', 'deleted_upstream_at IS NULL'],
  extensions: ['external_id', 'extension', 'display_name', 'email', 'role', 'status'],
  calls: ['external_id', 'journal_id', 'business_number', 'direction', 'status', 'caller_number', 'caller_name',
    'called_number', 'extension', 'agent_external_id', 'agent_name', 'started_at', 'ended_at', 'duration_seconds',
    'queue_wait_seconds', 'recording_url', 'source', 'phone_number_id IS NULL'],
  recordings: ['external_id', 'business_number', 'caller_number', 'direction', 'extension', 'duration_seconds', 'url',
    'file_name', 'recorded_at', 'call_id IS NULL'],
  voicemails: ['external_id', 'from_number', 'to_number', 'assigned_to', 'duration_seconds', 'status', 'recording_url',
    'file_name', 'transcription', 'received_at', 'call_id IS NULL'],
  sms_messages: ['external_id', 'journal_id', 'business_number', 'contact_number', 'direction', 'body', 'status',
    'failure_reason', 'is_thread_start', 'extension', 'agent_external_id', 'attachments', 'sent_at', 'read_at', 'source'],
  contacts: ['external_id', 'etag', 'first_name', 'last_name', 'display_name', 'primary_phone', 'primary_email',
    'channels', 'tags', 'comment', 'upstream_created_at', 'upstream_updated_at', 'deleted_at IS NULL'],
  call_reports_daily: ["CONCAT(day, '/', phone_number)", 'calls', 'answered', 'missed', 'inbound', 'outbound',
    'voicemails', 'answer_rate', 'avg_handle_seconds', 'total_duration', 'phone_number_id IS NULL'],
};

/** {rows, keys (distinct key), md5 (ordered rows), xor (BIT_XOR of CRC32 per row)} of one org's table. */
function tableSum(table, orgId) {
  const cols = TABLES[table];
  const row = `CONCAT_WS('|', ${cols.map((c) => `IFNULL(${c}, '~')`).join(', ')})`;
  const q = `SET SESSION group_concat_max_len = 1073741824; `
    + `SELECT COUNT(*), COUNT(DISTINCT ${cols[0]}), IFNULL(MD5(GROUP_CONCAT(${row} ORDER BY ${cols[0]} SEPARATOR '\\n')), '-'), `
    + `IFNULL(BIT_XOR(CRC32(${row})), 0) FROM ${table} WHERE org_id = '${orgId}'`;
  const [n, keys, md5, xor] = sql(q)[0];
  return { rows: Number(n), keys: Number(keys), md5, xor };
}

// ---------------------------------------------------------------- wrk
let wrkChild = null;
// never leave the load running behind us (abort, exception)
process.on('exit', () => { if (wrkChild && wrkChild.exitCode === null) wrkChild.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
function startWrk(paths, apiKey) {
  const out = `${VAR}/log/faults-wrk.json`;
  writeFileSync(out, '');
  const args = [`-t${WRK.threads}`, `-c${WRK.conns}`, `-d${WRK.bound}s`, '--timeout', '10s',
    '-s', `${ROOT}/tests/faults/wrk.lua`, '-H', `x-api-key: ${apiKey}`, `http://127.0.0.1:${HTTP_PORT}/health`, '--', ...paths];
  const child = spawn('wrk', args, { env: { ...process.env, FAULTS_WRK_OUT: out }, stdio: ['ignore', 'pipe', 'pipe'] });
  wrkChild = child;
  let text = '';
  child.stdout.on('data', (d) => { text += d; });
  child.stderr.on('data', (d) => { text += d; });
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, text })));
  return {
    child, done,
    async stop() {
      const ranOut = child.exitCode !== null;
      if (!ranOut) child.kill('SIGINT'); // wrk stops and reports on SIGINT
      const r = await done;
      let stats = null;
      try { stats = JSON.parse(readFileSync(out, 'utf8')); } catch { /* reported below */ }
      return { ...r, ranOut, stats };
    },
  };
}

// ---------------------------------------------------------------- valgrind
async function valgrindSync(orgId) {
  const vgLog = `${VAR}/log/valgrind-sync.log`;
  const args = ['--tool=memcheck', '--leak-check=full', '--errors-for-leak-kinds=definite,indirect',
    '--show-leak-kinds=definite,indirect', '--error-exitcode=99', '--num-callers=30', `--log-file=${vgLog}`,
    `--suppressions=${ROOT}/tests/faults/valgrind.supp`,
    `${ROOT}/${VG_BUILD}/vs-sync`, '--config', `${VAR}/victorysync.conf`, 'run', '--org', orgId, '--type', 'all'];
  const env = { ...process.env, CREDENTIALS_DIRECTORY: `${VAR}/secrets`, ...SYNC_ENV };
  if (BREAK.has('leak')) {
    // self-test: a library that loses 64 bytes at start-up must fail the valgrind check
    const src = `${VAR}/log/faults-leak.c`;
    writeFileSync(src, '#include <stdlib.h>\nvoid *volatile faults_leak;\n'
      + '__attribute__((constructor)) static void leak(void) { faults_leak = malloc(64); faults_leak = 0; }\n');
    execFileSync('cc', ['-shared', '-fPIC', '-O0', '-o', `${VAR}/log/faults-leak.so`, src]);
    env.LD_PRELOAD = `${VAR}/log/faults-leak.so`;
  }
  const started = Date.now();
  const r = await new Promise((resolve) => {
    const p = spawn('valgrind', args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const text = existsSync(vgLog) ? readFileSync(vgLog, 'utf8') : '';
  const num = (re) => { const m = re.exec(text); return m ? Number(m[1].replace(/,/g, '')) : null; };
  return {
    ...r, seconds: (Date.now() - started) / 1000, log: vgLog,
    errors: num(/ERROR SUMMARY: ([\d,]+) errors/),
    definite: num(/definitely lost: ([\d,]+) bytes/) ?? 0,
    indirect: num(/indirectly lost: ([\d,]+) bytes/) ?? 0,
    possible: num(/possibly lost: ([\d,]+) bytes/) ?? 0,
    suppressed: num(/suppressed: ([\d,]+) bytes/) ?? 0,
  };
}

async function runValgrind(orgId) {
  const ctl = (body) => fetch(`${SMALL_SIM_URL}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await ctl({ error_rate: 0.1, rate_429: 0.05, malformed_rate: 0.03 });
  try { return await valgrindSync(orgId); } finally { await ctl({}); }
}

// ================================================================= the run
async function main() {
  const apiLog = `${VAR}/log/api.log`;
  const accessLog = `${VAR}/log/nginx-access.log`;
  const apiLogStart = fileSize(apiLog);
  const accessStart = fileSize(accessLog);
  const sup = pidOf('api');
  check('pool up before the run', childPids(sup).length === WORKERS && (await health()) === 200,
    `${childPids(sup).length} workers`);

  // ---- set-up: three orgs on the simulator (reference, faulted) and the small one (valgrind)
  await simControl('POST', '/reset', {});
  const admin = await platformAdmin();
  const refOrg = await orgAt(admin, 'Fault reference', SIM_URL);
  const fltOrg = await orgAt(admin, 'Fault run', SIM_URL);
  const vgOrg = SMALL_SIM_URL ? await orgAt(admin, 'Valgrind', SMALL_SIM_URL) : null;
  const key = await apiKeyFor(fltOrg, admin.headers);
  const truth = await expectedCounts();
  delete truth.callList;
  const info = await simControl('GET', '/info');
  fig.dataset = info.accounts[0];
  log(`dataset: ${JSON.stringify(truth)}`);

  // ---- the uninterrupted reference sync (no load, no faults), and meanwhile
  // the valgrind sync against the small simulator (with some 5xx/429/malformed answers)
  // Side by side: two orgs syncing at once must not disturb each other (the
  // reports recomputation once locked into the neighbouring org's rows, see
  // docs/faults.md).
  const vgRun = vgOrg ? runValgrind(vgOrg) : Promise.resolve(null);
  let t = Date.now();
  const ref = await vsSync(['run', '--org', refOrg, '--type', 'all'], { env: SYNC_ENV });
  fig.refSyncSeconds = (Date.now() - t) / 1000;
  const refTail = ref.code === 0 ? '' : `: ${(`${ref.stdout ?? ''}${ref.stderr ?? ''}`).trim().split('\n').slice(-3).join(' | ')}`;
  check('reference sync completes', ref.code === 0 && completedAll(ref.stdout),
    `exit ${ref.code} in ${fig.refSyncSeconds.toFixed(1)} s${refTail}`);
  const vg = await vgRun;
  if (vg) {
    fig.valgrind = vg;
    check('valgrind: sync under memcheck completes', vg.code === 0 && completedAll(vg.stdout), `exit ${vg.code} in ${vg.seconds.toFixed(1)} s`);
    check('valgrind: no memory error, no definite/indirect leak', vg.code !== 99 && vg.errors === 0 && vg.definite === 0 && vg.indirect === 0,
      `errors ${vg.errors}, definitely lost ${vg.definite} B, indirectly lost ${vg.indirect} B, possibly lost ${vg.possible} B (log ${vg.log.replace(`${ROOT}/`, '')})`);
  } else {
    check('valgrind: small simulator available', false, 'FAULTS_SMALL_SIM_URL not set');
  }

  // ---- load
  const paths = [`/api/orgs/${fltOrg}/calls?limit=50`, '/health', `/api/orgs/${fltOrg}/sms?limit=50`,
    `/api/orgs/${fltOrg}/phone-numbers`, `/api/orgs/${fltOrg}/metrics`];
  for (const p of paths) {
    const r = await api.get(p, { headers: key.headers });
    if (r.status !== 200) throw new Error(`load path ${p} → ${r.status}: ${r.text}`);
  }
  const wrk = startWrk(paths, key.key);
  await sleep(1500);
  check('wrk is driving the API', wrk.child.exitCode === null, `wrk -t${WRK.threads} -c${WRK.conns} over ${paths.length} paths`);

  // ---- (a) kill -9 one worker
  const before = childPids(sup);
  const victim = before[0];
  t = Date.now();
  process.kill(victim, 'SIGKILL');
  const replaced = await until(() => {
    const now = childPids(sup);
    return now.length === WORKERS && !now.includes(victim) ? now : null;
  }, { seconds: 30, everyMs: 20 });
  fig.workerReplaceMs = Date.now() - t;
  check('(a) killed worker replaced', replaced, replaced ? `pid ${victim} → ${replaced.filter((p) => !before.includes(p))} in ${fig.workerReplaceMs} ms` : 'not replaced in 30 s');
  check('(a) /health 200 after the kill', (await until(async () => (await health()) === 200, { seconds: 20 })) !== null);

  // ---- (b) restart MariaDB under load
  const workersB = childPids(sup).sort();
  t = Date.now();
  stack('db-stop');
  const downStatus = await health();
  await sleep(SHORT ? 1000 : 3000);
  stack('db-start');
  const back = await until(async () => (await health()) === 200, { seconds: 60 });
  fig.dbOutageSeconds = (Date.now() - t) / 1000;
  check('(b) 503 while MariaDB is down', downStatus === 503, `GET /health → ${downStatus}`);
  check('(b) workers reconnect after the restart', back, `/health 200 again ${fig.dbOutageSeconds.toFixed(1)} s after db-stop`);
  const burst40 = await Promise.all(Array.from({ length: 40 }, (_, i) => api.get(paths[i % paths.length], { headers: key.headers }).then((r) => r.status, () => 0)));
  check('(b) every thread serves again (40 parallel requests → 200)', burst40.every((s) => s === 200), JSON.stringify(countBy(burst40)));
  check('(b) no worker crashed during the restart', JSON.stringify(childPids(sup).sort()) === JSON.stringify(workersB));

  // ---- (c)+(d) the faulted sync: 5xx/429 from the simulator, SIGKILL mid-page, re-run until done
  await simControl('POST', '/faults', { error_rate: 0.08, rate_429: 0.08, latency_ms: SHORT ? 80 : 150 });
  t = Date.now();
  const k1 = await killMidPage(fltOrg, 'calls', 2);
  check('(d) sync SIGKILLed mid-page in calls', k1.killed && k1.jobStatus === 'running', k1.detail);
  // recordings come from the calls pass (one request); the SMS come from the run's one journal window read,
  // done by whichever of the calls, voicemails and sms jobs runs first: kill inside that read
  // whether the first run left part of that read to this one depends on timing (the calls pass is fast, and
  // the SMS alone fit one journal page): start the read over — the sync's window state lost, so it re-reads
  // the whole window and must store nothing twice (the consistency checks below) — and have the simulator
  // serve the journal 100 entries a page, so the read spans pages to kill between
  sql(`DELETE FROM sync_cursors WHERE org_id = '${fltOrg}' AND stream IN ('sms', 'journal')`);
  await simControl('PATCH', '/faults', { page_cap: 100 });
  const k2 = await killMidPage(fltOrg, 'sms', 1);
  check('(d) sync SIGKILLed mid-page in sms', k2.killed && k2.midJournal, k2.detail);
  const reruns = [];
  let final = null;
  for (let i = 0; i < 10 && !final; i++) {
    const r = await vsSync(['run', '--org', fltOrg, '--type', 'all', '--lease', LEASE], { env: SYNC_ENV });
    reruns.push(r.code);
    if (r.code === 0 && completedAll(r.stdout)) final = r;
  }
  fig.faultedSyncSeconds = (Date.now() - t) / 1000;
  fig.reruns = reruns;
  const faults = await simControl('GET', '/faults');
  await simControl('POST', '/faults', {});
  fig.injected = faults.injected;
  check('(d) re-runs complete the sync', final, `exit codes of the re-runs: ${reruns.join(', ')}`);
  const inj5xx = ['500', '502', '503'].reduce((s, k) => s + (faults.injected[k] ?? 0), 0);
  check('(c) simulator injected 5xx and 429 during the sync', inj5xx > 0 && (faults.injected['429'] ?? 0) > 0, JSON.stringify(faults.injected));
  const callsJobs = sql(`SELECT COUNT(*), SUM(new_count), MAX(attempts) FROM sync_jobs WHERE org_id = '${fltOrg}' AND type = 'calls'`)[0].map(Number);
  fig.callsJobs = callsJobs;

  // ---- (e) the malformed burst, straight to nginx
  const pidsE = childPids(sup).sort();
  const e = await burst(HTTP_PORT, { orgId: fltOrg, bearer: admin.token, apiKey: key.key },
    { rounds: SHORT ? 2 : 6, concurrency: 8, localAddress: BURST_SOURCE });
  fig.burst = e;
  check('(e) malformed burst: every answer a 4xx or a close', e.failures.length === 0,
    e.failures.length ? e.failures.slice(0, 5).map((f) => `${f.name}: ${f.reason}`).join('; ') : `${e.sent} requests, ${JSON.stringify(e.byStatus)}`);
  check('(e) no worker crashed on malformed input', JSON.stringify(childPids(sup).sort()) === JSON.stringify(pidsE));
  check('(e) still serving after the burst', (await health()) === 200);

  // ---- stop the load
  const w = await wrk.stop();
  fig.wrk = w.stats;
  check('wrk ran through every phase', !w.ranOut && w.stats, w.ranOut ? `wrk ended on its own (-d ${WRK.bound}s) before the phases did` : `${w.stats?.requests} requests`);
  if (w.stats) {
    const st = w.stats.statuses;
    const unexpected = Object.keys(st).filter((s) => s !== '200' && s !== '503');
    check('wrk saw only 200 (and 503 during the outages)', unexpected.length === 0, JSON.stringify(st));
  }

  // ---- nginx access log: statuses of the whole run, and 5xx of the burst source
  const access = fromOffset(accessLog, accessStart).split('\n').filter(Boolean);
  const byStatus = {};
  let burst5xx = 0;
  for (const line of access) {
    const m = /^(\S+) \[[^\]]*\] ".*" (\d{3}) /.exec(line);
    if (!m) continue;
    byStatus[m[2]] = (byStatus[m[2]] ?? 0) + 1;
    if (m[1] === BURST_SOURCE && m[2] >= '500') burst5xx++;
  }
  fig.accessLog = byStatus;
  check('(e) nginx logged no 5xx for the burst', burst5xx === 0, `${burst5xx} 5xx lines from ${BURST_SOURCE}`);

  // ---- the pool is whole, nothing else died
  if (BREAK.has('dead')) {
    // self-test: a worker dies that nobody killed on purpose
    process.kill(childPids(sup)[0], 'SIGKILL');
    await sleep(500);
  }
  const finalPids = childPids(sup);
  check('pool back to its worker count', processAlive(sup) && finalPids.length === WORKERS, `${finalPids.length}/${WORKERS} workers, supervisor ${processAlive(sup) ? 'alive' : 'dead'}`);
  const h = await api.get('/health');
  check('/health ok at the end', h.status === 200 && h.json?.status === 'ok', h.text.trim());
  const apiLogText = fromOffset(apiLog, apiLogStart);
  const deaths = (apiLogText.match(/supervisor: worker \d+ (killed by signal|exited with)/g) ?? []).length;
  check('exactly one worker death (the kill -9)', deaths === 1, `${deaths} in api.log`);

  // ---- consistency: faulted org vs the uninterrupted reference vs the simulator
  if (BREAK.has('duplicate')) {
    // self-test: a call row that the faulted sync never made
    sql(`INSERT INTO calls (id, org_id, external_id, direction, status, started_at) VALUES (UUID(), '${fltOrg}', 'fault-selftest', 'inbound', 'missed', NOW())`);
  }
  if (BREAK.has('lose')) {
    sql(`DELETE FROM sms_messages WHERE org_id = '${fltOrg}' ORDER BY sent_at LIMIT 1`);
  }
  if (BREAK.has('alter')) {
    sql(`UPDATE recordings SET duration_seconds = duration_seconds + 1 WHERE org_id = '${fltOrg}' ORDER BY recorded_at LIMIT 1`);
  }
  fig.tables = [];
  for (const table of Object.keys(TABLES)) {
    const a = tableSum(table, refOrg);
    const b = tableSum(table, fltOrg);
    const same = a.rows === b.rows && a.md5 === b.md5 && a.xor === b.xor && b.keys === b.rows;
    fig.tables.push({ table, ref: a, flt: b, same });
    check(`consistency: ${table}`, same && a.rows > 0,
      `reference ${a.rows} rows, faulted ${b.rows} rows (${b.keys} distinct keys), md5 ${a.md5.slice(0, 8)}/${b.md5.slice(0, 8)}, crc-xor ${a.xor}/${b.xor}`);
  }
  const stored = (table, where = '') => Number(sql(`SELECT COUNT(*) FROM ${table} WHERE org_id = '${fltOrg}' ${where}`)[0][0]);
  const vsTruth = {
    phone_numbers: [stored('phone_numbers', "AND status = 'active'"), truth.phone_numbers],
    extensions: [stored('extensions'), truth.extensions],
    calls: [stored('calls'), truth.calls],
    recordings: [stored('recordings'), truth.recordings],
    voicemails: [stored('voicemails'), truth.voicemails],
    sms: [stored('sms_messages'), truth.sms],
    contacts: [stored('contacts', 'AND deleted_at IS NULL'), truth.contacts],
    'calls in reports': [Number(sql(`SELECT IFNULL(SUM(calls), 0) FROM call_reports_daily WHERE org_id = '${fltOrg}'`)[0][0]), truth.calls],
    'calls counted new by the jobs': [callsJobs[1], truth.calls],
  };
  fig.vsTruth = vsTruth;
  const off = Object.entries(vsTruth).filter(([, [a, b]]) => a !== b);
  check('faulted sync = simulator dataset (nothing lost, nothing counted twice)', off.length === 0,
    off.length ? off.map(([k, [a, b]]) => `${k}: ${a} stored, ${b} upstream`).join('; ') : Object.entries(vsTruth).map(([k, [a]]) => `${k} ${a}`).join(', '));

  // ---- sanitizer reports (ASan build of the workers / sync)
  const asan = readdirSync(`${VAR}/log`).filter((f) => f.startsWith('asan-'));
  check('no ASan/UBSan report', asan.length === 0, asan.length ? asan.join(', ') : (process.env.FAULTS_ASAN === '1' ? 'ASan build in use' : 'plain build (no sanitizer)'));

  fig.totalSeconds = (Date.now() - t0) / 1000;
  report();
  return checks.every((c) => c.ok);
}

function countBy(list) {
  const o = {};
  for (const x of list) o[x] = (o[x] ?? 0) + 1;
  return o;
}

// ---------------------------------------------------------------- output
function report() {
  const lines = [];
  const ok = checks.every((c) => c.ok);
  const w = fig.wrk;
  const secs = w ? w.duration_us / 1e6 : 0;
  lines.push(`Command: \`${process.env.FAULTS_COMMAND ?? 'scripts/faults.sh'}\` — ${SHORT ? 'short' : 'full'} run, `
    + `simulator dataset ${fig.dataset.calls} calls / ${fig.dataset.sms ?? '?'} SMS / ${fig.dataset.voicemails ?? '?'} voicemails, `
    + `vs-api ${WORKERS} workers × ${process.env.VS_THREADS ?? 8} threads (${process.env.FAULTS_API_BUILD ?? process.env.VS_BUILD}), `
    + `${fig.totalSeconds.toFixed(0)} s in all. Result: **${ok ? 'all checks passed' : 'FAILED'}**.`);
  lines.push('');
  lines.push('| figure | value |');
  lines.push('|---|---|');
  if (w) {
    lines.push(`| wrk load (-t${WRK.threads} -c${WRK.conns}, 5 paths, API key) | ${w.requests} requests in ${secs.toFixed(1)} s (${(w.requests / secs).toFixed(0)} req/s), p50 ${(w.latency_us.p50 / 1000).toFixed(1)} ms, p99 ${(w.latency_us.p99 / 1000).toFixed(1)} ms |`);
    lines.push(`| wrk responses by status | ${Object.entries(w.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')} |`);
    lines.push(`| wrk socket errors | connect ${w.errors.connect}, read ${w.errors.read}, write ${w.errors.write}, timeout ${w.errors.timeout} |`);
  }
  lines.push(`| nginx access log, whole run, by status | ${Object.entries(fig.accessLog ?? {}).sort().map(([k, v]) => `${k}: ${v}`).join(', ')} |`);
  lines.push(`| (a) worker kill -9 → replacement | ${fig.workerReplaceMs} ms |`);
  lines.push(`| (b) MariaDB stop → /health 200 again | ${fig.dbOutageSeconds?.toFixed(1)} s (down on purpose ${SHORT ? 1 : 3} s) |`);
  lines.push(`| reference sync (no faults, no load) | ${fig.refSyncSeconds?.toFixed(1)} s |`);
  lines.push(`| (c)+(d) faulted sync: 2 SIGKILLs mid-page, then re-runs | ${fig.faultedSyncSeconds?.toFixed(1)} s; re-run exit codes ${fig.reruns?.join(', ')}; calls jobs ${fig.callsJobs?.[0]}, max attempts ${fig.callsJobs?.[2]} |`);
  lines.push(`| (c) faults injected by the simulator | ${Object.entries(fig.injected ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ')} |`);
  if (fig.burst) lines.push(`| (e) malformed burst (${fig.burst.cases} cases × ${fig.burst.sent / fig.burst.cases}) | ${Object.entries(fig.burst.byStatus).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}; failures ${fig.burst.failures.length} |`);
  if (fig.valgrind) lines.push(`| valgrind memcheck sync (small dataset, 5xx/429/malformed injected) | ${fig.valgrind.seconds.toFixed(1)} s, ${fig.valgrind.errors} errors, definitely lost ${fig.valgrind.definite} B, indirectly lost ${fig.valgrind.indirect} B |`);
  lines.push('');
  lines.push('| table | reference rows | faulted rows | same checksum |');
  lines.push('|---|---|---|---|');
  for (const r of fig.tables ?? []) lines.push(`| ${r.table} | ${r.ref.rows} | ${r.flt.rows} | ${r.same ? 'yes' : '**no**'} (${r.flt.md5.slice(0, 12)}) |`);
  lines.push('');
  lines.push('| check | result |');
  lines.push('|---|---|');
  for (const c of checks) lines.push(`| ${c.name} | ${c.ok ? 'ok' : '**FAIL**'}${c.detail ? ` — ${c.detail.replace(/\|/g, '/')}` : ''} |`);
  const md = lines.join('\n');
  console.log(`\n${md}\n`);
  writeFileSync(`${VAR}/log/faults-report.md`, `${md}\n`);
  const target = process.env.FAULTS_RESULTS;
  if (target) {
    const section = `## Fault run (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})\n\n`
      + 'Produced by `make faults` (scripts/faults.sh, tests/faults/run.mjs; see docs/faults.md): while wrk loads the API, '
      + 'a worker is killed with SIGKILL, MariaDB is restarted, the simulator answers 5xx/429 during a sync that is '
      + 'SIGKILLed twice mid-page and re-run until it completes, and a burst of malformed requests goes to nginx over raw TCP. '
      + 'Then the synced tables are compared (rows + checksums) with an uninterrupted sync of the same dataset.\n\n'
      + `${md}\n`;
    const old = existsSync(target) ? readFileSync(target, 'utf8') : '';
    const re = /^## Fault run[^\n]*\n[\s\S]*?(?=^## |(?![\s\S]))/m;
    const next = re.test(old) ? old.replace(re, `${section}\n`) : `${old.replace(/\n*$/, '\n\n')}${section}`;
    writeFileSync(target, next);
    console.log(`faults: results written to ${target.replace(`${ROOT}/`, '')}`);
  }
}

main().then((ok) => {
  console.log(ok ? 'FAULTS PASSED' : `FAULTS FAILED: ${checks.filter((c) => !c.ok).map((c) => c.name).join('; ')}`);
  process.exit(ok ? 0 : 1);
}, (err) => {
  console.error(`faults: aborted: ${err.stack ?? err}`);
  for (const c of checks.filter((x) => !x.ok)) console.error(`  failed: ${c.name} — ${c.detail}`);
  process.exit(1);
});
