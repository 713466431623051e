// sync_integrations.test.mjs — MightyCall integrations of an org: create
// (credentials verified against the simulator), list, update, delete;
// credentials and the webhook secret encrypted at rest and never returned
// (the secret once) or logged; refused credentials 400, unreachable 502,
// https-only base URLs; org_admin only.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HTTP_PORT, SIM_URL, VAR, api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, uniqueName, userWithRole } from './fixtures.mjs';
import { SIM_API_KEY, SIM_USER_KEY, simControl, simCounts, simReset, sqlNum } from './sync_helpers.mjs';

useSourceAddress('127.0.0.30');

const creds = (over = {}) => ({ api_key: SIM_API_KEY, user_key: SIM_USER_KEY, base_url: SIM_URL, ...over });
let admin;
let org;

before(async () => {
  await simReset();
  admin = await platformAdmin();
  org = await newOrg(admin.headers, { name: uniqueName('Integrations') });
});

test('create verifies the credentials with MightyCall and returns the webhook secret once', async () => {
  await simReset();
  const res = await api.post(`/api/admin/orgs/${org.id}/integrations`,
    { integration_type: 'mightycall', label: 'Main line', credentials: creds() }, { headers: admin.headers });
  assert.equal(res.status, 201, res.text);
  const it = res.json;
  assert.match(it.id, /^[0-9a-f-]{36}$/);
  assert.equal(it.org_id, org.id);
  assert.equal(it.integration_type, 'mightycall');
  assert.equal(it.label, 'Main line');
  assert.equal(it.status, 'active');
  assert.match(it.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(it.webhook_secret.length >= 40, 'unguessable secret');
  // the URL MightyCall must call, as this client reached nginx (port included: not 80)
  assert.equal(it.webhook_url, `http://127.0.0.1:${HTTP_PORT}/api/webhooks/mightycall/${it.id}?secret=${it.webhook_secret}`);
  for (const k of ['credentials', 'api_key', 'user_key', 'base_url']) assert.equal(it[k], undefined, k);
  assert.ok(!res.text.includes(SIM_USER_KEY) && !res.text.includes(SIM_API_KEY), 'no credentials in the answer');
  // exactly one token request was made to verify, and its token is cached for the sync
  const counts = await simCounts();
  assert.equal(counts.by_endpoint['POST /auth/token'], 1);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM mc_tokens WHERE integration_id = '${it.id}' AND access_token_enc LIKE 'v1:%'`), 1);
  // the verification request is counted against the key's daily quota
  assert.equal(sqlNum('SELECT COALESCE(SUM(requests), 0) FROM mc_request_counts'), 1);
});

test('credentials, tokens and the webhook secret are encrypted at rest', async () => {
  const [row] = sql(`SELECT id, credentials_enc, webhook_secret_enc, key_fp FROM integrations WHERE org_id = '${org.id}'`);
  const [id, credsEnc, secretEnc, fp] = row;
  assert.match(credsEnc, /^v1:[A-Za-z0-9+/=]+$/);
  assert.match(secretEnc, /^v1:[A-Za-z0-9+/=]+$/);
  assert.match(fp, /^[0-9a-f]{64}$/);
  // no plaintext anywhere in the integration's rows
  const everything = sql(`SELECT CONCAT_WS('|', i.label, i.credentials_enc, i.webhook_secret_enc, i.key_fp, `
    + `COALESCE(t.access_token_enc, ''), COALESCE(t.refresh_token_enc, '')) FROM integrations i `
    + `LEFT JOIN mc_tokens t ON t.integration_id = i.id WHERE i.id = '${id}'`)[0][0];
  for (const secret of [SIM_API_KEY, SIM_USER_KEY, SIM_URL, '127.0.0.1']) {
    assert.ok(!everything.includes(secret), `plaintext ${secret} stored`);
  }
  assert.equal(sqlNum(`SELECT COUNT(*) FROM mc_tokens WHERE integration_id = '${id}' AND access_token_enc NOT LIKE 'v1:%'`), 0);
});

test('list: {data,total,skip,limit} without any credential or secret', async () => {
  const res = await api.get(`/api/admin/orgs/${org.id}/integrations`, { headers: admin.headers });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.total, 1);
  assert.equal(res.json.skip, 0);
  assert.equal(res.json.limit, 50);
  assert.equal(res.json.data.length, 1);
  const it = res.json.data[0];
  assert.deepEqual(Object.keys(it).sort(),
    ['created_at', 'id', 'integration_type', 'label', 'last_error', 'last_sync_at', 'org_id', 'status', 'updated_at']);
  assert.ok(!res.text.includes(SIM_USER_KEY) && !res.text.includes(SIM_API_KEY) && !res.text.includes('secret'));
});

test('a second POST updates the org\'s integration (same id, no new secret)', async () => {
  const before = sql(`SELECT id, webhook_secret_enc FROM integrations WHERE org_id = '${org.id}'`)[0];
  const res = await api.post(`/api/admin/orgs/${org.id}/integrations`,
    { label: 'Renamed', credentials: creds() }, { headers: admin.headers });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.id, before[0]);
  assert.equal(res.json.label, 'Renamed');
  assert.equal(res.json.webhook_secret, undefined);
  const after = sql(`SELECT id, webhook_secret_enc FROM integrations WHERE org_id = '${org.id}'`);
  assert.equal(after.length, 1);
  assert.equal(after[0][1], before[1], 'the webhook secret is kept');
});

test('refused credentials → 400 naming credentials; nothing stored', async () => {
  const other = await newOrg(admin.headers, { name: uniqueName('BadCreds') });
  const res = await api.post(`/api/admin/orgs/${other.id}/integrations`,
    { credentials: creds({ user_key: 'wrong-user-key' }) }, { headers: admin.headers });
  assertError(assert, res, 400, 'BAD_REQUEST');
  assert.equal(res.json.details.field, 'credentials');
  assert.ok(!res.text.includes('wrong-user-key'));
  assert.equal(sqlNum(`SELECT COUNT(*) FROM integrations WHERE org_id = '${other.id}'`), 0);
});

test('MightyCall unreachable → 502; validation errors name the field', async () => {
  const other = await newOrg(admin.headers, { name: uniqueName('Unreachable') });
  const down = await api.post(`/api/admin/orgs/${other.id}/integrations`,
    { credentials: creds({ base_url: 'http://127.0.0.1:9' }) }, { headers: admin.headers });
  assertError(assert, down, 502, 'UPSTREAM_ERROR');
  const cases = [
    [{ credentials: creds({ base_url: 'http://api.mightycall.com' }) }, 'credentials.base_url'],
    [{ credentials: creds({ base_url: 'https://user:pw@api.mightycall.com' }) }, 'credentials.base_url'],
    [{ credentials: creds({ base_url: 'ftp://api.mightycall.com' }) }, 'credentials.base_url'],
    [{ credentials: { user_key: 'u', base_url: SIM_URL } }, 'credentials.api_key'],
    [{ credentials: { api_key: 'k', user_key: '', base_url: SIM_URL } }, 'credentials.user_key'],
    [{ label: 'no credentials' }, 'credentials'],
    [{ integration_type: 'twilio', credentials: creds() }, 'integration_type'],
  ];
  for (const [body, field] of cases) {
    const res = await api.post(`/api/admin/orgs/${other.id}/integrations`, body, { headers: admin.headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, JSON.stringify(body));
  }
});

// The state a save must leave alone when it fails: the integration row, its
// cached token and the org's activity.
function integrationState(orgId) {
  return {
    rows: sql(`SELECT id, label, status, credentials_enc, key_fp, webhook_secret_enc, updated_at FROM integrations `
      + `WHERE org_id = '${orgId}'`),
    tokens: sql(`SELECT t.integration_id, t.access_token_enc, t.generation FROM mc_tokens t `
      + `JOIN integrations i ON i.id = t.integration_id WHERE i.org_id = '${orgId}'`),
    activity: sqlNum(`SELECT COUNT(*) FROM activity_log WHERE org_id = '${orgId}'`),
  };
}

test('a failed MightyCall check changes nothing: the existing integration, its token and the activity stay', async () => {
  const other = await newOrg(admin.headers, { name: uniqueName('KeepOnFail') });
  const first = await api.post(`/api/admin/orgs/${other.id}/integrations`,
    { label: 'Original', credentials: creds() }, { headers: admin.headers });
  assert.equal(first.status, 201, first.text);
  const before = integrationState(other.id);
  assert.equal(before.rows.length, 1);
  assert.equal(before.tokens.length, 1);
  const refused = await api.post(`/api/admin/orgs/${other.id}/integrations`,
    { label: 'Refused', credentials: creds({ user_key: 'wrong-user-key' }) }, { headers: admin.headers });
  assertError(assert, refused, 400, 'BAD_REQUEST');
  assert.deepEqual(integrationState(other.id), before);
  const down = await api.post(`/api/admin/orgs/${other.id}/integrations`,
    { label: 'Unreachable', credentials: creds({ base_url: 'http://127.0.0.1:9' }) }, { headers: admin.headers });
  assertError(assert, down, 502, 'UPSTREAM_ERROR');
  assert.deepEqual(integrationState(other.id), before);
});

test('a database write failing inside the save rolls all of it back (new and existing integration)', async () => {
  // The activity record is the last write of a save, after the integration
  // row, the old token's removal and the new token. A trigger (created here as
  // root, for these two orgs only) makes that INSERT fail the way a real
  // constraint or a lost table would; everything before it must be undone.
  const fresh = await newOrg(admin.headers, { name: uniqueName('TxNew') });
  const existing = await newOrg(admin.headers, { name: uniqueName('TxExisting') });
  const first = await api.post(`/api/admin/orgs/${existing.id}/integrations`,
    { label: 'Original', credentials: creds() }, { headers: admin.headers });
  assert.equal(first.status, 201, first.text);
  const beforeFresh = integrationState(fresh.id);
  const beforeExisting = integrationState(existing.id);
  const trigger = `vs_test_refuse_${process.pid}`;
  sql(`DELIMITER //
CREATE TRIGGER ${trigger} BEFORE INSERT ON activity_log FOR EACH ROW
BEGIN
  IF NEW.org_id IN ('${fresh.id}', '${existing.id}') AND NEW.type LIKE 'integration%' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'activity refused by the test trigger';
  END IF;
END//
DELIMITER ;`);
  try {
    await simReset();
    const created = await api.post(`/api/admin/orgs/${fresh.id}/integrations`,
      { label: 'Never', credentials: creds() }, { headers: admin.headers });
    assertError(assert, created, 500, 'INTERNAL_ERROR');
    // MightyCall was asked (the check runs first), yet no row, token or activity is left
    assert.equal((await simCounts()).by_endpoint['POST /auth/token'], 1);
    assert.deepEqual(integrationState(fresh.id), beforeFresh);
    assert.equal(beforeFresh.rows.length, 0);

    const updated = await api.post(`/api/admin/orgs/${existing.id}/integrations`,
      { label: 'Changed', credentials: creds() }, { headers: admin.headers });
    assertError(assert, updated, 500, 'INTERNAL_ERROR');
    assert.deepEqual(integrationState(existing.id), beforeExisting);
    assert.equal(beforeExisting.rows[0][1], 'Original');
  } finally {
    sql(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  // with the database healthy again the same request goes through
  const again = await api.post(`/api/admin/orgs/${fresh.id}/integrations`,
    { label: 'Now', credentials: creds() }, { headers: admin.headers });
  assert.equal(again.status, 201, again.text);
  assert.equal(integrationState(fresh.id).activity, beforeFresh.activity + 1);
});

test('only org admins (and platform admins) manage integrations; other orgs see 404', async () => {
  const manager = await userWithRole(org.id, 'manager');
  assertError(assert, await api.get(`/api/admin/orgs/${org.id}/integrations`, { headers: manager.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.post(`/api/admin/orgs/${org.id}/integrations`, { credentials: creds() },
    { headers: manager.headers }), 403, 'FORBIDDEN');
  const orgAdmin = await userWithRole(org.id, 'org_admin');
  const list = await api.get(`/api/admin/orgs/${org.id}/integrations`, { headers: orgAdmin.headers });
  assert.equal(list.status, 200);
  const stranger = await newOrg(admin.headers, { name: uniqueName('Stranger') });
  const strangerAdmin = await userWithRole(stranger.id, 'org_admin');
  const res = await api.get(`/api/admin/orgs/${org.id}/integrations`, { headers: strangerAdmin.headers });
  assertError(assert, res, 404, 'NOT_FOUND');
  // another org's integration id under your own org's path
  const id = list.json.data[0].id;
  const del = await api.del(`/api/admin/orgs/${stranger.id}/integrations/${id}`, { headers: strangerAdmin.headers });
  assertError(assert, del, 404, 'NOT_FOUND');
  assert.equal(del.json.details.resource, 'integration');
});

test('secrets never reach the API log', () => {
  const log = readFileSync(`${VAR}/log/api.log`, 'utf8');
  assert.ok(!log.includes(SIM_USER_KEY), 'user key in api.log');
  assert.ok(!log.includes('wrong-user-key'), 'refused user key in api.log');
});

test('delete: 200, then 404; tokens and cursors go, queued jobs fail, synced data stays', async () => {
  const id = sql(`SELECT id FROM integrations WHERE org_id = '${org.id}'`)[0][0];
  sql(`INSERT INTO sync_jobs (id, org_id, integration_id, type) VALUES (UUID(), '${org.id}', '${id}', 'sms')`);
  sql(`INSERT INTO sync_cursors (integration_id, stream, org_id, cursor_value) VALUES ('${id}', 'sms', '${org.id}', 'x')`);
  const res = await api.del(`/api/admin/orgs/${org.id}/integrations/${id}`, { headers: admin.headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { success: true });
  assertError(assert, await api.del(`/api/admin/orgs/${org.id}/integrations/${id}`, { headers: admin.headers }),
    404, 'NOT_FOUND');
  assert.equal(sqlNum(`SELECT COUNT(*) FROM mc_tokens WHERE integration_id = '${id}'`), 0);
  assert.equal(sqlNum(`SELECT COUNT(*) FROM sync_cursors WHERE integration_id = '${id}'`), 0);
  assert.equal(sql(`SELECT status FROM sync_jobs WHERE org_id = '${org.id}' AND type = 'sms'`)[0][0], 'failed');
  const list = await api.get(`/api/admin/orgs/${org.id}/integrations`, { headers: admin.headers });
  assert.equal(list.json.total, 0);
  // without an integration, sync triggers are refused
  const trig = await api.post(`/api/mightycall/sync/sms?orgId=${org.id}`, undefined, { headers: admin.headers });
  assertError(assert, trig, 409, 'CONFLICT');
  await simControl('GET', '/health');
});
