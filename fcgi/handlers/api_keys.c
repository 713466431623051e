/* api_keys.c — organisation API keys:
 *   POST   /api/orgs/:orgId/api-keys          {name, scopes?} → 201 {id, name, key, scopes, created_at};
 *                                             the key is shown once; scopes default to ["read"]
 *   GET    /api/orgs/:orgId/api-keys          page of {id, name, prefix, scopes, created_at, last_used_at}
 *   DELETE /api/orgs/:orgId/api-keys/:keyId   revoke (effective on the next request)
 * All org_admin+ (platform admin, service key); an API key cannot manage keys. */
#include "../access.h"
#include "identity/api_keys.h"
#include "handlers.h"
#include "../input.h"
#include "identity/names.h"

/* The optional "scopes" field: a non-empty array of distinct known scope
 * names (API_SCOPE_* of identity/api_keys.h); absent → read. */
static bool field_scopes(json_t *body, unsigned *out, vs_response *res)
{
    json_t *v = json_object_get(body, "scopes");
    *out = API_SCOPE_READ;
    if (!v)
        return true;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 4) {
        resp_bad_field(res, "scopes", "must be a non-empty array of read, sms:send, write, sync");
        return false;
    }
    unsigned bits = 0;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        unsigned b = json_is_string(e) ? api_scope_bit(json_string_value(e)) : 0;
        if (!b) {
            resp_bad_field(res, "scopes", "each must be one of read, sms:send, write, sync");
            return false;
        }
        if (bits & b) {
            resp_bad_field(res, "scopes", "must not repeat a scope");
            return false;
        }
        bits |= b;
    }
    *out = bits;
    return true;
}

static void keys_create(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *name;
    unsigned scopes = 0;
    if (field_string(body, "name", true, 1, API_KEY_NAME_MAX, &name, res) && field_scopes(body, &scopes, res)) {
        const char *problem = name_problem(name, API_KEY_NAME_MAX);
        if (problem) {
            resp_bad_field(res, "name", problem);
        } else {
            json_t *key = NULL;
            int rc = api_key_create(req->db, req_param(req, "orgId"), name, scopes, access_actor_user_id(req), &key);
            if (rc != DB_OK || !key)
                resp_result(res, rc == DB_OK ? DB_ERROR : rc, NULL, NULL);
            else
                resp_json(res, 201, key);
        }
    }
    json_decref(body);
}

static void keys_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = api_key_list(req->db, req_param(req, "orgId"), page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

static void keys_revoke(vs_request *req, vs_response *res)
{
    const char *key_id;
    if (!param_uuid(req, res, "keyId", &key_id))
        return;
    bool found = false;
    int rc = api_key_revoke(req->db, req_param(req, "orgId"), key_id, access_actor_user_id(req), &found);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!found)
        resp_result(res, VS_ERR_NOT_FOUND, "API key not found", json_pack("{s:s}", "resource", "api_key"));
    else
        resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

const route api_keys_routes[] = {
    {"POST", "/api/orgs/:orgId/api-keys", keys_create, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"GET", "/api/orgs/:orgId/api-keys", keys_list, ACCESS_ORG_ADMIN, PARAMS(PARAMS_PAGE)},
    {"DELETE", "/api/orgs/:orgId/api-keys/:keyId", keys_revoke, ACCESS_ORG_ADMIN, NO_PARAMS},
    {0},
};
