// GET /voicemails (skip paging, newest first, no default time window) and
// GET /voicemails/{id}. Envelope {"data":…,"isSuccess":true}.

import { voicemailJson } from '../render.mjs';
import { mcError } from '../http.mjs';
import { listParam } from '../format.mjs';
import { F_VM_READ } from '../data.mjs';
import { skipPaging, ok } from './paging.mjs';

const KNOWN = ['none', 'read', 'unread', 'readandunread', 'callername', 'calleraddress', 'calledname',
  'calledaddress', 'starttime', 'startdate', 'duration', 'textfields'];

function listVoicemails(ctx) {
  const { query: q, account: ds } = ctx;
  const p = skipPaging(q, { defaultPageSize: 10, defaultFrom: -Infinity, defaultTo: Infinity });
  const ms = p.modelState ?? {};
  const filters = listParam(q, 'voicemailFilter') ?? [];
  for (const f of filters) if (!KNOWN.includes(f)) (ms.voicemailFilter ??= []).push(`The value '${f}' is not valid for VoicemailFilter.`);
  if (Object.keys(ms).length) return mcError(400, 'The request is invalid.', ms);
  const C = ds.calls;
  const wantRead = filters.includes('read'), wantUnread = filters.includes('unread');
  const readFilter = wantRead !== wantUnread ? (wantRead ? 1 : 0) : null;
  const search = (q.get('customFilter') ?? '').trim().toLowerCase();
  const filter = readFilter !== null || search ? (s) => {
    if (readFilter !== null && ((C.flags[s] & F_VM_READ) ? 1 : 0) !== readFilter) return false;
    if (search) {
      const hay = `${ds.clients[C.client[s]]} ${ds.clientName(C.client[s])} ${ds.numbers[C.num[s]].number} ${ds.users[C.ext[s]].fullName}`;
      if (!hay.toLowerCase().includes(search)) return false;
    }
    return true;
  } : null;
  const { total, page } = ds.vmOrder.page({ from: p.from, to: p.to, filter, skip: p.skip, take: ctx.sim.faults.pageSize(p.pageSize) });
  return ok({ voicemails: page.map((s) => voicemailJson(ds, s)), total });
}

function getVoicemail(ctx) {
  const ds = ctx.account;
  const s = ds.voicemailSeq(ctx.params.id);
  if (s < 0) return mcError(400, 'Voicemail not found');
  return ok(voicemailJson(ds, s));
}

export default [
  { method: 'GET', path: '/voicemails', handler: listVoicemails },
  { method: 'GET', path: '/voicemails/{id}', handler: getVoicemail },
];
