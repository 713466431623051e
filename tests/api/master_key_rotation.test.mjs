// master_key_rotation.test.mjs — `vs-sync rotate-master-key`, end to end, the
// way docs/operations.md tells an operator to do it: stop the API, re-encrypt
// every stored secret to a new key (one transaction), swap the master_key
// credential, start the API. Afterwards the MightyCall credentials, the cached
// token and the webhook secret work under the new key (a sync and a webhook
// succeed through the restarted stack), every ciphertext changed, and the old
// key decrypts none of them. The stack gets its original key back at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_URL, VAR, api, sql, stack, useSourceAddress, waitFor } from './lib.mjs';
import { orgWithIntegration, simCounts, simReset, vsSync } from './sync_helpers.mjs';
import { mcEvent, postWebhook, simNumbers, simSent, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.91');

const KEY_FILE = `${VAR}/secrets/master_key`;
const original = readFileSync(KEY_FILE, 'utf8');
const oldKey = original.trim();
const newKey = randomBytes(32).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'vs-rotate-'));
const keyFile = (name, value) => { const f = join(dir, name); writeFileSync(f, `${value}\n`, { mode: 0o600 }); return f; };
const OLD = keyFile('old', oldKey);
const NEW = keyFile('new', newKey);
const OTHER = keyFile('other', randomBytes(32).toString('hex'));

let M; // { org, integration, admin }
let fromNumber;

const rotate = (args) => vsSync(['rotate-master-key', ...args]);
const ciphertexts = () => ({
  integrations: sql('SELECT id, credentials_enc, webhook_secret_enc, key_fp FROM integrations ORDER BY id'),
  tokens: sql('SELECT integration_id, COALESCE(access_token_enc, \'\'), COALESCE(refresh_token_enc, \'\') FROM mc_tokens ORDER BY integration_id'),
  sms: sql('SELECT id, mightycall_key_enc FROM sms_numbers WHERE mightycall_key_enc IS NOT NULL ORDER BY id'),
  counts: sql('SELECT key_fp, day, requests FROM mc_request_counts ORDER BY key_fp, day'),
});
const restartApi = () => { stack('api-stop'); stack('api-start'); };

before(async () => {
  await simReset();
  M = await orgWithIntegration({ label: 'Rotation' });
  // a texting number of the simulator with its own (sealed) MightyCall key
  const { texting } = await simNumbers();
  fromNumber = texting[0];
  const r = await api.post(`/api/orgs/${M.org.id}/sms/numbers`,
    { phone_number: fromNumber, label: 'Keyed', mightycall_key: 'demo-user-key' }, { headers: M.admin.headers });
  assert.equal(r.status, 201, r.text);
});

