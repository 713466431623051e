/* db.c — owns MariaDB connections, the per-connection prepared-statement cache,
 * parameter binding, row → JSON tree conversion and connection-loss handling
 * (rows → JSON text: db_json.c, through db_run_fetch). */
#include "platform/db.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/change_board.h"
#include "platform/db_internal.h"
#include "platform/log.h"

#define STMT_CACHE_SLOTS 256
#define MAX_PARAMS 96 /* the org metrics bind 81 */
#define MAX_COLUMNS 96
#define BOARD_PENDING_ORGS 8 /* org slots a transaction moves (more: the identity counter instead) */

struct cached_stmt {
    char *sql;
    unsigned long hash;
    MYSQL_STMT *stmt;
    void *plan; /* db_json.c's column plan of stmt, made on its first use */
};

struct db_conn {
    const vs_config *cfg;
    MYSQL *mysql;
    bool in_tx;
    bool was_connected; /* a connection was open before: the next one is a reconnect */
    char last_error[256];
    unsigned long long last_insert_id; /* of the last executed statement (db_exec_id) */
    long long ok_at_ms; /* monotonic ms of the last round trip MariaDB answered (0: none on this connection) */
    struct cached_stmt cache[STMT_CACHE_SLOTS];
    /* the change board's counters the open transaction's writes move at its end */
    bool board_identity;
    int board_norgs;
    char board_orgs[BOARD_PENDING_ORGS][40];
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1; /* never 0 */
}

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static void lib_init(void) { mysql_library_init(0, NULL, NULL); }

static _Thread_local db_conn *thread_conn;
static _Thread_local unsigned long thread_trips; /* statements sent: prepare, execute, text */
void db_round_trips_reset(void) { thread_trips = 0; }
unsigned long db_round_trips(void) { return thread_trips; }

/* Operator counters (GET /metrics). Process-local unless db_stats_bind()
 * points them into the worker pool's shared region. */
static atomic_long local_open, local_busy, local_reconnects, local_failures;
static atomic_long *stat_open = &local_open, *stat_busy = &local_busy, *stat_reconnects = &local_reconnects,
                   *stat_failures = &local_failures;

void db_stats_bind(atomic_long *open, atomic_long *busy, atomic_long *reconnects, atomic_long *connect_failures)
{
    stat_open = open ? open : &local_open;
    stat_busy = busy ? busy : &local_busy;
    stat_reconnects = reconnects ? reconnects : &local_reconnects;
    stat_failures = connect_failures ? connect_failures : &local_failures;
}

