/* activity.h — the per-organisation activity log (GET /api/orgs/:orgId/activity).
 * Any area records events with activity_record(); the list of types is the
 * table activity_types[] in activity.c (add a line there for a new type). */
#ifndef VS_ACTIVITY_H
#define VS_ACTIVITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "platform/db.h"

#define ACTIVITY_DESCRIPTION_MAX 1000 /* characters; longer descriptions are cut with "…" */

/* Record one event. org_id NULL = platform-level event (e.g. org_deleted, whose
 * org rows are gone); user_id NULL = no user (API key, service key, system).
 * type must be a known type (activity_type_known), else DB_ERROR (logged).
 * Runs in the caller's transaction if one is open. */
int activity_record(db_conn *db, const char *org_id, const char *user_id, const char *type,
                    const char *description);

bool activity_type_known(const char *type);

#define ACTIVITY_RECENT_HOURS 24 /* missed calls / voicemails older than this are not announced */
#define ACTIVITY_RECENT_MAX 200  /* entries added per call of activity_record_missed() */

/* Records, once each, the org's inbound calls that ended unanswered and the
 * voicemails received in the last ACTIVITY_RECENT_HOURS that have no entry
 * yet: type "call" ("Missed call from …") and "voicemail" ("Voicemail from
 * …"), linked to their call (call_id). Idempotent; run after a sync page of
 * calls or voicemails and after a webhook completes a call. *added (may be
 * NULL) = entries written. */
int activity_record_missed(db_conn *db, const char *org_id, long long *added);
/* NULL-terminated list of the known types (for error messages / docs). */
extern const char *const activity_types[];

/* Copy src into dst cut to at most max_chars characters (never inside a UTF-8
 * sequence), ending with "…" when cut. dst must hold max_chars*4+4 bytes.
 * Returns true if src was cut. */
bool activity_clip(const char *src, size_t max_chars, char *dst, size_t dstsz);

/* Page of the org's activity, newest first, optionally of one type:
 * rows {id, type, description, user, timestamp}; *total = matching rows. */
int activity_list(db_conn *db, const char *org_id, const char *type, long long skip, int limit, json_t **rows,
                  long long *total);

#endif
