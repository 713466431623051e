/* metrics.h — the dashboard's numbers.
 *
 * Org metrics (GET /api/orgs/:orgId/metrics), "today" and "this month" being
 * the org's local day and month (orgs.timezone):
 *   calls_today, calls_this_month, sms_today, sms_this_month — from the
 *     counters of sql/030 (whole hours/days) + exact counts of partial hours;
 *   avg_call_duration_minutes — answered (connected) calls of this month;
 *   queue_wait_minutes — average queue wait of this month's calls that have one;
 *   agents_online — members whose agent status is available or dnd;
 *   agents_idle — available and not on a live (ringing / in progress) call.
 * Platform metrics (GET /api/client-metrics, platform admins): totals over
 * every org from the all-time counters, queue health from sync_jobs. */
#ifndef VS_METRICS_H
#define VS_METRICS_H

#include <jansson.h>

#include "platform/db.h"

/* *body = the org's metrics as JSON text (free()): the org's clock, then the
 * counts of the four periods and the agents in one statement. */
/* tz_hint: the org's time zone as the caller read it (NULL: unknown); it
 * only selects remembered day bounds, the answer's zone is the org's. */
int metrics_org(db_conn *db, const char *org_id, const char *tz_hint, char **body, size_t *body_len);
int metrics_platform(db_conn *db, json_t **out);

#endif