static unsigned long hash_sql(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static bool is_connection_error(unsigned int e)
{
    switch (e) {
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_LOST_EXTENDED:
    case ER_CONNECTION_KILLED:
    case ER_SERVER_SHUTDOWN:
    case ER_NET_READ_ERROR:
    case ER_NET_WRITE_INTERRUPTED:
    case 4031: /* ER_CLIENT_INTERACTION_TIMEOUT */
        return true;
    default:
        return false;
    }
}

/* Server messages of these errors quote the offending VALUE ("Duplicate entry
 * 'ann@example.com' for key ...", "Incorrect datetime value: '...'"): the
 * first quoted segment is replaced so last_error (which is logged) never
 * carries data. */
void db_redact_value(unsigned int e, char *m)
{
    if (e != ER_DUP_ENTRY && e != ER_DUP_ENTRY_WITH_KEY_NAME && e != ER_TRUNCATED_WRONG_VALUE &&
        e != ER_TRUNCATED_WRONG_VALUE_FOR_FIELD && e != ER_WRONG_VALUE_FOR_TYPE && e != ER_WRONG_VALUE)
        return;
    char *open = strchr(m, '\''), *close = NULL;
    for (char *p = open ? strstr(open + 1, "' for ") : NULL; p; p = strstr(p + 1, "' for "))
        close = p; /* the last one: the value itself may contain "' for " */
    if (!close)
        close = open ? strrchr(open + 1, '\'') : NULL;
    if (!open || !close)
        return;
    memmove(open + 2, close, strlen(close) + 1); /* '…' → '?' */
    open[1] = '?';
}

int db_error_class(unsigned int e)
{
    if (is_connection_error(e))
        return DB_UNAVAILABLE;
    switch (e) {
    case ER_DUP_ENTRY:
    case ER_DUP_UNIQUE:
        return DB_DUPLICATE;
    case ER_NO_REFERENCED_ROW:
    case ER_NO_REFERENCED_ROW_2:
    case ER_ROW_IS_REFERENCED:
    case ER_ROW_IS_REFERENCED_2:
        return DB_FOREIGN_KEY;
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
        return DB_DEADLOCK;
    default:
        return DB_ERROR;
    }
}

static int map_error(db_conn *c, unsigned int e, const char *msg)
{
    snprintf(c->last_error, sizeof c->last_error, "%u: %s", e, msg ? msg : "");
    db_redact_value(e, c->last_error);
    return db_error_class(e);
}

/* ------------------------------------------------------------ change board */

/* The org whose data version the running statement bumps (db_exec_org_version):
 * the statement's only effect on the change board. */
static _Thread_local const char *board_scoped_org;
/* The running statement writes only bookkeeping no guard reads (db_exec_bookkeeping). */
static _Thread_local bool board_bookkeeping;

/* Move the counters c's writes marked (after their transaction ended, or
 * after an autocommitted statement: never before MariaDB has the write). */
static void board_flush(db_conn *c)
{
    if (c->board_identity)
        change_board_touch_identity();
    for (int i = 0; i < c->board_norgs; i++)
        change_board_touch_org(c->board_orgs[i]);
    c->board_identity = false;
    c->board_norgs = 0;
}

/* A write statement ran (or may have): mark what it can change. */
static void board_note(db_conn *c, const char *sql)
{
    if (!change_board_on() || board_bookkeeping || db_is_read_only(sql))
        return;
    const char *org = board_scoped_org;
    if (org && c->board_norgs < BOARD_PENDING_ORGS && strlen(org) < sizeof c->board_orgs[0])
        snprintf(c->board_orgs[c->board_norgs++], sizeof c->board_orgs[0], "%s", org);
    else if (org || change_board_identity_write(sql))
        c->board_identity = true;
    else
        return;
    if (!c->in_tx)
        board_flush(c);
}

static void drop_connection(db_conn *c)
{
    board_flush(c); /* a transaction cut short: moving the counters is harmless */
    for (int i = 0; i < STMT_CACHE_SLOTS; i++) {
        if (c->cache[i].stmt)
            mysql_stmt_close(c->cache[i].stmt);
        db_plan_free(c->cache[i].plan);
        free(c->cache[i].sql);
        c->cache[i] = (struct cached_stmt){0};
    }
    if (c->mysql) {
        mysql_close(c->mysql);
        atomic_fetch_sub_explicit(stat_open, 1, memory_order_relaxed);
    }
    c->mysql = NULL;
    c->in_tx = false;
}

static int ensure_connected(db_conn *c)
{
    if (c->mysql)
        return DB_OK;
    pthread_once(&lib_once, lib_init);
    MYSQL *m = mysql_init(NULL);
    if (!m)
        return DB_ERROR;
    unsigned int connect_timeout = 3, rw_timeout = 30;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(m, MYSQL_INIT_COMMAND,
                   "SET time_zone='+00:00', sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,"
                   "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
    const vs_config *cfg = c->cfg;
    const char *sock = cfg->db_socket[0] ? cfg->db_socket : NULL;
    if (!mysql_real_connect(m, sock ? NULL : cfg->db_host, cfg->db_user, cfg->db_password,
                            cfg->db_name, sock ? 0 : (unsigned)cfg->db_port, sock,
                            CLIENT_FOUND_ROWS)) {
        int rc = map_error(c, mysql_errno(m), mysql_error(m));
        atomic_fetch_add_explicit(stat_failures, 1, memory_order_relaxed);
        /* while the server is down every request tries: log once a second */
        static _Atomic long last_logged;
        long now = (long)time(NULL);
        if (atomic_exchange(&last_logged, now) != now)
            log_warn("db: connect failed: %s", c->last_error);
        mysql_close(m);
        return rc == DB_ERROR ? DB_UNAVAILABLE : rc;
    }
    c->mysql = m;
    atomic_fetch_add_explicit(stat_open, 1, memory_order_relaxed);
    if (c->was_connected)
        atomic_fetch_add_explicit(stat_reconnects, 1, memory_order_relaxed);
    c->was_connected = true;
    return DB_OK;
}

db_conn *db_open(const vs_config *cfg)
{
    db_conn *c = calloc(1, sizeof *c);
    if (c)
        c->cfg = cfg;
    return c;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    drop_connection(c);
    free(c);
}

db_conn *db_thread_conn(const vs_config *cfg)
{
    if (!thread_conn)
        thread_conn = db_open(cfg);
    return thread_conn;
}

void db_thread_release(void)
{
    db_close(thread_conn);
    thread_conn = NULL;
    mysql_thread_end();
}

const char *db_last_error(db_conn *c) { return c ? c->last_error : "no connection"; }

/* Prepare sql, or reuse the cached statement. *uncached is set when the cache
 * is full: the caller closes that statement after use. *entry is its cache
 * entry (NULL when uncached). */
static int get_stmt(db_conn *c, const char *sql, MYSQL_STMT **out, bool *uncached, struct cached_stmt **entry)
{
    unsigned long h = hash_sql(sql);
    int slot = (int)(h % STMT_CACHE_SLOTS);
    struct cached_stmt *target = NULL;
    *uncached = false;
    *entry = NULL;
    for (int probe = 0; probe < STMT_CACHE_SLOTS; probe++) {
        struct cached_stmt *cs = &c->cache[(slot + probe) % STMT_CACHE_SLOTS];
        if (!cs->sql) {
            target = cs;
            break;
        }
        if (cs->hash == h && strcmp(cs->sql, sql) == 0) {
            if (cs->stmt) {
                *out = cs->stmt;
                *entry = cs;
                return DB_OK;
            }
            target = cs; /* forgotten after an error: prepare again here */
            break;
        }
    }
    MYSQL_STMT *st = mysql_stmt_init(c->mysql);
    if (!st)
        return map_error(c, mysql_errno(c->mysql), mysql_error(c->mysql));
    thread_trips++;
    if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql))) {
        int rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
        mysql_stmt_close(st);
        return rc;
    }
    my_bool update_max = 1;
    mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
    if (target && !target->sql) {
        char *copy = strdup(sql);
        if (copy) {
            *target = (struct cached_stmt){.sql = copy, .hash = h, .stmt = st};
            *entry = target;
        } else {
            *uncached = true;
        }
    } else if (target) {
        target->stmt = st;
        *entry = target;
    } else {
        *uncached = true; /* cache full: use once, then close */
    }
    *out = st;
    return DB_OK;
}

