// views/platform-mightycall.js — platform admins: MightyCall data across orgs
// (GET /api/admin/mightycall/phone-numbers | extensions | reports, optionally
// of one org) in tabs, and the admin sync of one org's numbers and
// extensions (POST /api/admin/mightycall/sync?orgId=, synchronous: the page
// shows it running, then what it brought) with that org's sync jobs and
// their progress below (GET /api/mightycall/sync/jobs?orgId=, refreshed by
// pushed sync_job notes of that org).
import { h, field } from '../dom.js';
import { api, asPage, getPage } from '../api.js';
import { dataTable } from '../components/table.js';
import { pageHeader, badge } from '../components/page.js';
import { describe } from '../errors.js';
import { onLive } from '../live.js';
import { dateTime, number, percent, duration, phone, humanize } from '../format.js';

const VIEWS = {
  numbers: {
    label: 'Numbers', path: '/api/admin/mightycall/phone-numbers', csv: 'mightycall-numbers', extra: [],
    columns: [
      { key: 'number', label: 'Number', render: (r) => phone(r.number) },
      { key: 'label', label: 'Label', render: (r) => r.label || '—' },
      { key: 'org', label: 'Organisation', render: (r, orgs) => orgs.get(r.org_id) ?? r.org_id, csv: (r) => r.org_id },
      { key: 'status', label: 'Status', render: (r) => badge(humanize(r.status), r.status === 'active' ? 'ok' : 'neutral') },
      { key: 'sms_enabled', label: 'SMS', render: (r) => (r.sms_enabled ? 'Yes' : 'No') },
      { key: 'last_call_at', label: 'Last call', render: (r) => dateTime(r.last_call_at) },
    ],
  },
  extensions: {
    label: 'Extensions', path: '/api/admin/mightycall/extensions', csv: 'mightycall-extensions', extra: [],
    columns: [
      { key: 'extension', label: 'Extension' },
      { key: 'display_name', label: 'Name', render: (r) => r.display_name || '—' },
      { key: 'email', label: 'Email', render: (r) => r.email || '—' },
      { key: 'org', label: 'Organisation', render: (r, orgs) => orgs.get(r.org_id) ?? r.org_id, csv: (r) => r.org_id },
      { key: 'status', label: 'Status', render: (r) => humanize(r.status) },
    ],
  },
  reports: {
    label: 'Reports', path: '/api/admin/mightycall/reports', csv: 'mightycall-reports',
    extra: [{ name: 'phone_number', label: 'Business number', type: 'tel', placeholder: '+12125551234' }],
    columns: [
      { key: 'day', label: 'Day' },
      { key: 'phone_number', label: 'Number', render: (r) => phone(r.phone_number) },
      { key: 'org', label: 'Organisation', render: (r, orgs) => orgs.get(r.org_id) ?? r.org_id, csv: (r) => r.org_id },
      { key: 'calls', label: 'Calls', render: (r) => number(r.calls), className: 'num' },
      { key: 'answered', label: 'Answered', render: (r) => number(r.answered), className: 'num' },
      { key: 'answer_rate', label: 'Answer rate', render: (r) => percent(r.answer_rate), className: 'num' },
      { key: 'avg_handle_seconds', label: 'Avg talk', render: (r) => duration(r.avg_handle_seconds), className: 'num' },
    ],
  },
};

