// activity_sync.test.mjs — the sync records recent missed calls and
// voicemails in the org's activity feed, once each, linked to their call.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, useSourceAddress } from './lib.mjs';
import { orgWithIntegration, simControl, vsSync } from './sync_helpers.mjs';

useSourceAddress('127.0.0.122');

let O; let missed; let vm;
before(async () => {
  O = await orgWithIntegration({ timezone: 'UTC', label: 'Activity sync' });
  missed = (await simControl('POST', '/calls', { count: 1, status: 'Missed', direction: 'inbound' })).calls[0];
  vm = (await simControl('POST', '/calls', { count: 1, status: 'VoiceMail', direction: 'inbound' })).calls[0];
  for (const type of ['calls', 'voicemails']) {
    const r = await vsSync(['run', '--org', O.org.id, '--type', type]);
    assert.equal(r.code, 0, r.stderr);
  }
});

const entries = async (type) => {
  const r = await api.get(`/api/orgs/${O.org.id}/activity?type=${type}&limit=100`, { headers: O.admin.headers });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
};

test('a missed call synced just now is in the feed, linked to its call', async () => {
  const [row] = sql(`SELECT id FROM calls WHERE org_id = '${O.org.id}' AND external_id = '${missed.id}'`);
  assert.ok(row, 'the missed call was synced');
  const e = (await entries('call')).filter((a) => a.call?.id === row[0]);
  assert.equal(e.length, 1);
  assert.match(e[0].description, /^Missed call from /);
  assert.equal(e[0].call.status, 'missed');
});

test('a voicemail synced just now is in the feed; a second sync adds nothing', async () => {
  const before = await entries('voicemail');
  assert.ok(before.some((a) => a.description.startsWith('Voicemail from ')), JSON.stringify(before.slice(0, 3)));
  const calls = (await entries('call')).length;
  const r = await vsSync(['run', '--org', O.org.id, '--type', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await entries('voicemail')).length, before.length);
  assert.equal((await entries('call')).length, calls);
  assert.ok(vm.id);
});
