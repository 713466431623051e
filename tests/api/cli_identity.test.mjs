// cli_identity.test.mjs — the admin CLI of the sync binary (vs-sync user …,
// vs-sync org …): passwords only on stdin, clear errors, exit codes of
// sync/commands.h (0 ok, 1 failed, 2 usage/invalid, 3 unavailable), effects
// seen through the API; and scripts/demo-seed.sh being idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ROOT, VAR, PROFILE, api, assertError, sql, useSourceAddress } from './lib.mjs';
import { createUser, login, platformAdmin, uniqueName } from './fixtures.mjs';

useSourceAddress('127.0.0.28');

const VS_SYNC = `${ROOT}/${process.env.VS_BUILD ?? 'build'}/vs-sync`;
const EXIT = { OK: 0, FAILED: 1, USAGE: 2, UNAVAILABLE: 3 };

function vs(args, input = '', env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(VS_SYNC, ['--config', `${VAR}/victorysync.conf`, ...args], {
      env: { ...process.env, CREDENTIALS_DIRECTORY: `${VAR}/secrets`, VS_PASSWORD_OPSLIMIT: '1', VS_PASSWORD_MEMLIMIT_KIB: '1024', ...env },
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
const email = () => `${uniqueName('cli')}@example.test`;

test('user create: id on stdout, hash stored, never the password', async () => {
  const e = email();
  const pw = `Correct horse ${randomUUID()}`;
  const r = await vs(['user', 'create', '--email', e, '--name', 'Cli User'], `${pw}\n`);
  assert.equal(r.code, EXIT.OK, r.stderr);
  const id = r.stdout.trim();
  assert.match(id, /^[0-9a-f-]{36}$/);
  const [[hash, role, name]] = sql(`SELECT password_hash, global_role, full_name FROM users WHERE id = '${id}'`);
  assert.match(hash, /^\$argon2id\$/);
  assert.ok(!hash.includes(pw));
  assert.equal(role, 'user');
  assert.equal(name, 'Cli User');
  assert.ok(!r.stderr.includes(pw) && !r.stdout.includes(pw));
  assert.equal((await login(e, pw)).user.id, id);
});

test('user create: errors and exit codes', async () => {
  const e = email();
  assert.equal((await vs(['user', 'create', '--email', e, '--name', 'A'], 'password-123\n')).code, EXIT.OK);
  const dup = await vs(['user', 'create', '--email', e.toUpperCase(), '--name', 'A'], 'password-123\n');
  assert.equal(dup.code, EXIT.FAILED);
  assert.match(dup.stderr, /already exists/);
  const argv = await vs(['user', 'create', '--email', email(), '--name', 'A', '--password', 'password-123'], '');
  assert.equal(argv.code, EXIT.USAGE);
  assert.match(argv.stderr, /stdin, never from the command line/);
  const cases = [
    [['user', 'create', '--email', 'not-an-email', '--name', 'A'], 'password-123\n', /not a valid email/],
    [['user', 'create', '--name', 'A'], 'password-123\n', /--email is required/],
    [['user', 'create', '--email', email()], 'password-123\n', /--name is required/],
    [['user', 'create', '--email', email(), '--name', ' padded'], 'password-123\n', /--name must not begin/],
    [['user', 'create', '--email', email(), '--name', 'x'.repeat(201)], 'password-123\n', /--name length/],
    [['user', 'create', '--email', email(), '--name', 'A'], 'short\n', /8 to 256 bytes/],
    [['user', 'create', '--email', email(), '--name', 'A'], '', /password on stdin/],
    [['user', 'create', '--email', email(), '--name', 'A'], `${'x'.repeat(300)}\n`, /8 to 256 bytes|password on stdin/],
    [['user', 'create', '--email', email(), '--name', 'A'], 'pass\u0001word-123\n', /control characters/],
    [['user', 'frobnicate'], '', /unknown subcommand/],
    [['user'], '', /missing subcommand/],
    [['user', 'list', 'extra'], '', /unexpected argument/],
  ];
  for (const [args, input, msg] of cases) {
    const r = await vs(args, input);
    assert.equal(r.code, EXIT.USAGE, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
  }
  const help = await vs(['user', '--help']);
  assert.equal(help.code, EXIT.OK);
  assert.match(help.stdout, /set-password/);
});

test('database down → exit 3 with a clear message', async () => {
  const r = await vs(['user', 'list'], '', { VS_DB_SOCKET: `${VAR}/run/no-such.sock` });
  assert.equal(r.code, EXIT.UNAVAILABLE, r.stderr);
  assert.match(r.stderr, /database unavailable/);
});

test('user set-password: new password works, old one and every session end', async () => {
  const u = await createUser();
  const s = await login(u.email, u.password);
  const h = { authorization: `Bearer ${s.access_token}` };
  assert.equal((await api.get('/api/user/profile', { headers: h })).status, 200);
  await new Promise((r) => setTimeout(r, 1100)); // tokens carry whole seconds
  const pw = `new-password-${randomUUID()}`;
  const r = await vs(['user', 'set-password', '--email', u.email], `${pw}\n`);
  assert.equal(r.code, EXIT.OK, r.stderr);
  assertError(assert, await api.get('/api/user/profile', { headers: h }), 401, 'UNAUTHORIZED');
  assertError(assert, await api.post('/api/auth/refresh', { refresh_token: s.refresh_token }), 401, 'UNAUTHORIZED');
  assert.equal((await login(u.email, pw)).user.id, u.id);
  const wrong = await api.post('/api/auth/login', { email: u.email, password: u.password }, { source: `127.6.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}` });
  assertError(assert, wrong, 401, 'UNAUTHORIZED');
  const none = await vs(['user', 'set-password', '--email', email()], 'password-123\n');
  assert.equal(none.code, EXIT.FAILED);
  assert.match(none.stderr, /no user/);
});

test('user grant-admin takes effect on the next request; list shows users', async () => {
  const u = await createUser({ fullName: 'Soon Admin' });
  const h = { authorization: `Bearer ${(await login(u.email, u.password)).access_token}` };
  assertError(assert, await api.get('/api/admin/orgs', { headers: h }), 403, 'FORBIDDEN');
  const r = await vs(['user', 'grant-admin', '--email', u.email]);
  assert.equal(r.code, EXIT.OK, r.stderr);
  assert.equal((await api.get('/api/admin/orgs', { headers: h })).status, 200);
  assert.equal((await api.get('/api/user/profile', { headers: h })).json.global_role, 'platform_admin');
  assert.equal((await vs(['user', 'grant-admin', '--email', email()])).code, EXIT.FAILED);

  const list = await vs(['user', 'list']);
  assert.equal(list.code, EXIT.OK);
  const line = list.stdout.split('\n').find((l) => l.startsWith(u.id));
  assert.match(line, /platform_admin/);
  assert.match(line, /Soon Admin/);
  const json = JSON.parse((await vs(['user', 'list', '--json'])).stdout);
  const me = json.find((x) => x.id === u.id);
  assert.deepEqual(Object.keys(me).sort(), ['created_at', 'email', 'full_name', 'global_role', 'id']);
  assert.ok(!JSON.stringify(json).includes('argon2'), 'no hashes in the listing');
});

test('org create / add-member / list', async () => {
  const name = uniqueName('Cli Org');
  const c = await vs(['org', 'create', '--name', name, '--timezone', 'Europe/Madrid']);
  assert.equal(c.code, EXIT.OK, c.stderr);
  const id = c.stdout.trim();
  const { headers } = await platformAdmin();
  const org = (await api.get(`/api/admin/orgs/${id}`, { headers })).json;
  assert.equal(org.name, name);
  assert.equal(org.timezone, 'Europe/Madrid');
  assert.equal((await vs(['org', 'create', '--name', name.toUpperCase()])).code, EXIT.FAILED);
  assert.equal((await vs(['org', 'create', '--name', uniqueName('X'), '--timezone', 'Nowhere/Land'])).code, EXIT.USAGE);
  assert.equal((await vs(['org', 'create'])).code, EXIT.USAGE);

  const u = await createUser();
  const add = await vs(['org', 'add-member', '--org', org.slug, '--email', u.email, '--role', 'manager']);
  assert.equal(add.code, EXIT.OK, add.stderr);
  assert.equal(sql(`SELECT role FROM org_members WHERE org_id = '${id}' AND user_id = '${u.id}'`)[0][0], 'manager');
  const again = await vs(['org', 'add-member', '--org', id, '--email', u.email, '--role', 'agent']);
  assert.equal(again.code, EXIT.FAILED);
  assert.match(again.stderr, /already a member/);
  assert.equal((await vs(['org', 'add-member', '--org', id, '--email', email(), '--role', 'agent'])).code, EXIT.FAILED);
  assert.equal((await vs(['org', 'add-member', '--org', 'no-such-org', '--email', u.email, '--role', 'agent'])).code, EXIT.FAILED);
  assert.equal((await vs(['org', 'add-member', '--org', randomUUID(), '--email', u.email, '--role', 'agent'])).code, EXIT.FAILED);
  assert.equal((await vs(['org', 'add-member', '--org', id, '--email', u.email, '--role', 'owner'])).code, EXIT.USAGE);

  const list = JSON.parse((await vs(['org', 'list', '--json'])).stdout);
  assert.equal(list.find((o) => o.id === id).member_count, 1);
  // the CLI's changes are in the activity feed like the API's
  const feed = (await api.get(`/api/orgs/${id}/activity`, { headers })).json;
  assert.deepEqual(feed.data.map((e) => e.type), ['member_added', 'org_created']);
});

test('scripts/demo-seed.sh is idempotent and prints a working login', async () => {
  const run = () => new Promise((resolve) => {
    execFile(`${ROOT}/scripts/demo-seed.sh`, [PROFILE], { env: process.env }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
  const a = await run();
  assert.equal(a.code, 0, a.stderr);
  const b = await run();
  assert.equal(b.code, 0, b.stderr);
  const pw = readFileSync(`${VAR}/secrets/demo_password`, 'utf8').trim();
  for (const out of [a.stdout, b.stdout]) {
    assert.match(out, /https:\/\/127\.0\.0\.1:\d+\//);
    assert.match(out, /admin@victorysync\.local/);
    assert.ok(out.includes(pw));
  }
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'admin@victorysync.local'")[0][0], '1');
  assert.equal(sql("SELECT COUNT(*) FROM orgs WHERE slug = 'demo-call-center'")[0][0], '1');
  const s = await login('admin@victorysync.local', pw);
  assert.equal(s.user.global_role, 'platform_admin');
  const orgs = (await api.get('/api/user/orgs', { headers: { authorization: `Bearer ${s.access_token}` } })).json;
  const demo = orgs.data.find((o) => o.slug === 'demo-call-center');
  assert.equal(demo.role, 'org_admin');
  assert.equal(demo.name, 'Demo Call Center');
  const org = (await api.get(`/api/admin/orgs/${demo.id}`, { headers: { authorization: `Bearer ${s.access_token}` } })).json;
  assert.equal(org.timezone, 'America/New_York');
});
