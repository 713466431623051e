// authz_matrix.test.mjs — the authorization matrix of docs/authorization.md,
// executed. The test PARSES the markdown table; nothing here is hand-picked
// per route. For every row it calls the route as each role
// (platform_admin, org_admin, manager, agent, api_key, service, none) and, for
// org-scoped routes, against: the caller's own org, another org, an org that
// does not exist and — when the path has sub-resources the test can make —
// another org's sub-resource under the own org, and a missing sub-resource.
// It also checks the table against the code (every registered route has one
// row with the same access value and API key scope) and against the documented
// rules. Two key roles: `api_key` holds only the default scope read;
// `scoped_key` holds exactly the row's Scope (made per row), so every scope
// is exercised both held and missing (403 naming it in details.scope).
//
// Path parameters: :orgId and those in PARAM_FACTORIES get real ids of
// fixtures made here; any other parameter gets a random UUID, in which case a
// 2xx cell also accepts the handler's own 404 (details.resource is not
// "organization"). A request expected to succeed that changes state
// (non-GET) runs on fresh fixtures, so it never disturbs the other checks.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { ROOT, request, sql, useSourceAddress } from './lib.mjs';
import {
  addMember, apiKeyFor, createUser, login, newOrg, serviceHeaders, uniqueName,
} from './fixtures.mjs';
import { routeTable } from './route_table.mjs';

useSourceAddress('127.0.0.25');

const ROLES = ['platform_admin', 'org_admin', 'manager', 'agent', 'api_key', 'scoped_key', 'service', 'none'];
const ORG_ROLES = ['org_admin', 'manager', 'agent'];
const ORG_ACCESS = new Set(['ACCESS_ORG_AGENT', 'ACCESS_ORG_MANAGER', 'ACCESS_ORG_ADMIN']);

// ---------------------------------------------------------------- the table
function cells(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|')
    .map((c) => c.trim().replace(/^`(.*)`$/, '$1'));
}

function parseMatrix() {
  const lines = readFileSync(`${ROOT}/docs/authorization.md`, 'utf8').split('\n');
  const hi = lines.findIndex((l) => /^\|\s*Method\s*\|\s*Path\s*\|\s*Access\s*\|/.test(l));
  assert.ok(hi >= 0, 'docs/authorization.md has a | Method | Path | Access | ... table');
  const header = cells(lines[hi]);
  for (const r of ROLES) assert.ok(header.includes(r), `matrix has a column ${r}`);
  const rows = [];
  for (let i = hi + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
    const c = cells(lines[i]);
    const row = Object.fromEntries(header.map((h, k) => [h, c[k] ?? '']));
    for (const r of ROLES) {
      assert.match(row[r], /^\d{3}$/, `${row.Method} ${row.Path}: cell ${r} must be an HTTP status`);
      row[r] = Number(row[r]);
    }
    row.Body = row.Body && row.Body !== '—' ? row.Body : '';
    assert.ok('Scope' in row, 'matrix has a column Scope');
    row.Scope = row.Scope && row.Scope !== '—' ? row.Scope : null;
    rows.push(row);
  }
  return rows;
}

/** Routes registered in the C route table (vs-api --routes): "METHOD /path" → ACCESS_X. */
function codeRoutes() {
  return new Map(routeTable().map((r) => [`${r.method} ${r.pattern}`, r.access]));
}
/** "METHOD /path" → the API key scope the code declares (null: keys cannot use it). */
function codeScopes() {
  return new Map(routeTable().map((r) => [`${r.method} ${r.pattern}`, r.api_scope ?? null]));
}

