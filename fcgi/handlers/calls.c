/* calls.c — GET /api/orgs/:orgId/calls (core/data/calls.h). */
#include "data/calls.h"

#include "handlers.h"

static void calls_get(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId");
    page_req page;
    list_cursor cur;
    calls_filter f = {0};
    char phone[33], direction[16], status[24], type[16];
    bool has;
    if (!page_parse(req, res, &page) || !cursor_from_query(req, res, "calls", CURSOR_KEY_TIME, &page, &cur))
        return;
    if (!dl_phone_param(req, res, "phone_number", phone, &has))
        return;
    f.phone_number = has ? phone : NULL;
    if (!dl_enum_param(req, res, "direction", call_directions, direction, sizeof direction, &has))
        return;
    f.direction = has ? direction : NULL;
    if (!dl_enum_param(req, res, "status", call_statuses, status, sizeof status, &has))
        return;
    f.status = has ? status : NULL;
    if (!dl_enum_param(req, res, "type", call_types, type, sizeof type, &has))
        return;
    f.type = has ? type : NULL;
    if (!dl_span_parse(req, res, org, &f.span))
        return;
    json_t *out = NULL;
    int rc = calls_list(req->db, org, &f, &cur, &page, &out);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json(res, 200, out);
}

const route calls_routes[] = {
    {"GET", "/api/orgs/:orgId/calls", calls_get, ACCESS_ORG_AGENT},
    {0},
};