/* Close and remove sql's cached statement (after an error on it). */
static void forget_stmt(db_conn *c, const char *sql)
{
    unsigned long h = hash_sql(sql);
    int slot = (int)(h % STMT_CACHE_SLOTS);
    for (int probe = 0; probe < STMT_CACHE_SLOTS; probe++) {
        struct cached_stmt *cs = &c->cache[(slot + probe) % STMT_CACHE_SLOTS];
        if (!cs->sql)
            return;
        if (cs->hash == h && strcmp(cs->sql, sql) == 0) {
            mysql_stmt_close(cs->stmt);
            cs->stmt = NULL;
            db_plan_free(cs->plan);
            cs->plan = NULL;
            /* keep the slot occupied (probe chains stay intact) with an empty marker */
            return;
        }
    }
}

static int bind_params(db_conn *c, MYSQL_STMT *st, const db_param *p, int np)
{
    MYSQL_BIND b[MAX_PARAMS];
    if (np > MAX_PARAMS || (unsigned long)np != mysql_stmt_param_count(st)) {
        snprintf(c->last_error, sizeof c->last_error, "parameter count mismatch (%d given, %lu wanted)",
                 np, mysql_stmt_param_count(st));
        return DB_ERROR;
    }
    if (np == 0)
        return DB_OK;
    memset(b, 0, sizeof(MYSQL_BIND) * (size_t)np);
    for (int i = 0; i < np; i++) {
        switch (p[i].type) {
        case DBP_T_NULL:
            b[i].buffer_type = MYSQL_TYPE_NULL;
            break;
        case DBP_T_STR:
            b[i].buffer_type = MYSQL_TYPE_STRING;
            b[i].buffer = (void *)p[i].s;
            /* length stays NULL: the connector keeps pointers from the bind
             * until execute, and this array does not outlive the call; with
             * no length pointer buffer_length is the value's length. */
            b[i].buffer_length = (unsigned long)p[i].len;
            break;
        case DBP_T_INT:
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = (void *)&p[i].i;
            break;
        case DBP_T_DOUBLE:
            b[i].buffer_type = MYSQL_TYPE_DOUBLE;
            b[i].buffer = (void *)&p[i].d;
            break;
        }
    }
    if (mysql_stmt_bind_param(st, b))
        return map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
    return DB_OK;
}

/* "2024-01-20 14:30:00.123" → "2024-01-20T14:30:00Z" */
static json_t *datetime_to_json(const char *s, unsigned long len)
{
    char iso[32];
    if (len < 19)
        return json_stringn(s, len);
    memcpy(iso, s, 19);
    iso[10] = 'T';
    iso[19] = 'Z';
    iso[20] = 0;
    return json_string(iso);
}

