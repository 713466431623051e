/* db_json.c — owns the streaming of result rows into JSON text
 * (db_query_json): the column plan of a prepared statement (each column's
 * key already written as `"name":`, its value writer, whether it is hidden)
 * is made on the statement's first use and kept with it in db.c's statement
 * cache, so a row costs its cells' bytes and no allocation. The values are
 * those of db_query's tree (db_cell_to_json): integers, TINYINT(1) booleans,
 * reals, DATETIME as "YYYY-MM-DDTHH:MM:SSZ", NULL as null, strings escaped
 * as Jansson does; a "__json" column is parsed and written again by Jansson
 * (validated, and normalized exactly as the tree did; text that does not
 * parse is null), with the fast path of the bare literals true/false/null. */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/db.h"
#include "platform/db_internal.h"

#define PLAN_MAX_COLUMNS 96
#define CELL_MIN 64
#define CELL_MAX 4096 /* longer values are fetched again in full (fetch_column) */

typedef enum { W_STR, W_INT, W_BOOL, W_REAL, W_DATE, W_JSON, W_HIDDEN } col_writer;
typedef enum { R_NONE, R_ID, R_POS, R_TOTAL, R_GUARD } col_role;

typedef struct {
    col_writer w;
    col_role role;
    char *key; /* `,"name":` (no comma on the first written column) */
    size_t key_len;
    char *cell;
    unsigned long cap;
} plan_col;

typedef struct {
    unsigned ncol;
    plan_col col[PLAN_MAX_COLUMNS];
    MYSQL_BIND bind[PLAN_MAX_COLUMNS];
    unsigned long len[PLAN_MAX_COLUMNS];
    my_bool null[PLAN_MAX_COLUMNS];
} db_plan;

void db_plan_free(void *p)
{
    db_plan *plan = p;
    if (!plan)
        return;
    for (unsigned i = 0; i < plan->ncol; i++) {
        free(plan->col[i].key);
        free(plan->col[i].cell);
    }
    free(plan);
}

static col_writer writer_of(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_TINY:
        return f->length == 1 ? W_BOOL : W_INT;
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return W_INT;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return W_REAL;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_DATETIME2:
    case MYSQL_TYPE_TIMESTAMP2:
        return W_DATE;
    default:
        return W_STR;
    }
}

/* The plan of st's result columns; NULL (with the error recorded) on failure. */
static db_plan *plan_make(db_conn *c, MYSQL_STMT *st, MYSQL_RES *meta)
{
    unsigned ncol = mysql_num_fields(meta);
    if (ncol > PLAN_MAX_COLUMNS) {
        db_fail(c, "too many columns");
        return NULL;
    }
    db_plan *plan = calloc(1, sizeof *plan);
    if (!plan) {
        db_fail(c, "out of memory");
        return NULL;
    }
    plan->ncol = ncol;
    const MYSQL_FIELD *f = mysql_fetch_fields(meta);
    bool first = true;
    for (unsigned i = 0; i < ncol; i++) {
        plan_col *pc = &plan->col[i];
        const char *name = f[i].name;
        size_t nlen = strlen(name);
        pc->w = writer_of(&f[i]);
        pc->role = strcmp(name, "id") == 0 ? R_ID : R_NONE;
        if (name[0] == '_') {
            pc->w = W_HIDDEN;
            pc->role = strcmp(name, "_pos") == 0     ? R_POS
                       : strcmp(name, "_total") == 0 ? R_TOTAL
                       : strcmp(name, "_guard") == 0 ? R_GUARD
                                                     : R_NONE;
        } else if (nlen > 6 && strcmp(name + nlen - 6, "__json") == 0) {
            pc->w = W_JSON;
            nlen -= 6;
        }
        if (pc->w != W_HIDDEN) {
            json_buf k = {0};
            if (!first)
                jb_put(&k, ",", 1);
            jb_str(&k, name, nlen);
            jb_put(&k, ":", 1);
            pc->key = jb_take(&k, &pc->key_len);
            first = false;
        } else if (pc->role == R_NONE) { /* a hidden value of the first row (db_rows_info.head) */
            pc->key = strdup(name);
            pc->key_len = nlen;
        }
        unsigned long cap = f[i].length < CELL_MIN ? CELL_MIN : f[i].length > CELL_MAX ? CELL_MAX : f[i].length;
        pc->cap = cap + 1;
        pc->cell = malloc(pc->cap);
        if ((!pc->key && (pc->w != W_HIDDEN || pc->role == R_NONE)) || !pc->cell) {
            db_plan_free(plan);
            db_fail(c, "out of memory");
            return NULL;
        }
        plan->bind[i] = (MYSQL_BIND){.buffer_type = MYSQL_TYPE_STRING, .buffer = pc->cell,
                                     .buffer_length = pc->cap, .length = &plan->len[i], .is_null = &plan->null[i]};
    }
    (void)st;
    return plan;
}

static void write_number(json_buf *out, col_writer w, const char *v, unsigned long len)
{
    char num[64];
    if (len >= sizeof num) { /* as db_cell_to_json: too long for a number, a string */
        jb_str(out, v, len);
        return;
    }
    memcpy(num, v, len);
    num[len] = 0;
    if (w == W_INT)
        jb_int(out, strtoll(num, NULL, 10));
    else
        jb_real(out, strtod(num, NULL));
}

static void write_json_cell(json_buf *out, const char *v, unsigned long len)
{
    static const char *const literal[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++)
        if (len == strlen(literal[i]) && memcmp(v, literal[i], len) == 0) {
            jb_put(out, v, len);
            return;
        }
    json_t *j = json_loadb(v, len, JSON_DECODE_ANY, NULL);
    jb_json(out, j);
    json_decref(j);
}

