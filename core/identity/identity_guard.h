/* identity_guard.h — the check that a remembered identity still holds, as a
 * db_guard (platform/db.h) that rides in the first read of a request: for an
 * API key (still unrevoked, of that org) or a user (role in the org, platform
 * admin flag, sessions not revoked since, the token's session not ended), together with the org's time zone,
 * and, as news rather than as the check, the org's data version and local
 * minute (for the ETag). The "stamp" is the checked part, rendered the same
 * way from a principal resolved by the full identity statement. */
#ifndef VS_IDENTITY_GUARD_H
#define VS_IDENTITY_GUARD_H

#include <stdbool.h>

#include "identity/principal.h"
#include "platform/db.h"

#define IDENTITY_STAMP_MAX 256

/* The stamp of w (an API key, or a user with w->org loaded); false when w
 * cannot be remembered (another kind, no org, too long). */
bool identity_stamp(const principal *w, long long sessions_valid_after, char out[IDENTITY_STAMP_MAX]);

/* Arm g for w: key_hash for an API key; for a user w->user_id and the
 * access token's session id (NULL: a token without one); the org is w->org.id.
 * An API key's scopes are not in the stamp: they are fixed at creation. */
void identity_guard_make(db_guard *g, const principal *w, const char *key_hash, const char *session_id);

/* After the guard came back: does it carry stamp? If so, version and minute
 * are the org's current data version and local minute. */
bool identity_guard_holds(const db_guard *g, const char *stamp, unsigned long long *version, char minute[17]);

#endif
