// components/agent-status.js — "My status" in the header: the signed-in
// member's agent status in the current org (GET/PUT
// /api/orgs/:orgId/agents/:userId/status), which the overview's
// "Agents online" counts. Not shown to platform admins visiting an org they
// are not a member of.
import { h, mount } from '../dom.js';
import { api, orgPath } from '../api.js';
import * as session from '../session.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { announceChange } from '../live.js';

const LABELS = { available: 'Available', dnd: 'Do not disturb', offline: 'Offline' };
let seq = 0;

export async function renderAgentStatus(box) {
  const org = session.currentOrg();
  const me = session.profile();
  const mine = ++seq;
  if (!org || !me || org.visiting) { mount(box); return; }
  let current;
  try {
    current = (await api.get(orgPath(org.id, `/agents/${me.id}/status`))).status ?? 'offline';
  } catch {
    if (mine === seq) mount(box);
    return;
  }
  if (mine !== seq) return;
  const sel = h('select', { id: 'my-status', dataset: { status: current } },
    Object.entries(LABELS).map(([v, l]) => h('option', { value: v, selected: v === current, disabled: v === 'offline' }, l)));
  sel.addEventListener('change', async () => {
    const want = sel.value;
    sel.disabled = true;
    try {
      // /me: agents may set their own status only (the :userId route is for managers)
      const res = await api.put(orgPath(org.id, '/agents/me/status'), { status: want });
      current = res.status ?? want;
      sel.dataset.status = current;
      toast(`Your status: ${LABELS[current] ?? current}.`, 'success', 3000);
      announceChange();
    } catch (err) {
      sel.value = current;
      toast(`Status not changed. ${describe(err)}`, 'error');
    } finally { sel.disabled = false; }
  });
  mount(box, h('label', { for: 'my-status', class: 'status-label' }, 'My status'), sel);
}
