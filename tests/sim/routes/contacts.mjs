// Contacts: GET/POST/DELETE /contacts and GET/PUT/PATCH/DELETE /contacts/{contactId}.
// Envelope {data?, errorCode?, message?}. An etag may be given as If-Match,
// ?etag=, ?contactPatch.patchData.etag= or "etag" in the body; a stale one
// gives 412 {data: <current contact>, errorCode: "ContactWasModified", …}.
// ?updatedSince= returns changed contacts including deleted ones (state "deleted").

import { json, codeError, parseJson } from '../http.mjs';
import { parseUtc, parseIntParam } from '../format.mjs';

const PARAMS = ['agentid', 'page', 'pagesize', 'all', 'name', 'phone', 'email', 'label', 'tag', 'comment', 'updatedsince', 'includeauto'];
const malformed = (data) => codeError(400, 'FilterParamsMalformed', 'Filter params malformed', data);
const fromError = (r) => json(r.error.status, r.error.body);

function list(ctx) {
  const { query, account: ds } = ctx;
  const q = new URLSearchParams();
  const unsupported = [];
  for (const [k, v] of query) { if (PARAMS.includes(k.toLowerCase())) q.append(k.toLowerCase(), v); else unsupported.push(k); }
  if (unsupported.length) return malformed({ unsupportedFilters: [...new Set(unsupported)] });
  const invalid = [];
  const page = parseIntParam(q.get('page')), pageSize = parseIntParam(q.get('pagesize'));
  if (Number.isNaN(page) || page === 0) invalid.push('page');
  if (Number.isNaN(pageSize) || pageSize === 0 || pageSize > 1000) invalid.push('pageSize');
  let since;
  if (q.get('updatedsince')) { since = parseUtc(q.get('updatedsince')); if (Number.isNaN(since)) invalid.push('updatedSince'); }
  if (invalid.length) return malformed({ invalidFilters: invalid });
  const rows = ds.contacts.search(q, since);
  const size = ctx.sim.faults.pageSize(pageSize ?? 100), current = page ?? 1;
  const slice = rows.slice((current - 1) * size, current * size);
  return json(200, {
    data: {
      contacts: slice.map((c) => ds.contacts.render(c)),
      pages: Math.ceil(rows.length / size), records: rows.length, currentPage: rows.length ? current : null,
    },
  });
}

function bodyOf(ctx) {
  const p = parseJson(ctx.body);
  if (p.error || (p.value !== undefined && (typeof p.value !== 'object' || p.value === null || Array.isArray(p.value)))) {
    return { error: codeError(400, 'ContactDataMalformed', 'Contact data is malformed') };
  }
  return { value: p.value ?? {} };
}

function etagOf(ctx, body) {
  return ctx.req.headers['if-match'] ?? ctx.query.get('etag') ?? ctx.query.get('contactPatch.patchData.etag') ?? body?.etag ?? undefined;
}

function create(ctx) {
  const b = bodyOf(ctx);
  if (b.error) return b.error;
  const r = ctx.account.contacts.create(b.value, ctx.now);
  if (r.error) return fromError(r);
  return json(201, { data: ctx.account.contacts.render(r.contact), message: 'Created' },
    { location: `${ctx.account.baseUrl}/v4/api/contacts/${r.contact.contactId}` });
}

function getOne(ctx) {
  const r = ctx.account.contacts.get(ctx.params.contactId);
  return r.error ? fromError(r) : json(200, { data: { contacts: [ctx.account.contacts.render(r.contact)] } });
}

const update = (partial) => (ctx) => {
  const b = bodyOf(ctx);
  if (b.error) return b.error;
  const r = ctx.account.contacts.update(ctx.params.contactId, b.value, etagOf(ctx, b.value), ctx.now, partial);
  return r.error ? fromError(r) : json(200, { data: ctx.account.contacts.render(r.contact), message: 'Updated' });
};

function removeOne(ctx) {
  const r = ctx.account.contacts.remove(ctx.params.contactId, etagOf(ctx, null), ctx.now);
  if (r.error) return fromError(r);
  const c = ctx.account.contacts.render(r.contact);
  delete c.state;
  return json(200, { data: { contacts: [c] }, message: 'Deleted' });
}

function removeMany(ctx) {
  const store = ctx.account.contacts;
  const ids = (ctx.query.get('contactIds') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const tag = ctx.query.get('tag');
  if (!ids.length && !tag) return codeError(400, 'ContactDataMalformed', 'Contact data is malformed');
  let targets;
  if (ids.length) {
    const bad = ids.find((id) => !/^[0-9a-fA-F]{24}$/.test(id));
    if (bad) return codeError(400, 'ContactIdHasInvalidFormat', `Contact Id '${bad}' has invalid format`);
    const missing = ids.filter((id) => store.get(id).error);
    if (missing.length) return codeError(404, 'ContactIsNotFound', 'Contact is not found', { notFoundIds: missing });
    targets = ids;
  } else {
    targets = store.list.filter((c) => !c.deleted && c.tags.includes(tag)).map((c) => c.contactId);
    if (!targets.length) return codeError(404, 'ContactIsNotFound', 'Contact is not found');
  }
  for (const id of targets) store.remove(id, undefined, ctx.now);
  return json(200, { message: 'Deleted' });
}

export default [
  { method: 'GET', path: '/contacts', handler: list },
  { method: 'POST', path: '/contacts', handler: create },
  { method: 'DELETE', path: '/contacts', handler: removeMany },
  { method: 'GET', path: '/contacts/{contactId}', handler: getOne },
  { method: 'PUT', path: '/contacts/{contactId}', handler: update(false) },
  { method: 'PATCH', path: '/contacts/{contactId}', handler: update(true) },
  { method: 'DELETE', path: '/contacts/{contactId}', handler: removeOne },
];
