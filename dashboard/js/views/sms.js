// views/sms.js — the SMS log (GET /api/orgs/:orgId/sms): every message,
// filterable; the other party shows the contact's name and opens the
// conversation (its thread, or the Messages page searched for the number).
import { h } from '../dom.js';
import { getPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { dateRangeFilters, phoneFilter, selectFilter } from '../components/filters.js';
import { pageHeader, badge } from '../components/page.js';
import { dateTime, phone, humanize } from '../format.js';

/** The other party, linked to its conversation. */
function conversationLink(r) {
  const href = r.thread_id ? `#/messages/${encodeURIComponent(r.thread_id)}`
    : `#/messages?search=${encodeURIComponent(r.contact_number ?? '')}`;
  return h('a', { href, class: 'conversation-link', title: 'Open the conversation' },
    r.contact_name ? [r.contact_name, ' '] : null,
    h('span', { class: r.contact_name ? 'muted nowrap' : 'nowrap' }, phone(r.contact_number)));
}

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const t = dataTable({
      caption: 'SMS messages',
      csvName: 'sms',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [...dateRangeFilters(), phoneFilter('Business number'), selectFilter('direction', 'Direction', ['inbound', 'outbound']),
        selectFilter('status', 'Status', ['received', 'sent', 'delivered', 'queued', 'failed'])],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/sms'), q, { signal }),
      empty: 'No messages match these filters.',
      columns: [
        { key: 'date', label: 'Date', render: (r) => dateTime(r.date), className: 'col-date' },
        { key: 'direction', label: 'Direction', render: (r) => badge(humanize(r.direction), r.direction === 'inbound' ? 'info' : 'neutral') },
        { key: 'phone_number', label: 'Business number', render: (r) => phone(r.phone_number) },
        { key: 'contact_number', label: 'Other party', render: (r) => conversationLink(r), csv: (r) => r.contact_number ?? '' },
        { key: 'contact_name', label: 'Contact name', csvOnly: true },
        { key: 'message', label: 'Message', className: 'col-text', render: (r) => r.message ?? '' },
        { key: 'status', label: 'Status', render: (r) => [humanize(r.status), r.failure_reason ? h('span', { class: 'text-error block' }, r.failure_reason) : null], csv: (r) => r.status },
        { key: 'failure_reason', label: 'Failure reason', csvOnly: true },
      ],
    });
    root.append(pageHeader('SMS log', { subtitle: org.name, actions: h('a', { class: 'btn', href: '#/messages' }, 'Open conversations') }), t.el);
  },
};
