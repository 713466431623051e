// migrations_concurrent.test.mjs — `vs-sync migrate` holds the MariaDB named
// lock victorysync.migrate for the whole run: two hosts migrating the same
// fresh database at once never both apply a migration. The second waits,
// then finds nothing to do; both exit 0 and every migration is recorded once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, VAR, sql, sqlSession } from './lib.mjs';

const BUILD = process.env.VS_BUILD ?? 'build';
const prefix = `vs_migconc_${process.pid}`;
const created = [];
const slowDir = mkdtempSync(join(tmpdir(), 'vs-migconc-'));
after(() => {
  for (const db of created) sql(`DROP DATABASE IF EXISTS ${db}`, 'mysql');
  rmSync(slowDir, { recursive: true, force: true });
});

function migrate(db, dir, extra = []) {
  return new Promise((resolve) => {
    const p = spawn(`${ROOT}/${BUILD}/vs-sync`, ['--config', `${VAR}/victorysync.conf`, 'migrate', '--dir', dir, ...extra], {
      env: { ...process.env, CREDENTIALS_DIRECTORY: `${VAR}/secrets`, VS_DB_NAME: db },
    });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freshDb(name) {
  const db = `${prefix}_${name}`;
  sql(`DROP DATABASE IF EXISTS ${db}`, 'mysql');
  sql(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`, 'mysql');
  created.push(db);
  return db;
}

const applied = (r) => Number(/migrate: (\d+) applied/.exec(r.stdout)?.[1] ?? NaN);

function assertRecordedOnce(db, files) {
  const rows = sql('SELECT version, name, COUNT(*) OVER (PARTITION BY version) FROM schema_migrations ORDER BY version', db);
  assert.deepEqual(rows.map((r) => r[1]), files, 'every migration recorded, in order');
  assert.ok(rows.every((r) => r[2] === '1'), 'each version exactly once');
}

const realFiles = readdirSync(`${ROOT}/sql`).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();

test('the real migrations, two concurrent runs on a fresh database, 5 rounds', async () => {
  for (let round = 1; round <= 5; round++) {
    const db = freshDb(`real${round}`);
    const [a, b] = await Promise.all([migrate(db, `${ROOT}/sql`), migrate(db, `${ROOT}/sql`)]);
    assert.equal(a.code, 0, `round ${round}, first: ${a.stderr}`);
    assert.equal(b.code, 0, `round ${round}, second: ${b.stderr}`);
    assert.equal(applied(a) + applied(b), realFiles.length, `round ${round}: applied once in total\n${a.stdout}\n${b.stdout}`);
    assertRecordedOnce(db, realFiles);
    sql(`DROP DATABASE ${db}`, 'mysql');
  }
});

test('a slow migration: the second run waits for the lock, then has nothing to do', async () => {
  writeFileSync(join(slowDir, '001_table.sql'), 'CREATE TABLE t1 (a INT PRIMARY KEY) ENGINE=InnoDB;');
  writeFileSync(join(slowDir, '002_slow.sql'), 'DO SLEEP(2);\nALTER TABLE t1 ADD COLUMN b INT NULL;');
  writeFileSync(join(slowDir, '003_more.sql'), 'CREATE TABLE t3 (a INT PRIMARY KEY) ENGINE=InnoDB;');
  const db = freshDb('slow');
  const first = migrate(db, slowDir);
  // start the second once the first holds the lock
  for (let i = 0; i < 200; i++) {
    if (sql("SELECT IS_USED_LOCK('victorysync.migrate') IS NOT NULL", 'mysql')[0][0] === '1') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const [a, b] = await Promise.all([first, migrate(db, slowDir)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(applied(a), 3, a.stdout);
  assert.match(b.stdout, /waiting for the migration lock/);
  assert.match(b.stdout, /0 applied, 3 already up to date/);
  assertRecordedOnce(db, ['001_table.sql', '002_slow.sql', '003_more.sql']);
});

test('a held lock and a short --lock-timeout: a clear error, nothing applied', async () => {
  const db = freshDb('held');
  const s = sqlSession('mysql');
  s.send("SELECT GET_LOCK('victorysync.migrate', 0)");
  await s.sync();
  try {
    const r = await migrate(db, slowDir, ['--lock-timeout', '1']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /timed out after 1 s waiting for the migration lock victorysync\.migrate/);
    assert.deepEqual(sql("SHOW TABLES LIKE 'schema_migrations'", db), []);
  } finally {
    s.close();
  }
  // released (session gone): the same run succeeds
  let r;
  for (let i = 0; i < 40; i++) {
    r = await migrate(db, slowDir, ['--lock-timeout', '5']);
    if (r.code === 0) break;
  }
  assert.equal(r.code, 0, r.stderr);
  assert.equal(applied(r), 3);
});

test('--lock-timeout must be a number of seconds', async () => {
  const r = await migrate(freshDb('usage'), slowDir, ['--lock-timeout', 'soon']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--lock-timeout/);
});
