// Optional webhook delivery (SPEC §3): when a target is registered through
// POST /__sim/webhooks, calls appended with POST /__sim/calls are also
// announced as MightyCall events — {"Body":{"From","To","Id","Extension"},
// "Guid","ApiKey","Timestamp","EventType"} — POSTed as JSON to the target,
// in shuffled order by default (MightyCall does not guarantee order).
// Targets must be loopback URLs.

import { randomUUID } from 'node:crypto';
import { isoZ } from './format.mjs';
import { S_CONNECTED } from './data.mjs';
import { recordRng } from './prng.mjs';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/i;

export class Webhooks {
  constructor() {
    this.targets = new Map(); // apiKey → { url, order }
    this.deliveries = [];
  }

  /** Register (or with url null, remove) the target of an account. Throws on bad input. */
  set(apiKey, url, order = 'shuffled') {
    if (url === null) { this.targets.delete(apiKey); return; }
    let u;
    try { u = new URL(url); } catch { throw new Error('url must be an absolute http URL'); }
    if (u.protocol !== 'http:' || !LOOPBACK.test(u.hostname)) throw new Error('url must be http:// on a loopback host');
    if (!['shuffled', 'ordered'].includes(order)) throw new Error('order must be "shuffled" or "ordered"');
    this.targets.set(apiKey, { url: u.href, order });
  }

  list() {
    return { targets: [...this.targets].map(([api_key, t]) => ({ api_key, ...t })), deliveries: this.deliveries };
  }

  clear() {
    this.targets.clear();
    this.deliveries = [];
  }

  /** Event payloads for call `s` of dataset `ds`, in true order. */
  events(ds, s) {
    const C = ds.calls, inbound = C.dir[s] === 0, connected = C.status[s] === S_CONNECTED;
    const client = ds.clients[C.client[s]], number = ds.numbers[C.num[s]].number;
    const names = inbound
      ? ['IncomingCall', 'IncomingCallRinging', ...(connected ? ['IncomingCallStopRinging', 'IncomingCallConnected'] : ['IncomingCallStopRinging']), 'IncomingCallCompleted']
      : ['OutgoingCall', ...(connected ? ['OutgoingCallConnected'] : []), 'OutgoingCallCompleted'];
    const start = C.t[s], step = Math.max(1, Math.floor(C.dur[s] / names.length));
    return names.map((EventType, i) => ({
      // Extension only on events about one agent's leg (Swagger: a *Completed
      // with an Extension ends only that leg; the call's own IncomingCall and
      // final *Completed carry none)
      Body: {
        From: inbound ? client : number, To: inbound ? number : client, Id: ds.callId(s),
        ...(EventType === 'IncomingCall' || EventType.endsWith('Completed') ? {} : { Extension: ds.users[C.ext[s]].extension }),
      },
      Guid: randomUUID(),
      ApiKey: ds.apiKey,
      Timestamp: isoZ(i === names.length - 1 ? start + C.dur[s] : start + i * step),
      EventType,
    }));
  }

  /** Deliver the events of the given calls; resolves to per-event results. */
  async deliver(ds, seqs) {
    const t = this.targets.get(ds.apiKey);
    if (!t) return [];
    const out = [];
    for (const s of seqs) {
      const evs = this.events(ds, s);
      if (t.order === 'shuffled') {
        const r = recordRng(0x5eed, s);
        for (let i = evs.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [evs[i], evs[j]] = [evs[j], evs[i]]; }
      }
      for (const ev of evs) {
        const rec = { event: ev.EventType, call_id: ev.Body.Id, guid: ev.Guid, status: null, error: null };
        try {
          const r = await fetch(t.url, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ev),
            signal: AbortSignal.timeout(5000),
          });
          rec.status = r.status;
          await r.arrayBuffer();
        } catch (e) {
          rec.error = e.message;
        }
        this.deliveries.push(rec);
        out.push(rec);
      }
    }
    return out;
  }
}
