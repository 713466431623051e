/* mc_store_bulk.c — owns the sync's page-at-a-time writes of calls and
 * recordings, and the set-based counter upkeep that goes with them; see
 * mc_store_bulk.h. Every statement here is fixed text
 * (chosen from constant fragments); a page travels as one bound JSON text. */
#include "mightycall/mc_store_bulk.h"
#include "mightycall/mc_store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- counters ---- */

/* The rows whose counters move: calls or recordings of the page's ids. */
typedef enum { BULK_CALLS, BULK_RECORDINGS } bulk_table;

#define PAGE_IDS "JSON_TABLE(?, '$[*]' COLUMNS (x VARCHAR(64) PATH '$')) AS j "
#define DELTA_UPDATE                                                                                                  \
    "ON DUPLICATE KEY UPDATE n = n + VALUES(n), answered = answered + VALUES(answered), "                          \
    "dur_sum = dur_sum + VALUES(dur_sum), ans_dur_sum = ans_dur_sum + VALUES(ans_dur_sum), "                       \
    "wait_sum = wait_sum + VALUES(wait_sum), wait_n = wait_n + VALUES(wait_n)"
/* Per call: its 'call', 'call_all', 'agent', 'agent_all' dimensions (the
 * total has no agent rows), exactly as vs_count_add (sql/031) files them.
 * STRAIGHT_JOIN: the page's ids drive, one row lookup each, then the kinds
 * (left alone the optimiser starts from the kinds and looks every row up once
 * per kind: four times the pages read). */
#define CALL_ROWS(KINDS)                                                                                              \
    "FROM (SELECT c.org_id, k.kind, c.started_at AS at, "                                                             \
    "IF(k.kind IN ('call', 'agent'), COALESCE(c.business_number, ''), '') AS number, "                               \
    "CASE k.kind WHEN 'call' THEN c.direction WHEN 'call_all' THEN '' ELSE COALESCE(c.extension, '') END AS d1, "   \
    "IF(k.kind = 'call', c.status, '') AS d2, c.status = 'connected' AS ans, c.duration_seconds AS dur, "            \
    "c.queue_wait_seconds AS wait FROM " PAGE_IDS "STRAIGHT_JOIN calls c ON c.org_id = ? AND c.external_id = j.x "  \
    "STRAIGHT_JOIN (" KINDS ") AS k) AS s "
#define CALL_KINDS_ALL "SELECT 'call' AS kind UNION ALL SELECT 'call_all' UNION ALL SELECT 'agent' UNION ALL SELECT 'agent_all'"
#define REC_ROWS                                                                                                      \
    "FROM (SELECT r.org_id, k.kind, r.recorded_at AS at, "                                                            \
    "IF(k.kind = 'recording', COALESCE(r.business_number, ''), '') AS number, "                                      \
    "IF(k.kind = 'recording', COALESCE(r.direction, ''), '') AS d1, '' AS d2, 0 AS ans, r.duration_seconds AS dur, " \
    "NULL AS wait FROM " PAGE_IDS "STRAIGHT_JOIN recordings r ON r.org_id = ? AND r.external_id = j.x "             \
    "STRAIGHT_JOIN (SELECT 'recording' AS kind UNION ALL SELECT 'recording_all') AS k) AS s "
#define SUMS                                                                                                          \
    "? * COUNT(*), ? * SUM(s.ans), ? * SUM(s.dur), ? * SUM(s.ans * s.dur), ? * COALESCE(SUM(s.wait), 0), "         \
    "? * COUNT(s.wait) "
#define COLS "n, answered, dur_sum, ans_dur_sum, wait_sum, wait_n) "
#define HOUR "DATE_FORMAT(s.at, '%Y-%m-%d %H:00:00')"

/* The page's counter deltas are gathered per hour in a session temporary
 * table (−old values before the upsert, +new ones after it), then applied to
 * the hourly, daily and total counters with one statement each: the rows are
 * read and exploded into their dimensions once per sign, not once per
 * granularity, and a row whose old and new values fall in the same buckets
 * nets out to nothing. */
