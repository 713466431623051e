// lib.mjs — shared helpers for the black-box API tests: HTTP(S) requests to
// the stack started by scripts/test-all.sh (through nginx), from a chosen
// loopback source address, plus stack control and root SQL for inspection.
import http from 'node:http';
import https from 'node:https';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { recordRequestSecrets, recordResponseSecrets } from './secret_log.mjs';
import { checkResponse } from './openapi_check.mjs';

export const ROOT = process.env.VS_ROOT ?? new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const PROFILE = process.env.VS_PROFILE ?? 'test';
export const VAR = process.env.VS_VAR ?? `${ROOT}/var/${PROFILE}`;
export const HTTP_PORT = Number(process.env.VS_HTTP_PORT ?? 18080);
export const HTTPS_PORT = Number(process.env.VS_HTTPS_PORT ?? 18443);
export const SIM_PORT = Number(process.env.VS_SIM_PORT ?? 18900);
export const SIM_URL = `http://127.0.0.1:${SIM_PORT}`;

// Each test file talks from its own loopback address so the per-IP rate
// limits of one file never leak into another.
let defaultSource = '127.0.0.1';
export function useSourceAddress(ip) { defaultSource = ip; }

/**
 * request('GET', '/health', { headers, body, json, https, source, timeoutMs })
 * → { status, headers, text, json }
 * Every answer is checked against docs/openapi.yaml (tests/api/openapi_check.mjs):
 * an undeclared status or a JSON body that does not match the declared schema
 * rejects with a message naming method, path, status and the schema error.
 */
export function request(method, path, opts = {}) {
  const secure = opts.https ?? false;
  const mod = secure ? https : http;
  let body = opts.body;
  const headers = { ...(opts.headers ?? {}) };
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  }
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  recordRequestSecrets(headers, body); // for scripts/scan-secrets.sh
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: '127.0.0.1', port: secure ? HTTPS_PORT : HTTP_PORT, method, path, headers,
      localAddress: opts.source ?? defaultSource, rejectUnauthorized: false, agent: false,
      timeout: opts.timeoutMs ?? 30000,
    }, (res) => {
      recordResponseSecrets(res);
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        const out = { status: res.statusCode, headers: res.headers, text, json };
        let mismatch;
        try { mismatch = checkResponse(ROOT, method, path, out); } catch (e) { mismatch = `OpenAPI check failed: ${e.stack}`; }
        if (mismatch) reject(new Error(mismatch));
        else resolve(out);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const api = {
  get: (p, o) => request('GET', p, o),
  post: (p, json, o = {}) => request('POST', p, { ...o, json }),
  put: (p, json, o = {}) => request('PUT', p, { ...o, json }),
  del: (p, o) => request('DELETE', p, o),
};

/** Assert the SPEC §2 error shape and status. */
export function assertError(assert, res, status, code) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json, `error body must be JSON: ${res.text}`);
  assert.equal(res.json.code, code);
  assert.equal(typeof res.json.error, 'string');
  assert.equal(typeof res.json.details, 'object');
}

/** Run scripts/stack.sh <cmd> for this profile. */
export function stack(cmd) {
  return execFileSync(`${ROOT}/scripts/stack.sh`, [cmd, PROFILE], { encoding: 'utf8', env: process.env });
}

/** Run SQL as MariaDB root; returns rows as arrays of strings (tab-separated output). */
export function sql(query, db = 'victorysync') {
  const out = execFileSync('mariadb', ['--no-defaults', `--socket=${VAR}/run/mariadb.sock`, '-uroot',
    '-N', '-B', db, '-e', query], { encoding: 'utf8' });
  if (!/^\s*SELECT\b/i.test(query)) touchChangeBoard();
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

/** A write outside the product: say so on the stack's change board
 * (core/platform/change_board.h: 8 fresh random bytes in its external word),
 * as an operator's script must, so that no conditional GET is answered from
 * what a worker read before it. */
export function touchChangeBoard() {
  let fd;
  try {
    fd = openSync(`${VAR}/run/change-board`, 'r+');
  } catch (e) {
    if (e.code === 'ENOENT') return; // no board yet: no worker has read anything
    throw e;
  }
  try {
    writeSync(fd, randomBytes(8), 0, 8, 16);
  } finally {
    closeSync(fd);
  }
}

/** A long-lived root SQL session (for LOCK TABLES and the like). */
export function sqlSession(db = 'victorysync') {
  const p = spawn('mariadb', ['--no-defaults', `--socket=${VAR}/run/mariadb.sock`, '-uroot', '-N', '-B', '-n', db],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  return {
    send(q) { p.stdin.write(q.endsWith(';') ? `${q}\n` : `${q};\n`); },
    // resolves once the marker echoes back, i.e. every statement before it ran
    async sync() {
      const mark = `m${Math.random().toString(36).slice(2)}`;
      this.send(`SELECT '${mark}'`);
      for (let i = 0; i < 400 && !out.includes(mark); i++) await sleep(25);
      if (!out.includes(mark)) throw new Error('sql session did not answer');
    },
    close() { p.stdin.end(); },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** GET /metrics as an operator's scraper does (by default from 127.0.0.1, in metrics_allow_cidr).
 * nginx allows an anonymous address 60 scrapes a minute (burst 30), a budget every test file shares:
 * a 429 is waited out (bounded), any other status is returned. */
export async function scrapeMetrics(opts = {}) {
  const o = { source: '127.0.0.1', ...opts };
  let res = await request('GET', '/metrics', o);
  for (let i = 0; i < 60 && res.status === 429; i++) {
    await sleep(1000);
    res = await request('GET', '/metrics', o);
  }
  return res;
}

/** Sum of a vs-api counter on /metrics over the samples whose labels include route. */
export async function metricsCounter(name, route) {
  const res = await scrapeMetrics();
  if (res.status !== 200) throw new Error(`GET /metrics → ${res.status}`);
  let sum = 0;
  for (const line of res.text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`route="${route}"`)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Poll fn until it returns truthy; bounded by tries (not a timing assertion). */
export async function waitFor(fn, { tries = 200, everyMs = 100, what = 'condition' } = {}) {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function pidOf(name) {
  return Number(readFileSync(`${VAR}/run/${name}.pid`, 'utf8').trim());
}

export function childPids(pid) {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch { return []; }
}

export function processAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

// For tests that need request volume without tripping the per-IP limit:
// every call returns another loopback address. Each test file runs in its
// own process, so the range depends on the pid (127.N.x.y, N = 100…249):
// files that follow each other within nginx's one-minute window must not
// spend the same addresses' budget.
const FRESH_NET = 100 + (process.pid % 150);
let rotating = 0;
export function freshSource() {
  rotating = (rotating % (254 * 254)) + 1;
  return `127.${FRESH_NET}.${Math.floor((rotating - 1) / 254) + 1}.${((rotating - 1) % 254) + 1}`;
}
