/* sms_send.c — POST /api/orgs/:orgId/sms/send {from?, to[], message}
 * (members of the org, API keys). Optional Idempotency-Key header: a repeat
 * with the same key returns the first request's (updated) result and sends
 * nothing twice. Numbers are normalised to E.164 (400 naming the bad one).
 * The pipeline and the answers are core/messaging/sms_send.h. */
#include <stdio.h>
#include <string.h>

#include "../access.h"
#include "handlers.h"
#include "../sms_input.h"
#include "../input.h"
#include "platform/phone.h"
#include "messaging/sms_send.h"

static void sms_send_post(vs_request *req, vs_response *res)
{
    sms_send_req r;
    json_t *body = sms_input_body(req, res, access_actor_user_id(req), &r);
    if (!body)
        return;
    char from[PHONE_E164_MAX + 1];
    const char *from_in = NULL;
    if (!field_string(body, "from", false, 1, PHONE_INPUT_MAX, &from_in, res))
        goto out;
    if (from_in) {
        phone_status st = phone_normalize(from_in, from);
        if (st != PHONE_OK) {
            sms_input_bad_number(res, "from", from_in, st);
            goto out;
        }
        r.from = from;
    }
    if (!sms_input_recipients(body, &r, res) || !sms_input_message(req, body, &r, res))
        goto out;
    sms_send_result result;
    int rc = sms_send(req->db, req->cfg, &r, &result);
    sms_send_respond(res, rc, &result, r.from != NULL);
out:
    json_decref(body);
}

const route sms_send_routes[] = {
    {"POST", "/api/orgs/:orgId/sms/send", sms_send_post, ACCESS_ORG_AGENT, NO_PARAMS},
    {0},
};
