// route_params.test.mjs — query parameters are declared per route in the C
// route table and validated by the router before any handler runs:
// - the declarations (vs-api --routes) and docs/openapi.yaml agree: the same
//   `in: query` names, required flags, enums and integer bounds per operation;
// - an unknown parameter, or one given twice, is 400 naming it (SPEC §2 error
//   body, details {field, reason}); on every kind of route, list or not;
// - it comes after authentication and authorization (401/403/404 first);
// - valid requests answer as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, api, assertError, useSourceAddress } from './lib.mjs';
import { openapi } from './openapi_check.mjs';
import { routeTable, templateOf } from './route_table.mjs';
import { apiKeyFor, newOrg, platformAdmin, userWithRole } from './fixtures.mjs';

useSourceAddress('127.0.0.92');

function resolve(doc, obj) {
  for (let i = 0; obj?.$ref && i < 10; i++) {
    obj = obj.$ref.slice(2).split('/').reduce((o, k) => o?.[k], doc);
  }
  return obj;
}

const sorted = (a) => [...a].map(String).sort();

/** Differences between one route's declarations and its operation's query parameters. */
function compare(doc, route) {
  const where = `${route.method} ${route.pattern}`;
  const item = doc.paths[templateOf(route.pattern)];
  const op = item?.[route.method.toLowerCase()];
  if (!op) return [`${where}: no operation in docs/openapi.yaml`];
  const documented = new Map();
  for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x) => resolve(doc, x))) {
    if (p.in === 'query') documented.set(p.name, p);
  }
  const problems = [];
  const declared = new Map(route.params.map((p) => [p.name, p]));
  for (const name of documented.keys()) {
    if (!declared.has(name)) problems.push(`${where}: ?${name} is documented but not declared in the route table`);
  }
  for (const [name, d] of declared) {
    const p = documented.get(name);
    if (!p) { problems.push(`${where}: ?${name} is declared but not documented`); continue; }
    const s = resolve(doc, p.schema) ?? {};
    const at = `${where} ?${name}`;
    if ((p.required ?? false) !== d.required) problems.push(`${at}: required ${p.required ?? false} in the document, ${d.required} in the table`);
    const en = s.enum ? resolve(doc, s).enum : undefined;
    if (d.enum) {
      if (!en) problems.push(`${at}: the table allows only ${d.enum.join('|')}, the document has no enum`);
      else if (sorted(en).join('|') !== sorted(d.enum).join('|')) problems.push(`${at}: enum ${sorted(en).join('|')} in the document, ${sorted(d.enum).join('|')} in the table`);
    } else if (en) {
      problems.push(`${at}: the document has an enum, the table declares a ${d.type}`);
    }
    if (d.type === 'integer') {
      if (s.type !== 'integer') problems.push(`${at}: integer in the table, ${s.type} in the document`);
      if (s.minimum !== d.min || s.maximum !== d.max) problems.push(`${at}: bounds ${s.minimum}..${s.maximum} in the document, ${d.min}..${d.max} in the table`);
      if (s.default !== d.default) problems.push(`${at}: default ${s.default} in the document, ${d.default} in the table`);
    } else if (s.type === 'integer') {
      problems.push(`${at}: integer in the document, ${d.type} in the table`);
    }
    if (d.type === 'uuid' && s.format !== 'uuid') problems.push(`${at}: a UUID in the table, format ${s.format} in the document`);
    if (d.type === 'string') {
      if (s.maxLength !== d.maxLength) problems.push(`${at}: maxLength ${s.maxLength} in the document, ${d.maxLength} in the table`);
      if (d.minLength > 0 && s.minLength !== d.minLength) problems.push(`${at}: minLength ${s.minLength} in the document, ${d.minLength} in the table`);
    }
  }
  return problems;
}

test('every route declares the query parameters docs/openapi.yaml documents (names, required, enums, bounds)', () => {
  const { doc } = openapi(ROOT);
  const routes = routeTable();
  assert.ok(routes.length > 50, `read the route table (${routes.length} routes)`);
  const paged = routes.filter((r) => r.params.some((p) => p.name === 'limit'));
  assert.ok(paged.length >= 15, `the paged lists declare limit (${paged.length})`);
  for (const r of paged) {
    const limit = r.params.find((p) => p.name === 'limit');
    assert.deepEqual([limit.min, limit.max, limit.default], [1, 500, 50], `${r.pattern}: the shared page declaration`);
  }
  assert.deepEqual(routes.flatMap((r) => compare(doc, r)), []);
});

test('the comparison itself finds a difference of name, required flag, enum and bound', () => {
  const { doc } = openapi(ROOT);
  const calls = routeTable().find((r) => r.pattern === '/api/orgs/:orgId/calls');
  const mutate = (f) => { const c = structuredClone(calls); f(c.params); return compare(doc, c); };
  assert.deepEqual(compare(doc, calls), []);
  assert.match(mutate((ps) => ps.push({ name: 'phone', type: 'string', required: false })).join(), /\?phone is declared but not documented/);
  assert.match(mutate((ps) => ps.splice(ps.findIndex((p) => p.name === 'type'), 1)).join(), /\?type is documented but not declared/);
  assert.match(mutate((ps) => { ps.find((p) => p.name === 'direction').required = true; }).join(), /required false in the document, true/);
  assert.match(mutate((ps) => { ps.find((p) => p.name === 'direction').enum.push('sideways'); }).join(), /enum inbound\|outbound in the document/);
  assert.match(mutate((ps) => { ps.find((p) => p.name === 'limit').max = 1000; }).join(), /bounds 1\.\.500 in the document, 1\.\.1000/);
});

