// agents_people.test.mjs — issue 18 item 6 through the browser (Debian
// chromium via playwright-core, against the running stack, like
// invitations.test.mjs): an org admin opens Extensions, clicks "Invite this
// agent" on an extension row, the mail goes out through the stack's MTA and
// its link is read back from the Maildir; a new person accepts through the
// link and the extension row then shows them as its member. "Link a member"
// links an existing member (the admin) to another row, and "Unlink" undoes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, useSourceAddress } from '../api/lib.mjs';
import * as fx from '../api/fixtures.mjs';
import { linkToken, waitForMail } from '../api/mailbox.mjs';
import { recordSecret } from '../api/secret_log.mjs';
import { BASE, closeAll, newPage, orgWithAdmin, shot, signedInPage } from './browser_lib.mjs';

useSourceAddress('127.0.0.187');

const PASSWORD = 'Agents-test-pass-42';
const consoleErrors = [];
let org;
let adminPage;

before(async () => {
  let orgAdmin;
  ({ org, user: orgAdmin } = await orgWithAdmin({ name: 'Agents Org', fullName: 'Ada Orgadmin', password: PASSWORD, simulator: false }));
  ({ page: adminPage } = await signedInPage(orgAdmin, {}, consoleErrors));
});

after(closeAll);

test('"Invite this agent" on an extension row → mailed link → a new person accepts → the row shows them', async () => {
  const extId = randomUUID();
  sql(`INSERT INTO extensions (id, org_id, external_id, extension, display_name, status)
    VALUES ('${extId}', '${org.id}', '${randomUUID()}', '401', 'Agent Four', 'active')`);
  const email = `${fx.uniqueName('agent401').toLowerCase()}@example.test`;

  await adminPage.getByRole('link', { name: 'Extensions' }).click();
  await adminPage.waitForURL(/#\/extensions/);
  await adminPage.getByRole('button', { name: 'Invite the agent of extension 401 (Agent Four)' }).click();
  const dlg = adminPage.getByRole('dialog');
  await dlg.getByRole('heading', { name: 'Invite this agent' }).waitFor();
  await dlg.getByLabel('Email').fill(email);
  await dlg.getByRole('button', { name: 'Send invitation' }).click();
  await adminPage.getByText(`Invitation sent to ${email}.`).waitFor();
  await adminPage.getByRole('row', { name: new RegExp(`401.*Invited: ${email}`) }).waitFor();
  await shot(adminPage, 'extensions-invited');

  const token = linkToken(await waitForMail(email), 'invite');
  recordSecret(token);
  const { page: p } = await newPage({}, consoleErrors);
  await p.goto(`${BASE}/#/invite?token=${token}`);
  await p.getByRole('heading', { name: `Join ${org.name}` }).waitFor();
  await p.getByLabel('Your name').fill('Fiona Fouroone');
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Create account and join' }).click();
  await p.waitForURL(/#\/overview/);

  const userId = sql(`SELECT id FROM users WHERE email = '${email}'`)[0][0];
  assert.equal(sql(`SELECT user_id FROM extensions WHERE id = '${extId}'`)[0][0], userId);
  // the admin's Extensions page shows the new member on the row, with no invite button left
  await adminPage.evaluate(() => { location.hash = '#/overview'; });
  await adminPage.evaluate(() => { location.hash = '#/extensions'; });
  await adminPage.getByRole('row', { name: /401.*Fiona Fouroone/ }).waitFor();
  assert.equal(await adminPage.getByRole('button', { name: 'Invite the agent of extension 401 (Agent Four)' }).count(), 0);
  await shot(adminPage, 'extensions-linked');
  assert.deepEqual(consoleErrors, []);
});

test('"Link a member" links an existing member to an extension row; "Unlink" undoes it', async () => {
  const extId = randomUUID();
  sql(`INSERT INTO extensions (id, org_id, external_id, extension, display_name, status)
    VALUES ('${extId}', '${org.id}', '${randomUUID()}', '402', 'Agent Four-oh-two', 'active')`);
  // as a sync run does: the org's data version moves, so the page's tagged list is fetched anew
  sql(`INSERT INTO org_data_versions (org_id, version) VALUES ('${org.id}', 1) ON DUPLICATE KEY UPDATE version = version + 1`);
  await adminPage.evaluate(() => { location.hash = '#/overview'; });
  await adminPage.evaluate(() => { location.hash = '#/extensions'; });
  await adminPage.getByRole('button', { name: 'Link a member to extension 402 (Agent Four-oh-two)' }).click();
  const dlg = adminPage.getByRole('dialog');
  await dlg.getByLabel('Member').selectOption({ label: 'Ada Orgadmin (Org admin)' });
  await dlg.getByRole('button', { name: 'Link' }).click();
  await adminPage.getByRole('row', { name: /402.*Ada Orgadmin/ }).waitFor();
  assert.notEqual(sql(`SELECT user_id FROM extensions WHERE id = '${extId}'`)[0][0], 'NULL');
  await adminPage.getByRole('button', { name: 'Unlink the member of extension 402 (Agent Four-oh-two)' }).click();
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
  await adminPage.getByRole('button', { name: 'Link a member to extension 402 (Agent Four-oh-two)' }).waitFor();
  assert.equal(sql(`SELECT user_id FROM extensions WHERE id = '${extId}'`)[0][0], 'NULL');
  assert.deepEqual(consoleErrors, []);
});
