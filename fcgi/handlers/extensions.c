/* extensions.c — GET /api/orgs/:orgId/extensions (core/data/extensions.h). */
#include "data/extensions.h"

#include "data/data_list.h"
#include "handlers.h"

static void extensions_get(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId");
    page_req page;
    list_cursor cur;
    char status[16];
    bool has;
    if (!page_parse(req, res, &page) || !cursor_from_query(req, res, "extensions", CURSOR_KEY_TEXT, &page, &cur))
        return;
    if (!dl_enum_param(req, res, "status", extension_statuses, status, sizeof status, &has))
        return;
    json_t *out = NULL;
    int rc = extensions_list(req->db, org, has ? status : NULL, &cur, &page, &out);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json(res, 200, out);
}

const route extensions_routes[] = {
    {"GET", "/api/orgs/:orgId/extensions", extensions_get, ACCESS_ORG_AGENT},
    {0},
};
