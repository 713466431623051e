// Self-tests of the MightyCall simulator: node --test tests/sim/
// Each suite spawns its own simulator on a free port (--port 0).

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSim } from './harness.mjs';

const NOW = '2024-06-01T12:00:00Z';
const ALL = 'startUtc=2000-01-01T00:00:00&endUtc=2100-01-01T00:00:00';

/** Page through a skip-paged list; returns all items. */
async function pageAll(sim, path, key, pageSize) {
  const items = [];
  let total = null;
  for (let skip = 0; ; skip += pageSize) {
    const { status, body } = await sim.getJson(`${path}&pageSize=${pageSize}&skip=${skip}`);
    assert.equal(status, 200);
    assert.equal(body.isSuccess, true);
    total ??= body.data.total;
    assert.equal(body.data.total, total, 'total is stable across pages');
    items.push(...body.data[key]);
    if (body.data[key].length < pageSize) break;
  }
  return { items, total };
}

describe('simulator (shared instance)', () => {
  let sim;
  before(async () => { sim = await startSim(['--now', NOW]); await sim.token(); });
  after(async () => { assert.equal(await sim.stop(), 0, 'exits cleanly on SIGTERM'); });
  beforeEach(async () => { await sim.control('/reset', {}); });

  test('ready line and health', async () => {
    assert.match(sim.stdout(), /^sim listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    assert.deepEqual(await sim.control('/health'), { ok: true });
  });

  describe('auth', () => {
    test('ping is free and needs no auth', async () => {
      const r = await fetch(`${sim.base}/v4/api/ping`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { data: '3', isSuccess: true });
      const c = await sim.control('/counts');
      assert.equal(c.quota_used['(none)'] ?? 0, 0);
    });

    test('client_credentials: good and bad credentials', async () => {
      const ok = await sim.tokenRequest({ grant_type: 'client_credentials', client_id: 'demo-api-key', client_secret: 'demo-user-key' });
      assert.equal(ok.status, 200);
      const j = await ok.json();
      assert.equal(j.token_type, 'bearer');
      assert.equal(j.expires_in, 86399);
      assert.ok(j.access_token && j.refresh_token);

      for (const [form, headers] of [
        [{ grant_type: 'client_credentials', client_id: 'demo-api-key', client_secret: 'nope' }, undefined],
        [{ grant_type: 'client_credentials', client_id: 'other', client_secret: 'demo-user-key' }, undefined],
        [{ grant_type: 'client_credentials', client_id: 'demo-api-key', client_secret: 'demo-user-key' }, {}],
      ]) {
        const r = await sim.tokenRequest(form, headers);
        assert.equal(r.status, 400);
        assert.deepEqual(await r.json(), { error: 'invalid_client' });
      }
    });

    test('data calls need Bearer token and x-api-key', async () => {
      assert.equal((await fetch(`${sim.base}/v4/api/calls`)).status, 401);
      const noKey = await fetch(`${sim.base}/v4/api/calls`, { headers: { authorization: `Bearer ${sim.accessToken}` } });
      assert.equal(noKey.status, 401);
      assert.deepEqual(await noKey.json(), { message: 'Authorization has been denied for this request.' });
      const wrongKey = await fetch(`${sim.base}/v4/api/calls`, { headers: sim.headers({ 'x-api-key': 'other' }) });
      assert.equal(wrongKey.status, 401);
      const bogus = await fetch(`${sim.base}/v4/api/calls`, { headers: sim.headers({ authorization: 'Bearer nope' }) });
      assert.equal(bogus.status, 401);
      assert.equal((await sim.api('/calls')).status, 200);
    });

    test('refresh_token grant, token TTL and forced expiry', async () => {
      const t = await sim.token();
      await sim.control('/faults', { token_ttl_s: 1 });
      const short = await (await sim.tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).json();
      assert.equal(short.expires_in, 1);
      const h = sim.headers({ authorization: `Bearer ${short.access_token}` });
      assert.equal((await fetch(`${sim.base}/v4/api/phonenumbers`, { headers: h })).status, 200);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await fetch(`${sim.base}/v4/api/phonenumbers`, { headers: h })).status, 401, 'expired token');

      const bad = await sim.tokenRequest({ grant_type: 'refresh_token', refresh_token: 'nope' });
      assert.equal(bad.status, 400);

      await sim.control('/faults', {});
      await sim.token();
      const e = await sim.control('/tokens/expire', {});
      assert.ok(e.expired >= 1);
      assert.equal((await sim.api('/phonenumbers')).status, 401);
      await sim.token();
      assert.equal((await sim.api('/phonenumbers')).status, 200);
    });
  });

  describe('envelopes', () => {
    test('calls, phonenumbers, profile, voicemails: {data, isSuccess}', async () => {
      const calls = await sim.getJson(`/calls?${ALL}&pageSize=5`);
      assert.equal(calls.body.isSuccess, true);
      assert.equal(calls.body.data.calls.length, 5);
      const c = calls.body.data.calls[0];
      for (const k of ['id', 'caller', 'called', 'businessNumber', 'dateTimeUtc', 'duration', 'direction', 'callStatus']) assert.ok(k in c, k);
      assert.match(c.duration, /^\d+$/);
      assert.match(c.businessNumber, /^\+1\d{10}$/);

      const pn = await sim.getJson('/phonenumbers');
      assert.equal(pn.body.isSuccess, true);
      assert.equal(pn.body.data.phoneNumbers.length, 20);
      assert.equal(pn.body.data.total, 20);
      assert.ok(Array.isArray(pn.body.data.deletedPhoneNumbers));
      for (const k of ['number', 'label', 'isEnabled', 'isPrimary', 'isTollFree', 'smsMode', 'mayText', 'mayCall', 'lastUsed', 'objectGuid']) {
        assert.ok(k in pn.body.data.phoneNumbers[0], k);
      }

      const prof = await sim.getJson('/profile/101');
      assert.equal(prof.body.data.extension, '101');
      assert.deepEqual((await sim.getJson('/profile/999')).body, { message: 'User profile not found' });
      assert.deepEqual((await sim.getJson('/profile/status')).body, { data: { status: 'available' }, isSuccess: true });
      const put = await sim.api('/profile/status/dnd', { method: 'PUT' });
      assert.deepEqual(await put.json(), { data: { status: 'dnd' }, isSuccess: true });
      const badStatus = await sim.api('/profile/status/away', { method: 'PUT' });
      assert.equal(badStatus.status, 400);
      assert.ok((await badStatus.json()).modelState.status);
      await sim.api('/profile/status/available', { method: 'PUT' });

      const vm = await sim.getJson('/voicemails?pageSize=3');
      assert.equal(vm.body.isSuccess, true);
      assert.equal(vm.body.data.total, 300);
      assert.ok(vm.body.data.voicemails[0].voicemailRecord.uri.startsWith(sim.base));
    });

    test('error bodies', async () => {
      const nf = await sim.getJson('/calls/7e734dc1-544d-4f04-8ccc-8bd5b197a88c');
      assert.equal(nf.status, 400);
      assert.deepEqual(nf.body, { message: 'Call not found' });
      const ms = await sim.getJson('/calls?pageSize=abc&startUtc=yesterday');
      assert.equal(ms.status, 400);
      assert.equal(ms.body.message, 'The request is invalid.');
      assert.ok(ms.body.modelState.pageSize && ms.body.modelState.startUtc);
      const j = await sim.getJson('/journal/requests?pageSize=1001');
      assert.equal(j.status, 400);
      assert.equal(j.body.errorCode, 'FilterParamsMalformed');
      const u = await sim.getJson('/journal/requests?startUtc=2024-01-01');
      assert.deepEqual(u.body.data, { unsupportedFilters: ['startUtc'] });
      const r404 = await sim.api('/extensions');
      assert.equal(r404.status, 404, 'there is no /extensions');
    });

    test('team has no envelope', async () => {
      const t = await sim.getJson('/team');
      assert.equal(t.body.users.length, 30);
      assert.ok(t.body.users[0].fullName && t.body.users[0].id);
      assert.ok(Array.isArray(t.body.groups) && Array.isArray(t.body.vmboxes));
    });

    test('journal: bare {currentPage, requests}, or {data} when configured', async () => {
      const j = await sim.getJson('/journal/requests?pageSize=50&page=2');
      assert.equal(j.body.currentPage, 2);
      assert.equal(j.body.requests.length, 50);
      const r = j.body.requests[0];
      for (const k of ['id', 'type', 'state', 'origin', 'created', 'client', 'businessNumber', 'duration', 'read']) assert.ok(k in r, k);
      assert.match(r.id, /^[0-9a-f]{24}$/);
      assert.match(r.duration, /^\d\d:\d\d:\d\d$/);
      const one = await sim.getJson(`/journal/requests/${r.id}`);
      assert.deepEqual(one.body, r);
      await sim.control('/faults', { journal_envelope: 'data' });
      const d = await sim.getJson('/journal/requests?pageSize=1');
      assert.equal(d.body.data.currentPage, 1);
      assert.equal(d.body.data.requests.length, 1);
    });

    test('page_cap: lists serve at most page_cap items; total, pages and page numbers follow the real page size', async () => {
      const full = await sim.getJson(`/calls?${ALL}&pageSize=300`);
      await sim.control('/faults', { page_cap: 100 });
      const calls = await sim.getJson(`/calls?${ALL}&pageSize=300&skip=100`);
      assert.equal(calls.body.data.calls.length, 100);
      assert.equal(calls.body.data.total, full.body.data.total);
      assert.deepEqual(calls.body.data.calls.map((c) => c.id), full.body.data.calls.slice(100, 200).map((c) => c.id));
      const vms = await sim.getJson(`/voicemails?${ALL}&pageSize=300`);
      assert.equal(vms.body.data.voicemails.length, 100);
      const j1 = await sim.getJson('/journal/requests?pageSize=1000&page=1');
      const j2 = await sim.getJson('/journal/requests?pageSize=1000&page=2');
      assert.equal(j1.body.requests.length, 100);
      assert.equal(j2.body.requests.length, 100);
      assert.notEqual(j1.body.requests[0].id, j2.body.requests[0].id);
      const c = await sim.getJson('/contacts?pageSize=1000');
      assert.equal(c.body.data.contacts.length, 100);
      assert.equal(c.body.data.pages, Math.ceil(c.body.data.records / 100));
      assert.match((await sim.control('/faults', { page_cap: 0 })).error, /page_cap/);
    });

    test('journal_guid distinct: call entries get a requestGuid of their own and a start up to 1.5 s off', async () => {
      const calls = (await sim.getJson(`/calls?${ALL}&pageSize=5000`)).body.data.calls;
      const byId = new Map(calls.map((c) => [c.id, c]));
      const same = (await sim.getJson('/journal/requests?type=Call&pageSize=200')).body.requests;
      assert.ok(same.every((r) => byId.has(r.requestGuid)));
      await sim.control('/faults', { journal_guid: 'distinct' });
      const j = (await sim.getJson('/journal/requests?type=Call&pageSize=200')).body.requests;
      assert.deepEqual(j.map((r) => r.id), same.map((r) => r.id));
      for (const [i, r] of j.entries()) {
        assert.match(r.requestGuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.ok(!byId.has(r.requestGuid));
        const c = byId.get(same[i].requestGuid);
        assert.ok(Math.abs(Date.parse(r.created) - Date.parse(c.dateTimeUtc)) <= 1500);
      }
      assert.deepEqual((await sim.getJson(`/journal/requests/${j[0].id}`)).body, j[0]);
      assert.match((await sim.control('/faults', { journal_guid: 'other' })).error, /journal_guid/);
    });

    test('enum values come in both casings', async () => {
      const { body } = await sim.getJson(`/calls?${ALL}&pageSize=300`);
      const dirs = new Set(body.data.calls.map((c) => c.direction));
      assert.ok(dirs.has('Incoming') && dirs.has('incoming'), [...dirs].join());
      const j = await sim.getJson('/journal/requests?pageSize=300');
      const states = new Set(j.body.requests.map((r) => r.state));
      assert.ok([...states].some((s) => /^[a-z]/.test(s)) && [...states].some((s) => /^[A-Z]/.test(s)));
    });

    test('recordings are served as WAV', async () => {
      const { body } = await sim.getJson(`/calls?${ALL}&pageSize=50`);
      const withRec = body.data.calls.find((c) => c.callRecord);
      assert.ok(withRec, 'some calls have a recording');
      assert.ok(withRec.callRecord.uri.startsWith(`${sim.base}/recordings/${withRec.id}.wav`));
      const r = await fetch(withRec.callRecord.uri);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'audio/wav');
      const buf = Buffer.from(await r.arrayBuffer());
      assert.equal(buf.subarray(0, 4).toString(), 'RIFF');
      assert.equal(buf.subarray(8, 12).toString(), 'WAVE');
      assert.equal((await fetch(`${sim.base}/recordings/00000000-0000-4000-8000-000000000000.wav`)).status, 404);
    });
  });

  describe('paging', () => {
    test('calls: skip paging to the end, no duplicates, newest first', async () => {
      const { items, total } = await pageAll(sim, `/calls?${ALL}`, 'calls', 137);
      assert.equal(total, 5000);
      assert.equal(items.length, 5000);
      assert.equal(new Set(items.map((c) => c.id)).size, 5000);
      const times = items.map((c) => Date.parse(c.dateTimeUtc));
      assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]), 'newest first');
      const start = Date.parse(NOW) - 90 * 86400000;
      assert.ok(times.every((t) => t >= start && t <= Date.parse(NOW)), 'inside --days window');
      const one = await sim.getJson(`/calls/${items[10].id}`);
      assert.deepEqual(one.body.data, items[10]);
    });

    test('calls: default window is the last 24 h; filters', async () => {
      const def = await sim.getJson('/calls');
      assert.equal(def.body.data.total, 0, 'dataset "now" is pinned in the past');
      const win = await sim.getJson('/calls?startUtc=2024-05-31T12:00:00&endUtc=2024-06-01T12:00:00&pageSize=1000');
      assert.ok(win.body.data.total > 0);
      for (const c of win.body.data.calls) {
        const t = Date.parse(c.dateTimeUtc);
        assert.ok(t >= Date.parse('2024-05-31T12:00:00Z') && t <= Date.parse('2024-06-01T12:00:00Z'));
      }
      const missed = await sim.getJson(`/calls?${ALL}&callFilter=Missed&pageSize=1000`);
      assert.ok(missed.body.data.calls.every((c) => c.callStatus.toLowerCase() === 'missed'));
      const inc = await sim.getJson(`/calls?${ALL}&callFilter=Incoming,Connected&pageSize=1000`);
      assert.ok(inc.body.data.calls.every((c) => c.direction.toLowerCase() === 'incoming' && c.callStatus.toLowerCase() === 'connected'));
      const ext = await sim.getJson(`/calls?${ALL}&extension=105&pageSize=1000`);
      assert.ok(ext.body.data.total > 0);
      assert.ok(ext.body.data.calls.every((c) => c.caller.extension === '105' || c.called.some((p) => p.extension === '105')));
      const vms = await sim.getJson(`/calls?${ALL}&callFilter=Voicemail&pageSize=1`);
      assert.equal(vms.body.data.total, 300);
    });

    test('journal: pages of up to 1000 to the end, no duplicates, mirrors calls and SMS', async () => {
      const ids = new Set();
      let n = 0, calls = 0, msgs = 0;
      for (let page = 1; ; page++) {
        const { body } = await sim.getJson(`/journal/requests?pageSize=1000&page=${page}`);
        assert.equal(body.currentPage, page);
        for (const r of body.requests) {
          ids.add(r.id);
          n++;
          if (r.type.toLowerCase() === 'call') calls++;
          else msgs++;
        }
        if (body.requests.length < 1000) break;
      }
      assert.equal(n, 7000);
      assert.equal(ids.size, 7000);
      assert.equal(calls, 5000);
      assert.equal(msgs, 2000);
      const f = await sim.getJson('/journal/requests?type=Call&state=VoiceMail&pageSize=1000');
      assert.equal(f.body.requests.length, 300);
      assert.ok(f.body.requests.every((r) => r.voicemail && r.type.toLowerCase() === 'call'));
      const threads = await sim.getJson('/journal/requests?type=MessageThread&pageSize=1000');
      assert.ok(threads.body.requests.length > 0 && threads.body.requests.every((r) => r.type.toLowerCase() === 'messagethread'));
      const pn = (await sim.getJson('/phonenumbers')).body.data.phoneNumbers[0].number;
      const bn = await sim.getJson(`/journal/requests?businessNumber=${pn.slice(1)}&pageSize=1000&from=2024-05-01T00:00:00Z&to=2024-05-15T00:00:00Z`);
      assert.ok(bn.body.requests.length > 0);
      for (const r of bn.body.requests) {
        assert.equal(r.businessNumber.number, pn);
        assert.ok(r.created >= '2024-05-01' && r.created <= '2024-05-15');
      }
    });

    test('voicemails and contacts page to the end', async () => {
      const { items } = await pageAll(sim, '/voicemails?x=1', 'voicemails', 70);
      assert.equal(items.length, 300);
      assert.equal(new Set(items.map((v) => v.id)).size, 300);
      const seen = new Set();
      for (let page = 1; ; page++) {
        const { body } = await sim.getJson(`/contacts?page=${page}&pageSize=60`);
        body.data.contacts.forEach((c) => seen.add(c.contactId));
        assert.equal(body.data.records, 200);
        assert.equal(body.data.pages, 4);
        if (page >= body.data.pages) break;
      }
      assert.equal(seen.size, 200);
    });

    test('appended calls arrive now and show up in calls, journal and by id', async () => {
      const before_ = await sim.getJson(`/calls?${ALL}&pageSize=1`);
      const at = new Date().toISOString();
      const added = await sim.control('/calls', { count: 3, at });
      assert.equal(added.calls.length, 3);
      assert.equal(added.requests.length, 3);
      const after_ = await sim.getJson(`/calls?${ALL}&pageSize=3`);
      assert.equal(after_.body.data.total, before_.body.data.total + 3);
      assert.deepEqual(new Set(after_.body.data.calls.map((c) => c.id)), new Set(added.calls.map((c) => c.id)));
      const recent = await sim.getJson('/calls?pageSize=10');
      assert.ok(recent.body.data.total >= 3, 'in the default last-24h window');
      const j = await sim.getJson(`/journal/requests?type=Call&from=${encodeURIComponent(at)}`);
      assert.deepEqual(new Set(j.body.requests.map((r) => r.requestGuid)), new Set(added.calls.map((c) => c.id)));
      assert.equal((await sim.getJson(`/calls/${added.calls[0].id}`)).body.data.id, added.calls[0].id);
      const sms = await sim.control('/sms', { count: 2 });
      assert.equal(sms.requests.length, 2);
      assert.ok(sms.requests.every((r) => r.origin.toLowerCase() === 'inbound'));
    });
  });

  test('appended calls: pinned fields and webhook events to a loopback target', async () => {
    const got = [];
    const hook = http.createServer((req, res) => {
      let b = '';
      req.on('data', (d) => { b += d; });
      req.on('end', () => { got.push({ url: req.url, body: JSON.parse(b) }); res.end('{}'); });
    });
    await new Promise((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${hook.address().port}/api/webhooks/mightycall/abc?secret=s3`;
      assert.equal((await fetch(`${sim.base}/__sim/webhooks`, { method: 'POST', body: JSON.stringify({ url: 'http://example.com/x' }) })).status, 400);
      await sim.control('/webhooks', { url });
      const pn = (await sim.getJson('/phonenumbers')).body.data.phoneNumbers[2].number;
      const r = await sim.control('/calls', {
        count: 2, status: 'Connected', direction: 'inbound', extension: '103', business_number: pn,
        client: '+15557654321', duration_ms: 90000, recording: true,
      });
      for (const c of r.calls) {
        assert.equal(c.callStatus.toLowerCase(), 'connected');
        assert.equal(c.direction.toLowerCase(), 'incoming');
        assert.equal(c.called[0].extension, '103');
        assert.equal(c.businessNumber, pn);
        assert.equal(c.caller.phone, '+15557654321');
        assert.equal(c.duration, '90000');
        assert.ok(c.callRecord);
      }
      assert.equal(r.webhooks.length, 10);
      assert.ok(r.webhooks.every((w) => w.status === 200));
      assert.equal(got.length, 10);
      assert.equal(got[0].url, '/api/webhooks/mightycall/abc?secret=s3');
      const ev = got.find((g) => g.body.EventType === 'IncomingCallConnected').body;
      assert.deepEqual(Object.keys(ev).sort(), ['ApiKey', 'Body', 'EventType', 'Guid', 'Timestamp']);
      assert.equal(ev.ApiKey, 'demo-api-key');
      assert.deepEqual(ev.Body, { From: '+15557654321', To: pn, Id: ev.Body.Id, Extension: '103' });
      assert.ok(r.calls.some((c) => c.id === ev.Body.Id));
      // the call's own start and end carry no Extension (one with an Extension ends only that agent's leg)
      for (const t of ['IncomingCall', 'IncomingCallCompleted']) {
        assert.equal(got.find((g) => g.body.EventType === t).body.Body.Extension, undefined, t);
      }
      const bad = await fetch(`${sim.base}/__sim/calls`, { method: 'POST', body: JSON.stringify({ status: 'Ringing' }) });
      assert.equal(bad.status, 400);
      await sim.control('/webhooks', { url: null });
      const none = await sim.control('/calls', { count: 1 });
      assert.deepEqual(none.webhooks, []);
    } finally {
      hook.close();
    }
  });

  describe('messages/send', () => {
    const msg = (from, extra = {}) => ({ from, to: ['+15551230001'], message: 'hello from the test', ...extra });
    let from;
    before(async () => {
      const pn = (await sim.getJson('/phonenumbers')).body.data.phoneNumbers;
      from = pn.find((p) => p.mayText).number;
    });

    test('send is recorded and appears in the journal as outbound Message', async () => {
      const r = await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from) });
      assert.equal(r.status, 200);
      const j = await r.json();
      assert.equal(j.message, 'SMS message sent successfully.');
      assert.equal(j.sourcePhoneNumber, from);
      assert.deepEqual(j.destinationPhoneNumbers, ['+15551230001']);
      assert.match(j.id, /^[0-9a-f-]{36}$/);
      assert.ok(j.sendTime);
      const sent = await sim.control('/messages');
      assert.equal(sent.messages.length, 1);
      assert.equal(sent.messages[0].id, j.id);
      const jr = await sim.getJson('/journal/requests?type=Message,MessageThread&origin=Outbound&pageSize=5');
      const e = jr.body.requests.find((x) => x.requestGuid === j.id);
      assert.ok(e, 'in the journal');
      assert.equal(e.text, 'hello from the test');
      assert.equal(e.textModel.text, 'hello from the test');
      assert.equal(e.client.address, '+15551230001');
      assert.equal(e.origin.toLowerCase(), 'outbound');
      // classic path too
      assert.equal((await sim.api('/messages/send', { method: 'POST', body: msg(from) })).status, 200);
      // reset forgets sent messages (and their journal entries)
      await sim.control('/reset', {});
      assert.equal((await sim.control('/messages')).messages.length, 0);
      const after_ = await sim.getJson('/journal/requests?type=Message,MessageThread&origin=Outbound&pageSize=5');
      assert.ok(!after_.body.requests.some((x) => x.requestGuid === j.id));
    });

    test('Idempotency-Key is not MightyCall\'s: ignored by default (sent twice), honoured only with idempotency:true', async () => {
      const h0 = { 'idempotency-key': 'k-0' };
      await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: h0 });
      const d = await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: h0 });
      assert.equal(d.headers.get('idempotent-replayed'), null);
      assert.equal((await sim.control('/messages')).messages.length, 2);
      // timeout_after: handled (sent), then no answer until the client gives up
      await sim.control('/faults', { timeout_ms: 300, fail_next: { count: 1, status: 'timeout_after' } });
      const t = await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from) });
      assert.equal(t.status, 504);
      assert.equal((await sim.control('/messages')).messages.length, 3);
      await sim.control('/reset', {});
      await sim.control('/faults', { idempotency: true });
      const h = { 'idempotency-key': 'k-1' };
      const a = await (await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: h })).json();
      const r2 = await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: h });
      assert.equal(r2.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await r2.json(), a);
      assert.equal((await sim.control('/messages')).messages.length, 1);
      await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: { 'idempotency-key': 'k-2' } });
      assert.equal((await sim.control('/messages')).messages.length, 2);
      // processed, but the connection drops before the answer: the retry gets the stored answer
      await sim.control('/faults', { idempotency: true, fail_next: { count: 1, status: 'reset_after' } });
      await assert.rejects(sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: { 'idempotency-key': 'k-3' } }));
      const retry = await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(from), headers: { 'idempotency-key': 'k-3' } });
      assert.equal(retry.status, 200);
      assert.equal((await sim.control('/messages')).messages.length, 3);
    });

    test('validation: 400 modelState, 403 for a number that cannot text', async () => {
      const r = await sim.api('/contactcenter/messages/send', { method: 'POST', body: { to: ['+15551230001'], message: 'x' } });
      assert.equal(r.status, 400);
      assert.deepEqual((await r.json()).modelState.from, ['Source phone number is required.']);
      const pn = (await sim.getJson('/phonenumbers')).body.data.phoneNumbers;
      const noText = pn.find((p) => !p.mayText).number;
      const f = await sim.api('/contactcenter/messages/send', { method: 'POST', body: msg(noText) });
      assert.equal(f.status, 403);
      assert.deepEqual(await f.json(), { message: 'Failed to send message.' });
      assert.equal((await sim.control('/messages')).messages.length, 0);
    });
  });

  describe('contacts', () => {
    test('CRUD with etag; stale etag → 412 ContactWasModified', async () => {
      const created = await sim.api('/contacts', {
        method: 'POST', body: { firstName: 'Ada', lastName: 'Lovelace', channels: [{ labels: ['Mobile'], phone: '+15550001111' }] },
      });
      assert.equal(created.status, 201);
      const c = (await created.json()).data;
      assert.match(c.contactId, /^[0-9a-f]{24}$/);
      assert.match(c.etag, /^[0-9a-f]{16}$/);
      const idErr = await sim.api('/contacts', { method: 'POST', body: { contactId: c.contactId, firstName: 'X' } });
      assert.equal((await idErr.json()).errorCode, 'ContactIdIsNotEmpty');

      const put = await sim.api(`/contacts/${c.contactId}?etag=${c.etag}`, { method: 'PUT', body: { ...c, lastName: 'King' } });
      assert.equal(put.status, 200);
      const v2 = (await put.json()).data;
      assert.equal(v2.lastName, 'King');
      assert.notEqual(v2.etag, c.etag);

      const stale = await sim.api(`/contacts/${c.contactId}?etag=${c.etag}`, { method: 'PATCH', body: { comment: 'x' } });
      assert.equal(stale.status, 412);
      const sj = await stale.json();
      assert.equal(sj.errorCode, 'ContactWasModified');
      assert.equal(sj.data.etag, v2.etag);
      const staleHeader = await sim.api(`/contacts/${c.contactId}`, { method: 'PUT', body: { firstName: 'Z' }, headers: { 'if-match': c.etag } });
      assert.equal(staleHeader.status, 412);
      const staleBody = await sim.api(`/contacts/${c.contactId}`, { method: 'PATCH', body: { firstName: 'Z', etag: c.etag } });
      assert.equal(staleBody.status, 412);
      const staleDel = await sim.api(`/contacts/${c.contactId}?etag=${c.etag}`, { method: 'DELETE' });
      assert.equal(staleDel.status, 412);

      const patch = await sim.api(`/contacts/${c.contactId}?etag=${v2.etag}`, { method: 'PATCH', body: { comment: 'Patched' } });
      const v3 = (await patch.json()).data;
      assert.equal(v3.comment, 'Patched');
      assert.equal(v3.lastName, 'King', 'PATCH keeps other fields');

      const got = await sim.getJson(`/contacts/${c.contactId}`);
      assert.deepEqual(got.body.data.contacts[0], v3);

      const since = new Date(Date.now() - 1000).toISOString();
      const del = await sim.api(`/contacts/${c.contactId}?etag=*`, { method: 'DELETE' });
      assert.equal(del.status, 200);
      assert.equal((await del.json()).message, 'Deleted');
      const gone = await sim.getJson(`/contacts/${c.contactId}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.errorCode, 'ContactIsNotFound');
      const inc = await sim.getJson(`/contacts?updatedSince=${encodeURIComponent(since)}`);
      const tomb = inc.body.data.contacts.find((x) => x.contactId === c.contactId);
      assert.equal(tomb.state, 'deleted');
      const bad = await sim.getJson('/contacts/not-an-id');
      assert.equal(bad.body.errorCode, 'ContactIdHasInvalidFormat');
    });

    test('updatedSince includes deleted contacts of the dataset', async () => {
      const all = await sim.getJson('/contacts?updatedSince=2000-01-01T00:00:00Z&pageSize=1000');
      assert.ok(all.body.data.contacts.some((c) => c.state === 'deleted'));
      assert.ok(all.body.data.records > 200);
    });
  });

  describe('faults', () => {
    test('latency_ms holds the answers of matching paths only', async () => {
      // no clock: a latency far beyond the client's deadline cannot be mistaken
      // for a fast answer, and a path it does not match answers before its own
      // (generous) deadline
      await sim.control('/faults', { latency_ms: 600000, paths: 'calls' });
      await assert.rejects(sim.api('/calls', { signal: AbortSignal.timeout(300) }), /abort|timeout/i);
      assert.equal((await sim.api('/phonenumbers', { signal: AbortSignal.timeout(30000) })).status, 200);
      await sim.control('/faults', {});
      assert.equal((await sim.api('/calls', { signal: AbortSignal.timeout(30000) })).status, 200);
    });

    test('error_rate → 500/502/503', async () => {
      await sim.control('/faults', { error_rate: 1 });
      for (let i = 0; i < 6; i++) {
        const r = await sim.api('/phonenumbers');
        assert.ok([500, 502, 503].includes(r.status), String(r.status));
        await r.arrayBuffer();
      }
    });

    test('rate_429 with Retry-After: 1', async () => {
      await sim.control('/faults', { rate_429: 1 });
      const r = await sim.api('/calls');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.match((await r.json()).message, /^Too many requests\. Retry after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7} UTC$/);
    });

    test('malformed_rate → truncated JSON', async () => {
      await sim.control('/faults', { malformed_rate: 1 });
      const r = await sim.api('/phonenumbers');
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.ok(text.length > 0);
      assert.throws(() => JSON.parse(text));
    });

    test('reset_rate → connection destroyed', async () => {
      await sim.control('/faults', { reset_rate: 1 });
      await assert.rejects(sim.api('/phonenumbers'));
      const c = await sim.control('/counts');
      assert.equal(c.by_status.reset, 1);
    });

    test('paths limits faults; POST {} clears', async () => {
      await sim.control('/faults', { error_rate: 1, paths: '/calls' });
      assert.ok((await sim.api('/calls')).status >= 500);
      assert.equal((await sim.api('/phonenumbers')).status, 200);
      const cur = await sim.control('/faults');
      assert.equal(cur.paths, '/calls');
      await sim.control('/faults', {});
      assert.equal((await sim.api('/calls')).status, 200);
      assert.equal((await sim.control('/faults')).error_rate, 0);
      const bad = await fetch(`${sim.base}/__sim/faults`, { method: 'POST', body: JSON.stringify({ error_rate: 2 }) });
      assert.equal(bad.status, 400);
    });

    test('fail_next: deterministic status, reset, malformed, timeout', async () => {
      await sim.control('/faults', { fail_next: { count: 2, status: 503 } });
      assert.equal((await sim.api('/calls')).status, 503);
      assert.equal((await sim.api('/calls')).status, 503);
      assert.equal((await sim.api('/calls')).status, 200);

      await sim.control('/faults', { fail_next: { count: 1, status: 401 } });
      assert.equal((await sim.api('/calls')).status, 401);
      assert.equal((await sim.api('/calls')).status, 200);

      await sim.control('/faults', { fail_next: { count: 1, status: 'reset' }, paths: 'journal' });
      assert.equal((await sim.api('/calls')).status, 200, 'does not match paths');
      await assert.rejects(sim.api('/journal/requests'));
      assert.equal((await sim.api('/journal/requests')).status, 200);

      await sim.control('/faults', { fail_next: { count: 1, status: 'malformed' } });
      const text = await (await sim.api('/team')).text();
      assert.throws(() => JSON.parse(text));

      await sim.control('/faults', { fail_next: { count: 1, status: 'timeout' } });
      await assert.rejects(sim.api('/calls', { signal: AbortSignal.timeout(300) }), /abort|timeout/i);
      assert.equal((await sim.api('/calls')).status, 200);

      await sim.control('/faults', { fail_next: { count: 1, status: 'timeout' }, timeout_ms: 200 });
      const r = await sim.api('/calls');
      assert.equal(r.status, 504);
      const f = await sim.control('/faults');
      assert.equal(f.fail_next.remaining, 0);
    });
  });

  test('counts: total, by_endpoint, by_status; reset clears them', async () => {
    await sim.api('/calls');
    await sim.api('/calls');
    await sim.api('/phonenumbers');
    await fetch(`${sim.base}/v4/api/calls`);
    const c = await sim.control('/counts');
    assert.equal(c.total, 4);
    assert.equal(c.by_endpoint['GET /calls'], 3);
    assert.equal(c.by_endpoint['GET /phonenumbers'], 1);
    assert.equal(c.by_status['200'], 3);
    assert.equal(c.by_status['401'], 1);
    await sim.control('/reset', {});
    const z = await sim.control('/counts');
    assert.equal(z.total, 0);
    assert.deepEqual(z.by_endpoint, {});
  });
});

