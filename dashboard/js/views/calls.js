// views/calls.js — calls of the org (GET /api/orgs/:orgId/calls) with date,
// number, type and customer filters, paging and CSV export. The Customer box
// takes a phone number (→ customer_number, exact) or the start of a name
// (→ customer_name: the caller's name or a contact's). A call with a recording
// has Play (GET …/calls/:callId/audio, in the sticky player of components/player.js).
import { h } from '../dom.js';
import { getPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { dateRangeFilters, phoneFilter, selectFilter } from '../components/filters.js';
import { pageHeader, badge } from '../components/page.js';
import { audioPlayer } from '../components/player.js';
import { dateTime, duration, phone, humanize } from '../format.js';
import { onLive } from '../live.js';

const TYPE_KIND = { inbound: 'info', outbound: 'neutral', missed: 'warn' };

/** The list query for the API: the Customer box becomes customer_number or customer_name. */
export function customerQuery(q) {
  const { customer, ...rest } = q;
  const c = String(customer ?? '').trim();
  if (!c) return rest;
  const isNumber = /^[+\d\s().-]+$/.test(c) && c.replace(/\D/g, '').length >= 7;
  return { ...rest, [isNumber ? 'customer_number' : 'customer_name']: c };
}

/** The customer's side of a call: who called in, or whom we called. */
function otherParty(r) {
  if (r.direction === 'outbound') return phone(r.called_number);
  if (!r.caller_name && !r.caller_number) return '—';
  return [r.caller_name ?? '', r.caller_number ? h('span', { class: 'muted nowrap' }, ` ${phone(r.caller_number)}`) : null];
}

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const player = audioPlayer('Call recording player');
    const t = dataTable({
      caption: 'Calls',
      csvName: 'calls',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [...dateRangeFilters(), phoneFilter('Business number'),
        { name: 'customer', label: 'Customer', type: 'search', autocomplete: 'off', maxlength: 100, placeholder: 'Name or number' },
        selectFilter('type', 'Type', ['inbound', 'outbound', 'missed']),
        selectFilter('direction', 'Direction', ['inbound', 'outbound'])],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/calls'), customerQuery(q), { signal }),
      empty: 'No calls match these filters.',
      columns: [
        { key: 'date', label: 'Date', render: (r) => dateTime(r.date), className: 'col-date' },
        { key: 'type', label: 'Type', render: (r) => badge(humanize(r.type), TYPE_KIND[r.type]) },
        { key: 'phone_number', label: 'Business number', render: (r) => phone(r.phone_number), className: 'col-low' }, // below 1440 px the Play column needs its room
        { key: 'other', label: 'Other party', render: (r) => otherParty(r), csv: (r) => (r.direction === 'outbound' ? r.called_number : r.caller_number) ?? '' },
        { key: 'caller_name', label: 'Caller name', csvOnly: true },
        { key: 'agent', label: 'Agent', render: (r) => r.agent || (r.extension ? `ext. ${r.extension}` : '—'), csv: (r) => r.agent ?? '' },
        { key: 'extension', label: 'Extension', csvOnly: true },
        { key: 'duration_seconds', label: 'Duration', render: (r) => duration(r.duration_seconds), className: 'num' },
        { key: 'status', label: 'Status', render: (r) => humanize(r.status) },
      ],
      actions: (r) => {
        if (!r.recording_url) return null;
        const what = `recording of the call with ${phone(r.direction === 'outbound' ? r.called_number : r.caller_number)} on ${dateTime(r.date)}`;
        const b = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Play ${what}`,
          onclick: () => player.play(orgPath(org.id, `/calls/${r.id}/audio`), what, b) }, 'Play');
        return b;
      },
    });
    root.append(pageHeader('Calls', { subtitle: org.name }), t.el, player.el);
    onLive(org, ['call'], () => t.refresh(), { signal: ctx.signal }); // new and changed calls, pushed
  },
};