json_t *db_cell_to_json(const MYSQL_FIELD *f, const char *v, unsigned long len)
{
    char num[64];
    switch (f->type) {
    case MYSQL_TYPE_TINY:
        if (f->length == 1)
            return json_boolean(len && v[0] != '0');
        /* fallthrough */
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        if (len < sizeof num) {
            memcpy(num, v, len);
            num[len] = 0;
            return json_integer(strtoll(num, NULL, 10));
        }
        return json_stringn(v, len);
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        if (len < sizeof num) {
            memcpy(num, v, len);
            num[len] = 0;
            return json_real(strtod(num, NULL));
        }
        return json_stringn(v, len);
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_DATETIME2:
    case MYSQL_TYPE_TIMESTAMP2:
        return datetime_to_json(v, len);
    default:
        return json_stringn(v, len);
    }
}

int db_stmt_fail(db_conn *c, MYSQL_STMT *st) { return map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st)); }

int db_fail(db_conn *c, const char *what)
{
    snprintf(c->last_error, sizeof c->last_error, "%s", what);
    return DB_ERROR;
}

static int fetch_rows(db_conn *c, MYSQL_STMT *st, json_t **rows_out, int max_rows)
{
    int rc = DB_OK;
    MYSQL_RES *meta = mysql_stmt_result_metadata(st);
    json_t *rows = json_array();
    MYSQL_BIND b[MAX_COLUMNS];
    unsigned long lens[MAX_COLUMNS];
    my_bool nulls[MAX_COLUMNS];
    char *bufs[MAX_COLUMNS] = {0};
    unsigned int ncol = 0;
    if (!meta) {
        *rows_out = rows;
        return DB_OK;
    }
    ncol = mysql_num_fields(meta);
    if (ncol > MAX_COLUMNS) {
        snprintf(c->last_error, sizeof c->last_error, "too many columns (%u)", ncol);
        rc = DB_ERROR;
        goto out;
    }
    if (mysql_stmt_store_result(st)) {
        rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
        goto out;
    }
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    memset(b, 0, sizeof(MYSQL_BIND) * ncol);
    for (unsigned int i = 0; i < ncol; i++) {
        /* max_length is exact for strings; numbers and dates are converted to
         * text, so leave room for their display width too. */
        size_t cap = fields[i].max_length;
        if (fields[i].length < 1024 && fields[i].length > cap)
            cap = fields[i].length;
        if (cap < 64)
            cap = 64;
        cap += 1;
        bufs[i] = malloc(cap);
        if (!bufs[i]) {
            rc = DB_ERROR;
            goto out;
        }
        b[i].buffer_type = MYSQL_TYPE_STRING;
        b[i].buffer = bufs[i];
        b[i].buffer_length = (unsigned long)cap;
        b[i].length = &lens[i];
        b[i].is_null = &nulls[i];
    }
    if (mysql_stmt_bind_result(st, b)) {
        rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
        goto out;
    }
    for (int n = 0; max_rows < 0 || n < max_rows; n++) {
        int f = mysql_stmt_fetch(st);
        if (f == MYSQL_NO_DATA)
            break;
        if (f == 1 || f == MYSQL_DATA_TRUNCATED) {
            rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
            goto out;
        }
        json_t *obj = json_object();
        for (unsigned int i = 0; i < ncol; i++) {
            const char *name = fields[i].name;
            size_t nlen = strlen(name);
            json_t *val;
            if (strcmp(name, "_guard") == 0) { /* a guard's value: never part of the row */
                db_guard_capture(bufs[i], lens[i], nulls[i]);
                continue;
            }
            if (nulls[i]) {
                val = json_null();
            } else if (nlen > 6 && strcmp(name + nlen - 6, "__json") == 0) {
                val = json_loadb(bufs[i], lens[i], JSON_DECODE_ANY, NULL);
                if (!val)
                    val = json_null();
            } else {
                val = db_cell_to_json(&fields[i], bufs[i], lens[i]);
            }
            if (nlen > 6 && strcmp(name + nlen - 6, "__json") == 0) {
                char key[128];
                snprintf(key, sizeof key, "%.*s", (int)(nlen - 6), name);
                json_object_set_new(obj, key, val);
            } else {
                json_object_set_new(obj, name, val);
            }
        }
        json_array_append_new(rows, obj);
    }
out:
    mysql_stmt_free_result(st);
    for (unsigned int i = 0; i < ncol && i < MAX_COLUMNS; i++)
        free(bufs[i]);
    if (meta)
        mysql_free_result(meta);
    if (rc == DB_OK)
        *rows_out = rows;
    else
        json_decref(rows);
    return rc;
}

bool db_is_read_only(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '(')
        sql++;
    return strncasecmp(sql, "SELECT", 6) == 0;
}

