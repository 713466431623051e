// views/sms-numbers.js — the org's SMS numbers (seed 003's first step), for
// org admins: list (GET /api/orgs/:orgId/sms/numbers), add or edit one
// (POST …/sms/numbers: label, default, the MightyCall user key of the
// number's owner — set or replaced here, never shown back: the page only
// says whether one is set), remove a key (mightycall_key: null), delete a
// number (DELETE …/sms/numbers/:id).
import { h, button } from '../dom.js';
import { api, getPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, badge, confirmDialog } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime, phone } from '../format.js';

const DEFAULT_OPTIONS = [{ value: 'no', label: 'No' }, { value: 'yes', label: 'Yes — send from this number by default' }];

function fields(n) {
  return [
    n ? null : { name: 'phone_number', label: 'Phone number', type: 'tel', required: true, placeholder: '+12028681663', autocomplete: 'off' },
    { name: 'label', label: 'Label', value: n?.label ?? '', maxlength: 200, placeholder: 'Main phone' },
    { name: 'is_default', label: 'Default number', type: 'select', value: n?.is_default ? 'yes' : 'no', options: DEFAULT_OPTIONS },
    {
      name: 'mightycall_key', label: n?.has_mightycall_key ? 'Replace the MightyCall user key' : 'MightyCall user key', type: 'password',
      autocomplete: 'new-password', maxlength: 500,
      hint: n?.has_mightycall_key ? 'A key is set; it is never shown. Leave empty to keep it.' : 'The user key of the MightyCall user who owns this number (optional). It is stored encrypted and never shown again.',
    },
  ].filter(Boolean);
}

function body(v, n) {
  const b = { phone_number: n ? n.phone_number : v.phone_number, label: v.label ?? '' };
  // is_default: false on the default is refused (make another number the default)
  if (v.is_default === 'yes') b.is_default = true;
  if (v.mightycall_key) b.mightycall_key = v.mightycall_key;
  return b;
}

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    let table;
    const add = async () => {
      const saved = await formDialog({ title: 'Add an SMS number', submitLabel: 'Add number', fields: fields(null), onSubmit: (v) => api.post(orgPath(org.id, '/sms/numbers'), body(v, null)) });
      if (saved) { toast(`${phone(saved.phone_number)} added.`, 'success'); table.refresh(); }
    };
    const edit = async (n, refresh) => {
      const saved = await formDialog({ title: `Edit ${phone(n.phone_number)}`, submitLabel: 'Save', fields: fields(n), onSubmit: (v) => api.post(orgPath(org.id, '/sms/numbers'), body(v, n)) });
      if (saved) { toast(`${phone(n.phone_number)} saved.`, 'success'); refresh(); }
    };
    const removeKey = async (n, refresh) => {
      if (!(await confirmDialog({ title: 'Remove the key', message: `Remove the MightyCall key of ${phone(n.phone_number)}? Messages from it are then sent with the integration's own key.`, confirmLabel: 'Remove key' }))) return;
      try {
        await api.post(orgPath(org.id, '/sms/numbers'), { phone_number: n.phone_number, mightycall_key: null });
        toast('Key removed.', 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };
    const remove = async (n, refresh) => {
      if (!(await confirmDialog({ title: 'Delete SMS number', message: `Delete ${phone(n.phone_number)} from the SMS numbers? Its messages stay.`, confirmLabel: 'Delete' }))) return;
      try {
        await api.del(orgPath(org.id, `/sms/numbers/${n.id}`));
        toast('Number deleted.', 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };
    table = dataTable({
      caption: 'SMS numbers',
      csvName: false,
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/sms/numbers'), q, { signal }),
      empty: 'No SMS numbers yet. Add the numbers your team texts from.',
      toolbar: button('Add number', add, { class: 'btn btn-primary' }),
      columns: [
        { key: 'phone_number', label: 'Number', render: (n) => phone(n.phone_number) },
        { key: 'label', label: 'Label', render: (n) => n.label || '—' },
        { key: 'is_default', label: 'Default', render: (n) => (n.is_default ? badge('Default', 'ok') : '—') },
        { key: 'has_mightycall_key', label: 'MightyCall key', render: (n) => (n.has_mightycall_key ? badge('Set', 'info') : 'Not set') },
        { key: 'key_updated_at', label: 'Key changed', render: (n) => dateTime(n.key_updated_at) },
      ],
      actions: (n, { refresh }) => [
        button('Edit', () => edit(n, refresh), { class: 'btn btn-small', ariaLabel: `Edit ${phone(n.phone_number)}` }),
        n.has_mightycall_key ? button('Remove key', () => removeKey(n, refresh), { class: 'btn btn-small', ariaLabel: `Remove the key of ${phone(n.phone_number)}` }) : null,
        button('Delete', () => remove(n, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Delete ${phone(n.phone_number)}` }),
      ],
    });
    root.append(pageHeader('SMS numbers', { subtitle: org.name }), h('p', { class: 'muted' }, 'The numbers messages are sent from, and the MightyCall key each uses.'), table.el);
  },
};
