/* live_ticket.h — short-lived subscribe tickets for the dashboard's push
 * stream (nginx nchan, docs/architecture.md "Live updates").
 *
 * EventSource cannot send headers, so the credential rides in the URL; it is
 * never the long-lived access token but a ticket that:
 *  - names one org (the channel it may subscribe to) and whom it was minted
 *    for (a user with the iat and the session, "sid", of the token used; an
 *    API key; the service);
 *  - expires LIVE_TICKET_TTL seconds after it was minted;
 *  - is signed (HMAC-SHA256 keyed from jwt_secret), so nothing is stored.
 * Authorizing a subscribe checks the signature, the expiry and the org, and
 * then that the subject may still see the org now: a user still a member (or
 * platform admin) whose sessions were not revoked since the token's iat and
 * whose token's session has not ended (signed out: its refresh-token family
 * revoked), an API key still live. Format:
 * "lt2.<kind>.<subject>.<session>.<iat>.<exp>.<hex mac>" (subject and
 * session "-" when there is none). */
#ifndef VS_LIVE_TICKET_H
#define VS_LIVE_TICKET_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/db.h"
#include "platform/text.h"

#define LIVE_TICKET_TTL 60
#define LIVE_TICKET_MAX 200

typedef enum { LIVE_SUBJECT_USER = 'u', LIVE_SUBJECT_KEY = 'k', LIVE_SUBJECT_SERVICE = 's' } live_subject;

typedef struct {
    live_subject kind;
    char subject_id[UUID_STR_LEN + 1]; /* user or key id; empty for the service */
    char session_id[UUID_STR_LEN + 1]; /* a user's token's session ("sid"); empty when it has none */
    long long iat;                     /* a user's token iat */
    long long exp;
} live_ticket;

/* Writes a ticket for org_id into out (LIVE_TICKET_MAX + 1 bytes); its
 * expiry is now + LIVE_TICKET_TTL. -1 on bad input. */
int live_ticket_mint(const char *secret, const char *org_id, const live_ticket *t, long long now, char *out,
                     size_t outsz);

/* Signature, shape, org and expiry only (no database): true and *t filled
 * when the ticket is one of ours for org_id and not expired at now. */
bool live_ticket_check(const char *secret, const char *ticket, const char *org_id, long long now, live_ticket *t);

/* live_ticket_check() plus the subject's current right to see org_id (see
 * above). *ok false for any refusal; a negative DB_ code on a database error. */
int live_ticket_authorize(db_conn *db, const char *secret, const char *ticket, const char *org_id, long long now,
                          bool *ok);

#endif
