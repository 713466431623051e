/* mc_quota.h — the MightyCall daily request budget, shared through MariaDB by
 * every process: each request (token requests included) is reserved in
 * mc_request_counts before it is sent, per api_key fingerprint and UTC day, so
 * the quota is never exceeded even by concurrent processes or hosts. */
#ifndef VS_MC_QUOTA_H
#define VS_MC_QUOTA_H

#include <time.h>

#include "platform/config.h"
#include "platform/db.h"

/* Keyed BLAKE2b (master key) of the api_key as 64 hex chars: the quota bucket.
 * Not reversible without the master key. 0 ok, -1 (bad master key). */
int mc_key_fingerprint(const vs_config *cfg, const char *api_key, char out[65]);

/* Reserve one request for today (UTC) if fewer than `limit` are used.
 * Returns 1 reserved, 0 exhausted, or a negative DB_ code. Must run outside
 * a transaction (autocommit): a reservation is never rolled back. */
int mc_quota_reserve(db_conn *db, const char *key_fp, const char *integration_id, int limit);

/* Requests used today for key_fp (0 when none); negative DB_ code on error. */
int mc_quota_used(db_conn *db, const char *key_fp, long long *used);

/* Start of the next UTC day (when the quota window resets). */
time_t mc_quota_reset_at(time_t now);

#endif
