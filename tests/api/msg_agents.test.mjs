// msg_agents.test.mjs — agent status: GET/PUT per member (available | dnd),
// /me for one's own, history, who may change whose status, the online / idle figures (an agent
// on a call is online but not idle; dnd is online, not available) as the
// metrics see them, and
// the push to MightyCall (only for the integration's own MightyCall user).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { addMember, createUser, newOrg, platformAdmin, serviceHeaders, userWithRole, apiKeyFor } from './fixtures.mjs';
import { simClient } from './sync_helpers.mjs';
import { callEvents, messagingOrg, postWebhook, uniquePhone } from './msg_helpers.mjs';

useSourceAddress('127.0.0.64');

const statusPath = (org, user) => `/api/orgs/${org}/agents/${user}/status`;
const myPath = (org) => `/api/orgs/${org}/agents/me/status`;
let M;
before(async () => { M = await messagingOrg({ number: 5 }); });

async function summary(org, headers) {
  const r = await api.get(`/api/orgs/${org}/agents/status`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.summary;
}

/** online / idle as GET /api/orgs/:orgId/metrics (the data API) reports them. */
async function metricsAgents(org, headers) {
  const r = await api.get(`/api/orgs/${org}/metrics`, { headers });
  assert.equal(r.status, 200, r.text);
  return { online: r.json.agents_online, idle: r.json.agents_idle };
}

test('a member starts offline; setting available/dnd is kept with its history', async () => {
  const agent = await userWithRole(M.org.id, 'agent');
  const path = myPath(M.org.id);
  const g0 = await api.get(path, { headers: agent.headers });
  assert.equal(g0.status, 200, g0.text);
  assert.equal(g0.json.status, 'offline');
  assert.equal(g0.json.online, false);
  const p1 = await api.put(path, { status: 'available' }, { headers: agent.headers });
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.status, 'available');
  assert.equal(p1.json.changed, true);
  assert.equal(p1.json.online, true);
  assert.equal(p1.json.idle, true);
  assert.equal(p1.json.mightycall.pushed, false, 'not the integration\'s MightyCall user');
  assert.equal(p1.json.mightycall.result, 'skipped');
  const same = await api.put(path, { status: 'available' }, { headers: agent.headers });
  assert.equal(same.json.changed, false);
  assert.equal(same.json.since, p1.json.since);
  const p2 = await api.put(path, { status: 'dnd' }, { headers: agent.headers });
  assert.equal(p2.json.status, 'dnd');
  assert.equal(p2.json.online, true, 'signed in');
  assert.equal(p2.json.idle, false);
  const h = await api.get(`${statusPath(M.org.id, agent.user.id)}/history`, { headers: agent.headers });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.total, 2);
  assert.deepEqual(h.json.data.map((x) => [x.status, x.previous_status]), [['dnd', 'available'], ['available', null]]);
  assert.equal(h.json.data[0].changed_by, agent.user.id);
  assert.ok(sql(`SELECT COUNT(*) FROM activity_log WHERE org_id = '${M.org.id}' AND type = 'agent_status_changed'`)[0][0] >= 2);
});

test('agents change their own status (/me); managers and admins anyone\'s; API keys only read', async () => {
  const a = await userWithRole(M.org.id, 'agent');
  const b = await userWithRole(M.org.id, 'agent');
  const manager = await userWithRole(M.org.id, 'manager');
  const key = await apiKeyFor(M.org.id, M.headers, ['read', 'write']);
  assertError(assert, await api.put(statusPath(M.org.id, b.user.id), { status: 'dnd' }, { headers: a.headers }), 403, 'FORBIDDEN');
  assertError(assert, await api.put(statusPath(M.org.id, a.user.id), { status: 'dnd' }, { headers: a.headers }), 403, 'FORBIDDEN');
  assert.equal((await api.get(statusPath(M.org.id, b.user.id), { headers: a.headers })).status, 200, 'but may look');
  const own = await api.put(myPath(M.org.id), { status: 'dnd' }, { headers: a.headers });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.user_id, a.user.id);
  const m = await api.put(statusPath(M.org.id, b.user.id), { status: 'dnd' }, { headers: manager.headers });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.updated_by, manager.user.id);
  assertError(assert, await api.put(statusPath(M.org.id, b.user.id), { status: 'available' }, { headers: key.headers }), 403, 'FORBIDDEN');
  assert.equal((await api.get(statusPath(M.org.id, b.user.id), { headers: key.headers })).status, 200);
  const noMe = await api.put(myPath(M.org.id), { status: 'dnd' }, { headers: key.headers });
  assertError(assert, noMe, 400, 'BAD_REQUEST');
  assert.equal(noMe.json.details.field, 'me');
  const { headers } = await platformAdmin();
  const notMember = await api.get(myPath(M.org.id), { headers });
  assertError(assert, notMember, 404, 'NOT_FOUND');
  assert.equal(notMember.json.details.resource, 'agent');
  const svc = await api.put(statusPath(M.org.id, b.user.id), { status: 'available' }, { headers: serviceHeaders() });
  assert.equal(svc.status, 200, svc.text);
  assert.equal(svc.json.updated_by, null);
});

