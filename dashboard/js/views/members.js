// views/members.js — members of the current org
// (GET/POST /api/admin/orgs/:orgId/members, DELETE …/members/:memberId).
import { button } from '../dom.js';
import { api, getPage } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, confirmDialog, badge } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime } from '../format.js';

const ROLES = [{ value: 'agent', label: 'Agent' }, { value: 'manager', label: 'Manager' }, { value: 'org_admin', label: 'Org admin' }];

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const base = `/api/admin/orgs/${org.id}/members`;
    let table;
    const add = async () => {
      const m = await formDialog({
        title: 'Add member', submitLabel: 'Add member',
        intro: 'The person needs a VictorySync account with this email address.',
        fields: [
          { label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off' },
          { label: 'Role', name: 'role', type: 'select', options: ROLES, value: 'agent',
            hint: 'Agents see call data; managers also run syncs and assign numbers; org admins manage members, integrations and API keys.' },
        ],
        onSubmit: (v) => api.post(base, v),
      });
      if (m) { toast(`${m.email ?? 'Member'} added.`, 'success'); table.refresh(); }
    };
    const remove = async (m, refresh) => {
      const self = m.user_id === session.profile()?.id;
      if (!(await confirmDialog({ title: 'Remove member', message: self ? 'Remove yourself from this organisation? You will lose access to it.' : `Remove ${m.full_name || m.email} from ${org.name}?`, confirmLabel: 'Remove' }))) return;
      try {
        await api.del(`${base}/${m.id}`);
        toast('Member removed.', 'success');
        if (self) { location.reload(); return; }
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };
    table = dataTable({
      caption: 'Members',
      csvName: 'members',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      fetchPage: (q, signal) => getPage(base, q, { signal }),
      toolbar: button('Add member', add, { class: 'btn btn-primary' }),
      empty: 'No members.',
      columns: [
        { key: 'full_name', label: 'Name', render: (m) => m.full_name || '—' },
        { key: 'email', label: 'Email' },
        { key: 'role', label: 'Role', render: (m) => badge(session.roleLabel(m.role), m.role === 'org_admin' ? 'info' : 'neutral') },
        { key: 'created_at', label: 'Member since', render: (m) => dateTime(m.created_at) },
      ],
      actions: (m, { refresh }) => button('Remove', () => remove(m, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Remove ${m.full_name || m.email}` }),
    });
    root.append(pageHeader('Members', { subtitle: org.name }), table.el);
  },
};
