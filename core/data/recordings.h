/* recordings.h — the call recordings of an org (GET …/recordings): newest
 * first, filters by date span, business number and direction, keyset cursor,
 * exact total from the counters. */
#ifndef VS_RECORDINGS_H
#define VS_RECORDINGS_H

#include <jansson.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "platform/db.h"

typedef struct {
    dl_span span;
    const char *phone_number;
    const char *direction;
} recordings_filter;

int recordings_list(db_conn *db, const char *org_id, const recordings_filter *f, const list_cursor *cur,
                    const page_req *page, json_t **out);

#endif
