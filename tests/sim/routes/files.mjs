// Files the dataset links to (outside /v4/api, no auth, not counted against
// the quota, but counted and subject to faults): recordings/voicemails
// GET|HEAD /recordings/{file}.wav and MMS attachments GET /attachments/{id}/{index}.

import { WAV } from '../wav.mjs';
import { json } from '../http.mjs';

const missing = () => json(404, { message: 'File not found' });

function recording(ctx) {
  const m = /^([0-9a-fA-F-]{36})\.wav$/.exec(ctx.params.file);
  if (!m) return missing();
  // any account's call (with a recording) or voicemail
  for (const ds of ctx.sim.accounts.values()) {
    const s = ds.callSeq(m[1]);
    if ((s >= 0 && ds.calls.flags[s] & 1) || ds.voicemailSeq(m[1]) >= 0) {
      return { status: 200, body: WAV, headers: { 'content-type': 'audio/wav', 'cache-control': 'private, max-age=3600' } };
    }
  }
  return missing();
}

function attachment(ctx) {
  const files = ctx.sim.attachments.get(ctx.params.id);
  const f = files?.[Number(ctx.params.index)];
  if (!f) return missing();
  return { status: 200, body: f.data, headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${f.fileName.replace(/["\\\r\n]/g, '_')}"` } };
}

export default [
  { method: 'GET', base: '', path: '/recordings/{file}', auth: false, quota: false, head: true, handler: recording },
  { method: 'GET', base: '', path: '/attachments/{id}/{index}', auth: false, quota: false, handler: attachment },
];
