// mailbox.mjs — reads what the stack's loopback MTA (scripts/mta/, exim)
// delivered into its Maildir (VS_MAILDIR, var/<profile>/mail/new): the API
// tests find a message by its To: address and read the link out of it.
import { readdirSync, readFileSync } from 'node:fs';
import { VAR, waitFor } from './lib.mjs';

export const MAILDIR = process.env.VS_MAILDIR ?? `${VAR}/mail`;

function parse(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = text.slice(0, cut).replace(/\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return { raw, headers, body: text.slice(cut + 2) };
}

// Maildir names are "<seconds>.M<microseconds>P<pid>.<host>" (exim); the
// microseconds are not zero-padded, so order by the two numbers, not the text.
function deliveryOrder(name) {
  const m = /^(\d+)\.M(\d+)P/.exec(name);
  return m ? Number(m[1]) * 1e6 + Number(m[2]) : Number.MAX_SAFE_INTEGER;
}

/** Every delivered message addressed to `to`, oldest first. */
export function messagesTo(to) {
  let files = [];
  try { files = readdirSync(`${MAILDIR}/new`); } catch { return []; }
  files.sort((a, b) => deliveryOrder(a) - deliveryOrder(b) || (a < b ? -1 : 1));
  return files.map((f) => parse(readFileSync(`${MAILDIR}/new/${f}`, 'utf8')))
    .filter((m) => (m.headers.to ?? '').toLowerCase() === `<${to.toLowerCase()}>`);
}

/** Waits (bounded: 200 × 100 ms) until `count` messages reached `to`; returns the last. */
export async function waitForMail(to, count = 1) {
  await waitFor(() => messagesTo(to).length >= count, { what: `${count} mail(s) to ${to}` });
  const all = messagesTo(to);
  return all[all.length - 1];
}

/** The token of a link of kind 'invite' or 'reset' in a message body. */
export function linkToken(msg, kind) {
  const m = msg.body.match(new RegExp(`/#/${kind}\\?token=(vs[ip]_[A-Za-z0-9_-]{43})`));
  if (!m) throw new Error(`no ${kind} link in:\n${msg.body}`);
  return m[1];
}