describe('quota', () => {
  let sim;
  before(async () => { sim = await startSim(['--quota', '5', '--calls', '100', '--sms', '10', '--voicemails', '5', '--contacts', '10']); });
  after(async () => { await sim.stop(); });

  test('past --quota requests per day → 429 with Retry-After; ping stays free', async () => {
    await sim.token(); // 1 (token requests count)
    for (let i = 0; i < 4; i++) assert.equal((await sim.api('/phonenumbers')).status, 200); // 2..5
    const r = await sim.api('/phonenumbers');
    assert.equal(r.status, 429);
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 86400);
    const body = await r.json();
    assert.match(body.message, /^Too many requests\. Retry after \d{4}-\d\d-\d\dT00:00:00\.0000000 UTC$/);
    assert.equal((await fetch(`${sim.base}/v4/api/ping`)).status, 200);
    const c = await sim.control('/counts');
    assert.equal(c.quota_used['demo-api-key'], 6);
    await sim.control('/reset', {});
    assert.equal((await sim.api('/phonenumbers')).status, 200, 'reset clears quota usage');
    await sim.control('/faults', { quota: 0 });
    assert.equal((await sim.api('/phonenumbers')).status, 429, 'quota override through faults');
  });
});

describe('determinism', () => {
  const args = ['--seed', '7', '--now', NOW, '--calls', '800', '--sms', '300', '--voicemails', '40', '--contacts', '30'];
  async function snapshot(extra = []) {
    const sim = await startSim([...args, ...extra]);
    try {
      await sim.token();
      const out = {};
      for (const p of [`/calls?${ALL}&pageSize=1000`, '/journal/requests?pageSize=1000&page=1',
        '/voicemails?pageSize=100', '/contacts?pageSize=100', '/phonenumbers', '/team', '/profile/101']) {
        out[p] = (await sim.getJson(p)).body;
      }
      return JSON.parse(JSON.stringify(out).replaceAll(sim.base, 'BASE'));
    } finally {
      await sim.stop();
    }
  }

  test('same seed → identical data; another seed → different', async () => {
    const a = await snapshot(), b = await snapshot();
    assert.deepEqual(a, b);
    assert.equal(a[`/calls?${ALL}&pageSize=1000`].data.total, 800);
    const c = await snapshot(['--seed', '8']);
    assert.notDeepEqual(a[`/calls?${ALL}&pageSize=1000`], c[`/calls?${ALL}&pageSize=1000`]);
  });
});

