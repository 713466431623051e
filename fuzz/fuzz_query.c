/* fuzz_query.c — the request path's query-string layer: the whole input is
 * the raw query string (QUERY_STRING) of a request, checked by
 * params_validate() against the declared parameters of every route of the
 * real route table (percent-decoding, unknown and repeated names, integer
 * bounds, enums, UUIDs, phone numbers, date-times, date spans — plain dates
 * need the org's time zone: the database is absent, so those answer 503 as on
 * a lost connection — and each list's keyset cursor), query_get (the access
 * layer's ?orgId, down to 1-byte buffers), live_changes' cursor (parsed before
 * any query), and the time helpers behind them (iso_to_sql_datetime,
 * dl_parse_sql_time, dl_sql_time, dl_plan_make). The raw input is also tried
 * directly as a cursor and as a date, so the fuzzer need not discover the
 * query syntax first.
 *
 * Invariants checked beyond "no crash": every refusal is a SPEC §2 error body
 * (400 naming a field, or 503); accepted values are within their bounds; a
 * decoded cursor re-encodes to a cursor that decodes to the same position; a
 * span with both ends is ordered. */
#include <stdio.h>
#include <string.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "fuzz_common.h"
#include "fcgi/params.h"
#include "fcgi/router.h"
#include "messaging/live.h"

static const struct {
    const char *list;
    cursor_key_kind kind;
} fq_lists[] = {
    {"calls", CURSOR_KEY_TIME},    {"recordings", CURSOR_KEY_TIME}, {"sms", CURSOR_KEY_TIME},
    {"voicemails", CURSOR_KEY_TIME}, {"contacts", CURSOR_KEY_TEXT}, {"extensions", CURSOR_KEY_TEXT},
    {"phone-numbers", CURSOR_KEY_TEXT},
};

static const char *const fq_directions[] = {"inbound", "outbound", NULL};
static const char *const fq_statuses[] = {"connected", "missed", "voicemail", "dropped", "no_answer", NULL};

static void fq_cursor_roundtrip(const char *text)
{
    for (size_t i = 0; i < sizeof fq_lists / sizeof fq_lists[0]; i++) {
        list_cursor c;
        if (!cursor_decode(text, fq_lists[i].list, fq_lists[i].kind, &c))
            continue;
        FUZZ_CHECK(c.present && is_uuid(c.id));
        char *again = cursor_encode(fq_lists[i].list, c.key, c.id);
        FUZZ_CHECK(again != NULL);
        list_cursor d;
        FUZZ_CHECK(cursor_decode(again, fq_lists[i].list, fq_lists[i].kind, &d));
        FUZZ_CHECK(strcmp(c.key, d.key) == 0 && strcmp(c.id, d.id) == 0);
        free(again);
    }
}

