/* voicemails.h — the voicemails of an org (GET …/voicemails): newest first,
 * filters by date span, business number (the number called) and status
 * (unread | read), keyset cursor, exact total from the counters. */
#ifndef VS_VOICEMAILS_H
#define VS_VOICEMAILS_H

#include <jansson.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "platform/db.h"

extern const char *const voicemail_statuses[]; /* unread, read */

typedef struct {
    dl_span span;
    const char *phone_number;
    const char *status;
} voicemails_filter;

int voicemails_list(db_conn *db, const char *org_id, const voicemails_filter *f, const list_cursor *cur,
                    const page_req *page, json_t **out);

#endif
