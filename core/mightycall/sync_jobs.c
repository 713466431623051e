/* sync_jobs.c — owns job creation with de-duplication and the API shape of a
 * job; claiming and running live in sync/. */
#include "mightycall/sync_jobs.h"
#include "platform/live_pub.h"

#include <ctype.h>

#include "platform/rate_counter.h"

#include <stdio.h>
#include <string.h>

const char *const sync_types[SYNC_TYPE_COUNT] = {"phone_numbers", "extensions", "calls",    "recordings",
                                                 "voicemails",    "sms",        "contacts", "reports"};

static const char *const nouns[SYNC_TYPE_COUNT] = {"numbers",    "extensions", "calls",    "recordings",
                                                   "voicemails", "messages",   "contacts", "reports"};

bool sync_type_valid(const char *type)
{
    for (int i = 0; type && i < SYNC_TYPE_COUNT; i++)
        if (strcmp(type, sync_types[i]) == 0)
            return true;
    return false;
}

const char *sync_type_noun(const char *type)
{
    for (int i = 0; type && i < SYNC_TYPE_COUNT; i++)
        if (strcmp(type, sync_types[i]) == 0)
            return nouns[i];
    return "items";
}

int sync_job_enqueue(db_conn *db, const char *org_id, const char *integration_id, const char *type,
                     const char *since, const char *trigger, const char *requested_by, char job_id[40],
                     bool *created)
{
    *created = false;
    job_id[0] = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        json_t *row = NULL;
        int rc = db_query_row(db, "SELECT UUID() AS id", NULL, 0, &row);
        if (rc != DB_OK)
            return rc;
        snprintf(job_id, 40, "%s", json_string_value(json_object_get(row, "id")));
        json_decref(row);
        db_param p[] = {DBP_STR(job_id),  DBP_STR(org_id),       DBP_STR(integration_id), DBP_STR(type),
                        DBP_STR(trigger), DBP_STR(requested_by), DBP_STR(since)};
        rc = db_exec(db,
                     "INSERT INTO sync_jobs (id, org_id, integration_id, type, trigger_source, requested_by, since) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     p, DB_NPARAMS(p), NULL);
        if (rc == DB_OK) {
            *created = true;
            live_publish(org_id, LIVE_SYNC_JOB, job_id);
            return DB_OK;
        }
        if (rc != DB_DUPLICATE)
            return rc;
        /* an active job of this org and type exists: hand it back */
        db_param q[] = {DBP_STR(org_id), DBP_STR(type)};
        rc = db_query_row(db, "SELECT id FROM sync_jobs WHERE org_id = ? AND active_type = ?", q, 2, &row);
        if (rc != DB_OK)
            return rc;
        if (!row)
            continue; /* it finished meanwhile: try again */
        snprintf(job_id, 40, "%s", json_string_value(json_object_get(row, "id")));
        json_decref(row);
        if (since) {
            db_param u[] = {DBP_STR(since), DBP_STR(since), DBP_STR(job_id)};
            db_exec(db,
                    "UPDATE sync_jobs SET since = IF(since IS NULL, ?, LEAST(since, ?)) "
                    "WHERE id = ? AND status IN ('queued', 'deferred')",
                    u, 3, NULL);
        }
        return DB_OK;
    }
    return DB_ERROR;
}

const char *const SYNC_JOB_COLUMNS =
    "j.id, j.org_id, j.integration_id, j.type, j.status, j.trigger_source, j.since, j.attempts, j.max_attempts, "
    "j.synced_count, j.new_count, j.updated_count, j.pages_done, j.items_done, j.requests_used, j.error_message, "
    "j.run_after, j.created_at, j.started_at, j.completed_at, j.updated_at, j.lease_expires_at";

static void move(json_t *dst, const char *dk, json_t *src, const char *sk)
{
    json_t *v = json_object_get(src, sk);
    json_object_set(dst, dk, v ? v : json_null());
}

