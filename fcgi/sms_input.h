/* sms_input.h — the HTTP edge of an SMS send, shared by /sms/send and thread
 * replies: validating the request and turning a core send result into the
 * answer. */
#ifndef VS_SMS_INPUT_H
#define VS_SMS_INPUT_H

#include <stdbool.h>

#include "http.h"
#include "messaging/sms_send.h"

/* Input of a send, validated at the edge (400 naming the field, e.g. "to[2]"):
 * a number that is not E.164-normalisable; to = one number or an array of 1 to
 * SMS_MAX_RECIPIENTS (duplicates after normalisation are dropped); message
 * 1..SMS_MESSAGE_MAX characters and the optional Idempotency-Key header. */
/* The JSON body of a send (NULL: 400 set) with r zeroed and started for the
 * route's org and the acting user (actor: access_actor_user_id). */
json_t *sms_input_body(const vs_request *req, vs_response *res, const char *actor_user_id, sms_send_req *r);
void sms_input_bad_number(vs_response *res, const char *field, const char *value, phone_status st);
bool sms_input_recipients(json_t *body, sms_send_req *r, vs_response *res);
bool sms_input_message(const vs_request *req, json_t *body, sms_send_req *r, vs_response *res);

/* The HTTP answer of a send (shared by /sms/send and thread replies):
 *   201 every message sent (or some sent, some refused)
 *   202 some still queued (outcome unknown: repeat with the same Idempotency-Key)
 *   502 all refused by MightyCall (503 + Retry-After when its budget is used up)
 *   400 from / 409 no integration or key reused / 429 + Retry-After rate limit
 * The body (or an error's details) is the result; Idempotent-Replayed: true on
 * a repeat. Takes ownership of r->body. */
void sms_send_respond(vs_response *res, int rc, sms_send_result *r, bool from_given);

#endif
