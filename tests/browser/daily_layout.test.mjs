// daily_layout.test.mjs — navigation and focus (issue 18, layout item, the
// parts done so far): an unknown address gets a "Page not found" page (not a
// silent jump to the overview), at 1280×800 and at phone size 390×844 without
// sideways scrolling; "#/" still opens the overview; the keyboard focus
// outline has a contrast of at least 3:1 against what surrounds it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSourceAddress } from '../api/lib.mjs';
import { closeAll, signedInPage, orgWithAdmin, BASE, DESKTOP, PHONE } from './browser_lib.mjs';

useSourceAddress('127.0.0.185');

let user;
const consoleErrors = [];

before(async () => {
  ({ user } = await orgWithAdmin({ name: 'Daily Layout' }));
});

after(closeAll);

const signedInAt = async (viewport) => (await signedInPage(user, { viewport }, consoleErrors)).page;

for (const [name, viewport] of [['1280×800', DESKTOP], ['390×844', PHONE]]) {
  test(`an unknown address shows "Page not found" (${name})`, async () => {
    const page = await signedInAt(viewport);
    await page.goto(`${BASE}/#/no-such-page?x=1`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#/no-such-page?x=1', 'the address stays as typed');
    assert.match(await page.locator('[data-not-found]').textContent(), /#\/no-such-page/);
    assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // the bare address still opens the overview
    await page.goto(`${BASE}/#/`);
    await page.waitForURL(/#\/overview/);
    assert.deepEqual(consoleErrors, []);
  });
}

test('the keyboard focus outline contrasts at least 3:1 with its surroundings', async () => {
  const page = await signedInAt(DESKTOP);
  // a link of the side navigation and a button in the page, reached by keyboard
  const ratios = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || !el.matches(':focus-visible') || el.getAttribute('tabindex') === '-1') return null;
      const cs = getComputedStyle(el);
      if (cs.outlineStyle === 'none' || parseFloat(cs.outlineWidth) < 2) return { tag: el.tagName, none: true, what: `${el.type} ${el.name} ${el.id} ${el.getAttribute('tabindex')} ${cs.outlineStyle} ${cs.outlineWidth}` };
      const rgb = (s) => s.match(/[\d.]+/g).slice(0, 4).map(Number);
      const lum = ([r, g, b]) => {
        const f = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      // what the outline is drawn on: the nearest ancestor's opaque background
      let p = el.parentElement;
      let bg = [255, 255, 255];
      for (; p; p = p.parentElement) {
        const c = rgb(getComputedStyle(p).backgroundColor);
        if (c.length < 4 || c[3] > 0) { bg = c; break; }
      }
      const a = lum(rgb(cs.outlineColor)), b = lum(bg);
      return { tag: el.tagName, text: el.textContent.trim().slice(0, 30), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
    if (r) ratios.push(r);
  }
  assert.ok(ratios.length >= 5, `focus reached elements: ${JSON.stringify(ratios)}`);
  for (const r of ratios) {
    assert.ok(!r.none, `${r.tag} has a visible focus outline: ${r.what}`);
    assert.ok(r.ratio >= 3, `${r.tag} "${r.text}": outline contrast ${r.ratio.toFixed(2)}:1`);
  }
});
