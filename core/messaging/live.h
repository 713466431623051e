/* live.h — the dashboard's live feed: calls and SMS messages of an org that
 * were created or changed since a cursor (GET /api/orgs/:orgId/live).
 *
 * The cursor is opaque to clients ("v1.<ms>.<id>.<ms>.<id>": one keyset
 * position (updated_at, id) per table). A page holds at most LIVE_MAX_ITEMS
 * rows per table in (updated_at, id) order; has_more says to ask again at once.
 * Rows are only handed out once they are LIVE_SETTLE_MS old, so a row whose
 * transaction commits a moment after its updated_at was stamped is not
 * skipped; a row changed again later comes again (clients key by id). */
#ifndef VS_LIVE_H
#define VS_LIVE_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/db.h"

#define LIVE_MAX_ITEMS 200
#define LIVE_SETTLE_MS 1500
#define LIVE_CURSOR_MAX 128

/* cursor NULL: start now (empty lists, a fresh cursor). *bad_cursor when the
 * cursor cannot be parsed (nothing else done). *out = {cursor, calls[],
 * messages[], has_more, settle_ms}. */
int live_changes(db_conn *db, const char *org_id, const char *cursor, json_t **out, bool *bad_cursor);

#endif
