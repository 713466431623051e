/* integrations.c — an org's MightyCall integration (org_admin+):
 *   GET    /api/admin/orgs/:orgId/integrations                  page, never credentials
 *   POST   /api/admin/orgs/:orgId/integrations                  {integration_type?, label?, credentials{api_key,
 *          user_key, base_url?}} → verifies the credentials against MightyCall (POST /v4/auth/token), stores
 *          them encrypted; 201 with webhook_url / webhook_secret (shown once), or 200 when it updated the org's
 *          existing integration; 400 refused credentials, 502 MightyCall unreachable
 *   DELETE /api/admin/orgs/:orgId/integrations/:integrationId   {success:true}
 * Credentials and the webhook secret are secretbox ciphertexts (master key);
 * they are never returned (but the secret once), logged or put in errors. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../access.h"
#include "platform/activity.h"
#include "handlers.h"
#include "../input.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_client.h"
#include "mightycall/mc_quota.h"
#include "platform/secretbox.h"

#define INTEGRATION_COLUMNS                                                                                          \
    "id, org_id, integration_type, label, status, last_sync_at, last_error, created_at, updated_at"

static void integrations_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    const char *org = req_param(req, "orgId");
    db_param p[] = {DBP_STR(org), DBP_INT(page.limit), DBP_INT(page.skip)};
    json_t *rows = NULL;
    long long total = 0;
    int rc = db_query(req->db,
                      "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE org_id = ? "
                      "ORDER BY created_at, id LIMIT ? OFFSET ?",
                      p, 3, &rows);
    if (rc == DB_OK)
        rc = db_query_int(req->db, "SELECT COUNT(*) FROM integrations WHERE org_id = ?", p, 1, &total);
    if (rc != DB_OK) {
        json_decref(rows);
        resp_db_error(res, rc);
        return;
    }
    resp_json(res, 200, page_envelope(rows, total, &page));
}

static const char *env_get(const vs_request *req, const char *name)
{
    size_t n = strlen(name);
    for (char **e = req->envp; e && *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

/* "https://host[:port]" as the client reached us: nginx passes the Host name
 * without its port (HTTP_HOST = $host), so a non-default SERVER_PORT is put
 * back. Empty when there is no Host. */
static void public_origin(const vs_request *req, char *out, size_t outsz)
{
    const char *host = req_header(req, "host"), *https = env_get(req, "HTTPS"), *port = env_get(req, "SERVER_PORT");
    bool tls = https && strcmp(https, "on") == 0;
    out[0] = 0;
    if (!host || !*host)
        return;
    bool default_port = !port || !*port || strcmp(port, tls ? "443" : "80") == 0;
    /* an IPv6 literal has colons of its own: only "]:" marks its port */
    bool has_port = (host[0] == '[' ? strstr(host, "]:") : strchr(host, ':')) != NULL;
    snprintf(out, outsz, "%s://%s%s%s", tls ? "https" : "http", host, default_port || has_port ? "" : ":",
             default_port || has_port ? "" : port);
}

/* Reads and validates credentials{…}; false with a 400 naming the field. */
static bool read_credentials(const vs_request *req, json_t *body, mc_credentials *creds, vs_response *res)
{
    json_t *c = json_object_get(body, "credentials");
    if (!json_is_object(c)) {
        resp_bad_field(res, "credentials", "is required: an object with api_key, user_key and base_url");
        return false;
    }
    const char *api_key, *user_key, *base_url;
    if (!field_string(c, "api_key", true, 1, 256, &api_key, res) ||
        !field_string(c, "user_key", true, 1, 256, &user_key, res) ||
        !field_string(c, "base_url", false, 1, 250, &base_url, res)) {
        /* name the nested field */
        json_t *d = json_object_get(res->body, "details");
        const char *f = json_string_value(json_object_get(d, "field"));
        if (f) {
            char full[64];
            snprintf(full, sizeof full, "credentials.%s", f);
            json_object_set_new(d, "field", json_string(full));
        }
        return false;
    }
    const char *reason;
    if (!mc_base_url_valid(base_url ? base_url : MC_DEFAULT_BASE_URL, req->cfg->mc_allow_http != 0, creds->base_url,
                           &reason)) {
        resp_bad_field(res, "credentials.base_url", reason);
        return false;
    }
    snprintf(creds->api_key, sizeof creds->api_key, "%s", api_key);
    snprintf(creds->user_key, sizeof creds->user_key, "%s", user_key);
    return true;
}

