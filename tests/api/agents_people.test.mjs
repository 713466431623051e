// agents_people.test.mjs — issue 18 item 6, agents to people: an org admin
// invites the person behind a MightyCall extension (POST members with
// extension_id → 202 invitation carrying it); once they accept, the new member
// is linked to the extension (extensions.user_id), a number can be assigned to
// them and they show in agents/status. A platform admin's direct add (201)
// links at once. An extension_id that is malformed, unknown or another org's
// is 400 naming the field, the same answer for the last two (nothing leaks),
// and nothing is created. An org admin links an existing member with
// PUT …/extensions/:extensionId/member (null unlinks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { api, assertError, sql, useSourceAddress } from './lib.mjs';
import { createUser, login, newOrg, platformAdmin, uniqueName, userWithRole } from './fixtures.mjs';
import { linkToken, waitForMail } from './mailbox.mjs';
import { recordSecret } from './secret_log.mjs';

useSourceAddress('127.0.0.186');

const bearer = (t) => ({ authorization: `Bearer ${t}` });
const membersPath = (org) => `/api/admin/orgs/${org}/members`;

/** An extension row of orgId as sync writes it (never with a user). */
function newExtension(orgId, ext, name) {
  const id = randomUUID();
  sql(`INSERT INTO extensions (id, org_id, external_id, extension, display_name, status)
    VALUES ('${id}', '${orgId}', '${randomUUID()}', '${ext}', '${name}', 'active')`);
  return id;
}
const linkedUser = (extId) => sql(`SELECT user_id FROM extensions WHERE id = '${extId}'`)[0][0];

async function orgWithAdmin() {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  return { org, admin, platform: headers };
}

/** The org's extensions list row of extId. */
async function extensionRow(orgId, headers, extId) {
  const res = await api.get(`/api/orgs/${orgId}/extensions?limit=100`, { headers });
  assert.equal(res.status, 200, res.text);
  return res.json.data.find((e) => e.id === extId);
}

test('invite with an extension → accept as a new person → linked; a number is assigned; agents/status shows them', async () => {
  const { org, admin } = await orgWithAdmin();
  const extId = newExtension(org.id, '301', 'Agent Three-oh-one');
  const other = newExtension(org.id, '302', 'Not this one');
  const email = `${uniqueName('agent301').toLowerCase()}@example.test`;
  const extPath = `/api/orgs/${org.id}/extensions?limit=100`;
  const tagBefore = (await api.get(extPath, { headers: admin.headers })).headers.etag;
  assert.ok(tagBefore, 'the extensions list is tagged');
  const res = await api.post(membersPath(org.id), { email, role: 'agent', extension_id: extId }, { headers: admin.headers });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.invitation.extension_id, extId);
  assert.equal(res.json.invitation.extension, '301');
  // the list of invitations and the extensions list show the open invitation
  const invs = await api.get(`/api/admin/orgs/${org.id}/invitations`, { headers: admin.headers });
  assert.deepEqual(invs.json.data.map((i) => [i.email, i.extension_id, i.extension]), [[email, extId, '301']]);
  // the invitation moved the list's tag: no stale 304 hides it
  const conditional = await api.get(extPath, { headers: { ...admin.headers, 'if-none-match': tagBefore } });
  assert.equal(conditional.status, 200);
  const tagInvited = conditional.headers.etag;
  let row = await extensionRow(org.id, admin.headers, extId);
  assert.equal(row.invited_email, email);
  assert.equal(row.user_id, null);
  assert.equal((await extensionRow(org.id, admin.headers, other)).invited_email, null);
  assert.equal(linkedUser(extId), 'NULL', 'nothing is linked before accepting');

  const token = linkToken(await waitForMail(email), 'invite');
  recordSecret(token);
  const password = `pw-${uniqueName('x')}`;
  recordSecret(password);
  const joined = await api.post('/api/auth/invitation/accept', { token, full_name: 'Tess Threeoone', password });
  assert.equal(joined.status, 201, joined.text);
  const userId = joined.json.user.id;
  assert.equal(linkedUser(extId), userId);
  assert.equal((await api.get(extPath, { headers: { ...admin.headers, 'if-none-match': tagInvited } })).status, 200,
    'accepting (the link) moves the tag too');
  assert.equal(linkedUser(other), 'NULL', 'only the invited extension is linked');
  row = await extensionRow(org.id, admin.headers, extId);
  assert.equal(row.user_id, userId);
  assert.equal(row.user_name, 'Tess Threeoone');
  assert.equal(row.invited_email, null, 'the accepted invitation is no longer open');

  // a number can be assigned to the new member
  const phoneId = randomUUID();
  const number = `+1555${String(randomInt(1000000, 9999999))}`;
  sql(`INSERT INTO phone_numbers (id, org_id, external_id, number, status) VALUES ('${phoneId}', '${org.id}', '${randomUUID()}', '${number}', 'active')`);
  const assigned = await api.post(`/api/orgs/${org.id}/phone-numbers/${phoneId}/assign`, { user_id: userId }, { headers: admin.headers });
  assert.equal(assigned.status, 200, assigned.text);
  assert.equal(sql(`SELECT assigned_user_id FROM phone_numbers WHERE id = '${phoneId}'`)[0][0], userId);

  // their agent status shows, and follows their own change
  const me = await login(email, password);
  assert.equal((await api.put(`/api/orgs/${org.id}/agents/me/status`, { status: 'available' }, { headers: bearer(me.access_token) })).status, 200);
  const status = await api.get(`/api/orgs/${org.id}/agents/status?limit=100`, { headers: admin.headers });
  assert.equal(status.status, 200, status.text);
  const mine = status.json.data.find((a) => a.user_id === userId);
  assert.ok(mine, 'the new member is in agents/status');
  assert.equal(mine.status, 'available');
});

