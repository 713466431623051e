// HTTP plumbing: bounded body reading, JSON parsing, the reply shape handlers
// return ({status, body, headers}), MightyCall-style error bodies, and the
// single writer that can also truncate a body (malformed-JSON fault).

export const MAX_BODY = 1 << 20;

export class BodyTooLarge extends Error {}

/** Read the whole request body (Buffer), refusing more than `limit` bytes. */
export function readBody(req, limit = MAX_BODY) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0, failed = false;
    req.on('data', (c) => {
      if (failed) return;
      size += c.length;
      if (size > limit) { failed = true; reject(new BodyTooLarge('body too large')); req.resume(); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

/** Parse a JSON body; returns { value } or { error: true }. */
export function parseJson(buf) {
  if (!buf || !buf.length) return { value: undefined };
  try { return { value: JSON.parse(buf.toString('utf8')) }; } catch { return { error: true }; }
}

export const json = (status, body, headers) => ({ status, body, headers });

/** {"message": ...} or {"message": ..., "modelState": {...}} (calls, voicemails, phonenumbers, profile, messages). */
export const mcError = (status, message, modelState) =>
  json(status, modelState ? { message, modelState } : { message });

/** {"errorCode": ..., "message": ..., data?} (journal, contacts). */
export const codeError = (status, errorCode, message, data) =>
  json(status, data === undefined ? { errorCode, message } : { data, errorCode, message });

/** ASP.NET-style "no resource" body. */
export const notFound = (url) => mcError(404, `No HTTP resource was found that matches the request URI '${url}'.`);

/** Serialize a reply; when `truncate` is set, cut the body so it is no longer valid JSON. */
export function writeReply(res, reply, { truncate = false, head = false } = {}) {
  const headers = { ...(reply.headers ?? {}) };
  let payload;
  if (Buffer.isBuffer(reply.body)) payload = reply.body;
  else if (typeof reply.body === 'string') payload = Buffer.from(reply.body);
  else if (reply.body === undefined || reply.body === null && reply.status === 204) payload = Buffer.alloc(0);
  else {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (truncate) payload = payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)));
  headers['content-length'] = payload.length;
  res.writeHead(reply.status, headers);
  res.end(head ? undefined : payload);
}
