// server.mjs — bench peer: the calls list first page of the project,
//     GET /api/orgs/:orgId/calls[?limit=N]
// served by Express + mysql2 the way a plain Node stack would (one Node
// process, a pool of MariaDB connections, prepared statements through
// pool.execute), behind the same nginx as the product (bench/run.sh proxies
// /peer/express/… to it). Measuring instrument only, not part of the product.
//
// Same work as the product: the two statements are the product's own text
// (core/data/data_sql.c DSQL_CALLS_LIST[0] and DSQL_COUNTS_ALL_TIME, printed
// by `fcgi_calls --print-sql` into --sql-file), with the product's parameters
// for a first page without filters; the same envelope, field names and value
// types (dates "YYYY-MM-DDTHH:MM:SSZ", integers, null) and next_cursor.
// What it skips: authentication and org access, rate limits, cursor, skip,
// filters and dates (only `limit` is read), request ids, logging.
//
//   node server.mjs --port P --db-socket PATH --db-password-file F --sql-file F
//                   [--db-user U] [--db-name D] [--pool N]
import { readFileSync } from 'node:fs';
import express from 'express';
import mysql from 'mysql2/promise';

const opt = { 'db-user': 'victorysync', 'db-name': 'victorysync', pool: '16' };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['port', 'db-socket', 'db-password-file', 'sql-file']) {
  if (!opt[k]) {
    console.error('usage: node server.mjs --port P --db-socket PATH --db-password-file F --sql-file F [--pool N]');
    process.exit(2);
  }
}
const { list: LIST_SQL, total: TOTAL_SQL } = JSON.parse(readFileSync(opt['sql-file'], 'utf8'));

const pool = mysql.createPool({
  socketPath: opt['db-socket'],
  user: opt['db-user'],
  password: readFileSync(opt['db-password-file'], 'utf8').trim(),
  database: opt['db-name'],
  connectionLimit: Number(opt.pool),
  maxIdle: Number(opt.pool),
  charset: 'utf8mb4',
  dateStrings: true, // DATETIME(3) as "YYYY-MM-DD HH:MM:SS.mmm", formatted below like core/platform/db.c
});

const FROM = '1970-01-01 00:00:00.000', TO = '2200-01-01 00:00:00.000';
const N8 = [null, null, null, null, null, null, null, null];
const DATE_TYPES = new Set([7, 12]); // MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_DATETIME
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let dateCols = null; // names of the DATETIME columns, from the first result's metadata

const app = express();
app.get('/api/orgs/:orgId/calls', async (req, res) => {
  const org = req.params.orgId;
  if (!UUID_RE.test(org)) return res.status(404).json({ error: 'not found' });
  let limit = 50;
  if (req.query.limit !== undefined) {
    limit = Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      return res.status(400).json({ error: 'limit must be an integer from 1 to 500' });
    }
  }
  try {
    const [rows, fields] = await pool.execute(LIST_SQL, [org, FROM, TO, ...N8, null, null, null, null, limit + 1, 0]);
    const [[{ total }]] = await pool.execute(TOTAL_SQL, [org, 'call_all', ...N8]);
    dateCols ??= fields.filter((f) => DATE_TYPES.has(f.columnType)).map((f) => f.name);
    let next = null;
    if (rows.length > limit) {
      rows.length = limit;
      const last = rows[limit - 1];
      next = Buffer.from(JSON.stringify([1, 'calls', last._pos, last.id])).toString('base64url');
    }
    for (const r of rows) {
      delete r._pos;
      for (const c of dateCols) if (r[c] !== null) r[c] = `${r[c].slice(0, 10)}T${r[c].slice(11, 19)}Z`;
    }
    res.set('Cache-Control', 'no-store');
    res.json({ data: rows, total: Number(total), skip: 0, limit, next_cursor: next });
  } catch (e) {
    console.error(`peer-express: ${e.message}`);
    res.status(500).json({ error: 'database error' });
  }
});
app.use((req, res) => res.status(404).json({ error: 'not found' }));

const server = app.listen(Number(opt.port), '127.0.0.1', () => console.log(`peer-express listening on 127.0.0.1:${opt.port}`));
server.keepAliveTimeout = 65_000;
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    pool.end().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
