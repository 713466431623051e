/* sync_queue.h — how the sync-job queue of one org is doing, and cancelling
 * a job that has not started. The queue is worked by `vs-sync drain` (the
 * systemd timer every minute; scripts/sync-loop.sh in a dev stack): when
 * ready jobs wait longer than SYNC_QUEUE_STALL_SECONDS, no worker is taking
 * them and the org's Sync page says so. */
#ifndef VS_SYNC_QUEUE_H
#define VS_SYNC_QUEUE_H

#include <jansson.h>

#include "platform/db.h"
#include "platform/result.h"

/* Five drain periods: a ready job older than this has been missed by every
 * drain since (or is stuck behind a job running that long). */
#define SYNC_QUEUE_STALL_SECONDS 300

/* {org_id, queued, running, deferred, oldest_queued_at, oldest_wait_seconds,
 *  last_started_at, stalled, stall_after_seconds} of the org (new object).
 * queued counts ready jobs (run_after reached); deferred those waiting for
 * their time (quota). */
vs_result sync_queue_status(db_conn *db, const char *org_id, json_t **out);

/* Cancel a queued or deferred job of org_id: *job is the job afterwards (API
 * shape). VS_ERR_NOT_FOUND when the org has no such job, VS_ERR_CONFLICT
 * (with *job set) when it is running or already ended; why says which in
 * plain words on either failure. */
vs_result sync_job_cancel(db_conn *db, const char *org_id, const char *job_id, json_t **job, char why[160]);

#endif
