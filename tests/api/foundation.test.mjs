// foundation.test.mjs — health through nginx (HTTP and HTTPS), the JSON shapes
// of 404 / 405 / 413, security headers and the static dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, request, assertError, useSourceAddress } from './lib.mjs';

useSourceAddress('127.0.0.11');

test('GET /health answers 200 through nginx over HTTPS and HTTP', async () => {
  for (const secure of [true, false]) {
    const res = await api.get('/health', { https: secure });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.db, 'ok');
    assert.match(res.json.version, /^\d+\.\d+\.\d+$/);
    assert.ok(res.json.schema_version >= 1, 'migrations applied');
    assert.match(res.headers['content-type'], /^application\/json/);
  }
});

test('HTTPS responses carry security headers including HSTS', async () => {
  const res = await api.get('/health', { https: true });
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.match(res.headers['content-security-policy'], /default-src 'self'/);
  assert.match(res.headers['strict-transport-security'], /max-age=\d+/);
  assert.equal(res.headers.server, 'nginx', 'server_tokens off hides the version');
});

test('unknown route → 404 JSON error naming method and path', async () => {
  const res = await api.get('/api/does-not-exist');
  assertError(assert, res, 404, 'NOT_FOUND');
  assert.equal(res.json.details.path, '/api/does-not-exist');
});

test('wrong method → 405 JSON error with Allow header', async () => {
  const res = await request('DELETE', '/health');
  assertError(assert, res, 405, 'METHOD_NOT_ALLOWED');
  assert.equal(res.headers.allow, 'GET');
});

test('body above the worker limit → 413 JSON from the worker', async () => {
  const res = await request('POST', '/api/auth/login', {
    body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(300 * 1024) }),
    headers: { 'content-type': 'application/json' },
  });
  assertError(assert, res, 413, 'PAYLOAD_TOO_LARGE');
  assert.ok(res.json.details.max_bytes > 0);
});

test('body above the nginx limit → 413 JSON from nginx', async () => {
  const res = await request('POST', '/api/auth/login', {
    body: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/json' },
  });
  assertError(assert, res, 413, 'PAYLOAD_TOO_LARGE');
});

test('static dashboard is served by nginx', async () => {
  const res = await api.get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /text\/html/);
  assert.match(res.text, /VictorySync/);
});
