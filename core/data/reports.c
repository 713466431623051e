/* reports.c — owns the reports route's queries (SQL in core/data/data_sql.c). */
#include "data/reports.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_list.h"
#include "data/data_sql.h"
#include "platform/json_out.h"

const char *const report_groups[] = {"day", "phone_number", "agent", NULL};

static int agent_rows(db_conn *db, const char *org_id, long long from_ms, long long to_ms, const char *phone,
                      json_t **rows)
{
    dl_plan pl;
    dl_plan_make(from_ms, to_ms, &pl);
    /* without a number filter the per-agent rollup rows answer */
    const char *kind = phone ? "agent" : "agent_all";
    char from[DL_TIME_LEN], to[DL_TIME_LEN]; /* the whole range: the missed calls are counted over it */
    dl_sql_time(from_ms, from);
    dl_sql_time(to_ms, to);
    db_param p[] = {DBP_STR(org_id),     DBP_STR(org_id),     DBP_STR(org_id),     DBP_STR(pl.edge[0]),
                    DBP_STR(pl.edge[1]), DBP_STR(pl.edge[2]), DBP_STR(pl.edge[3]), DBP_STR(phone),
                    DBP_STR(phone),      DBP_STR(org_id),     DBP_STR(kind),       DBP_STR(pl.hour[0]),
                    DBP_STR(pl.hour[1]), DBP_STR(pl.hour[2]), DBP_STR(pl.hour[3]), DBP_STR(phone),
                    DBP_STR(phone),      DBP_STR(org_id),     DBP_STR(kind),       DBP_STR(pl.day[0]),
                    DBP_STR(pl.day[1]),  DBP_STR(phone),      DBP_STR(phone),      DBP_STR(org_id),
                    DBP_STR(from),       DBP_STR(to),         DBP_STR(phone),      DBP_STR(phone)};
    return db_query(db, DSQL_REPORT_BY_AGENT, p, DB_NPARAMS(p), rows);
}

static double round2(double x) { return (double)(long long)(x * 100.0 + (x >= 0 ? 0.5 : -0.5)) / 100.0; }

/* Summary of a set of groups, exact: from their hidden answered-duration sums
 * ("_ans_dur" / "_ans"), which are then dropped from the rows. */
static json_t *sum_groups(json_t *rows, const char *hidden, bool directions)
{
    long long calls = 0, answered = 0, missed = 0, total = 0, handled = 0, in = 0, out = 0, vm = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        calls += json_integer_value(json_object_get(r, "calls"));
        answered += json_integer_value(json_object_get(r, "answered"));
        missed += json_integer_value(json_object_get(r, "missed"));
        total += json_integer_value(json_object_get(r, "total_duration"));
        handled += json_integer_value(json_object_get(r, hidden));
        in += json_integer_value(json_object_get(r, "inbound"));
        out += json_integer_value(json_object_get(r, "outbound"));
        vm += json_integer_value(json_object_get(r, "voicemails"));
        json_object_del(r, hidden);
    }
    json_t *s = json_pack("{s:I, s:I, s:I, s:f, s:f, s:I}", "calls", (json_int_t)calls, "answered",
                          (json_int_t)answered, "missed", (json_int_t)missed, "answer_rate",
                          calls ? round2(100.0 * (double)answered / (double)calls) : 0.0, "avg_handle_seconds",
                          answered ? round2((double)handled / (double)answered) : 0.0, "total_duration",
                          (json_int_t)total);
    if (directions) {
        json_object_set_new(s, "inbound", json_integer(in));
        json_object_set_new(s, "outbound", json_integer(out));
        json_object_set_new(s, "voicemails", json_integer(vm));
    }
    return s;
}

/* rows[skip .. skip+limit) as a new array */
static json_t *page_of(json_t *all, const page_req *page)
{
    json_t *rows = json_array();
    long long n = (long long)json_array_size(all);
    for (long long i = page->skip; i < n && i < page->skip + page->limit; i++)
        json_array_append(rows, json_array_get(all, (size_t)i));
    return rows;
}

