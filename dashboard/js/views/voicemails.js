// views/voicemails.js — voicemails (GET /api/orgs/:orgId/voicemails), played in
// the page through the API (audio_url; components/player.js). Playing one marks
// it read; Mark read / Mark unread set it by hand (POST …/mark-read|mark-unread).
import { h } from '../dom.js';
import { api, getPage, orgPath } from '../api.js';
import { toast } from '../notify.js';
import * as session from '../session.js';
import { dataTable } from '../components/table.js';
import { dateRangeFilters, phoneFilter, selectFilter } from '../components/filters.js';
import { audioPlayer } from '../components/player.js';
import { pageHeader } from '../components/page.js';
import { dateTime, duration, phone, humanize } from '../format.js';
import { onLive } from '../live.js';

export default {
  render(root, ctx) {
    const org = session.currentOrg();
    const player = audioPlayer('Voicemail player');
    const t = dataTable({
      caption: 'Voicemails',
      csvName: 'voicemails',
      signal: ctx.signal,
      state: ctx.query,
      onState: ctx.setQuery,
      filters: [...dateRangeFilters(), phoneFilter('Number called'), selectFilter('status', 'Status', ['unread', 'read'])],
      fetchPage: (q, signal) => getPage(orgPath(org.id, '/voicemails'), q, { signal }),
      empty: 'No voicemails match these filters.',
      columns: [
        { key: 'date', label: 'Date', render: (r) => dateTime(r.date), className: 'col-date' },
        { key: 'caller_number', label: 'From', render: (r) => phone(r.caller_number) },
        { key: 'phone_number', label: 'Number called', render: (r) => phone(r.phone_number) },
        { key: 'assigned_to', label: 'Mailbox', render: (r) => r.assigned_to || '—' },
        { key: 'duration_seconds', label: 'Duration', render: (r) => duration(r.duration_seconds), className: 'num' },
        { key: 'status', label: 'Status', render: (r) => humanize(r.status) },
        { key: 'transcription', label: 'Transcript', render: (r) => r.transcription || '—', className: 'col-text' },
      ],
      actions: (r, { refresh }) => {
        const setRead = async (read, quiet) => {
          try {
            await api.post(orgPath(org.id, `/voicemails/${r.id}/${read ? 'mark-read' : 'mark-unread'}`));
            r.status = read ? 'read' : 'unread';
            refresh();
          } catch (err) {
            if (!quiet) toast(`Could not mark the voicemail ${read ? 'read' : 'unread'}: ${err.message}`, 'error');
          }
        };
        const mark = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Mark voicemail from ${phone(r.caller_number)} ${r.status === 'unread' ? 'read' : 'unread'}`,
          onclick: () => setRead(r.status === 'unread', false) }, r.status === 'unread' ? 'Mark read' : 'Mark unread');
        if (!r.audio_url) return [h('span', { class: 'muted' }, 'No audio'), mark];
        const what = `voicemail from ${phone(r.caller_number)} on ${dateTime(r.date)}`;
        const b = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Play ${what}`,
          onclick: () => player.play(r.audio_url, what, b, { onStart: () => { if (r.status === 'unread') setRead(true, true); } }) }, 'Play');
        return [b, mark];
      },
    });
    root.append(pageHeader('Voicemails', { subtitle: org.name }), t.el, player.el);
    onLive(org, ['voicemail'], () => t.refresh(), { signal: ctx.signal, fallbackMs: 30_000 });
  },
};
