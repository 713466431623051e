/* reports.c — GET /api/orgs/:orgId/reports (core/data/reports.h). */
#include "data/reports.h"

#include <string.h>

#include "data/data_list.h"
#include "handlers.h"

/* date_from / date_to: a plain date (local day) or a date-time (its local day). */
static bool report_day(vs_request *req, vs_response *res, const char *name, char day[11], char dt[20],
                       const char **day_out, const char **dt_out)
{
    char raw[64], sqlt[20];
    *day_out = *dt_out = NULL;
    int rc = query_get(req, res, name, raw, sizeof raw);
    if (rc < 0)
        return false;
    if (rc == 0 || !raw[0])
        return true;
    if (!iso_to_sql_datetime(raw, sqlt)) {
        resp_bad_field(res, name, "must be an ISO 8601 date (a day of the organization's time zone) or date-time, "
                                  "e.g. 2024-01-20");
        return false;
    }
    if (strlen(raw) == 10) {
        memcpy(day, sqlt, 10);
        day[10] = 0;
        *day_out = day;
    } else {
        memcpy(dt, sqlt, 20);
        *dt_out = dt;
    }
    return true;
}

static void reports_get_h(vs_request *req, vs_response *res)
{
    const char *org = req_param(req, "orgId");
    page_req page;
    report_query q = {0};
    char fday[11], tday[11], fdt[20], tdt[20], phone[33], group[24];
    bool has;
    if (!page_parse(req, res, &page))
        return;
    if (!report_day(req, res, "date_from", fday, fdt, &q.from_day, &q.from_dt) ||
        !report_day(req, res, "date_to", tday, tdt, &q.to_day, &q.to_dt))
        return;
    if (!dl_phone_param(req, res, "phone_number", phone, &has))
        return;
    q.phone_number = has ? phone : NULL;
    if (!dl_enum_param(req, res, "group_by", report_groups, group, sizeof group, &has))
        return;
    q.group = !has ? REPORT_ROWS
              : strcmp(group, "day") == 0 ? REPORT_BY_DAY
              : strcmp(group, "phone_number") == 0 ? REPORT_BY_PHONE
                                                   : REPORT_BY_AGENT;
    json_t *out = NULL;
    int rc = reports_get(req->db, org, &q, &page, &out);
    if (rc == REPORT_RANGE_REVERSED)
        resp_bad_field(res, "date_from", "must not be after date_to");
    else if (rc == REPORT_RANGE_TOO_LONG)
        resp_bad_field(res, "date_from", "the range may cover at most 366 days");
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, out);
}

const route reports_routes[] = {
    {"GET", "/api/orgs/:orgId/reports", reports_get_h, ACCESS_ORG_AGENT},
    {0},
};
