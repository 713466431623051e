/* reports.c — GET /api/orgs/:orgId/reports (core/data/reports.h). */
#include "data/reports.h"
#include "data/series.h"

#include <stdio.h>
#include <string.h>

#include "handlers.h"

/* date_from / date_to: a plain date (local day, "YYYY-MM-DD" in day) or a
 * date-time standing for its local day (the SQL date-time in *dt_out). */
static void report_day(const vs_request *req, const char *name, char day[11], const char **day_out,
                       const char **dt_out)
{
    const char *v = qp_str(req, name);
    *day_out = *dt_out = NULL;
    if (v && qp_date_only(req, name)) {
        snprintf(day, 11, "%.10s", v);
        *day_out = day;
    } else {
        *dt_out = v;
    }
}

static void reports_get_h(vs_request *req, vs_response *res)
{
    report_query q = {0};
    char fday[11], tday[11];
    report_day(req, "date_from", fday, &q.from_day, &q.from_dt);
    report_day(req, "date_to", tday, &q.to_day, &q.to_dt);
    q.phone_number = qp_str(req, "phone_number");
    q.direction = qp_str(req, "direction");
    q.status = qp_str(req, "status");
    q.agent_id = qp_str(req, "agent_id");
    const char *group = qp_str(req, "group_by");
    q.group = !group ? REPORT_ROWS
              : strcmp(group, "day") == 0 ? REPORT_BY_DAY
              : strcmp(group, "phone_number") == 0 ? REPORT_BY_PHONE
                                                   : REPORT_BY_AGENT;
    char *body = NULL;
    size_t len = 0;
    int rc = reports_get(req->db, req_param(req, "orgId"), &q, qp_page(req), &body, &len);
    if (rc == REPORT_RANGE_REVERSED)
        resp_bad_field(res, "date_from", "must not be after date_to");
    else if (rc == REPORT_RANGE_TOO_LONG)
        resp_bad_field(res, "date_from", "the range may cover at most 366 days");
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json_text(res, 200, body, len);
}

const route reports_routes[] = {
    {"GET", "/api/orgs/:orgId/reports", reports_get_h, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_PAGE, {.name = "date_from", .type = QP_DAY, .flags = QPF_EMPTY_ABSENT},
            {.name = "date_to", .type = QP_DAY, .flags = QPF_EMPTY_ABSENT}, PARAM_PHONE("phone_number"),
            PARAM_ENUM("group_by", report_groups), PARAM_ENUM("direction", call_directions),
            PARAM_ENUM("status", call_statuses), {.name = "agent_id", .type = QP_UUID, .flags = QPF_EMPTY_ABSENT})},
    {0},
};