static bool filtered(const report_query *q) { return q->direction || q->status || q->agent_id; }

/* Every group of a filtered report (see reports.h), from the calls. */
static int filtered_rows(db_conn *db, const char *org_id, const report_query *q, json_t *days, json_t **all)
{
    const char *tz = json_string_value(json_object_get(days, "timezone"));
    const char *from = json_string_value(json_object_get(days, "from_utc"));
    const char *to = json_string_value(json_object_get(days, "to_utc"));
    const char *ph = q->phone_number, *dir = q->direction, *st = q->status, *ag = q->agent_id;
    db_param p[] = {DBP_STR(org_id), DBP_STR(org_id), DBP_STR(tz),  DBP_STR(org_id), DBP_STR(from),
                    DBP_STR(to),     DBP_STR(ph),     DBP_STR(ph),  DBP_STR(dir),    DBP_STR(dir),
                    DBP_STR(st),     DBP_STR(st),     DBP_STR(ag),  DBP_STR(ag)};
    /* the leading org ids feed the label / agent subqueries of some groupings */
    int lead = q->group == REPORT_BY_AGENT ? 2 : q->group == REPORT_BY_PHONE ? 1 : 0;
    const char *sql = q->group == REPORT_BY_DAY     ? DSQL_REPORT_F_DAY
                      : q->group == REPORT_BY_PHONE ? DSQL_REPORT_F_PHONE
                      : q->group == REPORT_BY_AGENT ? DSQL_REPORT_F_AGENT
                                                    : DSQL_REPORT_F_ROWS;
    return db_query(db, sql, p + (2 - lead), (int)DB_NPARAMS(p) - (2 - lead), all);
}

