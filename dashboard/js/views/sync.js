// views/sync.js — start a MightyCall sync of each kind
// (POST /api/mightycall/sync/<type>?orgId=) and watch the org's jobs
// (GET /api/mightycall/sync/jobs?orgId=) update in place: fast while a job is
// queued or running, slower when all are done. A warning shows when ready
// jobs wait past the threshold with no worker taking them
// (GET /api/orgs/:orgId/sync/queue), and managers can cancel a job that has
// not started (POST /api/orgs/:orgId/sync/jobs/:jobId/cancel).
import { h, field, formValues, button } from '../dom.js';
import { api, getPage } from '../api.js';
import * as session from '../session.js';
import { poll, onLive } from '../live.js';
import { dataTable } from '../components/table.js';
import { selectFilter } from '../components/filters.js';
import { pageHeader, badge } from '../components/page.js';
import { describe } from '../errors.js';
import { toast } from '../notify.js';
import { dateTime, number, humanize, dayStartIso, ago } from '../format.js';

const SYNC_TYPES = [
  { type: 'phone_numbers', path: 'phone-numbers', label: 'Phone numbers', what: 'numbers and their labels' },
  { type: 'extensions', path: 'extensions', label: 'Extensions', what: 'users and extensions' },
  { type: 'calls', path: 'calls', label: 'Calls', what: 'the call journal' },
  { type: 'recordings', path: 'recordings', label: 'Recordings', what: 'links to call recordings' },
  { type: 'voicemails', path: 'voicemails', label: 'Voicemails', what: 'voicemails' },
  { type: 'sms', path: 'sms', label: 'SMS', what: 'text messages' },
  { type: 'contacts', path: 'contacts', label: 'Contacts', what: 'the address book' },
  { type: 'reports', path: 'reports', label: 'Reports', what: 'daily reports, recomputed from calls' },
];
const noun = (s) => (s.type === 'sms' ? 'SMS' : s.label.toLowerCase());
const ACTIVE = new Set(['queued', 'running', 'deferred', 'pending']);
const STATUS_KIND = { completed: 'ok', failed: 'error', running: 'info', queued: 'neutral', pending: 'neutral', deferred: 'warn', cancelled: 'neutral' };
const CANCELLABLE = new Set(['queued', 'pending', 'deferred']);

/** The warning of a queue nobody works, or null. */
function stallWarning(q) {
  if (!q?.stalled) return null;
  const minutes = Math.max(1, Math.round(Number(q.oldest_wait_seconds) / 60));
  return h('div', { class: 'alert alert-warn', role: 'alert', dataset: { syncStalled: 'true' } },
    h('strong', null, 'No sync worker is taking jobs. '),
    `The oldest waiting job has waited ${minutes} minute${minutes === 1 ? '' : 's'} (the worker runs every minute). `,
    q.last_started_at ? `A job last started ${ago(q.last_started_at)}. ` : 'No job of this organization has started yet. ',
    'Ask your administrator to check the vs-sync timers (or, on a development machine, run make run).');
}

function progress(j) {
  const r = j.result ?? {};
  const p = j.progress ?? {};
  const synced = r.synced_count ?? j.synced_count;
  const added = r.new ?? j.new_count;
  const updated = r.updated ?? j.updated_count;
  if (j.status === 'running') {
    const items = p.items_done ?? j.items_done ?? synced ?? 0;
    const pages = p.pages_done ?? j.pages_done;
    return `${number(items)} items${pages !== undefined && pages !== null ? `, ${number(pages)} pages` : ''} so far`;
  }
  if (j.status === 'completed') {
    return `${number(synced ?? 0)} synced${added !== undefined && added !== null ? ` (${number(added)} new, ${number(updated ?? 0)} updated)` : ''}`;
  }
  return '—';
}

