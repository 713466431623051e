/* extensions.c — the org's MightyCall extensions (the agents who handle calls):
 *   GET /api/orgs/:orgId/extensions                        list (core/data/extensions.h)
 *   PUT /api/orgs/:orgId/extensions/:extensionId/member    {user_id | null}: an org admin links
 *       an existing member to the extension, or unlinks it (identity/agent_link.h) → 200
 *       {id, extension, display_name, user_id, user_name}; 404 extension; 400 user_id when
 *       not a member. New people are invited with the extension instead (POST members). */
#include "data/extensions.h"

#include "../access.h"
#include "data/data_list.h"
#include "handlers.h"
#include "identity/agent_link.h"
#include "../input.h"

static void extensions_get(vs_request *req, vs_response *res)
{
    char *body = NULL;
    size_t len = 0;
    int rc = extensions_list(req->db, req_param(req, "orgId"), qp_str(req, "status"), qp_cursor(req), qp_page(req),
                             &body, &len);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json_text(res, 200, body, len);
}

static void extension_member_put(vs_request *req, vs_response *res)
{
    const char *extension_id, *user_id = NULL;
    if (!param_uuid(req, res, "extensionId", &extension_id))
        return;
    json_t *body = body_object(req, res);
    if (!body)
        return;
    if (!json_object_get(body, "user_id"))
        resp_bad_field(res, "user_id", "is required (null unlinks)");
    else if (field_uuid(body, "user_id", false, &user_id, res)) {
        json_t *out = NULL;
        int rc = agent_extension_set_member(req->db, req_param(req, "orgId"), extension_id, user_id,
                                            access_actor_user_id(req), &out);
        if (rc == AGENT_EXTENSION_NOT_FOUND || (rc == DB_OK && !out))
            resp_result(res, VS_ERR_NOT_FOUND, "extension not found", json_pack("{s:s}", "resource", "extension"));
        else if (rc == AGENT_NOT_MEMBER)
            resp_bad_field(res, "user_id", "is not a member of this organization");
        else if (rc != DB_OK)
            resp_result(res, rc, NULL, NULL);
        else
            resp_json(res, 200, out);
        if (rc != DB_OK)
            json_decref(out);
    }
    json_decref(body);
}

const route extensions_routes[] = {
    {"GET", "/api/orgs/:orgId/extensions", extensions_get, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_CURSOR_PAGE("extensions", CURSOR_KEY_TEXT), PARAM_ENUM("status", extension_statuses))},
    {"PUT", "/api/orgs/:orgId/extensions/:extensionId/member", extension_member_put, ACCESS_ORG_ADMIN, NO_PARAMS},
    {0},
};
