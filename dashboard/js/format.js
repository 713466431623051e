// format.js — how values are shown (dates, durations, numbers) and the date
// arithmetic the filters need. Pure functions, no DOM.

const nf = new Intl.NumberFormat();

export function number(n) {
  if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '—';
  return nf.format(Number(n));
}

/** 87.34 (percent, as the API sends it) → "87.3 %". */
export function percent(v) {
  if (v === null || v === undefined || v === '' || Number.isNaN(Number(v))) return '—';
  return `${Number(v).toFixed(1)} %`;
}

/** 185 → "3:05", 3725 → "1:02:05". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return '—';
  const s = Math.max(0, Math.round(Number(seconds)));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

// Every date and time is shown in one zone: the org's (setZone, called by the
// shell when the org is known), so the dashboard agrees with its filters and
// "today" whatever zone the browser is in. Without an org, the browser's zone.
let displayZone = null;
let fmts = null;

function validZone(tz) {
  if (!tz) return null;
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return tz; } catch { return null; }
}

/** Show times in this IANA zone from now on (null: the browser's). */
export function setZone(tz) {
  const z = validZone(tz);
  if (z === displayZone) return;
  displayZone = z;
  fmts = null;
}

/** The zone times are shown in: the org's, else the browser's. */
export function zone() {
  return displayZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/** The org's zone when one is set, else null. */
export function orgZone() { return displayZone; }

/** "Times in America/Chicago" — the label shown once per page. */
export function zoneLabel() { return `Times in ${zone()}`; }

function f() {
  if (!fmts) {
    const timeZone = displayZone ?? undefined;
    fmts = {
      dt: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }),
      d: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone }),
      t: new Intl.DateTimeFormat(undefined, { timeStyle: 'medium', timeZone }),
      // for CSV: "2026-12-04 10:19:00" (sv-SE writes ISO-like dates)
      csv: new Intl.DateTimeFormat('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone }),
    };
  }
  return fmts;
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : f().dt.format(d);
}

/** A plain day (YYYY-MM-DD) as it is; an instant as its day in the display zone. */
export function dateOnly(iso) {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const d = new Date(`${iso}T12:00:00Z`);
    return Number.isNaN(d.getTime()) ? String(iso) : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : f().d.format(d);
}

export function timeOnly(d = new Date()) { return f().t.format(d); }

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** true for an ISO 8601 instant with a zone ("2026-12-04T10:19:00Z"). */
export function isInstant(v) { return typeof v === 'string' && ISO_INSTANT.test(v); }

/** An instant as "YYYY-MM-DD HH:MM:SS" in the display zone (CSV cells). */
export function csvDateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : f().csv.format(d);
}

/** "2 minutes ago" style relative time for recent events. */
export function ago(iso) {
  if (!iso) return '—';
  const secs = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(secs)) return String(iso);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(secs) < 60) return rtf.format(-secs, 'second');
  if (Math.abs(secs) < 3600) return rtf.format(-Math.round(secs / 60), 'minute');
  if (Math.abs(secs) < 86400) return rtf.format(-Math.round(secs / 3600), 'hour');
  return dateTime(iso);
}

/** "+12125551234" → "+1 212 555 1234" (display only; values stay E.164). */
export function phone(p) {
  if (!p) return '—';
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(p);
  return m ? `+1 ${m[1]} ${m[2]} ${m[3]}` : String(p);
}

/** Today's date (YYYY-MM-DD) in a time zone (the org's), default the browser's. */
export function today(timeZone) {
  return ymd(new Date(), timeZone ?? displayZone);
}

export function ymd(d, timeZone) {
  try {
    // en-CA formats as YYYY-MM-DD
    return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  }
}

/** YYYY-MM-DD plus n days. */
export function addDays(day, n) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Every YYYY-MM-DD from a to b inclusive. */
export function daysBetween(a, b) {
  const out = [];
  for (let d = a; d <= b && out.length < 1000; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - date.getTime()) / 60000);
}

/** A day (YYYY-MM-DD) as the ISO instant of its start in the display zone (the org's). */
export function dayStartIso(day) {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(utcMidnight.getTime())) return undefined;
  let t = utcMidnight.getTime() - offsetMinutes(utcMidnight, zone()) * 60000;
  t = utcMidnight.getTime() - offsetMinutes(new Date(t), zone()) * 60000; // the offset at the day's start itself
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

/** "phone_numbers" → "Phone numbers". */
export function humanize(s) {
  if (!s) return '';
  const t = String(s).replace(/[_-]+/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
