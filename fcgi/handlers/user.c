/* user.c — the signed-in user's own resources:
 *   GET  /api/user/profile  {id, email, full_name, global_role, created_at}
 *   GET  /api/user/orgs     page of {id, name, slug, timezone, role, created_at}
 *   POST /api/user/onboard  {org_name, timezone?} → first org, caller as org_admin */
#include "../access.h"
#include "handlers.h"
#include "../input.h"
#include "identity/members.h"
#include "identity/orgs.h"
#include "identity/users.h"

static void user_profile(vs_request *req, vs_response *res)
{
    json_t *user = NULL;
    int rc = user_get_json(req->db, req->who.user_id, &user);
    resp_row(res, rc, user, "profile not found", "user");
}

static void user_orgs(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = member_orgs_of_user(req->db, req->who.user_id, page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

static void user_onboard(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *name, *tz, *problem;
    char slug[SLUG_MAX_BYTES];
    bool tz_ok = false;
    if (!field_string(body, "org_name", true, 1, ORG_NAME_MAX, &name, res))
        goto out;
    if ((problem = org_name_problem(name, slug))) {
        resp_bad_field(res, "org_name", problem);
        goto out;
    }
    if (!field_string(body, "timezone", false, 1, ORG_TZ_MAX, &tz, res))
        goto out;
    if (!tz)
        tz = ORG_DEFAULT_TZ;
    int rc = org_timezone_check(req->db, tz, &tz_ok);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        goto out;
    }
    if (!tz_ok) {
        resp_bad_field(res, "timezone", "must be an IANA time zone name such as America/New_York");
        goto out;
    }
    org_new n = {.name = name, .slug = slug, .timezone = tz, .actor_user_id = req->who.user_id,
                 .owner_user_id = req->who.user_id, .owner_must_have_no_orgs = true, .unique_slug = true};
    json_t *org = NULL;
    rc = org_create(req->db, &n, &org);
    if (rc == ORG_OWNER_HAS_ORGS) {
        resp_result(res, VS_ERR_INVALID, "you already belong to an organization",
                   json_pack("{s:s, s:s}", "field", "org_name", "reason", "user already has organizations"));
    } else if (rc == DB_DUPLICATE) {
        /* only after every suffixed slug was taken too; names no other org */
        resp_result(res, VS_ERR_CONFLICT, "could not create the organization; try again",
                   json_pack("{s:s}", "field", "org_name"));
    } else if (rc != DB_OK || !org) {
        resp_result(res, rc == DB_OK ? DB_ERROR : rc, NULL, NULL);
    } else {
        resp_json(res, 201,
                  json_pack("{s:O, s:O, s:O, s:s, s:s, s:O}", "id", json_object_get(org, "id"), "name",
                            json_object_get(org, "name"), "slug", json_object_get(org, "slug"), "timezone", tz,
                            "role", "org_admin", "created_at", json_object_get(org, "created_at")));
        json_decref(org);
    }
out:
    json_decref(body);
}

const route user_routes[] = {
    {"GET", "/api/user/profile", user_profile, ACCESS_USER, NO_PARAMS},
    {"GET", "/api/user/orgs", user_orgs, ACCESS_USER, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/user/onboard", user_onboard, ACCESS_USER, NO_PARAMS},
    {0},
};
