/* activity.c — GET /api/orgs/:orgId/activity: the org's activity feed, newest
 * first, paged, optional ?type= filter (one of activity_types[]). */
#include "platform/activity.h"
#include "handlers.h"

static void activity_get(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = activity_list(req->db, req_param(req, "orgId"), qp_str(req, "type"), page.skip, page.limit, &rows,
                           &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

const route activity_routes[] = {
    {"GET", "/api/orgs/:orgId/activity", activity_get, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_PAGE, {.name = "type", .type = QP_ENUM, .allowed = activity_types})},
    {0},
};
