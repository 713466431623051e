/* db.h — MariaDB access for both binaries: one connection per thread, prepared
 * statements cached per connection, results returned as Jansson values.
 * Every query goes through db_query()/db_exec() with bound parameters; there is
 * no API that takes user data as SQL text.
 *
 * Losing the server is not fatal: the connection is dropped, the call returns
 * DB_UNAVAILABLE (the API answers 503), and the next call reconnects. A read
 * outside a transaction is retried once on a fresh connection. */
#ifndef VS_DB_H
#define VS_DB_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "platform/config.h"
#include "platform/json_out.h"
#include "platform/result.h"

typedef struct db_conn db_conn;

/* The storage members of vs_result (platform/result.h), by their DB names. */
#define DB_OK VS_OK
#define DB_ERROR VS_ERR_INTERNAL          /* anything else: logged, answered as 500 */
#define DB_UNAVAILABLE VS_ERR_UNAVAILABLE /* server gone / unreachable: 503 */
#define DB_DUPLICATE VS_ERR_DUPLICATE     /* unique key violation: usually 409 */
#define DB_FOREIGN_KEY VS_ERR_FOREIGN_KEY /* referenced row missing / still referenced */
#define DB_DEADLOCK VS_ERR_BUSY           /* deadlock or lock wait timeout: retry the transaction */

enum db_param_type { DBP_T_NULL, DBP_T_STR, DBP_T_INT, DBP_T_DOUBLE };
typedef struct {
    enum db_param_type type;
    const char *s;
    size_t len;
    long long i;
    double d;
} db_param;

static inline db_param dbp_str(const char *s)
{
    return (db_param){.type = s ? DBP_T_STR : DBP_T_NULL, .s = s, .len = s ? strlen(s) : 0};
}
#define DBP_STR(x) dbp_str(x) /* NULL → SQL NULL */
#define DBP_INT(x) ((db_param){.type = DBP_T_INT, .i = (long long)(x)})
#define DBP_DBL(x) ((db_param){.type = DBP_T_DOUBLE, .d = (x)})
#define DBP_NULL ((db_param){.type = DBP_T_NULL})
#define DB_NPARAMS(arr) ((int)(sizeof(arr) / sizeof((arr)[0])))

/* The calling thread's connection (created on first use, never shared). */
db_conn *db_thread_conn(const vs_config *cfg);
/* A connection owned by the caller (CLI tools). */
db_conn *db_open(const vs_config *cfg);
void db_close(db_conn *c);
/* Close the calling thread's connection (thread exit). */
void db_thread_release(void);

/* Run a SELECT; *rows = JSON array of objects keyed by column label.
 * Column mapping: integers → JSON integers (TINYINT(1) → true/false),
 * DECIMAL/FLOAT/DOUBLE → reals, DATETIME/TIMESTAMP → "YYYY-MM-DDTHH:MM:SSZ",
 * NULL → null, a label ending in "__json" is parsed as JSON and renamed
 * without the suffix, everything else → strings. */
int db_query(db_conn *c, const char *sql, const db_param *p, int np, json_t **rows);
/* The rows of a SELECT written straight into out as JSON text, "[{…},…]",
 * with the same keys, order and values db_query's tree would dump to (the
 * column plan is made once per prepared statement, see db_json.c). Columns
 * whose label starts with '_' are never written: the last written row's
 * "_pos" and the first row's "_total" are returned in info instead, with its
 * "id". At most info->max_rows rows are written (< 0: all); info->more says
 * whether the statement returned another one. */
#define DB_POS_MAX 512
typedef struct {
    int max_rows;             /* in */
    int rows;                 /* rows written */
    bool more;                /* a row beyond max_rows came back */
    char last_pos[DB_POS_MAX]; /* "_pos" of the last row written ("" when none) */
    bool has_pos;             /* that "_pos" was not NULL (an empty text is a key) */
    char last_id[64];         /* "id" of the last row written */
    bool has_total;           /* a row carried a non-NULL "_total" */
    long long total;
    /* in: an empty object (owned by the caller) to receive the other hidden
     * columns of the first row, keyed by label, as strings (NULL → null);
     * NULL: not wanted */
    json_t *head;
} db_rows_info;
int db_query_json(db_conn *c, const char *sql, const db_param *p, int np, json_buf *out, db_rows_info *info);
/* A guard: a check that rides in the same round trip as the data. While a
 * guard is set on this thread, every plain read "SELECT …" (not DISTINCT, no
 * UNION) it runs carries guard->column, a scalar subquery, as its first
 * column "_guard" (guard->params bound first), until a row brings its value
 * back: db_query/db_query_row/db_query_json drop that column from what they
 * return and store the value in the guard (consumed). db_guard_check() runs
 * the guard alone when no statement brought it. Used by the API to validate a
 * cached identity without a round trip of its own (fcgi/identity_cache.c). */