static const char DELTA_TABLE[] =
    "CREATE TEMPORARY TABLE IF NOT EXISTS vs_bulk_delta (t_org UUID NOT NULL, t_kind VARCHAR(16) NOT NULL, "
    "t_b DATETIME NOT NULL, t_num VARCHAR(32) NOT NULL, t_d1 VARCHAR(16) NOT NULL, t_d2 VARCHAR(16) NOT NULL, "
    "t_n BIGINT, t_ans BIGINT, t_dur BIGINT, t_adur BIGINT, t_wait BIGINT, t_wn BIGINT) ENGINE=MEMORY";
#define DELTA_FILL(ROWS)                                                                                              \
    "INSERT INTO vs_bulk_delta SELECT s.org_id, s.kind, " HOUR " AS b, s.number, s.d1, s.d2, " SUMS ROWS            \
    "GROUP BY s.org_id, s.kind, b, s.number, s.d1, s.d2"
static const char *const DELTA_FILL_SQL[2] = {
    [BULK_CALLS] = DELTA_FILL(CALL_ROWS(CALL_KINDS_ALL)),
    [BULK_RECORDINGS] = DELTA_FILL(REC_ROWS),
};
/* A page of new rows only (the probe found none of its ids; its FOR UPDATE
 * keeps it so): what the upsert inserts is the page's own fields, so
 * +(new values) are known without reading a row back. The page carries them
 * summed per hour, per day and in all (delta_rows, built with the page); one
 * array-bound upsert per counter table adds them, with no delta table. */
#define NEW_ADD "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) " DELTA_UPDATE
static const char *const NEW_APPLY_SQL[3] = {
    "INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, " COLS NEW_ADD,
    "INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, " COLS NEW_ADD,
    "INSERT INTO data_counts_total (org_id, kind, number, d1, d2, " COLS
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) " DELTA_UPDATE,
};
#define DELTA_SUMS "SUM(t_n) AS sn, SUM(t_ans), SUM(t_dur), SUM(t_adur), SUM(t_wait), SUM(t_wn) FROM vs_bulk_delta "
#define DELTA_NONZERO                                                                                                 \
    "HAVING sn <> 0 OR SUM(t_ans) <> 0 OR SUM(t_dur) <> 0 OR SUM(t_adur) <> 0 OR SUM(t_wait) <> 0 OR "              \
    "SUM(t_wn) <> 0 "
static const char *const DELTA_APPLY_SQL[3] = {
    "INSERT INTO data_counts_hourly (org_id, kind, bucket, number, d1, d2, " COLS
    "SELECT t_org, t_kind, t_b, t_num, t_d1, t_d2, " DELTA_SUMS
    "GROUP BY t_org, t_kind, t_b, t_num, t_d1, t_d2 " DELTA_NONZERO DELTA_UPDATE,
    "INSERT INTO data_counts_daily (org_id, kind, bucket, number, d1, d2, " COLS
    "SELECT t_org, t_kind, DATE(t_b) AS bd, t_num, t_d1, t_d2, " DELTA_SUMS
    "GROUP BY t_org, t_kind, bd, t_num, t_d1, t_d2 " DELTA_NONZERO DELTA_UPDATE,
    /* the total has no agent rows (sql/031) */
    "INSERT INTO data_counts_total (org_id, kind, number, d1, d2, " COLS "SELECT t_org, t_kind, t_num, t_d1, t_d2, "
    DELTA_SUMS "WHERE t_kind NOT IN ('agent', 'agent_all') GROUP BY t_org, t_kind, t_num, t_d1, t_d2 " DELTA_NONZERO
    DELTA_UPDATE,
};

/* Start a page's deltas: the session's delta table, empty. */
static int delta_begin(db_conn *db)
{
    int rc = db_exec(db, DELTA_TABLE, NULL, 0, NULL);
    return rc == DB_OK ? db_exec(db, "DELETE FROM vs_bulk_delta", NULL, 0, NULL) : rc;
}

/* Gather sign × the current rows of ids (distinct external ids, JSON array). */
static int delta_add(db_conn *db, bulk_table t, const char *org_id, const char *ids, int sign)
{
    db_param p[] = {DBP_INT(sign), DBP_INT(sign), DBP_INT(sign), DBP_INT(sign),
                    DBP_INT(sign), DBP_INT(sign), DBP_STR(ids),  DBP_STR(org_id)};
    return db_exec(db, DELTA_FILL_SQL[t], p, DB_NPARAMS(p), NULL);
}

