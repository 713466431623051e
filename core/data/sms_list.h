/* sms_list.h — the SMS list of an org (GET /api/orgs/:orgId/sms): newest
 * first, filters by date span, business number, direction and status, keyset
 * cursor, exact total from the counters. (Sending and threads belong to the
 * messaging area.) */
#ifndef VS_SMS_LIST_H
#define VS_SMS_LIST_H

#include <jansson.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "platform/db.h"

extern const char *const sms_statuses[]; /* queued, sent, delivered, failed, received */

typedef struct {
    dl_span span;
    const char *phone_number; /* business number */
    const char *direction;
    const char *status;
} sms_filter;

int sms_list(db_conn *db, const char *org_id, const sms_filter *f, const list_cursor *cur, const page_req *page,
             json_t **out);

#endif
