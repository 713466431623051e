/* mc_messages.h — sending one SMS through MightyCall: POST
 * /contactcenter/messages/send (Contact Center hosts) or /messages/send
 * (classic host api.mightycall.com), JSON {from, to:[one number], message},
 * with an Idempotency-Key so a retry of a send whose reply was lost is not
 * sent twice (mc_request retries such a POST only because it has the key).
 *
 * The outcome says whether the message certainly left, certainly did not, or
 * nobody knows (timeout, connection lost after sending, 5xx, unreadable 2xx):
 * an unknown outcome must never be reported as failed, or a user would send
 * it again. */
#ifndef VS_MC_MESSAGES_H
#define VS_MC_MESSAGES_H

#include "mightycall/mc_client.h"
#include "mightycall/mc_parse.h"

typedef enum {
    MC_SEND_SENT = 0,  /* accepted: id (may be "" if MightyCall gave none) */
    MC_SEND_FAILED,    /* refused or never sent: err.message says why */
    MC_SEND_UNKNOWN,   /* may or may not have been sent: reconcile later */
} mc_send_outcome;

typedef struct {
    char id[MC_ID_LEN];        /* MightyCall message id (= journal requestGuid) */
    char send_time[MC_TIME_LEN]; /* "YYYY-MM-DD HH:MM:SS.mmm" UTC, "" when absent */
} mc_sent;

/* "/contactcenter/messages/send" or "/messages/send" for a base URL. */
const char *mc_messages_send_path(const char *base_url);

mc_send_outcome mc_message_send(mc_client *c, const char *base_url, const char *from, const char *to,
                                const char *text, const char *idempotency_key, mc_sent *out, mc_error *err);

#endif
