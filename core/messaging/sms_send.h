/* sms_send.h — sending SMS through MightyCall without losing or doubling one.
 *
 * A send request (POST …/sms/send or a thread reply) is recorded once per org
 * and Idempotency-Key (the client's header, or a key made up here) in
 * sms_send_requests; each recipient becomes one sms_messages row (status
 * queued, source api) plus one sms_outbox row, all stored in one transaction
 * BEFORE anything is sent. Then each message is POSTed once (with an
 * upstream Idempotency-Key "vs-" + message id, for MightyCall's logs only: its
 * API does not honour one, so a POST that may have arrived is never repeated):
 *   accepted           → status sent, external_id = MightyCall's id (a copy
 *                        the sync stored meanwhile is merged into this row)
 *   refused / not sent → status failed, failure_reason = MightyCall's words
 *   unknown (timeout, connection lost after sending, 5xx)
 *                      → stays queued, outbox state unknown; reconciled by
 *                        sms_reconcile_org() after every SMS sync (the
 *                        journal copy is matched by numbers, text and time),
 *                        or marked failed SMS_UNKNOWN_TIMEOUT_S after the
 *                        attempt. The client repeating the request with the
 *                        same Idempotency-Key sends only messages still
 *                        pending (never handed to MightyCall).
 * A repeated key with another body is refused (SMS_SEND_KEY_CONFLICT).
 * Per-org rate limit: SMS_RATE_PER_MINUTE messages per UTC minute. */
#ifndef VS_SMS_SEND_H
#define VS_SMS_SEND_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/text.h"
#include "platform/phone.h"

#define SMS_MAX_RECIPIENTS 50
#define SMS_MESSAGE_MAX 1600         /* characters (MightyCall's limit) */
#define SMS_RATE_PER_MINUTE 60       /* messages per org per UTC minute */
#define SMS_IDEMPOTENCY_KEY_MAX 100  /* printable ASCII */
#define SMS_SEND_BUDGET_MS 25000     /* a request starts no new upstream send after this */
#define SMS_SENDING_LEASE_S 120      /* a 'sending' message older than this is treated as unknown */
#define SMS_UNKNOWN_TIMEOUT_S 86400  /* an unknown message not in the journal this long after its send → failed */

typedef struct {
    const char *org_id;
    const char *actor_user_id;                     /* NULL: API key / service */
    const char *from;                              /* E.164, NULL = the org's default number */
    char to[SMS_MAX_RECIPIENTS][PHONE_E164_MAX + 1]; /* E.164, distinct */
    int nto;
    const char *message;
    const char *idempotency_key;                   /* the client's, or NULL */
} sms_send_req;

/* vs_result members (platform/result.h) under this module's names */
#define SMS_SEND_OK VS_OK
#define SMS_SEND_NO_SENDER VS_ERR_INVALID           /* from is not a texting number of the org / no default */
#define SMS_SEND_NO_INTEGRATION VS_ERR_NO_INTEGRATION /* the org has no active MightyCall integration */
#define SMS_SEND_KEY_CONFLICT VS_ERR_CONFLICT       /* Idempotency-Key already used for another request */
#define SMS_SEND_RATE_LIMITED VS_ERR_RATE_LIMITED   /* retry_after seconds */
#define SMS_SEND_SECRET_ERROR VS_ERR_SECRET         /* a stored secret cannot be decrypted */
#define SMS_SEND_OPTED_OUT VS_ERR_CONFLICT          /* a recipient texted STOP to the sender (res->opted_out) */

typedef struct {
    bool replayed;       /* the key was seen before: this is its (updated) result */
    int sent, failed, queued;
    int retry_after;     /* SMS_SEND_RATE_LIMITED; or when failures were quota */
    bool quota;          /* some message failed because the MightyCall budget is used up */
    json_t *body;        /* {request_id, idempotency_key, status, sent, failed, queued, messages[]} */
    json_t *opted_out;   /* SMS_SEND_OPTED_OUT: {field, reason, from, numbers[{contact_number, keyword, since}]}
                            (caller owns it); nothing was stored or sent */
} sms_send_result;

/* Validate nothing (the handler did), store, send, report. Returns SMS_SEND_*
 * or a negative DB_ code; res->body is set on SMS_SEND_OK (caller owns it). */
int sms_send(db_conn *db, const vs_config *cfg, const sms_send_req *r, sms_send_result *res);

/* Match the org's unknown (and stale sending) messages against copies the sync
 * stored from the journal; a match makes the message sent with the journal's
 * id and removes the copy. *resolved = how many. Safe to call any time (vs-sync
 * after an SMS page, the thread reads). */
int sms_reconcile_org(db_conn *db, const char *org_id, int *resolved);

/* Header value usable as an Idempotency-Key: 1..SMS_IDEMPOTENCY_KEY_MAX
 * printable ASCII characters without spaces. */
bool sms_idempotency_key_ok(const char *k);

#endif
