// malformed.mjs — the malformed-request burst of the fault run: raw bytes
// straight to nginx over TCP (no HTTP client library that would fix them up).
// Every case must be answered with a 4xx, or the connection closed without an
// answer (protocol garbage); a 5xx, a 2xx/3xx or no reaction within the
// deadline is a failure.
import net from 'node:net';

const CRLF = '\r\n';
const b = (s) => Buffer.from(s, 'latin1'); // byte-exact: 'latin1' keeps \xff as one byte

/**
 * The cases. ctx = {orgId, bearer, apiKey}. Each case: {name, bytes, halfClose?}.
 * halfClose: shut our sending side after writing (a client that stops mid-body),
 * so the server sees EOF instead of waiting out its body timeout.
 */
export function malformedCases({ orgId, bearer, apiKey }) {
  const auth = `Authorization: Bearer ${bearer}${CRLF}`;
  const key = `x-api-key: ${apiKey}${CRLF}`;
  const post = (path, body, { headers = '', length } = {}) => {
    const buf = Buffer.isBuffer(body) ? body : b(body);
    return Buffer.concat([b(`POST ${path} HTTP/1.1${CRLF}Host: localhost${CRLF}Content-Type: application/json${CRLF}`
      + `${headers}Content-Length: ${length ?? buf.length}${CRLF}Connection: close${CRLF}${CRLF}`), buf]);
  };
  const get = (path, headers = '') => b(`GET ${path} HTTP/1.1${CRLF}Host: localhost${CRLF}${headers}Connection: close${CRLF}${CRLF}`);
  const contacts = `/api/orgs/${orgId}/contacts`;
  const nested = (n) => '['.repeat(n);
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;

  return [
    // --- truncated bodies: Content-Length promises more than is sent
    { name: 'truncated body, public JSON route', bytes: post('/api/auth/login', '{"email":"a@b.c","pass', { length: 500 }), halfClose: true },
    { name: 'truncated body, authenticated route', bytes: post(contacts, '{"first_name":"Tr', { headers: auth, length: 5000 }), halfClose: true },
    { name: 'Content-Length above nginx limit', bytes: post('/api/auth/login', '{}', { length: 5 * 1024 * 1024 }), halfClose: true },
    { name: 'Content-Length above worker limit (300 KiB sent)', bytes: post(contacts, `{"comment":"${'x'.repeat(300 * 1024)}"}`, { headers: auth }) },
    { name: 'negative Content-Length', bytes: post('/api/auth/login', '{}', { length: -1 }) },
    { name: 'non-numeric Content-Length', bytes: post('/api/auth/login', '{}', { length: '12abc' }) },
    { name: 'Content-Length and chunked together', bytes: post('/api/auth/login', '2\r\n{}\r\n0\r\n\r\n', { headers: `Transfer-Encoding: chunked${CRLF}` }) },
    { name: 'invalid chunk size', bytes: b(`POST /api/auth/login HTTP/1.1${CRLF}Host: localhost${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'truncated chunked body', bytes: b(`POST /api/auth/login HTTP/1.1${CRLF}Host: localhost${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}400${CRLF}{"email":`), halfClose: true },
    // --- huge headers / lines
    { name: 'huge header (64 KiB)', bytes: get('/health', `X-Big: ${'a'.repeat(64 * 1024)}${CRLF}`) },
    { name: 'huge request line (64 KiB URI)', bytes: get(`/api/orgs/${'a'.repeat(64 * 1024)}`) },
    { name: '2000 headers', bytes: get(`/api/orgs/${orgId}/calls`, Array.from({ length: 2000 }, (_, i) => `X-H${i}: v${CRLF}`).join('')) },
    { name: 'huge Authorization header (7 KiB)', bytes: get(`/api/orgs/${orgId}/calls`, `Authorization: Bearer ${'A'.repeat(7 * 1024)}${CRLF}`) },
    { name: 'huge api key header (7 KiB)', bytes: get(`/api/orgs/${orgId}/calls`, `x-api-key: ${'k'.repeat(7 * 1024)}${CRLF}`) },
    // --- invalid UTF-8 and odd bytes in paths and queries
    { name: 'raw invalid UTF-8 in path', bytes: get(`/api/orgs/\xff\xfe\x80/calls`, auth) },
    { name: 'percent-encoded invalid UTF-8 in path', bytes: get('/api/orgs/%ff%fe%c0%af/calls', auth) },
    { name: 'percent-encoded NUL in path', bytes: get(`/api/orgs/${orgId}%00/calls`, auth) },
    { name: 'invalid UTF-8 in query (encoded)', bytes: get(`/api/orgs/${orgId}/calls?phone_number=%ff%fe&status=%c3%28`, auth) },
    { name: 'invalid UTF-8 in query (raw)', bytes: get(`/api/orgs/${orgId}/calls?direction=\xff\xfe\xfd`, key) },
    { name: 'invalid UTF-8 in query, bad date', bytes: get(`/api/orgs/${orgId}/reports?date_from=%ff%ff&date_to=2024-13-45`, key) },
    { name: 'huge query value (6 KiB)', bytes: get(`/api/orgs/${orgId}/calls?limit=${'9'.repeat(6 * 1024)}`, key) },
    { name: 'invalid UTF-8 in Authorization', bytes: get(`/api/orgs/${orgId}/calls`, `Authorization: Bearer \xff\xfe\xfd.\x80\x81.\xc0${CRLF}`) },
    { name: 'invalid UTF-8 in x-api-key', bytes: get(`/api/orgs/${orgId}/calls`, `x-api-key: vs_\xff\xfe\xfd${CRLF}`) },
    { name: 'path traversal', bytes: get('/api/../../../etc/passwd') },
    // --- JSON bodies
    { name: 'invalid UTF-8 in JSON string (login)', bytes: post('/api/auth/login', b('{"email":"\xff\xfe@x.y","password":"\xc0\xaf"}')) },
    { name: 'invalid UTF-8 in JSON string (contacts)', bytes: post(contacts, b('{"first_name":"\xed\xa0\x80","last_name":"\xff"}'), { headers: auth }) },
    { name: 'lone surrogate escape in JSON', bytes: post(contacts, '{"first_name":"\\ud800"}', { headers: auth }) },
    { name: '100k nested arrays (login)', bytes: post('/api/auth/login', nested(100000)) },
    { name: '100k nested arrays (contacts)', bytes: post(contacts, nested(100000), { headers: auth }) },
    { name: '50k nested objects', bytes: post(contacts, '{"a":'.repeat(50000), { headers: auth }) },
    { name: 'huge number', bytes: post(contacts, `{"first_name":1e999999,"n":${'9'.repeat(5000)}}`, { headers: auth }) },
    { name: 'JSON array instead of object', bytes: post(contacts, '[1,2,3]', { headers: auth }) },
    { name: 'empty JSON body', bytes: post('/api/auth/login', '') },
    { name: 'NUL bytes in JSON body', bytes: post('/api/auth/login', b('{"email":"a\x00b","password":"\x00"}')) },
    { name: 'garbage JSON body (authenticated)', bytes: post(`/api/orgs/${orgId}/sms/send`, garbage.subarray(0, 1024), { headers: auth }) },
    { name: 'garbage webhook body', bytes: post('/api/webhooks/mightycall/00000000-0000-0000-0000-000000000000', garbage.subarray(0, 2048)) },
    // --- methods and protocol garbage
    { name: 'unknown method on API', bytes: b(`FROB /api/auth/login HTTP/1.1${CRLF}Host: localhost${CRLF}Connection: close${CRLF}${CRLF}`) },
    { name: 'lower-case method', bytes: b(`get /health HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`) },
    { name: 'control bytes in method', bytes: b(`G\x01T /health HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}`) },
    { name: 'DELETE on a GET-only route', bytes: b(`DELETE /api/orgs/${orgId}/calls HTTP/1.1${CRLF}Host: localhost${CRLF}${auth}Connection: close${CRLF}${CRLF}`) },
    // nginx drops an invalid header line (ignore_invalid_headers): without credentials this must be a 401
    { name: 'header without colon', bytes: b(`GET /api/orgs/${orgId}/calls HTTP/1.1${CRLF}Host: localhost${CRLF}NoColonHere${CRLF}${CRLF}`) },
    { name: 'NUL in header value', bytes: b(`GET /health HTTP/1.1${CRLF}Host: localhost${CRLF}X-A: a\x00b${CRLF}${CRLF}`) },
    { name: 'missing Host on HTTP/1.1', bytes: b(`GET /health HTTP/1.1${CRLF}${CRLF}`) },
    { name: 'HTTP/2 preface on HTTP/1 port', bytes: b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), halfClose: true },
    { name: 'TLS ClientHello on plain port', bytes: Buffer.from('16030100a5010000a10303' + '00'.repeat(64), 'hex'), halfClose: true },
    { name: '4 KiB of garbage bytes', bytes: garbage, halfClose: true },
    { name: 'request line only, no CRLF', bytes: b('GET /health'), halfClose: true },
  ];
}

/** Send one case; resolves {status: number|null, closed: bool, timedOut: bool, bytes}. */
export function sendRaw(port, c, { timeoutMs = 15000, host = '127.0.0.1', localAddress } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host, localAddress });
    const chunks = [];
    let settled = false;
    let graceTimer = null;
    const finish = (extra) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, bytes: text.length, ...extra });
    };
    const timer = setTimeout(() => finish({ closed: false, timedOut: true }), timeoutMs);
    sock.on('connect', () => {
      sock.write(c.bytes, () => { if (c.halfClose) sock.end(); });
    });
    sock.on('data', (d) => {
      chunks.push(d);
      // one answer is all we need: after the status line, wait a moment for
      // the close, then stop (nginx keeps the connection open while it
      // discards a body it refused, e.g. after a 413)
      if (!graceTimer && /^HTTP\/\d(?:\.\d)? \d{3}/.test(Buffer.concat(chunks).toString('latin1'))) {
        graceTimer = setTimeout(() => finish({ closed: false, timedOut: false }), 300);
      }
    });
    sock.on('error', () => finish({ closed: true, timedOut: false }));
    sock.on('close', () => finish({ closed: true, timedOut: false }));
  });
}

/** Verdict of one answer: 'ok' (4xx, or closed without an answer) or a reason. */
export function verdict(r) {
  if (r.timedOut && r.status === null) return 'no answer and no close before the deadline';
  if (r.status === null) return 'ok';
  if (r.status >= 400 && r.status < 500) return 'ok';
  return `answered ${r.status}`;
}

/**
 * The burst: every case `rounds` times, `concurrency` connections at once.
 * Returns {sent, byStatus:{'400':n,…,'closed':n}, failures:[{name, status, reason}], perCase:[…]}.
 */
export async function burst(port, ctx, { rounds = 3, concurrency = 8, localAddress } = {}) {
  const cases = malformedCases(ctx);
  const queue = [];
  for (let r = 0; r < rounds; r++) for (const c of cases) queue.push(c);
  const byStatus = {};
  const perCase = new Map(cases.map((c) => [c.name, new Set()]));
  const failures = [];
  let sent = 0;
  async function workerLoop() {
    for (;;) {
      const c = queue.shift();
      if (!c) return;
      const res = await sendRaw(port, c, { localAddress });
      sent++;
      const k = res.status === null ? 'closed' : String(res.status);
      byStatus[k] = (byStatus[k] ?? 0) + 1;
      perCase.get(c.name).add(k);
      const v = verdict(res);
      if (v !== 'ok') failures.push({ name: c.name, status: res.status, reason: v });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, workerLoop));
  return { sent, cases: cases.length, byStatus, failures, perCase: [...perCase].map(([name, s]) => ({ name, answers: [...s].sort() })) };
}
