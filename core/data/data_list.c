/* data_list.c — owns date spans, exact totals over the counters, and the
 * keyset page of the time-series lists. */
#include "data/data_list.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data/data_sql.h"

#define HOUR_MS 3600000LL
#define DAY_MS 86400000LL
/* unbounded sides: far outside any data, aligned to whole days */

void dl_sql_time(long long ms, char out[DL_TIME_LEN])
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (long long)t * 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[96];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    snprintf(out, DL_TIME_LEN, "%.23s", buf);
}

long long dl_parse_sql_time(const char *s)
{
    int Y, M, D, h = 0, m = 0, sec = 0, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3 || n != 10)
        return -1;
    const char *p = s + 10;
    long long ms = 0;
    if (*p == ' ' || *p == 'T') {
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &m, &sec, &n) != 3 || n != 8)
            return -1;
        p += 9;
        if (*p == '.') {
            p++;
            int digits = 0;
            while (isdigit((unsigned char)*p)) {
                if (digits < 3)
                    ms = ms * 10 + (*p - '0');
                digits++;
                p++;
            }
            for (int k = digits; k < 3; k++)
                ms *= 10;
        }
    }
    if (*p)
        return -1;
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = sec};
    return (long long)timegm(&tm) * 1000 + ms;
}

int dl_local_day_bounds(db_conn *db, const char *org_id, const char *day_a, const char *day_b, long long *ms_a,
                        long long *ms_b)
{
    db_param p[] = {DBP_STR(day_a), DBP_STR(day_a), DBP_STR(day_b), DBP_STR(day_b), DBP_STR(org_id)};
    json_t *row = NULL;
    int rc = db_query_row(db, DSQL_ORG_LOCAL_BOUNDS, p, DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row) {
        json_decref(row);
        return rc == DB_OK ? DB_ERROR : rc;
    }
    if (day_a)
        *ms_a = dl_parse_sql_time(json_string_value(json_object_get(row, "a")));
    if (day_b)
        *ms_b = dl_parse_sql_time(json_string_value(json_object_get(row, "b")));
    json_decref(row);
    return DB_OK;
}

static long long floor_to(long long ms, long long unit) { return ms - (((ms % unit) + unit) % unit); }
static long long ceil_to(long long ms, long long unit) { return floor_to(ms + unit - 1, unit); }

static void day_text(long long ms, char out[11])
{
    char t[DL_TIME_LEN];
    dl_sql_time(ms, t);
    snprintf(out, 11, "%.10s", t);
}

void dl_plan_make(long long from_ms, long long to_ms, dl_plan *p)
{
    long long e[4], h[4], d[2];
    long long h1 = ceil_to(from_ms, HOUR_MS), h2 = floor_to(to_ms, HOUR_MS);
    if (h1 >= h2) { /* within one hour (or across one boundary): count the rows */
        e[0] = from_ms, e[1] = to_ms, e[2] = e[3] = from_ms;
        h[0] = h[1] = h[2] = h[3] = from_ms;
        d[0] = d[1] = from_ms;
    } else {
        e[0] = from_ms, e[1] = h1, e[2] = h2, e[3] = to_ms;
        long long d1 = ceil_to(h1, DAY_MS), d2 = floor_to(h2, DAY_MS);
        if (d1 >= d2) {
            h[0] = h1, h[1] = h2, h[2] = h[3] = h1;
            d[0] = d[1] = h1;
        } else {
            h[0] = h1, h[1] = d1, h[2] = d2, h[3] = h2;
            d[0] = d1, d[1] = d2;
        }
    }
    if (d[0] == d[1])
        d[0] = d[1] = floor_to(d[0], DAY_MS); /* an empty day range stays empty as dates */
    for (int i = 0; i < 4; i++) {
        dl_sql_time(e[i], p->edge[i]);
        dl_sql_time(h[i], p->hour[i]);
    }
    day_text(d[0], p->day[0]);
    day_text(d[1], p->day[1]);
}

int dl_variant(const char *const *variants, const dl_dims *dims)
{
    static const int order[] = {0, 2, 3, 1}; /* number, d2 (status), type, d1 (direction) */
    for (int k = 0; k < 4; k++)
        if (dims->v[order[k]] && variants[order[k] + 1])
            return order[k] + 1;
    return 0;
}

static bool dims_any(const dl_dims *d)
{
    for (int i = 0; i < 4; i++)
        if (d->v[i])
            return true;
    return false;
}

/* The total's parameters into p (returns how many): the all-time total's 10
 * (org, ckind, 4 pairs) when span is unbounded, else the dated total's 39.
 * ckind and pl are storage that must outlive p. */