#define DB_GUARD_MAX_PARAMS 4
#define DB_GUARD_VALUE_MAX 512
typedef struct {
    const char *column; /* "(SELECT …)" */
    db_param params[DB_GUARD_MAX_PARAMS];
    int nparams;
    bool consumed;      /* out: a row came back with the value */
    bool is_null;       /* out: that value was NULL */
    char value[DB_GUARD_VALUE_MAX];
} db_guard;
void db_guard_set(db_guard *g); /* NULL: no guard */
/* Run the guard alone unless a statement brought it already. */
int db_guard_check(db_conn *c);
/* For the fetchers (db.c, db_json.c): a "_guard" cell of a row. */
void db_guard_capture(const char *v, unsigned long len, bool is_null);

/* Like db_query but returns only the first row (or *row = NULL if none). */
int db_query_row(db_conn *c, const char *sql, const db_param *p, int np, json_t **row);
/* First column of the first row as an integer (0 rows: *out = 0, DB_OK). */
int db_query_int(db_conn *c, const char *sql, const db_param *p, int np, long long *out);
/* INSERT/UPDATE/DELETE; affected rows in *affected (may be NULL). */
int db_exec(db_conn *c, const char *sql, const db_param *p, int np, unsigned long long *affected);
/* One statement run for `rows` rows of parameters in one round trip (array
 * binding: COM_STMT_BULK_EXECUTE): p holds rows × np parameters, row by row;
 * each column has one type (NULLs allowed). For bulk INSERTs of many rows
 * (the sync's counter deltas). */
int db_exec_array(db_conn *c, const char *sql, const db_param *p, int np, size_t rows, unsigned long long *affected);
/* Like db_exec, giving the statement's insert id (an AUTO_INCREMENT value, or
 * the value of LAST_INSERT_ID(expr) the statement set: the atomic counters of
 * identity/login_throttle.c read their new value this way, in one statement). */
int db_exec_id(db_conn *c, const char *sql, const db_param *p, int np, unsigned long long *insert_id);

/* The INSERT … ON DUPLICATE KEY UPDATE that bumps org_id's data version
 * (platform/data_version.c): like db_exec, but on the change board
 * (platform/change_board.h) it moves only org_id's counter, where any other
 * write naming org_data_versions moves the identity counter. */
int db_exec_org_version(db_conn *c, const char *org_id, const char *sql, const db_param *p, int np);
/* A write of bookkeeping that neither an identity guard nor a tagged view
 * reads (an API key's last_used_at): like db_exec, but it moves nothing on
 * the change board. */
int db_exec_bookkeeping(db_conn *c, const char *sql, const db_param *p, int np);

int db_begin(db_conn *c);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);

/* Run fn in a transaction, retrying on deadlock up to 3 times. fn returns a DB_ code. */
int db_transaction(db_conn *c, int (*fn)(db_conn *c, void *arg), void *arg);

/* Is the server reachable (cheap round trip)? */
bool db_ping(db_conn *c);
/* Did MariaDB answer on this connection within max_age_ms, and does its
 * socket show no close since (a poll, not a round trip)? */
bool db_recently_alive(db_conn *c, int max_age_ms);
/* Text of the last error for logs (never contains parameter values). */
const char *db_last_error(db_conn *c);

/* Operator counters: open connections, connections executing a statement,
 * reconnects after a lost connection, failed connects. Process-local by
 * default; vs-api points them into its shared region (fcgi/stats.c). */
void db_stats_bind(atomic_long *open, atomic_long *busy, atomic_long *reconnects, atomic_long *connect_failures);

/* Round trips of the calling thread since the last reset: every statement
 * prepared or executed and every text command (START TRANSACTION, COMMIT). */
void db_round_trips_reset(void);
unsigned long db_round_trips(void);

/* Whole-script execution for the migration runner only (trusted files). */
int db_exec_script(db_conn *c, const char *sql_text, char *err, size_t errsz);

#endif
