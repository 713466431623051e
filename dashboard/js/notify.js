// notify.js — short confirmations and background failures for everyone
// (a polite live region), dismissed after a few seconds or by the user. A
// notice belongs to the page it was shown on: leaving that page for another
// section (not another filter, not a conversation of the same Messages page)
// clears it (clearToasts, called by the shell). A notice about the page the
// user is sent to next ("You joined …" before the overview opens) says so with
// {next: true}: it survives that one change of page.
// Where notices sit (never over the page's actions) is app.css's .toasts.
import { h } from './dom.js';

export function toast(message, kind = 'info', ms = 6000, { next = false } = {}) {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: `toast toast-${kind}`, dataset: next ? { next: '1' } : {} },
    h('span', null, message),
    h('button', { type: 'button', class: 'btn-close', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  region.append(item);
  if (ms) setTimeout(() => item.remove(), ms);
}

/** Remove the notices of the page the user left (one marked "next" stays, for this page only). */
export function clearToasts() {
  for (const item of document.querySelectorAll('#toasts .toast')) {
    if (item.dataset.next) delete item.dataset.next; else item.remove();
  }
}

/** The section of an address: "…#/calls?x=1" → "/calls", "#/messages/42" → "/messages", "#/admin/members" → "/admin/members". */
export function pageOf(url) {
  const path = (String(url).split('#')[1] ?? '').split('?')[0] || '/';
  const parts = path.split('/');
  return parts.slice(0, parts[1] === 'admin' || parts[1] === 'platform' ? 3 : 2).join('/');
}
