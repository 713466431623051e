/* calls_customer.h — the calls list narrowed to one customer: by the exact
 * number of the other party (the caller of an inbound call, the called
 * number of an outbound one) or by a name prefix (an inbound caller's name or
 * a contact with the customer's number). Same rows, order, cursor ("calls")
 * and envelope as GET /calls (core/data/series.h); SQL in data_sql.c. */
#ifndef VS_CALLS_CUSTOMER_H
#define VS_CALLS_CUSTOMER_H

#include <stddef.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "platform/db.h"
#include "platform/page.h"

/* number: E.164 or NULL; name: the typed name (not a pattern) or NULL; one
 * of them is given. dims as for the calls list. *body malloc'd. */
int calls_customer_page(db_conn *db, const char *org_id, const dl_span *span, const dl_dims *dims,
                        const char *number, const char *name, const list_cursor *cur, const page_req *page,
                        char **body, size_t *body_len);

#endif
