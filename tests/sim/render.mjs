// Turns dataset records into the JSON shapes of MightyCall v4: calls
// (/calls), voicemails (/voicemails) and journal requests (/journal/requests).
// Enum casing varies per record (PascalCase or camelCase) on purpose: SPEC §3
// says clients must compare case-blind.

import {
  STATUS, S_CONNECTED, S_MISSED, S_VOICEMAIL, F_REC, F_CASE_A, F_CASE_B, F_CASE_C, F_VM_READ,
  M_READ, M_NOT_SENT, M_THREAD, M_CASE_A, M_CASE_B, K_CALL,
} from './data.mjs';
import { isoOffset, isoZ, hms, cased } from './format.mjs';
import { recordRng, pick } from './prng.mjs';
import { VOICEMAIL_TEXTS } from './words.mjs';

const DIRECTION = ['Incoming', 'Outgoing'];
const ORIGIN = ['Inbound', 'Outbound'];

function recording(ds, s) {
  const id = ds.callId(s), hex = ds.recordHex(1, s);
  return {
    fileName: `records/${hex.slice(0, 16)}/${id}.wav`,
    uri: `${ds.baseUrl}/recordings/${id}.wav?recordid=${hex}`,
  };
}

function voicemailRecord(ds, s) {
  const id = ds.voicemailId(s), hex = ds.recordHex(2, s);
  return {
    fileName: `voicemail/${hex.slice(0, 16)}/${id}.wav`,
    uri: `${ds.baseUrl}/recordings/${id}.wav?vmrecordid=${hex}`,
  };
}

/** GET /calls item. */
export function callJson(ds, s) {
  const C = ds.calls, f = C.flags[s], st = C.status[s];
  const user = ds.users[C.ext[s]], client = ds.clients[C.client[s]], clientName = ds.clientName(C.client[s]);
  const connected = st === S_CONNECTED;
  let caller, called;
  if (C.dir[s] === 0) {
    caller = { name: clientName, phone: client };
    called = [{ isConnected: connected, isFirstConnected: connected, name: user.fullName, extension: user.extension }];
    if (st === S_MISSED && ds.users.length > 1) {
      const other = ds.users[(C.ext[s] + 1) % ds.users.length];
      called.push({ isConnected: false, isFirstConnected: false, name: other.fullName, extension: other.extension });
    }
  } else {
    caller = { name: user.fullName, extension: user.extension };
    called = [{ isConnected: connected, isFirstConnected: connected, name: clientName, phone: client }];
  }
  const out = {
    id: ds.callId(s),
    caller,
    called,
    businessNumber: ds.numbers[C.num[s]].number,
    dateTimeUtc: isoOffset(C.t[s]),
    duration: String(C.dur[s]),
    direction: cased(DIRECTION[C.dir[s]], f & F_CASE_A),
    callStatus: cased(STATUS[st], f & F_CASE_B),
  };
  if (f & F_REC) out.callRecord = recording(ds, s);
  return out;
}

/** GET /voicemails item (duration in seconds, as in the Swagger example). */
export function voicemailJson(ds, s) {
  const C = ds.calls, f = C.flags[s], user = ds.users[C.ext[s]];
  return {
    id: ds.voicemailId(s),
    from: ds.clients[C.client[s]],
    to: ds.numbers[C.num[s]].number,
    assignedTo: f & F_CASE_C ? ds.vmboxes[0].name : user.fullName,
    dateTimeUtc: isoOffset(C.t[s]),
    duration: String(Math.round(C.dur[s] / 1000)),
    voicemailStatus: cased(f & F_VM_READ ? 'Read' : 'UnRead', f & F_CASE_A),
    voicemailRecord: voicemailRecord(ds, s),
    storageId: null,
  };
}

function agentJson(ds, i, role, camel) {
  const u = ds.users[i];
  return {
    id: u.id, agentRole: cased(role, camel), name: u.fullName, extension: u.extension,
    role: u.role, email: u.email, type: cased('User', camel),
  };
}

function clientJson(ds, k, camel, resolve) {
  const address = ds.clients[k];
  const c = { address, type: cased('PhoneNumber', camel), callerKind: cased('Default', camel) };
  if (resolve) c.resolvedContacts = ds.contacts.byPhone(address).map((x) => ds.contacts.render(x));
  return c;
}

