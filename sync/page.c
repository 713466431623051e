/* page.c — owns the per-page transaction (data + cursor + job progress under
 * the lease), cursor loading, windows and progress output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/log.h"
#include "data/data_version.h"
#include "mightycall/mc_parse.h"
#include "sync.h"
#include "platform/activity.h"
#include "platform/live_pub.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sync_cursor_load(sync_ctx *ctx, const char *stream)
{
    snprintf(ctx->stream, sizeof ctx->stream, "%s", stream);
    ctx->cursor[0] = 0;
    json_decref(ctx->run_state);
    ctx->run_state = NULL;
    json_t *row = NULL;
    db_param p[] = {DBP_STR(ctx->integration_id), DBP_STR(stream)};
    int rc = db_query_row(ctx->db,
                          "SELECT cursor_value, run_state AS run_state__json FROM sync_cursors "
                          "WHERE integration_id = ? AND stream = ?",
                          p, 2, &row);
    if (rc == DB_OK && row) {
        const char *cv = json_string_value(json_object_get(row, "cursor_value"));
        snprintf(ctx->cursor, sizeof ctx->cursor, "%s", cv ? cv : "");
        json_t *rs = json_object_get(row, "run_state");
        if (json_is_object(rs))
            ctx->run_state = json_incref(rs);
    }
    json_decref(row);
    return rc;
}

typedef struct {
    sync_ctx *ctx;
    sync_page_fn fn;
    void *arg;
    long items;
    mc_counts page;
    bool lease_lost;
} commit_arg;

static int commit_tx(db_conn *db, void *a)
{
    commit_arg *ca = a;
    sync_ctx *ctx = ca->ctx;
    memset(&ca->page, 0, sizeof ca->page);
    ca->lease_lost = false;
    int rc = DB_OK;
    if (ca->fn)
        rc = ca->fn(ctx, ca->arg, &ca->page);
    if (rc != DB_OK)
        return rc;
    char *rs = ctx->run_state ? json_dumps(ctx->run_state, JSON_COMPACT) : NULL;
    db_param cp[] = {DBP_STR(ctx->integration_id), DBP_STR(ctx->stream), DBP_STR(ctx->org_id),
                     DBP_STR(ctx->cursor[0] ? ctx->cursor : NULL), DBP_STR(rs), DBP_STR(ctx->job_id)};
    rc = db_exec(db,
                 "INSERT INTO sync_cursors (integration_id, stream, org_id, cursor_value, run_state, last_job_id) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE cursor_value = VALUES(cursor_value), "
                 "run_state = VALUES(run_state), last_job_id = VALUES(last_job_id)",
                 cp, DB_NPARAMS(cp), NULL);
    free(rs);
    if (rc != DB_OK)
        return rc;
    unsigned long long affected = 0;
    db_param jp[] = {DBP_INT(ctx->pages + (ca->fn ? 1 : 0)),
                     DBP_INT(ctx->items + ca->items),
                     DBP_INT(ctx->counts.synced + ca->page.synced),
                     DBP_INT(ctx->counts.created + ca->page.created),
                     DBP_INT(ctx->counts.updated + ca->page.updated),
                     DBP_INT(ctx->requests_base + (ctx->mc ? mc_client_requests(ctx->mc) : 0)),
                     DBP_INT(ctx->lease_seconds),
                     DBP_STR(ctx->job_id),
                     DBP_STR(ctx->owner)};
    rc = db_exec(db,
                 "UPDATE sync_jobs SET pages_done = ?, items_done = ?, synced_count = ?, new_count = ?, "
                 "updated_count = ?, requests_used = ?, lease_expires_at = NOW(3) + INTERVAL ? SECOND "
                 "WHERE id = ? AND lease_owner = ? AND status = 'running'",
                 jp, DB_NPARAMS(jp), &affected);
    if (rc != DB_OK)
        return rc;
    if (affected == 0) {
        ca->lease_lost = true;
        return DB_ERROR; /* roll everything back: the job is someone else's now */
    }
    return org_data_version_bump(db, ctx->org_id);
}