json_t *sync_job_json(json_t *row)
{
    json_t *o = json_object();
    const char *type = json_string_value(json_object_get(row, "type"));
    const char *noun = sync_type_noun(type);
    move(o, "id", row, "id");
    move(o, "org_id", row, "org_id");
    move(o, "integration_id", row, "integration_id");
    move(o, "type", row, "type");
    move(o, "status", row, "status");
    move(o, "trigger", row, "trigger_source");
    json_t *result = json_object();
    char k[64];
    move(result, "synced_count", row, "synced_count");
    snprintf(k, sizeof k, "new_%s", noun);
    move(result, k, row, "new_count");
    snprintf(k, sizeof k, "updated_%s", noun);
    move(result, k, row, "updated_count");
    move(result, "new", row, "new_count");
    move(result, "updated", row, "updated_count");
    json_object_set_new(o, "result", result);
    json_t *progress = json_object();
    move(progress, "pages_done", row, "pages_done");
    move(progress, "items_done", row, "items_done");
    move(progress, "requests_used", row, "requests_used");
    json_object_set_new(o, "progress", progress);
    move(o, "error_message", row, "error_message");
    move(o, "attempts", row, "attempts");
    move(o, "max_attempts", row, "max_attempts");
    move(o, "since", row, "since");
    const char *st = json_string_value(json_object_get(row, "status"));
    if (st && (strcmp(st, "deferred") == 0 || strcmp(st, "queued") == 0))
        move(o, "run_after", row, "run_after");
    else
        json_object_set_new(o, "run_after", json_null());
    move(o, "created_at", row, "created_at");
    move(o, "started_at", row, "started_at");
    move(o, "completed_at", row, "completed_at");
    move(o, "updated_at", row, "updated_at");
    return o;
}

int sync_job_fetch(db_conn *db, const char *job_id, json_t **job)
{
    char sql[1024];
    *job = NULL;
    snprintf(sql, sizeof sql, "SELECT %s FROM sync_jobs j WHERE j.id = ?", SYNC_JOB_COLUMNS);
    db_param p[] = {DBP_STR(job_id)};
    json_t *row = NULL;
    int rc = db_query_row(db, sql, p, 1, &row);
    if (rc == DB_OK && row)
        *job = sync_job_json(row);
    json_decref(row);
    return rc;
}

int sync_jobs_org_visible(db_conn *db, const char *org_id, bool platform_admin, const char *user_id, bool *visible)
{
    long long n = 0;
    db_param p[] = {DBP_STR(org_id), DBP_INT(platform_admin ? 1 : 0), DBP_STR(user_id)};
    int rc = db_query_int(db,
                          "SELECT COUNT(*) FROM orgs o WHERE o.id = ? AND (? = 1 OR EXISTS (SELECT 1 FROM org_members m "
                          "WHERE m.org_id = o.id AND m.user_id = ?))",
                          p, 3, &n);
    *visible = rc == DB_OK && n > 0;
    return rc;
}

int sync_job_list(db_conn *db, const sync_job_filter *f, long long skip, int limit, json_t **jobs, long long *total)
{
    static const char where[] =
        "WHERE (? IS NULL OR j.org_id = ?) AND (? IS NULL OR j.type = ?) AND (? IS NULL OR j.status = ?) "
        "AND (? = 1 OR j.org_id IN (SELECT m.org_id FROM org_members m WHERE m.user_id = ?))";
    db_param p[] = {DBP_STR(f->org_id), DBP_STR(f->org_id), DBP_STR(f->type), DBP_STR(f->type),
                    DBP_STR(f->status), DBP_STR(f->status), DBP_INT(f->platform_admin ? 1 : 0), DBP_STR(f->user_id),
                    DBP_INT(limit),     DBP_INT(skip)};
    char sql[2048];
    json_t *rows = NULL;
    *jobs = NULL;
    *total = 0;
    /* fixed fragments only: the SQL text never holds a value */
    snprintf(sql, sizeof sql, "SELECT %s FROM sync_jobs j %s ORDER BY j.created_at DESC, j.id DESC LIMIT ? OFFSET ?",
             SYNC_JOB_COLUMNS, where);
    int rc = db_query(db, sql, p, DB_NPARAMS(p), &rows);
    if (rc == DB_OK) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sync_jobs j %s", where);
        rc = db_query_int(db, sql, p, DB_NPARAMS(p) - 2, total);
    }
    if (rc != DB_OK) {
        json_decref(rows);
        return rc;
    }
    *jobs = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) json_array_append_new(*jobs, sync_job_json(row));
    json_decref(rows);
    return DB_OK;
}

int sync_trigger_admit(db_conn *db, const vs_config *cfg, const char *org_id, long long *retry_after)
{
    char key[64];
    size_t i = 0;
    for (; org_id[i] && i < sizeof key - 1; i++)
        key[i] = (char)tolower((unsigned char)org_id[i]);
    key[i] = 0;
    unsigned long long n = 0;
    long long age = 0;
    *retry_after = 0;
    int rc = rate_counter_hit(db, "sync", key, 60, false, &n);
    if (rc == DB_OK && n > (unsigned long long)cfg->sync_triggers_per_minute) {
        rc = rate_counter_window_age(db, "sync", key, &age);
        *retry_after = rate_counter_wait(age, 60);
    }
    return rc;
}
