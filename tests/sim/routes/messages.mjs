// SMS/MMS send: POST /messages/send (classic) and /contactcenter/messages/send
// (Contact Center). JSON {from, to:[…], message, attachments?:[{name,data}]} →
// {message, id, sourcePhoneNumber, destinationPhoneNumbers, sendTime, attachments}
// without an envelope. Accepted messages are recorded (GET /__sim/messages) and
// appear in the journal as outbound Message entries, one per destination.
// An Idempotency-Key header makes a retry return the first response unchanged.

import { randomUUID } from 'node:crypto';
import { json, mcError, parseJson } from '../http.mjs';
import { isoNoZone } from '../format.mjs';

const FROM_RE = /^(\+1\d{8,15})$/;
const TO_RE = /^\+?\d{7,15}$/;
const MAX_TEXT = 1600;

function validate(b) {
  const ms = {};
  const add = (k, m) => (ms[k] ??= []).push(m);
  if (!b || typeof b !== 'object' || Array.isArray(b)) return { request: ['The request body is required.'] };
  if (typeof b.from !== 'string' || !b.from) add('from', 'Source phone number is required.');
  else if (!FROM_RE.test(b.from)) add('from', `The field from must match the regular expression '^(\\+1\\d{8,15})$'.`);
  if (!Array.isArray(b.to) || !b.to.length) add('to', 'Destination phone number is required.');
  else for (const t of b.to) if (typeof t !== 'string' || !TO_RE.test(t)) add('to', `Invalid destination phone number '${t}'.`);
  if (b.message !== undefined && b.message !== null && typeof b.message !== 'string') add('message', 'Message must be a string.');
  else if (typeof b.message === 'string' && b.message.length > MAX_TEXT) add('message', `Message is longer than ${MAX_TEXT} characters.`);
  if (b.attachments !== undefined && b.attachments !== null) {
    if (!Array.isArray(b.attachments)) add('attachments', 'Attachments must be an array.');
    else for (const a of b.attachments) {
      if (!a || typeof a.name !== 'string' || typeof a.data !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(a.data)) add('attachments', 'Each attachment needs a name and base64 data.');
    }
  }
  const hasAttachments = Array.isArray(b.attachments) && b.attachments.length > 0;
  if (!ms.message && !hasAttachments && !(typeof b.message === 'string' && b.message.trim())) add('message', 'Message text or attachments are required.');
  return Object.keys(ms).length ? ms : null;
}

function send(ctx) {
  const { sim, account: ds, req, now, route } = ctx;
  const idemKey = req.headers['idempotency-key'];
  // MightyCall's API knows no Idempotency-Key: honoured only in the opt-in fault mode
  const idemId = idemKey && sim.faults.s.idempotency ? `${ctx.apiKey}\n${idemKey}` : null;
  if (idemId && sim.idempotency.has(idemId)) {
    const prev = sim.idempotency.get(idemId);
    return { ...prev, headers: { ...(prev.headers ?? {}), 'idempotent-replayed': 'true' } };
  }
  const p = parseJson(ctx.body);
  if (p.error) return mcError(400, 'The request is invalid.', { request: ['The request body is not valid JSON.'] });
  const b = p.value;
  const ms = validate(b);
  if (ms) return mcError(400, 'The request is invalid.', ms);
  const num = ds.numbers.find((n) => n.number === b.from);
  if (!num || !num.mayText) return mcError(403, 'Failed to send message.');

  const id = randomUUID();
  const files = (b.attachments ?? []).map((a) => ({ fileName: a.name, data: Buffer.from(a.data, 'base64') }));
  const attachments = files.map((f, i) => ({
    fileName: f.fileName, fileSize: f.data.length, link: `${ds.baseUrl}/attachments/${id}/${i}`,
    isSupportedFormat: true, isImage: /\.(png|jpe?g|gif|webp)$/i.test(f.fileName), isStorageExpired: false, isActive: true,
  }));
  if (files.length) sim.attachments.set(id, files);
  ds.recordSent({
    from: b.from, to: b.to, message: b.message ?? '', requestGuid: id, at: now,
    attachments: files.map((f) => ({ fileName: f.fileName, fileSize: f.data.length })),
  });
  sim.sent.push({
    id, api_key: ctx.apiKey, path: route.path, from: b.from, to: [...b.to], message: b.message ?? '',
    attachments: attachments.map((a) => ({ name: a.fileName, size: a.fileSize })),
    sendTime: new Date(now).toISOString(), idempotency_key: idemKey ?? null,
  });
  const reply = json(200, {
    message: 'SMS message sent successfully.', id, sourcePhoneNumber: b.from, destinationPhoneNumbers: [...b.to],
    sendTime: isoNoZone(now), attachments: attachments.length ? attachments : null,
  });
  if (idemId) sim.idempotency.set(idemId, reply);
  return reply;
}

export default [
  { method: 'POST', path: '/contactcenter/messages/send', handler: send },
  { method: 'POST', path: '/messages/send', handler: send },
];
