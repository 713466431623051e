// api.js — the one fetch wrapper. Adds the bearer token, refreshes it once on
// a 401 (POST /api/auth/refresh) and before it runs out, turns every failure
// into an ApiError carrying the SPEC §2 body {error, code, details}, and
// normalises list responses to {data, total, skip, limit}.
// When the token cannot be refreshed it is dropped and 'auth' listeners hear
// {signedIn:false, reason:'expired'}; the app then shows the login page.

const STORAGE_KEY = 'vs.auth';
const events = new EventTarget();

export class ApiError extends Error {
  constructor({ status, code, message, details, retryAfter, method, path }) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? {};
    this.retryAfter = retryAfter;
    this.method = method;
    this.path = path;
  }
}

// ---- token state -----------------------------------------------------------
// {token, expiresAt (ms), ttl (s), refreshToken}. Kept in localStorage so
// every tab shares it; refresh tokens are single use (rotated on refresh, and
// presenting a used one revokes the session), so tabs take a Web Lock around
// refreshing and re-read the stored token inside it.
let auth = loadAuth();
let refreshTimer = null;
let refreshing = null;

function readStored() {
  try {
    const a = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (a && typeof a.token === 'string' && (a.expiresAt > Date.now() || a.refreshToken)) return a;
  } catch { /* unreadable storage: signed out */ }
  return null;
}
function loadAuth() {
  const a = readStored();
  if (!a) localStorage.removeItem(STORAGE_KEY);
  return a;
}

/** Signed in: a valid access token, or a refresh token to get one. */
export function isSignedIn() { return !!auth && (auth.expiresAt > Date.now() || !!auth.refreshToken); }
export function onAuth(fn) {
  const l = (e) => fn(e.detail);
  events.addEventListener('auth', l);
  return () => events.removeEventListener('auth', l);
}

/** Store a login/refresh answer {access_token, expires_in, refresh_token}. */
export function setAuth(res) {
  if (!res || typeof res.access_token !== 'string') throw new ApiError({ status: 0, code: 'BAD_RESPONSE', message: 'the server sent no access token' });
  const ttl = Number(res.expires_in) > 0 ? Number(res.expires_in) : 3600;
  auth = { token: res.access_token, expiresAt: Date.now() + ttl * 1000, ttl, refreshToken: res.refresh_token ?? null };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
  scheduleRefresh();
  events.dispatchEvent(new CustomEvent('auth', { detail: { signedIn: true } }));
}

/** Forget the token; reason 'signed-out' (user asked) or 'expired'. */
export function clearAuth(reason = 'signed-out') {
  const was = !!auth;
  auth = null;
  conditional.clear();
  clearTimeout(refreshTimer);
  localStorage.removeItem(STORAGE_KEY);
  if (was) events.dispatchEvent(new CustomEvent('auth', { detail: { signedIn: false, reason } }));
}

/** Sign out on the server too (revokes the refresh token family); never fails. */
export async function signOutEverywhere() {
  const rt = auth?.refreshToken;
  clearAuth('signed-out');
  if (rt) {
    try { await send('POST', '/api/auth/logout', { body: { refresh_token: rt }, auth: false, retry: false }); } catch { /* signed out locally anyway */ }
  }
}

// Refresh ahead of expiry: at 80 % of the lifetime (at least 30 s before the end).
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!auth) return;
  const left = auth.expiresAt - Date.now();
  const lead = Math.max(30_000, auth.ttl * 1000 * 0.2);
  const wait = Math.max(1_000, left - lead);
  refreshTimer = setTimeout(async () => {
    const r = await refreshToken();
    if (r === 'error' && auth) refreshTimer = setTimeout(scheduleRefresh, 15_000);
  }, Math.min(wait, 2 ** 31 - 1));
}
if (auth) scheduleRefresh();

// Another tab signed in, refreshed or signed out.
window.addEventListener('storage', (e) => {
  if (e.key !== STORAGE_KEY) return;
  const a = readStored();
  if (a) { auth = a; scheduleRefresh(); } else if (auth) clearAuth('expired');
});

