// live.js — the one live-update source. Views never poll on their own: they
// call poll() for "re-fetch this every few seconds" or openLive() for the
// overview's metrics. Today both are plain HTTP polling (paused while the tab
// is hidden, backing off on errors); moving to SSE later changes this file only.
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
    onStatus?.({ state: 'live', at: new Date() });
    return feed.has_more ? 0 : interval;
  }, {
    interval, signal,
    onError: (err, retryIn) => onStatus?.({ state: 'error', message: describe(err), retryIn }),
  });
  // something this page did changed the numbers (e.g. "My status"): refresh now
  const changed = () => { lastFull = 0; poller.now(); };
  window.addEventListener(CHANGED, changed);
  signal?.addEventListener('abort', () => window.removeEventListener(CHANGED, changed));
  return poller;
}

/** Tell the live views that the user just changed something they show. */
export function announceChange() { window.dispatchEvent(new Event(CHANGED)); }
