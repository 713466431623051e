// Test helper: spawn the simulator on a free port, wait for its ready line,
// and offer small fetch wrappers (token, authorized GET/POST, control calls).
// Used by sim.test.mjs; other test suites may import it too.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

export async function startSim(args = [], { timeoutMs = 20000 } = {}) {
  const proc = spawn(process.execPath, [SERVER, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sim did not start in time: ${err}`)), timeoutMs);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^sim listening on (http:\/\/\S+)\n/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sim exited (${code}): ${err}`)); });
  });
  const sim = new SimClient(base, proc);
  sim.stdout = () => out;
  sim.stderr = () => err;
  return sim;
}

export class SimClient {
  constructor(base, proc, apiKey = 'demo-api-key', userKey = 'demo-user-key') {
    this.base = base;
    this.proc = proc;
    this.apiKey = apiKey;
    this.userKey = userKey;
    this.accessToken = null;
  }

  async stop() {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    this.proc.kill('SIGTERM');
    const [code] = await once(this.proc, 'exit');
    return code;
  }

  tokenRequest(form, headers = { 'x-api-key': this.apiKey }) {
    return fetch(`${this.base}/v4/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  async token() {
    const r = await this.tokenRequest({ grant_type: 'client_credentials', client_id: this.apiKey, client_secret: this.userKey });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
    const j = await r.json();
    this.accessToken = j.access_token;
    this.refreshToken = j.refresh_token;
    return j;
  }

  headers(extra = {}) {
    return { authorization: `Bearer ${this.accessToken}`, 'x-api-key': this.apiKey, ...extra };
  }

  /** Authorized request to /v4/api + path; returns the Response. */
  api(path, { method = 'GET', body, headers = {}, signal } = {}) {
    const h = this.headers(headers);
    if (body !== undefined) h['content-type'] ??= 'application/json';
    return fetch(`${this.base}/v4/api${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal });
  }

  /** Authorized GET returning { status, body (parsed JSON) }. */
  async getJson(path) {
    const r = await this.api(path);
    return { status: r.status, headers: r.headers, body: await r.json() };
  }

  async control(path, body) {
    const r = await fetch(`${this.base}/__sim${path}`, body === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return r.json();
  }
}
