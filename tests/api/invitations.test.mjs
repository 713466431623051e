// invitations.test.mjs — issue 16 item 2: an org admin's POST members
// invites (202, the same answer whether or not the e-mail has an account),
// the mail really goes out through the stack's MTA and is read back from its
// Maildir, and the invitee becomes a member only by accepting: signed in
// (GET /api/user/invitations + accept) or as a new account through the link.
// Expiry, resend (a new link, the old one dead), revoke, a failed send,
// sign-ins in the activity feed only for orgs the user belongs to, and the
// link shown once to the admin when no mail is configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ROOT, PROFILE, api, assertError, sql, stack, useSourceAddress } from './lib.mjs';
import { addMember, createUser, login, newOrg, platformAdmin, uniqueName, userWithRole } from './fixtures.mjs';
import { linkToken, messagesTo, waitForMail } from './mailbox.mjs';
import { recordSecret } from './secret_log.mjs';

useSourceAddress('127.0.0.61');

const bearer = (t) => ({ authorization: `Bearer ${t}` });
const membersPath = (org) => `/api/admin/orgs/${org}/members`;
const invitationsPath = (org) => `/api/admin/orgs/${org}/invitations`;
const memberCount = (org, email) => Number(sql(`SELECT COUNT(*) FROM org_members m JOIN users u ON u.id = m.user_id
  WHERE m.org_id = '${org}' AND u.email = '${email}'`)[0][0]);

async function orgWithAdmin() {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  return { org, admin };
}

async function invite(admin, orgId, email, role = 'agent') {
  const res = await api.post(membersPath(orgId), { email, role }, { headers: admin.headers });
  assert.equal(res.status, 202, res.text);
  return res.json;
}

/** Restarts vs-api with extra VS_* settings (an environment value overrides the config file). */
function restartApi(extra) {
  execFileSync(`${ROOT}/scripts/stack.sh`, ['api-stop', PROFILE], { env: process.env });
  execFileSync(`${ROOT}/scripts/stack.sh`, ['api-start', PROFILE], { env: { ...process.env, ...extra } });
}

/** The invitation answer without what differs by nature (ids, times, the address). */
const shapeOf = (j) => ({
  keys: Object.keys(j).sort(),
  invitationKeys: Object.keys(j.invitation).sort(),
  status: j.invitation.status,
  role: j.invitation.role,
  mail: j.mail,
});

