// media_audio.test.mjs — recordings and voicemails served through the API
// (GET …/recordings|calls|voicemails/:id/audio): the simulator's bytes with
// its content type, streamed by nginx after vs-api's checks; 401 without
// credentials, 404 for another org's or an unknown id, 502 for a stored URL
// that is not an allowed MightyCall host; the upstream URI never in the
// answer. Voicemail mark-read / mark-unread; recordings' other party (the customer of an outbound call) and agent.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SIM_URL, api, assertError, sql, useSourceAddress } from './lib.mjs';
import { newOrg, platformAdmin, userWithRole, uniqueName } from './fixtures.mjs';
import { simAll, simClient } from './sync_helpers.mjs';

useSourceAddress('127.0.0.213');

const BUSINESS = '+12125550142';
const CUSTOMER = '+13105550199';
let admin, orgA, orgB, agentA, agentB, simRec, simVm;
const ids = {};

const q = (v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);

function insertCall(orgId, { id, direction, caller, called, agent, url }) {
  sql(`INSERT INTO calls (id, org_id, external_id, business_number, direction, status, caller_number, called_number,
         agent_name, started_at, duration_seconds, recording_url)
       VALUES (${q(id)}, ${q(orgId)}, ${q(uniqueName('c'))}, ${q(BUSINESS)}, ${q(direction)}, 'connected', ${q(caller)},
         ${q(called)}, ${q(agent)}, NOW(3) - INTERVAL 1 HOUR, 61, ${q(url)})`);
}
function insertRecording(orgId, { id, callId, direction, caller, url }) {
  sql(`INSERT INTO recordings (id, org_id, external_id, call_id, business_number, caller_number, direction, extension,
         duration_seconds, url, recorded_at)
       VALUES (${q(id)}, ${q(orgId)}, ${q(uniqueName('r'))}, ${q(callId)}, ${q(BUSINESS)}, ${q(caller)}, ${q(direction)},
         '101', 61, ${q(url)}, NOW(3) - INTERVAL 1 HOUR)`);
}
function insertVoicemail(orgId, { id, url }) {
  sql(`INSERT INTO voicemails (id, org_id, external_id, from_number, to_number, status, duration_seconds, recording_url,
         received_at)
       VALUES (${q(id)}, ${q(orgId)}, ${q(uniqueName('v'))}, ${q(CUSTOMER)}, ${q(BUSINESS)}, 'unread', 12, ${q(url)},
         NOW(3) - INTERVAL 1 HOUR)`);
}

before(async () => {
  // a recording and a voicemail the simulator really serves
  const c = await simClient();
  const since = new Date(Date.now() - 30 * 86400000).toISOString();
  const calls = await simAll(c, '/calls', 'calls', since);
  simRec = calls.find((x) => x.callRecord)?.callRecord.uri;
  const vms = await simAll(c, '/voicemails', 'voicemails', since);
  simVm = vms.find((x) => x.voicemailRecord?.uri)?.voicemailRecord.uri;
  assert.ok(simRec && simVm, 'the simulator lists a recording and a voicemail');
  assert.ok(simRec.startsWith(SIM_URL));

  admin = await platformAdmin();
  orgA = await newOrg(admin.headers, { name: uniqueName('MediaA') });
  orgB = await newOrg(admin.headers, { name: uniqueName('MediaB') });
  agentA = await userWithRole(orgA.id, 'agent');
  agentB = await userWithRole(orgB.id, 'agent');

  for (const k of ['outCall', 'inCall', 'outRec', 'inRec', 'orphanRec', 'badRec', 'vm', 'bVm', 'bRec']) ids[k] = randomUUID();
  insertCall(orgA.id, { id: ids.outCall, direction: 'outbound', caller: BUSINESS, called: CUSTOMER, agent: 'Ann Agent', url: simRec });
  insertCall(orgA.id, { id: ids.inCall, direction: 'inbound', caller: CUSTOMER, called: BUSINESS, agent: 'Bo Agent', url: null });
  insertRecording(orgA.id, { id: ids.outRec, callId: ids.outCall, direction: 'outbound', caller: BUSINESS, url: simRec });
  insertRecording(orgA.id, { id: ids.inRec, callId: ids.inCall, direction: 'inbound', caller: CUSTOMER, url: simRec });
  insertRecording(orgA.id, { id: ids.orphanRec, callId: null, direction: 'outbound', caller: BUSINESS, url: simRec });
  insertRecording(orgA.id, { id: ids.badRec, callId: null, direction: 'inbound', caller: CUSTOMER, url: 'https://media.example.com/r/x.wav' });
  insertVoicemail(orgA.id, { id: ids.vm, url: simVm });
  insertVoicemail(orgB.id, { id: ids.bVm, url: simVm });
  insertRecording(orgB.id, { id: ids.bRec, callId: null, direction: 'inbound', caller: CUSTOMER, url: simRec });
});

