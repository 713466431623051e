/* job.c — owns the job life cycle in vs-sync: claiming (FOR UPDATE SKIP
 * LOCKED), leases and their expiry, running a claimed job through its stream,
 * and recording the end state (completed | failed | deferred). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "platform/activity.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_quota.h"
#include "sync.h"
#include "mightycall/sync_jobs.h"
#include "platform/live_pub.h"

void sync_owner_id(char out[128])
{
    char host[64] = "host";
    gethostname(host, sizeof host);
    host[sizeof host - 1] = 0;
    snprintf(out, 128, "%.60s:%d:%08x", host, (int)getpid(), randombytes_random());
}

int sync_requeue_expired(db_conn *db, long *requeued, long *failed)
{
    unsigned long long f = 0, q = 0;
    *requeued = *failed = 0;
    int rc = db_exec(db,
                     "UPDATE sync_jobs SET status = 'failed', completed_at = NOW(3), lease_owner = NULL, "
                     "lease_expires_at = NULL, error_message = CONCAT('the sync runner stopped responding ', attempts, "
                     "' times; giving up') WHERE status = 'running' AND lease_expires_at < NOW(3) "
                     "AND attempts >= max_attempts",
                     NULL, 0, &f);
    if (rc != DB_OK)
        return rc;
    rc = db_exec(db,
                 "UPDATE sync_jobs SET status = 'queued', run_after = NOW(3), lease_owner = NULL, "
                 "lease_expires_at = NULL, error_message = 'the previous runner stopped responding; re-queued' "
                 "WHERE status = 'running' AND lease_expires_at < NOW(3)",
                 NULL, 0, &q);
    *requeued = (long)q;
    *failed = (long)f;
    if (q || f)
        log_warn("sync: %ld job(s) whose runner died were re-queued, %ld failed after too many attempts", *requeued,
                 *failed);
    return rc;
}

#define TYPE_ORDER "FIELD(type, 'phone_numbers', 'extensions', 'calls', 'recordings', 'voicemails', 'sms', 'contacts', 'reports')"

int sync_claim(db_conn *db, const char *job_id, const char *org_filter, const char *owner, int lease_seconds,
               sync_ctx *ctx)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        int rc = db_begin(db);
        if (rc != DB_OK)
            return rc;
        json_t *row = NULL;
        if (job_id) {
            db_param p[] = {DBP_STR(job_id)};
            rc = db_query_row(db,
                              "SELECT id, org_id, integration_id, type, since, synced_count, new_count, updated_count, pages_done, "
                              "CAST(FLOOR(UNIX_TIMESTAMP(created_at) * 1000) AS SIGNED) AS created_ms, "
                              "items_done, requests_used FROM sync_jobs WHERE id = ? AND "
                              "status IN ('queued', 'deferred') FOR UPDATE SKIP LOCKED",
                              p, 1, &row);
        } else if (org_filter) {
            db_param p[] = {DBP_STR(org_filter)};
            rc = db_query_row(db,
                              "SELECT id, org_id, integration_id, type, since, synced_count, new_count, updated_count, pages_done, "
                              "CAST(FLOOR(UNIX_TIMESTAMP(created_at) * 1000) AS SIGNED) AS created_ms, "
                              "items_done, requests_used FROM sync_jobs WHERE status IN "
                              "('queued', 'deferred') AND run_after <= NOW(3) AND org_id = ? ORDER BY created_at, " TYPE_ORDER
                              ", id LIMIT 1 FOR UPDATE SKIP LOCKED",
                              p, 1, &row);
        } else {
            rc = db_query_row(db,
                              "SELECT id, org_id, integration_id, type, since, synced_count, new_count, updated_count, pages_done, "
                              "CAST(FLOOR(UNIX_TIMESTAMP(created_at) * 1000) AS SIGNED) AS created_ms, "
                              "items_done, requests_used FROM sync_jobs WHERE status IN "
                              "('queued', 'deferred') AND run_after <= NOW(3) ORDER BY created_at, " TYPE_ORDER
                              ", id LIMIT 1 FOR UPDATE SKIP LOCKED",
                              NULL, 0, &row);
        }
        if (rc != DB_OK || !row) {
            db_rollback(db);
            if (rc == DB_DEADLOCK)
                continue;
            return rc == DB_OK ? 0 : rc;
        }
        memset(ctx, 0, sizeof *ctx);
        snprintf(ctx->job_id, sizeof ctx->job_id, "%s", json_string_value(json_object_get(row, "id")));
        snprintf(ctx->org_id, sizeof ctx->org_id, "%s", json_string_value(json_object_get(row, "org_id")));
        const char *iid = json_string_value(json_object_get(row, "integration_id"));
        snprintf(ctx->integration_id, sizeof ctx->integration_id, "%s", iid ? iid : "");
        snprintf(ctx->type, sizeof ctx->type, "%s", json_string_value(json_object_get(row, "type")));
        const char *since = json_string_value(json_object_get(row, "since"));
        if (!since || !sync_parse_since(since, ctx->since))
            ctx->since[0] = 0;
        ctx->counts.synced = (long)json_integer_value(json_object_get(row, "synced_count"));
        ctx->counts.created = (long)json_integer_value(json_object_get(row, "new_count"));
        ctx->counts.updated = (long)json_integer_value(json_object_get(row, "updated_count"));
        ctx->pages = (long)json_integer_value(json_object_get(row, "pages_done"));
        ctx->items = (long)json_integer_value(json_object_get(row, "items_done"));
        ctx->requests_base = (long)json_integer_value(json_object_get(row, "requests_used"));
        ctx->created_ms = (long long)json_integer_value(json_object_get(row, "created_ms"));
        json_decref(row);
        snprintf(ctx->owner, sizeof ctx->owner, "%s", owner);
        ctx->lease_seconds = lease_seconds;
        db_param u[] = {DBP_STR(owner), DBP_INT(lease_seconds), DBP_STR(ctx->job_id)};
        rc = db_exec(db,
                     "UPDATE sync_jobs SET status = 'running', lease_owner = ?, lease_expires_at = NOW(3) + INTERVAL ? "
                     "SECOND, attempts = attempts + 1, started_at = NOW(3), completed_at = NULL WHERE id = ?",
                     u, 3, NULL);
        if (rc == DB_OK)
            rc = db_commit(db);
        else
            db_rollback(db);
        if (rc == DB_DEADLOCK)
            continue;
        if (rc == DB_OK && ctx->org_id[0])
            live_publish(ctx->org_id, LIVE_SYNC_JOB, ctx->job_id);
        return rc == DB_OK ? 1 : rc;
    }
    return DB_DEADLOCK;
}

static void wait_hook(void *arg, long wait_ms)
{
    sync_ctx *ctx = arg;
    log_fields f = {0};
    sync_log_fields(ctx, &f);
    lf_str(&f, "stream", ctx->stream[0] ? ctx->stream : "-");
    lf_int(&f, "wait_ms", wait_ms);
    lf_int(&f, "requests", ctx->requests_base + (ctx->mc ? mc_client_requests(ctx->mc) : 0));
    log_event(LOG_INFO, "sync_retry", &f);
    if (ctx->tty)
        sync_progress(ctx, wait_ms >= 1000 ? "waiting to retry" : "retrying");
    sync_renew_lease(ctx);
}

static void finish(db_conn *db, sync_ctx *ctx, sync_result r)
{
    int rc = DB_OK;
    db_param counts[] = {DBP_INT(ctx->counts.synced),
                         DBP_INT(ctx->counts.created),
                         DBP_INT(ctx->counts.updated),
                         DBP_INT(ctx->pages),
                         DBP_INT(ctx->items),
                         DBP_INT(ctx->requests_base + (ctx->mc ? mc_client_requests(ctx->mc) : 0))};
    const char *counts_sql = "synced_count = ?, new_count = ?, updated_count = ?, pages_done = ?, items_done = ?, "
                             "requests_used = ?";
    char sql[1024];
    switch (r) {
    case SYNC_OK: {
        snprintf(sql, sizeof sql,
                 "UPDATE sync_jobs SET status = 'completed', completed_at = NOW(3), error_message = NULL, "
                 "lease_owner = NULL, lease_expires_at = NULL, %s WHERE id = ? AND lease_owner = ?",
                 counts_sql);
        db_param p[] = {counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], DBP_STR(ctx->job_id),
                        DBP_STR(ctx->owner)};
        rc = db_exec(db, sql, p, DB_NPARAMS(p), NULL);
        if (ctx->integration_id[0]) {
            db_param ip[] = {DBP_STR(ctx->integration_id)};
            db_exec(db,
                    "UPDATE integrations SET last_sync_at = NOW(3), last_error = NULL, "
                    "status = IF(status = 'error', 'active', status) WHERE id = ?",
                    ip, 1, NULL);
        }
        break;
    }
    case SYNC_DEFERRED: {
        snprintf(sql, sizeof sql,
                 "UPDATE sync_jobs SET status = 'deferred', run_after = GREATEST(NOW(3), FROM_UNIXTIME(?)), "
                 "error_message = ?, attempts = GREATEST(attempts, 1) - 1, lease_owner = NULL, "
                 "lease_expires_at = NULL, %s WHERE id = ? AND lease_owner = ?",
                 counts_sql);
        db_param p[] = {DBP_INT(ctx->retry_at), DBP_STR(ctx->error), counts[0], counts[1], counts[2], counts[3],
                        counts[4], counts[5], DBP_STR(ctx->job_id), DBP_STR(ctx->owner)};
        rc = db_exec(db, sql, p, DB_NPARAMS(p), NULL);
        break;
    }
    case SYNC_FAILED:
    case SYNC_UNAVAILABLE: {
        snprintf(sql, sizeof sql,
                 "UPDATE sync_jobs SET status = 'failed', completed_at = NOW(3), error_message = ?, "
                 "lease_owner = NULL, lease_expires_at = NULL, %s WHERE id = ? AND lease_owner = ?",
                 counts_sql);
        db_param p[] = {DBP_STR(ctx->error), counts[0], counts[1], counts[2], counts[3], counts[4], counts[5],
                        DBP_STR(ctx->job_id), DBP_STR(ctx->owner)};
        rc = db_exec(db, sql, p, DB_NPARAMS(p), NULL);
        if (ctx->integration_id[0]) {
            db_param ip[] = {DBP_STR(ctx->error), DBP_STR(ctx->integration_id)};
            db_exec(db, "UPDATE integrations SET last_error = LEFT(?, 500) WHERE id = ?", ip, 2, NULL);
        }
        break;
    }
    case SYNC_LEASE_LOST:
        break;
    }
    /* the org's activity log: syncs that brought something, and failures */
    char desc[800];
    const char *what = sync_type_noun(ctx->type);
    if (r == SYNC_OK && (ctx->counts.created > 0 || ctx->counts.updated > 0)) {
        snprintf(desc, sizeof desc, "MightyCall sync of %s: %ld new, %ld updated", what, ctx->counts.created,
                 ctx->counts.updated);
        activity_record(db, ctx->org_id, NULL, "integration_sync", desc);
    } else if (r == SYNC_FAILED || r == SYNC_UNAVAILABLE || r == SYNC_DEFERRED) {
        snprintf(desc, sizeof desc, "MightyCall sync of %s %s: %.600s", what,
                 r == SYNC_DEFERRED ? "deferred" : "failed", ctx->error);
        activity_record(db, ctx->org_id, NULL, "integration_sync", desc);
    }
    if (rc != DB_OK)
        log_error("sync: could not record the end of job %s (database error); its lease will expire and it will be "
                  "re-queued",
                  ctx->job_id);
    else if (ctx->org_id[0])
        live_publish(ctx->org_id, LIVE_SYNC_JOB, ctx->job_id);
}

