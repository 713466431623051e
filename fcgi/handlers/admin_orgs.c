/* admin_orgs.c — organisations:
 *   GET    /api/admin/orgs          page of orgs (platform admin / service)
 *   POST   /api/admin/orgs          {name, timezone?} → 201 org
 *   GET    /api/admin/orgs/:orgId   org with member_count (org_admin+)
 *   PUT    /api/admin/orgs/:orgId   {name?, timezone?} (org_admin+)
 *   DELETE /api/admin/orgs/:orgId   cascades to all of the org's data (platform admin / service) */
#include "../access.h"
#include "handlers.h"
#include "../input.h"
#include "identity/orgs.h"

/* Validated optional/required timezone field; *tz NULL when absent and optional. */
static bool timezone_field(vs_request *req, vs_response *res, json_t *body, const char **tz)
{
    if (!field_string(body, "timezone", false, 1, ORG_TZ_MAX, tz, res))
        return false;
    if (!*tz)
        return true;
    bool ok = false;
    int rc = org_timezone_check(req->db, *tz, &ok);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    if (!ok) {
        resp_bad_field(res, "timezone", "must be an IANA time zone name such as America/New_York");
        return false;
    }
    return true;
}

static bool name_field(json_t *body, bool required, const char **name, char slug[SLUG_MAX_BYTES], vs_response *res)
{
    if (!field_string(body, "name", required, 1, ORG_NAME_MAX, name, res))
        return false;
    const char *problem;
    if (*name && (problem = org_name_problem(*name, slug))) {
        resp_bad_field(res, "name", problem);
        return false;
    }
    return true;
}

static void name_taken(vs_response *res, const char *slug)
{
    resp_result(res, VS_ERR_CONFLICT, "organization name already taken", json_pack("{s:s, s:s}", "field", "name", "slug", slug));
}

static void orgs_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = org_list(req->db, page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

static void orgs_create(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *name, *tz;
    char slug[SLUG_MAX_BYTES];
    if (name_field(body, true, &name, slug, res) && timezone_field(req, res, body, &tz)) {
        org_new n = {.name = name, .slug = slug, .timezone = tz ? tz : ORG_DEFAULT_TZ,
                     .actor_user_id = access_actor_user_id(req)};
        json_t *org = NULL;
        int rc = org_create(req->db, &n, &org);
        if (rc == DB_DUPLICATE)
            name_taken(res, slug);
        else if (rc != DB_OK || !org)
            resp_result(res, rc == DB_OK ? DB_ERROR : rc, NULL, NULL);
        else
            resp_json(res, 201, org);
    }
    json_decref(body);
}

static void org_not_found(vs_response *res)
{
    resp_result(res, VS_ERR_NOT_FOUND, "organization not found", json_pack("{s:s}", "resource", "organization"));
}

static void orgs_get(vs_request *req, vs_response *res)
{
    json_t *org = NULL;
    int rc = org_get(req->db, req_param(req, "orgId"), &org);
    resp_row(res, rc, org, "organization not found", "organization");
}

static void orgs_update(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *name, *tz;
    char slug[SLUG_MAX_BYTES];
    if (name_field(body, false, &name, slug, res) && timezone_field(req, res, body, &tz)) {
        if (!name && !tz) {
            resp_result(res, VS_ERR_INVALID, "nothing to update: give name and/or timezone",
                       json_pack("{s:s, s:s}", "field", "name", "reason", "name or timezone is required"));
        } else {
            json_t *org = NULL;
            int rc = org_update(req->db, req_param(req, "orgId"), name, name ? slug : NULL, tz,
                                access_actor_user_id(req), &org);
            if (rc == DB_DUPLICATE)
                name_taken(res, slug);
            else
                resp_row(res, rc, org, "organization not found", "organization");
        }
    }
    json_decref(body);
}

static void orgs_delete(vs_request *req, vs_response *res)
{
    bool found = false;
    int rc = org_delete(req->db, req_param(req, "orgId"), access_actor_user_id(req), &found);
    if (rc == DB_FOREIGN_KEY)
        resp_result(res, VS_ERR_CONFLICT, "organization still has data that cannot be deleted with it", NULL);
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!found)
        org_not_found(res);
    else
        resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

const route admin_orgs_routes[] = {
    {"GET", "/api/admin/orgs", orgs_list, ACCESS_PLATFORM_ADMIN, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/admin/orgs", orgs_create, ACCESS_PLATFORM_ADMIN, NO_PARAMS},
    {"GET", "/api/admin/orgs/:orgId", orgs_get, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"PUT", "/api/admin/orgs/:orgId", orgs_update, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"DELETE", "/api/admin/orgs/:orgId", orgs_delete, ACCESS_PLATFORM_ADMIN, NO_PARAMS},
    {0},
};
