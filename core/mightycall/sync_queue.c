/* sync_queue.c — queue health of one org and cancelling a job that has not
 * started (see sync_queue.h). */
#include "mightycall/sync_queue.h"

#include <stdio.h>
#include <string.h>

#include "mightycall/sync_jobs.h"

vs_result sync_queue_status(db_conn *db, const char *org_id, json_t **out)
{
    *out = NULL;
    /* active jobs only: the (org_id, active_type) key holds them all */
    db_param p[] = {DBP_STR(org_id), DBP_STR(org_id)};
    json_t *row = NULL;
    int rc = db_query_row(db,
                          "SELECT CAST(COALESCE(SUM(status = 'queued' AND run_after <= NOW(3)), 0) AS INTEGER) AS queued, "
                          "CAST(COALESCE(SUM(status = 'running'), 0) AS INTEGER) AS running, "
                          "CAST(COALESCE(SUM(status = 'deferred' OR (status = 'queued' AND run_after > NOW(3))), 0) "
                          "AS INTEGER) AS deferred, "
                          "MIN(IF(status = 'queued' AND run_after <= NOW(3), run_after, NULL)) AS oldest_queued_at, "
                          "TIMESTAMPDIFF(SECOND, MIN(IF(status = 'queued' AND run_after <= NOW(3), run_after, NULL)), "
                          "NOW(3)) AS oldest_wait_seconds, "
                          "(SELECT MAX(s.started_at) FROM sync_jobs s WHERE s.org_id = ?) AS last_started_at "
                          "FROM sync_jobs WHERE org_id = ? AND active_type IS NOT NULL",
                          p, 2, &row);
    if (rc != DB_OK)
        return rc;
    if (!row)
        return VS_ERR_INTERNAL;
    json_t *wait = json_object_get(row, "oldest_wait_seconds");
    bool stalled = json_is_integer(wait) && json_integer_value(wait) > SYNC_QUEUE_STALL_SECONDS;
    json_t *o = json_object();
    json_object_set_new(o, "org_id", json_string(org_id));
    static const char *const keys[] = {"queued", "running", "deferred", "oldest_queued_at", "oldest_wait_seconds",
                                       "last_started_at"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(row, keys[i]);
        json_object_set(o, keys[i], v ? v : json_null());
    }
    json_object_set_new(o, "stalled", json_boolean(stalled));
    json_object_set_new(o, "stall_after_seconds", json_integer(SYNC_QUEUE_STALL_SECONDS));
    json_decref(row);
    *out = o;
    return VS_OK;
}

vs_result sync_job_cancel(db_conn *db, const char *org_id, const char *job_id, json_t **job, char why[160])
{
    *job = NULL;
    why[0] = 0;
    db_param p[] = {DBP_STR(job_id), DBP_STR(org_id)};
    unsigned long long changed = 0;
    /* a claim holds the row locked while it turns it to running: this waits
     * for it and then finds the job no longer queued */
    int rc = db_exec(db,
                     "UPDATE sync_jobs SET status = 'cancelled', completed_at = NOW(3), lease_owner = NULL, "
                     "lease_expires_at = NULL, error_message = 'cancelled before it ran' "
                     "WHERE id = ? AND org_id = ? AND status IN ('queued', 'deferred')",
                     p, 2, &changed);
    if (rc != DB_OK)
        return rc;
    rc = sync_job_fetch(db, job_id, job);
    if (rc != DB_OK)
        return rc;
    const char *owner = *job ? json_string_value(json_object_get(*job, "org_id")) : NULL;
    if (!owner || strcmp(owner, org_id) != 0) {
        json_decref(*job);
        *job = NULL;
        snprintf(why, 160, "sync job not found");
        return VS_ERR_NOT_FOUND;
    }
    if (changed)
        return VS_OK;
    snprintf(why, 160, "the sync job is %s; only a queued or deferred job can be cancelled",
             json_string_value(json_object_get(*job, "status")));
    return VS_ERR_CONFLICT;
}
