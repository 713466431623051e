/* integration_admin.c — create/update/delete/list of an org's MightyCall
 * integration; see integration_admin.h. The network check runs before the
 * transaction, the writes all inside one. */
#include "mightycall/integration_admin.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mightycall/integration.h"
#include "mightycall/mc_quota.h"
#include "platform/activity.h"
#include "platform/log.h"
#include "platform/secretbox.h"

#define INTEGRATION_CHECK_TIMEOUT_S 10 /* per request of a credential check */

#define INTEGRATION_COLUMNS                                                                                          \
    "id, org_id, integration_type, label, status, last_sync_at, last_error, created_at, updated_at"

vs_result integration_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                           long long *total)
{
    db_param p[] = {DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    *rows = NULL;
    *total = 0;
    int rc = db_query(db,
                      "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE org_id = ? "
                      "ORDER BY created_at, id LIMIT ? OFFSET ?",
                      p, 3, rows);
    if (rc == DB_OK)
        rc = db_query_int(db, "SELECT COUNT(*) FROM integrations WHERE org_id = ?", p, 1, total);
    if (rc != DB_OK) {
        json_decref(*rows);
        *rows = NULL;
    }
    return rc;
}

/* Integration checks running in this process: at most cfg->mc_check_concurrency
 * at once, so slow or unreachable targets cannot hold the worker pool. */
static atomic_int checks_running;

/* Ask MightyCall for a token with these credentials; the client (holding the
 * token to cache) is returned in *client on VS_OK. */
static vs_result verify_once(db_conn *db, const vs_config *cfg, const mc_credentials *creds, mc_client **client,
                             integration_saved *out)
{
    mc_client *c = mc_client_new(cfg, db, NULL, creds);
    if (!c)
        return VS_ERR_INTERNAL;
    mc_client_set_retry(c, 2, NULL);
    /* a check is interactive: never hold a worker thread for the full sync timeout */
    mc_client_set_timeout(c, cfg->mc_timeout_seconds < INTEGRATION_CHECK_TIMEOUT_S ? cfg->mc_timeout_seconds
                                                                                     : INTEGRATION_CHECK_TIMEOUT_S);
    mc_error err;
    memset(&err, 0, sizeof err);
    mc_status st = mc_authenticate(c, &err);
    if (st == MC_OK) {
        *client = c;
        return VS_OK;
    }
    mc_client_free(c);
    switch (st) { /* MightyCall's answer in our terms (not an HTTP mapping) */
    case MC_ERR_AUTH:
        out->message = "MightyCall refused these credentials (check the API key and user key)";
        out->details = json_pack("{s:s, s:s}", "field", "credentials", "reason", "rejected by MightyCall");
        return VS_ERR_INVALID;
    case MC_ERR_QUOTA: {
        time_t now = time(NULL);
        long wait = err.retry_at > now ? (long)(err.retry_at - now) : 60;
        out->message = "the daily MightyCall request budget of this API key is used up; try again later";
        out->details = json_pack("{s:I}", "retry_after_seconds", (json_int_t)wait);
        return VS_ERR_QUOTA;
    }
    case MC_ERR_DB:
        return VS_ERR_UNAVAILABLE;
    default:
        /* one neutral answer for every unreachable or non-MightyCall target
         * (no port probing through different messages); the reason is logged */
        log_info("integrations: credential check failed: %s", err.message);
        out->message = "MightyCall could not be reached to verify the credentials";
        return VS_ERR_UPSTREAM;
    }
}

static vs_result verify(db_conn *db, const vs_config *cfg, const mc_credentials *creds, mc_client **client,
                        integration_saved *out)
{
    int cap = cfg->mc_check_concurrency > 0 ? cfg->mc_check_concurrency : 2;
    if (atomic_fetch_add(&checks_running, 1) >= cap) {
        atomic_fetch_sub(&checks_running, 1);
        out->message = "too many integration checks are running; retry in a moment";
        out->details = json_pack("{s:i}", "retry_after_seconds", 1);
        return VS_ERR_BUSY;
    }
    vs_result rc = verify_once(db, cfg, creds, client, out);
    atomic_fetch_sub(&checks_running, 1);
    return rc;
}

typedef struct {
    const integration_input *in;
    mc_client *client;
    const char *creds_enc, *secret_enc, *key_fp;
    integration_saved *out;
} save_arg;

static int fetch_row(db_conn *db, const char *id, json_t **row)
{
    db_param p[] = {DBP_STR(id)};
    int rc = db_query_row(db, "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE id = ?", p, 1, row);
    if (rc == DB_OK && !*row)
        rc = DB_ERROR;
    return rc;
}

/* The transaction: every write of a create or update, or none of them. */
static int save_tx(db_conn *db, void *a)
{
    save_arg *s = a;
    const integration_input *in = s->in;
    json_t *existing = NULL;
    char id[40] = "", desc[300];
    db_param q[] = {DBP_STR(in->org_id)};
    /* FOR UPDATE: a concurrent save of the same org waits here */
    int rc = db_query_row(db, "SELECT id FROM integrations WHERE org_id = ? AND integration_type = 'mightycall' FOR UPDATE",
                          q, 1, &existing);
    if (rc != DB_OK)
        return rc;
    s->out->created = existing == NULL;
    if (existing) {
        snprintf(id, sizeof id, "%s", json_string_value(json_object_get(existing, "id")));
        json_decref(existing);
        db_param u[] = {DBP_STR(in->label), DBP_STR(s->creds_enc), DBP_STR(s->key_fp), DBP_STR(id)};
        rc = db_exec(db,
                     "UPDATE integrations SET label = ?, credentials_enc = ?, key_fp = ?, status = 'active', "
                     "last_error = NULL WHERE id = ?",
                     u, 4, NULL);
        /* the old token belongs to the old credentials */
        db_param t[] = {DBP_STR(id)};
        if (rc == DB_OK)
            rc = db_exec(db, "DELETE FROM mc_tokens WHERE integration_id = ?", t, 1, NULL);
        snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\" updated", in->label);
    } else {
        json_t *idrow = NULL;
        rc = db_query_row(db, "SELECT UUID() AS id", NULL, 0, &idrow);
        if (rc != DB_OK)
            return rc;
        snprintf(id, sizeof id, "%s", json_string_value(json_object_get(idrow, "id")));
        json_decref(idrow);
        db_param ins[] = {DBP_STR(id),         DBP_STR(in->org_id),    DBP_STR(in->label),     DBP_STR(s->creds_enc),
                          DBP_STR(s->key_fp),  DBP_STR(s->secret_enc), DBP_STR(in->actor_user_id)};
        rc = db_exec(db,
                     "INSERT INTO integrations (id, org_id, integration_type, label, credentials_enc, key_fp, "
                     "webhook_secret_enc, created_by) VALUES (?, ?, 'mightycall', ?, ?, ?, ?, ?)",
                     ins, DB_NPARAMS(ins), NULL);
        snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\" added", in->label);
    }
    if (rc == DB_OK)
        rc = mc_client_persist_token(s->client, id);
    if (rc == DB_OK)
        rc = activity_record(db, in->org_id, in->actor_user_id,
                             s->out->created ? "integration_created" : "integration_updated", desc);
    json_decref(s->out->row);
    s->out->row = NULL;
    if (rc == DB_OK)
        rc = fetch_row(db, id, &s->out->row);
    return rc;
}

