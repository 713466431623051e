// views/settings.js — org admins: the current org's name and time zone
// (GET/PUT /api/admin/orgs/:orgId).
import { h, field, formValues } from '../dom.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { pageHeader, loading } from '../components/page.js';
import { errorBox, showFormError, clearFormError } from '../errors.js';
import { toast } from '../notify.js';
import { orgFields } from './orgs.js';
import { dateTime } from '../format.js';

export default {
  async render(root, ctx) {
    const org = session.currentOrg();
    root.append(pageHeader('Organisation settings', { subtitle: org.name }));
    const slot = h('section', { class: 'panel' }, loading());
    root.append(slot);
    let o;
    try { o = await api.get(`/api/admin/orgs/${org.id}`, {}, { signal: ctx.signal }); } catch (err) {
      if (err?.name !== 'AbortError') slot.replaceChildren(errorBox(err));
      return;
    }
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save');
    const form = h('form', { class: 'stack narrow' }, orgFields(o).map((f) => field(f)), save);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormError(form);
      save.disabled = true;
      try {
        await api.put(`/api/admin/orgs/${org.id}`, formValues(form));
        await session.loadContext();
        toast('Organisation saved.', 'success');
      } catch (err) { showFormError(form, err, { fieldLabels: { name: 'Name', timezone: 'Time zone' } }); } finally { save.disabled = false; }
    });
    slot.replaceChildren(form, h('p', { class: 'muted' }, `Slug: ${o.slug ?? '—'} · created ${dateTime(o.created_at)}`));
  },
};
