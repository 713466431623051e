// views/reset.js — forgotten password. Without a token: ask for the e-mail
// (POST /api/auth/password-reset; the answer is the same whether or not the
// e-mail has an account). With the mailed link's token (#/reset?token=…):
// choose a new password (POST /api/auth/password-reset/complete), which signs
// out every session of the account.
import { h, field, formValues } from '../dom.js';
import { api } from '../api.js';
import { showFormError, clearFormError } from '../errors.js';

const LABELS = { email: 'E-mail', password: 'New password', token: 'Reset link' };

function card(title, ...children) {
  return h('div', { class: 'auth-page' },
    h('section', { class: 'auth-card', 'aria-labelledby': 'reset-title' },
      h('p', { class: 'auth-brand', 'aria-hidden': 'true' }, 'VictorySync'),
      h('h1', { id: 'reset-title', tabindex: '-1' }, title), ...children));
}

function form(fields, label, onSubmit) {
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, label);
  const f = h('form', { class: 'stack', novalidate: true }, ...fields, submit);
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormError(f);
    submit.disabled = true;
    try { await onSubmit(formValues(f), f); } catch (err) { showFormError(f, err, { fieldLabels: LABELS }); }
    submit.disabled = false;
  });
  return f;
}

export default {
  render(root, ctx) {
    const token = ctx.query.token;
    const box = h('div');
    if (!token) {
      const f = form([field({ label: LABELS.email, name: 'email', type: 'email', autocomplete: 'username', required: true })],
        'Send reset link', async ({ email }) => {
          await api.post('/api/auth/password-reset', { email }, { auth: false });
          box.replaceChildren(h('div', { class: 'alert alert-info', role: 'status' },
            'If an account has this e-mail, a reset link is on its way. It works once, for one hour.'));
        });
      root.append(card('Reset your password', h('p', null, 'Enter the e-mail of your account and we will send you a link.'), box, f,
        h('p', null, h('a', { href: '#/login' }, 'Back to sign in'))));
      f.elements.email.focus();
      return;
    }
    const f = form([field({ label: LABELS.password, name: 'password', type: 'password', autocomplete: 'new-password', required: true,
      hint: 'At least 8 characters. Every device signed in to your account will be signed out.' })],
    'Set new password', async ({ password }, el) => {
      await api.post('/api/auth/password-reset/complete', { token, password }, { auth: false });
      el.remove();
      box.replaceChildren(h('div', { class: 'alert alert-success', role: 'status' }, 'Your password was changed. Sign in with the new password.'),
        h('p', null, h('a', { href: '#/login' }, 'Sign in')));
    });
    root.append(card('Choose a new password', box, f));
    f.elements.password.focus();
  },
};
