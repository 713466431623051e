// views/reports.js — call reports by day, business number or agent
// (GET /api/orgs/:orgId/reports?group_by=…), each a table and a chart, in the
// org's time zone (dates are the org's local days). Filters: date range,
// direction, status, agent, business number. Totals above: calls, answered,
// missed, the inbound answer rate (inbound answered / inbound, from the same
// filters with direction=inbound), average wait (inbound calls that report a
// queue wait) and average talk (answered calls). "Export CSV" writes exactly
// the table shown. Missed is the overview card's missed (inbound, not
// answered: docs/dashboard.md#cards) and links to the calls list of the same
// days, number and direction with type=missed, whose count it equals.
import { h, field, formValues } from '../dom.js';
import { buildHash } from '../router.js';
import { api, asPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { pageHeader } from '../components/page.js';
import { errorBox } from '../errors.js';
import { dailyChart, barChart } from '../charts.js';
import { toCsv, download } from '../csv.js';
import { number, percent, duration, phone, today, addDays, daysBetween } from '../format.js';

const TABS = [
  { key: 'day', label: 'By day', group: 'day' },
  { key: 'number', label: 'By number', group: 'phone_number' },
  { key: 'agent', label: 'By agent', group: 'agent' },
];
const STATUSES = ['connected', 'missed', 'voicemail', 'dropped', 'no_answer', 'canceled', 'busy', 'failed'];
const FILTERS = ['date_from', 'date_to', 'direction', 'status', 'agent_id', 'phone_number'];

const agentLabel = (r) => r.agent_name || (r.extension ? `ext. ${r.extension}` : 'No agent');
const numberLabel = (r) => (r.phone_number ? `${phone(r.phone_number)}${r.label ? ` (${r.label})` : ''}` : 'No number');

/** The table's columns for a tab: {label, value(row), show(row) text when it differs}. */
function columnsFor(tab) {
  const key = tab === 'day' ? { label: 'Day', value: (r) => r.day }
    : tab === 'number' ? { label: 'Business number', value: (r) => r.phone_number ?? '', show: numberLabel }
      : { label: 'Agent', value: agentLabel };
  return [
    key,
    { label: 'Calls', value: (r) => r.calls, show: (r) => number(r.calls), num: true },
    { label: 'Answered', value: (r) => r.answered, show: (r) => number(r.answered), num: true },
    { label: 'Missed', value: (r) => r.missed, show: (r) => number(r.missed), num: true },
    { label: 'Answer rate', value: (r) => r.answer_rate, show: (r) => percent(r.answer_rate), num: true },
    { label: 'Avg talk', value: (r) => r.avg_handle_seconds, show: (r) => duration(r.avg_handle_seconds), num: true },
    { label: 'Total talk', value: (r) => r.total_duration, show: (r) => duration(r.total_duration), num: true },
  ];
}

/** Every group of a report (groups are bounded; pages of 500). */
async function loadAll(orgId, query, signal) {
  const first = await api.get(orgPath(orgId, '/reports'), { ...query, limit: 500 }, { signal });
  const rows = [...asPage(first).data];
  for (let skip = 500; skip < (first.total ?? 0) && skip < 5000; skip += 500) {
    rows.push(...asPage(await api.get(orgPath(orgId, '/reports'), { ...query, limit: 500, skip }, { signal })).data);
  }
  return { ...first, rows };
}

export default {
  async render(root, ctx) {
    const org = session.currentOrg();
    const tz = org.timezone;
    const state = { tab: TABS.some((t) => t.key === ctx.query.tab) ? ctx.query.tab : 'day' };
    for (const f of FILTERS) state[f] = ctx.query[f] ?? '';
    if (!state.date_from) state.date_from = addDays(today(tz), -29);
    if (!state.date_to) state.date_to = today(tz);

    // agents for the filter: the org's members
    let members = [];
    try {
      members = asPage(await api.get(orgPath(org.id, '/agents/status'), { limit: 100 }, { signal: ctx.signal })).data;
    } catch (err) { if (err?.name === 'AbortError') return; }

    const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter reports' },
      field({ name: 'date_from', label: 'From date', type: 'date', value: state.date_from }),
      field({ name: 'date_to', label: 'To date', type: 'date', value: state.date_to }),
      field({ name: 'direction', label: 'Direction', type: 'select', value: state.direction, options: [{ value: '', label: 'All' }, { value: 'inbound', label: 'Inbound' }, { value: 'outbound', label: 'Outbound' }] }),
      field({ name: 'status', label: 'Status', type: 'select', value: state.status, options: [{ value: '', label: 'All' }, ...STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))] }),
      field({ name: 'agent_id', label: 'Agent', type: 'select', value: state.agent_id, options: [{ value: '', label: 'All' }, ...members.map((m) => ({ value: m.user_id, label: m.full_name || m.email }))] }),
      field({ name: 'phone_number', label: 'Business number', type: 'tel', value: state.phone_number, placeholder: '+12125551234' }),
      h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters')));

    const tabButtons = TABS.map((t) => h('button', {
      type: 'button', role: 'tab', id: `tab-${t.key}`, class: 'btn tab', 'aria-selected': String(t.key === state.tab),
      'aria-controls': 'report-panel', dataset: { tab: t.key },
      onclick: () => { state.tab = t.key; load(); },
    }, t.label));
    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Group the report' }, tabButtons);

    const totals = {};
    const TOTALS = [['calls', 'Calls'], ['answered', 'Answered'], ['missed', 'Missed'], ['answer_rate', 'Inbound answer rate'], ['avg_wait', 'Average wait'], ['avg_talk', 'Average talk']];
    // the missed calls' list: the calls list has no status or agent filter,
    // so with one of those set there is no list of the same calls to open
    const missedLink = h('a', { class: 'card-link', dataset: { totalList: 'missed' }, hidden: true }, 'Show the list');
    const totalsEl = h('section', { class: 'cards report-totals', 'aria-label': 'Totals' }, TOTALS.map(([k, label]) => {
      totals[k] = h('p', { class: 'card-value', dataset: { total: k } }, '…');
      return h('article', { class: 'card' }, h('h2', { class: 'card-label' }, label), totals[k], k === 'missed' ? missedLink : null);
    }));
    const tzNote = h('p', { class: 'muted' });
    const chartBox = h('div', { class: 'chart', id: 'report-chart' });
    const table = h('table', { class: 'data-table report-table', dataset: { state: 'loading' } });
    const errorSlot = h('div');
    const exportBtn = h('button', { type: 'button', class: 'btn', disabled: true }, 'Export CSV');
    const panel = h('section', { id: 'report-panel', role: 'tabpanel', class: 'report-panel' },
      h('figure', { class: 'chart-figure' }, h('figcaption', null, 'Calls and answered calls'), chartBox),
      h('div', { class: 'table-toolbar' }, exportBtn),
      h('div', { class: 'table-wrap' }, table));

    let shown = { rows: [], cols: [] };
    let chart = null;
    let loadCtl = null;
    exportBtn.addEventListener('click', () => {
      // exactly the table: the same headings and the same cell text
      // the days are days of the org's zone: the CSV says which
      const csv = toCsv(shown.cols.map((c, i) => ({ label: i === 0 && state.tab === 'day' ? `${c.label} (${tz})` : c.label, value: (r) => String((c.show ?? c.value)(r) ?? '') })), shown.rows);
      download(`report-${state.tab}-${state.date_from}-${state.date_to}.csv`, csv);
    });

    form.addEventListener('submit', (e) => { e.preventDefault(); Object.assign(state, formValues(form)); load(); });

    async function load() {
      loadCtl?.abort();
      loadCtl = new AbortController();
      const signal = loadCtl.signal;
      ctx.signal.addEventListener('abort', () => loadCtl?.abort(), { once: true });
      for (const b of tabButtons) b.setAttribute('aria-selected', String(b.dataset.tab === state.tab));
      panel.setAttribute('aria-labelledby', `tab-${state.tab}`);
      ctx.setQuery(Object.fromEntries([['tab', state.tab], ...FILTERS.map((f) => [f, state[f]])]));
      table.dataset.state = 'loading';
      exportBtn.disabled = true;
      const query = Object.fromEntries(FILTERS.map((f) => [f, state[f]]).filter(([, v]) => v));
      const tab = TABS.find((t) => t.key === state.tab);
      try {
        const [rep, inbound] = await Promise.all([
          loadAll(org.id, { ...query, group_by: tab.group }, signal),
          state.direction === 'outbound' ? null
            : api.get(orgPath(org.id, '/reports'), { ...query, direction: 'inbound', group_by: 'day', limit: 1 }, { signal }),
        ]);
        const s = rep.summary ?? {};
        const inb = inbound?.summary;
        totals.calls.textContent = number(s.calls);
        totals.answered.textContent = number(s.answered);
        totals.missed.textContent = number(s.missed);
        missedLink.hidden = Boolean(state.status || state.agent_id);
        missedLink.href = buildHash('/calls', { date_from: rep.date_from, date_to: rep.date_to,
          phone_number: state.phone_number, direction: state.direction, type: 'missed' });
        totals.answer_rate.textContent = inb && inb.calls ? percent((100 * inb.answered) / inb.calls) : '—';
        totals.avg_wait.textContent = inb ? duration(inb.avg_wait_seconds) : '—';
        totals.avg_talk.textContent = duration(s.avg_handle_seconds);
        tzNote.textContent = `${rep.date_from} to ${rep.date_to}, days of ${rep.timezone}.`;

        const cols = columnsFor(state.tab);
        let rows = rep.rows;
        if (state.tab === 'day') { // every day of the range, empty ones too
          const byDay = new Map(rows.map((r) => [r.day, r]));
          rows = daysBetween(rep.date_from, rep.date_to).map((d) => byDay.get(d) ?? { day: d, calls: 0, answered: 0, missed: 0, answer_rate: 0, avg_handle_seconds: 0, total_duration: 0 });
        }
        shown = { rows, cols };
        table.replaceChildren(
          h('caption', { class: 'sr-only' }, `Report ${tab.label.toLowerCase()}`),
          h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
          h('tbody', null, rows.length ? rows.map((r) => h('tr', null, cols.map((c) => h('td', { class: c.num ? 'num' : null, dataset: { label: c.label } }, String((c.show ?? c.value)(r) ?? '')))))
            : h('tr', null, h('td', { colspan: cols.length, class: 'muted' }, 'No calls match these filters.'))));
        table.dataset.state = 'ready';
        table.dataset.total = String(rows.length);
        exportBtn.disabled = rows.length === 0;

        chart?.destroy();
        chartBox.replaceChildren();
        const series = [{ label: 'Calls', color: '--c-inbound', values: rows.map((r) => r.calls) },
          { label: 'Answered', color: '--c-outbound', values: rows.map((r) => r.answered) }];
        chart = state.tab === 'day'
          ? await dailyChart(chartBox, { label: 'Calls and answered calls per day', days: rows.map((r) => r.day), series })
          : await barChart(chartBox, { label: `Calls and answered calls ${tab.label.toLowerCase()}`, categories: rows.map((r) => (state.tab === 'number' ? numberLabel(r) : agentLabel(r))), series });
        chartBox.dataset.ready = 'true';
        errorSlot.replaceChildren();
      } catch (err) {
        if (err?.name === 'AbortError') return;
        table.dataset.state = 'error';
        errorSlot.replaceChildren(errorBox(err));
      }
    }

    root.append(pageHeader('Reports', { subtitle: org.name }), form, tablist, tzNote, errorSlot, totalsEl, panel);
    ctx.signal.addEventListener('abort', () => chart?.destroy());
    await load();
  },
};
