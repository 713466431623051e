/* mightycall_admin.c — platform-admin views of synced MightyCall data (SPEC §2):
 *   GET  /api/admin/mightycall/phone-numbers[?orgId&skip&limit]
 *   GET  /api/admin/mightycall/extensions[?orgId&skip&limit]
 *   GET  /api/admin/mightycall/reports[?orgId&date_from&date_to&phone_number&skip&limit]
 *        lists: {data,total,skip,limit} plus the seed's key (phone_numbers / extensions / reports) → same array
 *   POST /api/admin/mightycall/sync?orgId=…  (or body {"orgId"}) — pulls phone numbers and extensions of the
 *        org now, synchronously → {success, phones, extensions, org_id}; 502 when MightyCall fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "../input.h"
#include "mightycall/admin_sync.h"
#include "mightycall/admin_views.h"
#include "mightycall/mc_parse.h"

/* Answer a page, with the seed's key (alias) holding the same array as data. */
static void answer_page(vs_response *res, int rc, json_t *rows, long long total, const page_req *page,
                        const char *alias)
{
    if (rc != VS_OK) {
        json_decref(rows);
        resp_result(res, rc, NULL, NULL);
        return;
    }
    json_t *body = page_envelope(rows, total, page);
    json_object_set(body, alias, json_object_get(body, "data"));
    resp_json(res, 200, body);
}

/* A list of one kind of synced data, all orgs or ?orgId's. */
typedef int (*org_list_fn)(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                           long long *total);
static void org_list(vs_request *req, vs_response *res, org_list_fn list, const char *alias)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = list(req->db, qp_str(req, "orgId"), page.skip, page.limit, &rows, &total);
    answer_page(res, rc, rows, total, &page, alias);
}

static void admin_phone_numbers(vs_request *req, vs_response *res)
{
    org_list(req, res, admin_phone_numbers_list, "phone_numbers");
}

static void admin_extensions(vs_request *req, vs_response *res)
{
    org_list(req, res, admin_extensions_list, "extensions");
}

/* The day of a date-time parameter ("YYYY-MM-DD"), NULL when absent. */
static const char *param_day(const vs_request *req, const char *name, char out[11])
{
    const char *dt = qp_str(req, name);
    if (!dt)
        return NULL;
    snprintf(out, 11, "%.10s", dt);
    return out;
}

static void admin_reports(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    char from[11], to[11];
    const char *org = qp_str(req, "orgId"), *f = param_day(req, "date_from", from), *t = param_day(req, "date_to", to),
               *ph = qp_str(req, "phone_number");
    json_t *rows = NULL;
    long long total = 0;
    int rc = admin_reports_list(req->db, org, f, t, ph, page.skip, page.limit, &rows, &total);
    answer_page(res, rc, rows, total, &page, "reports");
}

static void admin_sync(vs_request *req, vs_response *res)
{
    char buf[64];
    const char *org = qp_str(req, "orgId");
    json_t *body = NULL;
    if (!org && req->body_len > 0) {
        if (!(body = body_object(req, res)))
            return;
        const char *b = NULL;
        if (!field_uuid(body, "orgId", false, &b, res) || (!b && !field_uuid(body, "org_id", false, &b, res))) {
            json_decref(body);
            return;
        }
        if (b) {
            snprintf(buf, 64, "%s", b);
            for (char *p = buf; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p + 32);
            org = buf;
        }
    }
    json_decref(body);
    if (!org) {
        resp_bad_field(res, "orgId", "is required (query parameter or body)");
        return;
    }
    admin_sync_counts n;
    int rc = admin_sync_org(req->db, req->cfg, org, &n);
    if (rc == VS_ERR_NOT_FOUND)
        resp_result(res, rc, "the organization has no MightyCall integration",
                    json_pack("{s:s}", "resource", "integration"));
    else if (rc == VS_ERR_SECRET)
        resp_result(res, rc, "the integration's credentials cannot be decrypted", NULL);
    else if (n.mc_failed)
        resp_result(res, rc, "MightyCall sync failed", json_pack("{s:b, s:s}", "success", 0, "reason", n.reason));
    else if (rc != VS_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200,
                  json_pack("{s:b, s:I, s:I, s:s, s:I, s:I}", "success", 1, "phones", (json_int_t)n.phones,
                            "extensions", (json_int_t)n.extensions, "org_id", org, "new_numbers",
                            (json_int_t)n.new_numbers, "new_extensions", (json_int_t)n.new_extensions));
}

#define PARAM_ORG_FILTER {.name = "orgId", .type = QP_UUID}

const route mightycall_admin_routes[] = {
    {"GET", "/api/admin/mightycall/phone-numbers", admin_phone_numbers, ACCESS_PLATFORM_ADMIN,
     PARAMS(PARAMS_PAGE, PARAM_ORG_FILTER)},
    {"GET", "/api/admin/mightycall/extensions", admin_extensions, ACCESS_PLATFORM_ADMIN,
     PARAMS(PARAMS_PAGE, PARAM_ORG_FILTER)},
    {"GET", "/api/admin/mightycall/reports", admin_reports, ACCESS_PLATFORM_ADMIN,
     PARAMS(PARAMS_PAGE, PARAM_ORG_FILTER, {.name = "date_from", .type = QP_DATETIME},
            {.name = "date_to", .type = QP_DATETIME}, PARAM_PHONE("phone_number"))},
    {"POST", "/api/admin/mightycall/sync", admin_sync, ACCESS_PLATFORM_ADMIN, PARAMS(PARAM_ORG_FILTER)},
    {0},
};
