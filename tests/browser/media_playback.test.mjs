// media_playback.test.mjs — playback in place, in Debian's chromium at
// 1280×800 and at phone size (390×844): Play on a low row of Recordings plays
// in the player stuck to the viewport (not one off screen above the table),
// from a blob: URL of the API's audio route (no MightyCall URI in the page);
// calls with a recording have Play; playing an unread voicemail marks it read
// (the row and the API agree), and Mark unread undoes it. The org's rows are
// written directly (recordings/calls/voicemails pointing at files the
// simulator really serves), so the test does not depend on a sync.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SIM_URL, api, sql, useSourceAddress } from '../api/lib.mjs';
import * as fx from '../api/fixtures.mjs';
import { simAll, simClient } from '../api/sync_helpers.mjs';
import { closeAll, goto, login, newMember, newPage, shot, tableReady } from './browser_lib.mjs';

useSourceAddress('127.0.0.214');

const BUSINESS = '+12125550142';
const ROWS = 40;
let user, org, headers, simRec, simVm;
const vmIds = [];

const q = (v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);

before(async () => {
  const c = await simClient();
  const since = new Date(Date.now() - 30 * 86400000).toISOString();
  simRec = (await simAll(c, '/calls', 'calls', since)).find((x) => x.callRecord)?.callRecord.uri;
  simVm = (await simAll(c, '/voicemails', 'voicemails', since)).find((x) => x.voicemailRecord?.uri)?.voicemailRecord.uri;
  assert.ok(simRec && simVm, 'the simulator serves a recording and a voicemail');

  const admin = await fx.platformAdmin();
  org = await fx.newOrg(admin.headers, { name: fx.uniqueName('Media') });
  user = await newMember(admin.headers, org.id, 'org_admin', { fullName: 'Mia Media', prefix: 'mia' });
  headers = (await fx.userWithRole(org.id, 'agent')).headers;

  const calls = [];
  const recs = [];
  for (let i = 0; i < ROWS; i++) {
    const callId = randomUUID();
    const customer = `+1310555${String(1000 + i)}`;
    const out = i % 2 === 1;
    calls.push(`(${q(callId)}, ${q(org.id)}, ${q(`mc-${i}`)}, ${q(BUSINESS)}, ${q(out ? 'outbound' : 'inbound')}, 'connected',
      ${q(out ? BUSINESS : customer)}, ${q(out ? customer : BUSINESS)}, ${q(`Agent ${i}`)}, NOW(3) - INTERVAL ${i + 1} HOUR, 30, ${q(simRec)})`);
    recs.push(`(${q(randomUUID())}, ${q(org.id)}, ${q(`mc-${i}`)}, ${q(callId)}, ${q(BUSINESS)}, ${q(out ? BUSINESS : customer)},
      ${q(out ? 'outbound' : 'inbound')}, '101', 30, ${q(simRec)}, NOW(3) - INTERVAL ${i + 1} HOUR)`);
  }
  sql(`INSERT INTO calls (id, org_id, external_id, business_number, direction, status, caller_number, called_number, agent_name,
         started_at, duration_seconds, recording_url) VALUES ${calls.join(',')}`);
  sql(`INSERT INTO recordings (id, org_id, external_id, call_id, business_number, caller_number, direction, extension,
         duration_seconds, url, recorded_at) VALUES ${recs.join(',')}`);
  for (let i = 0; i < 3; i++) {
    const id = randomUUID();
    vmIds.push(id);
    sql(`INSERT INTO voicemails (id, org_id, external_id, from_number, to_number, status, duration_seconds, recording_url, received_at)
         VALUES (${q(id)}, ${q(org.id)}, ${q(`vm-${i}`)}, '+1310555200${i}', ${q(BUSINESS)}, 'unread', 12, ${q(simVm)}, NOW(3) - INTERVAL ${i + 1} HOUR)`);
  }
});

after(closeAll);

/** The player is shown, playing (or done), from a blob: URL, and wholly inside the viewport. */
async function assertPlayingInView(page, label) {
  await page.waitForFunction(() => ['playing', 'ended'].includes(document.querySelector('.player:not([hidden])')?.dataset.state), null, { timeout: 30_000 });
  const g = await page.evaluate(() => {
    const el = document.querySelector('.player:not([hidden])');
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: innerHeight, w: innerWidth, src: el.querySelector('audio').src };
  });
  assert.ok(g.top >= 0 && g.bottom <= g.h + 0.5 && g.left >= 0 && g.right <= g.w + 0.5, `${label}: player in the viewport ${JSON.stringify(g)}`);
  assert.match(g.src, /^blob:/, `${label}: played from the API's bytes`);
  assert.ok(!(await page.content()).includes(SIM_URL), `${label}: no upstream URI in the page`);
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`${name}: Play on a low row of Recordings, on Calls, and a voicemail marked read`, async () => {
    const { page, errors } = await newPage({ viewport, ...(name === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
    await login(page, user.email, user.password);

    // recordings: row 30 of 40
    await goto(page, '#/recordings');
    assert.equal(await tableReady(page), ROWS);
    const rows = page.locator('main table.data-table tbody tr');
    const low = rows.nth(29);
    const customer = (await low.locator('td').nth(2).textContent()).trim();
    await low.getByRole('button', { name: /^Play recording/ }).click();
    await assertPlayingInView(page, `${name} recordings row 30`);
    assert.match(await page.locator('.player-caption').textContent(), /^Now playing: recording of/);
    assert.ok(!customer.replace(/\D/g, '').endsWith('2125550142'), `Other party is the customer, not the business number (${customer})`);
    // the page scrolled to the row; the player did not need scrolling to
    assert.ok(await page.evaluate(() => scrollY) > 0, 'the low row is below the first screen');
    await shot(page, `media-recordings-${name}`, false);

    // calls: Play on a call with a recording
    await goto(page, '#/calls');
    await tableReady(page);
    await rows.nth(25).getByRole('button', { name: /^Play recording of the call/ }).click();
    await assertPlayingInView(page, `${name} calls`);

    // voicemails: playing an unread one marks it read; Mark unread undoes it
    await goto(page, '#/voicemails');
    assert.equal(await tableReady(page), 3);
    const vmRow = page.locator(`main table.data-table tbody tr[data-id="${vmIds[0]}"]`);
    const status = async () => (await api.get(`/api/orgs/${org.id}/voicemails`, { headers })).json.data.find((v) => v.id === vmIds[0]).status;
    assert.equal(await status(), 'unread');
    await vmRow.getByRole('button', { name: /^Play voicemail/ }).click();
    await assertPlayingInView(page, `${name} voicemails`);
    await vmRow.getByRole('button', { name: / unread$/ }).waitFor({ timeout: 30_000 });
    assert.equal(await status(), 'read');
    assert.match(await vmRow.textContent(), /Read/);
    await vmRow.getByRole('button', { name: / unread$/ }).click();
    await vmRow.getByRole('button', { name: / read$/ }).waitFor({ timeout: 30_000 });
    assert.equal(await status(), 'unread');

    assert.deepEqual(errors, [], 'no console errors');
  });
}
