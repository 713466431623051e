// live_push.test.mjs — pushed live updates through nginx's nchan module:
// POST /api/orgs/:orgId/live/ticket, the EventSource stream /live/orgs/<org>
// authorised by vs-api per subscribe (another org's channel, a bad or
// expired ticket, a revoked or signed-out session, a removed member → 403), the notes
// vs-api publishes (webhook calls and SMS, agent status, sync jobs), and
// that neither the public server publishes nor any log holds a ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { api, assertError, HTTP_PORT, VAR, sql, useSourceAddress, waitFor } from './lib.mjs';
import { addMember, createUser, login, platformAdmin, userWithRole } from './fixtures.mjs';
import { callEvents, mcEvent, messagingOrg, postWebhook, uniquePhone } from './msg_helpers.mjs';

const SOURCE = '127.0.0.117';
useSourceAddress(SOURCE);

let A; let B;
const open = [];
before(async () => {
  A = await messagingOrg({ number: 3 });
  B = await messagingOrg({ number: 4 });
});
after(() => { for (const s of open) s.close(); });

const ticketFor = (orgId, headers) => api.post(`/api/orgs/${orgId}/live/ticket`, {}, { headers });

/** Subscribes like EventSource: resolves {status, events, next(pred), close()}. */
function subscribe(path) {
  return new Promise((resolve, reject) => {
    const events = [];
    const waiters = [];
    let buf = '';
    const req = http.request({
      host: '127.0.0.1', port: HTTP_PORT, path, localAddress: SOURCE, agent: false,
      headers: { accept: 'text/event-stream' },
    }, (res) => {
      const s = {
        status: res.statusCode, headers: res.headers, events,
        close: () => req.destroy(),
        /** The first event (seen or to come) for which pred is true. */
        next: (pred, what) => new Promise((ok, fail) => {
          const hit = events.find(pred);
          if (hit) return ok(hit);
          const t = setTimeout(() => fail(new Error(`no event: ${what}; got ${JSON.stringify(events)}`)), 15000);
          waiters.push({ pred, ok: (e) => { clearTimeout(t); ok(e); } });
        }),
      };
      open.push(s);
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i); buf = buf.slice(i + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (!data) continue;
          let ev; try { ev = JSON.parse(data); } catch { continue; }
          events.push(ev);
          for (const w of waiters.splice(0)) { if (w.pred(ev)) w.ok(ev); else waiters.push(w); }
        }
      });
      res.on('error', () => {});
      resolve(s);
    });
    req.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
    req.end();
  });
}

test('a ticket names the org, the stream URL and a short lifetime', async () => {
  const r = await ticketFor(A.org.id, A.headers);
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.ticket, /^lt2\.u\.[0-9a-f-]{36}\.[0-9a-f-]{36}\.\d+\.\d+\.[0-9a-f]{64}$/);
  assert.equal(r.json.url, `/live/orgs/${A.org.id}`);
  assert.equal(r.json.channel_org_id, A.org.id);
  assert.ok(r.json.expires_in_seconds > 0 && r.json.expires_in_seconds <= 120);
  assert.equal(r.json.push, true);
  // never the access token
  assert.ok(!r.json.ticket.includes(A.headers.authorization.slice(7)));
});

test('a webhook call and an inbound SMS are pushed to the org\'s subscribers', async () => {
  const { json: t } = await ticketFor(A.org.id, A.headers);
  const s = await subscribe(`${t.url}?ticket=${encodeURIComponent(t.ticket)}`);
  assert.equal(s.status, 200);
  assert.match(s.headers['content-type'], /text\/event-stream/);
  const evs = callEvents({ business: A.from, client: uniquePhone(), start: Date.now() - 20000, durMs: 10000 });
  const w = await postWebhook(A.integration, evs[0]);
  assert.equal(w.status, 200, w.text);
  const call = await s.next((e) => e.type === 'call' && e.id === w.json.call_id, 'the new call');
  assert.deepEqual(Object.keys(call).sort(), ['id', 'type']);
  const m = await postWebhook(A.integration, mcEvent('IncomingMessage', { id: randomUUID(), from: uniquePhone(), to: A.from, body: { Text: 'push me' } }));
  assert.equal(m.status, 200, m.text);
  const sms = await s.next((e) => e.type === 'sms' && e.id === m.json.message_id, 'the inbound SMS');
  assert.equal(sms.type, 'sms');
  // the other org's subscriber hears nothing of it
  const { json: tb } = await ticketFor(B.org.id, B.headers);
  const sb = await subscribe(`${tb.url}?ticket=${encodeURIComponent(tb.ticket)}`);
  assert.equal(sb.status, 200);
  const w2 = await postWebhook(A.integration, evs[1]);
  await s.next((e) => e.type === 'call' && e.id === w2.json.call_id && s.events.filter((x) => x.id === e.id).length >= 2, 'the changed call');
  assert.ok(!sb.events.some((e) => e.id === w.json.call_id));
});

