// views/invitations.js — the signed-in user's open invitations
// (GET /api/user/invitations); accepting one (POST …/:id/accept) makes them a
// member of that organisation and switches to it.
import { h, button } from '../dom.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { pageHeader } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime } from '../format.js';

export default {
  async render(root, ctx) {
    const res = await api.get('/api/user/invitations', undefined, { signal: ctx.signal });
    const list = res.data ?? [];
    const accept = async (inv, btn) => {
      btn.disabled = true;
      try {
        const joined = await api.post(`/api/user/invitations/${inv.id}/accept`, {});
        await session.loadContext();
        session.setOrg(joined.org_id);
        toast(`You joined ${joined.org_name}.`, 'success', 6000, { next: true }); // shown on the overview it opens
        ctx.enter();
      } catch (err) {
        toast(describe(err), 'error');
        btn.disabled = false;
      }
    };
    root.append(pageHeader('Invitations', { subtitle: 'Organisations that invited you' }),
      list.length === 0
        ? h('section', { class: 'panel' }, h('p', null, 'You have no open invitations.'))
        : h('ul', { class: 'invitation-list stack' }, list.map((inv) => {
          const btn = button('Accept', () => accept(inv, btn), { class: 'btn btn-primary', ariaLabel: `Accept the invitation to ${inv.org_name}` });
          return h('li', { class: 'panel' },
            h('p', null, h('strong', null, inv.org_name), ` — ${session.roleLabel(inv.role)}`),
            h('p', { class: 'muted' }, `${inv.invited_by ? `Invited by ${inv.invited_by}. ` : ''}Valid until ${dateTime(inv.expires_at)}.`),
            btn);
        })));
  },
};
