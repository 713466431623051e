// fixtures.mjs — identity fixtures for every API test file: users (made with
// the vs-sync CLI, as an operator would), sessions, orgs, members with a
// role, API keys and the service key. Exports (a stable API, other areas'
// tests use it):
//   createUser({email, password, fullName, platformAdmin}) → {id, email, password}
//   login(email, password)                 → {access_token, refresh_token, user}
//   platformAdmin()                        → {token, headers, user}  (one per process, cached)
//   newOrg(headers, {name?, timezone?})    → org (201 body of POST /api/admin/orgs)
//   addMember(headers, orgId, email, role) → member (201 body)
//   userWithRole(orgId, role)              → {token, headers, user, member}  (a fresh user)
//   apiKeyFor(orgId, headers?, scopes?)    → {id, key, scopes, headers: {'x-api-key': key}} (scopes default: read)
//   serviceHeaders()                       → {'x-service-key': ...}
//   uniqueName(prefix)                     → a name no other call returns
// Logins go out from a random loopback address of 127.5.0.0/16 so that nginx's
// per-IP limit for unauthenticated requests never throttles fixture logins.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ROOT, VAR, api } from './lib.mjs';
import { recordSecret } from './secret_log.mjs';

const VS_SYNC = `${ROOT}/${process.env.VS_BUILD ?? 'build'}/vs-sync`;

let counter = 0;
/** A name unique across processes and runs: prefix-<time>-<counter>-<random>. */
export function uniqueName(prefix = 'test') {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${randomBytes(3).toString('hex')}`;
}

function loginSource() {
  const r = randomBytes(2);
  return `127.5.${r[0]}.${(r[1] % 254) + 1}`;
}

/** Run vs-sync with args and stdin; resolves {code, stdout, stderr}. */
function runSync(args, input = '', extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(VS_SYNC, ['--config', `${VAR}/victorysync.conf`, ...args], {
      env: {
        ...process.env,
        CREDENTIALS_DIRECTORY: `${VAR}/secrets`,
        // cheap argon2id for test users: the hash records its own cost, so
        // logins of these users stay fast too
        VS_PASSWORD_OPSLIMIT: '1',
        VS_PASSWORD_MEMLIMIT_KIB: '1024',
        ...extraEnv,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

/** Creates a user through `vs-sync user create` (password on stdin). */
export async function createUser({ email, password, fullName, platformAdmin = false } = {}) {
  const e = email ?? `${uniqueName('user')}@example.test`;
  const pw = password ?? `pw-${randomBytes(12).toString('hex')}`;
  recordSecret(pw);
  const name = fullName ?? 'Test User';
  const args = ['user', 'create', '--email', e, '--name', name];
  if (platformAdmin) args.push('--platform-admin');
  const r = await runSync(args, `${pw}\n`);
  if (r.code !== 0) throw new Error(`vs-sync user create ${e} failed (${r.code}): ${r.stderr}`);
  const id = r.stdout.trim();
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`vs-sync user create printed no id: ${r.stdout}`);
  return { id, email: e.toLowerCase(), password: pw };
}

/** POST /api/auth/login; throws unless 200. */
export async function login(email, password) {
  const res = await api.post('/api/auth/login', { email, password }, { source: loginSource() });
  if (res.status !== 200) throw new Error(`login ${email} → ${res.status}: ${res.text}`);
  const { access_token, refresh_token, user } = res.json;
  return { access_token, refresh_token, user };
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });

let adminPromise;
/** A platform admin of this test process (created once). */
export function platformAdmin() {
  adminPromise ??= (async () => {
    const u = await createUser({ fullName: 'Platform Admin', platformAdmin: true });
    const s = await login(u.email, u.password);
    return { token: s.access_token, headers: bearer(s.access_token), user: s.user };
  })();
  return adminPromise;
}

/** POST /api/admin/orgs with the given credentials; throws unless 201. */
export async function newOrg(headers, { name, timezone } = {}) {
  const body = { name: name ?? uniqueName('Org') };
  if (timezone !== undefined) body.timezone = timezone;
  const res = await api.post('/api/admin/orgs', body, { headers });
  if (res.status !== 201) throw new Error(`create org → ${res.status}: ${res.text}`);
  return res.json;
}

/** POST /api/admin/orgs/:orgId/members; throws unless 201. */
export async function addMember(headers, orgId, email, role) {
  const res = await api.post(`/api/admin/orgs/${orgId}/members`, { email, role }, { headers });
  if (res.status !== 201) throw new Error(`add member ${email} → ${res.status}: ${res.text}`);
  return res.json;
}

/** A fresh user with `role` in orgId (added by the platform admin), signed in. */
export async function userWithRole(orgId, role) {
  const admin = await platformAdmin();
  const u = await createUser({ fullName: `${role} ${uniqueName('user')}` });
  const member = await addMember(admin.headers, orgId, u.email, role);
  const s = await login(u.email, u.password);
  return { token: s.access_token, headers: bearer(s.access_token), user: s.user, member };
}

/** A new API key of orgId (created with headers, default the platform admin). */
export async function apiKeyFor(orgId, headers, scopes) {
  const h = headers ?? (await platformAdmin()).headers;
  const body = { name: uniqueName('key'), ...(scopes ? { scopes } : {}) };
  const res = await api.post(`/api/orgs/${orgId}/api-keys`, body, { headers: h });
  if (res.status !== 201) throw new Error(`create API key → ${res.status}: ${res.text}`);
  return { id: res.json.id, key: res.json.key, scopes: res.json.scopes, headers: { 'x-api-key': res.json.key } };
}

/** The platform service key header. */
export function serviceHeaders() {
  return { 'x-service-key': readFileSync(`${VAR}/secrets/service_key`, 'utf8').trim() };
}
