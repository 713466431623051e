// msg_helpers.mjs — shared by the msg_*.test.mjs files (messaging and real
// time): an org with a MightyCall integration at the simulator, the
// simulator's texting numbers, SMS number settings, MightyCall-shaped webhook
// events and how to deliver them, and the simulator's record of sent SMS (the
// independent truth for "sent exactly once").
import { randomUUID } from 'node:crypto';
import { HTTP_PORT, api, freshSource } from './lib.mjs';
import { orgWithIntegration, simClient, simControl, SIM_API_KEY } from './sync_helpers.mjs';

export { SIM_API_KEY };

let numbersPromise;
/** The simulator's business numbers: {texting: [E.164…], silent: [E.164…]} (may not text). */
export function simNumbers() {
  numbersPromise ??= (async () => {
    const c = await simClient();
    const r = await c.getJson('/phonenumbers');
    const all = r.body.data.phoneNumbers;
    return {
      texting: all.filter((n) => n.mayText).map((n) => n.number),
      silent: all.filter((n) => !n.mayText).map((n) => n.number),
    };
  })();
  return numbersPromise;
}

/** A fresh org with an integration at the simulator and (unless none) a default SMS number. */
export async function messagingOrg({ number = 0, withNumber = true } = {}) {
  const { org, integration, admin } = await orgWithIntegration();
  const nums = await simNumbers();
  const from = nums.texting[number % nums.texting.length];
  if (withNumber) {
    const r = await api.post(`/api/orgs/${org.id}/sms/numbers`, { phone_number: from, label: 'Main' },
      { headers: admin.headers });
    if (r.status !== 201) throw new Error(`add SMS number → ${r.status}: ${r.text}`);
  }
  return { org, integration, admin, headers: admin.headers, from };
}

/** messagingOrg() with one answered call from client in its calls list (posted as MightyCall's webhook
 * events): a list with rows carries the identity guard, an empty one runs it alone. */
export async function messagingOrgWithCall(client) {
  const M = await messagingOrg();
  for (const e of callEvents({ business: M.from, client })) {
    const w = await postWebhook(M.integration, e);
    if (w.status >= 300) throw new Error(`webhook → ${w.status}: ${w.text}`);
  }
  return M;
}

/** Messages the simulator accepted through messages/send (optionally only to `to`). */
export async function simSent(to) {
  const { messages } = await simControl('GET', '/messages');
  return to ? messages.filter((m) => m.to.includes(to)) : messages;
}

/** A phone number nobody else in this run uses (+1 415, an exchange from 200 to 899, four more digits). */
let seq = 0;
export function uniquePhone() {
  seq += 1;
  const n = (Date.now() * 7 + seq * 7919 + process.pid) % 1000000;
  return `+1415${String(200 + (n % 700)).padStart(3, '0')}${String(n % 10000).padStart(4, '0')}`;
}

export function faults(f) { return simControl('POST', '/faults', f); }
export function clearFaults() { return simControl('POST', '/faults', {}); }

/** A MightyCall webhook event. */
export function mcEvent(type, { id, from, to, ext, at, guid, apiKey = SIM_API_KEY, body = {} } = {}) {
  return {
    Body: { From: from, To: to, Id: id, Extension: ext, ...body },
    Guid: guid ?? randomUUID(),
    ApiKey: apiKey,
    Timestamp: new Date(at ?? Date.now()).toISOString(),
    EventType: type,
  };
}

/** The events of one call, in true order (like the simulator's). */
export function callEvents({ id = randomUUID(), inbound = true, connected = true, business, client, ext = '101',
  start = Date.now() - 60000, durMs = 45000 } = {}) {
  const names = inbound
    ? ['IncomingCall', 'IncomingCallRinging', 'IncomingCallStopRinging', ...(connected ? ['IncomingCallConnected'] : []), 'IncomingCallCompleted']
    : ['OutgoingCall', ...(connected ? ['OutgoingCallConnected'] : []), 'OutgoingCallCompleted'];
  const step = Math.floor(durMs / names.length);
  // like MightyCall: no Extension on IncomingCall and on the call's final *Completed
  return names.map((t, i) => mcEvent(t, {
    id, ext: t === 'IncomingCall' || t.endsWith('Completed') ? undefined : ext, from: inbound ? client : business, to: inbound ? business : client,
    at: i === names.length - 1 ? start + durMs : start + i * step,
  }));
}

export function webhookPath(integration, secret = integration.webhook_secret) {
  return `/api/webhooks/mightycall/${integration.id}${secret === null ? '' : `?secret=${encodeURIComponent(secret)}`}`;
}

/** POST one event (object, or raw text) to the webhook URL. Webhooks carry no
 * credential, so nginx limits them per client address: by default each one
 * goes out from another loopback address. */
export function postWebhook(integration, ev, { secret, source = freshSource() } = {}) {
  const path = webhookPath(integration, secret === undefined ? integration.webhook_secret : secret);
  if (typeof ev === 'string') {
    return api.post(path, undefined, { body: ev, headers: { 'content-type': 'application/json' }, source });
  }
  return api.post(path, ev, { source });
}

/** The loopback URL the simulator delivers webhooks to. */
export function webhookUrl(integration) {
  return `http://127.0.0.1:${HTTP_PORT}${webhookPath(integration)}`;
}

/** Run fn over items with at most `limit` in flight; results in order. */
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
