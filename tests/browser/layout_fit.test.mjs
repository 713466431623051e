// layout_fit.test.mjs — layout (issue 18, item 9): at 1280×800 the list
// tables fit without sideways scrolling inside them and phone numbers stay on
// one line; dialogs fit an 800 px (and a 560 px) high window (their body scrolls, their
// buttons stay in sight); at phone size (390×844) the filter panel is folded
// behind a toggle and a call row is compact; a notice never covers the Send
// button and does not carry over to the next page. Real chromium, data from
// the simulator through the real vs-sync binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSourceAddress } from '../api/lib.mjs';
import { closeAll, signedInPage, goto, tableReady, orgWithAdmin, syncOrg, DESKTOP, PHONE } from './browser_lib.mjs';

useSourceAddress('127.0.0.187');

let user;
const consoleErrors = [];

before(async () => {
  let org;
  ({ org, user } = await orgWithAdmin({ resetSimulator: true, name: 'Layout Fit', timezone: 'America/Chicago' }));
  for (const type of ['phone_numbers', 'extensions', 'calls', 'recordings', 'voicemails', 'sms', 'contacts']) {
    await syncOrg(org.id, type);
  }
});

after(closeAll);

const signedInAt = async (viewport) => (await signedInPage(user, { viewport }, consoleErrors)).page;

/** Widths of the page's table box and its table, the page's own width, and phone numbers that take more than one line. */
function measure(page) {
  return page.evaluate(() => {
    const wrap = document.querySelector('main .table-wrap');
    const wrapped = [...document.querySelectorAll('main .data-table .phone')]
      .filter((el) => el.getClientRects().length > 1 || el.getBoundingClientRect().height > parseFloat(getComputedStyle(el).lineHeight) * 1.5)
      .map((el) => el.textContent);
    return {
      scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth,
      pageScroll: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
      phones: document.querySelectorAll('main .data-table .phone').length, wrapped,
      headers: [...document.querySelectorAll('main .data-table thead th')].filter((th) => th.offsetParent).map((th) => th.textContent),
    };
  });
}

const LIST_PAGES = ['/calls', '/recordings', '/voicemails', '/sms', '/contacts', '/numbers', '/sync', '/webhook-events',
  '/admin/members', '/admin/integrations', '/admin/api-keys', '/admin/sms-numbers'];

test('at 1280×800 every list table fits without sideways scrolling and phone numbers stay on one line', async () => {
  const page = await signedInAt(DESKTOP);
  for (const path of LIST_PAGES) {
    await goto(page, `#${path}`);
    const total = await tableReady(page);
    const m = await measure(page);
    assert.ok(m.scrollWidth <= m.clientWidth, `${path}: the table is ${m.scrollWidth} px wide in a ${m.clientWidth} px box (${m.headers.join(' | ')})`);
    assert.ok(m.pageScroll <= m.innerWidth, `${path}: the page scrolls sideways (${m.pageScroll} > ${m.innerWidth})`);
    assert.deepEqual(m.wrapped, [], `${path}: phone numbers on one line`);
    if (['/calls', '/sms', '/numbers'].includes(path)) assert.ok(total > 0 && m.phones > 0, `${path}: rows with phone numbers to check (${total} rows)`);
  }
  // the calls table keeps its Status column in sight
  await goto(page, '#/calls');
  await tableReady(page);
  const status = await page.locator('main .data-table thead th', { hasText: 'Status' }).boundingBox();
  const box = await page.locator('main .table-wrap').boundingBox();
  assert.ok(status && status.x + status.width <= box.x + box.width + 0.5, `Status column inside the table box: ${JSON.stringify({ status, box })}`);
  assert.deepEqual(consoleErrors, []);
});

