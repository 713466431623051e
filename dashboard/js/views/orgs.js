// views/orgs.js — platform admins: every organisation (GET/POST /api/admin/orgs,
// PUT/DELETE /api/admin/orgs/:orgId), and opening any of them.
import { h, button } from '../dom.js';
import { api, getPage } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { formDialog } from '../components/form-dialog.js';
import { pageHeader, confirmDialog } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime, number, humanize } from '../format.js';

export function timezoneOptions(current) {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { zones = []; }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  if (current && !zones.includes(current)) zones = [current, ...zones];
  return zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
}

export function orgFields(o = {}) {
  const tz = o.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  return [
    { label: 'Name', name: 'name', required: true, value: o.name ?? '', maxlength: 200, autocomplete: 'off' },
    { label: 'Time zone', name: 'timezone', type: 'select', options: timezoneOptions(tz), value: tz, hint: 'Reports and “today” figures use this zone.' },
  ];
}

export default {
  render(root, ctx) {
    let table;
    const create = async () => {
      const o = await formDialog({ title: 'Create organisation', submitLabel: 'Create', fields: orgFields(), onSubmit: (v) => api.post('/api/admin/orgs', v) });
      if (o) { toast(`${o.name} created.`, 'success'); table.refresh(); }
    };
    const edit = async (o, refresh) => {
      const saved = await formDialog({ title: `Edit ${o.name}`, submitLabel: 'Save', fields: orgFields(o), onSubmit: (v) => api.put(`/api/admin/orgs/${o.id}`, v) });
      if (saved) {
        toast('Organisation saved.', 'success');
        if (session.orgs().some((x) => x.id === o.id)) await session.loadContext();
        refresh();
      }
    };
    const remove = async (o, refresh) => {
      if (!(await confirmDialog({ title: 'Delete organisation', message: `Delete ${o.name} and all of its data (calls, SMS, members, keys)? This cannot be undone.`, confirmLabel: 'Delete organisation' }))) return;
      try {
        await api.del(`/api/admin/orgs/${o.id}`);
        session.dropOrg(o.id);
        toast(`${o.name} deleted.`, 'success');
        refresh();
      } catch (err) { toast(describe(err), 'error'); }
    };
    const open = (o) => {
      session.visitOrg({ id: o.id, name: o.name, timezone: o.timezone });
      ctx.navigate('/overview');
    };
    table = dataTable({
      caption: 'Organisations',
      csvName: 'organisations',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      fetchPage: (q, signal) => getPage('/api/admin/orgs', q, { signal }),
      toolbar: button('Create organisation', create, { class: 'btn btn-primary' }),
      empty: 'No organisations yet.',
      columns: [
        { key: 'name', label: 'Name' },
        { key: 'slug', label: 'Slug' },
        { key: 'timezone', label: 'Time zone' },
        { key: 'member_count', label: 'Members', render: (o) => number(o.member_count), className: 'num' },
        { key: 'created_at', label: 'Created', render: (o) => dateTime(o.created_at) },
      ],
      actions: (o, { refresh }) => [
        button('Open', () => open(o), { class: 'btn btn-small', ariaLabel: `Open ${o.name}` }),
        button('Edit', () => edit(o, refresh), { class: 'btn btn-small', ariaLabel: `Edit ${o.name}` }),
        button('Delete', () => remove(o, refresh), { class: 'btn btn-small btn-danger-outline', ariaLabel: `Delete ${o.name}` }),
      ],
    });
    const platform = h('section', { class: 'cards', 'aria-label': 'Platform' });
    root.append(pageHeader('Organisations', { subtitle: 'All organisations on this VictorySync installation' }), platform, table.el);
    api.get('/api/client-metrics', {}, { signal: ctx.signal }).then((m) => {
      const card = (label, value, sub = '') => h('article', { class: 'card' }, h('h2', { class: 'card-label' }, label), h('p', { class: 'card-value' }, value), h('p', { class: 'card-sub' }, sub));
      platform.replaceChildren(
        card('Organisations', number(m.total_organizations)),
        card('Users', number(m.total_users)),
        card('Calls today', number(m.total_calls_today), `${number(m.total_calls)} in total`),
        card('SMS today', number(m.total_sms_today), `${number(m.total_sms)} in total`),
        card('Sync queue', humanize(m.queue_status), `${number(m.active_sync_jobs)} active, ${number(m.failed_sync_jobs_24h)} failed in 24 h`));
    }).catch(() => platform.remove());
  },
};