/** What the documented rules say: 'any' (public), 'allowed', or the denial status. */
function derived(access, role, path, scope) {
  if (access === 'ACCESS_PUBLIC') return 'any';
  if (role === 'none') return 401;
  if ((role === 'api_key' || role === 'scoped_key') && (path.startsWith('/api/admin/') || path.startsWith('/api/user/'))) return 403;
  // API keys: the route's scope decides, whatever its role level
  if (role === 'api_key') return scope === 'read' ? 'allowed' : 403;
  if (role === 'scoped_key') return scope ? 'allowed' : 403;
  const allowed = {
    ACCESS_USER: ['platform_admin', 'org_admin', 'manager', 'agent'],
    ACCESS_PLATFORM_ADMIN: ['platform_admin', 'service'],
    ACCESS_SERVICE: ['service'],
    ACCESS_ORG_AGENT: ['platform_admin', 'org_admin', 'manager', 'agent', 'service'],
    ACCESS_ORG_MANAGER: ['platform_admin', 'org_admin', 'manager', 'service'],
    ACCESS_ORG_ADMIN: ['platform_admin', 'org_admin', 'service'],
  }[access];
  assert.ok(allowed, `unknown access value ${access}`);
  return allowed.includes(role) ? 'allowed' : 403;
}

const ROWS = parseMatrix();

// ---------------------------------------------------------------- fixtures
// Each request goes out from its own random loopback address, so nginx's
// per-IP limit for unauthenticated calls never interferes.
const source = () => {
  const r = randomBytes(2);
  return `127.7.${r[0]}.${(r[1] % 254) + 1}`;
};
const bearer = (t) => ({ authorization: `Bearer ${t}` });

const world = {};

async function builderHeaders() {
  // a new token per use: nginx limits requests per credential
  const s = await login(world.builder.email, world.builder.password);
  return bearer(s.access_token);
}

async function freshAdminHeaders() {
  const u = await createUser({ fullName: 'Matrix Admin (fresh)', platformAdmin: true });
  return bearer((await login(u.email, u.password)).access_token);
}

/** An org with a key, a target member and a target key (+ the role users as members). */
async function makeBundle({ withRoles }) {
  const h = await builderHeaders();
  const org = await newOrg(h, { name: uniqueName('Matrix') });
  if (withRoles) for (const r of ORG_ROLES) await addMember(h, org.id, world.roleUsers[r].email, r);
  const key = await apiKeyFor(org.id, h);
  const target = await createUser({ fullName: 'Matrix Target' });
  const targetMember = await addMember(h, org.id, target.email, 'agent');
  const targetKey = await apiKeyFor(org.id, h);
  return { org, key, targetMember, targetKey, builder: h };
}

// Real ids for known path parameters, from a bundle (an org and its things).
// Another area adds its parameters here (and, if needed, creates the
// resource lazily on the bundle, e.g. `b.integration ??= await …`).
const PARAM_FACTORIES = {
  memberId: async (b) => b.targetMember.id,
  keyId: async (b) => b.targetKey.id,
  userId: async (b) => b.targetMember.user_id,
  // an open invitation of the bundle's org, written directly (an org admin's
  // POST members would do the same; the platform admin's adds instead)
  invitationId: async (b) => {
    if (!b.invitationId) {
      const id = randomUUID();
      sql(`INSERT INTO org_invitations (id, org_id, email, role, token_hash, expires_at) VALUES ('${id}',
           '${b.org.id}', '${uniqueName('invitee')}@example.test', 'agent', '${randomBytes(32).toString('hex')}',
           NOW(3) + INTERVAL 7 DAY)`);
      b.invitationId = id;
    }
    return b.invitationId;
  },
  // an extension of the bundle's org, as sync writes it
  extensionId: async (b) => {
    if (!b.extensionId) {
      const id = randomUUID();
      sql(`INSERT INTO extensions (id, org_id, external_id, extension, display_name) VALUES ('${id}', '${b.org.id}',
           '${randomUUID()}', '901', 'Matrix Agent')`);
      b.extensionId = id;
    }
    return b.extensionId;
  },
};

