// components/page.js — pieces every page shares: the heading (focused after
// navigation), a loading line, confirmations, copy-to-clipboard, badges.
import { h, button } from '../dom.js';
import { orgZone, zoneLabel } from '../format.js';

/** The page's heading; with an org, it says once which zone the page's times are in. */
export function pageHeader(title, { subtitle, actions } = {}) {
  return h('header', { class: 'page-header' },
    h('div', null,
      h('h1', { tabindex: '-1' }, title),
      subtitle ? h('p', { class: 'subtitle' }, subtitle) : null,
      orgZone() ? h('p', { class: 'tz-note', dataset: { tz: orgZone() } }, zoneLabel()) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/** A small status badge: completed / failed / running … */
export function badge(text, kind) {
  return h('span', { class: ['badge', kind ? `badge-${kind}` : null] }, text);
}

/**
 * Ask before doing something destructive. A modal <dialog> (focus trapped by
 * the browser, Escape cancels). Resolves true when confirmed.
 */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = true }) {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'dlg-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dlg-title' }, title),
        h('p', null, message),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'submit', value: 'cancel', class: 'btn' }, 'Cancel'),
          h('button', { type: 'submit', value: 'ok', class: ['btn', danger ? 'btn-danger' : 'btn-primary'] }, confirmLabel))));
    document.body.append(dlg);
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok'); dlg.remove(); });
    dlg.showModal();
    dlg.querySelector('button[value="cancel"]').focus();
  });
}

/** Copy text; falls back to selecting it when the clipboard is not available. */
export async function copyText(text, fallbackInput) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallbackInput) { fallbackInput.focus(); fallbackInput.select(); }
    try { return document.execCommand('copy'); } catch { return false; }
  }
}

/** A button that copies `getText()` and says so. */
export function copyButton(getText, label = 'Copy', fallbackInput) {
  const b = button(label, async () => {
    const ok = await copyText(getText(), fallbackInput);
    b.textContent = ok ? 'Copied' : 'Press Ctrl+C to copy';
    setTimeout(() => { b.textContent = label; }, 2500);
  }, { class: 'btn' });
  return b;
}
