// views/board.js — the manager's board: every member's status (available,
// DND, offline; on a call) and since when, with counts by status, from
// GET /api/orgs/:orgId/agents/status (all pages). Pushed updates (live.js
// onLive: agent status changes, calls starting or ending) refresh it; while
// the push stream is down it polls. Managers and org admins only (app.js).
import { h } from '../dom.js';
import { api, asPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { onLive } from '../live.js';
import { pageHeader, badge } from '../components/page.js';
import { errorBox } from '../errors.js';
import { ago, dateTime, number, humanize, timeOnly } from '../format.js';

const KIND = { available: 'ok', dnd: 'warn', offline: 'neutral' };
const COUNTS = [['total', 'Members'], ['available', 'Available'], ['on_call', 'On a call'], ['idle', 'Idle'], ['dnd', 'Do not disturb'], ['offline', 'Offline']];
const PAGE = 100;

/** Every member (the list is paged by 100); the summary of the first page. */
async function loadAll(orgId, signal) {
  const first = await api.get(orgPath(orgId, '/agents/status'), { limit: PAGE }, { signal });
  const rows = [...asPage(first).data];
  for (let skip = PAGE; skip < (first.total ?? 0) && skip < 5000; skip += PAGE) {
    rows.push(...asPage(await api.get(orgPath(orgId, '/agents/status'), { limit: PAGE, skip }, { signal })).data);
  }
  return { rows, summary: first.summary ?? {} };
}

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const counts = {};
    const countCards = h('section', { class: 'cards board-counts', 'aria-label': 'Members by status' }, COUNTS.map(([k, label]) => {
      counts[k] = h('p', { class: 'card-value', dataset: { count: k } }, '…');
      return h('article', { class: 'card' }, h('h2', { class: 'card-label' }, label), counts[k]);
    }));
    const status = h('p', { class: 'muted board-updated', role: 'status' }, 'Loading…');
    const body = h('tbody');
    const table = h('table', { class: 'data-table board-table', dataset: { state: 'loading' } },
      h('caption', { class: 'sr-only' }, 'Members and their status'),
      h('thead', null, h('tr', null, ['Member', 'Role', 'Status', 'Since', 'On a call'].map((c) => h('th', { scope: 'col' }, c)))),
      body);
    const errorSlot = h('div');

    const row = (a) => h('tr', { dataset: { user: a.user_id, status: a.status } },
      h('td', { dataset: { label: 'Member' } }, a.full_name || a.email, a.full_name ? h('span', { class: 'muted' }, ` ${a.email}`) : null),
      h('td', { dataset: { label: 'Role' } }, session.roleLabel(a.role)),
      h('td', { dataset: { label: 'Status' } }, badge(a.status === 'dnd' ? 'Do not disturb' : humanize(a.status), KIND[a.status])),
      h('td', { dataset: { label: 'Since' } }, a.since ? h('time', { datetime: a.since, title: dateTime(a.since) }, ago(a.since)) : '—'),
      h('td', { dataset: { label: 'On a call' } }, a.on_call ? badge('On a call', 'info') : '—'));

    const load = async () => {
      try {
        const { rows, summary } = await loadAll(org.id, ctx.signal);
        for (const [k] of COUNTS) counts[k].textContent = number(summary[k] ?? 0);
        body.replaceChildren(...(rows.length ? rows.map(row) : [h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No members yet.'))]));
        table.dataset.state = 'ready';
        table.dataset.total = String(rows.length);
        status.textContent = `Updated ${timeOnly(new Date())}`;
        errorSlot.replaceChildren();
      } catch (err) {
        if (err?.name === 'AbortError') return;
        errorSlot.replaceChildren(errorBox(err));
        throw err;
      }
    };
    load().catch(() => {});
    onLive(org, ['agent_status', 'call'], () => load().catch(() => {}), { signal: ctx.signal, fallbackMs: 10_000 });

    root.append(pageHeader('Agents board', { subtitle: org.name, actions: status }), errorSlot, countCards,
      h('div', { class: 'table-wrap' }, table));
  },
};