static int run_once(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg,
                    unsigned long long *affected);

/* Prepare (cached), bind, execute; fetch NULL for statements without rows. */
static int run(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg,
               unsigned long long *affected)
{
    if (!c)
        return DB_UNAVAILABLE;
    atomic_fetch_add_explicit(stat_busy, 1, memory_order_relaxed);
    int rc = run_once(c, sql, p, np, fetch, arg, affected);
    atomic_fetch_sub_explicit(stat_busy, 1, memory_order_relaxed);
    return rc;
}

int db_run_fetch(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg)
{
    return run(c, sql, p, np, fetch, arg, NULL);
}

/* ------------------------------------------------------------------ guard */

static _Thread_local db_guard *thread_guard;
static _Thread_local bool guard_running; /* a statement with the guard (or the check) is running */

void db_guard_set(db_guard *g)
{
    thread_guard = g;
    if (g) {
        g->consumed = g->is_null = false;
        g->value[0] = 0;
    }
}

void db_guard_capture(const char *v, unsigned long len, bool is_null)
{
    db_guard *g = thread_guard;
    if (!g || !guard_running || g->consumed)
        return;
    g->consumed = true;
    g->is_null = is_null;
    size_t n = is_null ? 0 : (len < sizeof g->value - 1 ? len : sizeof g->value - 1);
    memcpy(g->value, v, n);
    g->value[n] = 0;
}

/* Does sql have a UNION outside parentheses (and outside quoted text)? */
static bool top_level_union(const char *sql)
{
    int depth = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"' || *p == '`') {
            quote = *p;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (depth == 0 && strncmp(p, " UNION ", 7) == 0) {
            return true;
        }
    }
    return false;
}

/* Can sql carry the guard as its first column? A plain read SELECT: not
 * DISTINCT (the column would change what is distinct) and without a UNION of
 * its own (every branch would need it; one inside a derived table is fine). */
static bool guardable(const char *sql)
{
    return strncmp(sql, "SELECT ", 7) == 0 && strncmp(sql + 7, "DISTINCT", 8) != 0 && !top_level_union(sql);
}

int db_guard_check(db_conn *c)
{
    db_guard *g = thread_guard;
    if (!g || g->consumed)
        return DB_OK;
    char sql[DB_GUARD_VALUE_MAX * 4];
    int n = snprintf(sql, sizeof sql, "SELECT %s AS _guard", g->column);
    if (n <= 0 || (size_t)n >= sizeof sql)
        return db_fail(c, "guard too long");
    json_t *row = NULL;
    guard_running = true; /* the fetch takes the value; the check carries no second guard */
    int rc = db_query_row(c, sql, g->params, g->nparams, &row);
    guard_running = false;
    json_decref(row);
    if (rc == DB_OK && !g->consumed)
        return db_fail(c, "guard returned no row");
    return rc;
}

static int run_guarded(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg,
                       unsigned long long *affected);

static int run_once(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg,
                    unsigned long long *affected)
{
    db_guard *g = thread_guard;
    if (g && !g->consumed && !guard_running && fetch && guardable(sql))
        return run_guarded(c, sql, p, np, fetch, arg, affected);
    for (int attempt = 0;; attempt++) {
        int rc = ensure_connected(c);
        MYSQL_STMT *st = NULL;
        bool uncached = false;
        struct cached_stmt *slot = NULL;
        void *once_plan = NULL; /* the plan of an uncached statement lives for this call */
        if (rc == DB_OK)
            rc = get_stmt(c, sql, &st, &uncached, &slot);
        if (rc == DB_OK)
            rc = bind_params(c, st, p, np);
        bool executed = rc == DB_OK;
        if (rc == DB_OK && (thread_trips++, mysql_stmt_execute(st)))
            rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
        if (executed)
            board_note(c, sql);
        if (rc != DB_UNAVAILABLE && st)
            c->ok_at_ms = mono_ms(); /* MariaDB answered (an SQL error is an answer too) */
        if (rc == DB_OK) {
            if (affected)
                *affected = (unsigned long long)mysql_stmt_affected_rows(st);
            c->last_insert_id = (unsigned long long)mysql_stmt_insert_id(st);
            if (fetch)
                rc = fetch(c, st, slot ? &slot->plan : &once_plan, arg);
            else
                mysql_stmt_free_result(st);
        }
        db_plan_free(once_plan);
        if (uncached && st)
            mysql_stmt_close(st);
        else if (rc != DB_OK && rc != DB_UNAVAILABLE && st)
            forget_stmt(c, sql); /* a failed execute can leave the statement
                                  * half-read: never reuse it */
        if (rc != DB_UNAVAILABLE)
            return rc;
        bool was_in_tx = c->in_tx;
        if (c->mysql)
            log_warn("db: connection lost (%s); reconnecting on next use", c->last_error);
        drop_connection(c);
        /* A read outside a transaction is safe to repeat once on a new connection. */
        if (attempt > 0 || was_in_tx || !db_is_read_only(sql))
            return DB_UNAVAILABLE;
    }
}