test('an agent status change is pushed', async () => {
  const agent = await userWithRole(A.org.id, 'agent');
  const { json: t } = await ticketFor(A.org.id, A.headers);
  const s = await subscribe(`${t.url}?ticket=${encodeURIComponent(t.ticket)}`);
  assert.equal(s.status, 200);
  const r = await api.put(`/api/orgs/${A.org.id}/agents/me/status`, { status: 'dnd' }, { headers: agent.headers });
  assert.equal(r.status, 200, r.text);
  await s.next((e) => e.type === 'agent_status' && e.id === agent.user.id, 'the status change');
});

test('a sync job is pushed when queued', async () => {
  const { json: t } = await ticketFor(A.org.id, A.headers);
  const s = await subscribe(`${t.url}?ticket=${encodeURIComponent(t.ticket)}`);
  const r = await api.post(`/api/mightycall/sync/sms?orgId=${A.org.id}`, {}, { headers: A.headers });
  assert.equal(r.status, 202, r.text);
  await s.next((e) => e.type === 'sync_job' && e.id === r.json.job_id, 'the queued job');
});

test('another org\'s channel, a forged or missing ticket: 403', async () => {
  const { json: t } = await ticketFor(A.org.id, A.headers);
  const q = `?ticket=${encodeURIComponent(t.ticket)}`;
  assert.equal((await subscribe(`/live/orgs/${B.org.id}${q}`)).status, 403);
  assert.equal((await subscribe(`/live/orgs/${A.org.id}`)).status, 403);
  const forged = t.ticket.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
  assert.equal((await subscribe(`/live/orgs/${A.org.id}?ticket=${encodeURIComponent(forged)}`)).status, 403);
  // B's admin cannot mint a ticket for A (not visible: 404)
  const bAdmin = await userWithRole(B.org.id, 'org_admin');
  const r = await ticketFor(A.org.id, bAdmin.headers);
  assert.equal(r.status, 404);
  // the authorize route answers the same way when called directly
  const d = await api.get(`/api/live/authorize/${B.org.id}${q}`);
  assert.equal(d.status, 403);
  const ok = await api.get(`/api/live/authorize/${A.org.id}${q}`);
  assert.equal(ok.status, 200, ok.text);
});

test('an expired ticket, a revoked session and a removed member: 403', async () => {
  const agent = await userWithRole(A.org.id, 'agent');
  const { json: t } = await ticketFor(A.org.id, agent.headers);
  const url = `${t.url}?ticket=${encodeURIComponent(t.ticket)}`;
  const s = await subscribe(url);
  assert.equal(s.status, 200);
  s.close();
  // expired: same fields, an old expiry, re-signed would need the key; a
  // changed expiry breaks the signature, so only the service sees it as bad
  const parts = t.ticket.split('.');
  parts[5] = String(Number(parts[4]) + 1);
  assert.equal((await subscribe(`${t.url}?ticket=${encodeURIComponent(parts.join('.'))}`)).status, 403);
  // sessions revoked after the token was issued (what a password reset does)
  sql(`UPDATE users SET sessions_valid_after = NOW(3) + INTERVAL 2 SECOND WHERE id = '${agent.user.id}'`);
  assert.equal((await subscribe(url)).status, 403);
  sql(`UPDATE users SET sessions_valid_after = NULL WHERE id = '${agent.user.id}'`);
  assert.equal((await subscribe(url)).status, 200);
  // removed from the org
  const admin = await platformAdmin();
  const del = await api.del(`/api/admin/orgs/${A.org.id}/members/${agent.member.id}`, { headers: admin.headers });
  assert.ok(del.status === 200 || del.status === 204, del.text);
  assert.equal((await subscribe(url)).status, 403);
});

