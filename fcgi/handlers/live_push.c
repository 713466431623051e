/* live_push.c — the HTTP edge of the push stream (nginx nchan; see
 * docs/architecture.md "Live updates"):
 *  - POST /api/orgs/:orgId/live/ticket (members, API keys, service): a
 *    subscribe ticket for the org's channel, valid LIVE_TICKET_TTL seconds,
 *    and the stream URL to open with EventSource;
 *  - GET /api/live/authorize/:channelOrg?ticket=… : nginx's
 *    nchan_authorize_request subrequest for a subscribe to /live/orgs/<org>
 *    (the browser's query string rides along). 200 lets the subscribe
 *    through, 403 refuses it (a bad, expired or other org's ticket, a
 *    revoked or signed-out session, a member no longer in the org). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "../input.h"
#include "identity/live_ticket.h"
#include "platform/live_pub.h"

static void ticket_post(vs_request *req, vs_response *res)
{
    const char *org_id = req_param(req, "orgId");
    const principal *w = &req->who;
    live_ticket t = {0};
    switch (w->kind) {
    case PRINCIPAL_USER:
        t.kind = LIVE_SUBJECT_USER;
        snprintf(t.subject_id, sizeof t.subject_id, "%s", w->user_id);
        t.iat = w->token_iat;
        memcpy(t.session_id, w->session_id, sizeof t.session_id);
        break;
    case PRINCIPAL_API_KEY:
        t.kind = LIVE_SUBJECT_KEY;
        snprintf(t.subject_id, sizeof t.subject_id, "%s", w->key_id);
        break;
    default:
        t.kind = LIVE_SUBJECT_SERVICE;
        break;
    }
    long long now = (long long)time(NULL);
    char ticket[LIVE_TICKET_MAX + 1];
    if (live_ticket_mint(req->cfg->jwt_secret, org_id, &t, now, ticket, sizeof ticket) != 0) {
        resp_result(res, VS_ERR_INTERNAL, NULL, NULL);
        return;
    }
    char url[96];
    snprintf(url, sizeof url, "/live/orgs/%s", org_id);
    resp_json(res, 201,
              json_pack("{s:s,s:s,s:s,s:i,s:b}", "ticket", ticket, "url", url, "channel_org_id", org_id,
                        "expires_in_seconds", LIVE_TICKET_TTL, "push", live_pub_enabled()));
}

static void authorize_get(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "channelOrg");
    char org_id[UUID_STR_LEN + 1];
    bool ok = false;
    int rc = DB_OK;
    if (org && is_uuid(org) && qp_str(req, "ticket")) {
        for (int i = 0; i <= UUID_STR_LEN; i++)
            org_id[i] = (org[i] >= 'A' && org[i] <= 'Z') ? (char)(org[i] + 32) : org[i];
        rc = live_ticket_authorize(req->db, req->cfg->jwt_secret, qp_str(req, "ticket"), org_id,
                                   (long long)time(NULL), &ok);
    }
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!ok)
        resp_result(res, VS_ERR_FORBIDDEN, "live ticket not valid for this channel", NULL);
    else
        resp_json(res, 200, json_pack("{s:s}", "channel_org_id", org_id));
}

const route live_push_routes[] = {
    {"POST", "/api/orgs/:orgId/live/ticket", ticket_post, ACCESS_ORG_AGENT, NO_PARAMS},
    {"GET", "/api/live/authorize/:channelOrg", authorize_get, ACCESS_PUBLIC,
     PARAMS({.name = "ticket", .type = QP_STRING, .max = LIVE_TICKET_MAX})},
    {0},
};
