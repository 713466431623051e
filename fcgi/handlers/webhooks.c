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
    char secret[WEBHOOK_SECRET_MAX + 2];
    int has = query_get(req, res, "secret", secret, sizeof secret);
    webhook_result r;
    int rc = has > 0 ? webhook_receive(req->db, req->cfg, req_param(req, "integrationId"), secret, req->body,
                                       req->body_len, &r)
                     : WEBHOOK_UNAUTHORIZED;
    if (has <= 0)
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
    page_req page;
    if (!page_parse(req, res, &page))
        return;
    char type[72], call[72];
    int ht = query_get(req, res, "event_type", type, sizeof type);
    if (ht < 0)
        return;
    if (ht > 0 && !event_type_ok(type)) {
        resp_bad_field(res, "event_type", "must be letters, digits, '_', '-' or '.'");
        return;
    }
    int hc = query_get(req, res, "call_id", call, sizeof call);
    if (hc < 0)
        return;
    if (hc > 0 && (strlen(call) == 0 || strlen(call) > 64)) {
        resp_bad_field(res, "call_id", "must be 1 to 64 characters");
        return;
    }
    const char *org = req_param(req, "orgId");
    const char *t = ht > 0 ? type : NULL, *c = hc > 0 ? call : NULL;
    long long total = 0;
    json_t *rows = NULL;
    int rc = webhook_events_list(req->db, org, t, c, page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

const route webhooks_routes[] = {
    {"POST", "/api/webhooks/mightycall/:integrationId", webhook_post, ACCESS_PUBLIC},
    {"GET", "/api/orgs/:orgId/webhooks/events", events_list, ACCESS_ORG_MANAGER},
    {0},
};