test('after logout the token gets no ticket and its tickets are refused; another session goes on', async () => {
  const admin = await platformAdmin();
  const u = await createUser();
  await addMember(admin.headers, A.org.id, u.email, 'agent');
  const a = await login(u.email, u.password);
  const b = await login(u.email, u.password);
  const ha = { authorization: `Bearer ${a.access_token}` };
  const hb = { authorization: `Bearer ${b.access_token}` };
  const ta = await ticketFor(A.org.id, ha);
  assert.equal(ta.status, 201, ta.text);
  const tb = await ticketFor(A.org.id, hb);
  assert.equal(tb.status, 201, tb.text);
  const q = `?ticket=${encodeURIComponent(ta.json.ticket)}`;
  const first = await subscribe(`${ta.json.url}${q}`);
  assert.equal(first.status, 200);
  first.close();
  assert.equal((await api.get(`/api/live/authorize/${A.org.id}${q}`)).status, 200);
  const out = await api.post('/api/auth/logout', { refresh_token: a.refresh_token });
  assert.equal(out.status, 200, out.text);
  // the signed-out token mints no ticket
  assertError(assert, await ticketFor(A.org.id, ha), 401, 'UNAUTHORIZED');
  // and the ticket it got before (not yet expired) no longer subscribes
  assert.equal((await subscribe(`${ta.json.url}${q}`)).status, 403);
  assertError(assert, await api.get(`/api/live/authorize/${A.org.id}${q}`), 403, 'FORBIDDEN');
  // the user's other session is not signed out: its ticket and new ones work
  assert.equal((await subscribe(`${tb.json.url}?ticket=${encodeURIComponent(tb.json.ticket)}`)).status, 200);
  assert.equal((await ticketFor(A.org.id, hb)).status, 201);
});

test('API keys get tickets too; a revoked key\'s ticket stops working', async () => {
  const k = await api.post(`/api/orgs/${A.org.id}/api-keys`, { name: `live-${randomUUID().slice(0, 8)}` }, { headers: A.headers });
  assert.equal(k.status, 201, k.text);
  const kh = { 'x-api-key': k.json.key };
  const { json: t } = await ticketFor(A.org.id, kh);
  assert.match(t.ticket, /^lt2\.k\.[0-9a-f-]{36}\.-\./);
  const url = `${t.url}?ticket=${encodeURIComponent(t.ticket)}`;
  assert.equal((await subscribe(url)).status, 200);
  const r = await api.del(`/api/orgs/${A.org.id}/api-keys/${k.json.id}`, { headers: A.headers });
  assert.equal(r.status, 200, r.text);
  assert.equal((await subscribe(url)).status, 403);
});

test('the public server has no publisher; the access log never holds a ticket', async () => {
  const r = await new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: HTTP_PORT, method: 'POST', path: `/pub/org-${A.org.id}`, localAddress: SOURCE, agent: false,
      headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end('{"type":"call"}');
  });
  assert.ok(r !== 201 && r !== 202, `public POST /pub → ${r}`);
  const { json: t } = await ticketFor(A.org.id, A.headers);
  const s = await subscribe(`${t.url}?ticket=${encodeURIComponent(t.ticket)}`);
  assert.equal(s.status, 200);
  s.close();
  await waitFor(() => readFileSync(`${VAR}/log/nginx-access.log`, 'utf8').includes(`/live/orgs/${A.org.id}`), { what: 'the subscribe logged' });
  const log = readFileSync(`${VAR}/log/nginx-access.log`, 'utf8');
  assert.ok(!log.includes(t.ticket), 'the ticket is not in the access log');
  assert.ok(!log.includes('ticket='), 'no ticket query string in the access log');
});
