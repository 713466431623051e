/* members.c — organisation members:
 *   GET    /api/admin/orgs/:orgId/members             page (manager+)
 *   POST   /api/admin/orgs/:orgId/members             {email, role, extension_id?}: a platform admin
 *          (or the service key) adds an existing user → 201; an org admin invites → 202
 *          (handlers/invitations.c), the same answer whether or not the e-mail has an account.
 *          extension_id (one of the org's extensions, else 400 naming it) links the member to
 *          it: at once, or when the invitation is accepted (identity/agent_link.h)
 *   DELETE /api/admin/orgs/:orgId/members/:memberId   (org_admin+; never the last org_admin) */
#include "../access.h"
#include "handlers.h"
#include "../input.h"
#include "identity/agent_link.h"
#include "identity/members.h"
#include "identity/users.h"

static void members_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = member_list(req->db, req_param(req, "orgId"), page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

static void members_add(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *role, *extension_id = NULL;
    char email[USER_EMAIL_MAX + 1];
    if (!field_email(body, email, res))
        goto out;
    if (!field_enum(body, "role", true, member_roles, &role, res))
        goto out;
    if (!field_uuid(body, "extension_id", false, &extension_id, res))
        goto out;
    if (!(req->who.kind == PRINCIPAL_SERVICE || (req->who.kind == PRINCIPAL_USER && req->who.platform_admin))) {
        invitation_create_answer(req, res, email, role, extension_id);
        goto out;
    }
    json_t *member = NULL;
    int rc = member_add_agent(req->db, req_param(req, "orgId"), email, role, extension_id, access_actor_user_id(req),
                              &member);
    if (rc == AGENT_EXTENSION_UNKNOWN)
        resp_bad_field(res, "extension_id", EXTENSION_UNKNOWN_REASON);
    else if (rc == MEMBER_NO_SUCH_USER)
        resp_bad_field(res, "email", "no user with this email");
    else if (rc == DB_DUPLICATE)
        resp_result(res, VS_ERR_CONFLICT, "user is already a member of this organization",
                   json_pack("{s:s, s:s}", "field", "email", "email", email));
    else if (rc != DB_OK || !member)
        resp_result(res, rc == DB_OK ? DB_ERROR : rc, NULL, NULL);
    else
        resp_json(res, 201, member);
out:
    json_decref(body);
}

static void members_remove(vs_request *req, vs_response *res)
{
    const char *member_id;
    if (!param_uuid(req, res, "memberId", &member_id))
        return;
    bool found = false;
    int rc = member_remove(req->db, req_param(req, "orgId"), member_id, access_actor_user_id(req), &found);
    if (rc == MEMBER_LAST_ADMIN)
        resp_result(res, VS_ERR_CONFLICT, "cannot remove the last org_admin of an organization",
                   json_pack("{s:s}", "member_id", member_id));
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!found)
        resp_result(res, VS_ERR_NOT_FOUND, "member not found", json_pack("{s:s}", "resource", "member"));
    else
        resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

const route members_routes[] = {
    {"GET", "/api/admin/orgs/:orgId/members", members_list, ACCESS_ORG_MANAGER, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/admin/orgs/:orgId/members", members_add, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"DELETE", "/api/admin/orgs/:orgId/members/:memberId", members_remove, ACCESS_ORG_ADMIN, NO_PARAMS},
    {0},
};
