/* voicemails.c — GET /api/orgs/:orgId/voicemails (core/data/voicemails.h). */
#include "data/voicemails.h"

#include "handlers.h"

static void voicemails_get(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId");
    page_req page;
    list_cursor cur;
    voicemails_filter f = {0};
    char phone[33], status[16];
    bool has;
    if (!page_parse(req, res, &page) || !cursor_from_query(req, res, "voicemails", CURSOR_KEY_TIME, &page, &cur))
        return;
    if (!dl_phone_param(req, res, "phone_number", phone, &has))
        return;
    f.phone_number = has ? phone : NULL;
    if (!dl_enum_param(req, res, "status", voicemail_statuses, status, sizeof status, &has))
        return;
    f.status = has ? status : NULL;
    if (!dl_span_parse(req, res, org, &f.span))
        return;
    json_t *out = NULL;
    int rc = voicemails_list(req->db, org, &f, &cur, &page, &out);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json(res, 200, out);
}

const route voicemails_routes[] = {
    {"GET", "/api/orgs/:orgId/voicemails", voicemails_get, ACCESS_ORG_AGENT},
    {0},
};
