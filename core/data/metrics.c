/* metrics.c — owns the org and platform metrics (SQL in core/data/data_sql.c). */
#include "data/metrics.h"

#include <string.h>

#include "data/data_list.h"
#include "data/data_sql.h"

#define LIVE_CALL_WINDOW_MS (4LL * 3600 * 1000) /* a "ringing" call older than this is stale */

static double minutes(long long seconds_sum, long long n)
{
    if (n <= 0)
        return 0;
    double m = (double)seconds_sum / (double)n / 60.0;
    return (double)(long long)(m * 100.0 + 0.5) / 100.0;
}

int metrics_org(db_conn *db, const char *org_id, json_t **out)
{
    *out = NULL;
    json_t *now = NULL;
    db_param op[] = {DBP_STR(org_id)};
    int rc = db_query_row(db, DSQL_ORG_NOW, op, 1, &now);
    if (rc != DB_OK || !now) {
        json_decref(now);
        return rc == DB_OK ? DB_ERROR : rc;
    }
    long long now_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "now_utc")));
    long long today_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "today_utc")));
    long long month_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "month_utc")));
    long long end_ms = now_ms + 1; /* include rows stamped this very millisecond */
    dl_plan t, m;
    dl_plan_make(today_ms, end_ms, &t);
    dl_plan_make(month_ms, end_ms, &m);
#define PERIOD(pl)                                                                                         \
    DBP_STR(org_id), DBP_STR(pl.edge[0]), DBP_STR(pl.edge[1]), DBP_STR(pl.edge[2]), DBP_STR(pl.edge[3]),   \
        DBP_STR(org_id), DBP_STR(pl.hour[0]), DBP_STR(pl.hour[1]), DBP_STR(pl.hour[2]), DBP_STR(pl.hour[3]), \
        DBP_STR(org_id), DBP_STR(pl.day[0]), DBP_STR(pl.day[1])
    db_param p[] = {PERIOD(t), PERIOD(m), PERIOD(t), PERIOD(m)};
#undef PERIOD
    json_t *rows = NULL;
    rc = db_query(db, DSQL_METRICS_COUNTS, p, DB_NPARAMS(p), &rows);
    json_t *agents = NULL;
    char live_since[DL_TIME_LEN];
    dl_sql_time(now_ms - LIVE_CALL_WINDOW_MS, live_since);
    if (rc == DB_OK) {
        db_param ap[] = {DBP_STR(org_id), DBP_STR(live_since), DBP_STR(org_id)};
        rc = db_query_row(db, DSQL_METRICS_AGENTS, ap, DB_NPARAMS(ap), &agents);
    }
    if (rc != DB_OK) {
        json_decref(rows);
        json_decref(agents);
        json_decref(now);
        return rc;
    }
    long long v[5][6];
    memset(v, 0, sizeof v);
    static const char *const cols[] = {"n", "answered", "dur_sum", "ans_dur_sum", "wait_sum", "wait_n"};
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        long long per = json_integer_value(json_object_get(r, "p"));
        if (per < 1 || per > 4)
            continue;
        for (int c = 0; c < 6; c++)
            v[per][c] = json_integer_value(json_object_get(r, cols[c]));
    }
    long long online = json_integer_value(json_object_get(agents, "online"));
    long long available = json_integer_value(json_object_get(agents, "available"));
    long long avail_busy = json_integer_value(json_object_get(agents, "available_on_call"));
    *out = json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:I, s:I}", "calls_today", (json_int_t)v[1][0],
                     "calls_this_month", (json_int_t)v[2][0], "sms_today", (json_int_t)v[3][0], "sms_this_month",
                     (json_int_t)v[4][0], "avg_call_duration_minutes", minutes(v[2][3], v[2][1]),
                     "queue_wait_minutes", minutes(v[2][4], v[2][5]), "agents_online", (json_int_t)online,
                     "agents_idle", (json_int_t)(available - avail_busy));
    json_object_set_new(*out, "answered_today", json_integer(v[1][1]));
    json_object_set_new(*out, "missed_today", json_integer(v[1][0] - v[1][1]));
    json_object_set_new(*out, "agents_available", json_integer(available));
    json_object_set_new(*out, "agents_dnd", json_integer(json_integer_value(json_object_get(agents, "dnd"))));
    json_object_set_new(*out, "agents_on_call", json_integer(json_integer_value(json_object_get(agents, "on_call"))));
    json_object_set(*out, "timezone", json_object_get(now, "timezone"));
    json_object_set(*out, "today", json_object_get(now, "today"));
    char iso[3][24];
    long long marks[3] = {today_ms, month_ms, now_ms};
    for (int k = 0; k < 3; k++) {
        char s[DL_TIME_LEN];
        dl_sql_time(marks[k], s);
        snprintf(iso[k], sizeof iso[k], "%.10sT%.8sZ", s, s + 11);
    }
    json_object_set_new(*out, "today_starts_at", json_string(iso[0]));
    json_object_set_new(*out, "month_starts_at", json_string(iso[1]));
    json_object_set_new(*out, "as_of", json_string(iso[2]));
    json_decref(rows);
    json_decref(agents);
    json_decref(now);
    return DB_OK;
}

int metrics_platform(db_conn *db, json_t **out)
{
    *out = NULL;
    json_t *row = NULL;
    int rc = db_query_row(db, DSQL_CLIENT_METRICS, NULL, 0, &row);
    if (rc != DB_OK || !row) {
        json_decref(row);
        return rc == DB_OK ? DB_ERROR : rc;
    }
#define I(k) json_integer_value(json_object_get(row, k))
    const char *queue = I("expired_leases") > 0 ? "stalled" : I("stale_queued") > 0 ? "backlogged" : "healthy";
    *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:f, s:s}", "total_calls", (json_int_t)I("total_calls"),
                     "total_calls_today", (json_int_t)I("total_calls_today"), "total_sms", (json_int_t)I("total_sms"),
                     "total_organizations", (json_int_t)I("total_organizations"), "total_users",
                     (json_int_t)I("total_users"), "avg_call_duration_minutes", minutes(I("ans_dur"), I("answered")),
                     "queue_status", queue);
    json_object_set_new(*out, "total_sms_today", json_integer(I("total_sms_today")));
    json_object_set_new(*out, "active_sync_jobs", json_integer(I("active_jobs")));
    json_object_set_new(*out, "stale_queued_jobs", json_integer(I("stale_queued")));
    json_object_set_new(*out, "failed_sync_jobs_24h", json_integer(I("failed_jobs_24h")));
#undef I
    json_decref(row);
    return DB_OK;
}
