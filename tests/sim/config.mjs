// Command-line options of the simulator → a frozen config object.

import { parseUtc } from './format.mjs';

export const USAGE = `usage: node tests/sim/server.mjs [options]
  --port N            listen port (0 = pick a free one; default 8900)
  --host H            loopback address to bind (default 127.0.0.1)
  --seed N            dataset seed (default 42)
  --now ISO           pin "now" of the dataset (default: start time)
  --days N            calls/SMS spread over the last N days (default 90)
  --calls N           calls (default 5000)
  --numbers N         business phone numbers (default 20)
  --extensions N      extensions/users 101.. (default 30)
  --sms N             SMS messages (default 2000)
  --voicemails N      calls that went to voicemail (default 300)
  --contacts N        live contacts (default 200; ~5% more deleted ones)
  --api-key K         MightyCall api_key (default demo-api-key)
  --user-key K        MightyCall user/secret key (default demo-user-key)
  --account K:U[:SEED]  extra account with its own dataset (repeatable)
  --quota N           requests per api_key per UTC day (default 2500)
  --token-ttl S       access token lifetime in seconds (default 86399)
  --verbose           log each request to stderr
  --help`;

const NUMERIC = {
  port: 8900, seed: 42, days: 90, calls: 5000, numbers: 20, extensions: 30, sms: 2000,
  voicemails: 300, contacts: 200, quota: 2500, 'token-ttl': 86399,
};

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/** Parse argv; throws Error with a user-facing message on bad input. */
export function parseArgs(argv) {
  const o = { ...NUMERIC, host: '127.0.0.1', 'api-key': 'demo-api-key', 'user-key': 'demo-user-key', accounts: [], verbose: false, now: null };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--help' || a === '-h') { o.help = true; continue; }
    if (a === '--verbose') { o.verbose = true; continue; }
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    a = a.slice(2);
    let v;
    const eq = a.indexOf('=');
    if (eq >= 0) { v = a.slice(eq + 1); a = a.slice(0, eq); } else { v = argv[++i]; }
    if (v === undefined) throw new Error(`--${a} needs a value`);
    if (a in NUMERIC) {
      if (!/^\d+$/.test(v)) throw new Error(`--${a} must be a non-negative integer`);
      o[a] = Number(v);
    } else if (a === 'account') {
      const [apiKey, userKey, seed] = v.split(':');
      if (!apiKey || !userKey) throw new Error('--account needs API_KEY:USER_KEY[:SEED]');
      o.accounts.push({ apiKey, userKey, seed: seed ?? null });
    } else if (a === 'now') {
      const t = parseUtc(v);
      if (Number.isNaN(t)) throw new Error('--now must be an ISO 8601 time');
      o.now = t;
    } else if (['host', 'api-key', 'user-key'].includes(a)) {
      o[a] = v;
    } else {
      throw new Error(`unknown option --${a}`);
    }
  }
  if (o.port > 65535) throw new Error('--port out of range');
  if (!LOOPBACK.test(o.host)) throw new Error('--host must be a loopback address (127.x.x.x, ::1, localhost)');
  const dataset = {
    days: o.days, calls: o.calls, numbers: o.numbers, extensions: o.extensions, sms: o.sms,
    voicemails: o.voicemails, contacts: o.contacts,
  };
  const accounts = [{ apiKey: o['api-key'], userKey: o['user-key'], seed: o.seed }];
  o.accounts.forEach((a, i) => accounts.push({ ...a, seed: a.seed ?? `${o.seed}-${i + 1}` }));
  if (new Set(accounts.map((a) => a.apiKey)).size !== accounts.length) throw new Error('duplicate api keys');
  return Object.freeze({
    help: !!o.help, port: o.port, host: o.host, verbose: o.verbose, now: o.now,
    quota: o.quota, tokenTtl: o['token-ttl'], dataset, accounts,
  });
}
