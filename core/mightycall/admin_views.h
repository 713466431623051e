/* admin_views.h — platform-admin views of synced MightyCall data across orgs
 * (GET /api/admin/mightycall/…): phone numbers, extensions and daily report
 * rows, each a page with an optional org filter (NULL = every org). */
#ifndef VS_ADMIN_VIEWS_H
#define VS_ADMIN_VIEWS_H

#include <jansson.h>

#include "platform/db.h"

/* {id, org_id, orgId, number, label, status, is_primary, is_toll_free,
 * sms_enabled, assigned_user_id, last_call_at, created_at, createdAt, updated_at} */
int admin_phone_numbers_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                             long long *total);
/* {id, org_id, extension, display_name, email, role, status, user_id, created_at, updated_at} */
int admin_extensions_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                          long long *total);
/* call_reports_daily rows, newest day first; from/to "YYYY-MM-DD" and phone
 * (E.164) optional (NULL). */
int admin_reports_list(db_conn *db, const char *org_id, const char *from_day, const char *to_day, const char *phone,
                       long long skip, int limit, json_t **rows, long long *total);

#endif
