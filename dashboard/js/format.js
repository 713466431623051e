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

const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const df = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const tf = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dtf.format(d);
}

export function dateOnly(iso) {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00` : iso);
  return Number.isNaN(d.getTime()) ? String(iso) : df.format(d);
}

export function timeOnly(d = new Date()) { return tf.format(d); }

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
  return ymd(new Date(), timeZone);
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

/** A day (YYYY-MM-DD, the user's local day) as the ISO instant of its start. */
export function dayStartIso(day) {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
}

/** "phone_numbers" → "Phone numbers". */
export function humanize(s) {
  if (!s) return '';
  const t = String(s).replace(/[_-]+/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