async function fillBody(template) {
  if (!template) return undefined;
  let s = template;
  if (s.includes('$unknown_email')) s = s.replaceAll('$unknown_email', `${uniqueName('nobody')}@example.test`);
  if (s.includes('$email')) s = s.replaceAll('$email', (await createUser({ fullName: 'Matrix Invitee' })).email);
  if (s.includes('$invite_token')) s = s.replaceAll('$invite_token', `vsi_${randomBytes(32).toString('base64url')}`);
  if (s.includes('$reset_token')) s = s.replaceAll('$reset_token', `vsp_${randomBytes(32).toString('base64url')}`);
  if (s.includes('$refresh_token')) s = s.replaceAll('$refresh_token', `vsr_${randomBytes(32).toString('base64url')}`);
  s = s.replaceAll('$name', uniqueName('Matrix'));
  return JSON.parse(s);
}

before(async () => {
  world.builder = await createUser({ fullName: 'Matrix Builder', platformAdmin: true });
  const admin = await createUser({ fullName: 'Matrix Admin', platformAdmin: true });
  world.adminHeaders = bearer((await login(admin.email, admin.password)).access_token);
  world.roleUsers = {};
  world.roleHeaders = {};
  for (const r of ORG_ROLES) {
    world.roleUsers[r] = await createUser({ fullName: `Matrix ${r}` });
    const s = await login(world.roleUsers[r].email, world.roleUsers[r].password);
    world.roleHeaders[r] = bearer(s.access_token);
  }
  world.own = await makeBundle({ withRoles: true });
  world.other = await makeBundle({ withRoles: false });
});

// ---------------------------------------------------------------- cases
const is2xx = (s) => s >= 200 && s < 300;

