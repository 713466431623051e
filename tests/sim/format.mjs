// Formatting helpers shared by the dataset and the routes: the several
// timestamp shapes MightyCall emits, durations, enum casing, date parsing.

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** 2024-01-20T14:30:00.123Z */
export const isoZ = (ms) => new Date(ms).toISOString();

/** 2024-01-20T14:30:00.123+00:00 (calls and voicemails, as in the Swagger examples) */
export const isoOffset = (ms) => isoZ(ms).slice(0, -1) + '+00:00';

/** 2024-01-20T14:30:00.1230000Z (contacts: .NET 7-digit fractions) */
export const iso7 = (ms) => isoZ(ms).slice(0, -1) + '0000Z';

/** 2024-01-20T14:30:00.123 (messages/send sendTime: no zone designator, UTC) */
export const isoNoZone = (ms) => isoZ(ms).slice(0, -1);

/** "Retry after" time text: 2024-01-21T00:00:00.0000000 UTC */
export const retryAfterText = (ms) => isoZ(ms).slice(0, 19) + '.0000000 UTC';

/** milliseconds → "hh:mm:ss" */
export function hms(ms) {
  const s = Math.round(ms / 1000);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** "Connected" → "connected" when `camel` is truthy (SPEC §3: both casings occur). */
export const cased = (pascal, camel) =>
  pascal && camel ? pascal[0].toLowerCase() + pascal.slice(1) : pascal;

/** Start of the UTC day containing ms. */
export const utcDayStart = (ms) => ms - (((ms % 86400000) + 86400000) % 86400000);

/** YYYY-MM-DD (UTC) */
export const utcDay = (ms) => isoZ(ms).slice(0, 10);

/**
 * Parse a query date the way the API does: ISO 8601; no zone means UTC;
 * a bare date is midnight UTC. Returns ms, or NaN when invalid.
 */
export function parseUtc(s) {
  if (typeof s !== 'string' || !s.trim()) return NaN;
  s = s.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', se = '0', frac = '', zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se, frac ? Math.floor(Number('0' + frac) * 1000) : 0);
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +se > 60) return NaN;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const z = zone.slice(1).replace(':', '');
    ms -= sign * (+z.slice(0, 2) * 60 + +z.slice(2, 4)) * 60000;
  }
  return ms;
}

/** Parse an integer query parameter; returns undefined (absent) or NaN (invalid). */
export function parseIntParam(v) {
  if (v === null || v === undefined || v === '') return undefined;
  return /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
}

/** Lower-case, comma-separated list from a query parameter (null if absent/empty). */
export function listParam(q, name) {
  const all = q.getAll(name);
  if (!all.length) return null;
  const items = all.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  return items.length ? items : null;
}

/** Keep digits only (business number filters are given without '+'). */
export const digits = (s) => String(s).replace(/\D/g, '');
