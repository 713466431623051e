/* admin_views.c — the cross-org admin lists of synced data; see admin_views.h. */
#include "mightycall/admin_views.h"

#include <string.h>

/* select takes p[0..np) then LIMIT ? OFFSET ?; count takes p[0..np). */
static int page_of(db_conn *db, const char *select, const char *count, const db_param *p, int np, long long skip,
                   int limit, json_t **rows, long long *total)
{
    db_param all[16];
    memcpy(all, p, sizeof(db_param) * (size_t)np);
    all[np] = DBP_INT(limit);
    all[np + 1] = DBP_INT(skip);
    *rows = NULL;
    *total = 0;
    int rc = db_query(db, select, all, np + 2, rows);
    if (rc == DB_OK)
        rc = db_query_int(db, count, p, np, total);
    if (rc != DB_OK) {
        json_decref(*rows);
        *rows = NULL;
    }
    return rc;
}

int admin_phone_numbers_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                             long long *total)
{
    db_param p[] = {DBP_STR(org_id), DBP_STR(org_id)};
    return page_of(db,
                   "SELECT id, org_id, org_id AS orgId, number, label, status, is_primary, is_toll_free, sms_enabled, "
                   "assigned_user_id, last_call_at, created_at, created_at AS createdAt, updated_at FROM phone_numbers "
                   "WHERE (? IS NULL OR org_id = ?) ORDER BY org_id, number, id LIMIT ? OFFSET ?",
                   "SELECT COUNT(*) FROM phone_numbers WHERE (? IS NULL OR org_id = ?)", p, 2, skip, limit, rows, total);
}

int admin_extensions_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                          long long *total)
{
    db_param p[] = {DBP_STR(org_id), DBP_STR(org_id)};
    return page_of(db,
                   "SELECT id, org_id, extension, COALESCE(display_name, extension) AS display_name, email, role, "
                   "status, user_id, created_at, updated_at FROM extensions WHERE (? IS NULL OR org_id = ?) "
                   "ORDER BY org_id, extension IS NULL, CAST(extension AS UNSIGNED), extension, id LIMIT ? OFFSET ?",
                   "SELECT COUNT(*) FROM extensions WHERE (? IS NULL OR org_id = ?)", p, 2, skip, limit, rows, total);
}

int admin_reports_list(db_conn *db, const char *org_id, const char *from_day, const char *to_day, const char *phone,
                       long long skip, int limit, json_t **rows, long long *total)
{
    db_param p[] = {DBP_STR(org_id),  DBP_STR(org_id), DBP_STR(from_day), DBP_STR(from_day),
                    DBP_STR(to_day),  DBP_STR(to_day), DBP_STR(phone),    DBP_STR(phone)};
#define REPORT_WHERE                                                                                                  \
    "WHERE (? IS NULL OR org_id = ?) AND (? IS NULL OR day >= ?) AND (? IS NULL OR day <= ?) AND "                    \
    "(? IS NULL OR phone_number = ?)"
    return page_of(db,
                   "SELECT org_id, CAST(day AS CHAR) AS day, phone_number, calls, answered, missed, answer_rate, "
                   "avg_handle_seconds, total_duration, inbound, outbound, voicemails, computed_at FROM "
                   "call_reports_daily " REPORT_WHERE " ORDER BY day DESC, org_id, phone_number LIMIT ? OFFSET ?",
                   "SELECT COUNT(*) FROM call_reports_daily " REPORT_WHERE, p, DB_NPARAMS(p), skip, limit, rows, total);
#undef REPORT_WHERE
}
