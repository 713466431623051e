/* extensions.c — owns the extensions list (SQL in core/data/data_sql.c). */
#include "data/extensions.h"

#include "data/data_sql.h"

const char *const extension_statuses[] = {"active", "inactive", NULL};

int extensions_list(db_conn *db, const char *org_id, const char *status, const list_cursor *cur,
                    const page_req *page, json_t **out)
{
    *out = NULL;
    const char *ck = cur->present ? cur->key : NULL, *cid = cur->present ? cur->id : NULL;
    db_param p[] = {DBP_STR(org_id), DBP_STR(status), DBP_STR(status), DBP_STR(ck), DBP_STR(ck),
                    DBP_STR(ck),     DBP_STR(cid),    DBP_INT(page->limit + 1), DBP_INT(page->skip)};
    json_t *rows = NULL;
    int rc = db_query(db, DSQL_EXTENSIONS_LIST, p, DB_NPARAMS(p), &rows);
    if (rc != DB_OK)
        return rc;
    long long total = 0;
    db_param t[] = {DBP_STR(org_id), DBP_STR(status), DBP_STR(status)};
    rc = db_query_int(db, DSQL_EXTENSIONS_TOTAL, t, DB_NPARAMS(t), &total);
    if (rc != DB_OK) {
        json_decref(rows);
        return rc;
    }
    char *next = cursor_page_finish(rows, page->limit, "extensions");
    *out = cursor_envelope(rows, total, page, next);
    return DB_OK;
}
