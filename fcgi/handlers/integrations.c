/* integrations.c — an org's MightyCall integration (org_admin+):
 *   GET    /api/admin/orgs/:orgId/integrations                  page, never credentials
 *   POST   /api/admin/orgs/:orgId/integrations                  {integration_type?, label?, credentials{api_key,
 *          user_key, base_url?}} → verifies the credentials against MightyCall (POST /v4/auth/token), stores
 *          them encrypted; 201 with webhook_url / webhook_secret (shown once), or 200 when it updated the org's
 *          existing integration; 400 refused credentials, 502 MightyCall unreachable
 *   DELETE /api/admin/orgs/:orgId/integrations/:integrationId   {success:true}
 *   POST   /api/admin/orgs/:orgId/integrations/:integrationId/rotate-webhook-secret
 *          → 200 {id, webhook_url, webhook_secret} (shown once); the old URL stops working at once
 * The work is core/mightycall/integration_admin.h (check first, then one
 * transaction). Credentials and the webhook secret are secretbox ciphertexts
 * (master key); they are never returned (but the secret once), logged or put
 * in errors. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../access.h"
#include "handlers.h"
#include "../input.h"
#include "mightycall/integration_admin.h"
#include "mightycall/mc_target.h"
#include "mightycall/mc_client.h"

static void integrations_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = integration_list(req->db, req_param(req, "orgId"), page.skip, page.limit, &rows, &total);
    if (rc != VS_OK) {
        resp_result(res, rc, NULL, NULL);
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

/* webhook_url and webhook_secret of integration id into obj (shown once). */
static void add_webhook_url(const vs_request *req, json_t *obj, const char *id, const char *secret)
{
    char origin[320], url[512];
    public_origin(req, origin, sizeof origin);
    snprintf(url, sizeof url, "%s/api/webhooks/mightycall/%s?secret=%s", origin, id, secret);
    json_object_set_new(obj, "webhook_url", json_string(url));
    json_object_set_new(obj, "webhook_secret", json_string(secret));
    sodium_memzero(url, sizeof url);
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
                           &reason) ||
        !mc_base_url_allowed(req->cfg, creds->base_url, &reason)) {
        resp_bad_field(res, "credentials.base_url", reason);
        return false;
    }
    snprintf(creds->api_key, sizeof creds->api_key, "%s", api_key);
    snprintf(creds->user_key, sizeof creds->user_key, "%s", user_key);
    return true;
}

static void integrations_create(vs_request *req, vs_response *res)
{
    static const char *const types[] = {"mightycall", NULL};
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *type = NULL, *label = NULL;
    mc_credentials creds;
    memset(&creds, 0, sizeof creds);
    integration_saved saved;
    memset(&saved, 0, sizeof saved);
    if (!field_enum(body, "integration_type", false, types, &type, res) ||
        !field_string(body, "label", false, 0, 200, &label, res) || !read_credentials(req, body, &creds, res))
        goto out;
    integration_input in = {.org_id = req_param(req, "orgId"),
                            .label = label && *label ? label : "MightyCall",
                            .actor_user_id = access_actor_user_id(req),
                            .creds = &creds};
    int rc = integration_save(req->db, req->cfg, &in, &saved);
    if (rc != VS_OK) {
        resp_result(res, rc, saved.message, saved.details);
        saved.details = NULL;
        goto out;
    }
    json_t *row = saved.row;
    saved.row = NULL;
    if (saved.created)
        add_webhook_url(req, row, json_string_value(json_object_get(row, "id")), saved.webhook_secret);
    resp_json(res, saved.created ? 201 : 200, row);
out:
    integration_saved_clear(&saved);
    sodium_memzero(&creds, sizeof creds);
    json_decref(body);
}

static void integrations_delete(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "integrationId", &id))
        return;
    int rc = integration_delete(req->db, req_param(req, "orgId"), id, access_actor_user_id(req));
    if (rc != VS_OK) {
        resp_result(res, rc, rc == VS_ERR_NOT_FOUND ? "integration not found" : NULL,
                    rc == VS_ERR_NOT_FOUND ? json_pack("{s:s}", "resource", "integration") : NULL);
        return;
    }
    resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

static void integrations_rotate_secret(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "integrationId", &id))
        return;
    char secret[INTEGRATION_WEBHOOK_SECRET_SIZE];
    int rc = integration_rotate_webhook_secret(req->db, req->cfg, req_param(req, "orgId"), id,
                                               access_actor_user_id(req), secret);
    if (rc != VS_OK) {
        resp_result(res, rc, rc == VS_ERR_NOT_FOUND ? "integration not found" : NULL,
                    rc == VS_ERR_NOT_FOUND ? json_pack("{s:s}", "resource", "integration") : NULL);
        return;
    }
    json_t *out = json_pack("{s:s}", "id", id);
    add_webhook_url(req, out, id, secret);
    sodium_memzero(secret, sizeof secret);
    resp_json(res, 200, out);
}

const route integrations_routes[] = {
    {"GET", "/api/admin/orgs/:orgId/integrations", integrations_list, ACCESS_ORG_ADMIN, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/admin/orgs/:orgId/integrations", integrations_create, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"DELETE", "/api/admin/orgs/:orgId/integrations/:integrationId", integrations_delete, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"POST", "/api/admin/orgs/:orgId/integrations/:integrationId/rotate-webhook-secret", integrations_rotate_secret,
     ACCESS_ORG_ADMIN, NO_PARAMS},
    {0},
};
