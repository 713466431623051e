// migrations.test.mjs — the migration runner (`vs-sync migrate`) against the
// real MariaDB: applies in order, records versions, re-running is a no-op,
// a failing migration stops with a clear error and is not recorded.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, VAR, sql } from './lib.mjs';

const BUILD = process.env.VS_BUILD ?? 'build';
const db = `vs_migtest_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'vs-mig-'));

function migrate() {
  return spawnSync(`${ROOT}/${BUILD}/vs-sync`, ['--config', `${VAR}/victorysync.conf`, 'migrate', '--dir', dir], {
    encoding: 'utf8', env: { ...process.env, CREDENTIALS_DIRECTORY: `${VAR}/secrets`, VS_DB_NAME: db },
  });
}

sql(`CREATE DATABASE ${db}`, 'mysql');
after(() => { sql(`DROP DATABASE IF EXISTS ${db}`, 'mysql'); rmSync(dir, { recursive: true, force: true }); });

test('applies pending migrations in version order and records them', () => {
  writeFileSync(join(dir, '002_second.sql'), 'ALTER TABLE t1 ADD COLUMN b INT NULL;');
  writeFileSync(join(dir, '001_first.sql'), 'CREATE TABLE t1 (a INT PRIMARY KEY) ENGINE=InnoDB;');
  const r = migrate();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /applying 001_first\.sql[\s\S]*applying 002_second\.sql/);
  assert.deepEqual(sql('SELECT version, name FROM schema_migrations ORDER BY version', db),
    [['1', '001_first.sql'], ['2', '002_second.sql']]);
});

test('re-running is a no-op', () => {
  const r = migrate();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 applied, 2 already up to date/);
});

test('a failing migration stops with a clear error and is not recorded', () => {
  writeFileSync(join(dir, '003_broken.sql'), 'ALTER TABLE no_such_table ADD COLUMN c INT;');
  writeFileSync(join(dir, '004_later.sql'), 'CREATE TABLE t4 (a INT PRIMARY KEY);');
  const r = migrate();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /migration 003_broken\.sql failed: .*no_such_table/);
  assert.deepEqual(sql('SELECT MAX(version) FROM schema_migrations', db), [['2']]);
  assert.deepEqual(sql("SHOW TABLES LIKE 't4'", db), [], 'later migrations do not run');
  // fixed: the next run applies 003 and 004
  writeFileSync(join(dir, '003_broken.sql'), 'ALTER TABLE t1 ADD COLUMN c INT NULL;');
  const again = migrate();
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(sql('SELECT MAX(version) FROM schema_migrations', db), [['4']]);
});

test('two files with the same version are refused', () => {
  writeFileSync(join(dir, '004_duplicate.sql'), 'SELECT 1;');
  const r = migrate();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /two migrations share version 4/);
});
