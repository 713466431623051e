// The deterministic dataset of one simulated MightyCall account: phone
// numbers, team/extensions, a client phone pool, calls (with voicemails and
// recordings), SMS, and the journal that mirrors calls and messages.
// Everything is derived from the seed; "now" is fixed when the dataset is
// built. Calls and SMS live in typed-array columns (see store.mjs) so 100k+
// calls build in well under a few seconds; JSON is produced per page by
// render.mjs.

import { hash32, mulberry32, recordRng, uuidFor, hex24For, seqFromId, int, pick, hexN } from './prng.mjs';
import { Columns, TimeOrder } from './store.mjs';
import { utcDayStart } from './format.mjs';
import { ContactStore } from './contacts.mjs';
import {
  FIRST_NAMES, LAST_NAMES, NUMBER_LABELS, GROUP_NAMES, AREA_CODES, CLIENT_AREA_CODES,
  SMS_INBOUND, SMS_OUTBOUND,
} from './words.mjs';

export const STATUS = ['Connected', 'Missed', 'VoiceMail', 'Dropped'];
export const S_CONNECTED = 0, S_MISSED = 1, S_VOICEMAIL = 2, S_DROPPED = 3;

// call flags
export const F_REC = 1, F_CASE_A = 2, F_CASE_B = 4, F_CASE_C = 8, F_VM_READ = 16;
// sms flags
export const M_READ = 1, M_NOT_SENT = 2, M_THREAD = 4, M_API = 8, M_REMOVED = 16, M_CASE_A = 32, M_CASE_B = 64;

export const K_CALL = 0, K_SMS = 1;
export const ref = (kind, seq) => seq * 2 + kind;

export const DEFAULTS = {
  seed: 42, days: 90, calls: 5000, numbers: 20, extensions: 30, sms: 2000, voicemails: 300, contacts: 200,
};

export class Dataset {
  constructor(opts = {}) {
    this.o = { ...DEFAULTS, ...opts };
    this.o.now = Math.floor(this.o.now ?? Date.now());
    this.seed = String(this.o.seed);
    this.baseUrl = 'http://127.0.0.1';
    const salt = (k) => hash32(`${this.seed}:${k}`);
    this.salt = {
      call: salt('call'), vm: salt('vm'), sms: salt('sms'), jcall: salt('jcall'), jsms: salt('jsms'),
      client: salt('client'), rec: salt('rec'), user: salt('user'), number: salt('number'), smsGuid: salt('smsguid'),
    };
    this.buildNumbers();
    this.buildUsers();
    this.contacts = new ContactStore(this);
    this.buildClients();
    this.buildCalls();
    this.buildSms();
    this.buildJournal();
  }

  // ---------- static parts ----------

  buildNumbers() {
    const rng = mulberry32(this.salt.number);
    const seen = new Set();
    const make = (i) => {
      const tollFree = i % 10 === 9;
      const area = tollFree ? (i % 20 === 9 ? '800' : '888') : AREA_CODES[i % AREA_CODES.length];
      let number;
      do number = `+1${area}555${String(int(rng, 0, 9999)).padStart(4, '0')}`; while (seen.has(number));
      seen.add(number);
      const smsMode = tollFree ? 'Capable' : i % 5 === 3 ? 'Disabled' : 'Enabled';
      return {
        number,
        isEnabled: true,
        isPrimary: i === 0,
        isTollFree: tollFree,
        isInternational: false,
        smsMode,
        numberMessagingVerified: smsMode === 'Enabled',
        isMmsEnabled: smsMode === 'Enabled' && i % 2 === 0,
        callRecordingMode: 'Both, OutgoingBeepDisabled',
        description: null,
        label: i < NUMBER_LABELS.length ? NUMBER_LABELS[i] : `Line ${i + 1}`,
        mayText: smsMode === 'Enabled',
        mayCall: true,
        lastUsed: i === 0,
        objectGuid: uuidFor(this.salt.number, i),
      };
    };
    const n = Math.max(1, this.o.numbers);
    this.numbers = Array.from({ length: n }, (_, i) => make(i));
    this.deletedNumbers = [{ ...make(n), isEnabled: false, isPrimary: false, label: 'Old Line', lastUsed: false }];
    this.numberIndex = new Map(this.numbers.map((p, i) => [p.number, i]));
    this.smsNumbers = this.numbers.map((p, i) => (p.mayText ? i : -1)).filter((i) => i >= 0);
    if (!this.smsNumbers.length) this.smsNumbers = [0];
  }