for (const viewport of [DESKTOP, { width: 1280, height: 560 }]) {
  test(`the contact dialog fits a ${viewport.height} px high window: its buttons are in sight and its body scrolls`, async () => {
    const page = await signedInAt(viewport);
    await goto(page, '#/contacts');
    await tableReady(page);
    await page.getByRole('button', { name: 'Add contact' }).click();
    const dlg = page.locator('dialog[open]');
    await dlg.waitFor();
    const d = await dlg.boundingBox();
    assert.ok(d.y >= 0 && d.y + d.height <= viewport.height, `the dialog inside the window: ${JSON.stringify(d)}`);
    for (const name of ['Add contact', 'Cancel']) {
      const btn = dlg.getByRole('button', { name, exact: true });
      const b = await btn.boundingBox();
      assert.ok(b && b.y >= 0 && b.y + b.height <= viewport.height, `${name} button inside the window: ${JSON.stringify(b)}`);
      // in sight, not scrolled away inside the dialog: it is what the window shows at its centre
      const onTop = await btn.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return el === at || el.contains(at);
      });
      assert.equal(onTop, true, `${name} button is visible without scrolling`);
    }
    // the last field can be reached by scrolling the dialog's body
    const last = dlg.locator('input, select, textarea').last();
    await last.scrollIntoViewIfNeeded();
    const lb = await last.boundingBox();
    assert.ok(lb.y >= 0 && lb.y + lb.height <= viewport.height, `the last field scrolls into sight: ${JSON.stringify(lb)}`);
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'detached' });
    assert.deepEqual(consoleErrors, []);
  });
}

test('at 390×844 the filters are folded behind a toggle and a call row is compact', async () => {
  const page = await signedInAt(PHONE);
  await goto(page, '#/calls');
  await tableReady(page);
  const toggle = page.locator('main .filter-toggle');
  assert.equal(await toggle.isVisible(), true, 'the Filters toggle is shown');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('main form.filters').isVisible(), false, 'the filter form is folded');
  const firstRow = await page.locator('main .data-table tbody tr').first().boundingBox();
  assert.ok(firstRow.y < 844, `the first call row starts on the first screen (y ${firstRow.y})`);
  const heights = await page.locator('main .data-table tbody tr').evaluateAll((rows) => rows.slice(0, 10).map((r) => r.getBoundingClientRect().height));
  for (const hgt of heights) assert.ok(hgt <= 160, `a call row is ${hgt} px high (compact: at most 160)`);
  const mean = heights.reduce((a, b) => a + b, 0) / heights.length;
  assert.ok(mean <= 130, `call rows are ${mean.toFixed(0)} px high on average (compact: at most 130)`);
  const m = await measure(page);
  assert.ok(m.pageScroll <= m.innerWidth, `no sideways scrolling (${m.pageScroll} > ${m.innerWidth})`);
  assert.deepEqual(m.wrapped, [], 'phone numbers on one line');
  // the toggle opens the form, applying a filter folds it again and counts it
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.getByLabel('Type').selectOption('missed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => /type=missed/.test(location.hash));
  await tableReady(page);
  assert.equal(await page.locator('main form.filters').isVisible(), false, 'folded after applying');
  assert.equal((await toggle.textContent()).trim(), 'Filters (1)');
  assert.deepEqual(consoleErrors, []);
});

for (const [name, viewport] of [['1280×800', DESKTOP], ['390×844', PHONE]]) {
  test(`a notice does not cover the Send button and does not carry over to the next page (${name})`, async () => {
    const page = await signedInAt(viewport);
    await goto(page, '#/messages?to=%2B12125550123');
    const send = page.getByRole('button', { name: 'Send message' });
    await send.waitFor();
    await send.scrollIntoViewIfNeeded();
    // the same notice the page shows after sending
    await page.evaluate(async () => { (await import('/js/notify.js')).toast('Message sent.', 'success'); });
    const notice = page.locator('#toasts .toast');
    await notice.waitFor();
    const a = await notice.boundingBox();
    const b = await send.boundingBox();
    const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    assert.equal(overlap, false, `notice ${JSON.stringify(a)} and Send ${JSON.stringify(b)} do not overlap`);
    // another page: the notice is gone
    await goto(page, '#/calls');
    await tableReady(page);
    assert.equal(await page.locator('#toasts .toast').count(), 0, 'no notice from the Messages page');
    assert.deepEqual(consoleErrors, []);
  });
}