async function withRefreshLock(fn) {
  if (navigator.locks?.request) return navigator.locks.request('vs-auth-refresh', fn);
  return fn();
}

/**
 * Get a new access token with the refresh token: 'ok', 'invalid' (the session
 * is over: signed out, with 'expired') or 'error' (try again later).
 */
export function refreshToken() {
  if (!auth?.refreshToken) return Promise.resolve(auth && auth.expiresAt > Date.now() ? 'error' : 'invalid');
  if (!refreshing) {
    const before = auth.token;
    refreshing = withRefreshLock(async () => {
      const stored = readStored();
      if (stored && stored.token !== before && stored.expiresAt > Date.now() + 30_000) { // another tab did it
        auth = stored; scheduleRefresh(); return 'ok';
      }
      const rt = stored?.refreshToken ?? auth?.refreshToken;
      if (!rt) return 'invalid';
      try {
        setAuth(await send('POST', '/api/auth/refresh', { body: { refresh_token: rt }, auth: false, retry: false }));
        return 'ok';
      } catch (err) {
        if (err.status === 401 || err.status === 400) { clearAuth('expired'); return 'invalid'; }
        return 'error';
      }
    }).finally(() => { refreshing = null; });
  }
  return refreshing;
}

// ---- requests --------------------------------------------------------------
// Conditional GETs: the last ETag and body per URL (lists, reports, metrics
// answer with one); the poll sends If-None-Match and reuses the body on 304.
const CONDITIONAL_MAX = 100;
const conditional = new Map(); // url → { etag, json }

function remember(url, etag, json) {
  conditional.delete(url);
  conditional.set(url, { etag, json });
  if (conditional.size > CONDITIONAL_MAX) conditional.delete(conditional.keys().next().value);
}

function buildUrl(path, query) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    url.searchParams.set(k, String(v));
  }
  return url.pathname + url.search;
}

