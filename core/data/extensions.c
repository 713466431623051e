/* extensions.c — owns the extensions list (SQL in core/data/data_sql.c). */
#include "data/extensions.h"

#include "data/data_sql.h"

const char *const extension_statuses[] = {"active", "inactive", NULL};

int extensions_list(db_conn *db, const char *org_id, const char *status, const list_cursor *cur,
                    const page_req *page, char **body, size_t *body_len)
{
    const char *ck = cur->present ? cur->key : NULL, *cid = cur->present ? cur->id : NULL;
    db_param p[] = {DBP_STR(org_id), DBP_STR(status), DBP_STR(status), DBP_STR(org_id), DBP_STR(status),
                    DBP_STR(status), DBP_STR(ck),     DBP_STR(ck),     DBP_STR(ck),     DBP_STR(cid),
                    DBP_INT(page->limit + 1),         DBP_INT(page->skip)};
    return cursor_page_text(db, DSQL_EXTENSIONS_LIST, DSQL_EXTENSIONS_TOTAL, p, DB_NPARAMS(p), 3, page, "extensions",
                            body, body_len);
}
