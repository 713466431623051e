/* webhooks.h — MightyCall webhook events (POST /api/webhooks/mightycall/:integrationId).
 *
 * MightyCall signs nothing, so an event is accepted only when
 *   - the URL's secret (?secret=…) equals the integration's webhook secret and
 *   - the body's ApiKey equals the integration's MightyCall api_key,
 * both compared in constant time, and its Timestamp is within
 * WEBHOOK_WINDOW_S of now (old captures cannot be replayed). Anything else is
 * refused before a byte is stored.
 *
 * Accepted events are stored in call_events exactly once (the event's Guid, or
 * a hash of the payload when it has none, is unique per org); a repeat is
 * answered 200 "duplicate". Then:
 *   call events (IncomingCall…, OutgoingCall…) with Body.Id → the call
 *     (calls.external_id = Body.Id) is recomputed from ALL its stored events
 *     sorted by Timestamp, so arrival order does not matter; rows the sync
 *     wrote (source calls/journal) keep their authoritative fields. A
 *     completed call refreshes the daily report of its day.
 *   message events (IncomingMessage…) with Body.Id → an sms_messages row
 *     (external_id = Body.Id, the journal's requestGuid) in its thread; the
 *     sync's copy of the same message is the same row.
 *   anything else → stored only.
 * Per call, events are applied under a MariaDB named lock, so concurrent
 * events of one call never lose an update. */
#ifndef VS_WEBHOOKS_H
#define VS_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/config.h"
#include "platform/db.h"
#include "mightycall/mc_parse.h"

#define WEBHOOK_SECRET_MAX 128          /* bytes of a URL secret */
#define WEBHOOK_PAYLOAD_MAX (64 * 1024) /* bytes of one event */
#define WEBHOOK_WINDOW_S 900            /* |Timestamp − now| accepted, seconds */

/* vs_result members (platform/result.h) under this module's names */
#define WEBHOOK_OK VS_OK
#define WEBHOOK_UNAUTHORIZED VS_ERR_UNAUTHORIZED /* unknown integration, bad secret or ApiKey */
#define WEBHOOK_STALE VS_ERR_EXPIRED             /* Timestamp outside the window */
#define WEBHOOK_BAD_REQUEST VS_ERR_INVALID       /* malformed event: out.field / out.reason */
#define WEBHOOK_TOO_LARGE VS_ERR_TOO_LARGE
#define WEBHOOK_DISABLED VS_ERR_FORBIDDEN        /* integration disabled */

typedef struct {
    bool duplicate;
    char event_id[37];
    char event_type[65];
    char call_id[37];    /* calls.id when the event updated a call */
    char message_id[37]; /* sms_messages.id when it carried a message */
    const char *field;   /* WEBHOOK_BAD_REQUEST: which field */
    const char *reason;  /* WEBHOOK_BAD_REQUEST / _STALE / _UNAUTHORIZED: plain words */
} webhook_result;

int webhook_receive(db_conn *db, const vs_config *cfg, const char *integration_id, const char *secret,
                    const char *body, size_t body_len, webhook_result *out);

/* ---- the fold, exposed for unit tests ---- */

typedef struct {
    const char *type;      /* EventType */
    long long at_ms;       /* Timestamp */
    const char *from, *to; /* E.164 or "" */
    const char *extension; /* or "" */
} webhook_call_event;

typedef struct {
    const char *direction; /* inbound | outbound, NULL when no event says */
    const char *status;    /* ringing | in_progress | connected | missed | no_answer */
    long long started_ms, ended_ms; /* ended_ms 0 while not completed */
    long duration_s;
    char business[MC_PHONE_LEN], caller[MC_PHONE_LEN], called[MC_PHONE_LEN];
    char extension[17];
} webhook_call_state;

/* Is this EventType about a call / a message? (case-blind prefixes) */
bool webhook_is_call_event(const char *type);
bool webhook_is_message_event(const char *type);

/* The state of a call from its events in any order. */
void webhook_fold_call(const webhook_call_event *ev, int n, webhook_call_state *out);

/* Parse and validate an event body exactly as webhook_receive() does once the
 * caller is authenticated, without storing anything (fuzzing, tests):
 * WEBHOOK_OK, or WEBHOOK_BAD_REQUEST with out->field / out->reason. */
int webhook_parse_check(const char *body, size_t body_len, webhook_result *out);

/* Page of the org's stored events, newest first, optionally of one
 * event_type and/or MightyCall call id (NULL = any): {id, integration_id,
 * event_type, guid, call_id, from_number, to_number, extension, occurred_at,
 * received_at, payload}; *total = matching events. */
int webhook_events_list(db_conn *db, const char *org_id, const char *event_type, const char *call_id, long long skip,
                        int limit, json_t **rows, long long *total);

#endif
