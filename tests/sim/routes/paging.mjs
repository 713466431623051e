// Query validation shared by the skip-paged families (/calls, /voicemails):
// pageSize, skip, startUtc, endUtc, with ASP.NET-style modelState errors.

import { parseIntParam, parseUtc } from '../format.mjs';

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const bad = (ms, name, v) => { (ms[name] ??= []).push(`The value '${v}' is not valid for ${cap(name)}.`); };

/**
 * → { pageSize, skip, from, to, modelState } ; modelState is null when valid.
 * `defaultFrom`/`defaultTo` apply when startUtc/endUtc are absent.
 */
export function skipPaging(q, { defaultPageSize, defaultFrom, defaultTo }) {
  const ms = {};
  const pageSize = parseIntParam(q.get('pageSize'));
  const skip = parseIntParam(q.get('skip'));
  if (Number.isNaN(pageSize) || pageSize === 0 || pageSize > 2147483647) bad(ms, 'pageSize', q.get('pageSize'));
  if (Number.isNaN(skip) || skip > 2147483647) bad(ms, 'skip', q.get('skip'));
  let from = defaultFrom, to = defaultTo;
  if (q.get('startUtc')) { from = parseUtc(q.get('startUtc')); if (Number.isNaN(from)) bad(ms, 'startUtc', q.get('startUtc')); }
  if (q.get('endUtc')) { to = parseUtc(q.get('endUtc')); if (Number.isNaN(to)) bad(ms, 'endUtc', q.get('endUtc')); }
  return {
    pageSize: pageSize ?? defaultPageSize, skip: skip ?? 0, from, to,
    modelState: Object.keys(ms).length ? ms : null,
  };
}

export const ok = (data) => ({ status: 200, body: { data, isSuccess: true } });