static sync_result dispatch(sync_ctx *ctx)
{
    static const struct {
        const char *type;
        sync_result (*fn)(sync_ctx *);
    } streams[] = {
        {"phone_numbers", stream_phone_numbers}, {"extensions", stream_extensions}, {"calls", stream_calls},
        {"recordings", stream_recordings},       {"voicemails", stream_voicemails}, {"sms", stream_sms},
        {"contacts", stream_contacts},           {"reports", stream_reports},
    };
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++)
        if (strcmp(ctx->type, streams[i].type) == 0)
            return streams[i].fn(ctx);
    snprintf(ctx->error, sizeof ctx->error, "unknown job type %s", ctx->type);
    return SYNC_FAILED;
}

sync_result sync_run_job(const vs_config *cfg, db_conn *db, sync_ctx *ctx)
{
    ctx->cfg = cfg;
    ctx->db = db;
    ctx->tty = isatty(STDERR_FILENO);
    ctx->last_renew = time(NULL);
    clock_gettime(CLOCK_MONOTONIC, &ctx->started);
    ctx->last_page = ctx->started;
    static char label[16];
    snprintf(label, sizeof label, "[%.8s]", ctx->org_id);
    ctx->label = label;
    mc_integration it;
    int rc = ctx->integration_id[0] ? integration_load(db, cfg, ctx->org_id, ctx->integration_id, &it)
                                    : INTEGRATION_NOT_FOUND;
    if (rc == INTEGRATION_NOT_FOUND)
        rc = integration_for_org(db, cfg, ctx->org_id, &it);
    sync_result r;
    if (rc < 0) {
        r = sync_from_db(ctx, rc, "loading the integration");
    } else if (rc == INTEGRATION_NOT_FOUND) {
        snprintf(ctx->error, sizeof ctx->error, "the organisation has no MightyCall integration");
        r = SYNC_FAILED;
    } else if (rc == INTEGRATION_DECRYPT_FAILED) {
        snprintf(ctx->error, sizeof ctx->error,
                 "the integration's credentials cannot be decrypted (was the master key changed?)");
        r = SYNC_FAILED;
    } else if (strcmp(it.status, "disabled") == 0) {
        snprintf(ctx->error, sizeof ctx->error, "the MightyCall integration is disabled");
        r = SYNC_FAILED;
    } else {
        snprintf(ctx->integration_id, sizeof ctx->integration_id, "%s", it.id);
        ctx->mc = integration_client(cfg, db, &it);
        if (!ctx->mc) {
            snprintf(ctx->error, sizeof ctx->error, "could not start the MightyCall client");
            r = SYNC_FAILED;
        } else {
            /* leave 5% of the daily quota for interactive use (SMS, status) */
            int budget = cfg->mc_daily_quota - cfg->mc_daily_quota / 20;
            mc_client_set_budget(ctx->mc, budget);
            mc_client_set_wait_hook(ctx->mc, wait_hook, ctx);
            long long used = 0;
            bool needs_upstream = strcmp(ctx->type, "reports") != 0;
            if (needs_upstream && mc_quota_used(db, it.key_fp, &used) == DB_OK && used >= budget) {
                ctx->retry_at = mc_quota_reset_at(time(NULL));
                snprintf(ctx->error, sizeof ctx->error,
                         "deferred: the daily MightyCall request budget (%d requests) is used up; work resumes after "
                         "00:00 UTC",
                         budget);
                r = SYNC_DEFERRED;
            } else {
                mc_org_timezone(db, ctx->org_id, ctx->tz);
                log_fields f = {0};
                sync_log_fields(ctx, &f);
                lf_int(&f, "pages_before", ctx->pages); /* > 0: a resumed job */
                log_event(LOG_INFO, "sync_job_start", &f);
                sync_progress(ctx, "started");
                r = dispatch(ctx);
            }
        }
    }
    integration_wipe(&it);
    if (r == SYNC_OK && ctx->lease_lost)
        r = SYNC_LEASE_LOST;
    finish(db, ctx, r);
    if (ctx->tty)
        fputc('\n', stderr);
    mc_client_free(ctx->mc);
    ctx->mc = NULL;
    json_decref(ctx->run_state);
    ctx->run_state = NULL;
    return r;
}

void sync_report_job(const sync_ctx *ctx, sync_result r)
{
    const char *word = r == SYNC_OK             ? "completed"
                       : r == SYNC_DEFERRED     ? "deferred"
                       : r == SYNC_LEASE_LOST   ? "abandoned"
                       : r == SYNC_UNAVAILABLE  ? "failed_unavailable"
                                                : "failed";
    /* one line per job end: the counts, and the plain-words error (never a secret) */
    log_fields f = {0};
    sync_log_fields(ctx, &f);
    lf_str(&f, "result", word);
    lf_int(&f, "synced", ctx->counts.synced);
    lf_int(&f, "new", ctx->counts.created);
    lf_int(&f, "updated", ctx->counts.updated);
    lf_int(&f, "pages", ctx->pages);
    lf_int(&f, "items", ctx->items);
    lf_num(&f, "duration_ms", sync_ms_since(&ctx->started), 1);
    if (r != SYNC_OK)
        lf_str(&f, "error", ctx->error);
    log_event(r == SYNC_OK ? LOG_INFO : LOG_WARN, "sync_job_end", &f);
}
