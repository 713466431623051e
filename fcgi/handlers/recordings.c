/* recordings.c — GET /api/orgs/:orgId/recordings (core/data/recordings.h). */
#include "data/recordings.h"

#include "data/calls.h"
#include "handlers.h"

static void recordings_get(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId");
    page_req page;
    list_cursor cur;
    recordings_filter f = {0};
    char phone[33], direction[16];
    bool has;
    if (!page_parse(req, res, &page) || !cursor_from_query(req, res, "recordings", CURSOR_KEY_TIME, &page, &cur))
        return;
    if (!dl_phone_param(req, res, "phone_number", phone, &has))
        return;
    f.phone_number = has ? phone : NULL;
    if (!dl_enum_param(req, res, "direction", call_directions, direction, sizeof direction, &has))
        return;
    f.direction = has ? direction : NULL;
    if (!dl_span_parse(req, res, org, &f.span))
        return;
    json_t *out = NULL;
    int rc = recordings_list(req->db, org, &f, &cur, &page, &out);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json(res, 200, out);
}

const route recordings_routes[] = {
    {"GET", "/api/orgs/:orgId/recordings", recordings_get, ACCESS_ORG_AGENT},
    {0},
};