async function simBytes(uri) {
  const r = await fetch(uri);
  assert.equal(r.status, 200);
  return { type: r.headers.get('content-type'), text: Buffer.from(await r.arrayBuffer()).toString('utf8'), length: Number(r.headers.get('content-length')) };
}

function assertAudio(res, want) {
  assert.equal(res.status, 200, res.text.slice(0, 200));
  assert.equal(res.headers['content-type'], want.type);
  assert.equal(Number(res.headers['content-length']), want.length);
  assert.equal(res.text, want.text, 'the simulator\'s bytes');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-accel-redirect'], undefined);
  for (const v of Object.values(res.headers)) assert.ok(!String(v).includes(SIM_URL.replace('http://', '')), `no upstream address in headers: ${v}`);
}

test('recording, call and voicemail audio stream the simulator\'s file with its content type', async () => {
  const rec = await simBytes(simRec);
  assert.equal(rec.type, 'audio/wav');
  assertAudio(await api.get(`/api/orgs/${orgA.id}/recordings/${ids.outRec}/audio`, { headers: agentA.headers }), rec);
  assertAudio(await api.get(`/api/orgs/${orgA.id}/calls/${ids.outCall}/audio`, { headers: agentA.headers }), rec);
  assertAudio(await api.get(`/api/orgs/${orgA.id}/voicemails/${ids.vm}/audio`, { headers: agentA.headers }), await simBytes(simVm));
  // over https as the dashboard plays it
  assertAudio(await api.get(`/api/orgs/${orgA.id}/recordings/${ids.outRec}/audio`, { headers: agentA.headers, https: true }), rec);
});

test('a Range request gets part of the file', async () => {
  const res = await api.get(`/api/orgs/${orgA.id}/recordings/${ids.outRec}/audio`, { headers: { ...agentA.headers, range: 'bytes=0-3' } });
  assert.ok(res.status === 206 || res.status === 200, `status ${res.status}`);
  // a 206 is the first four bytes; a 200 (an upstream without ranges) the whole file
  assert.equal(res.status === 206 ? res.text : res.text.slice(0, 4), 'RIFF');
  if (res.status === 200) assert.equal(res.text, (await simBytes(simRec)).text);
});

test('no credentials: 401', async () => {
  assertError(assert, await api.get(`/api/orgs/${orgA.id}/recordings/${ids.outRec}/audio`), 401, 'UNAUTHORIZED');
  assertError(assert, await api.get(`/api/orgs/${orgA.id}/voicemails/${ids.vm}/audio`), 401, 'UNAUTHORIZED');
});