test('org admin: the same 202 for an e-mail with and without an account; nobody is added; the mail goes out', async () => {
  const { org, admin } = await orgWithAdmin();
  const existing = await createUser({ fullName: 'Existing Invitee' });
  const unknown = `${uniqueName('nobody')}@example.test`;
  const a = await invite(admin, org.id, existing.email);
  const b = await invite(admin, org.id, unknown);
  assert.deepEqual(shapeOf(a), shapeOf(b));
  assert.deepEqual(a.mail, { sent: true });
  assert.equal(a.invite_url, undefined, 'with mail configured the link is never in the answer');
  assert.equal(a.invitation.email, existing.email);
  assert.equal(a.invitation.status, 'pending');
  const days = (Date.parse(a.invitation.expires_at) - Date.parse(a.invitation.created_at)) / 86400000;
  assert.ok(days > 6.99 && days < 7.01, `7-day expiry, got ${days}`);
  assert.equal(memberCount(org.id, existing.email), 0, 'an invitation adds nobody');
  for (const to of [existing.email, unknown]) {
    const msg = await waitForMail(to);
    recordSecret(linkToken(msg, 'invite'));
    assert.match(msg.headers.subject, /invited to/);
    assert.equal(msg.headers.from, '"VictorySync" <noreply@victorysync.test>');
    assert.match(msg.headers['message-id'], /^<[A-Za-z0-9_-]+@victorysync\.test>$/);
    assert.equal(msg.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(msg.headers.date, /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    assert.match(msg.body, new RegExp(`https://127\\.0\\.0\\.1:\\d+/#/invite\\?token=vsi_`));
  }
  // only the hash is stored
  const token = linkToken(await waitForMail(unknown), 'invite');
  assert.equal(Number(sql(`SELECT COUNT(*) FROM org_invitations WHERE token_hash = '${token}'`)[0][0]), 0);
  // an existing member → 409, like before (the admin sees the members list anyway)
  const dup = await api.post(membersPath(org.id), { email: admin.user.email, role: 'agent' }, { headers: admin.headers });
  assertError(assert, dup, 409, 'CONFLICT');
  // the admins' list
  const list = await api.get(invitationsPath(org.id), { headers: admin.headers });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.data.map((i) => i.email).sort(), [existing.email, unknown].sort());
  assert.ok(list.json.data.every((i) => i.invited_by === admin.user.full_name));
});

test('an existing user signs in, sees the invitation and accepts: only then a member', async () => {
  const { org, admin } = await orgWithAdmin();
  const u = await createUser({ fullName: 'Accepting User' });
  const inv = await invite(admin, org.id, u.email, 'manager');
  const s = await login(u.email, u.password);
  const mine = await api.get('/api/user/invitations', { headers: bearer(s.access_token) });
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.data.map((i) => [i.id, i.org_id, i.org_name, i.role]),
    [[inv.invitation.id, org.id, org.name, 'manager']]);
  // someone else cannot accept it
  const other = await createUser();
  const os = await login(other.email, other.password);
  const stolen = await api.post(`/api/user/invitations/${inv.invitation.id}/accept`, undefined, { headers: bearer(os.access_token) });
  assertError(assert, stolen, 404, 'NOT_FOUND');
  assert.equal(memberCount(org.id, u.email), 0);
  const ok = await api.post(`/api/user/invitations/${inv.invitation.id}/accept`, undefined, { headers: bearer(s.access_token) });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { org_id: org.id, org_name: org.name, role: 'manager' });
  assert.equal(memberCount(org.id, u.email), 1);
  const again = await api.post(`/api/user/invitations/${inv.invitation.id}/accept`, undefined, { headers: bearer(s.access_token) });
  assertError(assert, again, 404, 'NOT_FOUND');
  const orgs = await api.get('/api/user/orgs', { headers: bearer(s.access_token) });
  assert.deepEqual(orgs.json.data.map((o) => [o.id, o.role]), [[org.id, 'manager']]);
  const after = await api.get(invitationsPath(org.id), { headers: admin.headers });
  assert.equal(after.json.total, 0, 'an accepted invitation is no longer open');
});

test('a new user accepts through the link: name + password, a session, a member; the link works once', async () => {
  const { org, admin } = await orgWithAdmin();
  const email = `${uniqueName('newbie')}@example.test`;
  await invite(admin, org.id, email, 'agent');
  const token = linkToken(await waitForMail(email), 'invite');
  recordSecret(token);
  const peek = await api.post('/api/auth/invitation', { token });
  assert.equal(peek.status, 200, peek.text);
  assert.equal(peek.json.email, email);
  assert.equal(peek.json.org_name, org.name);
  assert.equal(peek.json.account_exists, false);
  const bad = await api.post('/api/auth/invitation/accept', { token, full_name: 'New Person', password: 'short' });
  assertError(assert, bad, 400, 'BAD_REQUEST');
  assert.equal(bad.json.details.field, 'password');
  const password = `pw-${uniqueName('x')}`;
  recordSecret(password);
  const res = await api.post('/api/auth/invitation/accept', { token, full_name: 'New Person', password });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.user.email, email);
  assert.equal(memberCount(org.id, email), 1);
  const me = await api.get('/api/user/orgs', { headers: bearer(res.json.access_token) });
  assert.deepEqual(me.json.data.map((o) => [o.id, o.role]), [[org.id, 'agent']]);
  await login(email, password);
  const reuse = await api.post('/api/auth/invitation/accept', { token, full_name: 'New Person', password });
  assertError(assert, reuse, 404, 'NOT_FOUND');
  assertError(assert, await api.post('/api/auth/invitation', { token }), 404, 'NOT_FOUND');
});

test('the link of an e-mail that has an account cannot create a second one (409: sign in)', async () => {
  const { org, admin } = await orgWithAdmin();
  const u = await createUser();
  await invite(admin, org.id, u.email);
  const token = linkToken(await waitForMail(u.email), 'invite');
  recordSecret(token);
  const peek = await api.post('/api/auth/invitation', { token });
  assert.equal(peek.json.account_exists, true);
  const res = await api.post('/api/auth/invitation/accept', { token, full_name: 'Someone', password: 'long-enough-pw' });
  assertError(assert, res, 409, 'CONFLICT');
  assert.equal(memberCount(org.id, u.email), 0);
});

