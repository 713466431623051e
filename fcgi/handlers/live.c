/* live.c — GET /api/orgs/:orgId/live?cursor=… (members, API keys): calls and
 * SMS messages created or changed since the cursor (core/data/live.h). Without a
 * cursor: an empty page and the cursor to start from. The dashboard polls it
 * every few seconds; an unparsable cursor is 400 (start again without one). */
#include "handlers.h"
#include "../input.h"
#include "messaging/live.h"

static void live_get(vs_request *req, vs_response *res)
{
    const char *cursor = qp_has(req, "cursor") ? qp_str(req, "cursor") : qp_str(req, "since"); /* alias */
    json_t *out = NULL;
    bool bad = false;
    int rc = live_changes(req->db, req_param(req, "orgId"), cursor, &out, &bad);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (bad)
        resp_bad_field(res, "cursor", "is not a cursor of this feed: start again without one");
    else
        resp_json(res, 200, out);
}

const route live_routes[] = {
    {"GET", "/api/orgs/:orgId/live", live_get, ACCESS_ORG_AGENT,
     PARAMS({.name = "cursor", .type = QP_STRING, .max = LIVE_CURSOR_MAX},
            {.name = "since", .type = QP_STRING, .max = LIVE_CURSOR_MAX})},
    {0},
};