  buildUsers() {
    const rng = mulberry32(this.salt.user);
    const n = Math.max(1, this.o.extensions);
    this.users = Array.from({ length: n }, (_, i) => {
      const firstName = pick(rng, FIRST_NAMES), lastName = pick(rng, LAST_NAMES);
      const role = i === 0 ? 'admin' : i % 7 === 1 ? 'manager' : 'agent';
      const ext = String(101 + i);
      return {
        id: uuidFor(this.salt.user, i), extension: ext, firstName, lastName, fullName: `${firstName} ${lastName}`,
        email: `${firstName}.${lastName}.${ext}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
        role,
      };
    });
    this.extIndex = new Map(this.users.map((u, i) => [u.extension, i]));
    this.groups = GROUP_NAMES.slice(0, Math.min(GROUP_NAMES.length, 1 + Math.floor(n / 8))).map((name, i) => ({
      name, id: uuidFor(this.salt.user ^ 0x1234, i),
    }));
    this.vmboxes = [{ name: 'General Voicemail Box', id: '00000000-0000-0000-0000-000000000001' }];
    this.profileStatus = 'available';
  }

  /** Client phone pool; the first `contacts` entries belong to contacts. */
  buildClients() {
    const size = Math.max(60, this.contacts.initialPhones.length + Math.ceil(this.o.calls / 6), Math.ceil(this.o.sms / 4));
    this.clients = new Array(size);
    for (let k = 0; k < size; k++) this.clients[k] = this.contacts.phoneOf(k) ?? this.genPhone(k);
    this.clientIdx = null; // built lazily
  }

  genPhone(k) {
    const r = recordRng(this.salt.client, k);
    const area = pick(r, CLIENT_AREA_CODES);
    let ex = int(r, 201, 999);
    if (ex === 555 || ex % 100 === 11) ex += 1;
    return `+1${area}${ex}${String(int(r, 0, 9999)).padStart(4, '0')}`;
  }

  clientIndexOf(phone) {
    if (!this.clientIdx) {
      this.clientIdx = new Map();
      this.clients.forEach((p, k) => { if (!this.clientIdx.has(p)) this.clientIdx.set(p, k); });
    }
    let k = this.clientIdx.get(phone);
    if (k === undefined) {
      k = this.clients.length;
      this.clients.push(phone);
      this.clientIdx.set(phone, k);
    }
    return k;
  }

  clientName(k) {
    return this.contacts.nameOfClient(k);
  }

  // ---------- time ----------

  /** A plausible call time in the window, biased to US business hours and weekdays. */
  genTime(r) {
    const now = this.o.now, span = Math.max(1, this.o.days) * 86400000, start = now - span;
    let t = now - r() * span;
    const wd = new Date(t).getUTCDay();
    if ((wd === 0 || wd === 6) && r() < 0.6) t = now - r() * span;
    const hourMs = r() < 0.85 ? (13 + r() * 10) * 3600000 : r() * 86400000;
    t = utcDayStart(t) + hourMs;
    if (t > now) t -= 86400000;
    if (t < start || t > now) t = start + r() * span;
    return Math.floor(t);
  }

  // ---------- calls ----------

  buildCalls() {
    const n = Math.max(0, this.o.calls);
    this.calls = new Columns({
      t: Float64Array, dur: Uint32Array, num: Uint16Array, ext: Uint16Array, client: Uint32Array,
      dir: Uint8Array, status: Uint8Array, flags: Uint8Array,
    }, n + 256);
    for (let s = 0; s < n; s++) this.genCall(this.calls.push(), null, false);
    // Exactly min(voicemails, calls) calls become voicemails (partial Fisher-Yates).
    const v = Math.min(n, Math.max(0, this.o.voicemails));
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const r = mulberry32(this.salt.vm ^ 0x55aa);
    for (let i = 0; i < v; i++) {
      const j = i + Math.floor(r() * (n - i));
      const tmp = idx[i]; idx[i] = idx[j]; idx[j] = tmp;
      this.makeVoicemail(idx[i]);
    }
    const C = this.calls;
    this.callOrder = new TimeOrder((s) => C.t[s]);
    this.callOrder.build(Array.from({ length: n }, (_, s) => s));
    this.vmOrder = new TimeOrder((s) => C.t[s]);
    const vms = [];
    for (let s = 0; s < n; s++) if (C.status[s] === S_VOICEMAIL) vms.push(s);
    this.vmOrder.build(vms);
  }

  genCall(s, at, allowVoicemail) {
    const C = this.calls, r = recordRng(this.salt.call, s);
    const t = this.genTime(r);
    C.t[s] = at ?? t;
    C.num[s] = Math.floor(Math.pow(r(), 1.6) * this.numbers.length);
    C.dir[s] = r() < 0.62 ? 0 : 1;
    C.ext[s] = Math.floor(r() * this.users.length);
    C.client[s] = Math.floor(r() * r() * this.clients.length);
    const x = r();
    let status;
    if (C.dir[s] === 0) status = x < 0.72 ? S_CONNECTED : x < 0.92 ? S_MISSED : S_DROPPED;
    else status = x < 0.78 ? S_CONNECTED : S_MISSED;
    let dur = 0;
    if (status === S_CONNECTED) dur = Math.min(3600, 15 + -Math.log(1 - r()) * 180) * 1000 + int(r, 0, 999);
    else if (status === S_DROPPED) dur = int(r, 1000, 15000);
    C.status[s] = status;
    C.dur[s] = Math.floor(dur);
    C.flags[s] = (status === S_CONNECTED && r() < 0.65 ? F_REC : 0) | (int(r, 0, 7) << 1);
    if (allowVoicemail && C.dir[s] === 0 && r() < 0.1) this.makeVoicemail(s);
  }

  makeVoicemail(s) {
    const C = this.calls, r = recordRng(this.salt.vm, s);
    C.dir[s] = 0;
    C.status[s] = S_VOICEMAIL;
    C.dur[s] = int(r, 8000, 120000);
    C.flags[s] = (C.flags[s] & ~F_REC & ~F_VM_READ) | (r() < 0.6 ? F_VM_READ : 0);
  }

  callId(s) { return uuidFor(this.salt.call, s); }
  voicemailId(s) { return uuidFor(this.salt.vm, s); }
  recordHex(salt, s) { return hexN(recordRng(this.salt.rec ^ salt, s), 32); }

  callSeq(id) {
    const s = seqFromId(String(id).toLowerCase(), this.salt.call, uuidFor);
    return s >= 0 && s < this.calls.n ? s : -1;
  }

  voicemailSeq(id) {
    const s = seqFromId(String(id).toLowerCase(), this.salt.vm, uuidFor);
    return s >= 0 && s < this.calls.n && this.calls.status[s] === S_VOICEMAIL ? s : -1;
  }

  /** Append `count` calls happening at `at` (ms, default now); returns their seqs. */
  /**
   * Append `count` calls happening at `at` (ms, default now); returns their seqs.
   * `ov` may pin fields: { status, dir, ext, num, client (pool index), durMs, recording }.
   */
  appendCalls(count, at, ov = {}) {
    const out = [];
    const C = this.calls;
    for (let i = 0; i < count; i++) {
      const s = this.calls.push();
      this.genCall(s, Math.floor(at ?? Date.now()), ov.status === undefined);
      if (ov.dir !== undefined) C.dir[s] = ov.dir;
      if (ov.ext !== undefined) C.ext[s] = ov.ext;
      if (ov.num !== undefined) C.num[s] = ov.num;
      if (ov.client !== undefined) C.client[s] = ov.client;
      if (ov.status === S_VOICEMAIL) this.makeVoicemail(s);
      else if (ov.status !== undefined) {
        C.status[s] = ov.status;
        if (ov.status === S_CONNECTED && C.dur[s] === 0) C.dur[s] = 60000;
        if (ov.status === S_MISSED) C.dur[s] = 0;
        if (ov.status === S_DROPPED) C.dur[s] = 5000;
        if (ov.status !== S_CONNECTED) C.flags[s] &= ~F_REC;
      }
      if (ov.durMs !== undefined && C.status[s] !== S_MISSED) C.dur[s] = ov.durMs;
      if (ov.recording !== undefined && C.status[s] === S_CONNECTED) C.flags[s] = ov.recording ? C.flags[s] | F_REC : C.flags[s] & ~F_REC;
      this.callOrder.insert(s);
      if (this.calls.status[s] === S_VOICEMAIL) this.vmOrder.insert(s);
      this.journal.insert(ref(K_CALL, s));
      out.push(s);
    }
    return out;
  }

  // ---------- SMS ----------

  buildSms() {
    const n = Math.max(0, this.o.sms);
    this.sms = new Columns({
      t: Float64Array, num: Uint16Array, client: Uint32Array, dir: Uint8Array, ext: Uint16Array,
      flags: Uint8Array, text: Uint16Array,
    }, n + 256);
    this.smsText = new Map();   // seq → custom text (sent through the API)
    this.smsExtra = new Map();  // seq → { requestGuid, attachments }
    for (let s = 0; s < n; s++) this.genSms(this.sms.push(), null);
    const M = this.sms;
    this.smsOrder = new TimeOrder((s) => M.t[s]);
    this.smsOrder.build(Array.from({ length: n }, (_, s) => s));
    this.markThreads();
  }

  genSms(s, at, inboundOnly = false) {
    const M = this.sms, r = recordRng(this.salt.sms, s);
    const t = this.genTime(r);
    M.t[s] = at ?? t;
    // a smaller pool of texting clients so conversations form
    const pool = Math.min(this.clients.length, Math.max(20, Math.ceil(this.o.sms / 6)));
    const k = Math.floor(r() * r() * pool);
    M.client[s] = k;
    M.num[s] = this.smsNumbers[k % this.smsNumbers.length];
    M.dir[s] = inboundOnly || r() < 0.55 ? 0 : 1;
    M.ext[s] = Math.floor(r() * this.users.length);
    const inbound = M.dir[s] === 0;
    M.text[s] = Math.floor(r() * (inbound ? SMS_INBOUND.length : SMS_OUTBOUND.length));
    let f = (r() < 0.5 ? M_CASE_A : 0) | (r() < 0.5 ? M_CASE_B : 0);
    if (!inbound || r() < 0.75) f |= M_READ;
    if (!inbound && r() < 0.04) f |= M_NOT_SENT;
    M.flags[s] = f;
  }

  /** The earliest message of each (business number, client) pair is a MessageThread head. */
  markThreads() {
    const M = this.sms;
    this.threads = new Set();
    for (const s of this.smsOrder.keys) {
      M.flags[s] &= ~M_THREAD;
      const key = M.num[s] * 4294967296 + M.client[s];
      if (!this.threads.has(key)) { this.threads.add(key); M.flags[s] |= M_THREAD; }
    }
  }

  addSms(s) {
    const M = this.sms, key = M.num[s] * 4294967296 + M.client[s];
    if (!this.threads.has(key)) { this.threads.add(key); M.flags[s] |= M_THREAD; }
    this.smsOrder.insert(s);
    this.journal.insert(ref(K_SMS, s));
  }

  smsText_(s) {
    const M = this.sms;
    if (this.smsText.has(s)) return this.smsText.get(s);
    return M.dir[s] === 0 ? SMS_INBOUND[M.text[s]] : SMS_OUTBOUND[M.text[s]];
  }

  /** Append `count` inbound messages at `at` (default now). */
  appendSms(count, at) {
    const out = [];
    for (let i = 0; i < count; i++) {
      const s = this.sms.push();
      this.genSms(s, Math.floor(at ?? Date.now()), true);
      this.addSms(s);
      out.push(s);
    }
    return out;
  }

  /** Record an outbound message accepted by messages/send: one journal entry per destination. */
  recordSent({ from, to, message, attachments, requestGuid, at, ext = 0 }) {
    const out = [];
    const num = this.numberIndex.get(from) ?? 0;
    for (const dest of to) {
      const s = this.sms.push();
      const M = this.sms;
      M.t[s] = at; M.num[s] = num; M.client[s] = this.clientIndexOf(dest); M.dir[s] = 1; M.ext[s] = ext;
      M.text[s] = 0; M.flags[s] = M_READ | M_API;
      this.smsText.set(s, message ?? '');
      this.smsExtra.set(s, { requestGuid, attachments: attachments ?? [] });
      this.addSms(s);
      out.push(s);
    }
    return out;
  }

  /** Forget everything recorded through messages/send (control reset). */
  removeSent() {
    const M = this.sms;
    let any = false;
    for (const s of this.smsExtra.keys()) { M.flags[s] |= M_REMOVED; any = true; }
    if (!any) return;
    this.smsOrder.remove((s) => M.flags[s] & M_REMOVED);
    this.journal.remove((k) => (k & 1) === K_SMS && M.flags[k >> 1] & M_REMOVED);
    this.smsExtra.clear();
    this.smsText.clear();
    this.markThreads();
  }

  // ---------- journal ----------

  buildJournal() {
    const C = this.calls, M = this.sms;
    this.journal = new TimeOrder((k) => ((k & 1) === K_CALL ? C.t[k >> 1] : M.t[k >> 1]));
    const keys = [];
    for (let s = 0; s < C.n; s++) keys.push(ref(K_CALL, s));
    for (let s = 0; s < M.n; s++) keys.push(ref(K_SMS, s));
    this.journal.build(keys);
  }

  journalId(k) {
    return (k & 1) === K_CALL ? hex24For(this.salt.jcall, k >> 1) : hex24For(this.salt.jsms, k >> 1);
  }

  journalRef(id) {
    id = String(id).toLowerCase();
    let s = seqFromId(id, this.salt.jcall, hex24For);
    if (s >= 0 && s < this.calls.n) return ref(K_CALL, s);
    s = seqFromId(id, this.salt.jsms, hex24For);
    if (s >= 0 && s < this.sms.n && !(this.sms.flags[s] & M_REMOVED)) return ref(K_SMS, s);
    return -1;
  }

  smsGuid(s) {
    return this.smsExtra.get(s)?.requestGuid ?? uuidFor(this.salt.smsGuid, s);
  }

  summary() {
    return {
      seed: this.seed, now: new Date(this.o.now).toISOString(), days: this.o.days,
      calls: this.calls.n, voicemails: this.vmOrder.keys.length, sms: this.smsOrder.keys.length,
      numbers: this.numbers.length, extensions: this.users.length, contacts: this.contacts.liveCount(),
    };
  }
}
