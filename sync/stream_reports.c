/* stream_reports.c — call_reports_daily recomputed from the stored calls (no
 * MightyCall requests). Incremental: the local days (org time zone) of every
 * call changed since the cursor (newest calls.updated_at seen, minus 5 minutes)
 * — calls written by the calls stream, webhooks or edits. --since DATE
 * recomputes every day from DATE to today (e.g. after a time zone change). */
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"
#include "sync.h"

#define OVERLAP_S 300

typedef struct {
    json_t *days; /* array of "YYYY-MM-DD" */
} page_arg;

static int write_page(sync_ctx *ctx, void *a, mc_counts *n)
{
    page_arg *pa = a;
    size_t i;
    json_t *d;
    json_array_foreach(pa->days, i, d)
    {
        const char *day = json_string_value(d);
        long rows = 0, created = 0, changed = 0;
        int rc = mc_reports_recompute_days(ctx->db, ctx->org_id, ctx->tz, day, day, &rows, &created, &changed);
        if (rc != DB_OK)
            return rc;
        n->synced += rows;
        n->created += created;
        n->updated += changed;
    }
    return DB_OK;
}

sync_result stream_reports(sync_ctx *ctx)
{
    if (sync_cursor_load(ctx, "reports") != DB_OK)
        return sync_from_db(ctx, DB_UNAVAILABLE, "reading the cursor");
    json_decref(ctx->run_state);
    ctx->run_state = NULL;
    json_t *rows = NULL, *info = NULL;
    int rc;
    if (ctx->since[0]) {
        /* every local day since DATE that has calls, or a report row to remove */
        db_param p[] = {DBP_STR(ctx->tz), DBP_STR(ctx->org_id), DBP_STR(ctx->since), DBP_STR(ctx->org_id),
                        DBP_STR(ctx->since), DBP_STR(ctx->tz)};
        rc = db_query(ctx->db,
                      "SELECT CAST(DATE(CONVERT_TZ(started_at, '+00:00', ?)) AS CHAR) AS day FROM calls "
                      "WHERE org_id = ? AND started_at >= ? UNION SELECT CAST(day AS CHAR) FROM call_reports_daily "
                      "WHERE org_id = ? AND day >= DATE(CONVERT_TZ(CAST(? AS DATETIME(3)), '+00:00', ?)) ORDER BY day",
                      p, 6, &rows);
    } else {
        char since[MC_TIME_LEN] = "1970-01-01 00:00:01.000";
        if (ctx->cursor[0] && mc_time_ms(ctx->cursor) > OVERLAP_S * 1000LL)
            mc_sql_from_ms(mc_time_ms(ctx->cursor) - OVERLAP_S * 1000LL, since);
        db_param p[] = {DBP_STR(ctx->tz), DBP_STR(ctx->org_id), DBP_STR(since)};
        rc = db_query(ctx->db,
                      "SELECT DISTINCT CAST(DATE(CONVERT_TZ(started_at, '+00:00', ?)) AS CHAR) AS day FROM calls "
                      "WHERE org_id = ? AND updated_at > ? ORDER BY day",
                      p, 3, &rows);
        if (rc == DB_OK) {
            db_param q[] = {DBP_STR(ctx->org_id), DBP_STR(since)};
            rc = db_query_row(ctx->db,
                              "SELECT MAX(updated_at) AS newest FROM calls WHERE org_id = ? AND updated_at > ?", q, 2,
                              &info);
        }
    }
    if (rc != DB_OK) {
        json_decref(rows);
        return sync_from_db(ctx, rc, "finding the days to recompute");
    }
    json_t *days = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_t *d = json_object_get(r, "day");
        if (json_is_string(d))
            json_array_append(days, d);
    }
    json_decref(rows);
    const char *newest = json_string_value(json_object_get(info, "newest"));
    if (newest) {
        char t[MC_TIME_LEN];
        if (mc_parse_time(newest, t) == 0 && (!ctx->cursor[0] || mc_time_ms(t) > mc_time_ms(ctx->cursor)))
            mc_iso_from_ms(mc_time_ms(t), ctx->cursor);
    }
    json_decref(info);
    page_arg pa = {.days = days};
    sync_result res = sync_commit_page(ctx, write_page, &pa, (long)json_array_size(days));
    json_decref(days);
    if (res == SYNC_OK)
        sync_progress(ctx, "done");
    return res;
}
