/* extensions.c — GET /api/orgs/:orgId/extensions (core/data/extensions.h). */
#include "data/extensions.h"

#include "data/data_list.h"
#include "handlers.h"

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

const route extensions_routes[] = {
    {"GET", "/api/orgs/:orgId/extensions", extensions_get, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_CURSOR_PAGE("extensions", CURSOR_KEY_TEXT), PARAM_ENUM("status", extension_statuses))},
    {0},
};
