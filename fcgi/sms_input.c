/* sms_input.c — owns the HTTP edge of an SMS send (fcgi/sms_input.h). */
#include "sms_input.h"

#include <stdio.h>
#include <string.h>

#include "input.h"

json_t *sms_input_body(const vs_request *req, vs_response *res, const char *actor_user_id, sms_send_req *r)
{
    json_t *body = body_object(req, res);
    if (!body)
        return NULL;
    memset(r, 0, sizeof *r);
    r->org_id = req_param(req, "orgId");
    r->actor_user_id = actor_user_id;
    return body;
}

void sms_send_respond(vs_response *res, int rc, sms_send_result *r, bool from_given)
{
    /* the statuses come from fcgi/result_status.c; here only the words and details */
    if (rc == SMS_SEND_NO_SENDER) {
        resp_bad_field(res, "from",
                       from_given ? "is not a texting number of this organization (add it under /sms/numbers)"
                                  : "is required: the organization has no default SMS number");
        return;
    }
    if (r->opted_out) {
        /* nothing was sent: the recipients said STOP to this number */
        json_t *first = json_array_get(json_object_get(r->opted_out, "numbers"), 0);
        char msg[200];
        snprintf(msg, sizeof msg,
                 "%s texted %s to %s and has opted out of texts from it; nothing was sent (they can text START to "
                 "opt back in)",
                 json_string_value(json_object_get(first, "contact_number")),
                 json_string_value(json_object_get(first, "keyword")),
                 json_string_value(json_object_get(r->opted_out, "from")));
        resp_result(res, rc, msg, r->opted_out);
        r->opted_out = NULL;
        return;
    }
    if (rc != SMS_SEND_OK) {
        json_t *details = rc == SMS_SEND_NO_INTEGRATION ? json_pack("{s:s}", "reason", "no_integration")
                          : rc == SMS_SEND_KEY_CONFLICT
                              ? json_pack("{s:s, s:s}", "field", "Idempotency-Key", "reason", "reused with another body")
                          : rc == SMS_SEND_RATE_LIMITED
                              ? json_pack("{s:i, s:i}", "limit_per_minute", SMS_RATE_PER_MINUTE, "retry_after_seconds",
                                          r->retry_after)
                              : NULL;
        const char *msg = rc == SMS_SEND_KEY_CONFLICT ? "this Idempotency-Key was already used for a different request"
                          : rc == SMS_SEND_RATE_LIMITED ? "too many SMS for this organization, slow down"
                          : rc == SMS_SEND_SECRET_ERROR ? "a stored MightyCall secret cannot be decrypted"
                                                        : NULL;
        resp_result(res, rc, msg, details);
        return;
    }
    if (r->replayed)
        resp_add_header(res, "Idempotent-Replayed: true");
    if (r->queued > 0) {
        resp_json(res, 202, r->body);
    } else if (r->sent > 0) {
        resp_json(res, 201, r->body);
    } else if (r->quota) {
        resp_result(res, VS_ERR_QUOTA, "the daily MightyCall request budget is used up; the message was not sent", r->body);
        resp_add_header(res, "Retry-After: %d", r->retry_after > 0 ? r->retry_after : 60);
    } else {
        resp_result(res, VS_ERR_UPSTREAM, "MightyCall did not send the message", r->body);
    }
    r->body = NULL;
}

void sms_input_bad_number(vs_response *res, const char *field, const char *value, phone_status st)
{
    char msg[200];
    snprintf(msg, sizeof msg, "invalid %s: '%.40s' %s", field, value, phone_status_reason(st));
    resp_result(res, VS_ERR_INVALID, msg, json_pack("{s:s, s:s, s:s}", "field", field, "reason", phone_status_reason(st), "value", value));
}

bool sms_input_recipients(json_t *body, sms_send_req *r, vs_response *res)
{
    json_t *to = json_object_get(body, "to");
    json_t *list = json_is_string(to) ? json_pack("[O]", to) : json_incref(to);
    bool ok = false;
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > SMS_MAX_RECIPIENTS) {
        char reason[96];
        snprintf(reason, sizeof reason, "is required: an array of 1 to %d phone numbers", SMS_MAX_RECIPIENTS);
        resp_bad_field(res, "to", reason);
        goto out;
    }
    r->nto = 0;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        char field[32], num[PHONE_E164_MAX + 1];
        snprintf(field, sizeof field, "to[%zu]", i);
        const char *s = json_string_value(v);
        if (!s || strlen(s) != json_string_length(v) || strlen(s) > PHONE_INPUT_MAX || utf8_chars(s) < 0) {
            resp_bad_field(res, field, "must be a phone number (a string of at most 40 characters)");
            goto out;
        }
        phone_status st = phone_normalize(s, num);
        if (st != PHONE_OK) {
            sms_input_bad_number(res, field, s, st);
            goto out;
        }
        bool dup = false;
        for (int k = 0; k < r->nto && !dup; k++)
            dup = strcmp(r->to[k], num) == 0;
        if (!dup)
            snprintf(r->to[r->nto++], sizeof r->to[0], "%s", num);
    }
    ok = true;
out:
    json_decref(list);
    return ok;
}

bool sms_input_message(const vs_request *req, json_t *body, sms_send_req *r, vs_response *res)
{
    if (json_object_get(body, "attachments")) {
        resp_bad_field(res, "attachments", "are not supported: send text only");
        return false;
    }
    if (!field_string(body, "message", true, 1, SMS_MESSAGE_MAX, &r->message, res))
        return false;
    const char *key = req_header(req, "idempotency-key");
    if (key && !sms_idempotency_key_ok(key)) {
        char reason[120];
        snprintf(reason, sizeof reason, "must be 1 to %d printable ASCII characters without spaces",
                 SMS_IDEMPOTENCY_KEY_MAX);
        resp_bad_field(res, "Idempotency-Key", reason);
        return false;
    }
    r->idempotency_key = key;
    return true;
}
