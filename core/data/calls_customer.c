/* calls_customer.c — calls with one customer; see calls_customer.h. */
#include "data/calls_customer.h"

#include <string.h>

#include "data/data_sql.h"
#include "data/search.h"

#define DIMS(v)                                                                                                   \
    DBP_STR(v[0]), DBP_STR(v[0]), DBP_STR(v[1]), DBP_STR(v[1]), DBP_STR(v[2]), DBP_STR(v[2]), DBP_STR(v[3]),    \
        DBP_STR(v[3])

int calls_customer_page(db_conn *db, const char *org_id, const dl_span *span, const dl_dims *dims,
                        const char *number, const char *name, const list_cursor *cur, const page_req *page,
                        char **body, size_t *body_len)
{
    char from[DL_TIME_LEN], to[DL_TIME_LEN], like[420];
    dl_sql_time(span->from_ms, from);
    dl_sql_time(span->to_ms, to);
    const char *ck = cur && cur->present ? cur->key : NULL, *cid = cur && cur->present ? cur->id : NULL;
    const char *const *v = dims->v;
    if (number) {
#define NUMBER_FILTERS DBP_STR(org_id), DBP_STR(number), DBP_STR(from), DBP_STR(to), DIMS(v)
        db_param p[] = {NUMBER_FILTERS, NUMBER_FILTERS, DBP_STR(ck), DBP_STR(ck), DBP_STR(ck), DBP_STR(cid),
                        DBP_INT(page->limit + 1), DBP_INT(page->skip)};
#undef NUMBER_FILTERS
        return cursor_page_text(db, DSQL_CALLS_CUSTOMER_NUMBER[0], DSQL_CALLS_CUSTOMER_NUMBER[1], p, DB_NPARAMS(p),
                                12, page, "calls", body, body_len);
    }
    search_like_prefix("", name ? name : "", like, sizeof like);
#define NAME_FILTERS                                                                                              \
    DBP_STR(org_id), DBP_STR(like), DBP_STR(like), DBP_STR(like), DBP_STR(from), DBP_STR(to), DIMS(v),          \
        DBP_STR(org_id), DBP_STR(like), DBP_STR(from), DBP_STR(to), DIMS(v)
    db_param p[] = {NAME_FILTERS, NAME_FILTERS, DBP_STR(ck), DBP_STR(ck), DBP_STR(ck), DBP_STR(cid),
                    DBP_INT(page->limit + 1), DBP_INT(page->skip)};
#undef NAME_FILTERS
    return cursor_page_text(db, DSQL_CALLS_CUSTOMER_NAME[0], DSQL_CALLS_CUSTOMER_NAME[1], p, DB_NPARAMS(p), 26, page,
                            "calls", body, body_len);
}