static int total_params(db_param *p, const char *org_id, const char *kind, const dl_span *span, const dl_dims *dims,
                        char ckind[24], dl_plan *pl)
{
    /* without a filter the rollup rows answer (one row per bucket) */
    snprintf(ckind, 24, "%s%s", kind, dims_any(dims) ? "" : "_all");
    const char *const *v = dims->v;
#define DIMS DBP_STR(v[0]), DBP_STR(v[0]), DBP_STR(v[1]), DBP_STR(v[1]), DBP_STR(v[2]), DBP_STR(v[2]), \
             DBP_STR(v[3]), DBP_STR(v[3])
    if (!span->has_from && !span->has_to) {
        db_param all[] = {DBP_STR(org_id), DBP_STR(ckind), DIMS};
        memcpy(p, all, sizeof all);
        return DB_NPARAMS(all);
    }
    dl_plan_make(span->from_ms, span->to_ms, pl);
    db_param dated[] = {DBP_STR(org_id),     DBP_STR(pl->edge[0]), DBP_STR(pl->edge[1]), DBP_STR(pl->edge[2]),
                        DBP_STR(pl->edge[3]), DIMS,
                        DBP_STR(org_id),     DBP_STR(ckind),       DBP_STR(pl->hour[0]), DBP_STR(pl->hour[1]),
                        DBP_STR(pl->hour[2]), DBP_STR(pl->hour[3]), DIMS,
                        DBP_STR(org_id),     DBP_STR(ckind),       DBP_STR(pl->day[0]),  DBP_STR(pl->day[1]),
                        DIMS};
#undef DIMS
    memcpy(p, dated, sizeof dated);
    return DB_NPARAMS(dated);
}

int dl_count(db_conn *db, const char *org_id, const char *kind, const char *dated_sql, const dl_span *span,
             const dl_dims *dims, long long *out)
{
    char ckind[24];
    dl_plan pl;
    db_param p[DL_TOTAL_PARAMS_MAX];
    int np = total_params(p, org_id, kind, span, dims, ckind, &pl);
    bool all_time = !span->has_from && !span->has_to;
    return db_query_int(db, all_time ? DSQL_COUNTS_ALL_TIME : dated_sql, p, np, out);
}

int dl_series_page(db_conn *db, const char *org_id, const dl_series *s, const dl_span *span, const dl_dims *dims,
                   const list_cursor *cur, const page_req *page, char **body, size_t *body_len)
{
    *body = NULL;
    char from[DL_TIME_LEN], to[DL_TIME_LEN], ckind[24];
    dl_plan pl;
    dl_sql_time(span->from_ms, from);
    dl_sql_time(span->to_ms, to);
    const char *ck = cur && cur->present ? cur->key : NULL, *cid = cur && cur->present ? cur->id : NULL;
    const char *const *v = dims->v;
    db_param p[DL_TOTAL_PARAMS_MAX + 17];
    int nt = total_params(p, org_id, s->kind, span, dims, ckind, &pl);
    db_param list[] = {DBP_STR(org_id), DBP_STR(from), DBP_STR(to),
                       DBP_STR(v[0]),   DBP_STR(v[0]), DBP_STR(v[1]), DBP_STR(v[1]),
                       DBP_STR(v[2]),   DBP_STR(v[2]), DBP_STR(v[3]), DBP_STR(v[3]),
                       DBP_STR(ck),     DBP_STR(ck),   DBP_STR(ck),   DBP_STR(cid),
                       DBP_INT(page->limit + 1), DBP_INT(page->skip)};
    memcpy(p + nt, list, sizeof list);
    int variant = dl_variant(s->list_sql, dims);
    bool all_time = !span->has_from && !span->has_to;
    const char *sql = (all_time ? s->page_all_sql : s->page_dated_sql)[variant];
    json_buf b = {0};
    db_rows_info info = {.max_rows = page->limit};
    jb_lit(&b, "{\"data\":");
    int rc = db_query_json(db, sql, p, nt + DB_NPARAMS(list), &b, &info);
    long long total = info.total;
    if (rc == DB_OK && !info.has_total) /* an empty page carries no total */
        rc = dl_count(db, org_id, s->kind, s->total_sql[variant], span, dims, &total);
    if (rc != DB_OK) {
        jb_free(&b);
        return rc;
    }
    cursor_envelope_text(&b, total, page, s->list, &info);
    *body = jb_take(&b, body_len);
    return *body ? DB_OK : DB_ERROR;
}