static int report_tree(db_conn *db, const char *org_id, const report_query *q, const page_req *page, json_t **out)
{
    *out = NULL;
    json_t *days = NULL;
    db_param dp[] = {DBP_STR(q->from_day), DBP_STR(q->from_dt), DBP_STR(q->from_dt),
                     DBP_INT(REPORT_DEFAULT_DAYS - 1), DBP_STR(q->to_day), DBP_STR(q->to_dt),
                     DBP_STR(q->to_dt), DBP_STR(org_id)};
    int rc = db_query_row(db, DSQL_ORG_REPORT_DAYS, dp, DB_NPARAMS(dp), &days);
    if (rc != DB_OK || !days) {
        json_decref(days);
        return rc == DB_OK ? DB_ERROR : rc;
    }
    long long span = json_integer_value(json_object_get(days, "span"));
    if (span < 0) {
        json_decref(days);
        return REPORT_RANGE_REVERSED;
    }
    if (span >= REPORT_MAX_DAYS) {
        json_decref(days);
        return REPORT_RANGE_TOO_LONG;
    }
    const char *from = json_string_value(json_object_get(days, "date_from"));
    const char *to = json_string_value(json_object_get(days, "date_to"));
    const char *ph = q->phone_number;
    json_t *rows = NULL, *summary = NULL;
    long long total = 0;
    if (filtered(q)) {
        json_t *all = NULL;
        rc = filtered_rows(db, org_id, q, days, &all);
        if (rc == DB_OK) {
            long long in_ans = 0, wait_n = 0, wait_sum = 0;
            size_t i;
            json_t *r;
            json_array_foreach(all, i, r)
            {
                in_ans += json_integer_value(json_object_get(r, "inbound_answered"));
                wait_sum += json_integer_value(json_object_get(r, "_wsum"));
                wait_n += json_integer_value(json_object_get(r, "_wn"));
                json_object_del(r, "_wsum");
                json_object_del(r, "_wn");
            }
            summary = sum_groups(all, "_ans", true);
            json_object_set_new(summary, "inbound_answered", json_integer(in_ans));
            json_object_set_new(summary, "avg_wait_seconds",
                                json_real(wait_n ? round2((double)wait_sum / (double)wait_n) : 0.0));
            total = (long long)json_array_size(all);
            rows = page_of(all, page);
        }
        json_decref(all);
    } else if (q->group != REPORT_ROWS) {
        /* every group at once (bounded by the days of the range, the numbers or the agents) */
        json_t *all = NULL;
        if (q->group == REPORT_BY_AGENT) {
            long long a = dl_parse_sql_time(json_string_value(json_object_get(days, "from_utc")));
            long long b = dl_parse_sql_time(json_string_value(json_object_get(days, "to_utc")));
            rc = agent_rows(db, org_id, a, b, ph, &all);
        } else {
            db_param p[] = {DBP_STR(org_id), DBP_STR(from), DBP_STR(to), DBP_STR(ph), DBP_STR(ph)};
            rc = db_query(db, q->group == REPORT_BY_DAY ? DSQL_REPORT_BY_DAY : DSQL_REPORT_BY_PHONE, p,
                          DB_NPARAMS(p), &all);
        }
        if (rc == DB_OK) {
            summary = sum_groups(all, q->group == REPORT_BY_AGENT ? "_ans_dur" : "_ans", q->group != REPORT_BY_AGENT);
            total = (long long)json_array_size(all);
            rows = page_of(all, page);
        }
        json_decref(all);
    } else {
        db_param p[] = {DBP_STR(org_id), DBP_STR(from), DBP_STR(to), DBP_STR(ph), DBP_STR(ph),
                        DBP_INT(page->limit), DBP_INT(page->skip)};
        rc = db_query(db, DSQL_REPORT_ROWS, p, DB_NPARAMS(p), &rows);
        if (rc == DB_OK)
            rc = db_query_int(db, DSQL_REPORT_ROWS_TOTAL, p, 5, &total);
        if (rc == DB_OK)
            rc = db_query_row(db, DSQL_REPORT_SUMMARY, p, 5, &summary);
        if (rc == DB_OK && summary) {
            /* SUM over no rows is NULL: an empty range sums to zeros */
            const char *k;
            json_t *v;
            json_object_foreach(summary, k, v)
            {
                if (json_is_null(v))
                    json_object_set_new(summary, k, json_integer(0));
            }
        }
    }
    if (rc != DB_OK) {
        json_decref(rows);
        json_decref(summary);
        json_decref(days);
        return rc;
    }
    static const char *const names[] = {"day_phone_number", "day", "phone_number", "agent"};
    *out = page_envelope(rows, total, page);
    json_object_set_new(*out, "group_by", json_string(names[q->group]));
    json_object_set_new(*out, "date_from", json_string(from));
    json_object_set_new(*out, "date_to", json_string(to));
    json_object_set(*out, "timezone", json_object_get(days, "timezone"));
    json_object_set_new(*out, "summary", summary ? summary : json_object());
    json_decref(days);
    return DB_OK;
}

static long long head_int(json_t *head, const char *k)
{
    const char *v = json_string_value(json_object_get(head, k));
    return v ? strtoll(v, NULL, 10) : 0;
}

static void put_key_str(json_buf *b, const char *key, const char *v)
{
    jb_lit(b, key);
    if (v)
        jb_str(b, v, strlen(v));
    else
        jb_lit(b, "null");
}

/* A non-empty page of day / number groups in one statement, written as text:
 * the rows as they come, the envelope and the summary from the hidden sums
 * of the first row (the same arithmetic as sum_groups). *body stays NULL
 * when the page is empty (or the range is out of bounds): the caller then
 * takes the general path, which also names the range errors. */
