/* extensions.c — GET /api/orgs/:orgId/extensions (core/data/extensions.h). */
#include "data/extensions.h"

#include "data/data_list.h"
#include "handlers.h"

static void extensions_get(vs_request *req, vs_response *res)
{
    json_t *out = NULL;
    int rc = extensions_list(req->db, req_param(req, "orgId"), qp_str(req, "status"), qp_cursor(req), qp_page(req),
                             &out);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json(res, 200, out);
}

const route extensions_routes[] = {
    {"GET", "/api/orgs/:orgId/extensions", extensions_get, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_CURSOR_PAGE("extensions", CURSOR_KEY_TEXT), PARAM_ENUM("status", extension_statuses))},
    {0},
};
