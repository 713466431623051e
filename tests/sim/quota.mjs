// Daily request quota per api_key (MightyCall: 2,500 requests per day).
// The window is the UTC day; past the limit requests get 429 until midnight UTC.

import { utcDay, utcDayStart, retryAfterText } from './format.mjs';

export class Quota {
  constructor(limit) {
    this.limit = limit;
    this.used = new Map(); // apiKey → { day, n }
  }

  /** Count one request; returns null when allowed, else { retryAfterS, body }. */
  take(apiKey, now) {
    const day = utcDay(now);
    let u = this.used.get(apiKey);
    if (!u || u.day !== day) { u = { day, n: 0 }; this.used.set(apiKey, u); }
    u.n++;
    if (u.n <= this.limit) return null;
    const until = utcDayStart(now) + 86400000;
    return {
      retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)),
      body: { message: `Too many requests. Retry after ${retryAfterText(until)}` },
    };
  }

  usage(now) {
    const day = utcDay(now), out = {};
    for (const [k, u] of this.used) out[k] = u.day === day ? u.n : 0;
    return out;
  }

  reset() { this.used.clear(); }
}
