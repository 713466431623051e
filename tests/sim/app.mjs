// The request pipeline. For every request outside /__sim/:
//   match route → count → read body → latency → quota (429) → injected fault
//   → auth (Bearer + x-api-key, 401) → handler → write (or truncate / reset).

import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from './router.mjs';
import { readBody, BodyTooLarge, writeReply, notFound, mcError, json } from './http.mjs';
import { DENIED } from './auth.mjs';
import { retryAfterText } from './format.mjs';
import { control } from './control.mjs';
import authRoutes from './routes/auth.mjs';
import accountRoutes from './routes/account.mjs';
import callRoutes from './routes/calls.mjs';
import voicemailRoutes from './routes/voicemails.mjs';
import journalRoutes from './routes/journal.mjs';
import contactRoutes from './routes/contacts.mjs';
import messageRoutes from './routes/messages.mjs';
import fileRoutes from './routes/files.mjs';

export const router = new Router().add([
  ...authRoutes, ...accountRoutes, ...callRoutes, ...voicemailRoutes, ...journalRoutes,
  ...contactRoutes, ...messageRoutes, ...fileRoutes,
]);

const proxyPage = (status) => {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
};

/** Body of an injected HTTP error. */
function faultReply(status, now) {
  if (status === 429) {
    return json(429, { message: `Too many requests. Retry after ${retryAfterText(now + 1000)}` }, { 'retry-after': '1' });
  }
  if (status === 401) return json(401, DENIED, { 'www-authenticate': 'Bearer' });
  if (status === 500) return mcError(500, 'An error has occurred.');
  if (status === 502 || status === 503 || status === 504) {
    return { status, body: proxyPage(status), headers: { 'content-type': 'text/html', ...(status === 503 ? { 'retry-after': '1' } : {}) } };
  }
  return mcError(status, STATUS_CODES[status] ?? 'Error');
}

export function makeHandler(sim) {
  return async (req, res) => {
    try {
      await handle(sim, req, res);
    } catch (e) {
      process.stderr.write(`sim: internal error: ${e.stack ?? e}\n`);
      if (!res.headersSent) writeReply(res, mcError(500, 'An error has occurred.'));
      else res.destroy();
    }
  };
}

async function handle(sim, req, res) {
  const started = Date.now();
  let url;
  try { url = new URL(req.url, 'http://sim'); } catch { return writeReply(res, mcError(400, 'Bad Request')); }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/__sim' || path.startsWith('/__sim/')) return control(sim, req, res, url, path);

  const m = router.match(req.method, path);
  const route = m?.route ?? null;
  sim.counters.request(route ? route.key : `${req.method} (unmatched)`);
  let recorded = false;
  const record = (outcome) => {
    if (recorded) return;
    recorded = true;
    sim.counters.outcome(outcome);
    sim.log(`${req.method} ${url.pathname}${url.search} → ${outcome} (${Date.now() - started} ms)`);
  };
  res.on('finish', () => record(res.statusCode));
  res.on('close', () => record('aborted'));
  const write = (reply, opts) => writeReply(res, reply, { head: req.method === 'HEAD', ...opts });

  let body;
  try {
    body = await readBody(req);
  } catch (e) {
    if (e instanceof BodyTooLarge) return write(mcError(413, 'Request entity too large.'), {});
    throw e;
  }

  const latency = sim.faults.latency(path);
  if (latency) await sleep(latency);
  const now = Date.now();

  let apiKey = req.headers['x-api-key'];
  if (!apiKey && route?.path === '/auth/token') apiKey = new URLSearchParams(body.toString('utf8')).get('client_id');
  apiKey ||= '(none)';
  if (route?.quota !== false) {
    sim.quota.limit = sim.quotaLimit();
    const over = sim.quota.take(apiKey, now);
    if (over) return write(json(429, over.body, { 'retry-after': String(over.retryAfterS) }));
  }

  const fault = sim.faults.pick(path);
  if (fault?.kind === 'reset') {
    record('reset');
    return req.socket.destroy();
  }
  if (fault?.kind === 'timeout') {
    record('timeout');
    return hold(sim, res);
  }
  if (fault?.status) return write(faultReply(fault.status, now));

  if (!m) return write(notFound(url.href.replace('http://sim', sim.baseUrl)));
  if (!route) {
    return write(mcError(405, `The requested resource does not support http method '${req.method}'.`), {});
  }
  const ctx = { sim, req, res, url, query: url.searchParams, params: m.params, body, now, route, apiKey, account: null };
  if (route.auth) {
    const key = sim.tokens.check(req.headers, now);
    if (!key) return write(json(401, DENIED, { 'www-authenticate': 'Bearer' }));
    ctx.apiKey = key;
    ctx.account = sim.accounts.get(key);
  } else {
    ctx.account = sim.accounts.get(req.headers['x-api-key']) ?? sim.account();
  }
  const reply = await route.handler(ctx);
  if (fault?.kind === 'reset_after') {
    record('reset_after');
    return req.socket.destroy();
  }
  if (fault?.kind === 'timeout_after') { // handled (e.g. the SMS is sent), then no answer
    record('timeout_after');
    return hold(sim, res);
  }
  write(reply, { truncate: fault?.kind === 'malformed' });
}

/** "timeout" fault: answer nothing until the client gives up or timeout_ms passes (then 504). */
function hold(sim, res) {
  let timer = null;
  const release = () => {
    clearTimeout(timer);
    sim.held.delete(release);
    if (!res.writableEnded && !res.destroyed) res.destroy();
  };
  timer = setTimeout(() => {
    sim.held.delete(release);
    if (!res.destroyed) writeReply(res, faultReply(504, Date.now()));
  }, sim.faults.s.timeout_ms);
  sim.held.add(release);
  res.on('close', () => { clearTimeout(timer); sim.held.delete(release); });
}
