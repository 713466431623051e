/* phone_numbers.c — the org's business numbers: list and assignment
 * (core/data/phone_numbers.h). */
#include "data/phone_numbers.h"

#include "../access.h"
#include "data/data_list.h"
#include "handlers.h"

static void phones_get(vs_request *req, vs_response *res)
{
    char *body = NULL;
    size_t len = 0;
    int rc = phone_numbers_list(req->db, req_param(req, "orgId"), qp_str(req, "status"), qp_cursor(req),
                                qp_page(req), &body, &len);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json_text(res, 200, body, len);
}

static void phone_not_found(vs_response *res)
{
    resp_result(res, VS_ERR_NOT_FOUND, "phone number not found", json_pack("{s:s}", "resource", "phone_number"));
}

/* The phone (404 before anything else), then the caller's input. */
static bool phone_of_org(vs_request *req, vs_response *res, const char **phone_id)
{
    const char *org = req_param(req, "orgId");
    if (!is_uuid(req_param(req, "phoneId"))) {
        phone_not_found(res);
        return false;
    }
    *phone_id = req_param(req, "phoneId");
    json_t *phone = NULL;
    int rc = phone_number_get(req->db, org, *phone_id, &phone);
    json_decref(phone);
    if (rc == PHONE_NOT_FOUND) {
        phone_not_found(res);
        return false;
    }
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    return true;
}

static void phone_assign(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId"), *phone_id, *user_id;
    if (!phone_of_org(req, res, &phone_id))
        return;
    json_t *body = body_object(req, res);
    if (!body)
        return;
    if (!field_uuid(body, "user_id", true, &user_id, res)) {
        json_decref(body);
        return;
    }
    json_t *out = NULL;
    int rc = phone_number_assign(req->db, org, phone_id, user_id, access_actor_user_id(req), &out);
    json_decref(body);
    if (rc == PHONE_NOT_FOUND)
        phone_not_found(res);
    else if (rc == PHONE_NOT_MEMBER)
        resp_bad_field(res, "user_id", "is not a member of this organization");
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, out);
}

static void phone_unassign(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId"), *phone_id;
    if (!phone_of_org(req, res, &phone_id))
        return;
    json_t *out = NULL;
    int rc = phone_number_unassign(req->db, org, phone_id, access_actor_user_id(req), &out);
    if (rc == PHONE_NOT_FOUND)
        phone_not_found(res);
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, out);
}

const route phone_numbers_routes[] = {
    {"GET", "/api/orgs/:orgId/phone-numbers", phones_get, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_CURSOR_PAGE("phone-numbers", CURSOR_KEY_TEXT), PARAM_ENUM("status", phone_statuses))},
    {"POST", "/api/orgs/:orgId/phone-numbers/:phoneId/assign", phone_assign, ACCESS_ORG_MANAGER, NO_PARAMS},
    {"DELETE", "/api/orgs/:orgId/phone-numbers/:phoneId/assign", phone_unassign, ACCESS_ORG_MANAGER, NO_PARAMS},
    {0},
};
