/* agents.c — agent status (core/messaging/agents.h):
 *   GET /api/orgs/:orgId/agents/status                   every member's status + summary
 *       {data, total, skip, limit, summary:{total, online, available, idle, on_call, dnd, offline}}
 *   GET|PUT /api/orgs/:orgId/agents/me/status            the signed-in member's own status (any
 *       member; API keys and the service key have no "me": 400)
 *   GET /api/orgs/:orgId/agents/:userId/status           one member (members, API keys)
 *   PUT /api/orgs/:orgId/agents/:userId/status           anyone's (managers and org_admins)
 *   GET /api/orgs/:orgId/agents/:userId/status/history   page of changes, newest first
 * PUT body {status: available | dnd}. A user who is not a member is 404. */

#include "../access.h"
#include "messaging/agents.h"
#include "handlers.h"
#include "../input.h"

static const char NOT_MEMBER[] = "agent not found in this organization";

static void not_member(vs_response *res)
{
    resp_result(res, VS_ERR_NOT_FOUND, NOT_MEMBER, json_pack("{s:s}", "resource", "agent"));
}

static void status_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL, *summary = NULL;
    long long total = 0;
    int rc = agents_presence_list(req->db, req_param(req, "orgId"), page.skip, page.limit, &rows, &total, &summary);
    if (rc != DB_OK) {
        json_decref(rows);
        json_decref(summary);
        resp_result(res, rc, NULL, NULL);
        return;
    }
    json_t *body = page_envelope(rows, total, &page);
    json_object_set_new(body, "summary", summary ? summary : json_object());
    resp_json(res, 200, body);
}

/* The target user: :userId, or the caller for the /me routes (NULL, 400 set,
 * when the caller is not a user). */
static const char *target_user(vs_request *req, vs_response *res, bool me)
{
    const char *user;
    if (!me)
        return param_uuid(req, res, "userId", &user) ? user : NULL;
    if (req->who.kind != PRINCIPAL_USER) {
        resp_bad_field(res, "me", "needs a signed-in user: use /agents/:userId/status");
        return NULL;
    }
    return req->who.user_id;
}

static void get_common(vs_request *req, vs_response *res, bool me)
{
    const char *user = target_user(req, res, me);
    if (!user)
        return;
    json_t *row = NULL;
    int rc = agent_status_get(req->db, req_param(req, "orgId"), user, &row);
    resp_row(res, rc, row, NOT_MEMBER, "agent");
}

static void put_common(vs_request *req, vs_response *res, bool me)
{
    const char *user = target_user(req, res, me);
    if (!user)
        return;
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *status;
    if (!field_enum(body, "status", true, agent_statuses, &status, res))
        goto out;
    json_t *row = NULL;
    int rc = agent_status_set(req->db, req->cfg, req_param(req, "orgId"), user, status, access_actor_user_id(req),
                              &row);
    resp_row(res, rc, row, NOT_MEMBER, "agent");
out:
    json_decref(body);
}

static void status_get(vs_request *req, vs_response *res) { get_common(req, res, false); }
static void status_put(vs_request *req, vs_response *res) { put_common(req, res, false); }
static void my_status_get(vs_request *req, vs_response *res) { get_common(req, res, true); }
static void my_status_put(vs_request *req, vs_response *res) { put_common(req, res, true); }

static void status_history(vs_request *req, vs_response *res)
{
    const char *user;
    const page_req page = *qp_page(req);
    if (!param_uuid(req, res, "userId", &user))
        return;
    const char *org = req_param(req, "orgId");
    json_t *who = NULL;
    int rc = agent_status_get(req->db, org, user, &who);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    if (!who) {
        not_member(res);
        return;
    }
    json_decref(who);
    json_t *rows = NULL;
    long long total = 0;
    rc = agent_status_history(req->db, org, user, page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

const route agents_routes[] = {
    {"GET", "/api/orgs/:orgId/agents/status", status_list, ACCESS_ORG_AGENT, PARAMS(PARAMS_PAGE)},
    /* before the :userId routes, which "me" would match too */
    {"GET", "/api/orgs/:orgId/agents/me/status", my_status_get, ACCESS_ORG_AGENT, NO_PARAMS},
    {"PUT", "/api/orgs/:orgId/agents/me/status", my_status_put, ACCESS_ORG_AGENT, NO_PARAMS},
    {"GET", "/api/orgs/:orgId/agents/:userId/status", status_get, ACCESS_ORG_AGENT, NO_PARAMS},
    {"PUT", "/api/orgs/:orgId/agents/:userId/status", status_put, ACCESS_ORG_MANAGER, NO_PARAMS},
    {"GET", "/api/orgs/:orgId/agents/:userId/status/history", status_history, ACCESS_ORG_AGENT, PARAMS(PARAMS_PAGE)},
    {0},
};