after(async () => {
  // Whatever happened above: every secret back under the original key, the
  // original credential file, a running API.
  try {
    stack('api-stop');
    await rotate(['--old-key-file', NEW, '--new-key-file', OLD]);
  } finally {
    writeFileSync(KEY_FILE, original, { mode: 0o600 });
    stack('api-start');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage: the new key comes from a file of 64 hex characters, never from argv', async () => {
  let r = await rotate([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--new-key-file FILE is required/);
  r = await rotate(['--new-key-file', keyFile('short', newKey.slice(0, 63))]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /must hold exactly 64 hex characters/);
  r = await rotate(['--new-key-file', join(dir, 'missing')]);
  assert.equal(r.code, 2);
  r = await rotate(['--new-key-file', OLD]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the new key is the current master key/);
  r = await rotate(['--new-key-file', NEW, 'extra-argument']);
  assert.equal(r.code, 2);
});

test('--dry-run checks everything and changes nothing', async () => {
  stack('api-stop');
  const before = ciphertexts();
  const r = await rotate(['--new-key-file', NEW, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /integrations\.credentials_enc: [1-9]\d* re-encrypted/);
  assert.match(r.stdout, /dry run, nothing changed/);
  assert.deepEqual(ciphertexts(), before);
});

test('rotate: every secret re-encrypted in one run, counts only in the output', async () => {
  const before = ciphertexts();
  const nIntegrations = before.integrations.length;
  assert.ok(nIntegrations >= 1 && before.tokens.length >= 1 && before.sms.length >= 1, 'something to rotate');
  const r = await rotate(['--new-key-file', NEW]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`integrations\\.credentials_enc: ${nIntegrations} re-encrypted, 0 already`));
  assert.match(r.stdout, new RegExp(`integrations\\.webhook_secret_enc: ${nIntegrations} re-encrypted`));
  assert.match(r.stdout, /mc_tokens\.access_token_enc: [1-9]\d* re-encrypted/);
  assert.match(r.stdout, new RegExp(`sms_numbers\\.mightycall_key_enc: ${before.sms.length} re-encrypted`));
  assert.match(r.stdout, /committed: \d+ secrets re-encrypted/);
  for (const k of [oldKey, newKey, M.integration.webhook_secret, 'demo-api-key', 'demo-user-key']) {
    assert.ok(!(r.stdout + r.stderr).includes(k), 'no key or secret in the output');
  }

  const after = ciphertexts();
  // every ciphertext changed, ids and row counts did not
  assert.equal(after.integrations.length, nIntegrations);
  after.integrations.forEach((row, i) => {
    assert.equal(row[0], before.integrations[i][0]);
    assert.match(row[1], /^v1:/);
    assert.notEqual(row[1], before.integrations[i][1], 'credentials_enc changed');
    assert.notEqual(row[2], before.integrations[i][2], 'webhook_secret_enc changed');
    assert.notEqual(row[3], before.integrations[i][3], 'key_fp (keyed by the master key) recomputed');
  });
  after.tokens.forEach((row, i) => { if (row[1]) assert.notEqual(row[1], before.tokens[i][1], 'token changed'); });
  after.sms.forEach((row, i) => assert.notEqual(row[1], before.sms[i][1], 'SMS number key changed'));
  // today's quota counters follow their (new) fingerprints
  const fps = new Set(after.integrations.map((row) => row[3]));
  const ours = after.counts.filter((row) => fps.has(row[0]));
  assert.equal(ours.reduce((s, row) => s + Number(row[2]), 0),
    before.counts.filter((row) => new Set(before.integrations.map((x) => x[3])).has(row[0]))
      .reduce((s, row) => s + Number(row[2]), 0), 'quota counts carried over');
});

test('idempotent: a second run finds everything under the new key already', async () => {
  const before = ciphertexts();
  const r = await rotate(['--old-key-file', OLD, '--new-key-file', NEW]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /committed: 0 secrets re-encrypted, [1-9]\d* already under the new key/);
  assert.match(r.stdout, /0 quota fingerprints updated/);
  assert.deepEqual(ciphertexts(), before);
});

test('the old key no longer decrypts anything: rotating away from it fails and changes nothing', async () => {
  const before = ciphertexts();
  const r = await rotate(['--old-key-file', OLD, '--new-key-file', OTHER]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /decrypts with neither the old nor the new key; nothing changed/);
  assert.deepEqual(ciphertexts(), before);
});

test('with the new key installed, the restarted API and the sync use the re-encrypted secrets', async () => {
  writeFileSync(KEY_FILE, `${newKey}\n`, { mode: 0o600 });
  stack('api-start');
  await waitFor(async () => (await api.get('/health')).status === 200, { what: 'API up' });
  const tokensBefore = (await simCounts()).by_endpoint['POST /auth/token'] ?? 0;

  // the sync decrypts the credentials and the cached token with the new key
  const run = await vsSync(['run', '--org', M.org.id, '--type', 'phone_numbers']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /decrypt/i);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM phone_numbers WHERE org_id = '${M.org.id}'`)[0][0]) > 0, 'numbers synced');
  assert.equal((await simCounts()).by_endpoint['POST /auth/token'] ?? 0, tokensBefore,
    'the cached MightyCall token was reused: it decrypted under the new key');

  // the API decrypts the integration credentials and the per-number key with
  // the new key: an SMS sent through it reaches MightyCall once
  const to = uniquePhone();
  const sms = await api.post(`/api/orgs/${M.org.id}/sms/send`, { from: fromNumber, to: [to], message: 'after rotation' },
    { headers: M.admin.headers });
  assert.equal(sms.status, 201, sms.text);
  assert.equal((await simSent(to)).length, 1);
  const bad = await postWebhook(M.integration, mcEvent('IncomingCall', { id: randomUUID() }), { secret: 'wrong' });
  assert.equal(bad.status, 401);

  // the API writes new secrets under the key it was started with: re-save
  // the credentials through it, then the sync (new key) reads them
  const re = await api.post(`/api/admin/orgs/${M.org.id}/integrations`, {
    integration_type: 'mightycall', label: 'Rotation',
    credentials: { api_key: 'demo-api-key', user_key: 'demo-user-key', base_url: SIM_URL },
  }, { headers: M.admin.headers });
  assert.equal(re.status, 200, re.text);
  const again = await vsSync(['run', '--org', M.org.id, '--type', 'extensions']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
});

test('the old key on a restarted API cannot read the rotated secrets (webhook and SMS refused)', async () => {
  writeFileSync(KEY_FILE, original, { mode: 0o600 });
  restartApi();
  await waitFor(async () => (await api.get('/health')).status === 200, { what: 'API up' });
  const ev = mcEvent('IncomingCall', { id: randomUUID(), from: uniquePhone(), to: uniquePhone() });
  const wh = await postWebhook(M.integration, ev);
  assert.equal(wh.status, 401, wh.text);
  const to = uniquePhone();
  const sms = await api.post(`/api/orgs/${M.org.id}/sms/send`, { from: fromNumber, to: [to], message: 'old key' },
    { headers: M.admin.headers }).catch((e) => ({ status: 0, text: String(e) }));
  assert.notEqual(sms.status, 201, sms.text);
  assert.equal((await simSent(to)).length, 0, 'nothing sent with undecryptable credentials');
  // back to the new key for after()'s rotation back (which stops the API itself)
  writeFileSync(KEY_FILE, `${newKey}\n`, { mode: 0o600 });
});
