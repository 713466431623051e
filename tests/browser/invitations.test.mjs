// invitations.test.mjs — issue 16 items 2–3 through the browser (Debian
// chromium via playwright-core, against the running stack, like
// dashboard.test.mjs): an org admin invites from the Members page, the mail
// goes out through the stack's MTA and its link is read back from the
// Maildir; a new person accepts through the link (name + password) and lands
// in the org; an existing user signs in and accepts from Invitations; a
// revoked and an expired link show "not valid"; the forgotten-password page
// resets by the mailed link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, useSourceAddress } from '../api/lib.mjs';
import * as fx from '../api/fixtures.mjs';
import { linkToken, waitForMail } from '../api/mailbox.mjs';
import { recordSecret } from '../api/secret_log.mjs';
import { BASE, closeAll, newPage, newUser, orgWithAdmin, shot, signedInPage, signIn } from './browser_lib.mjs';

useSourceAddress('127.0.0.64');

const PASSWORD = 'Invite-test-pass-42';
const consoleErrors = [];
let org;
let adminUser; // the org admin (not a platform admin): POST members invites

/** A browser page whose console errors go to consoleErrors, but for the refused requests a step expects (status 4xx). */
const browser = async (allowed) => (await newPage({}, consoleErrors, allowed)).page;

/** The org admin invites email from the Members page; returns the mailed link token. */
async function inviteFromMembersPage(p, email, role = 'Agent') {
  await p.evaluate(() => { location.hash = '#/admin/members'; });
  await p.getByRole('button', { name: 'Invite member' }).click();
  const dlg = p.getByRole('dialog');
  await dlg.getByLabel('Email').fill(email);
  await dlg.getByLabel('Role').selectOption({ label: role });
  await dlg.getByRole('button', { name: 'Send invitation' }).click();
  await p.getByText(`Invitation sent to ${email}.`).waitFor();
  await p.getByRole('cell', { name: email }).waitFor();
  const token = linkToken(await waitForMail(email), 'invite');
  recordSecret(token);
  return token;
}

let adminPage;

before(async () => {
  ({ org, user: adminUser } = await orgWithAdmin({ name: 'Invite Org', fullName: 'Olga Orgadmin', password: PASSWORD, simulator: false }));
  ({ page: adminPage } = await signedInPage(adminUser, {}, consoleErrors));
});

after(closeAll);

