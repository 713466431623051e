/* sms_list.c — owns the SMS list (SQL in core/data/data_sql.c). `sender` is the
 * contact for inbound messages and the business number for outbound ones. */
#include "data/sms_list.h"

#include "data/data_sql.h"

const char *const sms_statuses[] = {"queued", "sent", "delivered", "failed", "received", NULL};

static const dl_series sms_series = {"sms", "sms", DSQL_SMS_LIST, DSQL_SMS_TOTAL};

int sms_list(db_conn *db, const char *org_id, const sms_filter *f, const list_cursor *cur, const page_req *page,
             json_t **out)
{
    dl_dims dims = {{f->phone_number, f->direction, f->status, NULL}};
    return dl_series_page(db, org_id, &sms_series, &f->span, &dims, cur, page, out);
}
