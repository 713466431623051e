// views/login.js — sign in with email and password (POST /api/auth/login).
import { h, field, formValues } from '../dom.js';
import * as session from '../session.js';
import { showFormError, clearFormError } from '../errors.js';

export default {
  render(root, ctx) {
    const notice = ctx.takeLoginNotice();
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
    const form = h('form', { class: 'stack', novalidate: true },
      field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
      field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form);
      const { email, password } = formValues(form);
      if (!email || !password) {
        showFormError(form, { status: 400, details: { field: email ? 'password' : 'email', reason: 'required' } },
          { fieldLabels: { email: 'Email', password: 'Password' } });
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Signing in…';
      try {
        await session.signIn(email, password);
        ctx.enter();
      } catch (err) {
        if (err?.status === 401 || err?.status === 400) {
          showFormError(form, { status: 0, message: 'Wrong email or password.' });
          form.elements.password.value = '';
          form.elements.password.focus();
        } else if (err?.status === 429) {
          showFormError(form, { status: 0, message: `Too many sign-in attempts. Please wait ${err.retryAfter ? `${err.retryAfter} seconds` : 'a minute'} and try again.` });
        } else {
          showFormError(form, err);
        }
        submit.disabled = false;
        submit.textContent = 'Sign in';
      }
    });
    root.append(h('div', { class: 'auth-page' },
      h('section', { class: 'auth-card', 'aria-labelledby': 'login-title' },
        h('p', { class: 'auth-brand', 'aria-hidden': 'true' }, 'VictorySync'),
        h('h1', { id: 'login-title', tabindex: '-1' }, 'Sign in'),
        notice ? h('div', { class: `alert alert-${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status' }, notice.text) : null,
        form,
        h('p', { class: 'auth-links' }, h('a', { href: '#/reset' }, 'Forgot your password?')))));
    form.elements.email.focus();
  },
};