function businessNumberJson(ds, i) {
  const p = ds.numbers[i];
  return { number: p.number, label: p.label };
}

function callRequest(ds, s, resolve) {
  const C = ds.calls, f = C.flags[s], st = C.status[s], camel = f & F_CASE_C;
  const inbound = C.dir[s] === 0;
  // Outbound calls nobody answered are "NoAnswer" in the journal.
  const state = !inbound && st === S_MISSED ? 'NoAnswer' : STATUS[st];
  const vmText = st === S_VOICEMAIL ? pick(recordRng(ds.salt.vm ^ 0x77, s), VOICEMAIL_TEXTS) : '';
  const r = {
    id: ds.journalId(s * 2 + K_CALL),
    requestGuid: ds.callId(s),
    state: cased(state, camel),
    client: clientJson(ds, C.client[s], camel, resolve),
    type: cased('Call', camel),
    created: isoZ(C.t[s]),
    businessNumber: businessNumberJson(ds, C.num[s]),
    businessNumbersCount: 1,
    tags: [],
    agent: agentJson(ds, C.ext[s], st === S_VOICEMAIL ? 'VoiceMailReceiver' : st === S_CONNECTED ? 'CallOwner' : 'NotDialed', camel),
    origin: cased(ORIGIN[C.dir[s]], camel),
    comment: null,
    favorite: false,
    textModel: { text: vmText, availability: cased(vmText ? 'Available' : 'NotAvailable', camel) },
    text: vmText,
    duration: hms(C.dur[s]),
    read: st !== S_MISSED || (f & F_VM_READ) !== 0,
    wfstate: { state: cased('Open', camel) },
    availability: cased('Available', camel),
  };
  if (f & F_REC) {
    r.recording = {
      recordingId: ds.recordHex(1, s), duration: hms(C.dur[s]), flag: cased('Public', camel),
      status: cased('Recorded', camel), link: recording(ds, s).uri, availability: cased('Available', camel),
    };
  }
  if (st === S_VOICEMAIL) {
    r.read = (f & F_VM_READ) !== 0;
    r.voicemail = {
      duration: hms(C.dur[s]), text: vmText,
      speechRecognitionStatus: cased(vmText ? 'Success' : 'SilenceOrNoSpeech', camel),
      recording: { link: voicemailRecord(ds, s).uri, availability: cased('Available', camel) },
      availability: cased('Available', camel),
    };
  }
  return r;
}

function smsRequest(ds, s, resolve) {
  const M = ds.sms, f = M.flags[s], camel = f & M_CASE_A;
  const inbound = M.dir[s] === 0, text = ds.smsText_(s);
  const extra = ds.smsExtra.get(s);
  const r = {
    id: ds.journalId(s * 2 + 1),
    requestGuid: ds.smsGuid(s),
    state: cased('Message', camel),
    client: clientJson(ds, M.client[s], camel, resolve),
    type: cased(f & M_THREAD ? 'MessageThread' : 'Message', f & M_CASE_B),
    created: isoZ(M.t[s]),
    businessNumber: businessNumberJson(ds, M.num[s]),
    businessNumbersCount: 1,
    tags: [],
    agent: inbound ? null : agentJson(ds, M.ext[s], 'CallOwner', camel),
    origin: cased(ORIGIN[M.dir[s]], camel),
    comment: null,
    favorite: false,
    textModel: { text, availability: cased('Available', camel) },
    text,
    duration: '00:00:00',
    messageDeliveryStatus: cased(inbound ? 'Unspecified' : f & M_NOT_SENT ? 'NotSent' : 'Sent', camel),
    attachments: (extra?.attachments ?? []).map((a, i) => ({
      link: `${ds.baseUrl}/attachments/${extra.requestGuid}/${i}`, fileName: a.fileName, fileSize: a.fileSize,
      isImage: /\.(png|jpe?g|gif|webp)$/i.test(a.fileName), isSupportedFormat: true, isStorageExpired: false,
    })),
    read: (f & M_READ) !== 0,
    wfstate: { state: cased('Open', camel) },
    availability: cased('Available', camel),
  };
  if (f & M_THREAD) r.inConversation = true;
  return r;
}

/** GET /journal/requests item for journal key k. */
export function journalJson(ds, k, resolve = false) {
  return (k & 1) === K_CALL ? callRequest(ds, k >> 1, resolve) : smsRequest(ds, k >> 1, resolve);
}
