// views/members.js — members of the current org
// (GET/POST /api/admin/orgs/:orgId/members, DELETE …/members/:memberId) and,
// for org admins, their open invitations (GET …/invitations, POST
// …/invitations/:id/resend, DELETE …/invitations/:id). A platform admin adds
// an existing user at once; an org admin invites: the person becomes a member
// when they accept. Without mail on the server the invitation link is shown
// here once, to be passed on by hand.
import { h, button } from '../dom.js';
import { api, getPage } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, confirmDialog, badge } from '../components/page.js';
import { showInvitationIssued, ROLES, ROLE_HINT } from '../components/invitation-issued.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime } from '../format.js';


export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const base = `/api/admin/orgs/${org.id}/members`;
    const invBase = `/api/admin/orgs/${org.id}/invitations`;
    const inviting = !session.isPlatformAdmin();
    const reveal = h('div', { class: 'reveal-slot' });
    let table;
    let invTable;

    const issued = (r) => showInvitationIssued(r, reveal);

    const add = async () => {
      const r = await formDialog({
        title: inviting ? 'Invite member' : 'Add member', submitLabel: inviting ? 'Send invitation' : 'Add member',
        intro: inviting
          ? 'We e-mail them a link. They become a member when they accept it (signing in, or creating their account). The link expires in 7 days.'
          : 'The person needs a VictorySync account with this email address.',
        fields: [
          { label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off' },
          { label: 'Role', name: 'role', type: 'select', options: ROLES, value: 'agent', hint: ROLE_HINT },
        ],
        onSubmit: (v) => api.post(base, v),
      });
      if (!r) return;
      if (r.invitation) { issued(r); invTable?.refresh(); } else { toast(`${r.email ?? 'Member'} added.`, 'success'); table.refresh(); }
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
    const resend = async (inv, refresh) => {
      try { issued(await api.post(`${invBase}/${inv.id}/resend`, {})); refresh(); } catch (err) { toast(describe(err), 'error'); }
    };
    const revoke = async (inv, refresh) => {
      if (!(await confirmDialog({ title: 'Revoke invitation', message: `Revoke the invitation of ${inv.email}? Its link stops working.`, confirmLabel: 'Revoke' }))) return;
      try { await api.del(`${invBase}/${inv.id}`); toast('Invitation revoked.', 'success'); refresh(); } catch (err) { toast(describe(err), 'error'); }
    };
    table = dataTable({
      caption: 'Members',
      csvName: 'members',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      fetchPage: (q, signal) => getPage(base, q, { signal }),
      toolbar: button(inviting ? 'Invite member' : 'Add member', add, { class: 'btn btn-primary' }),
      empty: 'No members.',
      columns: [
        { key: 'full_name', label: 'Name', render: (m) => m.full_name || '—' },
        { key: 'email', label: 'Email' },
        { key: 'role', label: 'Role', render: (m) => badge(session.roleLabel(m.role), m.role === 'org_admin' ? 'info' : 'neutral') },
        { key: 'created_at', label: 'Member since', render: (m) => dateTime(m.created_at) },
      ],
      actions: (m, { refresh }) => button('Remove', () => remove(m, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Remove ${m.full_name || m.email}` }),
    });
    root.append(pageHeader('Members', { subtitle: org.name }), reveal, table.el);
    if (session.atLeast('org_admin') || session.isPlatformAdmin()) {
      invTable = dataTable({
        caption: 'Open invitations',
        csvName: false,
        signal: ctx.signal,
        state: {},
        onState: () => {},
        fetchPage: (q, signal) => getPage(invBase, q, { signal }),
        empty: 'No open invitations.',
        columns: [
          { key: 'email', label: 'Email' },
          { key: 'role', label: 'Role', render: (i) => session.roleLabel(i.role) },
          { key: 'extension', label: 'Extension', render: (i) => i.extension ?? '—' },
          { key: 'status', label: 'Status', render: (i) => badge(i.status === 'expired' ? 'Expired' : 'Pending', i.status === 'expired' ? 'warn' : 'info') },
          { key: 'expires_at', label: 'Expires', render: (i) => dateTime(i.expires_at) },
        ],
        actions: (i, { refresh }) => h('span', { class: 'row-actions' },
          button('Resend', () => resend(i, refresh), { class: 'btn btn-small', ariaLabel: `Resend the invitation of ${i.email}` }),
          button('Revoke', () => revoke(i, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Revoke the invitation of ${i.email}` })),
      });
      root.append(h('h2', { class: 'section-title' }, 'Invitations'), invTable.el);
    }
  },
};
