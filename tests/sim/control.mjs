// Control API for tests (not part of MightyCall), JSON, under /__sim/.
// Not counted, not subject to quota or faults. See README.md for the list.

import { readBody, parseJson, writeReply, json } from './http.mjs';
import { parseUtc } from './format.mjs';
import { callJson, journalJson } from './render.mjs';
import { ref, K_CALL, K_SMS, STATUS } from './data.mjs';

const bad = (error) => json(400, { error });
const MAX_APPEND = 100000;

function appendArgs(b, sim) {
  const count = b.count ?? 1;
  if (!Number.isInteger(count) || count < 0 || count > MAX_APPEND) return { error: `count must be an integer in 0..${MAX_APPEND}` };
  let at;
  if (b.at !== undefined && b.at !== null) {
    at = typeof b.at === 'number' ? b.at : parseUtc(String(b.at));
    if (!Number.isFinite(at)) return { error: 'at must be an ISO 8601 time' };
  }
  const ds = sim.account(b.api_key);
  if (!ds) return { error: 'unknown api_key' };
  return { count, at, ds };
}

/** Optional pinned fields of appended calls. */
function callOverrides(b, ds) {
  const ov = {};
  if (b.status !== undefined) {
    ov.status = STATUS.findIndex((x) => x.toLowerCase() === String(b.status).toLowerCase());
    if (ov.status < 0) return { error: `status must be one of ${STATUS.join(', ')}` };
  }
  if (b.direction !== undefined) {
    const d = String(b.direction).toLowerCase();
    if (!['inbound', 'incoming', 'outbound', 'outgoing'].includes(d)) return { error: 'direction must be inbound or outbound' };
    ov.dir = d === 'inbound' || d === 'incoming' ? 0 : 1;
  }
  if (b.extension !== undefined) {
    ov.ext = ds.extIndex.get(String(b.extension));
    if (ov.ext === undefined) return { error: 'unknown extension' };
  }
  if (b.business_number !== undefined) {
    ov.num = ds.numberIndex.get(String(b.business_number));
    if (ov.num === undefined) return { error: 'unknown business_number' };
  }
  if (b.client !== undefined) {
    if (typeof b.client !== 'string' || !/^\+\d{7,15}$/.test(b.client)) return { error: 'client must be an E.164 number' };
    ov.client = ds.clientIndexOf(b.client);
  }
  if (b.duration_ms !== undefined) {
    if (!Number.isInteger(b.duration_ms) || b.duration_ms < 0 || b.duration_ms > 86400000) return { error: 'duration_ms must be an integer in 0..86400000' };
    ov.durMs = b.duration_ms;
  }
  if (b.recording !== undefined) ov.recording = b.recording === true;
  return { ov };
}

const handlers = {
  'GET /health': () => json(200, { ok: true }),

  'GET /info': (sim) => json(200, {
    base_url: sim.baseUrl, quota: sim.quotaLimit(), token_ttl_s: sim.faults.s.token_ttl_s ?? sim.cfg.tokenTtl,
    accounts: [...sim.accounts.values()].map((ds) => ({ api_key: ds.apiKey, ...ds.summary() })),
  }),

  'GET /counts': (sim) => json(200, { ...sim.counters.snapshot(), quota_used: sim.quota.usage(Date.now()) }),

  'POST /reset': (sim, b) => {
    sim.reset({ dataset: b.dataset === true });
    return json(200, { ok: true });
  },

  'GET /faults': (sim) => json(200, sim.faults.settings),

  'POST /faults': (sim, b) => {
    try { sim.faults.set(b); } catch (e) { return bad(e.message); }
    return json(200, sim.faults.settings);
  },

  'PATCH /faults': (sim, b) => {
    const cur = { ...sim.faults.s };
    if (cur.fail_next) cur.fail_next = { ...cur.fail_next, count: sim.faults.remaining };
    try { sim.faults.set({ ...cur, ...b }); } catch (e) { return bad(e.message); }
    return json(200, sim.faults.settings);
  },

  'GET /messages': (sim, _b, url) => {
    const key = url.searchParams.get('api_key');
    return json(200, { messages: key ? sim.sent.filter((m) => m.api_key === key) : sim.sent });
  },

  'POST /calls': async (sim, b) => {
    const a = appendArgs(b, sim);
    if (a.error) return bad(a.error);
    const o = callOverrides(b, a.ds);
    if (o.error) return bad(o.error);
    const seqs = a.ds.appendCalls(a.count, a.at, o.ov);
    const webhooks = await sim.webhooks.deliver(a.ds, seqs);
    return json(200, {
      calls: seqs.map((s) => callJson(a.ds, s)),
      requests: seqs.map((s) => journalJson(a.ds, ref(K_CALL, s))),
      webhooks,
    });
  },

  'POST /sms': (sim, b) => {
    const a = appendArgs(b, sim);
    if (a.error) return bad(a.error);
    const seqs = a.ds.appendSms(a.count, a.at);
    return json(200, { requests: seqs.map((s) => journalJson(a.ds, ref(K_SMS, s))) });
  },

  'GET /webhooks': (sim) => json(200, sim.webhooks.list()),

  'POST /webhooks': (sim, b) => {
    const ds = sim.account(b.api_key);
    if (!ds) return bad('unknown api_key');
    try { sim.webhooks.set(ds.apiKey, b.url ?? null, b.order); } catch (e) { return bad(e.message); }
    return json(200, sim.webhooks.list());
  },

  'POST /tokens/expire': (sim, b) => json(200, { expired: sim.tokens.expireAll(b.refresh === true) }),
};

export async function control(sim, req, res, url, path) {
  const key = `${req.method} ${path.slice('/__sim'.length) || '/'}`;
  const h = handlers[key];
  if (!h) {
    const known = Object.keys(handlers).some((k) => k.endsWith(` ${path.slice(6)}`));
    return writeReply(res, json(known ? 405 : 404, { error: known ? 'method not allowed' : 'no such control endpoint', endpoints: Object.keys(handlers) }));
  }
  let b = {};
  if (req.method !== 'GET') {
    const p = parseJson(await readBody(req));
    if (p.error) return writeReply(res, bad('body must be JSON'));
    b = p.value ?? {};
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return writeReply(res, bad('body must be a JSON object'));
  }
  writeReply(res, await h(sim, b, url));
}