sync_result sync_commit_page(sync_ctx *ctx, sync_page_fn fn, void *arg, long items)
{
    if (ctx->lease_lost)
        return SYNC_LEASE_LOST;
    commit_arg ca = {.ctx = ctx, .fn = fn, .arg = arg, .items = items};
    int rc = db_transaction(ctx->db, commit_tx, &ca);
    if (ca.lease_lost) {
        ctx->lease_lost = true;
        snprintf(ctx->error, sizeof ctx->error, "the job's lease was taken over by another runner");
        return SYNC_LEASE_LOST;
    }
    if (rc != DB_OK)
        return sync_from_db(ctx, rc, "saving a page");
    if (fn)
        ctx->pages++;
    ctx->items += items;
    ctx->counts.synced += ca.page.synced;
    ctx->counts.created += ca.page.created;
    ctx->counts.updated += ca.page.updated;
    ctx->last_renew = time(NULL);
    if (fn && ctx->org_id[0]) { /* the dashboard: data of this stream changed, the job moved on */
        const char *kind = strcmp(ctx->stream, "calls") == 0 || strcmp(ctx->stream, "recordings") == 0 ? LIVE_CALL
                           : strcmp(ctx->stream, "sms") == 0                                             ? LIVE_SMS
                           : strcmp(ctx->stream, "voicemails") == 0                                      ? LIVE_VOICEMAIL
                                                                                                         : NULL;
        if (kind && (ca.page.created > 0 || ca.page.updated > 0)) {
            /* the activity feed: recent missed calls and voicemails, once each */
            if (strcmp(kind, LIVE_SMS) != 0 && activity_record_missed(ctx->db, ctx->org_id, NULL) != DB_OK)
                log_warn("sync: missed calls of org %s not recorded in the activity feed", ctx->org_id);
            live_publish(ctx->org_id, kind, NULL);
        }
        live_publish(ctx->org_id, LIVE_SYNC_JOB, ctx->job_id);
    }
    if (fn && log_enabled(LOG_INFO)) { /* one line per page written */
        log_fields f = {0};
        sync_log_fields(ctx, &f);
        lf_str(&f, "stream", ctx->stream);
        lf_int(&f, "page", ctx->pages);
        lf_int(&f, "items", items);
        lf_int(&f, "synced", ca.page.synced);
        lf_int(&f, "new", ca.page.created);
        lf_int(&f, "updated", ca.page.updated);
        lf_int(&f, "requests", ctx->requests_base + (ctx->mc ? mc_client_requests(ctx->mc) : 0));
        lf_num(&f, "duration_ms", sync_ms_since(&ctx->last_page), 1);
        log_event(LOG_INFO, "sync_page", &f);
    }
    clock_gettime(CLOCK_MONOTONIC, &ctx->last_page);
    return SYNC_OK;
}

void sync_log_fields(const sync_ctx *ctx, log_fields *f)
{
    lf_str(f, "job_id", ctx->job_id);
    lf_str(f, "type", ctx->type);
    lf_str(f, "org", ctx->org_id[0] ? ctx->org_id : "-");
    lf_str(f, "integration", ctx->integration_id[0] ? ctx->integration_id : "-");
}

double sync_ms_since(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!since->tv_sec && !since->tv_nsec)
        return 0;
    return (double)(now.tv_sec - since->tv_sec) * 1000.0 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

bool sync_renew_lease(sync_ctx *ctx)
{
    if (ctx->lease_lost)
        return false;
    unsigned long long affected = 0;
    db_param p[] = {DBP_INT(ctx->lease_seconds),
                    DBP_INT(ctx->requests_base + (ctx->mc ? mc_client_requests(ctx->mc) : 0)),
                    DBP_STR(ctx->job_id), DBP_STR(ctx->owner)};
    int rc = db_exec(ctx->db,
                     "UPDATE sync_jobs SET lease_expires_at = NOW(3) + INTERVAL ? SECOND, requests_used = ? "
                     "WHERE id = ? AND lease_owner = ? AND status = 'running'",
                     p, 4, &affected);
    if (rc == DB_OK && affected == 0) {
        ctx->lease_lost = true;
        return false;
    }
    ctx->last_renew = time(NULL);
    return true;
}

sync_result sync_from_mc(sync_ctx *ctx, const mc_error *err, const char *what)
{
    switch (err->status) {
    case MC_ERR_QUOTA:
        ctx->retry_at = err->retry_at ? err->retry_at : time(NULL) + 3600;
        snprintf(ctx->error, sizeof ctx->error, "deferred while %s: %s", what, err->message);
        return SYNC_DEFERRED;
    case MC_ERR_UNAVAILABLE:
        snprintf(ctx->error, sizeof ctx->error, "%s while %s", err->message, what);
        return SYNC_UNAVAILABLE;
    case MC_ERR_DB:
        snprintf(ctx->error, sizeof ctx->error, "%s while %s", err->message, what);
        return SYNC_UNAVAILABLE;
    default:
        snprintf(ctx->error, sizeof ctx->error, "%s while %s", err->message, what);
        return SYNC_FAILED;
    }
}