/* Ask MightyCall for a token with these credentials. The client is returned
 * (to persist its token) on success. */
static mc_client *verify(vs_request *req, const mc_credentials *creds, vs_response *res)
{
    mc_client *c = mc_client_new(req->cfg, req->db, NULL, creds);
    if (!c) {
        resp_error(res, 500, "internal error", NULL);
        return NULL;
    }
    mc_client_set_retry(c, 2, NULL);
    mc_error err;
    mc_status st = mc_authenticate(c, &err);
    if (st == MC_OK)
        return c;
    mc_client_free(c);
    switch (st) {
    case MC_ERR_AUTH:
        resp_error(res, 400, "MightyCall refused these credentials (check the API key and user key)",
                   json_pack("{s:s, s:s}", "field", "credentials", "reason", "rejected by MightyCall"));
        break;
    case MC_ERR_QUOTA: {
        long wait = err.retry_at > time(NULL) ? (long)(err.retry_at - time(NULL)) : 60;
        resp_error(res, 503, "the daily MightyCall request budget of this API key is used up; try again later",
                   json_pack("{s:I}", "retry_after_seconds", (json_int_t)wait));
        resp_add_header(res, "Retry-After: %ld", wait);
        break;
    }
    case MC_ERR_DB:
        resp_db_error(res, DB_UNAVAILABLE);
        break;
    default:
        resp_error(res, 502, "MightyCall could not be reached to verify the credentials",
                   json_pack("{s:s}", "reason", err.message));
        break;
    }
    return NULL;
}

static json_t *fetch(db_conn *db, const char *id)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(id)};
    if (db_query_row(db, "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE id = ?", p, 1, &row) != DB_OK)
        return NULL;
    return row;
}

static void integrations_create(vs_request *req, vs_response *res)
{
    static const char *const types[] = {"mightycall", NULL};
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *org = req_param(req, "orgId");
    const char *type = NULL, *label = NULL;
    mc_credentials creds;
    memset(&creds, 0, sizeof creds);
    mc_client *client = NULL;
    char *creds_enc = NULL, *secret_enc = NULL;
    char secret[64] = "";
    if (!field_enum(body, "integration_type", false, types, &type, res) ||
        !field_string(body, "label", false, 0, 200, &label, res) || !read_credentials(req, body, &creds, res))
        goto out;
    if (!label || !*label)
        label = "MightyCall";
    if (!(client = verify(req, &creds, res)))
        goto out;

    char key_fp[65];
    random_token_b64url(secret, 32);
    if (mc_key_fingerprint(req->cfg, creds.api_key, key_fp) != 0 ||
        integration_seal_credentials(req->cfg, &creds, &creds_enc) != 0 ||
        integration_seal_string(req->cfg, secret, &secret_enc) != 0) {
        log_error("integrations: cannot encrypt credentials (master key?)");
        resp_error(res, 500, "internal error", NULL);
        goto out;
    }
    const char *actor = access_actor_user_id(req);
    for (int attempt = 0; attempt < 2; attempt++) {
        /* one MightyCall integration per org: a second POST updates it */
        json_t *existing = NULL;
        db_param q[] = {DBP_STR(org)};
        int rc = db_query_row(req->db,
                              "SELECT id FROM integrations WHERE org_id = ? AND integration_type = 'mightycall'", q, 1,
                              &existing);
        if (rc != DB_OK) {
            resp_db_error(res, rc);
            goto out;
        }
        char id[40];
        if (existing) {
            snprintf(id, sizeof id, "%s", json_string_value(json_object_get(existing, "id")));
            json_decref(existing);
            db_param u[] = {DBP_STR(label), DBP_STR(creds_enc), DBP_STR(key_fp), DBP_STR(id)};
            rc = db_exec(req->db,
                         "UPDATE integrations SET label = ?, credentials_enc = ?, key_fp = ?, status = 'active', "
                         "last_error = NULL WHERE id = ?",
                         u, 4, NULL);
            if (rc != DB_OK) {
                resp_db_error(res, rc);
                goto out;
            }
            /* the old token belongs to the old credentials */
            db_param t[] = {DBP_STR(id)};
            db_exec(req->db, "DELETE FROM mc_tokens WHERE integration_id = ?", t, 1, NULL);
            mc_client_persist_token(client, id);
            char desc[300];
            snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\" updated", label);
            activity_record(req->db, org, actor, "integration_updated", desc);
            json_t *row = fetch(req->db, id);
            if (!row)
                resp_db_error(res, DB_ERROR);
            else
                resp_json(res, 200, row);
            goto out;
        }
        json_t *idrow = NULL;
        rc = db_query_row(req->db, "SELECT UUID() AS id", NULL, 0, &idrow);
        if (rc != DB_OK) {
            resp_db_error(res, rc);
            goto out;
        }
        snprintf(id, sizeof id, "%s", json_string_value(json_object_get(idrow, "id")));
        json_decref(idrow);
        db_param ins[] = {DBP_STR(id),       DBP_STR(org),    DBP_STR(label), DBP_STR(creds_enc),
                          DBP_STR(key_fp),   DBP_STR(secret_enc), DBP_STR(actor)};
        rc = db_exec(req->db,
                     "INSERT INTO integrations (id, org_id, integration_type, label, credentials_enc, key_fp, "
                     "webhook_secret_enc, created_by) VALUES (?, ?, 'mightycall', ?, ?, ?, ?, ?)",
                     ins, DB_NPARAMS(ins), NULL);
        if (rc == DB_DUPLICATE)
            continue; /* created concurrently: update it instead */
        if (rc != DB_OK) {
            resp_db_error(res, rc);
            goto out;
        }
        mc_client_persist_token(client, id);
        char desc[300];
        snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\" added", label);
        activity_record(req->db, org, actor, "integration_created", desc);
        json_t *row = fetch(req->db, id);
        if (!row) {
            resp_db_error(res, DB_ERROR);
            goto out;
        }
        char origin[320], url[512];
        public_origin(req, origin, sizeof origin);
        snprintf(url, sizeof url, "%s/api/webhooks/mightycall/%s?secret=%s", origin, id, secret);
        json_object_set_new(row, "webhook_url", json_string(url));
        json_object_set_new(row, "webhook_secret", json_string(secret));
        resp_json(res, 201, row);
        goto out;
    }
    resp_error(res, 409, "the integration changed concurrently; try again", NULL);
