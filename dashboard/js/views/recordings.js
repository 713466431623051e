// views/recordings.js — call recordings (GET /api/orgs/:orgId/recordings),
// played in the page through the API (audio_url; components/player.js).
// Other party is the customer (other_number: the number called of an
// outbound call), Agent the name as the Calls page shows it.
import { h } from '../dom.js';
import { getPage, orgPath } from '../api.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { dateRangeFilters, phoneFilter, selectFilter } from '../components/filters.js';
import { audioPlayer } from '../components/player.js';
import { pageHeader } from '../components/page.js';
import { dateTime, duration, phone, humanize } from '../format.js';

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const player = audioPlayer('Recording player');
    const t = dataTable({
      caption: 'Recordings',
      csvName: 'recordings',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [...dateRangeFilters(), phoneFilter('Business number'), selectFilter('direction', 'Direction', ['inbound', 'outbound'])],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/recordings'), q, { signal }),
      empty: 'No recordings match these filters.',
      columns: [
        { key: 'date', label: 'Date', render: (r) => dateTime(r.date), className: 'col-date' },
        { key: 'phone_number', label: 'Business number', render: (r) => phone(r.phone_number) },
        { key: 'direction', label: 'Direction', render: (r) => humanize(r.direction) || '—' },
        { key: 'other_number', label: 'Other party', render: (r) => phone(r.other_number), csv: (r) => r.other_number ?? '' },
        { key: 'agent', label: 'Agent', render: (r) => r.agent || (r.extension ? `ext. ${r.extension}` : '—'), csv: (r) => r.agent ?? '' },
        { key: 'extension', label: 'Extension', csvOnly: true },
        { key: 'duration_seconds', label: 'Duration', render: (r) => duration(r.duration_seconds), className: 'num' },
        { key: 'audio_url', label: 'Audio (API path)', csvOnly: true },
      ],
      actions: (r) => {
        const url = r.audio_url ?? orgPath(org.id, `/recordings/${r.id}/audio`);
        const what = `recording of ${phone(r.other_number ?? r.phone_number)} on ${dateTime(r.date)}`;
        const b = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Play ${what}`, onclick: () => player.play(url, what, b) }, 'Play');
        return b;
      },
    });
    root.append(pageHeader('Recordings', { subtitle: org.name }), t.el, player.el);
  },
};