function explain(j) {
  if (j.status === 'failed') return j.error_message || 'The sync failed without a reason. Try again, or check the integration.';
  if (j.status === 'deferred') return `Paused: ${j.error_message || 'the MightyCall daily request quota is used up'}. It will resume ${j.run_after ? `at ${dateTime(j.run_after)}` : 'automatically'}.`;
  if (j.status === 'queued' || j.status === 'pending') return `Waiting for the sync worker${Number(j.attempts) > 0 ? ` (attempt ${Number(j.attempts) + 1})` : ''}.`;
  if (j.status === 'running') return j.error_message ? `Retrying after: ${j.error_message}` : 'In progress.';
  return j.error_message || '';
}

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    let anyActive = false;
    let latest = new Map();

    const sinceForm = h('form', { class: 'inline-form', 'aria-label': 'Sync options', onsubmit: (e) => e.preventDefault() },
      field({ label: 'Fetch history from (optional)', name: 'date_from', type: 'date', hint: 'Leave empty to continue from the last sync.' }));

    const cardStatus = {};
    const cards = h('ul', { class: 'sync-cards', 'aria-label': 'Sync types' }, SYNC_TYPES.map((s) => {
      const status = h('p', { class: 'sync-card-status', dataset: { type: s.type } }, '—');
      cardStatus[s.type] = status;
      const b = button(`Sync ${noun(s)}`, () => trigger(s, b), { class: 'btn btn-primary', dataset: { syncType: s.type } });
      return h('li', { class: 'sync-card' }, h('h2', null, s.label), h('p', { class: 'muted' }, `Imports ${s.what}.`), status, b);
    }));

    const stallSlot = h('div', { class: 'sync-queue-warning' });
    async function refreshQueue() {
      try {
        stallSlot.replaceChildren(...[stallWarning(await api.get(`/api/orgs/${org.id}/sync/queue`, {}, { signal: ctx.signal }))].filter(Boolean));
      } catch {
        // the jobs table reports errors; the warning simply stays as it was
      }
    }

    async function cancel(j, b) {
      b.disabled = true;
      try {
        await api.post(`/api/orgs/${org.id}/sync/jobs/${j.id}/cancel`, {});
        toast(`${SYNC_TYPES.find((s) => s.type === j.type)?.label ?? humanize(j.type)} sync cancelled.`, 'success');
      } catch (err) {
        toast(`Not cancelled. ${describe(err)}`, 'error', 10_000);
        b.disabled = false;
      } finally {
        await table.refresh();
      }
    }

    async function trigger(s, b) {
      b.disabled = true;
      const { date_from: from } = formValues(sinceForm);
      try {
        const res = await api.post(`/api/mightycall/sync/${s.path}`, {}, { query: { orgId: org.id, date_from: dayStartIso(from) } });
        toast(res.existing
          ? `The ${noun(s)} sync is already ${res.status === 'running' ? 'running' : 'waiting'}; follow it below.`
          : `${s.label} sync queued.`, 'success');
      } catch (err) {
        const hint = err?.status === 409 && err.details?.resource === 'integration'
          ? (session.atLeast('org_admin') ? ' Connect it on the Integrations page.' : ' Ask an org admin to connect it.')
          : '';
        toast(`${s.label} sync not started. ${describe(err)}${hint}`, 'error', 10_000);
      } finally {
        b.disabled = false;
        await table.refresh();
        poller.now();
      }
    }

    const table = dataTable({
      caption: 'Sync jobs',
      csvName: 'sync-jobs',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [selectFilter('type', 'Type', SYNC_TYPES.map((s) => ({ value: s.type, label: s.label }))),
        selectFilter('status', 'Status', ['queued', 'running', 'deferred', 'completed', 'failed', 'cancelled'])],
      fetchPage: async (q, signal) => {
        const page = await getPage('/api/mightycall/sync/jobs', { ...q, orgId: org.id }, { signal });
        if ((q.skip ?? 0) === 0 && !q.type && !q.status) {
          anyActive = page.data.some((j) => ACTIVE.has(j.status));
          latest = new Map();
          for (const j of page.data) if (!latest.has(j.type)) latest.set(j.type, j);
          for (const s of SYNC_TYPES) {
            const j = latest.get(s.type);
            cardStatus[s.type].replaceChildren(...(j ? [badge(humanize(j.status), STATUS_KIND[j.status]), ` ${ago(j.completed_at ?? j.started_at ?? j.created_at)}`] : ['Never synced']));
          }
        } else anyActive = anyActive || page.data.some((j) => ACTIVE.has(j.status));
        return page;
      },
      empty: 'No sync jobs yet. Start one above.',
      columns: [
        { key: 'type', label: 'Type', render: (j) => SYNC_TYPES.find((s) => s.type === j.type)?.label ?? humanize(j.type) },
        { key: 'status', label: 'Status', render: (j) => h('span', { class: 'job-status', dataset: { status: j.status, type: j.type } }, badge(humanize(j.status), STATUS_KIND[j.status])) },
        { key: 'progress', label: 'Progress', render: progress, csv: (j) => progress(j) },
        { key: 'message', label: 'Details', className: 'col-text', render: (j) => (j.status === 'failed' ? h('span', { class: 'text-error' }, explain(j)) : explain(j) || '—'), csv: explain },
        { key: 'created_at', label: 'Requested', render: (j) => dateTime(j.created_at ?? j.started_at), csv: (j) => j.created_at },
        { key: 'completed_at', label: 'Finished', render: (j) => dateTime(j.completed_at) },
        ...(session.atLeast('manager') ? [{
          key: 'actions', label: 'Actions', csv: false,
          render: (j) => (CANCELLABLE.has(j.status)
            ? button('Cancel', (e) => cancel(j, e.currentTarget), { class: 'btn btn-small', dataset: { cancelJob: j.id }, ariaLabel: `Cancel the ${humanize(j.type)} sync` })
            : ''),
        }] : []),
      ],
    });

    const poller = poll(async () => { await Promise.all([table.refresh(), refreshQueue()]); return anyActive ? 2000 : 10_000; },
      { interval: 10_000, signal: ctx.signal, immediate: false });
    onLive(org, ['sync_job'], () => poller.now(), { signal: ctx.signal, fallbackMs: 0 }); // job state, pushed

    root.append(
      pageHeader('Sync', { subtitle: `${org.name} · MightyCall` }),
      stallSlot,
      h('section', { class: 'panel' }, h('p', null, 'VictorySync also syncs on a schedule. Start a sync here to fetch new data right away: the sync worker picks it up within a minute, and progress updates on its own.'), sinceForm),
      cards,
      h('h2', { class: 'section-title' }, 'Recent jobs'),
      table.el);
    refreshQueue();
  },
};