/* sql with the guard's column first: "SELECT (guard) AS _guard, …", the
 * guard's parameters before the statement's. */
static int run_guarded(db_conn *c, const char *sql, const db_param *p, int np, db_fetch_fn fetch, void *arg,
                       unsigned long long *affected)
{
    db_guard *g = thread_guard;
    if (np + g->nparams > MAX_PARAMS)
        return db_fail(c, "too many parameters");
    size_t len = strlen(g->column) + strlen(sql) + 32;
    char *gsql = malloc(len);
    if (!gsql)
        return db_fail(c, "out of memory");
    snprintf(gsql, len, "SELECT %s AS _guard, %s", g->column, sql + 7);
    db_param all[MAX_PARAMS];
    memcpy(all, g->params, sizeof all[0] * (size_t)g->nparams);
    if (np > 0)
        memcpy(all + g->nparams, p, sizeof all[0] * (size_t)np);
    guard_running = true; /* the fetch takes the value; no second guard */
    int rc = run_once(c, gsql, all, np + g->nparams, fetch, arg, affected);
    guard_running = false;
    free(gsql);
    return rc;
}

/* db_query's fetch: every row (or the first max_rows) as a JSON array. */
struct tree_fetch {
    json_t **rows;
    int max_rows;
};

static int fetch_tree(db_conn *c, MYSQL_STMT *st, void **plan, void *arg)
{
    (void)plan;
    struct tree_fetch *t = arg;
    return fetch_rows(c, st, t->rows, t->max_rows);
}

int db_query(db_conn *c, const char *sql, const db_param *p, int np, json_t **rows)
{
    *rows = NULL;
    struct tree_fetch t = {rows, -1};
    return run(c, sql, p, np, fetch_tree, &t, NULL);
}

int db_query_row(db_conn *c, const char *sql, const db_param *p, int np, json_t **row)
{
    json_t *rows = NULL;
    *row = NULL;
    struct tree_fetch t = {&rows, 1};
    int rc = run(c, sql, p, np, fetch_tree, &t, NULL);
    if (rc == DB_OK && json_array_size(rows) > 0)
        *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return rc;
}

int db_query_int(db_conn *c, const char *sql, const db_param *p, int np, long long *out)
{
    json_t *row = NULL;
    *out = 0;
    int rc = db_query_row(c, sql, p, np, &row);
    if (rc == DB_OK && row) {
        const char *k;
        json_t *v;
        json_object_foreach(row, k, v)
        {
            if (json_is_integer(v))
                *out = json_integer_value(v);
            else if (json_is_real(v))
                *out = (long long)json_real_value(v);
            else if (json_is_true(v))
                *out = 1;
            else if (json_is_string(v))
                *out = strtoll(json_string_value(v), NULL, 10);
            break;
        }
    }
    json_decref(row);
    return rc;
}

int db_exec(db_conn *c, const char *sql, const db_param *p, int np, unsigned long long *affected)
{
    return run(c, sql, p, np, NULL, NULL, affected);
}

/* Column-wise array binding (MariaDB Connector/C): per parameter an array of
 * values, one per row — pointers and lengths for strings — and an indicator
 * array for NULLs. */
typedef struct {
    void *values;          /* const char *[rows], long long[rows] or double[rows] */
    unsigned long *lengths; /* strings only */
    char *indicators;
} array_column;

