// errors.js — API and network failures in plain words, and the one place a
// form shows them (next to the field the server named, plus a summary).
import { h } from './dom.js';

function sentence(s) {
  const t = String(s ?? '').trim();
  if (!t) return '';
  const c = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(c) ? c : `${c}.`;
}

/** A human sentence for any error (ApiError, TypeError, string). */
export function describe(err, { fieldLabels = {} } = {}) {
  if (!err) return 'Something went wrong.';
  if (typeof err === 'string') return sentence(err);
  if (err.name === 'AbortError') return 'Cancelled.';
  const d = err.details ?? {};
  switch (err.status) {
    case 0:
      return err.code === 'NETWORK'
        ? 'Cannot reach VictorySync. Check your connection and try again.'
        : sentence(err.message);
    case 400:
      if (d.field) {
        const label = fieldLabels[d.field] ?? d.field.replace(/_/g, ' ');
        return `Please check “${label}”: ${d.reason ?? 'this value is not accepted'}.`;
      }
      return sentence(err.message) || 'The request was not accepted. Please check the form.';
    case 401:
      return err.path === '/api/auth/login'
        ? sentence(err.message) || 'Wrong email or password.'
        : 'Your session has ended. Please sign in again.';
    case 403:
      return `You do not have permission to do that${err.message && err.message !== 'Forbidden' ? ` (${err.message})` : ''}.`;
    case 404:
      return 'Not found. It may have been deleted, or you may not have access to it.';
    case 409:
      return sentence(err.message) || 'That conflicts with something that already exists.';
    case 413:
      return 'That is too large to send.';
    case 429: {
      const s = Number(err.retryAfter);
      return `Too many requests. Please wait ${s > 0 ? `${s} second${s === 1 ? '' : 's'}` : 'a moment'} and try again.`;
    }
    case 502:
      return sentence(err.message) || 'A service VictorySync depends on did not answer. Please try again later.';
    case 503:
      return 'VictorySync is temporarily unavailable. Please try again in a moment.';
    default:
      if (err.status >= 500) return 'Something went wrong on our side. Please try again; if it keeps happening, contact support.';
      return sentence(err.message) || 'Something went wrong.';
  }
}

/** An alert box for a failure. */
export function errorBox(err, opts) {
  return h('div', { class: 'alert alert-error', role: 'alert' }, describe(err, opts));
}

/** Show err in a form: summary at the top, the named field marked invalid. */
export function showFormError(form, err, opts = {}) {
  clearFormError(form);
  let summary = form.querySelector('.form-error');
  if (!summary) {
    summary = h('div', { class: 'alert alert-error form-error', role: 'alert' });
    form.prepend(summary);
  }
  summary.hidden = false;
  summary.textContent = describe(err, opts);
  const name = err?.details?.field;
  const input = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const msg = document.getElementById(`${input.id}-error`);
    if (msg) {
      msg.textContent = err.details.reason ? sentence(err.details.reason) : describe(err, opts);
      msg.hidden = false;
    }
    input.focus();
  } else {
    summary.tabIndex = -1;
    summary.focus();
  }
}

export function clearFormError(form) {
  const summary = form.querySelector('.form-error');
  if (summary) { summary.hidden = true; summary.textContent = ''; }
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
}