export default {
  async render(root, ctx) {
    const view = VIEWS[ctx.query.view] ? ctx.query.view : 'numbers';
    const orgId = ctx.query.orgId ?? '';
    let orgList = [];
    try {
      orgList = asPage(await api.get('/api/admin/orgs', { limit: 100 }, { signal: ctx.signal })).data;
    } catch (err) { if (err?.name === 'AbortError') return; }
    const orgs = new Map(orgList.map((o) => [o.id, o.name]));
    const go = (q) => ctx.navigate('/platform/mightycall', { view, orgId, ...q });

    const orgPicker = field({ name: 'orgId', label: 'Organisation', type: 'select', value: orgId, options: [{ value: '', label: 'All organisations' }, ...orgList.map((o) => ({ value: o.id, label: o.name }))] });
    orgPicker.querySelector('select').addEventListener('change', (e) => go({ orgId: e.target.value }));

    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'MightyCall data' }, Object.entries(VIEWS).map(([k, v]) => h('button', {
      type: 'button', role: 'tab', class: 'btn tab', id: `mc-tab-${k}`, 'aria-selected': String(k === view), 'aria-controls': 'mc-panel',
      onclick: () => go({ view: k }),
    }, v.label)));

    const spec = VIEWS[view];
    const t = dataTable({
      caption: `MightyCall ${spec.label.toLowerCase()}`,
      csvName: spec.csv,
      signal: ctx.signal,
      state: ctx.query,
      onState: (q) => ctx.setQuery({ ...q, view, orgId }),
      filters: spec.extra,
      fetchPage: (q, signal) => getPage(spec.path, { ...q, orgId: orgId || undefined }, { signal }),
      empty: orgId ? 'Nothing synced for this organisation yet.' : 'Nothing synced yet.',
      columns: spec.columns.map((c) => ({ ...c, render: c.render ? (r) => c.render(r, orgs) : undefined })),
    });

    // ---- admin sync of one org, with progress ---------------------------------
    const syncOut = h('p', { class: 'muted', role: 'status', id: 'admin-sync-status' }, orgId ? '' : 'Pick an organisation to sync it.');
    const progress = h('progress', { hidden: true, 'aria-label': 'Sync progress' });
    const syncBtn = h('button', { type: 'button', class: 'btn btn-primary', disabled: !orgId }, 'Sync numbers and extensions now');
    syncBtn.addEventListener('click', async () => {
      syncBtn.disabled = true;
      progress.hidden = false;
      progress.removeAttribute('value'); // indeterminate while MightyCall answers
      syncOut.dataset.state = 'running';
      syncOut.textContent = `Syncing ${orgs.get(orgId) ?? orgId}: numbers and extensions from MightyCall…`;
      try {
        const r = await api.post(`/api/admin/mightycall/sync?orgId=${encodeURIComponent(orgId)}`, {});
        progress.max = 1; progress.value = 1;
        syncOut.dataset.state = 'done';
        syncOut.textContent = `Done: ${number(r.phones)} numbers (${number(r.new_numbers)} new), ${number(r.extensions)} extensions (${number(r.new_extensions)} new).`;
        t.refresh();
      } catch (err) {
        progress.hidden = true;
        syncOut.dataset.state = 'error';
        syncOut.textContent = `Sync failed: ${describe(err)}`;
      } finally { syncBtn.disabled = false; }
    });

    const jobs = orgId ? dataTable({
      caption: 'Sync jobs',
      csvName: false,
      signal: ctx.signal,
      fetchPage: (q, signal) => getPage('/api/mightycall/sync/jobs', { ...q, orgId, limit: 10 }, { signal }),
      empty: 'No sync jobs yet.',
      columns: [
        { key: 'type', label: 'Type', render: (j) => humanize(j.type) },
        { key: 'status', label: 'Status', render: (j) => badge(humanize(j.status), j.status === 'completed' ? 'ok' : j.status === 'failed' ? 'error' : 'info') },
        { key: 'progress', label: 'Progress', render: (j) => `${number(j.pages_done ?? 0)} pages · ${number(j.items_done ?? 0)} items` },
        { key: 'created_at', label: 'Queued', render: (j) => dateTime(j.created_at) },
        { key: 'completed_at', label: 'Finished', render: (j) => dateTime(j.completed_at) },
      ],
    }) : null;
    if (jobs && orgs.has(orgId)) onLive({ id: orgId }, ['sync_job'], () => jobs.refresh(), { signal: ctx.signal, fallbackMs: 10_000 });

    root.append(
      pageHeader('MightyCall (all organisations)', { subtitle: 'Platform administration' }),
      h('section', { class: 'panel' }, orgPicker, h('div', { class: 'filter-actions' }, syncBtn), progress, syncOut),
      tabs,
      h('section', { id: 'mc-panel', role: 'tabpanel', 'aria-labelledby': `mc-tab-${view}` }, t.el),
      jobs ? h('h2', { class: 'section-title' }, 'Sync jobs of this organisation') : null,
      jobs ? jobs.el : null);
  },
};
