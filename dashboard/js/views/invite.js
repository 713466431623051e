// views/invite.js — the page an invitation link opens (#/invite?token=…; the
// token rides in the fragment, so no server logs it). It shows what the link
// invites to (POST /api/auth/invitation). A person who already has an account
// signs in and accepts from their invitations; a new person sets a name and a
// password here (POST /api/auth/invitation/accept) and is signed in.
import { h, field, formValues } from '../dom.js';
import { api, isSignedIn, setAuth } from '../api.js';
import * as session from '../session.js';
import { showFormError, clearFormError, describe } from '../errors.js';
import { dateTime } from '../format.js';

const LABELS = { full_name: 'Your name', password: 'Password', token: 'Invitation link' };

function card(...children) {
  return h('div', { class: 'auth-page' },
    h('section', { class: 'auth-card', 'aria-labelledby': 'invite-title' },
      h('p', { class: 'auth-brand', 'aria-hidden': 'true' }, 'VictorySync'), ...children));
}

export default {
  async render(root, ctx) {
    const token = ctx.query.token ?? '';
    let inv;
    try {
      inv = await api.post('/api/auth/invitation', { token }, { auth: false, signal: ctx.signal });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      root.append(card(h('h1', { id: 'invite-title', tabindex: '-1' }, 'Invitation not valid'),
        h('div', { class: 'alert alert-error', role: 'alert' },
          err?.status === 404 ? 'This invitation link was already used, revoked or has expired. Ask the organisation admin to send a new one.' : describe(err)),
        h('p', null, h('a', { href: '#/login' }, 'Go to sign in'))));
      return;
    }
    const intro = h('p', { class: 'invite-summary' }, 'You are invited to join ', h('strong', null, inv.org_name), ` as ${session.roleLabel(inv.role)}.`,
      h('br'), `Invitation for ${inv.email}, valid until ${dateTime(inv.expires_at)}.`);
    if (inv.account_exists) {
      const go = () => {
        if (isSignedIn() && session.loaded()) { ctx.navigate('/invitations'); return; }
        sessionStorage.setItem('vs.after-login', '#/invitations');
        ctx.navigate('/login');
      };
      root.append(card(h('h1', { id: 'invite-title', tabindex: '-1' }, 'Accept your invitation'), intro,
        h('p', null, 'You already have an account with this e-mail. Sign in, then accept the invitation.'),
        h('button', { type: 'button', class: 'btn btn-primary btn-block', onclick: go },
          isSignedIn() && session.loaded() ? 'Go to your invitations' : 'Sign in to accept')));
      return;
    }
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Create account and join');
    const form = h('form', { class: 'stack', novalidate: true },
      field({ label: 'E-mail', name: 'email', type: 'email', value: inv.email, disabled: true }),
      field({ label: LABELS.full_name, name: 'full_name', required: true, autocomplete: 'name', maxlength: 200 }),
      field({ label: LABELS.password, name: 'password', type: 'password', required: true, autocomplete: 'new-password',
        hint: 'At least 8 characters.' }),
      submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form);
      const { full_name: fullName, password } = formValues(form);
      if (!fullName || !password) {
        showFormError(form, { status: 400, details: { field: fullName ? 'password' : 'full_name', reason: 'required' } }, { fieldLabels: LABELS });
        return;
      }
      submit.disabled = true;
      try {
        const res = await api.post('/api/auth/invitation/accept', { token, full_name: fullName, password }, { auth: false });
        setAuth(res);
        await session.loadContext();
        ctx.enter();
      } catch (err) {
        showFormError(form, err, { fieldLabels: LABELS });
        submit.disabled = false;
      }
    });
    root.append(card(h('h1', { id: 'invite-title', tabindex: '-1' }, 'Join ', inv.org_name), intro, form));
    form.elements.full_name.focus();
  },
};
