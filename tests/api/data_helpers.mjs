// data_helpers.mjs — shared by the data_*.test.mjs files (call-data API):
// rows inserted straight into the 021 tables as root (as the sync would
// write them), small SQL helpers, and an org with members and an API key.
import { randomBytes, randomUUID } from 'node:crypto';
import { api, sql } from './lib.mjs';
import { apiKeyFor, newOrg, platformAdmin, uniqueName, userWithRole } from './fixtures.mjs';

/** SQL literal (tests control every value; quotes and backslashes escaped anyway). */
export function lit(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** "2024-03-05T10:00:00.123Z" | Date | ms → "2024-03-05 10:00:00.123" (UTC). */
export function sqlTime(t) {
  const d = t instanceof Date ? t : new Date(t);
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** The API's rendering of a stored time: whole seconds, Z. */
export function isoSec(t) {
  const d = t instanceof Date ? t : new Date(t);
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** What every writer of the product does in its transaction (core/data/data_version.c): move the org's data
 * version, so ETags, 304s and remembered answers (fcgi/answer_cache.c) see the write. Tests that write rows
 * behind the API's back call it after their SQL, as the sync or a webhook would. */
export function bumpDataVersion(orgId) {
  sql(`INSERT INTO org_data_versions (org_id, version) VALUES (${lit(orgId)}, 1) `
    + 'ON DUPLICATE KEY UPDATE version = version + 1');
}

function insert(table, rows, defaults) {
  if (!rows.length) return [];
  const withIds = rows.map((r) => ({ id: randomUUID(), ...defaults(), ...r }));
  const cols = [...new Set(withIds.flatMap((r) => Object.keys(r)))];
  for (let i = 0; i < withIds.length; i += 500) {
    const chunk = withIds.slice(i, i + 500);
    sql(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${chunk.map((r) => `(${cols.map((c) => (r[c] === undefined ? 'DEFAULT' : lit(r[c]))).join(', ')})`).join(', ')}`);
  }
  for (const org of new Set(withIds.map((r) => r.org_id).filter(Boolean))) bumpDataVersion(org);
  return withIds;
}

const ext = () => randomBytes(8).toString('hex');

/** Calls: pass at least org_id and started_at (sqlTime). Returns rows with ids. */
export function insertCalls(rows) {
  return insert('calls', rows.map((r) => ({ ...r, started_at: sqlTime(r.started_at) })), () => ({
    external_id: `c-${ext()}`, business_number: '+12125550100', direction: 'inbound', status: 'connected',
    caller_number: '+14155550100', caller_name: 'Test Caller', duration_seconds: 60, queue_wait_seconds: null,
    extension: null, agent_name: null, recording_url: null,
  }));
}

export function insertSms(rows) {
  return insert('sms_messages', rows.map((r) => ({ ...r, sent_at: sqlTime(r.sent_at) })), () => ({
    external_id: `s-${ext()}`, business_number: '+12125550100', contact_number: '+14155550100', direction: 'inbound',
    body: 'hello', status: 'received',
  }));
}

export function insertRecordings(rows) {
  return insert('recordings', rows.map((r) => ({ ...r, recorded_at: sqlTime(r.recorded_at) })), () => ({
    external_id: `r-${ext()}`, business_number: '+12125550100', caller_number: '+14155550100', direction: 'inbound',
    duration_seconds: 30, url: 'https://recordings.example/rec.wav', file_name: 'rec.wav',
  }));
}

export function insertVoicemails(rows) {
  return insert('voicemails', rows.map((r) => ({ ...r, received_at: sqlTime(r.received_at) })), () => ({
    external_id: `v-${ext()}`, from_number: '+14155550100', to_number: '+12125550100', duration_seconds: 20,
    status: 'unread', recording_url: 'https://recordings.example/vm.wav', assigned_to: 'Main box',
  }));
}

export function insertPhones(rows) {
  return insert('phone_numbers', rows, () => ({ external_id: `p-${ext()}`, label: 'Main', status: 'active' }));
}

export function insertExtensions(rows) {
  return insert('extensions', rows, () => ({ external_id: `u-${ext()}`, status: 'active', role: 'agent' }));
}

/** The numbers the API returns for a SELECT COUNT(*)-like query. */
export function sqlNum(q) {
  return Number(sql(q)[0]?.[0] ?? 0);
}

/** An org (time zone tz) with an agent, a manager and an API key. */
export async function dataOrg({ timezone = 'UTC', roles = ['agent', 'manager'] } = {}) {
  const admin = await platformAdmin();
  const org = await newOrg(admin.headers, { name: uniqueName('Data'), timezone });
  const out = { org, id: org.id, admin };
  for (const r of roles) out[r] = await userWithRole(org.id, r);
  out.key = await apiKeyFor(org.id, admin.headers);
  return out;
}

/** GET with headers, asserting nothing; path relative to /api/orgs/:orgId. */
export function orgGet(orgId, path, headers) {
  return api.get(`/api/orgs/${orgId}${path}`, { headers });
}

/** Every page of a list by cursor; calls between(pageIndex) after each page. */
export async function allByCursor(url, headers, { limit = 10, between } = {}) {
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const sep = url.includes('?') ? '&' : '?';
    const r = await api.get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers });
    if (r.status !== 200) throw new Error(`${url} → ${r.status}: ${r.text}`);
    seen.push(...r.json.data);
    cursor = r.json.next_cursor;
    if (between) await between(i);
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}