vs_result integration_save(db_conn *db, const vs_config *cfg, const integration_input *in, integration_saved *out)
{
    memset(out, 0, sizeof *out);
    mc_client *client = NULL;
    char *creds_enc = NULL, *secret_enc = NULL;
    char key_fp[65];
    vs_result rc = verify(db, cfg, in->creds, &client, out);
    if (rc != VS_OK)
        goto out;
    random_token_b64url(out->webhook_secret, 32);
    if (mc_key_fingerprint(cfg, in->creds->api_key, key_fp) != 0 ||
        integration_seal_credentials(cfg, in->creds, &creds_enc) != 0 ||
        integration_seal_string(cfg, out->webhook_secret, &secret_enc) != 0) {
        log_error("integrations: cannot encrypt credentials (master key?)");
        out->message = "internal error";
        rc = VS_ERR_SECRET;
        goto out;
    }
    save_arg s = {.in = in, .client = client, .creds_enc = creds_enc, .secret_enc = secret_enc, .key_fp = key_fp,
                  .out = out};
    /* an INSERT that meets a concurrent one (unique org_id + type) is retried
     * once as an update */
    rc = db_transaction(db, save_tx, &s);
    if (rc == DB_DUPLICATE)
        rc = db_transaction(db, save_tx, &s);
    if (rc == DB_DUPLICATE) {
        out->message = "the integration changed concurrently; try again";
        rc = VS_ERR_CONFLICT;
    }
out:
    if (rc != VS_OK) {
        json_decref(out->row);
        out->row = NULL;
        sodium_memzero(out->webhook_secret, sizeof out->webhook_secret);
    }
    if (!out->created)
        sodium_memzero(out->webhook_secret, sizeof out->webhook_secret);
    mc_client_free(client);
    free(creds_enc);
    free(secret_enc);
    return rc;
}

void integration_saved_clear(integration_saved *out)
{
    json_decref(out->row);
    json_decref(out->details);
    sodium_memzero(out, sizeof *out);
}

typedef struct {
    const char *org_id, *id, *actor;
    bool found;
} delete_arg;