static int group_page_text(db_conn *db, const char *org_id, const report_query *q, const page_req *page,
                           char **body, size_t *body_len)
{
    const char *ph = q->phone_number;
    db_param p[] = {DBP_STR(q->from_day), DBP_STR(q->from_dt), DBP_STR(q->from_dt),
                    DBP_INT(REPORT_DEFAULT_DAYS - 1), DBP_STR(q->to_day), DBP_STR(q->to_dt),
                    DBP_STR(q->to_dt), DBP_STR(org_id), DBP_STR(org_id), DBP_STR(ph), DBP_STR(ph),
                    DBP_INT(page->limit), DBP_INT(page->skip)};
    const char *sql = q->group == REPORT_BY_DAY ? DSQL_REPORT_BY_DAY_PAGE : DSQL_REPORT_BY_PHONE_PAGE;
    int np = DB_NPARAMS(p);
    if (q->group == REPORT_BY_DAY && !ph) { /* the whole org: its day rollup, without the phone pair */
        sql = DSQL_REPORT_BY_DAY_ALL_PAGE;
        p[9] = p[11];
        p[10] = p[12];
        np -= 2;
    }
    json_buf b = {0};
    db_rows_info info = {.max_rows = -1, .head = json_object()};
    if (!info.head)
        return DB_ERROR;
    jb_lit(&b, "{\"data\":");
    int rc = db_query_json(db, sql, p, np, &b, &info);
    if (rc != DB_OK || !info.rows) {
        json_decref(info.head);
        jb_free(&b);
        return rc;
    }
    json_t *h = info.head;
    long long calls = head_int(h, "_calls"), answered = head_int(h, "_answered");
    long long handled = head_int(h, "_handled");
    jb_lit(&b, ",\"total\":");
    jb_int(&b, info.total);
    jb_lit(&b, ",\"skip\":");
    jb_int(&b, page->skip);
    jb_lit(&b, ",\"limit\":");
    jb_int(&b, page->limit);
    jb_lit(&b, q->group == REPORT_BY_DAY ? ",\"group_by\":\"day\"" : ",\"group_by\":\"phone_number\"");
    put_key_str(&b, ",\"date_from\":", json_string_value(json_object_get(h, "_from")));
    put_key_str(&b, ",\"date_to\":", json_string_value(json_object_get(h, "_to")));
    put_key_str(&b, ",\"timezone\":", json_string_value(json_object_get(h, "_tz")));
    jb_lit(&b, ",\"summary\":{\"calls\":");
    jb_int(&b, calls);
    jb_lit(&b, ",\"answered\":");
    jb_int(&b, answered);
    jb_lit(&b, ",\"missed\":");
    jb_int(&b, head_int(h, "_missed"));
    jb_lit(&b, ",\"answer_rate\":");
    jb_real(&b, calls ? round2(100.0 * (double)answered / (double)calls) : 0.0);
    jb_lit(&b, ",\"avg_handle_seconds\":");
    jb_real(&b, answered ? round2((double)handled / (double)answered) : 0.0);
    jb_lit(&b, ",\"total_duration\":");
    jb_int(&b, head_int(h, "_duration"));
    jb_lit(&b, ",\"inbound\":");
    jb_int(&b, head_int(h, "_inbound"));
    jb_lit(&b, ",\"outbound\":");
    jb_int(&b, head_int(h, "_outbound"));
    jb_lit(&b, ",\"voicemails\":");
    jb_int(&b, head_int(h, "_voicemails"));
    jb_lit(&b, "}}");
    json_decref(h);
    *body = jb_take(&b, body_len);
    return *body ? DB_OK : DB_ERROR;
}

int reports_get(db_conn *db, const char *org_id, const report_query *q, const page_req *page, char **body,
                size_t *body_len)
{
    *body = NULL;
    *body_len = 0;
    if ((q->group == REPORT_BY_DAY || q->group == REPORT_BY_PHONE) && !filtered(q)) {
        int rc = group_page_text(db, org_id, q, page, body, body_len);
        if (rc != DB_OK || *body)
            return rc;
    }
    json_t *out = NULL;
    int rc = report_tree(db, org_id, q, page, &out);
    if (rc != DB_OK)
        return rc;
    json_buf b = {0};
    jb_json(&b, out);
    json_decref(out);
    *body = jb_take(&b, body_len);
    return *body ? DB_OK : DB_ERROR;
}