out:
    mc_client_free(client);
    sodium_memzero(&creds, sizeof creds);
    sodium_memzero(secret, sizeof secret);
    free(creds_enc);
    free(secret_enc);
    json_decref(body);
}

static void integrations_delete(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "integrationId", &id))
        return;
    const char *org = req_param(req, "orgId");
    json_t *row = NULL;
    db_param p[] = {DBP_STR(id), DBP_STR(org)};
    int rc = db_query_row(req->db, "SELECT label FROM integrations WHERE id = ? AND org_id = ?", p, 2, &row);
    if (rc != DB_OK) {
        resp_db_error(res, rc);
        return;
    }
    if (!row) {
        resp_error(res, 404, "integration not found", json_pack("{s:s}", "resource", "integration"));
        return;
    }
    char label[256];
    snprintf(label, sizeof label, "%s", json_string_value(json_object_get(row, "label")));
    json_decref(row);
    db_param j[] = {DBP_STR(id)};
    db_exec(req->db,
            "UPDATE sync_jobs SET status = 'failed', completed_at = NOW(3), error_message = 'the integration was "
            "deleted' WHERE integration_id = ? AND status IN ('queued', 'deferred')",
            j, 1, NULL);
    unsigned long long affected = 0;
    rc = db_exec(req->db, "DELETE FROM integrations WHERE id = ? AND org_id = ?", p, 2, &affected);
    if (rc != DB_OK) {
        resp_db_error(res, rc);
        return;
    }
    if (affected == 0) {
        resp_error(res, 404, "integration not found", json_pack("{s:s}", "resource", "integration"));
        return;
    }
    char desc[320];
    snprintf(desc, sizeof desc, "MightyCall integration \"%.200s\" removed", label);
    activity_record(req->db, org, access_actor_user_id(req), "integration_deleted", desc);
    resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

const route integrations_routes[] = {
    {"GET", "/api/admin/orgs/:orgId/integrations", integrations_list, ACCESS_ORG_ADMIN, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/admin/orgs/:orgId/integrations", integrations_create, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"DELETE", "/api/admin/orgs/:orgId/integrations/:integrationId", integrations_delete, ACCESS_ORG_ADMIN, NO_PARAMS},
    {0},
};