static int delete_tx(db_conn *db, void *a)
{
    delete_arg *d = a;
    json_t *row = NULL;
    db_param p[] = {DBP_STR(d->id), DBP_STR(d->org_id)};
    int rc = db_query_row(db, "SELECT label FROM integrations WHERE id = ? AND org_id = ? FOR UPDATE", p, 2, &row);
    d->found = row != NULL;
    if (rc != DB_OK || !row)
        return rc;
    char desc[320];
    snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\" removed",
             json_string_value(json_object_get(row, "label")));
    json_decref(row);
    db_param j[] = {DBP_STR(d->id)};
    rc = db_exec(db,
                 "UPDATE sync_jobs SET status = 'failed', completed_at = NOW(3), error_message = 'the integration was "
                 "deleted' WHERE integration_id = ? AND status IN ('queued', 'deferred')",
                 j, 1, NULL);
    if (rc == DB_OK)
        rc = db_exec(db, "DELETE FROM integrations WHERE id = ? AND org_id = ?", p, 2, NULL);
    if (rc == DB_OK)
        rc = activity_record(db, d->org_id, d->actor, "integration_deleted", desc);
    return rc;
}

vs_result integration_delete(db_conn *db, const char *org_id, const char *integration_id, const char *actor_user_id)
{
    delete_arg d = {.org_id = org_id, .id = integration_id, .actor = actor_user_id};
    int rc = db_transaction(db, delete_tx, &d);
    if (rc == DB_OK && !d.found)
        return VS_ERR_NOT_FOUND;
    return rc;
}

vs_result integration_status_for_org(db_conn *db, const char *org_id, char id[40], char status[17])
{
    json_t *it = NULL;
    db_param p[] = {DBP_STR(org_id)};
    id[0] = status[0] = 0;
    int rc = db_query_row(db, "SELECT id, status FROM integrations WHERE org_id = ? AND integration_type = 'mightycall'",
                          p, 1, &it);
    if (rc != DB_OK)
        return rc;
    if (!it)
        return VS_ERR_NOT_FOUND;
    snprintf(id, 40, "%s", json_string_value(json_object_get(it, "id")));
    snprintf(status, 17, "%s", json_string_value(json_object_get(it, "status")));
    json_decref(it);
    return VS_OK;
}

vs_result integration_mark_synced(db_conn *db, const char *integration_id)
{
    db_param p[] = {DBP_STR(integration_id)};
    return db_exec(db, "UPDATE integrations SET last_sync_at = NOW(3), last_error = NULL WHERE id = ?", p, 1, NULL);
}

typedef struct {
    const char *org_id, *id, *actor, *secret_enc;
    bool found;
} rotate_arg;

static int rotate_tx(db_conn *db, void *a)
{
    rotate_arg *r = a;
    json_t *row = NULL;
    db_param p[] = {DBP_STR(r->id), DBP_STR(r->org_id)};
    int rc = db_query_row(db, "SELECT label FROM integrations WHERE id = ? AND org_id = ? FOR UPDATE", p, 2, &row);
    r->found = row != NULL;
    if (rc != DB_OK || !row)
        return rc;
    char desc[320];
    snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\": webhook secret rotated",
             json_string_value(json_object_get(row, "label")));
    json_decref(row);
    db_param u[] = {DBP_STR(r->secret_enc), DBP_STR(r->id), DBP_STR(r->org_id)};
    rc = db_exec(db, "UPDATE integrations SET webhook_secret_enc = ? WHERE id = ? AND org_id = ?", u, 3, NULL);
    if (rc == DB_OK)
        rc = activity_record(db, r->org_id, r->actor, "integration_updated", desc);
    return rc;
}

vs_result integration_rotate_webhook_secret(db_conn *db, const vs_config *cfg, const char *org_id,
                                            const char *integration_id, const char *actor_user_id,
                                            char secret[INTEGRATION_WEBHOOK_SECRET_SIZE])
{
    char *enc = NULL;
    random_token_b64url(secret, 32);
    if (integration_seal_string(cfg, secret, &enc) != 0) {
        log_error("integrations: cannot encrypt the webhook secret (master key?)");
        sodium_memzero(secret, INTEGRATION_WEBHOOK_SECRET_SIZE);
        return VS_ERR_SECRET;
    }
    rotate_arg r = {.org_id = org_id, .id = integration_id, .actor = actor_user_id, .secret_enc = enc};
    int rc = db_transaction(db, rotate_tx, &r);
    free(enc);
    if (rc == DB_OK && !r.found)
        rc = VS_ERR_NOT_FOUND;
    if (rc != DB_OK)
        sodium_memzero(secret, INTEGRATION_WEBHOOK_SECRET_SIZE);
    return rc;
}
