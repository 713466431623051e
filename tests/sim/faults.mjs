// Fault injection settings and the per-request decision: latency, random
// 5xx / 429 / malformed bodies / connection resets, and deterministic
// "fail the next N matching requests" (fail_next).

import { mulberry32 } from './prng.mjs';

const DEFAULTS = Object.freeze({
  latency_ms: 0, error_rate: 0, rate_429: 0, malformed_rate: 0, reset_rate: 0,
  token_ttl_s: null, quota: null, paths: null, fail_next: null, timeout_ms: 30000,
  journal_envelope: 'bare', page_cap: null, journal_guid: 'call', idempotency: false,
});

const KINDS = ['reset', 'reset_after', 'malformed', 'timeout', 'timeout_after'];

export class Faults {
  constructor(seed = 42) {
    this.seed = seed;
    this.set({});
  }

  /** Replace all settings (missing keys → defaults). Throws Error on invalid input. */
  set(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('faults must be a JSON object');
    const s = { ...DEFAULTS };
    for (const [k, v] of Object.entries(body)) {
      if (!(k in DEFAULTS)) throw new Error(`unknown fault setting: ${k}`);
      s[k] = v;
    }
    for (const k of ['error_rate', 'rate_429', 'malformed_rate', 'reset_rate']) {
      if (typeof s[k] !== 'number' || !(s[k] >= 0 && s[k] <= 1)) throw new Error(`${k} must be a number in 0..1`);
    }
    if (s.error_rate + s.rate_429 + s.malformed_rate + s.reset_rate > 1) throw new Error('fault rates add up to more than 1');
    for (const k of ['latency_ms', 'timeout_ms']) {
      if (!Number.isInteger(s[k]) || s[k] < 0 || s[k] > 600000) throw new Error(`${k} must be an integer in 0..600000`);
    }
    if (s.page_cap !== null && (!Number.isInteger(s.page_cap) || s.page_cap < 1)) throw new Error('page_cap must be a positive integer or null');
    for (const k of ['token_ttl_s', 'quota']) {
      if (s[k] !== null && (!Number.isInteger(s[k]) || s[k] < 0)) throw new Error(`${k} must be a non-negative integer or null`);
    }
    if (typeof s.idempotency !== 'boolean') throw new Error('idempotency must be true or false');
    if (!['call', 'distinct'].includes(s.journal_guid)) throw new Error('journal_guid must be "call" or "distinct"');
    if (!['bare', 'data'].includes(s.journal_envelope)) throw new Error('journal_envelope must be "bare" or "data"');
    let re = null, nextRe = null;
    if (s.paths !== null) {
      if (typeof s.paths !== 'string') throw new Error('paths must be a regex string');
      try { re = new RegExp(s.paths); } catch (e) { throw new Error(`paths: ${e.message}`); }
    }
    if (s.fail_next !== null) {
      const f = s.fail_next;
      if (typeof f !== 'object' || Array.isArray(f)) throw new Error('fail_next must be an object {count, status}');
      const what = f.status ?? f.kind;
      const count = f.count ?? 1;
      if (!Number.isInteger(count) || count < 0) throw new Error('fail_next.count must be a non-negative integer');
      if (!(Number.isInteger(what) && what >= 100 && what <= 599) && !KINDS.includes(what)) {
        throw new Error(`fail_next.status must be an HTTP status or one of ${KINDS.join(', ')}`);
      }
      if (f.paths !== undefined) {
        try { nextRe = new RegExp(f.paths); } catch (e) { throw new Error(`fail_next.paths: ${e.message}`); }
      }
      s.fail_next = { count, status: what, ...(f.paths !== undefined ? { paths: f.paths } : {}) };
    }
    this.s = s;
    this.re = re;
    this.nextRe = nextRe;
    this.remaining = s.fail_next?.count ?? 0;
    this.rng = mulberry32(this.seed ^ 0xfa017);
    this.injected = {};
  }

  get settings() {
    return { ...this.s, fail_next: this.s.fail_next ? { ...this.s.fail_next, remaining: this.remaining } : null, injected: { ...this.injected } };
  }

  /** The page size a list really serves when `asked` was requested (page_cap: MightyCall may serve fewer). */
  pageSize(asked) {
    return this.s.page_cap !== null && asked > this.s.page_cap ? this.s.page_cap : asked;
  }

  matches(path) {
    return !this.re || this.re.test(path);
  }

  latency(path) {
    return this.s.latency_ms > 0 && this.matches(path) ? this.s.latency_ms : 0;
  }

  /**
   * Decide the fault for a request to `path`:
   * null | { status } | { kind: 'reset' | 'reset_after' | 'malformed' | 'timeout' }.
   */
  pick(path) {
    let f = null;
    if (this.remaining > 0 && (this.nextRe ? this.nextRe.test(path) : this.matches(path))) {
      this.remaining--;
      const w = this.s.fail_next.status;
      f = typeof w === 'number' ? { status: w } : { kind: w };
    } else if (this.matches(path)) {
      const x = this.rng();
      let edge = this.s.reset_rate;
      if (x < edge) f = { kind: 'reset' };
      else if (x < (edge += this.s.error_rate)) f = { status: [500, 502, 503][Math.floor(this.rng() * 3)] };
      else if (x < (edge += this.s.rate_429)) f = { status: 429 };
      else if (x < (edge += this.s.malformed_rate)) f = { kind: 'malformed' };
    }
    if (f) {
      const name = f.kind ?? String(f.status);
      this.injected[name] = (this.injected[name] ?? 0) + 1;
    }
    return f;
  }
}