function shapeOf(row) {
  const params = [...row.Path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const orgScoped = row.Access !== 'ACCESS_PUBLIC' && (params.includes('orgId') || ORG_ACCESS.has(row.Access));
  const subs = params.filter((p) => p !== 'orgId');
  const unknown = subs.filter((p) => !PARAM_FACTORIES[p]);
  const cases = orgScoped ? ['own', 'other', 'missing_org'] : ['global'];
  if (orgScoped && subs.length > unknown.length) cases.push('foreign_sub', 'missing_sub');
  return { params, orgScoped, unknown, cases };
}

function expectation(row, role, kase, shape) {
  const cell = row[role];
  const own = { status: cell, handler404ok: shape.unknown.length > 0 && is2xx(cell) };
  if (role === 'none') return { status: cell };
  switch (kase) {
    case 'global':
    case 'own':
      return own;
    case 'other':
      return role === 'platform_admin' || role === 'service' ? own : { status: 404, orgHidden: true };
    case 'missing_org':
      return { status: 404, orgHidden: true };
    default: // foreign_sub, missing_sub: the handler scopes sub-resources by org
      return is2xx(cell) ? { status: 404, subMissing: true } : { status: cell };
  }
}

const scopedKeys = new Map(); // bundle org id + scope → key headers
async function scopedKey(bundle, scope) {
  const k = `${bundle.org.id} ${scope}`;
  if (!scopedKeys.has(k)) scopedKeys.set(k, (await apiKeyFor(bundle.org.id, bundle.builder, [scope])).headers);
  return scopedKeys.get(k);
}

async function credentials(role, ownBundle, fresh, row) {
  switch (role) {
    case 'scoped_key': return row.Scope ? scopedKey(ownBundle, row.Scope) : ownBundle.key.headers;
    case 'platform_admin': return fresh ? freshAdminHeaders() : world.adminHeaders;
    case 'org_admin': case 'manager': case 'agent': return world.roleHeaders[role];
    case 'api_key': return ownBundle.key.headers;
    case 'service': return serviceHeaders();
    default: return {};
  }
}

async function runCase(row, role, kase, shape) {
  const exp = expectation(row, role, kase, shape);
  const fresh = row.Method !== 'GET' && is2xx(exp.status);
  let ownBundle = world.own;
  let target = world.own;  // the org of the request
  let subs = world.own;    // where sub-resource ids come from
  let orgId;
  if (kase === 'own' && fresh) ownBundle = target = subs = await makeBundle({ withRoles: true });
  if (kase === 'other') target = subs = fresh ? await makeBundle({ withRoles: false }) : world.other;
  if (kase === 'foreign_sub') subs = world.other;
  if (kase === 'missing_org') orgId = randomUUID();
  orgId ??= target.org.id;

  let path = row.Path;
  for (const p of shape.params) {
    let v;
    if (p === 'orgId') v = orgId;
    else if (PARAM_FACTORIES[p] && kase !== 'missing_sub' && kase !== 'missing_org') v = await PARAM_FACTORIES[p](subs);
    else v = randomUUID();
    path = path.replace(`:${p}`, v);
  }
  if (shape.orgScoped && !shape.params.includes('orgId')) path += `${path.includes('?') ? '&' : '?'}orgId=${orgId}`;

  const headers = await credentials(role, ownBundle, fresh, row);
  const json = await fillBody(row.Body);
  const res = await request(row.Method, path, { headers, json, source: source() });
  const what = `${row.Method} ${row.Path} as ${role} (${kase}) → ${path}: expected ${exp.status}, got ${res.status} ${res.text}`;
  if (exp.handler404ok && res.status === 404) {
    assert.notEqual(res.json?.details?.resource, 'organization', what);
  } else {
    assert.equal(res.status, exp.status, what);
  }
  if (exp.orgHidden) assert.equal(res.json?.details?.resource, 'organization', `org 404 expected: ${what}`);
  if (exp.subMissing) assert.notEqual(res.json?.details?.resource, 'organization', `sub-resource 404 expected: ${what}`);
  if (role === 'api_key' && kase === 'own' && row.Scope && row.Scope !== 'read') {
    assert.equal(res.json?.details?.scope, row.Scope, `a missing scope is named: ${what}`);
  }
  if (res.status >= 400) {
    assert.equal(typeof res.json?.code, 'string', `SPEC §2 error body: ${what}`);
    assert.equal(typeof res.json?.error, 'string', `SPEC §2 error body: ${what}`);
  }
}

// ---------------------------------------------------------------- tests
test('the matrix has one row per registered route, with the access value of the code', () => {
  const code = codeRoutes();
  const doc = new Map();
  for (const r of ROWS) {
    const k = `${r.Method} ${r.Path}`;
    assert.ok(!doc.has(k), `duplicate row ${k}`);
    doc.set(k, r.Access);
  }
  for (const [k, access] of code) {
    assert.ok(doc.has(k), `route ${k} (${access}) has no row in docs/authorization.md`);
    assert.equal(doc.get(k), access, `${k}: the table says ${doc.get(k)}, the code ${access}`);
  }
  for (const k of doc.keys()) assert.ok(code.has(k), `docs/authorization.md lists ${k}, which is not a registered route`);
  const scopes = codeScopes();
  for (const r of ROWS) {
    const k = `${r.Method} ${r.Path}`;
    assert.equal(r.Scope, scopes.get(k), `${k}: the table's Scope is ${r.Scope ?? '—'}, the code's ${scopes.get(k) ?? '—'}`);
  }
  assert.ok(code.size >= 19);
});

test('every cell agrees with the documented rules for its access value', () => {
  for (const row of ROWS) {
    for (const role of ROLES) {
      const d = derived(row.Access, role, row.Path, row.Scope);
      const where = `${row.Method} ${row.Path} / ${role}`;
      if (d === 'allowed') assert.ok(row[role] !== 401 && row[role] !== 403, `${where}: allowed by ${row.Access}, table says ${row[role]}`);
      else if (d !== 'any') assert.equal(row[role], d, `${where}: ${row.Access} gives ${d}`);
    }
  }
});

for (const row of ROWS) {
  const shape = shapeOf(row);
  test(`${row.Method} ${row.Path} (${row.Access}) × ${ROLES.length} roles × ${shape.cases.join('/')}`, async (t) => {
    for (const role of ROLES) {
      for (const kase of shape.cases) {
        await t.test(`${role} / ${kase}`, () => runCase(row, role, kase, shape));
      }
    }
  });
}
