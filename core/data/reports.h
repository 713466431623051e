/* reports.h — GET /api/orgs/:orgId/reports: call statistics per local day of
 * the org's time zone. Rows per (day, number) and the day / phone_number
 * groupings read call_reports_daily (recomputed by the sync from the stored
 * calls); the agent grouping is computed from the calls themselves through
 * the counters of sql/030 (whole UTC hours and days) plus an exact count of
 * the partial hours at the ends of the range.
 *
 * Measures: calls (both directions), answered (status connected), missed
 * (inbound calls not answered and no longer live: the calls list's
 * type=missed, docs/dashboard.md#cards — outbound calls nobody picked up are
 * not missed), answer_rate (100 * answered / calls, all calls, 2 decimals),
 * avg_handle_seconds (answered duration / answered), total_duration
 * (seconds, all calls); rows and day/number groups also carry inbound,
 * outbound and voicemails. The agent grouping counts its missed calls over
 * the calls of the range (the agent counters have no direction).
 *
 * With a direction, status or agent filter every grouping is computed from
 * the calls of the range instead (the stored reports have no such split),
 * and rows and summary add inbound_answered and avg_wait_seconds. */
#ifndef VS_REPORTS_H
#define VS_REPORTS_H

#include <jansson.h>

#include "platform/db.h"
#include "platform/page.h"
#include "platform/text.h"

#define REPORT_MAX_DAYS 366
#define REPORT_DEFAULT_DAYS 30

typedef enum { REPORT_ROWS = 0, REPORT_BY_DAY, REPORT_BY_PHONE, REPORT_BY_AGENT } report_group;
extern const char *const report_groups[]; /* "day", "phone_number", "agent" (NULL-terminated) */

typedef struct {
    const char *from_day, *to_day; /* "YYYY-MM-DD": local days, or NULL */
    const char *from_dt, *to_dt;   /* "YYYY-MM-DD HH:MM:SS" UTC: their local day is used, or NULL */
    const char *phone_number;      /* E.164 or NULL */
    const char *direction;         /* inbound | outbound, or NULL */
    const char *status;            /* a call status (series.h call_statuses), or NULL */
    const char *agent_id;          /* the agent's user id (calls.agent_user_id), or NULL */
    report_group group;
} report_query;

/* vs_result members (platform/result.h) under this module's names */
#define REPORT_RANGE_TOO_LONG VS_ERR_LIMIT   /* more than 366 days */
#define REPORT_RANGE_REVERSED VS_ERR_INVALID /* from after to */

/* *body = the JSON text of {data, total, skip, limit, group_by, date_from,
 * date_to, timezone, summary} (free()); a non-empty page of day / number
 * groups is one statement written straight into text. */
int reports_get(db_conn *db, const char *org_id, const report_query *q, const page_req *page, char **body,
                size_t *body_len);

#endif
