/* data_list.h — shared machinery of the call-data lists: date spans from
 * date_from/date_to, phone-number filters, exact totals from the counters of
 * sql/030 (see docs/performance.md), and the keyset page of a time-series
 * list (calls, sms, recordings, voicemails). */
#ifndef VS_DATA_LIST_H
#define VS_DATA_LIST_H

#include <jansson.h>
#include <stdbool.h>

#include "data/cursor.h"
#include "platform/db.h"
#include "platform/page.h"

#define DL_TIME_LEN 24 /* "YYYY-MM-DD HH:MM:SS.mmm" */

/* [from_ms, to_ms) in UTC milliseconds; has_* false = unbounded on that side. */
typedef struct {
    bool has_from, has_to;
    long long from_ms, to_ms;
} dl_span;

/* Unbounded sides of a span. */
#define SPAN_MIN_MS 0LL             /* 1970-01-01 */
#define SPAN_MAX_MS 7258118400000LL /* 2200-01-01 */

/* Midnight of the local days day_a / day_b ("YYYY-MM-DD", NULL = skip) in the
 * org's time zone, as UTC epoch ms. DB_ result code. */
int dl_local_day_bounds(db_conn *db, const char *org_id, const char *day_a, const char *day_b, long long *ms_a,
                        long long *ms_b);

/* Epoch ms → "YYYY-MM-DD HH:MM:SS.mmm" (UTC) and back ("YYYY-MM-DD[ HH:MM:SS[.f]]"; -1 if bad). */
void dl_sql_time(long long ms, char out[DL_TIME_LEN]);
long long dl_parse_sql_time(const char *s);

/* How a span is counted: exact index ranges for the partial hours at both
 * ends, hourly counters for the partial days, daily counters for the rest.
 * Empty ranges have equal bounds. */
typedef struct {
    char edge[4][DL_TIME_LEN]; /* [edge0, edge1) ∪ [edge2, edge3) over the data table */
    char hour[4][DL_TIME_LEN]; /* [hour0, hour1) ∪ [hour2, hour3) over data_counts_hourly */
    char day[2][11];           /* [day0, day1) over data_counts_daily */
} dl_plan;
void dl_plan_make(long long from_ms, long long to_ms, dl_plan *p);

/* Filter slots of a counted list: number, d1, d2, type (NULL = any). */
typedef struct {
    const char *v[4];
} dl_dims;

/* Which variant of a DSQL_*_LIST / _TOTAL array drives a query with these
 * filters: the most selective filter that has an index (number, status, type,
 * direction), else the time index [0]. */
int dl_variant(const char *const *variants, const dl_dims *dims);

/* Exact count of the rows of `kind` ("call", "sms", "recording", "voicemail")
 * in span with dims. dated_sql is the variant of the list's DSQL_*_TOTAL. */
int dl_count(db_conn *db, const char *org_id, const char *kind, const char *dated_sql, const dl_span *span,
             const dl_dims *dims, long long *out);

typedef struct {
    const char *list;      /* cursor tag, e.g. "calls" */
    const char *kind;      /* counters kind */
    const char *const *list_sql; /* DSQL_*_LIST: variant per driving filter */
    const char *const *total_sql; /* DSQL_*_TOTAL: the same variants */
    const char *const *page_all_sql;   /* DSQL_*_PAGE_ALL: list + all-time total, same variants */
    const char *const *page_dated_sql; /* DSQL_*_PAGE_DATED: list + dated total, same variants */
} dl_series;

#define DL_TOTAL_PARAMS_MAX 39 /* parameters of a dated total */

/* One page of a time-series list, newest first, as JSON text: *body =
 * {"data":[…],"total":…,"skip":…,"limit":…,"next_cursor":…} (malloc'd,
 * *body_len bytes). One round trip: the page statement carries its total,
 * unless the page is empty (then a second one counts). */
int dl_series_page(db_conn *db, const char *org_id, const dl_series *s, const dl_span *span, const dl_dims *dims,
                   const list_cursor *cur, const page_req *page, char **body, size_t *body_len);

#endif
