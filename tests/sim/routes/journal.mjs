// GET /journal/requests (page/pageSize ≤ 1000, newest first unless
// reverse=true, filters type/state/origin/from/to/businessNumber/phone/…) and
// GET /journal/requests/{requestId}. The list comes without an envelope
// ({currentPage, requests}) as in the Swagger example, or as {data:{…}} when
// the journal_envelope fault setting says "data". Errors: {errorCode, message, data?}.
// Unknown query parameters are rejected (FilterParamsMalformed), like the real API.

import { createHash } from 'node:crypto';
import { journalJson } from '../render.mjs';
import { codeError, json } from '../http.mjs';
import { parseUtc, parseIntParam, digits, isoZ } from '../format.mjs';
import { K_CALL, S_CONNECTED, S_MISSED, S_VOICEMAIL, F_VM_READ, M_THREAD, M_READ } from '../data.mjs';

const PARAMS = ['resolvecontacts', 'showexternalcontacts', 'showusers', 'pagesize', 'page', 'reverse', 'inbound',
  'outbound', 'callbacks', 'origin', 'state', 'isread', 'groupid', 'userid', 'vmboxid', 'type', 'from', 'earliest',
  'to', 'latest', 'phone', 'email', 'wfstate', 'searchproperty', 'searchtext', 'businessnumber'];
const TYPES = ['unspecified', 'call', 'message', 'messagethread', 'task', 'callbackrequest', 'service', 'default', 'all', 'voicemail'];
const STATES = ['missed', 'connected', 'voicemail', 'dropped', 'noanswer', 'scheduled', 'message', 'all'];
const ORIGINS = ['unspecified', 'inbound', 'outbound', 'callback', 'internal', 'all'];
const BOOL = ['true', 'false'];

const malformed = (data) => codeError(400, 'FilterParamsMalformed', 'Filter params malformed', data);

/** Lower-cased name → all values, so parameter names bind case-insensitively. */
function lowerQuery(q) {
  const m = new Map();
  for (const [k, v] of q) {
    const key = k.toLowerCase();
    if (!m.has(key)) m.set(key, []);
    m.get(key).push(v);
  }
  return m;
}

const listOf = (m, name) => {
  const v = (m.get(name) ?? []).flatMap((x) => x.split(',')).map((x) => x.trim().toLowerCase()).filter(Boolean);
  return v.length ? v : null;
};

/** Attributes of a journal key used by the filters. */
function attrs(ds, k) {
  const s = k >> 1;
  if ((k & 1) === K_CALL) {
    const C = ds.calls, st = C.status[s], inbound = C.dir[s] === 0;
    const state = st === S_CONNECTED ? 'connected' : st === S_MISSED ? (inbound ? 'missed' : 'noanswer') : st === S_VOICEMAIL ? 'voicemail' : 'dropped';
    const read = st === S_VOICEMAIL || st === S_MISSED ? (C.flags[s] & F_VM_READ) !== 0 : true;
    return { type: 'call', state, origin: inbound ? 'inbound' : 'outbound', read, num: C.num[s], client: C.client[s], ext: C.ext[s], agent: true };
  }
  const M = ds.sms;
  return {
    type: M.flags[s] & M_THREAD ? 'messagethread' : 'message', state: 'message', origin: M.dir[s] === 0 ? 'inbound' : 'outbound',
    read: (M.flags[s] & M_READ) !== 0, num: M.num[s], client: M.client[s], ext: M.ext[s], agent: M.dir[s] !== 0,
  };
}

/**
 * journal_guid "distinct": a call's journal entry gets a requestGuid of its own
 * (not the /calls id — the Swagger never says they are equal) and a `created`
 * up to 1.5 s off the call's start. Other entries stay as they are.
 */
function render(sim, ds, k, resolve) {
  const r = journalJson(ds, k, resolve);
  if (sim.faults.s.journal_guid !== 'distinct' || (k & 1) !== K_CALL) return r;
  const h = createHash('sha256').update(`journal-guid:${r.requestGuid}`).digest('hex');
  r.requestGuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  r.created = isoZ(Date.parse(r.created) + (parseInt(h.slice(32, 36), 16) % 3001) - 1500);
  return r;
}

