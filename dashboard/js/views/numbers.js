// views/numbers.js — the org's phone numbers (GET /api/orgs/:orgId/phone-numbers);
// managers assign a number to a member or unassign it
// (POST / DELETE /api/orgs/:orgId/phone-numbers/:phoneId/assign).
import { h, button } from '../dom.js';
import { api, getPage, getAll, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { selectFilter } from '../components/filters.js';
import { pageHeader, badge, confirmDialog } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime, phone, number, humanize } from '../format.js';

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const canAssign = session.atLeast('manager');
    let members = null;
    const loadMembers = async () => {
      members ??= await getAll(`/api/admin/orgs/${org.id}/members`, {}, { signal: ctx.signal });
      return members;
    };

    async function assign(row, refresh) {
      let list;
      try { list = await loadMembers(); } catch (err) { toast(describe(err), 'error'); return; }
      const sel = h('select', { id: 'assign-user', name: 'user_id', required: true },
        h('option', { value: '' }, 'Choose a member…'),
        list.map((m) => h('option', { value: m.user_id, selected: m.user_id === row.assigned_to_user_id }, `${m.full_name || m.email} (${session.roleLabel(m.role)})`)));
      const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
      const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'assign-title' },
        h('form', { method: 'dialog' },
          h('h2', { id: 'assign-title' }, `Assign ${phone(row.number)}`),
          h('div', { class: 'field' }, h('label', { for: 'assign-user' }, 'Member'), sel),
          err,
          h('div', { class: 'dialog-actions' },
            h('button', { type: 'submit', value: 'cancel', class: 'btn', formnovalidate: true }, 'Cancel'),
            h('button', { type: 'submit', value: 'ok', class: 'btn btn-primary' }, 'Assign'))));
      dlg.querySelector('form').addEventListener('submit', async (e) => {
        if (e.submitter?.value !== 'ok') return;
        e.preventDefault();
        if (!sel.value) { err.hidden = false; err.textContent = 'Choose a member.'; sel.focus(); return; }
        try {
          await api.post(orgPath(org.id, `/phone-numbers/${row.id}/assign`), { user_id: sel.value });
          dlg.close('done');
          toast(`${phone(row.number)} assigned.`, 'success');
          refresh();
        } catch (e2) { err.hidden = false; err.textContent = describe(e2); }
      });
      dlg.addEventListener('close', () => dlg.remove());
      document.body.append(dlg);
      dlg.showModal();
      sel.focus();
    }

    async function unassign(row, refresh) {
      const ok = await confirmDialog({ title: 'Unassign number', message: `Unassign ${phone(row.number)} from ${row.assigned_to_name ?? 'its member'}?`, confirmLabel: 'Unassign' });
      if (!ok) return;
      try {
        await api.del(orgPath(org.id, `/phone-numbers/${row.id}/assign`));
        toast(`${phone(row.number)} unassigned.`, 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    }

    const t = dataTable({
      caption: 'Phone numbers',
      csvName: 'phone-numbers',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [selectFilter('status', 'Status', ['active', 'inactive', 'unassigned'])],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/phone-numbers'), q, { signal }),
      empty: 'No phone numbers yet. A manager can import them on the Sync page.',
      columns: [
        { key: 'number', label: 'Number', render: (r) => phone(r.number) },
        { key: 'label', label: 'Label', render: (r) => r.label || '—' },
        { key: 'status', label: 'Status', render: (r) => badge(humanize(r.status), r.status === 'active' ? 'ok' : 'neutral') },
        { key: 'sms_enabled', label: 'Texting', render: (r) => (r.sms_enabled ? 'Yes' : 'No'), csv: (r) => (r.sms_enabled ? 'yes' : 'no') },
        { key: 'assigned_to_name', label: 'Assigned to', render: (r) => r.assigned_to_name || (r.assigned_to_user_id ? r.assigned_to_user_id : '—') },
        { key: 'call_count', label: 'Calls', render: (r) => number(r.call_count), className: 'num' },
        { key: 'last_call_at', label: 'Last call', render: (r) => dateTime(r.last_call_at) },
      ],
      actions: canAssign ? (r, { refresh }) => [
        button(r.assigned_to_user_id ? 'Reassign' : 'Assign', () => assign(r, refresh), { class: 'btn btn-small', ariaLabel: `${r.assigned_to_user_id ? 'Reassign' : 'Assign'} ${phone(r.number)}` }),
        r.assigned_to_user_id ? button('Unassign', () => unassign(r, refresh), { class: 'btn btn-small', ariaLabel: `Unassign ${phone(r.number)}` }) : null,
      ] : undefined,
    });
    root.append(pageHeader('Phone numbers', { subtitle: org.name }), t.el);
  },
};