test('expired: the link and the accept stop working; resend gives a new link and kills the old one', async () => {
  const { org, admin } = await orgWithAdmin();
  const email = `${uniqueName('late')}@example.test`;
  const inv = await invite(admin, org.id, email);
  const first = linkToken(await waitForMail(email, 1), 'invite');
  recordSecret(first);
  sql(`UPDATE org_invitations SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = '${inv.invitation.id}'`);
  assertError(assert, await api.post('/api/auth/invitation', { token: first }), 404, 'NOT_FOUND');
  const listed = await api.get(invitationsPath(org.id), { headers: admin.headers });
  assert.deepEqual(listed.json.data.map((i) => [i.id, i.status]), [[inv.invitation.id, 'expired']]);
  const re = await api.post(`${invitationsPath(org.id)}/${inv.invitation.id}/resend`, undefined, { headers: admin.headers });
  assert.equal(re.status, 200, re.text);
  assert.equal(re.json.invitation.status, 'pending');
  assert.deepEqual(re.json.mail, { sent: true });
  const second = linkToken(await waitForMail(email, 2), 'invite');
  recordSecret(second);
  assert.notEqual(second, first);
  assertError(assert, await api.post('/api/auth/invitation', { token: first }), 404, 'NOT_FOUND');
  const ok = await api.post('/api/auth/invitation', { token: second });
  assert.equal(ok.status, 200, ok.text);
});

test('revoke: the link stops working, the list drops it, a second revoke or resend is 404; other orgs cannot touch it', async () => {
  const { org, admin } = await orgWithAdmin();
  const { org: otherOrg, admin: otherAdmin } = await orgWithAdmin();
  const email = `${uniqueName('revoked')}@example.test`;
  const inv = await invite(admin, org.id, email);
  const token = linkToken(await waitForMail(email), 'invite');
  recordSecret(token);
  const foreign = await api.del(`${invitationsPath(otherOrg.id)}/${inv.invitation.id}`, { headers: otherAdmin.headers });
  assertError(assert, foreign, 404, 'NOT_FOUND');
  assert.equal(foreign.json.details.resource, 'invitation');
  const del = await api.del(`${invitationsPath(org.id)}/${inv.invitation.id}`, { headers: admin.headers });
  assert.equal(del.status, 200, del.text);
  assertError(assert, await api.post('/api/auth/invitation', { token }), 404, 'NOT_FOUND');
  assertError(assert, await api.post('/api/auth/invitation/accept', { token, full_name: 'X Y', password: 'long-enough-pw' }), 404, 'NOT_FOUND');
  assert.equal((await api.get(invitationsPath(org.id), { headers: admin.headers })).json.total, 0);
  assertError(assert, await api.del(`${invitationsPath(org.id)}/${inv.invitation.id}`, { headers: admin.headers }), 404, 'NOT_FOUND');
  assertError(assert, await api.post(`${invitationsPath(org.id)}/${inv.invitation.id}/resend`, undefined, { headers: admin.headers }), 404, 'NOT_FOUND');
  const types = (await api.get(`/api/orgs/${org.id}/activity`, { headers: admin.headers })).json.data.map((e) => e.type);
  assert.ok(types.includes('member_invited') && types.includes('invitation_revoked'), types.join(','));
});

test('a failed send keeps the invitation usable and says why; resend delivers once the MTA is back', async () => {
  const { org, admin } = await orgWithAdmin();
  const email = `${uniqueName('nomail')}@example.test`;
  stack('mta-stop');
  let res;
  try {
    res = await api.post(membersPath(org.id), { email, role: 'agent' }, { headers: admin.headers });
  } finally {
    stack('mta-start');
  }
  assert.equal(res.status, 202, res.text);
  assert.deepEqual(res.json.mail, { sent: false, reason: 'mail server unreachable' });
  assert.equal(res.json.invite_url, undefined, 'a link is shown only when no mail is configured');
  assert.equal(messagesTo(email).length, 0);
  const re = await api.post(`${invitationsPath(org.id)}/${res.json.invitation.id}/resend`, undefined, { headers: admin.headers });
  assert.deepEqual(re.json.mail, { sent: true });
  const token = linkToken(await waitForMail(email), 'invite');
  recordSecret(token);
  assert.equal((await api.post('/api/auth/invitation', { token })).status, 200);
});

