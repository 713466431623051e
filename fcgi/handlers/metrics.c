/* metrics.c — GET /api/orgs/:orgId/metrics and GET /api/client-metrics
 * (core/data/metrics.h). */
#include "data/metrics.h"

#include "handlers.h"

static void org_metrics_get(vs_request *req, vs_response *res)
{
    char *body = NULL;
    size_t len = 0;
    int rc = metrics_org(req->db, req_param(req, "orgId"),
                         req->who.org.loaded ? req->who.org.timezone : NULL, &body, &len);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json_text(res, 200, body, len);
}

static void client_metrics_get(vs_request *req, vs_response *res)
{
    json_t *out = NULL;
    int rc = metrics_platform(req->db, &out);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, out);
}

const route metrics_routes[] = {
    {"GET", "/api/orgs/:orgId/metrics", org_metrics_get, ACCESS_ORG_AGENT, NO_PARAMS},
    {"GET", "/api/client-metrics", client_metrics_get, ACCESS_PLATFORM_ADMIN, NO_PARAMS},
    {0},
};
