// views/extensions.js — the org's MightyCall extensions, the agents who
// handle calls (GET /api/orgs/:orgId/extensions), with the member each one is
// linked to and an open invitation for it. An org admin invites the person
// behind an unlinked extension ("Invite this agent": POST
// /api/admin/orgs/:orgId/members with extension_id → an invitation carrying
// the extension); once they accept they are linked to it, so numbers can be
// assigned to them and their agent status shows. A platform admin adds an
// existing account at once instead (the same request answers 201). Someone
// already a member is linked with "Link a member" (PUT
// …/extensions/:extensionId/member), and "Unlink" undoes a link.
import { h, button } from '../dom.js';
import { api, getPage, getAll, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { selectFilter } from '../components/filters.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, badge, confirmDialog } from '../components/page.js';
import { showInvitationIssued, ROLES, ROLE_HINT } from '../components/invitation-issued.js';
import { toast } from '../notify.js';
import { describe } from '../errors.js';
import { humanize } from '../format.js';

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const canInvite = session.atLeast('org_admin') || session.isPlatformAdmin();
    const inviting = !session.isPlatformAdmin();
    const reveal = h('div', { class: 'reveal-slot' });
    const label = (e) => `extension ${e.extension ?? '—'}${e.display_name ? ` (${e.display_name})` : ''}`;

    const invite = async (e, refresh) => {
      const r = await formDialog({
        title: inviting ? 'Invite this agent' : 'Add this agent',
        submitLabel: inviting ? 'Send invitation' : 'Add member',
        intro: inviting
          ? `We e-mail them a link. When they accept it they become a member, linked to ${label(e)}, so numbers can be assigned to them and their status shows.`
          : `The person needs a VictorySync account with this email address. They are linked to ${label(e)} at once.`,
        fields: [
          { label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off', value: e.email ?? '' },
          { label: 'Role', name: 'role', type: 'select', options: ROLES, value: 'agent', hint: ROLE_HINT },
        ],
        onSubmit: (v) => api.post(`/api/admin/orgs/${org.id}/members`, { ...v, extension_id: e.id }),
      });
      if (!r) return;
      if (r.invitation) showInvitationIssued(r, reveal); else toast(`${r.email ?? 'Member'} added and linked.`, 'success');
      refresh();
    };

    const memberPath = (e) => orgPath(org.id, `/extensions/${e.id}/member`);
    const link = async (e, refresh) => {
      let list;
      try { list = await getAll(`/api/admin/orgs/${org.id}/members`, {}, { signal: ctx.signal }); } catch (err) { toast(describe(err), 'error'); return; }
      const r = await formDialog({
        title: 'Link a member',
        submitLabel: 'Link',
        intro: `The member answers calls on ${label(e)}: numbers can be assigned to them and their status shows.`,
        fields: [{ label: 'Member', name: 'user_id', type: 'select', required: true,
          options: [{ value: '', label: 'Choose a member…' }, ...list.map((m) => ({ value: m.user_id, label: `${m.full_name || m.email} (${session.roleLabel(m.role)})` }))] }],
        onSubmit: (v) => api.put(memberPath(e), { user_id: v.user_id }),
      });
      if (!r) return;
      toast(`${label(e)} linked to ${r.user_name ?? 'the member'}.`, 'success');
      refresh();
    };
    const unlink = async (e, refresh) => {
      if (!(await confirmDialog({ title: 'Unlink member', message: `Unlink ${e.user_name || 'the member'} from ${label(e)}?`, confirmLabel: 'Unlink' }))) return;
      try { await api.put(memberPath(e), { user_id: null }); toast(`${label(e)} unlinked.`, 'success'); refresh(); } catch (err) { toast(describe(err), 'error'); }
    };

    const member = (e) => {
      if (e.user_id) return e.user_name || e.user_id;
      if (e.invited_email) return badge(`Invited: ${e.invited_email}`, 'info');
      return '—';
    };
    const t = dataTable({
      caption: 'Extensions',
      csvName: 'extensions',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [selectFilter('status', 'Status', ['active', 'inactive'])],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/extensions'), q, { signal }),
      empty: 'No extensions yet. A manager can import them on the Sync page.',
      columns: [
        { key: 'extension', label: 'Extension', render: (e) => e.extension ?? '—' },
        { key: 'display_name', label: 'Name', render: (e) => e.display_name || '—' },
        { key: 'email', label: 'MightyCall e-mail', render: (e) => e.email || '—' },
        { key: 'status', label: 'Status', render: (e) => badge(humanize(e.status), e.status === 'active' ? 'ok' : 'neutral') },
        { key: 'user_name', label: 'Member', render: member, csv: (e) => e.user_name ?? (e.invited_email ? `invited: ${e.invited_email}` : '') },
      ],
      actions: canInvite ? (e, { refresh }) => (e.user_id
        ? [button('Unlink', () => unlink(e, refresh), { class: 'btn btn-small', ariaLabel: `Unlink the member of ${label(e)}` })]
        : [button(e.invited_email ? 'Invite again' : (inviting ? 'Invite this agent' : 'Add this agent'), () => invite(e, refresh),
          { class: 'btn btn-small', ariaLabel: `${inviting ? 'Invite' : 'Add'} the agent of ${label(e)}` }),
        button('Link a member', () => link(e, refresh), { class: 'btn btn-small', ariaLabel: `Link a member to ${label(e)}` })]) : undefined,
    });
    root.append(pageHeader('Extensions', { subtitle: org.name }), reveal, t.el);
  },
};
