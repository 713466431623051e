// views/contacts.js — contacts (CRUD /api/orgs/:orgId/contacts): search, add,
// edit, delete.
import { h, button } from '../dom.js';
import { api, getPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, confirmDialog } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { phone, dateTime } from '../format.js';

const contactName = (c) => c.display_name || [c.first_name, c.last_name].filter(Boolean).join(' ') || c.phone || c.email || '—';

function contactFields(c = {}) {
  return [
    { label: 'First name', name: 'first_name', value: c.first_name ?? '', maxlength: 200, autocomplete: 'off' },
    { label: 'Last name', name: 'last_name', value: c.last_name ?? '', maxlength: 200, autocomplete: 'off' },
    { label: 'Company', name: 'company', value: c.company ?? '', maxlength: 200, autocomplete: 'off', hint: 'Kept in VictorySync only: MightyCall contacts have no company.' },
    { label: 'Phone', name: 'phone', type: 'tel', value: c.phone ?? '', inputmode: 'tel', placeholder: '+12125551234', autocomplete: 'off' },
    { label: 'Email', name: 'email', type: 'email', value: c.email ?? '', autocomplete: 'off' },
    { label: 'Comment', name: 'comment', type: 'textarea', value: c.comment ?? '', maxlength: 2000 },
  ];
}

// "" clears a field; the etag makes an edit fail (409) instead of overwriting someone else's change
const body = (v, etag) => ({ ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x])), ...(etag ? { etag } : {}) });

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const canEdit = session.atLeast('manager');
    let table;
    const add = async () => {
      const created = await formDialog({
        title: 'Add contact', submitLabel: 'Add contact', fields: contactFields(),
        intro: 'Give at least a name, a phone or an email. The contact is also saved in MightyCall.',
        onSubmit: (v) => api.post(orgPath(org.id, '/contacts'), body(v)),
      });
      if (created) { toast(`${contactName(created)} added.`, 'success'); table.refresh(); }
    };
    const edit = async (c, refresh) => {
      const saved = await formDialog({
        title: `Edit ${contactName(c)}`, submitLabel: 'Save', fields: contactFields(c),
        onSubmit: (v) => api.put(orgPath(org.id, `/contacts/${c.id}`), body(v, c.etag)),
      });
      if (saved) { toast('Contact saved.', 'success'); refresh(); }
    };
    const remove = async (c, refresh) => {
      if (!(await confirmDialog({ title: 'Delete contact', message: `Delete ${contactName(c)}? It is also deleted in MightyCall. This cannot be undone.`, confirmLabel: 'Delete' }))) return;
      try {
        await api.del(orgPath(org.id, `/contacts/${c.id}`), c.etag ? { headers: { 'if-match': c.etag } } : {});
        toast('Contact deleted.', 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };

    table = dataTable({
      caption: 'Contacts',
      csvName: 'contacts',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [{ name: 'search', label: 'Search name, company, phone or email', type: 'search', autocomplete: 'off', maxlength: 100, placeholder: 'Name, company…', hint: 'The start of a first or last name, a company, an email, or a phone number.' }],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/contacts'), q, { signal }),
      empty: 'No contacts match.',
      toolbar: canEdit ? button('Add contact', add, { class: 'btn btn-primary' }) : null,
      columns: [
        { key: 'display_name', label: 'Name', render: contactName, csv: contactName },
        { key: 'company', label: 'Company', render: (r) => r.company || '—', className: 'col-text' },
        { key: 'phone', label: 'Phone', render: (r) => phone(r.phone) },
        { key: 'email', label: 'Email', render: (r) => r.email || '—' },
        { key: 'comment', label: 'Comment', render: (r) => r.comment || '—', className: 'col-text' },
        { key: 'updated_at', label: 'Updated', render: (r) => dateTime(r.upstream_updated_at ?? r.updated_at), csv: (r) => r.upstream_updated_at ?? r.updated_at },
      ],
      actions: (r, { refresh }) => [
        canEdit && button('Edit', () => edit(r, refresh), { class: 'btn btn-small', ariaLabel: `Edit ${contactName(r)}` }),
        canEdit && button('Delete', () => remove(r, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Delete ${contactName(r)}` }),
        r.phone ? h('a', { class: 'btn btn-small', href: `#/messages?to=${encodeURIComponent(r.phone)}`, 'aria-label': `Text ${contactName(r)}` }, 'Text') : null,
      ],
    });
    root.append(pageHeader('Contacts', { subtitle: org.name }), table.el);
  },
};
