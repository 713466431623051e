/* recordings.c — owns the recordings list (SQL in core/data/data_sql.c). */
#include "data/recordings.h"

#include "data/data_sql.h"

static const dl_series recordings_series = {"recordings", "recording", DSQL_RECORDINGS_LIST, DSQL_RECORDINGS_TOTAL};

int recordings_list(db_conn *db, const char *org_id, const recordings_filter *f, const list_cursor *cur,
                    const page_req *page, json_t **out)
{
    dl_dims dims = {{f->phone_number, f->direction, NULL, NULL}};
    return dl_series_page(db, org_id, &recordings_series, &f->span, &dims, cur, page, out);
}
