/* activity.c — GET /api/orgs/:orgId/activity: the org's activity feed, newest
 * first, paged, optional ?type= filter (one of activity_types[]). */
#include <stdio.h>
#include <string.h>

#include "platform/activity.h"
#include "handlers.h"
#include "../input.h"

static void activity_get(vs_request *req, vs_response *res)
{
    page_req page;
    if (!page_parse(req, res, &page))
        return;
    char type[64];
    int has = query_get(req, res, "type", type, sizeof type);
    if (has < 0)
        return;
    if (has > 0 && !activity_type_known(type)) {
        char reason[768] = "must be one of:";
        for (const char *const *t = activity_types; *t; t++) {
            strncat(reason, " ", sizeof reason - strlen(reason) - 1);
            strncat(reason, *t, sizeof reason - strlen(reason) - 1);
        }
        resp_bad_field(res, "type", reason);
        return;
    }
    json_t *rows = NULL;
    long long total = 0;
    int rc = activity_list(req->db, req_param(req, "orgId"), has > 0 ? type : NULL, page.skip, page.limit, &rows,
                           &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

const route activity_routes[] = {
    {"GET", "/api/orgs/:orgId/activity", activity_get, ACCESS_ORG_AGENT},
    {0},
};
