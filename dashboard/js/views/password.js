// views/password.js — change the signed-in user's password
// (POST /api/user/password). Every other session of the account is signed
// out; this browser continues with the new session of the answer.
import { h, field, formValues } from '../dom.js';
import { api, setAuth } from '../api.js';
import { showFormError, clearFormError } from '../errors.js';
import { pageHeader } from '../components/page.js';
import { toast } from '../notify.js';

const LABELS = { current_password: 'Current password', new_password: 'New password' };

export default {
  render(root) {
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Change password');
    const form = h('form', { class: 'stack narrow', novalidate: true },
      field({ label: LABELS.current_password, name: 'current_password', type: 'password', autocomplete: 'current-password', required: true }),
      field({ label: LABELS.new_password, name: 'new_password', type: 'password', autocomplete: 'new-password', required: true,
        hint: 'At least 8 characters.' }),
      submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form);
      const v = formValues(form);
      submit.disabled = true;
      try {
        setAuth(await api.post('/api/user/password', v));
        form.reset();
        toast('Password changed. Your other sessions were signed out.', 'success');
      } catch (err) {
        showFormError(form, err, { fieldLabels: LABELS });
      }
      submit.disabled = false;
    });
    root.append(pageHeader('Change password', { subtitle: 'Signs out every other device' }), h('section', { class: 'panel' }, form));
  },
};
