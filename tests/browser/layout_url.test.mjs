// layout_url.test.mjs — filters and paging live in the address (issue 18,
// item 9): applying a filter or turning a page is a step in the browser's
// history, so Back undoes it (the filter form, the address and the rows go
// back together) and a shared link with filters opens the list filtered, at
// 1280×800 and 390×844. Real chromium, calls from the simulator through the
// real vs-sync binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, useSourceAddress } from '../api/lib.mjs';
import { closeAll, signedInPage, goto, tableReady, orgWithAdmin, syncOrg, BASE, DESKTOP, PHONE } from './browser_lib.mjs';

useSourceAddress('127.0.0.188');

let org;
let user;
let all;     // total calls
let missed;  // total missed calls
const consoleErrors = [];

before(async () => {
  ({ org, user } = await orgWithAdmin({ resetSimulator: true, name: 'Layout Url', timezone: 'UTC' }));
  await syncOrg(org.id, 'calls');
  all = (await api.get(`/api/orgs/${org.id}/calls?limit=1`, { headers: user.headers })).json.total;
  missed = (await api.get(`/api/orgs/${org.id}/calls?type=missed&limit=1`, { headers: user.headers })).json.total;
  assert.ok(all > 50 && missed > 0 && missed < all, `calls to filter: ${missed} missed of ${all}`);
});

after(closeAll);

const signedInAt = async (viewport) => (await signedInPage(user, { viewport }, consoleErrors)).page;

const hash = (page) => page.evaluate(() => location.hash);

for (const [name, viewport] of [['1280×800', DESKTOP], ['390×844', PHONE]]) {
  test(`Back undoes a filter and then a page turn (${name})`, async () => {
    const page = await signedInAt(viewport);
    await goto(page, '#/overview');
    await goto(page, '#/calls');
    assert.equal(await tableReady(page), all);
    // a filter
    const toggle = page.locator('main .filter-toggle');
    if (await toggle.isVisible()) await toggle.click();
    await page.getByLabel('Type').selectOption('missed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(() => /type=missed/.test(location.hash));
    await page.locator(`main table.data-table[data-state="ready"][data-total="${missed}"]`).waitFor();
    // a page turn
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForFunction(() => /skip=50/.test(location.hash));
    await tableReady(page);
    assert.match(await page.locator('main .page-info').textContent(), /^Page 2 /);
    // Back: page 1 of the missed calls
    await page.goBack();
    await page.waitForFunction(() => location.hash.startsWith('#/calls') && !/skip=/.test(location.hash));
    await page.locator(`main table.data-table[data-state="ready"][data-total="${missed}"]`).waitFor();
    assert.equal(await page.getByLabel('Type').inputValue(), 'missed');
    assert.match(await page.locator('main .page-info').textContent(), /^Page 1 /);
    // Back: all calls, the form cleared
    await page.goBack();
    await page.waitForFunction(() => location.hash === '#/calls');
    await page.locator(`main table.data-table[data-state="ready"][data-total="${all}"]`).waitFor();
    assert.equal(await page.getByLabel('Type').inputValue(), '');
    // Back once more leaves the page
    await page.goBack();
    await page.waitForFunction(() => location.hash.startsWith('#/overview'));
    // Forward comes back to the filter
    await page.goForward();
    await page.goForward();
    await page.waitForFunction(() => /type=missed/.test(location.hash));
    await page.locator(`main table.data-table[data-state="ready"][data-total="${missed}"]`).waitFor();
    assert.deepEqual(consoleErrors, []);
  });

  test(`a shared link with filters and a page opens the list filtered (${name})`, async () => {
    const page = await signedInAt(viewport);
    await page.goto(`${BASE}/#/calls?type=missed&skip=25&limit=25`);
    await page.locator(`main table.data-table[data-state="ready"][data-total="${missed}"]`).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByLabel('Type').inputValue(), 'missed');
    assert.match(await page.locator('main .page-info').textContent(), /^Page 2 /);
    assert.equal(await page.locator('main .data-table tbody tr').count(), Math.min(25, missed - 25));
    assert.match(await hash(page), /type=missed/);
    // on a phone the folded toggle says a filter is set
    if (viewport === PHONE) assert.equal((await page.locator('main .filter-toggle').textContent()).trim(), 'Filters (1)');
    assert.deepEqual(consoleErrors, []);
  });
}