static void fq_times(const char *s)
{
    char sql[20];
    if (iso_to_sql_datetime(s, sql)) {
        FUZZ_CHECK(strlen(sql) == 19);
        long long ms = dl_parse_sql_time(sql);
        FUZZ_CHECK(ms != -1);
        char back[DL_TIME_LEN];
        dl_sql_time(ms, back);
        FUZZ_CHECK(strncmp(back, sql, 19) == 0);
    }
    long long ms = dl_parse_sql_time(s);
    if (ms != -1) {
        char t[DL_TIME_LEN];
        dl_sql_time(ms, t);
        dl_plan p;
        dl_plan_make(ms, ms + 86400000LL * 3 + 1234, &p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *q = fuzz_cstr(data, size);
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    vs_request req;
    vs_response res;
    memset(&res, 0, sizeof res);
    fuzz_request(&req, &cfg, "GET", "/api/orgs/00000000-0000-0000-0000-000000000001/calls", q);

    /* every route's declared parameters (a path parameter for the org's time zone) */
    req.nparams = 1;
    req.param_names[0] = "orgId";
    snprintf(req.params[0], sizeof req.params[0], "00000000-0000-0000-0000-000000000001");
    for (int g = 0; route_groups[g]; g++) {
        for (const route *rt = route_groups[g]; rt->method; rt++) {
            qp_values qv;
            if (params_validate(rt->params, &req, &res, &qv)) {
                FUZZ_CHECK(res.body == NULL);
                FUZZ_CHECK(qv.page.skip >= 0 && qv.page.skip <= PAGE_MAX_SKIP && qv.page.limit >= 1 &&
                           qv.page.limit <= PAGE_MAX_LIMIT);
                FUZZ_CHECK(!qv.cursor.present || (is_uuid(qv.cursor.id) && strlen(qv.cursor.key) <= CURSOR_KEY_MAX));
                FUZZ_CHECK(!(qv.span.has_from && qv.span.has_to) || qv.span.from_ms < qv.span.to_ms);
                dl_plan plan;
                dl_plan_make(qv.span.from_ms, qv.span.to_ms, &plan);
                for (int i = 0; i < qv.n; i++) {
                    const qp_value *v = &qv.v[i];
                    if (!v->present)
                        continue;
                    FUZZ_CHECK(v->text && utf8_chars(v->text) >= 0);
                    const param_decl *d = &qv.decl[i];
                    if (d->type == QP_INT)
                        FUZZ_CHECK(v->num >= d->min && v->num <= d->max);
                    if (d->type == QP_UUID)
                        FUZZ_CHECK(is_uuid(v->text));
                    if (d->type == QP_DATETIME || d->type == QP_DAY)
                        FUZZ_CHECK(strlen(v->text) == 19);
                    if (d->type == QP_PHONE || d->type == QP_E164)
                        FUZZ_CHECK(v->text[0] == '+' || (v->text[0] >= '0' && v->text[0] <= '9'));
                }
            } else {
                FUZZ_CHECK(res.status == 400 || res.status == 503);
                FUZZ_CHECK(res.body != NULL);
                fuzz_response_check(&res);
            }
            params_free(&qv);
            fuzz_response_reset(&res);
        }
    }

    /* every name handlers read, with their buffer sizes, plus tiny buffers */
    static const struct {
        const char *name;
        size_t size;
    } names[] = {{"search", 256}, {"type", 64}, {"orgId", 64}, {"phone_number", 64}, {"status", 32},
                 {"secret", 130}, {"event_type", 66}, {"call_id", 40}, {"unread", 8}, {"since", LIVE_CURSOR_MAX + 2},
                 {"s", 1},        {"skip", 2},   {"cursor", 3},  {"", 16}};
    char buf[1300];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int rc = query_get(&req, &res, names[i].name, buf, names[i].size);
        FUZZ_CHECK(rc >= -1 && rc <= 1);
        if (rc == 1) {
            FUZZ_CHECK(strlen(buf) < names[i].size);
            FUZZ_CHECK(utf8_chars(buf) >= 0);
        }
        FUZZ_CHECK((rc < 0) == (res.body != NULL));
        fuzz_response_reset(&res);
    }

    /* the live feed parses its cursor before touching the database */
    char lc[LIVE_CURSOR_MAX + 2];
    if (query_get(&req, &res, "cursor", lc, sizeof lc) > 0) {
        json_t *out = NULL;
        bool bad = false;
        int rc = live_changes(NULL, "00000000-0000-0000-0000-000000000001", lc, &out, &bad);
        FUZZ_CHECK(bad ? rc == DB_OK : rc == DB_UNAVAILABLE);
        json_decref(out);
    }
    fuzz_response_reset(&res);

    /* the raw input as a value */
    if (size <= CURSOR_TEXT_MAX)
        fq_cursor_roundtrip(q);
    if (size <= 64)
        fq_times(q);
    if (size <= LIVE_CURSOR_MAX + 1) {
        json_t *out = NULL;
        bool bad = false;
        live_changes(NULL, "00000000-0000-0000-0000-000000000001", q, &out, &bad);
        json_decref(out);
    }

    free(q);
    return 0;
}
