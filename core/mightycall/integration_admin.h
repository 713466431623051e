/* integration_admin.h — managing an org's MightyCall integration for the
 * integrations API: list, create-or-update (credentials verified against
 * MightyCall first, then every write in one transaction), delete, and the
 * lookups the sync-trigger and admin-sync routes need. Results are vs_result
 * (platform/result.h). Credentials and the webhook secret are stored sealed
 * (master key) and never logged; the plaintext secret leaves only once, in
 * integration_saved.webhook_secret of a newly created integration. */
#ifndef VS_INTEGRATION_ADMIN_H
#define VS_INTEGRATION_ADMIN_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/result.h"
#include "mightycall/mc_client.h"

/* Page of the org's integrations, oldest first: {id, org_id, integration_type,
 * label, status, last_sync_at, last_error, created_at, updated_at}. */
vs_result integration_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                           long long *total);

#define INTEGRATION_WEBHOOK_SECRET_SIZE 64

typedef struct {
    const char *org_id;
    const char *label;         /* 1..200 characters, validated by the caller */
    const char *actor_user_id; /* NULL: API key / service key */
    const mc_credentials *creds;
} integration_input;

typedef struct {
    json_t *row;                /* VS_OK: the integration (columns as in integration_list); caller decrefs */
    bool created;               /* a new integration (else the org's existing one was updated) */
    char webhook_secret[INTEGRATION_WEBHOOK_SECRET_SIZE]; /* created only: the plaintext secret, shown once;
                                                              wipe after use */
    const char *message;        /* an error: what to tell the caller (no secrets), NULL = default */
    json_t *details;            /* an error: details for the answer (caller owns), may be NULL */
} integration_saved;

/* One MightyCall integration per org: verify creds with MightyCall (a token
 * request, outside any transaction), then in one transaction update the org's
 * integration (new credentials, old token dropped) or insert a new one with a
 * fresh webhook secret, cache the verifying token and record the activity.
 * Nothing is written when the check or any write fails.
 * The check runs under a per-process cap (cfg->mc_check_concurrency, over it
 * VS_ERR_BUSY at once) with a 10 s request timeout, against a target that
 * mc_target.h allows (resolved and pinned).
 * VS_ERR_INVALID (credentials refused), VS_ERR_QUOTA (details.retry_after_seconds),
 * VS_ERR_UPSTREAM (one neutral message for any unreachable or failing
 * target), VS_ERR_BUSY (too many checks at once), VS_ERR_SECRET (master
 * key), VS_ERR_CONFLICT (changed concurrently twice), or a DB_ code. */
vs_result integration_save(db_conn *db, const vs_config *cfg, const integration_input *in, integration_saved *out);
/* Free what integration_save left in out and wipe the secret. */
void integration_saved_clear(integration_saved *out);

/* Deletes integration_id of org_id (its tokens and cursors cascade), fails
 * its queued/deferred sync jobs and records the activity, in one transaction.
 * VS_ERR_NOT_FOUND when org_id has no such integration. */
vs_result integration_delete(db_conn *db, const char *org_id, const char *integration_id, const char *actor_user_id);

/* A new webhook secret for integration_id of org_id (32 random bytes,
 * base64url, sealed at rest); the old one stops working at once (the
 * receiver reads the secret per event). The plaintext is written to secret,
 * to be shown once; the activity records the rotation. VS_ERR_NOT_FOUND when
 * org_id has no such integration, VS_ERR_SECRET (master key), or a DB_ code. */
vs_result integration_rotate_webhook_secret(db_conn *db, const vs_config *cfg, const char *org_id,
                                            const char *integration_id, const char *actor_user_id,
                                            char secret[INTEGRATION_WEBHOOK_SECRET_SIZE]);

/* The org's MightyCall integration id and status (active | disabled | error),
 * without decrypting anything. VS_ERR_NOT_FOUND when the org has none. */
vs_result integration_status_for_org(db_conn *db, const char *org_id, char id[40], char status[17]);

/* A successful sync of the integration: last_sync_at = now, last_error cleared. */
vs_result integration_mark_synced(db_conn *db, const char *integration_id);

#endif