function listRequests(ctx) {
  const { query, account: ds, sim } = ctx;
  const m = lowerQuery(query);
  const unsupported = [...query.keys()].filter((k) => !PARAMS.includes(k.toLowerCase()));
  if (unsupported.length) return malformed({ unsupportedFilters: [...new Set(unsupported)] });

  const invalid = [];
  const one = (name) => m.get(name)?.[0];
  const pageSize = parseIntParam(one('pagesize')), page = parseIntParam(one('page'));
  if (Number.isNaN(pageSize) || pageSize === 0 || pageSize > 1000) invalid.push('pageSize');
  if (Number.isNaN(page) || page === 0) invalid.push('page');
  const check = (name, allowed) => {
    const v = listOf(m, name);
    if (v && v.some((x) => !allowed.includes(x))) invalid.push(name);
    return v && !v.includes('all') ? new Set(v) : null;
  };
  const types = check('type', TYPES), states = check('state', STATES), origins = check('origin', ORIGINS);
  const perOrigin = {};
  for (const o of ['inbound', 'outbound', 'callbacks']) {
    const v = listOf(m, o);
    if (v) { if (v.some((x) => !STATES.includes(x))) invalid.push(o); perOrigin[o === 'callbacks' ? 'callback' : o] = v.includes('all') ? null : new Set(v); }
  }
  for (const b of ['isread', 'reverse', 'resolvecontacts']) if (one(b) !== undefined && !BOOL.includes(one(b).toLowerCase())) invalid.push(b);
  const date = (a, b) => {
    const v = one(a) ?? one(b);
    if (v === undefined || v === '') return undefined;
    const t = parseUtc(v);
    if (Number.isNaN(t)) invalid.push(one(a) !== undefined ? a : b);
    return t;
  };
  const from = date('from', 'earliest'), to = date('to', 'latest');
  if (invalid.length) return malformed({ invalidFilters: invalid });

  const numbers = listOf(m, 'businessnumber')?.map(digits);
  const numSet = numbers ? new Set(ds.numbers.map((p, i) => (numbers.includes(digits(p.number)) ? i : -1)).filter((i) => i >= 0)) : null;
  const phones = listOf(m, 'phone')?.map(digits);
  const users = listOf(m, 'userid');
  const userSet = users ? new Set(ds.users.map((u, i) => (users.includes(u.id) ? i : -1)).filter((i) => i >= 0)) : null;
  const isRead = one('isread') !== undefined ? one('isread').toLowerCase() === 'true' : null;
  const search = (one('searchtext') ?? '').trim().toLowerCase();
  const hasPerOrigin = Object.keys(perOrigin).length > 0;

  const filter = (k) => {
    const a = attrs(ds, k);
    if (types && !types.has(a.type) && !(types.has('voicemail') && a.state === 'voicemail')) return false;
    if (states && !states.has(a.state)) return false;
    if (origins && !origins.has(a.origin)) return false;
    if (hasPerOrigin) {
      if (!(a.origin in perOrigin)) return false;
      const st = perOrigin[a.origin];
      if (st && !st.has(a.state)) return false;
    }
    if (numSet && !numSet.has(a.num)) return false;
    if (phones && !phones.includes(digits(ds.clients[a.client]))) return false;
    if (userSet && !(a.agent && userSet.has(a.ext))) return false;
    if (isRead !== null && a.read !== isRead) return false;
    if (search) {
      const text = (k & 1) === K_CALL ? '' : ds.smsText_(k >> 1);
      const hay = `${ds.clients[a.client]} ${ds.numbers[a.num].number} ${ds.numbers[a.num].label} ${text}`.toLowerCase();
      if (!hay.includes(search)) return false;
    }
    return true;
  };
  const size = sim.faults.pageSize(pageSize ?? 100), current = page ?? 1;
  const reverse = (one('reverse') ?? '').toLowerCase() === 'true';
  const { page: keys } = ds.journal.page({ from, to, ascending: reverse, filter, skip: (current - 1) * size, take: size });
  const resolve = (one('resolvecontacts') ?? '').toLowerCase() === 'true';
  const list = { currentPage: current, requests: keys.map((k) => render(sim, ds, k, resolve)) };
  return json(200, sim.faults.s.journal_envelope === 'data' ? { data: list } : list);
}

function getRequest(ctx) {
  const { account: ds, params, query, sim } = ctx;
  if (!/^[0-9a-fA-F]{24}$/.test(params.requestId)) {
    return codeError(400, 'RequestIdHasInvalidFormat', `Request Id(s) '${params.requestId}' has invalid format`);
  }
  const k = ds.journalRef(params.requestId);
  if (k < 0) return codeError(404, 'RequestIsNotFound', 'Request is not found');
  const r = render(sim, ds, k, (query.get('resolveContacts') ?? '').toLowerCase() === 'true');
  return json(200, sim.faults.s.journal_envelope === 'data' ? { data: r } : r);
}

export default [
  { method: 'GET', path: '/journal/requests', handler: listRequests },
  { method: 'GET', path: '/journal/requests/{requestId}', handler: getRequest },
];
