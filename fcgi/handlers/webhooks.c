/* webhooks.c — MightyCall webhooks (core/messaging/webhooks.h):
 *   POST /api/webhooks/mightycall/:integrationId?secret=…   ACCESS_PUBLIC: the URL secret
 *        and the body's ApiKey authenticate (401, nothing stored, when either is wrong or the
 *        Timestamp is outside the window); 200 {received, duplicate, event_id, event_type,
 *        call_id, message_id}
 *   GET  /api/orgs/:orgId/webhooks/events                   page of stored events, newest
 *        first; ?event_type= &call_id= (the MightyCall call id) (managers+)
 * docs/webhooks.md tells how to set the URL in MightyCall's panel. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "../input.h"
#include "messaging/webhooks.h"

static void webhook_post(vs_request *req, vs_response *res)
{
    const char *secret = qp_str(req, "secret");
    webhook_result r;
    int rc = secret ? webhook_receive(req->db, req->cfg, req_param(req, "integrationId"), secret, req->body,
                                      req->body_len, &r)
                    : WEBHOOK_UNAUTHORIZED;
    if (!secret)
        r.reason = "invalid webhook credentials";
    if (rc == WEBHOOK_OK)
        resp_json(res, 200,
                  json_pack("{s:b, s:b, s:s, s:s, s:s?, s:s?}", "received", 1, "duplicate", r.duplicate, "event_id",
                            r.event_id, "event_type", r.event_type, "call_id", r.call_id[0] ? r.call_id : NULL,
                            "message_id", r.message_id[0] ? r.message_id : NULL));
    else if (rc == WEBHOOK_BAD_REQUEST)
        resp_bad_field(res, r.field, r.reason);
    else if (rc == WEBHOOK_UNAUTHORIZED || rc == WEBHOOK_STALE) /* 401 either way (fcgi/result_status.c) */
        resp_result(res, rc, r.reason,
                    json_pack("{s:s}", "reason", rc == WEBHOOK_STALE ? "stale_timestamp" : "credentials"));
    else if (rc == WEBHOOK_TOO_LARGE)
        resp_result(res, rc, "webhook event too large", json_pack("{s:i}", "max_bytes", WEBHOOK_PAYLOAD_MAX));
    else
        resp_result(res, rc, rc == WEBHOOK_DISABLED ? "the integration is disabled" : NULL, NULL);
}

static bool event_type_ok(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return false;
    return *s != 0;
}

static void events_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    const char *org = req_param(req, "orgId");
    const char *t = qp_str(req, "event_type"), *c = qp_str(req, "call_id");
    long long total = 0;
    json_t *rows = NULL;
    int rc = webhook_events_list(req->db, org, t, c, page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

#define WEBHOOK_SECRET_QUERY_MAX 1024 /* characters accepted before 400 */

const route webhooks_routes[] = {
    /* a missing or too long secret is 401 like a wrong one (webhook_receive), not 400 */
    {"POST", "/api/webhooks/mightycall/:integrationId", webhook_post, ACCESS_PUBLIC,
     PARAMS({.name = "secret", .type = QP_STRING, .max = WEBHOOK_SECRET_QUERY_MAX})},
    {"GET", "/api/orgs/:orgId/webhooks/events", events_list, ACCESS_ORG_MANAGER,
     PARAMS(PARAMS_PAGE,
            {.name = "event_type", .type = QP_STRING, .min = 1, .max = 64, .check = event_type_ok,
             .reason = "must be letters, digits, '_', '-' or '.'"},
            {.name = "call_id", .type = QP_STRING, .min = 1, .max = 64})},
    {0},
};
