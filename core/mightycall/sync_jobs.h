/* sync_jobs.h — the sync-job queue (table sync_jobs), shared by the API
 * (enqueue, list, show) and vs-sync (claim, run: sync/job.c). At most one
 * active job (queued, running or deferred) exists per org and type — a unique
 * key enforces it — so enqueueing returns the active job instead of a
 * duplicate. */
#ifndef VS_SYNC_JOBS_H
#define VS_SYNC_JOBS_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"

#define SYNC_TYPE_COUNT 8
/* In the order a full sync runs them (numbers and users before calls, reports last). */
extern const char *const sync_types[SYNC_TYPE_COUNT];

bool sync_type_valid(const char *type);
/* Noun of the result keys: phone_numbers → "numbers" (new_numbers, updated_numbers). */
const char *sync_type_noun(const char *type);

/* Enqueue a job (or find the active one of org+type). since: SQL datetime or
 * NULL (incremental). trigger: api | schedule | cli | admin. On success
 * job_id is filled and *created tells whether a new row was inserted. A
 * since given for an existing queued/deferred job moves its start earlier. */
int sync_job_enqueue(db_conn *db, const char *org_id, const char *integration_id, const char *type,
                     const char *since, const char *trigger, const char *requested_by, char job_id[40],
                     bool *created);

/* SELECT list (table alias j) whose rows sync_job_json() turns into the API shape. */
extern const char *const SYNC_JOB_COLUMNS;
/* API shape of a row selected with SYNC_JOB_COLUMNS (new object; row untouched). */
json_t *sync_job_json(json_t *row);
/* One job in API shape; *job NULL when absent. */
/* Sync triggers per org: at most cfg->sync_triggers_per_minute in a 60 s
 * window (counted in rate_counters, kind "sync", the lowercased org id) —
 * applied by the API after authentication, so a caller who may not trigger
 * for the org cannot use up its budget. *retry_after > 0: refused (429). */
int sync_trigger_admit(db_conn *db, const vs_config *cfg, const char *org_id, long long *retry_after);

int sync_job_fetch(db_conn *db, const char *job_id, json_t **job);

/* May a viewer see org_id's jobs? Platform admins see every existing org,
 * others the orgs they are members of. */
int sync_jobs_org_visible(db_conn *db, const char *org_id, bool platform_admin, const char *user_id, bool *visible);

typedef struct {
    const char *org_id, *type, *status; /* NULL = any */
    bool platform_admin;                /* the viewer: admins see all orgs, */
    const char *user_id;                /* others only the orgs they belong to */
} sync_job_filter;

/* Page of jobs in API shape, newest first; *total = matching jobs. */
int sync_job_list(db_conn *db, const sync_job_filter *f, long long skip, int limit, json_t **jobs, long long *total);

#endif
