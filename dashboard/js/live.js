// live.js — the one live-update source. Views never poll on their own: they
// call onLive() for "re-fetch this when the server says it changed" (pushed
// notes from nginx's nchan over EventSource, docs/architecture.md "Live
// updates"), poll() for "re-fetch this every few seconds", or openLive() for
// the overview's metrics. When the push stream is down, onLive() views fall
// back to polling every few seconds and the stream is retried with a new
// ticket (backing off); polling pauses while the tab is hidden.
import { api, orgPath } from './api.js';
import { today } from './format.js';
import { describe } from './errors.js';

const CHANGED = 'vs:changed';

/**
 * Run fn() now and then every `interval` ms until `signal` aborts.
 * fn may return a number to change the next delay (e.g. faster while a job runs).
 * Errors back off (×2, up to maxBackoff) and are reported to onError; the next
 * success calls onOk. Paused while the document is hidden.
 */
export function poll(fn, { interval = 5000, signal, onError, onOk, maxBackoff = 60_000, immediate = true } = {}) {
  let timer = null;
  let failures = 0;
  let running = false;
  let stopped = false;
  let delay = interval;

  async function tick() {
    timer = null;
    if (stopped || running) return;
    if (document.hidden) { return; } // resumed by visibilitychange
    running = true;
    try {
      const next = await fn();
      failures = 0;
      delay = typeof next === 'number' ? next : interval;
      onOk?.();
    } catch (err) {
      if (err?.name === 'AbortError' || stopped) return;
      failures += 1;
      delay = Math.min(maxBackoff, interval * 2 ** failures);
      onError?.(err, delay);
    } finally {
      running = false;
    }
    schedule(delay);
  }
  function schedule(ms) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
  }
  function onVisibility() {
    if (!document.hidden && !timer && !running) tick();
  }
  function stop() {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  }
  document.addEventListener('visibilitychange', onVisibility);
  signal?.addEventListener('abort', stop);
  if (immediate) tick(); else schedule(interval);
  return { stop, now: () => { if (!running) { clearTimeout(timer); tick(); } } };
}

/**
 * Live numbers of an org for the overview. The change feed
 * GET /api/orgs/:orgId/live?cursor=… (calls and SMS created or changed since
 * the cursor) is polled every `interval` ms; when it reports anything — and
 * every 30 s regardless, for agent presence — the numbers are fetched again:
 * GET /api/orgs/:orgId/metrics (today = the org's local day) and today's row
 * of GET /api/orgs/:orgId/reports?group_by=day.
 * onUpdate({metrics, today, calls, messages, at}); onStatus({state:'live'|'error', message, retryIn, at}).
 * announceChange() makes every open feed refresh at once.
 */
export function openLive(org, { signal, onUpdate, onStatus, interval = 5000 }) {
  let cursor = null;
  let lastFull = 0;
  const refreshNumbers = async (calls = [], messages = []) => {
    const metrics = await api.get(orgPath(org.id, '/metrics'), {}, { signal });
    const day = metrics.today ?? today(metrics.timezone ?? org.timezone);
    const report = await api.get(orgPath(org.id, '/reports'), { group_by: 'day', date_from: day, date_to: day }, { signal });
    const rows = Array.isArray(report) ? report : (report?.data ?? []);
    lastFull = Date.now();
    onUpdate({ metrics, today: rows.find((r) => (r.day ?? r.date) === day) ?? null, calls, messages, at: new Date() });
  };
  const poller = poll(async () => {
    let feed;
    try {
      feed = await api.get(orgPath(org.id, '/live'), cursor ? { cursor } : {}, { signal });
    } catch (err) {
      if (err?.status === 400 && cursor) { cursor = null; return 0; } // stale cursor: start again
      throw err;
    }
    const first = cursor === null;
    cursor = feed.cursor ?? null;
    const calls = feed.calls ?? [];
    const messages = feed.messages ?? [];
    if (first || calls.length || messages.length || Date.now() - lastFull >= 30_000) await refreshNumbers(calls, messages);
    onStatus?.({ state: 'live', push: pushLive(org.id), at: new Date() });
    return feed.has_more ? 0 : pushLive(org.id) ? 30_000 : interval;
  }, {
    interval, signal,
    onError: (err, retryIn) => onStatus?.({ state: 'error', message: describe(err), retryIn }),
  });
  // something this page did changed the numbers (e.g. "My status"): refresh now
  const changed = () => { lastFull = 0; poller.now(); };
  window.addEventListener(CHANGED, changed);
  signal?.addEventListener('abort', () => window.removeEventListener(CHANGED, changed));
  // pushed notes: the numbers changed now (no wait for the feed's settle time)
  onLive(org, ['call', 'sms', 'voicemail', 'agent_status'], changed, { signal, fallbackMs: 0 });
  onPushState(({ orgId }) => { if (orgId === org.id) poller.now(); }, signal);
  return poller;
}

