/* calls.c — owns the calls list (SQL in core/data/data_sql.c). A call's `type` is
 * the generated column calls.call_type (sql/030): outbound, inbound (answered
 * or still live) or missed (every other inbound call). */
#include "data/calls.h"

#include "data/data_sql.h"

const char *const call_statuses[] = {"connected", "missed",   "voicemail",   "dropped", "no_answer", "canceled",
                                     "busy",      "failed",   "ringing",     "in_progress", "unknown", NULL};
const char *const call_types[] = {"inbound", "outbound", "missed", NULL};
const char *const call_directions[] = {"inbound", "outbound", NULL};

static const dl_series calls_series = {"calls", "call", DSQL_CALLS_LIST, DSQL_CALLS_TOTAL};

int calls_list(db_conn *db, const char *org_id, const calls_filter *f, const list_cursor *cur, const page_req *page,
               json_t **out)
{
    dl_dims dims = {{f->phone_number, f->direction, f->status, f->type}};
    return dl_series_page(db, org_id, &calls_series, &f->span, &dims, cur, page, out);
}