async function send(method, path, { query, body, signal, headers: extra, auth: useAuth = true, retry = true } = {}) {
  // an access token that ran out (tab asleep, laptop closed): refresh first
  if (useAuth && auth && auth.expiresAt <= Date.now() + 5_000) {
    if ((await refreshToken()) === 'invalid') throw new ApiError({ status: 401, code: 'UNAUTHORIZED', message: 'session expired', method, path });
  }
  const headers = { accept: 'application/json', ...(extra ?? {}) };
  if (useAuth && auth) headers.authorization = `Bearer ${auth.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = buildUrl(path, query);
  const held = method === 'GET' ? conditional.get(url) : undefined;
  if (held) headers['if-none-match'] = held.etag;
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'NETWORK', message: 'network error', method, path });
  }
  if (res.status === 304 && held) return structuredClone(held.json);
  let json;
  const text = await res.text();
  if (text) {
    try { json = JSON.parse(text); } catch { json = undefined; }
  }
  if (res.status === 401 && useAuth && retry && auth) {
    const r = await refreshToken();
    if (r === 'ok') return send(method, path, { query, body, signal, headers: extra, auth: useAuth, retry: false });
    if (r === 'invalid' || !auth?.refreshToken) clearAuth('expired');
  }
  if (!res.ok) {
    const ra = Number(res.headers.get('retry-after'));
    throw new ApiError({
      status: res.status,
      code: json?.code ?? statusCode(res.status),
      message: json?.error ?? res.statusText,
      details: json?.details,
      retryAfter: Number.isFinite(ra) && ra > 0 ? ra : json?.details?.retry_after_seconds,
      method, path,
    });
  }
  if (text && json === undefined) throw new ApiError({ status: res.status, code: 'BAD_RESPONSE', message: 'the server answered with something that is not JSON', method, path });
  const etag = method === 'GET' ? res.headers.get('etag') : null;
  if (etag && json !== undefined) remember(url, etag, structuredClone(json));
  return json ?? {};
}

/**
 * The bytes of an audio route (GET …/recordings|calls|voicemails/:id/audio)
 * as a Blob: the bearer token cannot ride on an <audio src>, so the page
 * fetches the file (streamed by the server) and plays it from a blob: URL.
 */
export async function getAudio(path, { signal, retry = true } = {}) {
  if (auth && auth.expiresAt <= Date.now() + 5_000) {
    if ((await refreshToken()) === 'invalid') throw new ApiError({ status: 401, code: 'UNAUTHORIZED', message: 'session expired', method: 'GET', path });
  }
  const headers = { accept: 'audio/*' };
  if (auth) headers.authorization = `Bearer ${auth.token}`;
  let res;
  try {
    res = await fetch(path, { headers, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'NETWORK', message: 'network error', method: 'GET', path });
  }
  if (res.status === 401 && retry && auth && (await refreshToken()) === 'ok') return getAudio(path, { signal, retry: false });
  if (!res.ok) {
    let json;
    try { json = await res.json(); } catch { json = undefined; }
    throw new ApiError({ status: res.status, code: json?.code ?? statusCode(res.status), message: json?.error ?? res.statusText, details: json?.details, method: 'GET', path });
  }
  return res.blob();
}

function statusCode(s) {
  return ({ 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 429: 'RATE_LIMITED', 503: 'UNAVAILABLE' })[s]
    ?? (s >= 500 ? 'INTERNAL_ERROR' : 'HTTP_ERROR');
}

export const api = {
  get: (path, query, opts = {}) => send('GET', path, { ...opts, query }),
  post: (path, body = {}, opts = {}) => send('POST', path, { ...opts, body }),
  put: (path, body = {}, opts = {}) => send('PUT', path, { ...opts, body }),
  patch: (path, body = {}, opts = {}) => send('PATCH', path, { ...opts, body }),
  del: (path, opts = {}) => send('DELETE', path, opts),
};

/** A list answer as {data, total, skip, limit, next_cursor}, whether the route pages or returns a bare array. */
export function asPage(res, skip = 0, limit = 50) {
  if (Array.isArray(res)) return { data: res, total: res.length, skip: 0, limit: res.length, next_cursor: null };
  const data = Array.isArray(res?.data) ? res.data : [];
  return {
    data, total: Number(res?.total ?? data.length), skip: Number(res?.skip ?? skip), limit: Number(res?.limit ?? limit),
    next_cursor: res?.next_cursor, // undefined: the list has no cursor paging; null: last page
  };
}

/** GET a paged list. */
export async function getPage(path, query = {}, opts = {}) {
  return asPage(await api.get(path, query, opts), Number(query.skip ?? 0), Number(query.limit ?? 50));
}

/**
 * Every row of a filtered list. pageFn(query) → page; pages of 500 (the API
 * maximum), following next_cursor where the list has one (keyset paging: no
 * row missed or repeated while rows arrive), else skip.
 */
export async function allPages(pageFn, query = {}, { onProgress, max = 100_000 } = {}) {
  const rows = [];
  const limit = 500;
  let cursor = null;
  let skip = 0;
  for (;;) {
    const page = await pageFn(cursor ? { ...query, cursor, limit } : { ...query, skip, limit });
    rows.push(...page.data);
    onProgress?.(rows.length, page.total);
    if (page.data.length === 0 || rows.length >= max) break;
    if (typeof page.next_cursor === 'string') cursor = page.next_cursor;
    else if (page.next_cursor === null) break;
    else {
      skip += page.data.length;
      if (skip >= page.total || page.data.length < limit) break;
    }
  }
  return rows;
}

export function getAll(path, query = {}, { onProgress, signal, max } = {}) {
  return allPages((q) => getPage(path, q, { signal }), query, { onProgress, max });
}

/** Path helper: org-scoped route. */
export function orgPath(orgId, rest = '') {
  return `/api/orgs/${encodeURIComponent(orgId)}${rest}`;
}
