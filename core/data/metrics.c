/* metrics.c — owns the org and platform metrics (SQL in core/data/data_sql.c). */
#include "data/metrics.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "data/data_list.h"
#include "data/data_sql.h"
#include "platform/json_out.h"

#define LIVE_CALL_WINDOW_MS (4LL * 3600 * 1000) /* a "ringing" call older than this is stale */

static double minutes(long long seconds_sum, long long n)
{
    if (n <= 0)
        return 0;
    double m = (double)seconds_sum / (double)n / 60.0;
    return (double)(long long)(m * 100.0 + 0.5) / 100.0;
}

/* The org's "today" and its day and month starts in UTC (DSQL_ORG_NOW) move
 * only at a local midnight: a thread remembers them per time zone until the
 * next local midnight (DSQL_ORG_NOW gives it in UTC, so DST days of 23 or 25
 * hours are exact) and for at most an hour, so most metrics requests skip
 * that statement; "now" is then this host's clock. */
#define DAY_MEMORY 8
typedef struct {
    char tz[64];
    char today[11];
    long long today_ms, month_ms, until_ms; /* until_ms 0: free */
} org_day;
static _Thread_local org_day day_memory[DAY_MEMORY];

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const org_day *day_recall(const char *tz, long long now_ms)
{
    for (int i = 0; tz && i < DAY_MEMORY; i++)
        if (day_memory[i].until_ms > now_ms && now_ms >= day_memory[i].today_ms && strcmp(day_memory[i].tz, tz) == 0)
            return &day_memory[i];
    return NULL;
}

static void day_remember(const char *tz, const char *today, long long today_ms, long long month_ms,
                         long long tomorrow_ms, long long now_ms)
{
    if (!tz || !today || strlen(tz) >= sizeof day_memory[0].tz || strlen(today) != 10)
        return;
    org_day *slot = &day_memory[0];
    for (int i = 0; i < DAY_MEMORY; i++) {
        if (strcmp(day_memory[i].tz, tz) == 0 || day_memory[i].until_ms <= now_ms) {
            slot = &day_memory[i];
            break;
        }
        if (day_memory[i].until_ms < slot->until_ms)
            slot = &day_memory[i];
    }
    snprintf(slot->tz, sizeof slot->tz, "%s", tz);
    memcpy(slot->today, today, 11);
    slot->today_ms = today_ms;
    slot->month_ms = month_ms;
    long long hour = now_ms + 3600LL * 1000;
    slot->until_ms = tomorrow_ms < hour ? tomorrow_ms : hour;
}

int metrics_org(db_conn *db, const char *org_id, const char *tz_hint, char **body, size_t *body_len)
{
    *body = NULL;
    *body_len = 0;
    long long now_ms = wall_ms(), today_ms, month_ms;
    char tz[64], today[11];
    const org_day *d = day_recall(tz_hint, now_ms);
    if (d) {
        memcpy(tz, d->tz, sizeof tz);
        memcpy(today, d->today, sizeof today);
        today_ms = d->today_ms;
        month_ms = d->month_ms;
    } else {
        json_t *now = NULL;
        db_param op[] = {DBP_STR(org_id)};
        int rc = db_query_row(db, DSQL_ORG_NOW, op, 1, &now);
        if (rc != DB_OK || !now) {
            json_decref(now);
            return rc == DB_OK ? DB_ERROR : rc;
        }
        now_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "now_utc")));
        today_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "today_utc")));
        month_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "month_utc")));
        long long tomorrow_ms = dl_parse_sql_time(json_string_value(json_object_get(now, "tomorrow_utc")));
        const char *z = json_string_value(json_object_get(now, "timezone"));
        const char *t = json_string_value(json_object_get(now, "today"));
        snprintf(tz, sizeof tz, "%s", z ? z : "UTC");
        snprintf(today, sizeof today, "%s", t ? t : "");
        day_remember(tz, today, today_ms, month_ms, tomorrow_ms, now_ms);
        json_decref(now);
    }
    long long end_ms = now_ms + 1; /* include rows stamped this very millisecond */
    dl_plan t, m;
    dl_plan_make(today_ms, end_ms, &t);
    dl_plan_make(month_ms, end_ms, &m);