test('unknown or repeated query parameters → 400 naming them, on list and non-list routes', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const key = await apiKeyFor(org.id);
  const bad = async (path, field, reason, h = key.headers) => {
    const res = await api.get(path, { headers: h });
    assertError(assert, res, 400, 'BAD_REQUEST');
    assert.equal(res.json.details.field, field, `${path}: ${res.text}`);
    assert.equal(res.json.details.reason, reason, path);
  };
  // a typo of phone_number used to answer the unfiltered list
  await bad(`/api/orgs/${org.id}/calls?phone=%2B1202`, 'phone', 'unknown parameter');
  await bad(`/api/orgs/${org.id}/calls?limit=1&limit=2`, 'limit', 'given more than once');
  await bad(`/api/orgs/${org.id}/calls?limit=1&limit=1`, 'limit', 'given more than once');
  await bad(`/api/orgs/${org.id}/sms?direction=inbound&direction`, 'direction', 'given more than once');
  await bad(`/api/orgs/${org.id}/voicemails?direction=inbound`, 'direction', 'unknown parameter');
  await bad(`/api/orgs/${org.id}/recordings?status=read`, 'status', 'unknown parameter');
  await bad(`/api/orgs/${org.id}/contacts?_=1700000000000`, '_', 'unknown parameter');
  await bad(`/api/orgs/${org.id}/metrics?x=1`, 'x', 'unknown parameter');
  await bad('/api/user/profile?x=1', 'x', 'unknown parameter', headers);
  await bad('/api/user/profile?x', 'x', 'unknown parameter', headers);
  await bad('/api/admin/orgs?skip=0&page=2', 'page', 'unknown parameter', headers);
  // names are reported as sent (still percent-encoded), at most 64 characters
  await bad(`/api/orgs/${org.id}/calls?%FF%00=1`, '%FF%00', 'unknown parameter');
  await bad(`/api/orgs/${org.id}/calls?${'n'.repeat(300)}=1`, 'n'.repeat(64), 'unknown parameter');
});

test('the parameter check comes after authentication and authorization', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const other = await newOrg(headers);
  const agent = await userWithRole(org.id, 'agent');
  const anon = await api.get(`/api/orgs/${org.id}/calls?phone=1`);
  assertError(assert, anon, 401, 'UNAUTHORIZED');
  const stranger = await api.get(`/api/orgs/${other.id}/calls?phone=1`, { headers: agent.headers });
  assertError(assert, stranger, 404, 'NOT_FOUND');
  const notManager = await api.get(`/api/admin/orgs/${org.id}/members?bogus=1`, { headers: agent.headers });
  assertError(assert, notManager, 403, 'FORBIDDEN');
  const member = await api.get(`/api/orgs/${org.id}/calls?bogus=1`, { headers: agent.headers });
  assertError(assert, member, 400, 'BAD_REQUEST');
  assert.equal(member.json.details.field, 'bogus');
});

test('valid requests answer as before: declared filters, empty filters, defaults', async () => {
  const { headers } = await platformAdmin();
  const org = await newOrg(headers);
  const key = await apiKeyFor(org.id);
  const ok = async (path, h = key.headers) => {
    const res = await api.get(path, { headers: h });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.json;
  };
  const page = await ok(`/api/orgs/${org.id}/calls?phone_number=%2B12025550100&direction=inbound&status=missed&type=missed&date_from=2024-01-01&date_to=2024-01-31T23:59:59Z&limit=5`);
  assert.deepEqual([page.total, page.skip, page.limit, page.next_cursor, page.data], [0, 0, 5, null, []]);
  const dflt = await ok(`/api/orgs/${org.id}/sms`);
  assert.deepEqual([dflt.skip, dflt.limit], [0, 50]);
  // "name=" of a list filter is no filter, as before
  await ok(`/api/orgs/${org.id}/recordings?phone_number=&direction=&date_from=&cursor=`);
  await ok(`/api/orgs/${org.id}/voicemails?status=unread&skip=0`);
  await ok(`/api/orgs/${org.id}/sms/threads?unread=true&business_number=%2B12025550100`);
  await ok(`/api/orgs/${org.id}/reports?group_by=day&date_from=2024-01-01&date_to=2024-01-02`);
  await ok('/api/user/profile', headers);
  await ok('/api/user/orgs?limit=1', headers);
  // invalid values keep their messages
  const badLimit = await api.get(`/api/orgs/${org.id}/calls?limit=0`, { headers: key.headers });
  assertError(assert, badLimit, 400, 'BAD_REQUEST');
  assert.deepEqual(badLimit.json.details, { field: 'limit', reason: 'must be an integer from 1 to 500' });
  const badEnum = await api.get(`/api/orgs/${org.id}/voicemails?status=deleted`, { headers: key.headers });
  assertError(assert, badEnum, 400, 'BAD_REQUEST');
  assert.deepEqual(badEnum.json.details, { field: 'status', reason: 'must be one of: unread read' });
});