/* The counted rows of one hour bucket and dimension, as vs_count_add
 * (sql/031) files them: kind, bucket, number, d1, d2; their sums. */
typedef struct {
    const char *kind;
    char bucket[20]; /* "YYYY-MM-DD HH:00:00" */
    char number[MC_PHONE_LEN];
    char d1[MC_ENUM_LEN];
    char d2[MC_ENUM_LEN];
    long long n, answered, duration, answered_duration;
} delta_row;

/* A page's delta rows, summed per bucket and dimension (an open-addressing
 * index over rows: slots hold row number + 1, 0 = free). The applying
 * statements group again, so this only saves them rows. */
typedef struct {
    delta_row *rows;
    size_t n;
    size_t *slots;
    size_t nslots; /* a power of two, at least twice the rows it may hold */
} delta_set;

/* A page's counted values per hour, per day ("YYYY-MM-DD" buckets) and in all
 * (no bucket; the total has no agent rows, sql/031). */
typedef struct {
    delta_set hourly, daily, total;
} delta_rows;

/* Add a page of new rows' counted values to the counters (NEW_APPLY_SQL). */
static int apply_new(db_conn *db, const char *org_id, const delta_rows *fresh)
{
    const delta_set *sets[3] = {&fresh->hourly, &fresh->daily, &fresh->total};
    for (int g = 0; g < 3; g++) {
        const delta_set *d = sets[g];
        int cols = g == 2 ? 9 : 10, k;
        if (d->n == 0)
            continue;
        db_param *p = malloc(d->n * (size_t)cols * sizeof *p);
        if (!p)
            return DB_ERROR;
        for (size_t i = 0; i < d->n; i++) {
            const delta_row *r = &d->rows[i];
            db_param *q = &p[i * (size_t)cols];
            k = 0;
            q[k++] = DBP_STR(org_id);
            q[k++] = DBP_STR(r->kind);
            if (g != 2)
                q[k++] = DBP_STR(r->bucket);
            q[k++] = DBP_STR(r->number);
            q[k++] = DBP_STR(r->d1);
            q[k++] = DBP_STR(r->d2);
            q[k++] = DBP_INT(r->n);
            q[k++] = DBP_INT(r->answered);
            q[k++] = DBP_INT(r->duration);
            q[k++] = DBP_INT(r->answered_duration);
        }
        int rc = db_exec_array(db, NEW_APPLY_SQL[g], p, cols, d->n, NULL);
        free(p);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

/* Add the gathered deltas to the hourly, daily and total counters. */
static int delta_apply(db_conn *db)
{
    for (int g = 0; g < 3; g++) {
        int rc = db_exec(db, DELTA_APPLY_SQL[g], NULL, 0, NULL);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

static int skip_triggers(db_conn *db, bool on)
{
    return db_exec(db, on ? "SET @vs_bulk_skip_counters = 1" : "SET @vs_bulk_skip_counters = NULL", NULL, 0, NULL);
}

/* One upsert of a page. probe (params: the page's counted fields as JSON,
 * org_id) answers one row: n (distinct ids of the page), existing (rows that
 * are there) and moving (JSON array of the ids whose row the upsert may move
 * in the counters: new rows and rows whose counted values differ); only those
 * rows go through the counters: −old, the statement, +new. Counts from
 * existing and the affected rows. */
static int page_upsert(db_conn *db, bulk_table t, const char *org_id, const char *probe_js, const char *probe,
                       const char *sql, const db_param *p, int np, const delta_rows *fresh, mc_counts *n)
{
    json_t *found = NULL;
    db_param pp[] = {DBP_STR(probe_js), DBP_STR(org_id)};
    int rc = db_query_row(db, probe, pp, 2, &found);
    if (rc != DB_OK)
        return rc;
    size_t rows = (size_t)json_integer_value(json_object_get(found, "n"));
    size_t existing = (size_t)json_integer_value(json_object_get(found, "existing"));
    const char *moving = json_string_value(json_object_get(found, "moving"));
    char *ids = strdup(moving ? moving : "[]");
    json_decref(found);
    if (!ids)
        return DB_ERROR;
    bool track = strcmp(ids, "[]") != 0;
    if (rows == 0) {
        free(ids);
        return DB_OK;
    }
    unsigned long long affected = 0;
    rc = skip_triggers(db, true);
    if (rc == DB_OK && existing == 0) { /* all new: the page's own sums (apply_new) */
        rc = db_exec(db, sql, p, np, &affected);
        if (rc == DB_OK)
            rc = apply_new(db, org_id, fresh);
    } else if (rc == DB_OK) {
        if (track)
            rc = delta_begin(db);
        if (rc == DB_OK && track)
            rc = delta_add(db, t, org_id, ids, -1);
        if (rc == DB_OK)
            rc = db_exec(db, sql, p, np, &affected);
        if (rc == DB_OK && track)
            rc = delta_add(db, t, org_id, ids, 1);
        if (rc == DB_OK && track)
            rc = delta_apply(db);
    }
    int rc2 = skip_triggers(db, false);
    free(ids);
    if (rc == DB_OK)
        rc = rc2;
    if (rc != DB_OK)
        return rc;
    /* affected = new + 2 × changed + unchanged (CLIENT_FOUND_ROWS) */
    long changed = (long)affected - (long)rows;
    n->created += (long)(rows - existing);
    n->synced += (long)rows;
    n->updated += changed > 0 ? changed : 0;
    return DB_OK;
}

static void put(json_t *o, const char *k, const char *v)
{
    if (v && *v) /* "" → absent → SQL NULL */
        json_object_set_new(o, k, json_string(v));
}

/* The org's numbers, one id per number (active first, then the oldest), for
 * the page's business numbers: the same pick as mc_store.c's per-row lookup.
 * The page's distinct numbers (and extensions, below) come as an array of
 * their own: a few bytes to parse instead of the whole page again. */
#define PHONE_MAP                                                                                                     \
    "LEFT JOIN (SELECT z.number, z.id FROM (SELECT p.number, p.id, ROW_NUMBER() OVER (PARTITION BY p.number "        \
    "ORDER BY p.status = 'active' DESC, p.created_at) AS rn FROM phone_numbers p WHERE p.org_id = ? AND p.number IN " \
    "(SELECT t.bn FROM JSON_TABLE(?, '$[*]' COLUMNS (bn VARCHAR(32) PATH '$')) AS t)) AS z "                         \
    "WHERE z.rn = 1) AS ph ON ph.number = j.bn "

/* The agent's MightyCall user id by extension: /calls names the extension,
 * the extensions stream learnt whose it is (active first, then the newest). */
#define AGENT_MAP                                                                                                     \
    "LEFT JOIN (SELECT y.extension AS a_ext, y.external_id AS a_id FROM (SELECT e.extension, e.external_id, "        \
    "ROW_NUMBER() OVER (PARTITION BY e.extension ORDER BY e.status = 'active' DESC, e.updated_at DESC, "            \
    "e.external_id) AS rn FROM extensions e WHERE e.org_id = ? AND e.extension IN (SELECT t.ext FROM "              \
    "JSON_TABLE(?, '$[*]' COLUMNS (ext VARCHAR(16) PATH '$')) AS t)) AS y WHERE y.rn = 1) AS ag "                    \
    "ON ag.a_ext = j.ext "

/* Probes of page_upsert: which rows exist, and whose counted columns
 * (started_at/recorded_at, number, direction, status, extension, duration)
 * the upsert may change — mirroring the upserts' assignments — summed into
 * one row (the moving ids as a JSON array: at most a page of ids, far below
 * group_concat_max_len). FOR UPDATE: the rows stay as probed until the page
 * commits (no other writer can change a row the counters were not told
 * about). */
#define PROBE_SUMS(T, MOVES)                                                                                          \
    "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(" T ".id IS NOT NULL), 0) AS SIGNED) AS existing, "                   \
    "CONCAT('[', COALESCE(GROUP_CONCAT(IF(" MOVES ", JSON_QUOTE(j.id), NULL) SEPARATOR ','), ''), ']') AS moving "
static const char CALLS_PROBE[] =
    PROBE_SUMS("c", "c.id IS NULL OR NOT (c.started_at <=> j.at AND c.business_number <=> j.bn AND "
                    "c.direction <=> j.dir AND c.status <=> j.st AND c.extension <=> COALESCE(j.ext, c.extension) "
                    "AND c.duration_seconds <=> j.dur)")
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (id VARCHAR(64) PATH '$.id', bn VARCHAR(32) PATH '$.bn', "
    "dir VARCHAR(8) PATH '$.dir', st VARCHAR(16) PATH '$.st', ext VARCHAR(16) PATH '$.ext', "
    "at DATETIME(3) PATH '$.at', dur BIGINT PATH '$.dur')) AS j LEFT JOIN calls c ON c.org_id = ? "
    "AND c.external_id = j.id FOR UPDATE";
static const char RECORDINGS_PROBE[] =
    PROBE_SUMS("r", "r.id IS NULL OR NOT (r.recorded_at <=> j.at AND r.business_number <=> j.bn AND "
                    "r.direction <=> j.dir AND r.duration_seconds <=> j.dur)")
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (id VARCHAR(64) PATH '$.id', bn VARCHAR(32) PATH '$.bn', "
    "dir VARCHAR(8) PATH '$.dir', at DATETIME(3) PATH '$.at', dur BIGINT PATH '$.dur')) AS j "
    "LEFT JOIN recordings r ON r.org_id = ? AND r.external_id = j.id FOR UPDATE";

static const char CALLS_SQL[] =
    "INSERT INTO calls (id, org_id, integration_id, external_id, phone_number_id, business_number, direction, "
    "status, caller_number, caller_name, called_number, extension, agent_name, started_at, ended_at, "
    "duration_seconds, recording_url, agent_external_id, source) "
    "SELECT UUID(), ?, ?, j.id, ph.id, j.bn, j.dir, j.st, j.cn, j.cname, j.cd, j.ext, j.agent, j.at, "
    "j.at + INTERVAL j.dur SECOND, j.dur, j.rec, ag.a_id, 'calls' "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (id VARCHAR(64) PATH '$.id', bn VARCHAR(32) PATH '$.bn', "
    "dir VARCHAR(8) PATH '$.dir', st VARCHAR(16) PATH '$.st', cn VARCHAR(32) PATH '$.cn', "
    "cname VARCHAR(200) PATH '$.cname', cd VARCHAR(32) PATH '$.cd', ext VARCHAR(16) PATH '$.ext', "
    "agent VARCHAR(200) PATH '$.agent', at DATETIME(3) PATH '$.at', dur BIGINT PATH '$.dur', "
    "rec VARCHAR(1024) PATH '$.rec')) AS j " PHONE_MAP AGENT_MAP
    "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), "
    "phone_number_id = COALESCE(VALUES(phone_number_id), phone_number_id), "
    "business_number = VALUES(business_number), direction = VALUES(direction), status = VALUES(status), "
    "caller_number = VALUES(caller_number), caller_name = VALUES(caller_name), "
    "called_number = VALUES(called_number), extension = COALESCE(VALUES(extension), extension), "
    "agent_name = COALESCE(VALUES(agent_name), agent_name), started_at = VALUES(started_at), "
    "ended_at = VALUES(ended_at), duration_seconds = VALUES(duration_seconds), "
    "recording_url = COALESCE(VALUES(recording_url), recording_url), "
    "agent_external_id = COALESCE(VALUES(agent_external_id), agent_external_id), source = 'calls'";

static const char RECORDINGS_SQL[] =
    "INSERT INTO recordings (id, org_id, integration_id, external_id, call_id, business_number, caller_number, "
    "direction, extension, duration_seconds, url, file_name, recorded_at) "
    "SELECT UUID(), ?, ?, j.id, c.id, j.bn, j.cn, j.dir, j.ext, j.dur, j.rec, j.rfile, j.at "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (id VARCHAR(64) PATH '$.id', bn VARCHAR(32) PATH '$.bn', "
    "cn VARCHAR(32) PATH '$.cn', dir VARCHAR(8) PATH '$.dir', ext VARCHAR(16) PATH '$.ext', "
    "dur BIGINT PATH '$.dur', rec VARCHAR(1024) PATH '$.rec', rfile VARCHAR(512) PATH '$.rfile', "
    "at DATETIME(3) PATH '$.at')) AS j LEFT JOIN calls c ON c.org_id = ? AND c.external_id = j.id "
    "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), "
    "call_id = COALESCE(VALUES(call_id), call_id), business_number = VALUES(business_number), "
    "caller_number = VALUES(caller_number), direction = VALUES(direction), "
    "extension = VALUES(extension), duration_seconds = VALUES(duration_seconds), url = VALUES(url), "
    "file_name = VALUES(file_name), recorded_at = VALUES(recorded_at)";

/* A page made ready for the database: the texts its statements bind
 * (built without a connection, so a second thread can build page N+1 while
 * page N is written). */
struct mc_bulk_page {
    char *calls, *calls_probe; /* the calls upsert's objects; id + their counted fields */
    char *numbers, *exts;      /* the page's distinct business numbers and extensions */
    char *recs, *recs_probe;   /* the same for the recordings of calls with callRecord */
    size_t n_calls, n_recs;    /* distinct rows in each */
    delta_rows call_deltas, rec_deltas; /* their counted values, for a page of new rows */
};

static int page_write(db_conn *db, bulk_table t, const char *org_id, const char *integration_id,
                      const mc_bulk_page *pg, mc_counts *n)
{
    if ((t == BULK_CALLS ? pg->n_calls : pg->n_recs) == 0)
        return DB_OK;
    if (t == BULK_CALLS) {
        db_param p[] = {DBP_STR(org_id),      DBP_STR(integration_id), DBP_STR(pg->calls), DBP_STR(org_id),
                        DBP_STR(pg->numbers), DBP_STR(org_id),         DBP_STR(pg->exts)};
        return page_upsert(db, t, org_id, pg->calls_probe, CALLS_PROBE, CALLS_SQL, p, DB_NPARAMS(p), &pg->call_deltas,
                           n);
    }
    db_param p[] = {DBP_STR(org_id), DBP_STR(integration_id), DBP_STR(pg->recs), DBP_STR(org_id)};
    return page_upsert(db, t, org_id, pg->recs_probe, RECORDINGS_PROBE, RECORDINGS_SQL, p, DB_NPARAMS(p),
                       &pg->rec_deltas, n);
}

/* Append v to the distinct set (a JSON object used as a set) and its array. */
static void distinct_add(json_t *set, json_t *arr, const char *v)
{
    if (!v || !*v || json_object_get(set, v))
        return;
    json_object_set_new(set, v, json_true());
    json_array_append_new(arr, json_string(v));
}

/* The four texts of the upserts and probes, and the two distinct lists. */
typedef struct {
    json_t *calls, *calls_probe, *recs, *recs_probe, *nums, *num_set, *exts, *ext_set;
} page_json;

static void page_json_free(page_json *j)
{
    json_t *all[] = {j->calls, j->calls_probe, j->recs, j->recs_probe, j->nums, j->num_set, j->exts, j->ext_set};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        json_decref(all[i]);
}

/* Room for up to max rows; false when out of memory. */
static bool delta_set_init(delta_set *d, size_t max)
{
    d->n = 0;
    d->nslots = 16;
    while (d->nslots < 2 * max)
        d->nslots *= 2;
    d->rows = malloc((max ? max : 1) * sizeof *d->rows);
    d->slots = calloc(d->nslots, sizeof *d->slots);
    return d->rows && d->slots;
}

static void delta_set_free(delta_set *d)
{
    free(d->rows);
    free(d->slots);
}

static bool delta_rows_init(delta_rows *d, size_t max)
{
    return delta_set_init(&d->hourly, max) && delta_set_init(&d->daily, max) && delta_set_init(&d->total, max);
}

static void delta_rows_free(delta_rows *d)
{
    delta_set_free(&d->hourly);
    delta_set_free(&d->daily);
    delta_set_free(&d->total);
}

static size_t delta_hash(const char *kind, const char *bucket, const char *number, const char *d1, const char *d2)
{
    const char *parts[] = {kind, bucket, number, d1, d2};
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        for (const unsigned char *c = (const unsigned char *)parts[i]; *c; c++)
            h = (h ^ *c) * 1099511628211u;
        h = (h ^ 0x1f) * 1099511628211u; /* separator */
    }
    return h;
}

/* Add n rows with these sums to the set's row of (kind, bucket, number, d1,
 * d2), made when there is none. */
static void delta_set_add(delta_set *d, const char *kind, const char *bucket, const char *number, const char *d1,
                          const char *d2, long long n, long long answered, long long duration,
                          long long answered_duration)
{
    size_t mask = d->nslots - 1, i = delta_hash(kind, bucket, number, d1, d2) & mask;
    delta_row *r = NULL;
    for (; d->slots[i]; i = (i + 1) & mask) {
        delta_row *c = &d->rows[d->slots[i] - 1];
        if (strcmp(c->kind, kind) == 0 && strcmp(c->bucket, bucket) == 0 && strcmp(c->number, number) == 0 &&
            strcmp(c->d1, d1) == 0 && strcmp(c->d2, d2) == 0) {
            r = c;
            break;
        }
    }
    if (!r) {
        r = &d->rows[d->n++];
        d->slots[i] = d->n;
        *r = (delta_row){.kind = kind};
        snprintf(r->bucket, sizeof r->bucket, "%s", bucket);
        snprintf(r->number, sizeof r->number, "%s", number);
        snprintf(r->d1, sizeof r->d1, "%s", d1);
        snprintf(r->d2, sizeof r->d2, "%s", d2);
    }
    r->n += n;
    r->answered += answered;
    r->duration += duration;
    r->answered_duration += answered_duration;
}

/* Count a row in dimension kind ("" for the dimensions it does not have) in
 * its hour, its day and (not the agent kinds) the total. */
static void delta_put(delta_rows *d, const char *kind, const char *at, const char *number, const char *d1,
                      const char *d2, long long answered, long long duration)
{
    char hour[20], day[11];
    snprintf(hour, sizeof hour, "%.13s:00:00", at); /* DATE_FORMAT(at, '%Y-%m-%d %H:00:00') */
    snprintf(day, sizeof day, "%.10s", at);         /* DATE(at) */
    delta_set_add(&d->hourly, kind, hour, number, d1, d2, 1, answered, duration, answered * duration);
    delta_set_add(&d->daily, kind, day, number, d1, d2, 1, answered, duration, answered * duration);
    if (strncmp(kind, "agent", 5) != 0)
        delta_set_add(&d->total, kind, "", number, d1, d2, 1, answered, duration, answered * duration);
}

/* The call's counted dimensions (as CALL_ROWS reads them from a stored row):
 * 'call' (number, direction, status), 'call_all', 'agent' (number,
 * extension), 'agent_all' (extension); and its recording's. */
static void page_add_deltas(mc_bulk_page *pg, const mc_call *c)
{
    long long ans = strcmp(c->status, "connected") == 0, dur = c->duration_s;
    delta_rows *d = &pg->call_deltas;
    delta_put(d, "call", c->started_at, c->business_number, c->direction, c->status, ans, dur);
    delta_put(d, "call_all", c->started_at, "", "", "", ans, dur);
    delta_put(d, "agent", c->started_at, c->business_number, c->extension, "", ans, dur);
    delta_put(d, "agent_all", c->started_at, "", c->extension, "", ans, dur);
    if (c->recording_url[0]) {
        delta_put(&pg->rec_deltas, "recording", c->started_at, c->business_number, c->direction, "", 0, dur);
        delta_put(&pg->rec_deltas, "recording_all", c->started_at, "", "", "", 0, dur);
    }
}

/* One call into the page's arrays; false when out of memory. */
static bool page_add_call(page_json *j, const mc_call *c)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "id", c->id, "dir", c->direction, "st", c->status, "dur",
                          (json_int_t)c->duration_s);
    json_t *q = json_pack("{s:s, s:s, s:s, s:I}", "id", c->id, "dir", c->direction, "st", c->status, "dur",
                          (json_int_t)c->duration_s);
    bool ok = o && q;
    if (ok) {
        put(o, "bn", c->business_number);
        put(o, "cn", c->caller_number);
        put(o, "cname", c->caller_name);
        put(o, "cd", c->called_number);
        put(o, "ext", c->extension);
        put(o, "agent", c->agent_name);
        put(o, "at", c->started_at);
        put(o, "rec", c->recording_url);
        put(q, "bn", c->business_number);
        put(q, "ext", c->extension);
        put(q, "at", c->started_at);
        distinct_add(j->num_set, j->nums, c->business_number);
        distinct_add(j->ext_set, j->exts, c->extension);
    }
    if (ok && c->recording_url[0]) {
        /* the recordings' upsert reads id, bn, cn, dir, ext, dur, rec, rfile, at; its probe id, bn, dir, at, dur */
        json_t *r = json_pack("{s:s, s:s, s:I}", "id", c->id, "dir", c->direction, "dur", (json_int_t)c->duration_s);
        json_t *rq = json_pack("{s:s, s:s, s:I}", "id", c->id, "dir", c->direction, "dur", (json_int_t)c->duration_s);
        if (r && rq) {
            put(r, "bn", c->business_number);
            put(r, "cn", c->caller_number);
            put(r, "ext", c->extension);
            put(r, "rec", c->recording_url);
            put(r, "rfile", c->recording_file);
            put(r, "at", c->started_at);
            put(rq, "bn", c->business_number);
            put(rq, "at", c->started_at);
        }
        ok = r && rq && json_array_append_new(j->recs, r) == 0 && json_array_append_new(j->recs_probe, rq) == 0;
        if (!ok) {
            json_decref(r);
            json_decref(rq);
        }
    }
    if (ok)
        return json_array_append_new(j->calls, o) == 0 && json_array_append_new(j->calls_probe, q) == 0;
    json_decref(o);
    json_decref(q);
    return false;
}

mc_bulk_page *mc_bulk_calls_prepare(const mc_call *calls, size_t count)
{
    page_json j = {json_array(), json_array(), json_array(), json_array(),
                   json_array(), json_object(), json_array(), json_object()};
    mc_known *seen = mc_known_new("calls");
    mc_bulk_page *pg = calloc(1, sizeof *pg);
    bool ok = j.calls && j.calls_probe && j.recs && j.recs_probe && j.nums && j.num_set && j.exts && j.ext_set &&
              seen && pg;
    if (ok)
        ok = delta_rows_init(&pg->call_deltas, 4 * count) && delta_rows_init(&pg->rec_deltas, 2 * count);
    for (size_t i = 0; ok && i < count; i++) {
        if (mc_known_has(seen, calls[i].id))
            continue; /* the same id twice in a page: the first one counts */
        mc_known_add(seen, calls[i].id);
        ok = page_add_call(&j, &calls[i]);
        if (ok)
            page_add_deltas(pg, &calls[i]);
    }
    if (ok) {
        pg->calls = json_dumps(j.calls, JSON_COMPACT);
        pg->calls_probe = json_dumps(j.calls_probe, JSON_COMPACT);
        pg->numbers = json_dumps(j.nums, JSON_COMPACT);
        pg->exts = json_dumps(j.exts, JSON_COMPACT);
        pg->recs = json_dumps(j.recs, JSON_COMPACT);
        pg->recs_probe = json_dumps(j.recs_probe, JSON_COMPACT);
        pg->n_calls = json_array_size(j.calls);
        pg->n_recs = json_array_size(j.recs);
        ok = pg->calls && pg->calls_probe && pg->numbers && pg->exts && pg->recs && pg->recs_probe;
    }
    mc_known_free(seen);
    page_json_free(&j);
    if (!ok) {
        mc_bulk_page_free(pg);
        return NULL;
    }
    return pg;
}

void mc_bulk_page_free(mc_bulk_page *pg)
{
    if (!pg)
        return;
    free(pg->calls);
    free(pg->calls_probe);
    free(pg->numbers);
    free(pg->exts);
    free(pg->recs);
    free(pg->recs_probe);
    delta_rows_free(&pg->call_deltas);
    delta_rows_free(&pg->rec_deltas);
    free(pg);
}

int mc_bulk_calls_write(db_conn *db, const char *org_id, const char *integration_id, const mc_bulk_page *pg,
                        mc_counts *n_calls, mc_counts *n_rec)
{
    int rc = page_write(db, BULK_CALLS, org_id, integration_id, pg, n_calls);
    return rc == DB_OK ? page_write(db, BULK_RECORDINGS, org_id, integration_id, pg, n_rec) : rc;
}

int mc_bulk_calls(db_conn *db, const char *org_id, const char *integration_id, const mc_call *calls, size_t count,
                  mc_counts *n_calls, mc_counts *n_rec)
{
    mc_bulk_page *pg = mc_bulk_calls_prepare(calls, count);
    if (!pg)
        return DB_ERROR;
    int rc = mc_bulk_calls_write(db, org_id, integration_id, pg, n_calls, n_rec);
    mc_bulk_page_free(pg);
    return rc;
}
