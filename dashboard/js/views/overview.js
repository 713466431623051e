// views/overview.js — metric cards, call-volume and answer-rate charts over a
// chosen range, and recent activity; kept current by live.js.
import { h, field, formValues, button } from '../dom.js';
import { api, orgPath, asPage } from '../api.js';
import * as session from '../session.js';
import { openLive } from '../live.js';
import { dailyChart } from '../charts.js';
import { errorBox } from '../errors.js';
import { pageHeader } from '../components/page.js';
import { activityText } from '../components/activity-link.js';
import { number, percent, duration, today, addDays, daysBetween, timeOnly, dateOnly, ago } from '../format.js';

// Definitions: docs/dashboard.md (Cards). `list` is the page whose count the
// card's number equals, filtered to the org's today.
const CARDS = [
  { key: 'calls_today', label: 'Calls today', list: ['/calls', {}] },
  { key: 'answer_rate', label: 'Answer rate today', list: ['/calls', { direction: 'inbound' }] },
  { key: 'missed', label: 'Missed today', list: ['/calls', { type: 'missed' }] },
  { key: 'aht', label: 'Average handle time' },
  { key: 'sms_today', label: 'SMS today', list: ['/sms', {}] },
  { key: 'agents_online', label: 'Agents online' },
];

const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));

/** The card's answer rate (percent): inbound answered / inbound ({calls, answered} of the inbound calls); null without inbound calls. */
function inboundRate(r) {
  return r && num(r.calls) ? (100 * (num(r.answered) ?? 0)) / num(r.calls) : null;
}

function cardValues(m = {}, todayRow = null) {
  const calls = num(m.calls_today);
  // answer rate = inbound answered / inbound (docs/dashboard.md)
  const inbound = num(m.inbound_today);
  const answered = num(m.inbound_answered_today);
  const rate = inbound ? (100 * (answered ?? 0)) / inbound : null;
  const ahtToday = num(todayRow?.answered) ? num(todayRow.avg_handle_seconds) : null;
  const ahtMonth = num(m.avg_call_duration_minutes) !== null ? num(m.avg_call_duration_minutes) * 60 : null;
  const agentsSub = [m.agents_available !== undefined ? `${number(m.agents_available)} available` : null,
    m.agents_on_call ? `${number(m.agents_on_call)} on a call` : null,
    m.agents_dnd ? `${number(m.agents_dnd)} do not disturb` : null].filter(Boolean).join(', ');
  return {
    calls_today: { value: number(calls), sub: m.calls_this_month !== undefined ? `${number(m.calls_this_month)} this month` : '' },
    answer_rate: { value: rate === null ? '—' : percent(rate), sub: inbound ? `${number(answered)} of ${number(inbound)} inbound answered` : 'no inbound calls yet today' },
    missed: { value: number(m.missed_today ?? 0), sub: 'inbound, not answered' },
    aht: { value: duration(ahtToday ?? ahtMonth), sub: ahtToday !== null ? 'today (min:sec)' : 'this month (min:sec)' },
    sms_today: { value: number(m.sms_today), sub: m.sms_this_month !== undefined ? `${number(m.sms_this_month)} this month` : '' },
    agents_online: { value: number(m.agents_online), sub: agentsSub },
  };
}

