// views/webhook-events.js — the latest MightyCall webhook events of the org
// (GET /api/orgs/:orgId/webhooks/events, newest first), for managers and org
// admins: when, type, the call (its MightyCall id, and a link to it in the
// calls list: that day, that business number), from, to and extension.
// Pushed call / SMS notes refresh it (live.js onLive).
import { h } from '../dom.js';
import { getPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { pageHeader, badge } from '../components/page.js';
import { onLive } from '../live.js';
import { buildHash } from '../router.js';
import { dateTime, phone, ymd } from '../format.js';

const TYPES = ['IncomingCall', 'IncomingCallRinging', 'IncomingCallStopRinging', 'IncomingCallConnected', 'IncomingCallCompleted',
  'OutgoingCall', 'OutgoingCallConnected', 'OutgoingCallCompleted', 'IncomingMessage', 'OutgoingMessage'];

/** The calls list on the event's day, filtered to its business number. */
function callLink(e, tz) {
  if (!e.call_id || !/Call/.test(e.event_type)) return e.call_id ?? '—';
  const inbound = e.event_type.startsWith('Incoming');
  const business = inbound ? e.to_number : e.from_number;
  const day = ymd(new Date(e.occurred_at), tz);
  const href = buildHash('/calls', { date_from: day, date_to: day, phone_number: business ?? undefined });
  return h('a', { href, title: `MightyCall call ${e.call_id}`, dataset: { callId: e.call_id } }, `Call ${e.call_id.slice(0, 8)}…`);
}

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const t = dataTable({
      caption: 'Webhook events',
      csvName: 'webhook-events',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [{ name: 'event_type', label: 'Type', type: 'select', options: [{ value: '', label: 'All' }, ...TYPES] }],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/webhooks/events'), q, { signal }),
      empty: 'No webhook events yet. Connect MightyCall and point its webhooks at the address on the Integrations page.',
      columns: [
        { key: 'received_at', label: 'Received', render: (e) => dateTime(e.received_at) },
        { key: 'event_type', label: 'Type', render: (e) => badge(e.event_type, /Message/.test(e.event_type) ? 'neutral' : 'info') },
        { key: 'call_id', label: 'Call', render: (e) => callLink(e, org.timezone) },
        { key: 'from_number', label: 'From', render: (e) => phone(e.from_number) },
        { key: 'to_number', label: 'To', render: (e) => phone(e.to_number) },
        { key: 'extension', label: 'Extension', render: (e) => e.extension || '—' },
        { key: 'occurred_at', label: 'Occurred', csvOnly: true },
      ],
    });
    root.append(pageHeader('Webhook events', { subtitle: org.name }), t.el);
    onLive(org, ['call', 'sms'], () => t.refresh(), { signal: ctx.signal, fallbackMs: 15_000 });
  },
};