test('another org\'s or an unknown id: 404', async () => {
  // org B's member under org A's path: the org is not visible
  const r1 = await api.get(`/api/orgs/${orgA.id}/recordings/${ids.outRec}/audio`, { headers: agentB.headers });
  assertError(assert, r1, 404, 'NOT_FOUND');
  // org A's recording under org B's path: not org B's
  const r2 = await api.get(`/api/orgs/${orgB.id}/recordings/${ids.outRec}/audio`, { headers: agentB.headers });
  assertError(assert, r2, 404, 'NOT_FOUND');
  assert.equal(r2.json.details.resource, 'recording');
  const r3 = await api.get(`/api/orgs/${orgA.id}/voicemails/${ids.bVm}/audio`, { headers: agentA.headers });
  assertError(assert, r3, 404, 'NOT_FOUND');
  assert.equal(r3.json.details.resource, 'voicemail');
  assertError(assert, await api.get(`/api/orgs/${orgA.id}/recordings/${randomUUID()}/audio`, { headers: agentA.headers }), 404, 'NOT_FOUND');
  // a call without a recording
  const r4 = await api.get(`/api/orgs/${orgA.id}/calls/${ids.inCall}/audio`, { headers: agentA.headers });
  assertError(assert, r4, 404, 'NOT_FOUND');
  assert.equal(r4.json.details.resource, 'call');
  assertError(assert, await api.get(`/api/orgs/${orgA.id}/recordings/not-a-uuid/audio`, { headers: agentA.headers }), 404, 'NOT_FOUND');
});

test('a stored URL on a host that is not an allowed MightyCall host is refused (502), nothing fetched', async () => {
  const res = await api.get(`/api/orgs/${orgA.id}/recordings/${ids.badRec}/audio`, { headers: agentA.headers });
  assertError(assert, res, 502, 'UPSTREAM_ERROR');
  assert.ok(!res.text.includes('media.example.com'), 'the upstream URI is not shown');
});

test('recordings list: the customer of an outbound call, the agent name, the audio path', async () => {
  const res = await api.get(`/api/orgs/${orgA.id}/recordings?limit=50`, { headers: agentA.headers });
  assert.equal(res.status, 200);
  const by = Object.fromEntries(res.json.data.map((r) => [r.id, r]));
  assert.equal(by[ids.outRec].other_number, CUSTOMER, 'outbound: the number called');
  assert.equal(by[ids.outRec].caller_number, BUSINESS, 'caller_number stays as stored');
  assert.equal(by[ids.outRec].agent, 'Ann Agent');
  assert.equal(by[ids.inRec].other_number, CUSTOMER, 'inbound: the caller');
  assert.equal(by[ids.inRec].agent, 'Bo Agent');
  assert.equal(by[ids.orphanRec].other_number, null, 'outbound without its call: not the business number');
  assert.equal(by[ids.outRec].audio_url, `/api/orgs/${orgA.id}/recordings/${ids.outRec}/audio`);
});

test('voicemail mark-read / mark-unread: the status changes, another org\'s is 404', async () => {
  const path = `/api/orgs/${orgA.id}/voicemails/${ids.vm}`;
  const list = async () => (await api.get(`/api/orgs/${orgA.id}/voicemails`, { headers: agentA.headers })).json.data.find((v) => v.id === ids.vm);
  const before = await list();
  assert.equal(before.status, 'unread');
  assert.equal(before.audio_url, `${path}/audio`);
  let res = await api.post(`${path}/mark-read`, undefined, { headers: agentA.headers });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { id: ids.vm, status: 'read' });
  assert.equal((await list()).status, 'read');
  res = await api.post(`${path}/mark-read`, undefined, { headers: agentA.headers }); // again: still 200
  assert.equal(res.status, 200);
  assert.equal((await api.get(`/api/orgs/${orgA.id}/voicemails?status=read`, { headers: agentA.headers })).json.data.some((v) => v.id === ids.vm), true);
  res = await api.post(`${path}/mark-unread`, undefined, { headers: agentA.headers });
  assert.deepEqual(res.json, { id: ids.vm, status: 'unread' });
  assert.equal((await list()).status, 'unread');
  assertError(assert, await api.post(`/api/orgs/${orgA.id}/voicemails/${ids.bVm}/mark-read`, undefined, { headers: agentA.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.post(`/api/orgs/${orgB.id}/voicemails/${ids.bVm}/mark-read`, undefined, { headers: agentA.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.post(`${path}/mark-read`), 401, 'UNAUTHORIZED');
  assert.equal(sql(`SELECT status FROM voicemails WHERE id = '${ids.bVm}'`)[0][0], 'unread');
});