test('platform admins keep the seed 004 contract (201 member, 400 unknown user)', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const u = await createUser();
  const res = await api.post(membersPath(org.id), { email: u.email, role: 'agent' }, { headers });
  assert.equal(res.status, 201, res.text);
  const unknown = await api.post(membersPath(org.id), { email: `${uniqueName('nobody')}@example.test`, role: 'agent' }, { headers });
  assertError(assert, unknown, 400, 'BAD_REQUEST');
});

test("the activity feed shows a user's sign-ins only to orgs they belong to", async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const admin = await userWithRole(org.id, 'org_admin');
  const u = await createUser({ fullName: `Leaver ${uniqueName('u')}` });
  const m = await addMember(headers, org.id, u.email, 'agent');
  await login(u.email, u.password);
  const logins = async () => (await api.get(`/api/orgs/${org.id}/activity?type=user_login`, { headers: admin.headers }))
    .json.data.filter((e) => e.user === sql(`SELECT full_name FROM users WHERE id = '${u.id}'`)[0][0]);
  assert.equal((await logins()).length, 1, 'a member\'s sign-in shows');
  const rm = await api.del(`${membersPath(org.id)}/${m.id}`, { headers });
  assert.equal(rm.status, 200, rm.text);
  await login(u.email, u.password);
  assert.equal((await logins()).length, 0, 'not after they left');
  const all = await api.get(`/api/orgs/${org.id}/activity`, { headers: admin.headers });
  assert.equal(all.json.data.filter((e) => e.type === 'user_login' && e.user?.startsWith('Leaver')).length, 0);
});

test('without smtp_url: the link is in the answer once (never in a list, never mailed) and works', async () => {
  const { org, admin } = await orgWithAdmin();
  const email = `${uniqueName('bylink')}@example.test`;
  let res;
  restartApi({ VS_SMTP_URL: '' }); // an empty VS_SMTP_URL overrides the file: no mail
  try {
    res = await api.post(membersPath(org.id), { email, role: 'agent' }, { headers: admin.headers });
  } finally {
    restartApi({});
  }
  assert.equal(res.status, 202, res.text);
  assert.deepEqual(res.json.mail, { sent: false, reason: 'mail is not configured' });
  const m = res.json.invite_url.match(/^https:\/\/127\.0\.0\.1:\d+\/#\/invite\?token=(vsi_[A-Za-z0-9_-]{43})$/);
  assert.ok(m, res.json.invite_url);
  recordSecret(m[1]);
  assert.equal(messagesTo(email).length, 0);
  const list = await api.get(invitationsPath(org.id), { headers: admin.headers });
  assert.ok(!list.text.includes(m[1]), 'never listed again');
  const ok = await api.post('/api/auth/invitation/accept', { token: m[1], full_name: 'Link Person', password: 'long-enough-pw' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(memberCount(org.id, email), 1);
});

test('smtps:// (TLS from the first byte) delivers; a server certificate that does not verify is refused, not bypassed', async () => {
  const { org, admin } = await orgWithAdmin();
  const smtps = `smtps://127.0.0.1:${process.env.VS_SMTPS_PORT ?? 18926}`;
  const viaTls = `${uniqueName('smtps')}@example.test`;
  const unverified = `${uniqueName('untrusted')}@example.test`;
  let a;
  let b;
  try {
    restartApi({ VS_SMTP_URL: smtps });
    a = await api.post(membersPath(org.id), { email: viaTls, role: 'agent' }, { headers: admin.headers });
    // the system CA store does not know the test MTA's self-signed certificate
    restartApi({ VS_SMTP_URL: smtps, VS_SMTP_CA_FILE: '/etc/ssl/certs/ca-certificates.crt' });
    b = await api.post(membersPath(org.id), { email: unverified, role: 'agent' }, { headers: admin.headers });
  } finally {
    restartApi({});
  }
  assert.equal(a.status, 202, a.text);
  assert.deepEqual(a.json.mail, { sent: true });
  recordSecret(linkToken(await waitForMail(viaTls), 'invite'));
  assert.equal(b.status, 202, b.text);
  assert.deepEqual(b.json.mail, { sent: false, reason: 'TLS with the mail server failed' });
  assert.equal(messagesTo(unverified).length, 0);
});