test('bad input → 400; non-members, foreign orgs and malformed ids → 404', async () => {
  const agent = await userWithRole(M.org.id, 'agent');
  const path = statusPath(M.org.id, agent.user.id);
  for (const body of [{}, { status: 'away' }, { status: 'AVAILABLE' }, { status: 1 }]) {
    const r = await api.put(myPath(M.org.id), body, { headers: agent.headers });
    assertError(assert, r, 400, 'BAD_REQUEST');
    assert.equal(r.json.details.field, 'status');
  }
  const { headers } = await platformAdmin();
  const stranger = await createUser();
  const nm = await api.get(statusPath(M.org.id, stranger.id), { headers });
  assertError(assert, nm, 404, 'NOT_FOUND');
  assert.equal(nm.json.details.resource, 'agent');
  assertError(assert, await api.put(statusPath(M.org.id, stranger.id), { status: 'dnd' }, { headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(statusPath(M.org.id, 'nope'), { headers }), 404, 'NOT_FOUND');
  const other = await newOrg(headers);
  const outsider = await userWithRole(other.id, 'org_admin');
  assertError(assert, await api.get(path, { headers: outsider.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.put(path, { status: 'dnd' }, { headers: outsider.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(statusPath(other.id, agent.user.id), { headers: outsider.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.get(`/api/orgs/${M.org.id}/agents/status`, { headers: outsider.headers }), 404, 'NOT_FOUND');
  assert.equal(sql(`SELECT COUNT(*) FROM agent_status WHERE user_id = '${stranger.id}'`)[0][0], '0');
});

test('online / idle: signed-in agents are online, an available agent on a call is not idle; the metrics agree', async () => {
  const { headers } = await platformAdmin();
  const O = await messagingOrg({ number: 6 });
  const a = await userWithRole(O.org.id, 'agent');
  const b = await userWithRole(O.org.id, 'agent');
  const start = await summary(O.org.id, headers);
  assert.equal(start.online, 0);
  assert.equal(start.idle, 0);
  assert.equal((await api.put(myPath(O.org.id), { status: 'available' }, { headers: a.headers })).status, 200);
  assert.equal((await api.put(myPath(O.org.id), { status: 'available' }, { headers: b.headers })).status, 200);
  let s = await summary(O.org.id, headers);
  assert.deepEqual([s.online, s.idle, s.on_call], [2, 2, 0]);
  // agent a answers a call on extension 777 (mapped to a)
  sql(`INSERT INTO extensions (org_id, external_id, extension, display_name, user_id) VALUES ('${O.org.id}', '${randomUUID()}', '777', 'A', '${a.user.id}')`);
  const evs = callEvents({ business: O.from, client: uniquePhone(), ext: '777', start: Date.now() - 20000, durMs: 40000 });
  for (const e of evs.slice(0, 4)) assert.equal((await postWebhook(O.integration, e)).status, 200);
  s = await summary(O.org.id, headers);
  assert.deepEqual([s.online, s.idle, s.on_call], [2, 1, 1]);
  const one = await api.get(statusPath(O.org.id, a.user.id), { headers });
  assert.equal(one.json.on_call, true);
  assert.equal(one.json.idle, false);
  const m1 = await metricsAgents(O.org.id, headers);
  assert.deepEqual([m1.online, m1.idle], [2, 1]);
  // b goes dnd, the call ends
  assert.equal((await api.put(myPath(O.org.id), { status: 'dnd' }, { headers: b.headers })).status, 200);
  assert.equal((await postWebhook(O.integration, evs[4])).status, 200);
  s = await summary(O.org.id, headers);
  assert.deepEqual([s.online, s.available, s.idle, s.on_call, s.dnd], [2, 1, 1, 0, 1]);
  const m2 = await metricsAgents(O.org.id, headers);
  assert.deepEqual([m2.online, m2.idle], [2, 1]);
  const list = await api.get(`/api/orgs/${O.org.id}/agents/status`, { headers });
  assert.equal(list.json.total, 2);
  assert.equal(list.json.data[0].user_id, a.user.id, 'available agents first');
});

test('the integration\'s own MightyCall user: the change is pushed to MightyCall', async () => {
  const c = await simClient();
  const prof = (await c.getJson('/profile')).body.data;
  const O = await messagingOrg({ number: 7 });
  const { headers } = await platformAdmin();
  let u;
  try {
    u = await createUser({ email: prof.email });
  } catch {
    // another run of this file created that user already: reuse it by email
    u = { id: sql(`SELECT id FROM users WHERE email = '${prof.email.toLowerCase()}'`)[0][0], email: prof.email.toLowerCase() };
  }
  await addMember(headers, O.org.id, u.email, 'agent');
  const r = await api.put(statusPath(O.org.id, u.id), { status: 'dnd' }, { headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.mightycall.pushed, true, JSON.stringify(r.json.mightycall));
  assert.equal((await c.getJson('/profile/status')).body.data.status, 'dnd');
  const back = await api.put(statusPath(O.org.id, u.id), { status: 'available' }, { headers });
  assert.equal(back.json.mightycall.result, 'pushed');
  assert.equal((await c.getJson('/profile/status')).body.data.status, 'available');
  assert.deepEqual(sql(`SELECT upstream FROM agent_status_history WHERE org_id = '${O.org.id}' AND user_id = '${u.id}' ORDER BY id`),
    [['pushed'], ['pushed']]);
});