test('a new person accepts through the mailed link: name + password, then they are in the org', async () => {
  const email = `${fx.uniqueName('newcomer').toLowerCase()}@example.test`;
  const token = await inviteFromMembersPage(adminPage, email, 'Manager');
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE email = '${email}'`)[0][0], '0', 'nobody is created by inviting');
  const p = await browser(/status of 404/); // the second visit of the used link below
  await p.goto(`${BASE}/#/invite?token=${token}`);
  await p.getByRole('heading', { name: `Join ${org.name}` }).waitFor();
  await p.getByText(`Invitation for ${email}`).waitFor();
  await shot(p, 'invite-new-user');
  await shot(adminPage, 'members-invitations');
  await p.getByLabel('Your name').fill('Nina Newcomer');
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Create account and join' }).click();
  await p.waitForURL(/#\/overview/);
  await p.locator('#user-name', { hasText: 'Nina Newcomer' }).waitFor();
  assert.deepEqual(sql(`SELECT m.role FROM org_members m JOIN users u ON u.id = m.user_id
    WHERE m.org_id = '${org.id}' AND u.email = '${email}'`), [['manager']]);
  // the link worked once
  await p.goto(`${BASE}/#/invite?token=${token}`);
  await p.getByRole('heading', { name: 'Invitation not valid' }).waitFor();
});

test('an existing user signs in from the link and accepts under Invitations', async () => {
  const u = await newUser({ fullName: 'Erin Existing', password: PASSWORD, prefix: 'erin' });
  const token = await inviteFromMembersPage(adminPage, u.email);
  const p = await browser();
  await p.goto(`${BASE}/#/invite?token=${token}`);
  await p.getByText('You already have an account with this e-mail.').waitFor();
  await p.getByRole('button', { name: 'Sign in to accept' }).click();
  await p.waitForURL(/#\/login/);
  await signIn(p, u.email, PASSWORD);
  await p.waitForURL(/#\/invitations/);
  await p.getByRole('button', { name: `Accept the invitation to ${org.name}` }).waitFor();
  await shot(p, 'invitations');
  assert.equal(sql(`SELECT COUNT(*) FROM org_members WHERE org_id = '${org.id}' AND user_id = '${u.id}'`)[0][0], '0',
    'not a member before accepting');
  await p.getByRole('button', { name: `Accept the invitation to ${org.name}` }).click();
  await p.waitForURL(/#\/overview/);
  await p.getByText(`You joined ${org.name}.`).waitFor();
  assert.equal(sql(`SELECT role FROM org_members WHERE org_id = '${org.id}' AND user_id = '${u.id}'`)[0][0], 'agent');
});

test('revoked and expired links are refused in the browser', async () => {
  const revokedEmail = `${fx.uniqueName('rex').toLowerCase()}@example.test`;
  const revoked = await inviteFromMembersPage(adminPage, revokedEmail);
  await adminPage.getByRole('button', { name: `Revoke the invitation of ${revokedEmail}` }).click();
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await adminPage.getByText('Invitation revoked.').waitFor();
  const expiredEmail = `${fx.uniqueName('exa').toLowerCase()}@example.test`;
  const expired = await inviteFromMembersPage(adminPage, expiredEmail);
  sql(`UPDATE org_invitations SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE email = '${expiredEmail}'`);
  const p = await browser(/status of 404/);
  for (const token of [revoked, expired]) {
    await p.goto(`${BASE}/#/invite?token=${token}`);
    await p.getByRole('heading', { name: 'Invitation not valid' }).waitFor();
    await p.getByText('already used, revoked or has expired').waitFor();
    await shot(p, 'invite-not-valid');
    await p.goto(`${BASE}/#/login`);
  }
  // the admin sees the expired one as such and can resend it
  await adminPage.evaluate(() => { location.hash = '#/overview'; });
  await adminPage.evaluate(() => { location.hash = '#/admin/members'; });
  await adminPage.getByRole('row', { name: new RegExp(`${expiredEmail}.*Expired`) }).waitFor();
  await adminPage.getByRole('button', { name: `Resend the invitation of ${expiredEmail}` }).click();
  await adminPage.getByText(`Invitation sent to ${expiredEmail}.`).waitFor();
  const fresh = linkToken(await waitForMail(expiredEmail, 2), 'invite');
  recordSecret(fresh);
  await p.goto(`${BASE}/#/invite?token=${fresh}`);
  await p.getByRole('heading', { name: `Join ${org.name}` }).waitFor();
});

test('forgotten password: the mailed link sets a new one; the old one stops working', async () => {
  const u = await newUser({ fullName: 'Fay Forgetful', password: PASSWORD, prefix: 'fay' });
  const p = await browser(/status of 401/);
  await p.goto(`${BASE}/#/login`);
  await p.getByRole('link', { name: 'Forgot your password?' }).click();
  await p.getByLabel('E-mail').fill(u.email);
  await p.getByRole('button', { name: 'Send reset link' }).click();
  await p.getByText('If an account has this e-mail, a reset link is on its way.').waitFor();
  const token = linkToken(await waitForMail(u.email), 'reset');
  recordSecret(token);
  await p.goto(`${BASE}/#/reset?token=${token}`);
  const next = `${PASSWORD}-new`;
  recordSecret(next);
  await p.getByLabel('New password', { exact: true }).fill(next);
  await p.getByRole('button', { name: 'Set new password' }).click();
  await p.getByText('Your password was changed.').waitFor();
  await shot(p, 'reset-done');
  await p.getByRole('link', { name: 'Sign in' }).click();
  await signIn(p, u.email, PASSWORD);
  await p.getByText('Wrong email or password.').waitFor();
  await p.getByLabel('Password').fill(next);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/#\/onboard/);
});

test('password change from the dashboard keeps this browser signed in', async () => {
  await adminPage.evaluate(() => { location.hash = '#/account/password'; });
  await adminPage.getByLabel('Current password').fill(PASSWORD);
  const next = `${PASSWORD}-changed`;
  recordSecret(next);
  await adminPage.getByLabel('New password', { exact: true }).fill(next);
  await adminPage.getByRole('button', { name: 'Change password' }).click();
  await adminPage.getByText('Password changed. Your other sessions were signed out.').waitFor();
  await shot(adminPage, 'change-password');
  await adminPage.evaluate(() => { location.hash = '#/admin/members'; });
  await adminPage.getByRole('cell', { name: adminUser.email }).waitFor();
});

test('no unexpected console errors', () => {
  assert.deepEqual(consoleErrors, []);
});