export default {
  async render(root, ctx) {
    const org = session.currentOrg();
    // the org's own "today" and time zone (reports and metrics use them)
    let first = null;
    try { first = await api.get(orgPath(org.id, '/metrics'), {}, { signal: ctx.signal }); } catch (err) {
      if (err?.name === 'AbortError') return;
    }
    const tz = first?.timezone ?? org.timezone;
    if (first?.timezone) session.noteTimezone(org.id, first.timezone);
    const orgToday = first?.today || today(tz);
    const end = ctx.query.date_to || orgToday;
    const start = ctx.query.date_from || addDays(end, -29);

    const liveDot = h('span', { class: 'live-dot', 'aria-hidden': 'true' });
    const liveText = h('span', null, 'Connecting…');
    const liveStatus = h('p', { class: 'live-status', dataset: { state: 'connecting' } }, liveDot, liveText);

    const cardEls = {};
    const cards = h('section', { class: 'cards', 'aria-label': 'Today' }, CARDS.map((c) => {
      const value = h('p', { class: 'card-value', dataset: { metric: c.key, ready: 'false' } }, '…');
      const sub = h('p', { class: 'card-sub' });
      cardEls[c.key] = { value, sub };
      const link = c.list
        ? h('a', { class: 'card-link', dataset: { cardList: c.key },
          href: `#${c.list[0]}?${new URLSearchParams({ ...c.list[1], date_from: orgToday, date_to: orgToday })}` }, 'Show the list')
        : null;
      return h('article', { class: 'card' }, h('h2', { class: 'card-label' }, c.label), value, sub, link);
    }));

    // range form
    const rangeForm = h('form', { class: 'range-form', 'aria-label': 'Chart date range' },
      field({ label: 'From', name: 'date_from', type: 'date', value: start, max: orgToday }),
      field({ label: 'To', name: 'date_to', type: 'date', value: end, max: orgToday }),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show'),
      h('div', { class: 'presets', role: 'group', 'aria-label': 'Quick ranges' },
        [7, 30, 90].map((n) => button(`Last ${n} days`, () => ctx.navigate('/overview', { date_from: addDays(orgToday, -(n - 1)), date_to: orgToday }), { class: 'btn btn-small' }))));
    rangeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = formValues(rangeForm);
      if (v.date_from && v.date_to && v.date_from > v.date_to) [v.date_from, v.date_to] = [v.date_to, v.date_from];
      ctx.navigate('/overview', v);
    });

    const volumeBox = h('div', { class: 'chart', id: 'chart-volume' });
    const rateBox = h('div', { class: 'chart', id: 'chart-rate' });
    const chartError = h('div');
    const dataTable = h('details', { class: 'chart-data' }, h('summary', null, 'Show chart data as a table'));
    const activityList = h('ol', { class: 'activity' });
    const activityStatus = h('div');

    root.append(
      pageHeader('Overview', { subtitle: org.name, actions: liveStatus }),
      cards,
      h('section', { class: 'panel', 'aria-labelledby': 'charts-title' },
        h('h2', { id: 'charts-title' }, 'Calls by day'),
        rangeForm, chartError,
        h('div', { class: 'chart-grid' },
          h('figure', { class: 'chart-figure' }, h('figcaption', null, 'Call volume: inbound, outbound, missed'), volumeBox),
          h('figure', { class: 'chart-figure' }, h('figcaption', null, 'Answer rate (%): inbound answered / inbound'), rateBox)),
        dataTable),
      h('section', { class: 'panel', 'aria-labelledby': 'activity-title' },
        h('h2', { id: 'activity-title' }, 'Recent activity'), activityStatus, activityList));

    // ---- charts -------------------------------------------------------------
    const days = daysBetween(start, end);
    let byDay = new Map();
    let inboundByDay = new Map(); // {calls, answered} of the inbound calls: the answer rate per day, as the card's
    let charts = null;
    const seriesFrom = () => {
      const rows = days.map((d) => byDay.get(d));
      const inbound = rows.map((r) => (r ? num(r.inbound ?? r.inbound_calls) ?? 0 : 0));
      const outbound = rows.map((r) => (r ? num(r.outbound ?? r.outbound_calls) ?? 0 : 0));
      const missed = rows.map((r) => (r ? num(r.missed) ?? 0 : 0));
      const rate = days.map((d) => inboundRate(inboundByDay.get(d)));
      return { inbound, outbound, missed, rate };
    };
    const drawTable = () => {
      const s = seriesFrom();
      dataTable.replaceChildren(h('summary', null, 'Show chart data as a table'),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data-table compact' },
          h('thead', null, h('tr', null, ['Day', 'Inbound', 'Outbound', 'Missed', 'Answer rate'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, days.map((d, i) => h('tr', null, h('th', { scope: 'row' }, dateOnly(d)),
            h('td', null, number(s.inbound[i])), h('td', null, number(s.outbound[i])), h('td', null, number(s.missed[i])),
            h('td', null, s.rate[i] === null ? '—' : percent(s.rate[i]))))))));
    };
    const drawCharts = async () => {
      const s = seriesFrom();
      const vol = [
        { label: 'Inbound', color: '--c-inbound', values: s.inbound },
        { label: 'Outbound', color: '--c-outbound', values: s.outbound },
        { label: 'Missed', color: '--c-missed', values: s.missed },
      ];
      const rate = [{ label: 'Answer rate', color: '--c-rate', values: s.rate }];
      if (charts) { charts.vol.update(days, vol); charts.rate.update(days, rate); }
      else {
        const vc = await dailyChart(volumeBox, { label: 'Calls per day', days, series: vol });
        const rc = await dailyChart(rateBox, { label: 'Answer rate per day', days, series: rate, yMax: 100, yFormat: (v) => (v == null ? '—' : `${Math.round(v)}%`) });
        charts = { vol: vc, rate: rc };
        if (ctx.signal.aborted) { vc.destroy(); rc.destroy(); }
        else ctx.signal.addEventListener('abort', () => { vc.destroy(); rc.destroy(); });
      }
      volumeBox.dataset.ready = 'true';
      drawTable();
    };
    try {
      const range = { group_by: 'day', date_from: start, date_to: end, limit: 500 };
      const [res, inb] = await Promise.all([
        api.get(orgPath(org.id, '/reports'), range, { signal: ctx.signal }),
        api.get(orgPath(org.id, '/reports'), { ...range, direction: 'inbound' }, { signal: ctx.signal }),
      ]);
      byDay = new Map(asPage(res).data.map((r) => [r.day ?? r.date, r]));
      inboundByDay = new Map(asPage(inb).data.map((r) => [r.day, r]));
      await drawCharts();
    } catch (err) {
      if (err?.name === 'AbortError') return;
      chartError.replaceChildren(errorBox(err));
      chartError.nextElementSibling.hidden = true; // the empty chart grid
      dataTable.hidden = true;
    }

    // ---- activity -----------------------------------------------------------
    const loadActivity = async () => {
      try {
        const res = asPage(await api.get(orgPath(org.id, '/activity'), { limit: 8 }, { signal: ctx.signal }));
        activityStatus.replaceChildren();
        activityList.replaceChildren(...(res.data.length ? res.data.map((a) => h('li', null,
          activityText(a, tz), // missed calls and voicemails link to their call
          h('span', { class: 'activity-meta' }, [a.user, ago(a.timestamp ?? a.created_at)].filter(Boolean).join(' · '))))
          : [h('li', { class: 'muted' }, 'No activity yet.')]));
      } catch (err) {
        if (err?.name !== 'AbortError') activityStatus.replaceChildren(errorBox(err));
      }
    };
    loadActivity();

    // ---- live ---------------------------------------------------------------
    let lastKey = null;
    openLive(org, {
      signal: ctx.signal,
      onUpdate({ metrics, today: row, calls, messages }) {
        const vals = cardValues(metrics, row);
        for (const [k, { value, sub }] of Object.entries(vals)) {
          const el = cardEls[k];
          if (el.value.textContent !== value) {
            el.value.textContent = value;
            el.value.classList.remove('changed');
            if (el.value.dataset.ready === 'true') { void el.value.offsetWidth; el.value.classList.add('changed'); }
          }
          el.value.dataset.ready = 'true';
          el.sub.textContent = sub;
        }
        const { as_of: _asOf, ...stable } = metrics;
        const key = JSON.stringify([stable, row]);
        if (lastKey !== null && (key !== lastKey || calls.length || messages.length)) {
          loadActivity();
          const day = metrics.today ?? today(tz);
          if (row && days.includes(day)) {
            byDay.set(day, row);
            inboundByDay.set(day, { calls: metrics.inbound_today, answered: metrics.inbound_answered_today });
            if (charts) drawCharts();
          }
        }
        lastKey = key;
      },
      onStatus({ state, push, at, message, retryIn }) {
        liveStatus.dataset.state = state;
        liveStatus.dataset.push = push ? 'on' : 'off';
        liveText.textContent = state === 'live'
          ? `Live${push ? ' (pushed)' : ''} · updated ${timeOnly(at)}`
          : `Live updates paused: ${message} Retrying in ${Math.round(retryIn / 1000)} s.`;
      },
    });
  },
};
