// notify.js — short confirmations and background failures for everyone
// (a polite live region), dismissed after a few seconds or by the user.
import { h } from './dom.js';

export function toast(message, kind = 'info', ms = 6000) {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: `toast toast-${kind}` },
    h('span', null, message),
    h('button', { type: 'button', class: 'btn-close', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  region.append(item);
  if (ms) setTimeout(() => item.remove(), ms);
}