static void write_cell(json_buf *out, col_writer w, const char *v, unsigned long len)
{
    switch (w) {
    case W_BOOL:
        jb_put(out, len && v[0] != '0' ? "true" : "false", len && v[0] != '0' ? 4 : 5);
        break;
    case W_INT:
    case W_REAL:
        write_number(out, w, v, len);
        break;
    case W_DATE:
        if (len >= 19) { /* "2024-01-20 14:30:00.123" → "2024-01-20T14:30:00Z" */
            char iso[22];
            iso[0] = '"';
            memcpy(iso + 1, v, 19);
            iso[11] = 'T';
            memcpy(iso + 20, "Z\"", 2);
            jb_put(out, iso, sizeof iso);
        } else {
            jb_str(out, v, len);
        }
        break;
    case W_JSON:
        write_json_cell(out, v, len);
        break;
    case W_STR:
        jb_str(out, v, len);
        break;
    case W_HIDDEN:
        break;
    }
}

static void copy_text(char *dst, size_t cap, const char *v, unsigned long len)
{
    size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(dst, v, n);
    dst[n] = 0;
}

/* One fetched row: hidden values into info, the rest as an object into out. */
static int write_row(db_conn *c, MYSQL_STMT *st, db_plan *plan, json_buf *out, db_rows_info *info, bool write)
{
    if (write)
        jb_put(out, info->rows ? ",{" : "{", info->rows ? 2 : 1);
    bool head = info->head && json_object_size(info->head) == 0;
    for (unsigned i = 0; i < plan->ncol; i++) {
        plan_col *pc = &plan->col[i];
        const char *v = pc->cell;
        unsigned long len = plan->len[i];
        char *whole = NULL;
        if (!plan->null[i] && len >= pc->cap) { /* truncated: fetch it again in full */
            whole = malloc(len + 1);
            MYSQL_BIND b = {.buffer_type = MYSQL_TYPE_STRING, .buffer = whole, .buffer_length = len + 1};
            if (!whole || mysql_stmt_fetch_column(st, &b, i, 0)) {
                free(whole);
                return whole ? db_stmt_fail(c, st) : db_fail(c, "out of memory");
            }
            v = whole;
        }
        if (pc->role == R_TOTAL && !plan->null[i] && !info->has_total) {
            char num[32];
            copy_text(num, sizeof num, v, len);
            info->total = strtoll(num, NULL, 10);
            info->has_total = true;
        }
        if (pc->role == R_GUARD)
            db_guard_capture(v, len, plan->null[i]);
        if (head && pc->w == W_HIDDEN && pc->role == R_NONE)
            json_object_set_new(info->head, pc->key, plan->null[i] ? json_null() : json_stringn(v, len));
        if (write) {
            if (pc->role == R_POS) {
                copy_text(info->last_pos, sizeof info->last_pos, plan->null[i] ? "" : v, plan->null[i] ? 0 : len);
                info->has_pos = !plan->null[i];
            }
            else if (pc->role == R_ID)
                copy_text(info->last_id, sizeof info->last_id, plan->null[i] ? "" : v, plan->null[i] ? 0 : len);
            if (pc->w != W_HIDDEN) {
                jb_put(out, pc->key, pc->key_len);
                if (plan->null[i])
                    jb_put(out, "null", 4);
                else
                    write_cell(out, pc->w, v, len);
            }
        }
        free(whole);
    }
    if (write) {
        jb_put(out, "}", 1);
        info->rows++;
    }
    return DB_OK;
}

struct json_fetch {
    json_buf *out;
    db_rows_info *info;
};

static int fetch_json(db_conn *c, MYSQL_STMT *st, void **planp, void *arg)
{
    struct json_fetch *jf = arg;
    db_rows_info *info = jf->info;
    size_t start = jf->out->len; /* a retried fetch starts again from here */
    info->rows = 0;
    info->more = false;
    info->has_total = false;
    info->total = 0;
    info->last_pos[0] = info->last_id[0] = 0;
    info->has_pos = false;
    if (info->head)
        json_object_clear(info->head);
    int rc = DB_OK;
    if (!*planp) {
        MYSQL_RES *meta = mysql_stmt_result_metadata(st);
        if (!meta) { /* no result set */
            mysql_stmt_free_result(st);
            jb_put(jf->out, "[]", 2);
            return DB_OK;
        }
        *planp = plan_make(c, st, meta);
        mysql_free_result(meta);
        if (!*planp) {
            mysql_stmt_free_result(st);
            return DB_ERROR;
        }
    }
    db_plan *plan = *planp;
    if (mysql_stmt_store_result(st) || mysql_stmt_bind_result(st, plan->bind)) {
        rc = db_stmt_fail(c, st);
        goto out;
    }
    jb_put(jf->out, "[", 1);
    for (;;) {
        int f = mysql_stmt_fetch(st);
        if (f == MYSQL_NO_DATA)
            break;
        if (f == 1) {
            rc = db_stmt_fail(c, st);
            goto out;
        }
        bool write = info->max_rows < 0 || info->rows < info->max_rows;
        if (!write)
            info->more = true;
        rc = write_row(c, st, plan, jf->out, info, write);
        if (rc != DB_OK)
            goto out;
    }
    jb_put(jf->out, "]", 1);
out:
    mysql_stmt_free_result(st);
    if (rc != DB_OK && !jf->out->oom)
        jf->out->len = start;
    return rc;
}

int db_query_json(db_conn *c, const char *sql, const db_param *p, int np, json_buf *out, db_rows_info *info)
{
    struct json_fetch jf = {out, info};
    int rc = db_run_fetch(c, sql, p, np, fetch_json, &jf);
    if (rc == DB_OK && out->oom)
        return db_fail(c, "out of memory");
    return rc;
}
