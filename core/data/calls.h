/* calls.h — the calls list of an org (GET /api/orgs/:orgId/calls): newest
 * first, filters by date span, business number, direction, type and status,
 * keyset cursor, exact total from the counters (core/data/data_list.h). */
#ifndef VS_CALLS_H
#define VS_CALLS_H

#include <jansson.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "platform/db.h"

extern const char *const call_statuses[];   /* connected, missed, voicemail, … (NULL-terminated) */
extern const char *const call_types[];      /* inbound, outbound, missed */
extern const char *const call_directions[]; /* inbound, outbound */

typedef struct {
    dl_span span;
    const char *phone_number; /* E.164 business number, NULL = any */
    const char *direction;
    const char *status;
    const char *type;
} calls_filter;

/* *out = {data, total, skip, limit, next_cursor}. */
int calls_list(db_conn *db, const char *org_id, const calls_filter *f, const list_cursor *cur, const page_req *page,
               json_t **out);

#endif
