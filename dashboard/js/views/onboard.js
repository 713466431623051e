// views/onboard.js — a signed-in user without any organisation creates their
// first one (POST /api/user/onboard) and becomes its org admin.
import { h, field, formValues } from '../dom.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { showFormError, clearFormError } from '../errors.js';
import { pageHeader } from '../components/page.js';

export default {
  render(root, ctx) {
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create organisation');
    const form = h('form', { class: 'stack narrow' },
      field({ label: 'Organisation name', name: 'org_name', required: true, maxlength: 200, autocomplete: 'organization',
        hint: 'Usually your company name. You can change it later.' }),
      submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form);
      const { org_name: name } = formValues(form);
      if (!name) { showFormError(form, { status: 400, details: { field: 'org_name', reason: 'enter a name' } }, { fieldLabels: { org_name: 'Organisation name' } }); return; }
      submit.disabled = true;
      try {
        const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        await api.post('/api/user/onboard', timezone ? { org_name: name, timezone } : { org_name: name });
        await session.loadContext();
        ctx.enter();
      } catch (err) {
        showFormError(form, err, { fieldLabels: { org_name: 'Organisation name' } });
        submit.disabled = false;
      }
    });
    const p = session.profile();
    root.append(
      pageHeader('Create your organisation', { subtitle: `Welcome${p?.full_name ? `, ${p.full_name}` : ''}. You are not a member of any organisation yet.` }),
      h('section', { class: 'panel' },
        h('p', null, 'Create one to connect your MightyCall account and invite your team. If a colleague already uses VictorySync, ask their organisation admin to invite you instead, then accept it under ',
          h('a', { href: '#/invitations' }, 'Invitations'), '.'),
        form));
  },
};
