// secret_log.mjs — records every secret the API tests send or receive
// (passwords, JWTs, refresh tokens, API keys, the service key, MightyCall
// credentials, webhook secrets) in var/<profile>/test-secrets.txt, one per
// line, so scripts/scan-secrets.sh can check that none of them ever reached a
// log under var/<profile>/log/. Hooked into lib.mjs request() and
// fixtures.mjs createUser(); nothing here changes a request or a response.
import { appendFileSync } from 'node:fs';

const ROOT = process.env.VS_ROOT ?? new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const VAR = process.env.VS_VAR ?? `${ROOT}/var/${process.env.VS_PROFILE ?? 'test'}`;
export const SECRETS_FILE = `${VAR}/test-secrets.txt`;

// JSON fields whose string values are secrets (nested objects are walked too).
const SECRET_FIELD = /^(password|new_password|current_password|old_password|access_token|refresh_token|id_token|token|key|api_key|apikey|user_key|client_secret|secret|webhook_secret|service_key|master_key|jwt_secret|ticket)$/i;
const SECRET_HEADER = /^(authorization|x-api-key|x-service-key)$/i;

const seen = new Set();

/** Record one secret value (short or multi-line values are skipped: too
 * likely to match ordinary log text by accident). */
export function recordSecret(value) {
  if (typeof value !== 'string') return;
  const v = value.replace(/^Bearer\s+/i, '').trim();
  if (v.length < 12 || /[\r\n]/.test(v) || seen.has(v)) return;
  seen.add(v);
  try { appendFileSync(SECRETS_FILE, `${v}\n`, { mode: 0o600 }); } catch { /* no var dir: nothing to scan */ }
}

function walk(x, depth = 0) {
  if (!x || typeof x !== 'object' || depth > 8) return;
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'string' && SECRET_FIELD.test(k)) recordSecret(v);
    else if (v && typeof v === 'object') walk(v, depth + 1);
  }
}

function walkText(text) {
  if (!text || (text[0] !== '{' && text[0] !== '[')) return;
  try { walk(JSON.parse(text)); } catch { /* not JSON */ }
}

/** Secrets in what a test sends: credential headers and JSON body fields. */
export function recordRequestSecrets(headers, body) {
  for (const [k, v] of Object.entries(headers ?? {})) if (SECRET_HEADER.test(k)) recordSecret(String(v));
  if (typeof body === 'string') walkText(body);
  else if (Buffer.isBuffer(body)) walkText(body.toString('utf8'));
}

/** Secrets in what the API answers (a second reader of the response stream). */
export function recordResponseSecrets(res) {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => walkText(Buffer.concat(chunks).toString('utf8').trim()));
}
