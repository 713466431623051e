// config_check.test.mjs — `vs-api --check-config` and `vs-sync --check-config`:
// the configuration (file + VS_* environment + $CREDENTIALS_DIRECTORY) is
// loaded and validated; success prints "config OK" and a summary, a problem
// names the bad key and exits 2, and no secret value is ever printed.
// Runs the binaries directly (no stack needed), with a clean environment.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT } from './lib.mjs';

const BUILD = process.env.VS_BUILD ?? 'build';
const BIN = { api: `${ROOT}/${BUILD}/vs-api`, sync: `${ROOT}/${BUILD}/vs-sync` };
const dir = mkdtempSync(join(tmpdir(), 'vs-cfgcheck-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = {
  db_password: `dbpw-${randomBytes(12).toString('hex')}`,
  jwt_secret: `jwt-${randomBytes(24).toString('hex')}`,
  jwt_secret_previous: `jwtprev-${randomBytes(24).toString('hex')}`,
  master_key: randomBytes(32).toString('hex'),
  service_key: `svc-${randomBytes(24).toString('hex')}`,
};
const GOOD_CONF = [
  '# production-like', 'db_socket=/run/mysqld/mysqld.sock', 'db_name=victorysync', 'db_user=victorysync',
  'workers=3', 'threads=5', 'log_level=warn', 'api_socket=/run/victorysync/api.sock', '',
].join('\n');

let n = 0;
/** A config file plus a credentials directory; secrets: name → value (null = absent). */
function setup(conf = GOOD_CONF, secrets = {}) {
  const d = join(dir, `case${++n}`);
  mkdirSync(join(d, 'creds'), { recursive: true, mode: 0o700 });
  writeFileSync(join(d, 'victorysync.conf'), conf);
  for (const [k, v] of Object.entries({ ...SECRETS, ...secrets })) {
    if (v !== null) writeFileSync(join(d, 'creds', k), `${v}\n`, { mode: 0o600 });
  }
  return d;
}

const everySecretPrinted = [];
function check(which, d, env = {}) {
  const r = spawnSync(BIN[which], ['--config', join(d, 'victorysync.conf'), '--check-config'], {
    encoding: 'utf8', env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: join(d, 'creds'), ...env },
  });
  everySecretPrinted.push(r.stdout + r.stderr);
  return r;
}

