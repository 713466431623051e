/* voicemails.c — owns the voicemails list (SQL in core/data/data_sql.c). */
#include "data/voicemails.h"

#include "data/data_sql.h"

const char *const voicemail_statuses[] = {"unread", "read", NULL};

static const dl_series voicemails_series = {"voicemails", "voicemail", DSQL_VOICEMAILS_LIST, DSQL_VOICEMAILS_TOTAL};

int voicemails_list(db_conn *db, const char *org_id, const voicemails_filter *f, const list_cursor *cur,
                    const page_req *page, json_t **out)
{
    dl_dims dims = {{f->phone_number, NULL, f->status, NULL}};
    return dl_series_page(db, org_id, &voicemails_series, &f->span, &dims, cur, page, out);
}