sync_result sync_from_db(sync_ctx *ctx, int rc, const char *what)
{
    if (rc == DB_UNAVAILABLE) {
        snprintf(ctx->error, sizeof ctx->error, "the database became unavailable while %s", what);
        return SYNC_UNAVAILABLE;
    }
    log_error("sync: database error while %s: %s", what, db_last_error(ctx->db));
    snprintf(ctx->error, sizeof ctx->error, "a database error occurred while %s", what);
    return SYNC_FAILED;
}

void sync_progress(sync_ctx *ctx, const char *what)
{
    if (ctx->tty) {
        fprintf(stderr, "\r\033[K%s %s: %s — %ld pages, %ld items (%ld new, %ld updated), %d requests", ctx->label,
                ctx->type, what, ctx->pages, ctx->items, ctx->counts.created, ctx->counts.updated,
                ctx->mc ? mc_client_requests(ctx->mc) : 0);
        fflush(stderr);
    } else if (log_enabled(LOG_DEBUG)) { /* sync_page / sync_job_* lines carry the counts at info */
        log_fields f = {0};
        sync_log_fields(ctx, &f);
        lf_str(&f, "stage", what);
        lf_int(&f, "pages", ctx->pages);
        lf_int(&f, "items", ctx->items);
        log_event(LOG_DEBUG, "sync_progress", &f);
    }
}

/* ---- windows ---- */

long long sync_state_int(sync_ctx *ctx, const char *key, long long dflt)
{
    json_t *v = json_object_get(ctx->run_state, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

const char *sync_state_str(sync_ctx *ctx, const char *key, const char *dflt)
{
    json_t *v = json_object_get(ctx->run_state, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

void sync_state_set_int(sync_ctx *ctx, const char *key, long long v)
{
    if (ctx->run_state)
        json_object_set_new(ctx->run_state, key, json_integer(v));
}

void sync_state_set_str(sync_ctx *ctx, const char *key, const char *v)
{
    if (ctx->run_state)
        json_object_set_new(ctx->run_state, key, json_string(v));
}

void sync_window_begin(sync_ctx *ctx, long overlap_s, long lookback_days, sync_window *w)
{
    long long now = now_ms();
    json_t *rs = ctx->run_state;
    const char *rs_job = json_string_value(json_object_get(rs, "job"));
    long long rs_from = json_integer_value(json_object_get(rs, "from"));
    long long rs_to = json_integer_value(json_object_get(rs, "to"));
    bool have_rs = rs && rs_to > 0 && rs_from > 0 && rs_from <= rs_to;
    /* an unfinished run is resumed, unless this job asks for an explicit start of its own */
    if (have_rs && (!ctx->since[0] || (rs_job && strcmp(rs_job, ctx->job_id) == 0))) {
        w->from_ms = rs_from;
        w->to_ms = rs_to;
        json_object_set_new(rs, "job", json_string(ctx->job_id));
        w->pos = rs;
        log_info("sync %s: resuming an unfinished run", ctx->type);
        return;
    }
    long long from;
    if (ctx->since[0]) {
        from = mc_time_ms(ctx->since);
    } else if (ctx->cursor[0] && mc_time_ms(ctx->cursor) > 0) {
        from = mc_time_ms(ctx->cursor) - overlap_s * 1000LL;
    } else {
        from = now - lookback_days * 86400000LL;
    }
    if (from < 0 || from > now)
        from = now - lookback_days * 86400000LL;
    json_decref(ctx->run_state);
    ctx->run_state = json_pack("{s:I, s:I, s:s}", "from", (json_int_t)from, "to", (json_int_t)now, "job", ctx->job_id);
    w->from_ms = from;
    w->to_ms = now;
    w->pos = ctx->run_state;
}

void sync_window_finish(sync_ctx *ctx, const sync_window *w)
{
    char iso[32];
    mc_iso_from_ms(w->to_ms, iso);
    /* never move the high-water mark backwards (an explicit --since run of old data) */
    if (!(ctx->cursor[0] && mc_time_ms(ctx->cursor) > w->to_ms))
        snprintf(ctx->cursor, sizeof ctx->cursor, "%s", iso);
    json_decref(ctx->run_state);
    ctx->run_state = NULL;
}

bool sync_parse_since(const char *arg, char out[32])
{
    char t[MC_TIME_LEN];
    if (!arg || mc_parse_time(arg, t) != 0)
        return false;
    snprintf(out, 32, "%s", t);
    return true;
}

int sync_exit_code(int n_failed, int n_unavailable, int n_deferred)
{
    if (n_failed)
        return 1;
    if (n_unavailable)
        return 3;
    if (n_deferred)
        return 4;
    return 0;
}