static int array_column_fill(array_column *col, MYSQL_BIND *b, const db_param *p, int np, int k, size_t rows)
{
    enum db_param_type t = DBP_T_NULL;
    for (size_t r = 0; r < rows && t == DBP_T_NULL; r++)
        t = p[r * (size_t)np + (size_t)k].type;
    size_t width = t == DBP_T_INT ? sizeof(long long) : t == DBP_T_DOUBLE ? sizeof(double) : sizeof(char *);
    col->values = calloc(rows, width);
    col->indicators = malloc(rows);
    col->lengths = t == DBP_T_STR || t == DBP_T_NULL ? calloc(rows, sizeof(unsigned long)) : NULL;
    if (!col->values || !col->indicators || ((t == DBP_T_STR || t == DBP_T_NULL) && !col->lengths))
        return DB_ERROR;
    for (size_t r = 0; r < rows; r++) {
        const db_param *v = &p[r * (size_t)np + (size_t)k];
        col->indicators[r] = v->type == DBP_T_NULL ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE;
        if (v->type == DBP_T_NULL)
            continue;
        if (v->type != t)
            return DB_ERROR; /* one type per column */
        if (t == DBP_T_INT) {
            ((long long *)col->values)[r] = v->i;
        } else if (t == DBP_T_DOUBLE) {
            ((double *)col->values)[r] = v->d;
        } else {
            ((const char **)col->values)[r] = v->s;
            col->lengths[r] = (unsigned long)v->len;
        }
    }
    b->buffer_type = t == DBP_T_INT ? MYSQL_TYPE_LONGLONG : t == DBP_T_DOUBLE ? MYSQL_TYPE_DOUBLE : MYSQL_TYPE_STRING;
    b->buffer = col->values;
    b->length = col->lengths;
    b->u.indicator = col->indicators;
    return DB_OK;
}

int db_exec_array(db_conn *c, const char *sql, const db_param *p, int np, size_t rows, unsigned long long *affected)
{
    if (affected)
        *affected = 0;
    if (!c)
        return DB_UNAVAILABLE;
    if (rows == 0)
        return DB_OK;
    if (np <= 0 || np > MAX_PARAMS || rows > UINT_MAX) {
        snprintf(c->last_error, sizeof c->last_error, "array execute: %d parameters, %zu rows", np, rows);
        return DB_ERROR;
    }
    MYSQL_BIND b[MAX_PARAMS];
    array_column cols[MAX_PARAMS];
    memset(b, 0, sizeof(MYSQL_BIND) * (size_t)np);
    memset(cols, 0, sizeof(array_column) * (size_t)np);
    int rc = DB_OK;
    for (int k = 0; k < np && rc == DB_OK; k++)
        rc = array_column_fill(&cols[k], &b[k], p, np, k, rows);
    if (rc != DB_OK)
        snprintf(c->last_error, sizeof c->last_error, "array execute: out of memory or mixed column types");
    MYSQL_STMT *st = NULL;
    bool uncached = false;
    struct cached_stmt *slot = NULL;
    atomic_fetch_add_explicit(stat_busy, 1, memory_order_relaxed);
    if (rc == DB_OK)
        rc = ensure_connected(c);
    if (rc == DB_OK)
        rc = get_stmt(c, sql, &st, &uncached, &slot);
    unsigned int size = (unsigned int)rows;
    if (rc == DB_OK && (unsigned long)np != mysql_stmt_param_count(st)) {
        snprintf(c->last_error, sizeof c->last_error, "parameter count mismatch (%d given, %lu wanted)", np,
                 mysql_stmt_param_count(st));
        rc = DB_ERROR;
    }
    if (rc == DB_OK && (mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &size) || mysql_stmt_bind_param(st, b)))
        rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
    bool executed = rc == DB_OK;
    if (rc == DB_OK && (thread_trips++, mysql_stmt_execute(st)))
        rc = map_error(c, mysql_stmt_errno(st), mysql_stmt_error(st));
    if (executed)
        board_note(c, sql);
    if (rc != DB_UNAVAILABLE && st)
        c->ok_at_ms = mono_ms();
    if (rc == DB_OK && affected)
        *affected = (unsigned long long)mysql_stmt_affected_rows(st);
    if (st) {
        unsigned int none = 0; /* the cached statement may be bound singly later */
        mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &none);
    }
    if (uncached && st)
        mysql_stmt_close(st);
    else if (rc != DB_OK && rc != DB_UNAVAILABLE && st)
        forget_stmt(c, sql);
    else if (rc == DB_UNAVAILABLE)
        drop_connection(c); /* a lost connection: the next statement reconnects (no retry inside a transaction) */
    atomic_fetch_sub_explicit(stat_busy, 1, memory_order_relaxed);
    for (int k = 0; k < np; k++) {
        free(cols[k].values);
        free(cols[k].lengths);
        free(cols[k].indicators);
    }
    return rc;
}

int db_exec_id(db_conn *c, const char *sql, const db_param *p, int np, unsigned long long *insert_id)
{
    *insert_id = 0;
    int rc = run(c, sql, p, np, NULL, NULL, NULL);
    if (rc == DB_OK)
        *insert_id = c->last_insert_id;
    return rc;
}

