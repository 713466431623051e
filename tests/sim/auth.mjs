// Issued OAuth tokens: access tokens with an expiry, refresh tokens, and the
// Bearer + x-api-key check every data call goes through.

import { randomBytes, timingSafeEqual } from 'node:crypto';

export const DENIED = { message: 'Authorization has been denied for this request.' };

export function safeEqual(a, b) {
  const x = Buffer.from(String(a)), y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TokenStore {
  constructor() {
    this.access = new Map();  // token → { apiKey, exp }
    this.refresh = new Map(); // token → { apiKey }
    this.issued = 0;
  }

  issue(apiKey, ttlSeconds, now) {
    if (this.access.size > 5000) this.sweep(now);
    const access_token = randomBytes(48).toString('base64url');
    const refresh_token = randomBytes(32).toString('base64');
    this.access.set(access_token, { apiKey, exp: now + ttlSeconds * 1000 });
    this.refresh.set(refresh_token, { apiKey });
    this.issued++;
    return { access_token, token_type: 'bearer', expires_in: ttlSeconds, refresh_token };
  }

  sweep(now) {
    for (const [k, v] of this.access) if (v.exp <= now) this.access.delete(k);
  }

  /** api key the refresh token belongs to, or null. */
  refreshOwner(token) {
    return this.refresh.get(token)?.apiKey ?? null;
  }

  /**
   * Check the headers of a data call. Returns the api key of the account, or
   * null when the bearer token is missing/unknown/expired or x-api-key does
   * not belong to it.
   */
  check(headers, now) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    const key = headers['x-api-key'];
    if (!m || !key) return null;
    const t = this.access.get(m[1]);
    if (!t || t.exp <= now || !safeEqual(t.apiKey, key)) return null;
    return t.apiKey;
  }

  /** Invalidate every access token (and refresh tokens too when asked). */
  expireAll(alsoRefresh = false) {
    const n = this.access.size;
    this.access.clear();
    if (alsoRefresh) this.refresh.clear();
    return n;
  }
}
