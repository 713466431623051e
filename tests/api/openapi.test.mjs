// openapi.test.mjs — docs/openapi.yaml is served by nginx, parses as OpenAPI
// 3.1, and describes exactly the routes of the C route table (fcgi/routes.c +
// fcgi/handlers/*.c, as `vs-api --routes` prints it) with the same access
// values (query parameters: route_params.test.mjs). (Every answer of every API
// test is also validated against it: lib.mjs → openapi_check.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { ROOT, api, request, useSourceAddress } from './lib.mjs';
import { findOperation, openapi } from './openapi_check.mjs';
import { routeTable, templateOf } from './route_table.mjs';

useSourceAddress('127.0.0.77');

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Routes registered in the C table (vs-api --routes): [{method, path: '/api/orgs/{orgId}', access}]. */
function cRoutes() {
  return routeTable().map((r) => ({ method: r.method.toLowerCase(), path: templateOf(r.pattern), access: r.access, file: 'the route table' }));
}

test('GET /api/openapi.yaml is served by nginx (HTTP and HTTPS) and parses as OpenAPI 3.1', async () => {
  const onDisk = readFileSync(`${ROOT}/docs/openapi.yaml`, 'utf8');
  for (const secure of [false, true]) {
    const res = await api.get('/api/openapi.yaml', { https: secure });
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.match(res.headers['content-type'], /^application\/yaml/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.text, onDisk, 'nginx serves the file of the working tree');
    const doc = YAML.parse(res.text);
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/health'].get, 'has paths');
    assert.ok(doc.components.securitySchemes.bearerAuth, 'has security schemes');
  }
  const head = await request('HEAD', '/api/openapi.yaml');
  assert.equal(head.status, 200);
});

test('every route of the C route table is documented with its access value, and nothing else', () => {
  const { doc } = openapi(ROOT);
  const routes = cRoutes();
  assert.ok(routes.length > 50, `parsed the route table (${routes.length} routes)`);
  const problems = [];
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method];
    if (!op) { problems.push(`${r.method.toUpperCase()} ${r.path} (${r.file}) is not in docs/openapi.yaml`); continue; }
    if (op['x-access'] !== r.access) {
      problems.push(`${r.method.toUpperCase()} ${r.path}: x-access ${op['x-access']} but the route table says ${r.access}`);
    }
  }
  const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS.filter((x) => item[x])) {
      const op = item[m];
      if (!op.operationId) problems.push(`${m.toUpperCase()} ${path} has no operationId`);
      if (!op['x-access']) problems.push(`${m.toUpperCase()} ${path} has no x-access`);
      if (!known.has(`${m} ${path}`) && !op['x-outside-route-table']) {
        problems.push(`${m.toUpperCase()} ${path} is documented but not in the C route table (mark it x-outside-route-table if nginx serves it)`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('every operation declares its possible error statuses with the common error body', () => {
  const { doc } = openapi(ROOT);
  const problems = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS.filter((x) => item[x])) {
      const op = item[m];
      if (op['x-outside-route-table']) continue;
      const has = (s) => Object.hasOwn(op.responses, s);
      const need = ['401', '429', '503'];
      if (op['x-access'] !== 'ACCESS_PUBLIC') need.push('403', '400', '500');
      if (path.includes('{')) need.push('404'); // malformed or unknown ids; the router matches at most 36 characters
      for (const s of need) if (!has(s)) problems.push(`${m.toUpperCase()} ${path} does not declare ${s}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the checker picks concrete paths over templates, and unknown API paths get the generic answers', () => {
  const st = openapi(ROOT);
  assert.equal(findOperation(st, 'PUT', '/api/orgs/x/agents/me/status').template, '/api/orgs/{orgId}/agents/me/status');
  assert.equal(findOperation(st, 'GET', '/api/mightycall/sync/jobs').template, '/api/mightycall/sync/jobs');
  assert.equal(findOperation(st, 'POST', '/api/mightycall/sync/jobs').template, '/api/mightycall/sync/{type}');
  assert.equal(findOperation(st, 'HEAD', '/health/').template, '/health');
  assert.ok(findOperation(st, 'GET', '/api/no/such/route').unmatched);
  assert.ok(findOperation(st, 'DELETE', '/health').unmatched);
  assert.ok(findOperation(st, 'GET', '/index.html').outside, 'the dashboard is outside the API');
});

test('unknown API route and wrong method answer the documented generic 404 / 405', async () => {
  // request() itself validates these against x-unmatched-requests.
  const missing = await api.get('/api/openapi-check/no-such-route');
  assert.equal(missing.status, 404);
  const wrong = await request('PATCH', '/api/user/profile');
  assert.equal(wrong.status, 405);
  assert.match(wrong.headers.allow, /GET/);
});
