// GET /calls (skip paging, newest first, default window: the last 24 h) and
// GET /calls/{id}. Envelope {"data":…,"isSuccess":true}; errors {"message"…}.

import { callJson } from '../render.mjs';
import { mcError } from '../http.mjs';
import { listParam } from '../format.mjs';
import { skipPaging, ok } from './paging.mjs';

const FILTERS = {
  incoming: { dirs: [0] }, outgoing: { dirs: [1] }, inoutgoing: { dirs: [0, 1] },
  connected: { stats: [0] }, missed: { stats: [1] }, voicemail: { stats: [2] }, dropped: { stats: [3] },
  canceled: { stats: [] }, internalonly: { none: true }, callbackwidget: { none: true },
};

function listCalls(ctx) {
  const { query: q, account: ds, now } = ctx;
  const p = skipPaging(q, { defaultPageSize: 10, defaultFrom: now - 86400000, defaultTo: now });
  const ms = p.modelState ?? {};
  let dirs = null, stats = null, none = false;
  for (const f of listParam(q, 'callFilter') ?? []) {
    const def = FILTERS[f];
    if (!def) { (ms.callFilter ??= []).push(`The value '${f}' is not valid for CallFilter.`); continue; }
    if (def.dirs) dirs = new Set([...(dirs ?? []), ...def.dirs]);
    if (def.stats) stats = new Set([...(stats ?? []), ...def.stats]);
    if (def.none) none = true;
  }
  if (Object.keys(ms).length) return mcError(400, 'The request is invalid.', ms);
  const C = ds.calls;
  const ext = q.get('extension');
  const extIdx = ext ? ds.extIndex.get(ext.trim()) ?? -1 : null;
  const search = (q.get('customFilter') ?? '').trim().toLowerCase();
  const filter = (none || dirs || stats || extIdx !== null || search) ? (s) => {
    if (none) return false;
    if (dirs && !dirs.has(C.dir[s])) return false;
    if (stats && !stats.has(C.status[s])) return false;
    if (extIdx !== null) {
      // the handling agent, or the second agent rung on a missed inbound call
      const e = C.ext[s];
      const second = C.dir[s] === 0 && C.status[s] === 1 && ds.users.length > 1 ? (e + 1) % ds.users.length : -1;
      if (e !== extIdx && second !== extIdx) return false;
    }
    if (search) {
      const hay = `${ds.clients[C.client[s]]} ${ds.clientName(C.client[s])} ${ds.users[C.ext[s]].fullName} ${ds.numbers[C.num[s]].number}`;
      if (!hay.toLowerCase().includes(search)) return false;
    }
    return true;
  } : null;
  const { total, page } = ds.callOrder.page({ from: p.from, to: p.to, filter, skip: p.skip, take: ctx.sim.faults.pageSize(p.pageSize) });
  return ok({ calls: page.map((s) => callJson(ds, s)), total });
}

function getCall(ctx) {
  const ds = ctx.account;
  const s = ds.callSeq(ctx.params.id);
  if (s < 0) return mcError(400, 'Call not found');
  return ok(callJson(ds, s));
}

export default [
  { method: 'GET', path: '/calls', handler: listCalls },
  { method: 'GET', path: '/calls/{id}', handler: getCall },
];