#define PERIOD(pl)                                                                                         \
    DBP_STR(org_id), DBP_STR(pl.edge[0]), DBP_STR(pl.edge[1]), DBP_STR(pl.edge[2]), DBP_STR(pl.edge[3]),   \
        DBP_STR(org_id), DBP_STR(pl.hour[0]), DBP_STR(pl.hour[1]), DBP_STR(pl.hour[2]), DBP_STR(pl.hour[3]), \
        DBP_STR(org_id), DBP_STR(pl.day[0]), DBP_STR(pl.day[1])
    char live_since[DL_TIME_LEN];
    dl_sql_time(now_ms - LIVE_CALL_WINDOW_MS, live_since);
    db_param p[] = {PERIOD(t), PERIOD(m), PERIOD(t), PERIOD(m), PERIOD(t), PERIOD(t),
                    DBP_STR(org_id), DBP_STR(live_since), DBP_STR(org_id)};
#undef PERIOD
    json_t *rows = NULL;
    int rc = db_query(db, DSQL_METRICS_ORG, p, DB_NPARAMS(p), &rows);
    if (rc != DB_OK)
        return rc;
    long long v[7][6]; /* by period: 1 calls today, 2 calls this month, 3 / 4 SMS, 5 inbound today, 6 missed today */
    memset(v, 0, sizeof v);
    static const char *const cols[] = {"n", "answered", "dur_sum", "ans_dur_sum", "wait_sum", "wait_n"};
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        long long per = json_integer_value(json_object_get(r, "p"));
        if (per < 1 || per > 6)
            continue;
        for (int c = 0; c < 6; c++)
            v[per][c] = json_integer_value(json_object_get(r, cols[c]));
    }
    json_t *agents = json_array_get(rows, 0); /* the agents' counts are on every row */
#define A(k) json_integer_value(json_object_get(agents, k))
    long long available = A("available");
    json_buf b = {0};
    static const char *const first[] = {"{\"calls_today\":", ",\"calls_this_month\":", ",\"sms_today\":",
                                        ",\"sms_this_month\":"};
    for (int k = 0; k < 4; k++) {
        jb_lit(&b, first[k]);
        jb_int(&b, v[k + 1][0]);
    }
    jb_lit(&b, ",\"avg_call_duration_minutes\":");
    jb_real(&b, minutes(v[2][3], v[2][1]));
    jb_lit(&b, ",\"queue_wait_minutes\":");
    jb_real(&b, minutes(v[2][4], v[2][5]));
    jb_lit(&b, ",\"agents_online\":");
    jb_int(&b, A("online"));
    jb_lit(&b, ",\"agents_idle\":");
    jb_int(&b, available - A("available_on_call"));
    jb_lit(&b, ",\"answered_today\":");
    jb_int(&b, v[1][1]);
    jb_lit(&b, ",\"missed_today\":");
    jb_int(&b, v[6][0]);
    jb_lit(&b, ",\"inbound_today\":");
    jb_int(&b, v[5][0]);
    jb_lit(&b, ",\"inbound_answered_today\":");
    jb_int(&b, v[5][1]);
    jb_lit(&b, ",\"agents_available\":");
    jb_int(&b, available);
    jb_lit(&b, ",\"agents_dnd\":");
    jb_int(&b, A("dnd"));
    jb_lit(&b, ",\"agents_on_call\":");
    jb_int(&b, A("on_call"));
#undef A
    jb_lit(&b, ",\"timezone\":");
    jb_str(&b, tz, strlen(tz));
    jb_lit(&b, ",\"today\":");
    jb_str(&b, today, strlen(today));
    static const char *const marks_keys[] = {",\"today_starts_at\":", ",\"month_starts_at\":", ",\"as_of\":"};
    long long marks[3] = {today_ms, month_ms, now_ms};
    for (int k = 0; k < 3; k++) {
        char s[DL_TIME_LEN], iso[24];
        dl_sql_time(marks[k], s);
        snprintf(iso, sizeof iso, "%.10sT%.8sZ", s, s + 11);
        jb_lit(&b, marks_keys[k]);
        jb_str(&b, iso, strlen(iso));
    }
    jb_lit(&b, "}");
    json_decref(rows);
    *body = jb_take(&b, body_len);
    return *body ? DB_OK : DB_ERROR;
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