/** Tell the live views that the user just changed something they show. */
export function announceChange() { window.dispatchEvent(new Event(CHANGED)); }

// ---- push (EventSource via nginx nchan) -------------------------------------
// One stream per org, shared by every view that listens; it is opened on the
// first listener and closed a little after the last one leaves (so moving
// between pages keeps it). Subscribing takes a ticket from
// POST /api/orgs/:orgId/live/ticket (valid about a minute, this org only);
// when the stream ends or is refused (expired ticket, revoked session) a new
// ticket is taken, with back-off. Notes are {type, id?}.

const PUSH_STATE = 'vs:push';
let stream = null; // {orgId, es, listeners:Set, state, failures, timer, closeTimer}

function setPushState(s, state) {
  if (s.state === state) return;
  s.state = state;
  window.dispatchEvent(new CustomEvent(PUSH_STATE, { detail: { orgId: s.orgId, state } }));
}

async function connect(s) {
  clearTimeout(s.timer);
  if (s.closed) return;
  let t;
  try {
    t = await api.post(orgPath(s.orgId, '/live/ticket'), {});
  } catch {
    return retry(s);
  }
  if (s.closed) return;
  if (!t?.push || typeof EventSource === 'undefined') { setPushState(s, 'off'); return; }
  const es = new EventSource(`${t.url}?ticket=${encodeURIComponent(t.ticket)}`);
  s.es = es;
  es.onopen = () => { s.failures = 0; setPushState(s, 'live'); };
  es.onmessage = (e) => {
    let note;
    try { note = JSON.parse(e.data); } catch { return; }
    if (!note || typeof note.type !== 'string') return;
    for (const l of [...s.listeners]) l(note);
  };
  es.onerror = () => {
    // the browser retries by itself with the same URL, whose ticket may have
    // expired: always start over with a new ticket instead
    if (s.es !== es) return;
    es.close();
    s.es = null;
    setPushState(s, 'down');
    retry(s);
  };
}

function retry(s) {
  if (s.closed) return;
  setPushState(s, 'down');
  s.failures += 1;
  const delay = Math.min(60_000, 1000 * 2 ** Math.min(s.failures, 6));
  clearTimeout(s.timer);
  s.timer = setTimeout(() => connect(s), delay);
}

function closeStream(s) {
  s.closed = true;
  clearTimeout(s.timer);
  clearTimeout(s.closeTimer);
  s.es?.close();
  s.es = null;
  if (stream === s) stream = null;
}

function streamFor(orgId) {
  if (stream && stream.orgId !== orgId) closeStream(stream);
  if (!stream) {
    stream = { orgId, es: null, listeners: new Set(), state: 'connecting', failures: 0, timer: null, closeTimer: null, closed: false };
    connect(stream);
  }
  clearTimeout(stream.closeTimer);
  return stream;
}

/** Whether the org's push stream is connected now. */
export function pushLive(orgId) { return !!stream && stream.orgId === orgId && stream.state === 'live'; }

/** Listen to push state changes: fn({orgId, state: 'live'|'down'|'off'|'connecting'}). */
export function onPushState(fn, signal) {
  const l = (e) => fn(e.detail);
  window.addEventListener(PUSH_STATE, l);
  signal?.addEventListener('abort', () => window.removeEventListener(PUSH_STATE, l));
}

/**
 * Call fn(notes) when the server pushes notes of one of `types` for the org
 * (bursts are gathered for `debounce` ms). While the stream is down, fn([])
 * runs every `fallbackMs` instead (0: no fallback). Stops when signal aborts.
 */
export function onLive(org, types, fn, { signal, debounce = 150, fallbackMs = 10_000 } = {}) {
  const s = streamFor(org.id);
  const wanted = new Set(types);
  let pending = [];
  let timer = null;
  const listener = (note) => {
    if (!wanted.has(note.type)) return;
    pending.push(note);
    if (!timer) timer = setTimeout(() => { timer = null; const n = pending; pending = []; fn(n); }, debounce);
  };
  s.listeners.add(listener);
  let fallback = null;
  if (fallbackMs > 0) {
    fallback = poll(async () => { if (!pushLive(org.id)) await fn([]); }, { interval: fallbackMs, signal, immediate: false });
  }
  signal?.addEventListener('abort', () => {
    clearTimeout(timer);
    fallback?.stop();
    s.listeners.delete(listener);
    if (!s.listeners.size) s.closeTimer = setTimeout(() => { if (!s.listeners.size) closeStream(s); }, 5000);
  });
  return s;
}
