// trust_nginx_errors.test.mjs — every error nginx answers by itself has the
// API's JSON error shape {error, code, details} (nginx/nginx.conf.template,
// error_page → named locations): a NUL byte in the path (400), a too long
// URI (414), too large headers (nginx's 494, answered 400), a static file
// that does not exist (404). Sent over raw sockets: Node's HTTP client would
// refuse to send most of these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { HTTP_PORT } from './lib.mjs';

/** Send raw bytes, read the whole answer (the server closes or we stop at the body's end). */
function raw(bytes, { source = '127.0.0.66' } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: HTTP_PORT, localAddress: source });
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('no answer within 15 s')); }, 15000);
    sock.on('data', (c) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const len = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      if (head >= 0 && len && text.length >= head + 4 + Number(len[1])) sock.end();
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const head = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1]);
      const headers = text.slice(0, head);
      let json;
      try { json = JSON.parse(text.slice(head + 4)); } catch { json = undefined; }
      resolve({ status, headers, body: text.slice(head + 4), json });
    });
    sock.write(bytes);
  });
}

function assertJsonError(r, status, code, what) {
  assert.equal(r.status, status, `${what}: ${r.headers}\n${r.body}`);
  assert.match(r.headers, /\r\ncontent-type: application\/json/i, `${what}: JSON, not HTML`);
  assert.ok(r.json, `${what}: the body is JSON: ${r.body}`);
  assert.equal(r.json.code, code, what);
  assert.equal(typeof r.json.error, 'string', what);
  assert.equal(typeof r.json.details, 'object', what);
  assert.doesNotMatch(r.body, /<html/i, what);
}

test('a NUL byte in the path → 400 JSON', async () => {
  const r = await raw(Buffer.concat([Buffer.from('GET /api/orgs/a'), Buffer.from([0]), Buffer.from('b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')]));
  assertJsonError(r, 400, 'BAD_REQUEST', 'NUL in path');
});

test('a malformed request line → 400 JSON', async () => {
  const r = await raw('G@T /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assertJsonError(r, 400, 'BAD_REQUEST', 'bad request line');
});

test('a URI longer than nginx accepts → 414 JSON', async () => {
  const r = await raw(`GET /api/orgs?x=${'a'.repeat(20000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  assertJsonError(r, 414, 'URI_TOO_LONG', 'long URI');
});

test('an oversized header → 400 JSON (nginx\'s 494)', async () => {
  const r = await raw(`GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(20000)}\r\nConnection: close\r\n\r\n`);
  assertJsonError(r, 400, 'BAD_REQUEST', 'big header');
  assert.equal(r.json.details.reason, 'headers too large');
});

test('a static file that does not exist → 404 JSON; the dashboard and the API are unchanged', async () => {
  const r = await raw('GET /no-such-file.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assertJsonError(r, 404, 'NOT_FOUND', 'missing asset');
  const api = await raw('GET /api/no-such-route HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assertJsonError(api, 404, 'NOT_FOUND', 'unknown API route (the workers answer)');
  const home = await raw('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assert.equal(home.status, 200);
  assert.match(home.body, /<html/i, 'the dashboard is still HTML');
});