describe('accounts and CLI', () => {
  test('--account adds an isolated second account', async () => {
    const sim = await startSim(['--calls', '50', '--sms', '5', '--account', 'key2:secret2', '--quota', '100']);
    try {
      await sim.token();
      const a = (await sim.getJson(`/calls?${ALL}&pageSize=1`)).body.data.calls[0].id;
      const other = new (sim.constructor)(sim.base, sim.proc, 'key2', 'secret2');
      await other.token();
      const b = (await other.getJson(`/calls?${ALL}&pageSize=1`)).body.data.calls[0].id;
      assert.notEqual(a, b);
      const cross = await fetch(`${sim.base}/v4/api/calls`, { headers: sim.headers({ 'x-api-key': 'key2' }) });
      assert.equal(cross.status, 401, "one account's token does not work with the other's key");
    } finally {
      await sim.stop();
    }
  });

  test('large dataset (--calls 100000) starts and pages', async () => {
    const sim = await startSim(['--calls', '100000', '--sms', '40000', '--voicemails', '6000'], { timeoutMs: 30000 });
    try {
      await sim.token();
      const { body } = await sim.getJson(`/calls?${ALL}&pageSize=1000&skip=99500`);
      assert.equal(body.data.total, 100000);
      assert.equal(body.data.calls.length, 500);
      const j = await sim.getJson('/journal/requests?pageSize=1000&page=141');
      assert.equal(j.body.requests.length, 0);
      const j2 = await sim.getJson('/journal/requests?pageSize=1000&page=140');
      assert.equal(j2.body.requests.length, 1000);
    } finally {
      await sim.stop();
    }
  });

  test('bad options exit with status 2', async () => {
    await assert.rejects(startSim(['--host', '0.0.0.0']), /exited \(2\)/);
    await assert.rejects(startSim(['--calls', 'many']), /exited \(2\)/);
  });
});