function assertBad(r, key) {
  assert.equal(r.status, 2, `exit 2 expected: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`config: .*\\b${key}\\b`), `the message names ${key}: ${r.stderr}`);
  assert.doesNotMatch(r.stdout, /config OK/);
}

test('a good configuration: "config OK" and a summary without secret values (both binaries)', () => {
  const d = setup();
  for (const which of ['api', 'sync']) {
    const r = check(which, d);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^config OK \(vs-(api|sync) /);
    assert.match(r.stdout, /db_socket\s+\/run\/mysqld\/mysqld\.sock/);
    assert.match(r.stdout, /workers\s+3/);
    assert.match(r.stdout, /threads\s+5/);
    assert.match(r.stdout, /log_level\s+warn/);
    assert.match(r.stdout, /master_key\s+\(secret, set\)/);
    assert.match(r.stdout, /jwt_secret_previous\s+\(secret, set\)/);
    assert.match(r.stdout, /supabase_jwt_secret\s+\(secret, not set\)/);
  }
});

test('environment overrides are validated too (VS_LOG_LEVEL, VS_WORKERS)', () => {
  const d = setup();
  assertBad(check('api', d, { VS_LOG_LEVEL: 'loud' }), 'log_level');
  assertBad(check('sync', d, { VS_WORKERS: '0' }), 'workers');
  const ok = check('api', d, { VS_LOG_LEVEL: 'debug' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /log_level\s+debug/);
});

test('an unknown log_level is an error naming the key (it used to become info silently)', () => {
  const d = setup(GOOD_CONF.replace('log_level=warn', 'log_level=verbose'));
  assertBad(check('api', d), 'log_level');
  assertBad(check('sync', d), 'log_level');
});

test('unknown keys and malformed lines are named', () => {
  assertBad(check('api', setup(`${GOOD_CONF}bogus_key=1\n`)), 'bogus_key');
  const r = check('sync', setup(`${GOOD_CONF}just some words\n`));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /victorysync\.conf:\d+: expected KEY=VALUE/);
});

test('master_key must be exactly 64 hex characters, and is required by both binaries', () => {
  for (const bad of [SECRETS.master_key.slice(0, 63), `${SECRETS.master_key.slice(0, 63)}g`, 'x'.repeat(64)]) {
    const d = setup(GOOD_CONF, { master_key: bad });
    for (const which of ['api', 'sync']) {
      const r = check(which, d);
      assertBad(r, 'master_key');
      assert.ok(!r.stderr.includes(bad), 'the bad value itself is not printed');
    }
  }
  const tooLong = setup(GOOD_CONF, { master_key: `${SECRETS.master_key}00` });
  assertBad(check('api', tooLong), 'master_key');
  const missing = setup(GOOD_CONF, { master_key: null });
  assertBad(check('api', missing), 'master_key');
  assertBad(check('sync', missing), 'master_key');
});

test('jwt_secret: required by vs-api only, at least 32 bytes; jwt_secret_previous likewise', () => {
  const missing = setup(GOOD_CONF, { jwt_secret: null, jwt_secret_previous: null });
  assertBad(check('api', missing), 'jwt_secret');
  const sync = check('sync', missing);
  assert.equal(sync.status, 0, `vs-sync does not need jwt_secret: ${sync.stderr}`);
  const short = setup(GOOD_CONF, { jwt_secret: 'short-secret' });
  const r = check('api', short);
  assertBad(r, 'jwt_secret');
  assert.ok(!r.stderr.includes('short-secret'));
  assertBad(check('api', setup(GOOD_CONF, { jwt_secret_previous: 'old-short' })), 'jwt_secret_previous');
  assertBad(check('api', setup(GOOD_CONF, { jwt_secret: null })), 'jwt_secret_previous');
});

test('supabase_jwt_secret and service_key: at least 32 bytes when set (both binaries)', () => {
  for (const key of ['supabase_jwt_secret', 'service_key']) {
    const short = `${key.slice(0, 3)}-${randomBytes(8).toString('hex')}`; // 20 bytes
    for (const which of ['api', 'sync']) {
      const r = check(which, setup(GOOD_CONF, { [key]: short }));
      assertBad(r, key);
      assert.ok(!r.stderr.includes(short) && !r.stdout.includes(short), 'the value is never printed');
    }
    const ok = check('api', setup(GOOD_CONF, { [key]: randomBytes(16).toString('hex') })); // exactly 32
    assert.equal(ok.status, 0, `${key} of 32 bytes: ${ok.stderr}`);
  }
});

test('api_socket must be an absolute path that fits a unix socket, or HOST:PORT', () => {
  for (const bad of ['api.sock', 'run/api.sock', `/tmp/${'x'.repeat(120)}.sock`, '/run/victorysync/', 'host:http',
    ':0', ':70000']) {
    assertBad(check('api', setup(GOOD_CONF.replace('api_socket=/run/victorysync/api.sock', `api_socket=${bad}`))),
      'api_socket');
  }
  for (const good of [':9000', '127.0.0.1:9000', '/tmp/vs.sock']) {
    const r = check('api', setup(GOOD_CONF.replace('api_socket=/run/victorysync/api.sock', `api_socket=${good}`)));
    assert.equal(r.status, 0, `${good}: ${r.stderr}`);
  }
  assertBad(check('sync', setup(GOOD_CONF.replace('db_socket=/run', 'db_socket=run'))), 'db_socket');
});

test('integers out of range name the key', () => {
  assertBad(check('api', setup(GOOD_CONF.replace('threads=5', 'threads=many'))), 'threads');
  assertBad(check('sync', setup(`${GOOD_CONF}db_port=70000\n`)), 'db_port');
  for (const bad of ['0', '1441', 'hourly']) {
    assertBad(check('sync', setup(`${GOOD_CONF}sync_reconcile_minutes=${bad}\n`)), 'sync_reconcile_minutes');
  }
  for (const good of ['1', '1440']) {
    const r = check('sync', setup(`${GOOD_CONF}sync_reconcile_minutes=${good}\n`));
    assert.equal(r.status, 0, `${good}: ${r.stderr}`);
  }
  for (const bad of ['-1', '4097', 'many']) {
    assertBad(check('api', setup(`${GOOD_CONF}answer_cache_entries=${bad}\n`)), 'answer_cache_entries');
  }
  for (const good of ['0', '4096']) { // 0 turns remembered answers off
    const r = check('api', setup(`${GOOD_CONF}answer_cache_entries=${good}\n`));
    assert.equal(r.status, 0, `${good}: ${r.stderr}`);
  }
});

test('vs-api refuses to start (exit 2) on the same problems, without --check-config', () => {
  const d = setup(GOOD_CONF.replace('log_level=warn', 'log_level=chatty'));
  const r = spawnSync(BIN.api, ['--config', join(d, 'victorysync.conf')], {
    encoding: 'utf8', env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: join(d, 'creds') }, timeout: 10000,
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /log_level/);
  const nojwt = setup(GOOD_CONF, { jwt_secret: null, jwt_secret_previous: null });
  const r2 = spawnSync(BIN.api, ['--config', join(nojwt, 'victorysync.conf')], {
    encoding: 'utf8', env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: join(nojwt, 'creds') }, timeout: 10000,
  });
  assert.equal(r2.status, 2, r2.stderr);
  assert.match(r2.stderr, /jwt_secret is required/);
});

test('a secret given in the environment is not printed either', () => {
  const d = setup(GOOD_CONF, { service_key: null });
  const r = check('api', d, { VS_SERVICE_KEY: 'env-service-key-value-0123456789' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /service_key\s+\(secret, set\)/);
  assert.ok(!r.stdout.includes('env-service-key-value'));
  everySecretPrinted.push(r.stdout.replaceAll('env-service-key-value-0123456789', 'LEAK'));
});

test('no secret value appeared in any output above', () => {
  const all = everySecretPrinted.join('\n');
  assert.ok(everySecretPrinted.length > 20);
  for (const [k, v] of Object.entries(SECRETS)) assert.ok(!all.includes(v), `${k} was printed`);
  assert.ok(!all.includes(SECRETS.master_key.slice(0, 16)), 'no part of master_key was printed');
  assert.ok(!all.includes('LEAK'));
});