static int simple(db_conn *c, const char *sql)
{
    int rc = ensure_connected(c);
    if (rc != DB_OK)
        return rc;
    thread_trips++;
    if (mysql_real_query(c->mysql, sql, (unsigned long)strlen(sql))) {
        rc = map_error(c, mysql_errno(c->mysql), mysql_error(c->mysql));
        if (rc == DB_UNAVAILABLE)
            drop_connection(c);
        return rc;
    }
    return DB_OK;
}

int db_exec_org_version(db_conn *c, const char *org_id, const char *sql, const db_param *p, int np)
{
    board_scoped_org = org_id;
    int rc = run(c, sql, p, np, NULL, NULL, NULL);
    board_scoped_org = NULL;
    return rc;
}

int db_exec_bookkeeping(db_conn *c, const char *sql, const db_param *p, int np)
{
    board_bookkeeping = true;
    int rc = run(c, sql, p, np, NULL, NULL, NULL);
    board_bookkeeping = false;
    return rc;
}

int db_begin(db_conn *c)
{
    if (!c)
        return DB_UNAVAILABLE;
    board_flush(c); /* left by a transaction that never ended (its connection was kept) */
    int rc = simple(c, "START TRANSACTION");
    if (rc == DB_UNAVAILABLE) /* nothing done yet: one reconnect is safe */
        rc = simple(c, "START TRANSACTION");
    if (rc == DB_OK)
        c->in_tx = true;
    return rc;
}

int db_commit(db_conn *c)
{
    int rc = simple(c, "COMMIT");
    c->in_tx = false;
    board_flush(c); /* whatever the answer: a lost reply may still have committed */
    return rc;
}

int db_rollback(db_conn *c)
{
    int rc = c->mysql ? simple(c, "ROLLBACK") : DB_OK;
    c->in_tx = false;
    board_flush(c);
    return rc;
}

int db_transaction(db_conn *c, int (*fn)(db_conn *c, void *arg), void *arg)
{
    int rc = DB_ERROR;
    for (int attempt = 0; attempt < 3; attempt++) {
        rc = db_begin(c);
        if (rc != DB_OK)
            return rc;
        rc = fn(c, arg);
        if (rc == DB_OK) {
            rc = db_commit(c);
            if (rc == DB_OK)
                return DB_OK;
        } else {
            db_rollback(c);
        }
        if (rc != DB_DEADLOCK)
            return rc;
    }
    return rc;
}

/* COM_PING: the server answers without running a statement; a lost
 * connection is reopened once, as a read would be. */
bool db_ping(db_conn *c)
{
    for (int attempt = 0; c && attempt < 2; attempt++) {
        if (ensure_connected(c) != DB_OK)
            return false;
        thread_trips++;
        if (mysql_ping(c->mysql) == 0) {
            c->ok_at_ms = mono_ms();
            return true;
        }
        snprintf(c->last_error, sizeof c->last_error, "%s", mysql_error(c->mysql));
        log_warn("db: ping failed (%s); reconnecting", c->last_error);
        drop_connection(c);
    }
    return false;
}

bool db_recently_alive(db_conn *c, int max_age_ms)
{
    if (!c || !c->mysql || !c->ok_at_ms || mono_ms() - c->ok_at_ms > max_age_ms)
        return false;
    struct pollfd pfd = {.fd = (int)mysql_get_socket(c->mysql), .events = POLLIN | POLLRDHUP};
    /* an idle connection has nothing to read: readable means closed (EOF) or an error packet */
    return pfd.fd >= 0 && poll(&pfd, 1, 0) == 0;
}

int db_exec_script(db_conn *c, const char *sql_text, char *err, size_t errsz)
{
    int rc = ensure_connected(c);
    if (rc != DB_OK) {
        snprintf(err, errsz, "cannot connect: %s", c->last_error);
        return rc;
    }
    mysql_set_server_option(c->mysql, MYSQL_OPTION_MULTI_STATEMENTS_ON);
    rc = DB_OK;
    if (mysql_real_query(c->mysql, sql_text, (unsigned long)strlen(sql_text))) {
        rc = map_error(c, mysql_errno(c->mysql), mysql_error(c->mysql));
    } else {
        /* drain every result; an error in statement N shows up here */
        int status;
        do {
            MYSQL_RES *r = mysql_store_result(c->mysql);
            if (r)
                mysql_free_result(r);
            status = mysql_next_result(c->mysql);
            if (status > 0)
                rc = map_error(c, mysql_errno(c->mysql), mysql_error(c->mysql));
        } while (status == 0);
    }
    mysql_set_server_option(c->mysql, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
    c->board_identity = true; /* a script may change anything */
    if (!c->in_tx)
        board_flush(c);
    if (rc != DB_OK)
        snprintf(err, errsz, "%s", c->last_error);
    return rc;
}