test('an existing user accepting signed in is linked too; re-inviting without an extension keeps it', async () => {
  const { org, admin } = await orgWithAdmin();
  const extId = newExtension(org.id, '311', 'Existing agent');
  const u = await createUser({ fullName: 'Erin Existing' });
  const first = await api.post(membersPath(org.id), { email: u.email, role: 'agent', extension_id: extId }, { headers: admin.headers });
  assert.equal(first.status, 202, first.text);
  const again = await api.post(membersPath(org.id), { email: u.email, role: 'agent' }, { headers: admin.headers });
  assert.equal(again.status, 202, again.text);
  assert.equal(again.json.invitation.extension_id, extId, 'a renewal without extension_id keeps the extension');
  const s = await login(u.email, u.password);
  const mine = await api.get('/api/user/invitations', { headers: bearer(s.access_token) });
  const inv = mine.json.data.find((i) => i.org_id === org.id);
  const ok = await api.post(`/api/user/invitations/${inv.id}/accept`, {}, { headers: bearer(s.access_token) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(linkedUser(extId), u.id);
});

test('a platform admin adds an existing user with an extension: 201 and linked at once', async () => {
  const { org, platform } = await orgWithAdmin();
  const extId = newExtension(org.id, '321', 'Direct add');
  const u = await createUser({ fullName: 'Dana Direct' });
  const res = await api.post(membersPath(org.id), { email: u.email, role: 'agent', extension_id: extId }, { headers: platform });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.user_id, u.id);
  assert.equal(linkedUser(extId), u.id);
});

test('a malformed, unknown or other org\'s extension_id is 400 naming the field; nothing is created', async () => {
  const { org, admin, platform } = await orgWithAdmin();
  const otherOrg = await newOrg(platform);
  const foreign = newExtension(otherOrg.id, '331', 'Elsewhere');
  const email = `${uniqueName('nobody').toLowerCase()}@example.test`;
  const invitations = () => Number(sql(`SELECT COUNT(*) FROM org_invitations WHERE org_id = '${org.id}'`)[0][0]);

  for (const bad of ['301', 42, `${randomUUID()}x`]) {
    const res = await api.post(membersPath(org.id), { email, role: 'agent', extension_id: bad }, { headers: admin.headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, 'extension_id');
  }
  const unknown = await api.post(membersPath(org.id), { email, role: 'agent', extension_id: randomUUID() }, { headers: admin.headers });
  const other = await api.post(membersPath(org.id), { email, role: 'agent', extension_id: foreign }, { headers: admin.headers });
  for (const res of [unknown, other]) {
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, 'extension_id');
  }
  assert.equal(other.json.error, unknown.json.error, 'another org\'s extension answers like an unknown one');
  assert.deepEqual(other.json.details, unknown.json.details);
  assert.equal(invitations(), 0, 'no invitation is created');

  // the platform admin's direct add is refused the same way and adds nobody
  const u = await createUser({ fullName: 'Fay Foreign' });
  const direct = await api.post(membersPath(org.id), { email: u.email, role: 'agent', extension_id: foreign }, { headers: platform });
  assertError(assert, direct, 400, 'BAD_REQUEST');
  assert.equal(direct.json.details.field, 'extension_id');
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE org_id = '${org.id}' AND user_id = '${u.id}'`)[0][0], '0');
  assert.equal(linkedUser(foreign), 'NULL', 'the other org\'s extension is untouched');
});

test('an org admin links an existing member to an extension and unlinks it; others are refused', async () => {
  const { org, admin, platform } = await orgWithAdmin();
  const extId = newExtension(org.id, '341', 'Admin answers too');
  const path = (id) => `/api/orgs/${org.id}/extensions/${id}/member`;
  const linked = await api.put(path(extId), { user_id: admin.user.id }, { headers: admin.headers });
  assert.equal(linked.status, 200, linked.text);
  assert.deepEqual([linked.json.id, linked.json.extension, linked.json.user_id], [extId, '341', admin.user.id]);
  assert.equal(linkedUser(extId), admin.user.id);
  const feed = await api.get(`/api/orgs/${org.id}/activity?type=extension_linked`, { headers: admin.headers });
  assert.equal(feed.status, 200, feed.text);
  assert.ok(feed.json.data.some((e) => e.type === 'extension_linked' && e.description.includes('341')), feed.text);

  // not a member, missing, malformed → 400 user_id; another org's extension → 404
  const stranger = await createUser({ fullName: 'Stan Stranger' });
  for (const body of [{ user_id: stranger.id }, {}, { user_id: 'nope' }]) {
    const res = await api.put(path(extId), body, { headers: admin.headers });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, 'user_id');
  }
  const otherOrg = await newOrg(platform);
  const foreign = newExtension(otherOrg.id, '342', 'Elsewhere');
  assertError(assert, await api.put(path(foreign), { user_id: admin.user.id }, { headers: admin.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.put(path(randomUUID()), { user_id: admin.user.id }, { headers: admin.headers }), 404, 'NOT_FOUND');
  assert.equal(linkedUser(foreign), 'NULL');
  // a manager may not link
  const manager = await userWithRole(org.id, 'manager');
  assertError(assert, await api.put(path(extId), { user_id: manager.user.id }, { headers: manager.headers }), 403, 'FORBIDDEN');

  const unlinked = await api.put(path(extId), { user_id: null }, { headers: admin.headers });
  assert.equal(unlinked.status, 200, unlinked.text);
  assert.equal(unlinked.json.user_id, null);
  assert.equal(linkedUser(extId), 'NULL');
});
