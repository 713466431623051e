// components/activity-link.js — the text of an activity entry; for a missed
// call or a voicemail (entries with `call`), a link that opens that call in
// the calls list: its local day in the org's time zone, its business number
// and, for a missed call, the "missed" type (voicemails open the voicemails).
import { h } from '../dom.js';
import { buildHash } from '../router.js';
import { ymd } from '../format.js';

export function activityText(a, timeZone) {
  const text = a.description ?? a.type;
  if (!a.call?.started_at) return h('span', { class: 'activity-text' }, text);
  const day = ymd(new Date(a.call.started_at), timeZone);
  const q = { date_from: day, date_to: day, phone_number: a.call.business_number ?? undefined };
  const href = a.type === 'voicemail' ? buildHash('/voicemails', { date_from: day, date_to: day })
    : buildHash('/calls', { ...q, type: 'missed' });
  return h('a', { class: 'activity-text', href, dataset: { callId: a.call.id } }, text);
}
