/* test_params.c — unit tests for fcgi/params.c without a database: the check
 * of a request's query string against a route's declared parameters (every
 * type's accepted and refused values, the 400 naming the parameter with its
 * reason, unknown and repeated parameters, percent-decoding, QPF_REQUIRED /
 * QPF_EMPTY_ABSENT, skip/limit bounds, the cursor, date spans given as
 * date-times) and the typed values the qp_* accessors read. Plain dates of a
 * span need the org's time zone from the database: with no connection they
 * are a 503, which is checked here; their conversion is covered by the API
 * tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "data/cursor.h"
#include "fcgi/params.h"
#include "platform/phone.h"
#include "http_check.h"

/* One validation: the request (its q set when valid), the answer, the values. */
typedef struct {
    vs_request req;
    vs_response res;
    qp_values q;
    bool ok;
} pv;

static void pv_run(pv *t, const param_decl *decl, const char *query)
{
    memset(t, 0, sizeof *t);
    t->req = test_request(query, NULL, NULL);
    t->ok = params_validate(decl, &t->req, &t->res, &t->q);
    if (t->ok)
        t->req.q = &t->q;
}

static void pv_done(pv *t)
{
    params_free(&t->q);
    test_response_reset(&t->res);
    t->req.q = NULL;
}

/* query is valid against decl and writes nothing to the response. */
static void pv_accept(pv *t, const param_decl *decl, const char *query)
{
    pv_run(t, decl, query);
    if (!t->ok)
        fail_msg("'%s' refused: %d %s", query, t->res.status,
                 json_string_value(json_object_get(json_object_get(t->res.body, "details"), "reason")));
    expect_untouched(&t->res);
}

/* query is valid and name reads as want (NULL: absent). */
static void expect_param(const param_decl *decl, const char *query, const char *name, const char *want)
{
    pv t;
    pv_accept(&t, decl, query);
    const char *got = qp_str(&t.req, name);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("'%s': %s is '%s', want '%s'", query, name, got ? got : "(absent)", want);
    if (!want && got)
        fail_msg("'%s': %s is '%s', want absent", query, name, got);
    assert_int_equal(qp_has(&t.req, name), want != NULL);
    pv_done(&t);
}

/* query is refused with status; details.field is field and details.reason is
 * reason (NULL: any reason). */
static void expect_refused(const param_decl *decl, const char *query, int status, const char *field,
                           const char *reason)
{
    pv t;
    pv_run(&t, decl, query);
    if (t.ok)
        fail_msg("'%s' accepted", query);
    if (t.res.status != status)
        fail_msg("'%s': status %d, want %d", query, t.res.status, status);
    json_t *details = json_object_get(t.res.body, "details");
    const char *got_field = json_string_value(json_object_get(details, "field"));
    const char *got_reason = json_string_value(json_object_get(details, "reason"));
    if (field && (!got_field || strcmp(got_field, field) != 0))
        fail_msg("'%s': details.field is '%s', want '%s'", query, got_field ? got_field : "(none)", field);
    if (reason && (!got_reason || strcmp(got_reason, reason) != 0))
        fail_msg("'%s': details.reason is '%s', want '%s'", query, got_reason ? got_reason : "(none)", reason);
    expect_error_field(&t.res, status, field); /* the SPEC §2 shape; resets the response */
    pv_done(&t);
}

static const char *const colors[] = {"red", "green", "blue", NULL};

static const param_decl page_decl[] = {PARAMS_PAGE, {0}};

/* --- skip / limit ------------------------------------------------------ */

static void test_page_defaults(void **state)
{
    (void)state;
    static const char *const empty[] = {"", "&", "&&", NULL};
    pv t;
    pv_accept(&t, page_decl, NULL);
    assert_int_equal(qp_page(&t.req)->skip, 0);
    assert_int_equal(qp_page(&t.req)->limit, PAGE_DEFAULT_LIMIT);
    assert_int_equal(PAGE_DEFAULT_LIMIT, 50);
    assert_int_equal(qp_int(&t.req, "skip"), 0);
    assert_int_equal(qp_int(&t.req, "limit"), 50); /* the default when absent */
    assert_false(qp_has(&t.req, "skip"));
    assert_false(qp_has(&t.req, "limit"));
    assert_null(qp_str(&t.req, "limit"));
    pv_done(&t);
    for (const char *const *q = empty; *q; q++) {
        pv_accept(&t, page_decl, *q);
        assert_int_equal(qp_page(&t.req)->skip, 0);
        assert_int_equal(qp_page(&t.req)->limit, 50);
        pv_done(&t);
    }
}

static void test_page_bounds(void **state)
{
    (void)state;
    pv t;
    pv_accept(&t, page_decl, "skip=20&limit=10");
    assert_int_equal(qp_page(&t.req)->skip, 20);
    assert_int_equal(qp_page(&t.req)->limit, 10);
    assert_int_equal(qp_int(&t.req, "skip"), 20);
    assert_int_equal(qp_int(&t.req, "limit"), 10);
    assert_true(qp_has(&t.req, "limit"));
    assert_string_equal(qp_str(&t.req, "limit"), "10");
    pv_done(&t);

    pv_accept(&t, page_decl, "limit=1&skip=0"); /* any order */
    assert_int_equal(qp_page(&t.req)->skip, 0);
    assert_int_equal(qp_page(&t.req)->limit, 1);
    pv_done(&t);
    pv_accept(&t, page_decl, "skip=10000000&limit=500");
    assert_int_equal(qp_page(&t.req)->skip, PAGE_MAX_SKIP);
    assert_int_equal(qp_page(&t.req)->limit, PAGE_MAX_LIMIT);
    assert_int_equal(PAGE_MAX_LIMIT, 500);
    pv_done(&t);
    pv_accept(&t, page_decl, "limit=007"); /* leading zeros are digits */
    assert_int_equal(qp_page(&t.req)->limit, 7);
    pv_done(&t);
    pv_accept(&t, page_decl, "limit=%35%30"); /* percent-encoded digits */
    assert_int_equal(qp_page(&t.req)->limit, 50);
    pv_done(&t);

    static const char *const bad_limit[] = {
        "limit=0",   "limit=501", "limit=-1", "limit=abc", "limit=",           "limit",    "limit=+5",
        "limit=5+",  "limit=1.5", "limit=0x10", "limit=1e2", "limit=%205", "skip=1&limit=1000",
        "limit=99999999999999999999", NULL};
    for (const char *const *q = bad_limit; *q; q++)
        expect_refused(page_decl, *q, 400, "limit", "must be an integer from 1 to 500");
    static const char *const bad_skip[] = {"skip=10000001", "skip=-1", "skip=", "skip=abc", "skip=1234567890123",
                                           "limit=5&skip=1.0", NULL};
    for (const char *const *q = bad_skip; *q; q++)
        expect_refused(page_decl, *q, 400, "skip", "must be an integer from 0 to 10000000");
    expect_refused(page_decl, "skip=%zz", 400, "skip", "bad percent-encoding");
}

static void test_int_declared(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "days", .type = QP_INT, .min = 1, .max = 90, .dflt = 7}, {0}};
    pv t;
    pv_accept(&t, decl, "");
    assert_int_equal(qp_int(&t.req, "days"), 7);
    assert_false(qp_has(&t.req, "days"));
    /* only skip / limit make the page: it keeps its defaults */
    assert_int_equal(qp_page(&t.req)->skip, 0);
    assert_int_equal(qp_page(&t.req)->limit, PAGE_DEFAULT_LIMIT);
    pv_done(&t);
    pv_accept(&t, decl, "days=90");
    assert_int_equal(qp_int(&t.req, "days"), 90);
    pv_done(&t);
    pv_accept(&t, decl, "days=1");
    assert_int_equal(qp_int(&t.req, "days"), 1);
    pv_done(&t);
    static const char *const bad[] = {"days=0", "days=91", "days=-7", "days=seven", "days=", "days=7%20", NULL};
    for (const char *const *q = bad; *q; q++)
        expect_refused(decl, *q, 400, "days", "must be an integer from 1 to 90");
    /* skip/limit are not declared here: unknown */
    expect_refused(decl, "limit=5", 400, "limit", "unknown parameter");
}

/* --- unknown, repeated, decoding ---------------------------------------- */

static void test_unknown_parameter(void **state)
{
    (void)state;
    pv t;
    /* no declaration: only an empty query passes */
    pv_accept(&t, NULL, "");
    pv_done(&t);
    pv_accept(&t, NULL, NULL);
    pv_done(&t);
    expect_refused(NULL, "a=1", 400, "a", "unknown parameter");
    expect_refused(NULL, "flag", 400, "flag", "unknown parameter");

    expect_refused(page_decl, "limit=5&offset=3", 400, "offset", "unknown parameter");
    expect_refused(page_decl, "limit=5&verbose", 400, "verbose", "unknown parameter");
    expect_refused(page_decl, "Limit=5", 400, "Limit", "unknown parameter"); /* names are case-sensitive */
    expect_refused(page_decl, "lim=5", 400, "lim", "unknown parameter");
    expect_refused(page_decl, "limitx=5", 400, "limitx", "unknown parameter");
    expect_refused(page_decl, "li%6Dit=5", 400, "li%6Dit", "unknown parameter"); /* names are not decoded */
    /* an unknown parameter is named before a bad value of a known one */
    expect_refused(page_decl, "limit=abc&x=1", 400, "x", "unknown parameter");
    /* the name in the body is printable ASCII, at most 64 characters */
    expect_refused(page_decl, "a\x01\xc3\xb6=1", 400, "a???", "unknown parameter");
    char q[200], want[65];
    memset(q, 'n', 100);
    strcpy(q + 100, "=1");
    memset(want, 'n', 64);
    want[64] = 0;
    expect_refused(page_decl, q, 400, want, "unknown parameter");
    expect_refused(page_decl, "=5", 400, "", "unknown parameter");
}

static void test_repeated_parameter(void **state)
{
    (void)state;
    static const param_decl decl[] = {PARAMS_PAGE, PARAM_ENUM("status", colors), {0}};
    expect_refused(decl, "limit=5&limit=6", 400, "limit", "given more than once");
    expect_refused(decl, "limit=5&limit=5", 400, "limit", "given more than once");
    expect_refused(decl, "limit=5&skip=1&limit", 400, "limit", "given more than once");
    expect_refused(decl, "status=&status=red", 400, "status", "given more than once");
    expect_refused(decl, "status=&status=", 400, "status", "given more than once");
    /* named before a bad value of another parameter */
    expect_refused(decl, "skip=x&limit=1&limit=2", 400, "limit", "given more than once");
}

static void test_percent_decoding(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "q", .type = QP_STRING, .min = 0, .max = 20}, {0}};
    expect_param(decl, "q=ann+smith%2c%2C%41", "q", "ann smith,,A");
    expect_param(decl, "q=%2B1%20212", "q", "+1 212");
    expect_param(decl, "q=J%C3%B6rg", "q", "J\xc3\xb6rg");
    expect_param(decl, "q=J\xc3\xb6rg", "q", "J\xc3\xb6rg"); /* raw UTF-8 too */
    expect_param(decl, "q=a=b", "q", "a=b");
    expect_param(decl, "q=%26%3D", "q", "&=");
    expect_param(decl, "q", "q", "");
    expect_param(decl, "q=", "q", "");
    expect_param(decl, "&q=x&", "q", "x");
    expect_param(decl, "", "q", NULL);

    static const char *const bad_pct[] = {"q=%zz", "q=a%4", "q=a%", "q=%", "q=%4g", "q=a%4&", NULL};
    for (const char *const *q = bad_pct; *q; q++)
        expect_refused(decl, *q, 400, "q", "bad percent-encoding");
    static const char *const bad_text[] = {"q=%00", "q=a%00b", "q=%01", "q=%1F", "q=%7F", "q=%FF", "q=%C3",
                                           "q=%C3%28", "q=\xff", NULL};
    for (const char *const *q = bad_text; *q; q++)
        expect_refused(decl, *q, 400, "q", "not valid UTF-8 text");
}

/* --- strings, booleans, enums, UUIDs ------------------------------------ */

static bool lower_only(const char *s)
{
    for (; *s; s++)
        if (*s < 'a' || *s > 'z')
            return false;
    return true;
}

static void test_string(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "name", .type = QP_STRING, .min = 2, .max = 5}, {0}};
    expect_param(decl, "name=ab", "name", "ab");
    expect_param(decl, "name=abcde", "name", "abcde");
    /* the bounds count characters, not bytes */
    expect_param(decl, "name=%C3%B6%C3%B6%C3%B6%C3%B6%C3%B6", "name", "\xc3\xb6\xc3\xb6\xc3\xb6\xc3\xb6\xc3\xb6");
    expect_param(decl, "name=%F0%9F%98%80%F0%9F%98%80", "name", "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
    expect_refused(decl, "name=a", 400, "name", "must be 2 to 5 characters");
    expect_refused(decl, "name=", 400, "name", "must be 2 to 5 characters");
    expect_refused(decl, "name=abcdef", 400, "name", "must be 2 to 5 characters");
    expect_refused(decl, "name=%C3%B6%C3%B6%C3%B6%C3%B6%C3%B6%C3%B6", 400, "name", "must be 2 to 5 characters");
    /* more bytes than max characters can take: cut off while decoding */
    expect_refused(decl, "name=abcdefghijklmnopqrstuvwxyz", 400, "name", "too long");

    /* .check with .reason: the reason is the check's; the length keeps its own */
    static const param_decl checked[] = {
        {.name = "tag", .type = QP_STRING, .min = 1, .max = 8, .check = lower_only, .reason = "must be a-z"}, {0}};
    expect_param(checked, "tag=abc", "tag", "abc");
    expect_refused(checked, "tag=aBc", 400, "tag", "must be a-z");
    expect_refused(checked, "tag=a+b", 400, "tag", "must be a-z");
    expect_refused(checked, "tag=abcdefghi", 400, "tag", "must be 1 to 8 characters");
    expect_refused(checked, "tag=", 400, "tag", "must be 1 to 8 characters");
    /* .check without .reason */
    static const param_decl plain_check[] = {{.name = "tag", .type = QP_STRING, .min = 0, .max = 8, .check = lower_only},
                                             {0}};
    expect_refused(plain_check, "tag=A", 400, "tag", "has characters that are not allowed");
    /* .reason without .check replaces the length reason */
    static const param_decl reasoned[] = {
        {.name = "tag", .type = QP_STRING, .min = 1, .max = 3, .reason = "must be a short tag"}, {0}};
    expect_refused(reasoned, "tag=abcd", 400, "tag", "must be a short tag");
}

static void test_bool(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "active", .type = QP_BOOL}, {0}};
    pv t;
    pv_accept(&t, decl, "active=true");
    assert_true(qp_bool(&t.req, "active"));
    assert_true(qp_has(&t.req, "active"));
    assert_int_equal(qp_int(&t.req, "active"), 1);
    pv_done(&t);
    pv_accept(&t, decl, "active=false");
    assert_false(qp_bool(&t.req, "active"));
    assert_true(qp_has(&t.req, "active"));
    assert_int_equal(qp_int(&t.req, "active"), 0);
    pv_done(&t);
    pv_accept(&t, decl, "");
    assert_false(qp_bool(&t.req, "active"));
    assert_false(qp_has(&t.req, "active"));
    pv_done(&t);
    static const char *const bad[] = {"active=TRUE", "active=True", "active=1", "active=0", "active=yes",
                                      "active=", "active", "active=true+", "active=truex", NULL};
    for (const char *const *q = bad; *q; q++)
        expect_refused(decl, *q, 400, "active", "must be true or false");
}

static void test_enum(void **state)
{
    (void)state;
    static const param_decl filter[] = {PARAM_ENUM("status", colors), {0}};
    expect_param(filter, "status=red", "status", "red");
    expect_param(filter, "status=blue", "status", "blue");
    expect_param(filter, "status=", "status", NULL); /* QPF_EMPTY_ABSENT: no filter */
    expect_param(filter, "status", "status", NULL);
    expect_param(filter, "", "status", NULL);
    static const char *const bad[] = {"status=Red", "status=purple", "status=red+", "status=re", "status=redd", NULL};
    for (const char *const *q = bad; *q; q++)
        expect_refused(filter, *q, 400, "status", "must be one of: red green blue");

    /* without QPF_EMPTY_ABSENT an empty value is a value, and a bad one */
    static const param_decl strict[] = {{.name = "type", .type = QP_ENUM, .allowed = colors}, {0}};
    expect_refused(strict, "type=", 400, "type", "must be one of: red green blue");
    /* a custom reason replaces the list */
    static const param_decl custom[] = {
        {.name = "group_by", .type = QP_ENUM, .allowed = colors, .reason = "must be a colour"}, {0}};
    expect_param(custom, "group_by=green", "group_by", "green");
    expect_refused(custom, "group_by=day", 400, "group_by", "must be a colour");
}

static void test_uuid(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "orgId", .type = QP_UUID}, {0}};
    expect_param(decl, "orgId=0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "orgId", "0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    expect_param(decl, "orgId=0E1C6F4A-1B2C-4D5E-8F90-A1B2C3D4E5F6", "orgId", "0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    expect_param(decl, "orgId=0e1C6f4A%2D1b2c-4d5e-8f90-a1b2c3d4e5F6", "orgId", "0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    expect_param(decl, "", "orgId", NULL);
    static const char *const bad[] = {"orgId=",
                                      "orgId=0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f",
                                      "orgId=0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f67",
                                      "orgId=0e1c6f4a1b2c4d5e8f90a1b2c3d4e5f6",
                                      "orgId=0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5g6",
                                      "orgId=%7B0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6%7D",
                                      "orgId=0e1c6f4a+1b2c-4d5e-8f90-a1b2c3d4e5f6",
                                      NULL};
    for (const char *const *q = bad; *q; q++)
        expect_refused(decl, *q, 400, "orgId", "must be a UUID");
}

/* --- dates --------------------------------------------------------------- */

#define DATETIME_REASON "must be an ISO 8601 date or date-time, e.g. 2024-01-20T14:30:00Z"
#define DAY_REASON                                                                                                \
    "must be an ISO 8601 date (a day of the organization's time zone) or date-time, e.g. 2024-01-20"
#define SPAN_REASON                                                                                               \
    "must be an ISO 8601 date (a day of the organization's time zone) or date-time, "                             \
    "e.g. 2024-01-20 or 2024-01-20T14:30:00Z"

/* Values that are no ISO 8601 date or date-time (as sent, before decoding). */
static const char *const bad_dates[] = {
    "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "20240120", "2024-1-20", "24-01-20",
    "1969-12-31", "2101-01-01", "yesterday", "",
    "2024-01-20T25:00:00Z", "2024-01-20T14:60:00Z", "2024-01-20T14:30:60Z", "2024-01-20T14Z",
    "2024-01-20T14:30:00X", "2024-01-20T14:30:00.Z", "2024-01-20T", "2024-01-20Z",
    "2024-01-20T14:30:00%2B15:00", "2024-01-20T14:30:00%2B0200",
    "2024-01-20T14:30:00+02:00", /* an unencoded '+' is a space: the offset must be sent as %2B */
    NULL};

static void test_datetime(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "since", .type = QP_DATETIME}, {0}};
    expect_param(decl, "since=2024-01-20T14:30:00Z", "since", "2024-01-20 14:30:00");
    expect_param(decl, "since=2024-01-20T14%3A30%3A00Z", "since", "2024-01-20 14:30:00");
    expect_param(decl, "since=2024-01-20T14:30:00.123456Z", "since", "2024-01-20 14:30:00");
    expect_param(decl, "since=2024-01-20T14:30Z", "since", "2024-01-20 14:30:00");
    expect_param(decl, "since=2024-01-20T14:30:00", "since", "2024-01-20 14:30:00"); /* no zone: UTC */
    expect_param(decl, "since=2024-01-20+14:30:00", "since", "2024-01-20 14:30:00"); /* a space ('+') for 'T' */
    /* an offset is converted to UTC */
    expect_param(decl, "since=2024-01-20T14%3A30%3A00%2B02%3A00", "since", "2024-01-20 12:30:00");
    expect_param(decl, "since=2024-01-20T14:30:00%2B02:00", "since", "2024-01-20 12:30:00");
    expect_param(decl, "since=2024-01-20T14:30:00-05:30", "since", "2024-01-20 20:00:00");
    expect_param(decl, "since=2024-01-01T01:00:00%2B02:00", "since", "2023-12-31 23:00:00");
    expect_param(decl, "since=2024-02-29T23:30:00-01:00", "since", "2024-03-01 00:30:00");
    /* a plain date is its midnight */
    expect_param(decl, "since=2024-01-20", "since", "2024-01-20 00:00:00");
    pv t;
    pv_accept(&t, decl, "since=2024-01-20");
    assert_true(qp_date_only(&t.req, "since"));
    pv_done(&t);
    pv_accept(&t, decl, "since=2024-01-20T00:00:00Z");
    assert_false(qp_date_only(&t.req, "since"));
    pv_done(&t);
    pv_accept(&t, decl, "");
    assert_false(qp_date_only(&t.req, "since"));
    assert_null(qp_str(&t.req, "since"));
    pv_done(&t);

    char q[160];
    for (const char *const *b = bad_dates; *b; b++) {
        snprintf(q, sizeof q, "since=%s", *b);
        expect_refused(decl, q, 400, "since", DATETIME_REASON);
    }
    /* longer than any date-time: cut off while decoding */
    expect_refused(decl, "since=2024-01-20T14:30:00.000000000000000000000000000000000000000000000000000000Z", 400,
                   "since", "too long");
}

static void test_day(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "date_from", .type = QP_DAY, .flags = QPF_EMPTY_ABSENT}, {0}};
    pv t;
    pv_accept(&t, decl, "date_from=2024-01-20");
    assert_string_equal(qp_str(&t.req, "date_from"), "2024-01-20 00:00:00");
    assert_true(qp_date_only(&t.req, "date_from"));
    pv_done(&t);
    pv_accept(&t, decl, "date_from=2024-01-20T23:30:00-01:00");
    assert_string_equal(qp_str(&t.req, "date_from"), "2024-01-21 00:30:00");
    assert_false(qp_date_only(&t.req, "date_from"));
    pv_done(&t);
    expect_param(decl, "date_from=", "date_from", NULL);

    char q[160];
    for (const char *const *b = bad_dates; *b; b++) {
        if (!**b)
            continue; /* empty is absent here */
        snprintf(q, sizeof q, "date_from=%s", *b);
        expect_refused(decl, q, 400, "date_from", DAY_REASON);
    }
}

#define MS_2024_01_20 1705708800000LL /* 2024-01-20T00:00:00Z */
#define MS_HOUR 3600000LL
#define MS_DAY (24 * MS_HOUR)

static const param_decl span_decl[] = {PARAMS_SPAN, {0}};

/* query is valid and gives the span [from_ms, to_ms) with these sides. */
static void expect_span(const char *query, bool has_from, long long from_ms, bool has_to, long long to_ms)
{
    pv t;
    pv_accept(&t, span_decl, query);
    const dl_span *s = qp_span(&t.req);
    if (s->has_from != has_from || s->has_to != has_to || s->from_ms != from_ms || s->to_ms != to_ms)
        fail_msg("'%s': span %d %lld .. %d %lld, want %d %lld .. %d %lld", query, s->has_from, s->from_ms,
                 s->has_to, s->to_ms, has_from, from_ms, has_to, to_ms);
    pv_done(&t);
}

static void test_span_datetimes(void **state)
{
    (void)state;
    expect_span("", false, SPAN_MIN_MS, false, SPAN_MAX_MS);
    expect_span("date_from=&date_to=", false, SPAN_MIN_MS, false, SPAN_MAX_MS); /* QPF_EMPTY_ABSENT */
    /* [from, to + 1 s): a date-time date_to includes its whole second */
    expect_span("date_from=2024-01-20T00:00:00Z&date_to=2024-01-21T00:00:00Z", true, MS_2024_01_20, true,
                MS_2024_01_20 + MS_DAY + 1000);
    /* offsets are converted to UTC */
    expect_span("date_from=2024-01-20T02:00:00%2B02:00&date_to=2024-01-20T01:00:00-01:00", true, MS_2024_01_20,
                true, MS_2024_01_20 + 2 * MS_HOUR + 1000);
    /* one side */
    expect_span("date_from=2024-01-20T00:00:00Z", true, MS_2024_01_20, false, SPAN_MAX_MS);
    expect_span("date_to=2024-01-20T00:00:00Z&date_from=", false, SPAN_MIN_MS, true, MS_2024_01_20 + 1000);
    /* the same second on both sides is a one-second span */
    expect_span("date_from=2024-01-20T00:00:00Z&date_to=2024-01-20T00:00:00Z", true, MS_2024_01_20, true,
                MS_2024_01_20 + 1000);
    /* the epoch itself */
    expect_span("date_from=1970-01-01T00:00:00Z", true, 0, false, SPAN_MAX_MS);

    expect_refused(span_decl, "date_from=2024-01-20T00:00:01Z&date_to=2024-01-20T00:00:00Z", 400, "date_from",
                   "must be before date_to");
    expect_refused(span_decl, "date_from=2024-01-20T00:00:00Z&date_to=2024-01-19T23:59:58Z", 400, "date_from",
                   "must be before date_to");
    /* before the epoch once converted to UTC */
    expect_refused(span_decl, "date_from=1970-01-01T00:30:00%2B01:00", 400, "date_from",
                   "must be on or after 1970-01-01T00:00:00Z");
    expect_refused(span_decl, "date_to=1970-01-01T00:59:59%2B01:00", 400, "date_to",
                   "must be on or after 1970-01-01T00:00:00Z");
    char q[160];
    for (const char *const *b = bad_dates; *b; b++) {
        if (!**b)
            continue;
        snprintf(q, sizeof q, "date_to=%s", *b);
        expect_refused(span_decl, q, 400, "date_to", SPAN_REASON);
    }
    expect_refused(span_decl, "date_from=2024-01-20T00:00:00Z&date_from=2024-01-21T00:00:00Z", 400, "date_from",
                   "given more than once");
}

/* Plain dates are days of the org's time zone, read from the database: with
 * no connection that is a 503 asking to retry, not a 400 or a crash. */
static void test_span_plain_date_needs_db(void **state)
{
    (void)state;
    static const char *const queries[] = {"date_from=2024-01-20", "date_to=2024-01-20",
                                          "date_from=2024-01-20T00:00:00Z&date_to=2024-01-21", NULL};
    for (const char *const *q = queries; *q; q++) {
        pv t;
        pv_run(&t, span_decl, *q);
        assert_false(t.ok);
        assert_int_equal(t.res.status, 503);
        assert_int_equal(t.res.nextra, 1);
        assert_string_equal(t.res.extra_headers[0], "Retry-After: 1");
        expect_error_field(&t.res, 503, NULL);
        pv_done(&t);
    }
    /* a bad plain date is refused before the database is asked */
    expect_refused(span_decl, "date_from=2024-02-30", 400, "date_from", SPAN_REASON);
}

/* --- phone numbers ------------------------------------------------------- */

static void test_phone(void **state)
{
    (void)state;
    static const param_decl decl[] = {PARAM_PHONE("phone_number"), {0}};
    expect_param(decl, "phone_number=%2B12125551234", "phone_number", "+12125551234");
    expect_param(decl, "phone_number=2125551234", "phone_number", "+12125551234");
    expect_param(decl, "phone_number=%28212%29+555-1234", "phone_number", "+12125551234");
    expect_param(decl, "phone_number=212.555.1234", "phone_number", "+12125551234");
    expect_param(decl, "phone_number=1-212-555-1234", "phone_number", "+12125551234");
    expect_param(decl, "phone_number=%2B44+20+7123+4567", "phone_number", "+442071234567");
    /* an unencoded '+' is a space: still the same number */
    expect_param(decl, "phone_number=+12125551234", "phone_number", "+12125551234");
    expect_param(decl, "phone_number=", "phone_number", NULL);
    static const char *const bad[] = {"phone_number=123456", "phone_number=1234567890123456",
                                      "phone_number=212-555-CALL", "phone_number=abc",
                                      "phone_number=2125551234x12", "phone_number=212%2F555%2F1234",
                                      "phone_number=+", NULL};
    for (const char *const *q = bad; *q; q++)
        expect_refused(decl, *q, 400, "phone_number", "must be a phone number, e.g. +12125551234");
}

static void test_e164(void **state)
{
    (void)state;
    static const param_decl decl[] = {{.name = "business_number", .type = QP_E164}, {0}};
    expect_param(decl, "business_number=%2B12125551234", "business_number", "+12125551234");
    expect_param(decl, "business_number=2125551234", "business_number", "+12125551234");
    expect_param(decl, "business_number=%28212%29%20555-1234", "business_number", "+12125551234");
    expect_param(decl, "business_number=00442071234567", "business_number", "+442071234567");
    expect_param(decl, "business_number=011442071234567", "business_number", "+442071234567");
    expect_param(decl, "business_number=%2B442071234567", "business_number", "+442071234567");

    /* refused with the normaliser's reason and the value as given (decoded) */
    static const char *const bad[] = {"12345", "abc", "%2B1+112+555+1234", "02071234567", "%2B0123456789",
                                      "1234567890123456", "", NULL};
    char q[160], e164[PHONE_E164_MAX + 1];
    for (const char *const *b = bad; *b; b++) {
        snprintf(q, sizeof q, "business_number=%s", *b);
        pv t;
        pv_run(&t, decl, q);
        if (t.ok)
            fail_msg("'%s' accepted", q);
        char value[64];
        vs_response scratch = {0};
        vs_request r = test_request(q, NULL, NULL);
        assert_int_equal(query_get(&r, &scratch, "business_number", value, sizeof value), 1);
        phone_status st = phone_normalize(value, e164);
        assert_int_not_equal(st, PHONE_OK);
        json_t *details = json_object_get(t.res.body, "details");
        assert_string_equal(json_string_value(json_object_get(details, "reason")), phone_status_reason(st));
        assert_string_equal(json_string_value(json_object_get(details, "value")), value);
        expect_error_field(&t.res, 400, "business_number");
        pv_done(&t);
    }
}

/* --- required / empty-absent ---------------------------------------------- */

static void test_required(void **state)
{
    (void)state;
    static const param_decl req[] = {{.name = "name", .type = QP_STRING, .flags = QPF_REQUIRED, .min = 1, .max = 10},
                                     {0}};
    expect_param(req, "name=x", "name", "x");
    expect_refused(req, "", 400, "name", "is required");
    expect_refused(req, NULL, 400, "name", "is required");
    expect_refused(req, "name=", 400, "name", "must be 1 to 10 characters"); /* given, empty */

    static const param_decl req_empty[] = {
        {.name = "name", .type = QP_STRING, .flags = QPF_REQUIRED | QPF_EMPTY_ABSENT, .min = 0, .max = 10}, {0}};
    expect_param(req_empty, "name=x", "name", "x");
    expect_refused(req_empty, "name=", 400, "name", "is required");
    expect_refused(req_empty, "name", 400, "name", "is required");

    /* a required integer has no default to fall back on */
    static const param_decl req_int[] = {
        {.name = "n", .type = QP_INT, .flags = QPF_REQUIRED, .min = 0, .max = 9, .dflt = 3}, {0}};
    expect_refused(req_int, "", 400, "n", "is required");
    pv t;
    pv_accept(&t, req_int, "n=0");
    assert_int_equal(qp_int(&t.req, "n"), 0);
    pv_done(&t);

    /* checked in declaration order */
    static const param_decl two[] = {{.name = "a", .type = QP_INT, .flags = QPF_REQUIRED, .min = 0, .max = 9},
                                     {.name = "b", .type = QP_INT, .min = 0, .max = 9}, {0}};
    expect_refused(two, "b=x", 400, "a", "is required");
    expect_refused(two, "a=x&b=1", 400, "a", NULL);
    expect_refused(two, "a=1&b=x", 400, "b", NULL);

    /* empty-absent without required: absent, the default stays */
    static const param_decl opt_int[] = {
        {.name = "n", .type = QP_INT, .flags = QPF_EMPTY_ABSENT, .min = 0, .max = 9, .dflt = 4}, {0}};
    pv_accept(&t, opt_int, "n=");
    assert_false(qp_has(&t.req, "n"));
    assert_int_equal(qp_int(&t.req, "n"), 4);
    pv_done(&t);
}

/* --- cursor -------------------------------------------------------------- */

#define ROW_ID "0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"

static void test_cursor(void **state)
{
    (void)state;
    static const param_decl decl[] = {PARAMS_CURSOR_PAGE("calls", CURSOR_KEY_TIME), {0}};
    char *c = cursor_encode("calls", "2024-01-20 14:30:00.123000", ROW_ID);
    char *other = cursor_encode("sms", "2024-01-20 14:30:00.123000", ROW_ID);
    char *text_key = cursor_encode("calls", "Ann Smith", ROW_ID);
    assert_non_null(c);
    assert_non_null(other);
    assert_non_null(text_key);
    char q[2000];
    pv t;

    snprintf(q, sizeof q, "cursor=%s&limit=20", c);
    pv_accept(&t, decl, q);
    const list_cursor *lc = qp_cursor(&t.req);
    assert_true(lc->present);
    assert_string_equal(lc->key, "2024-01-20 14:30:00.123000");
    assert_string_equal(lc->id, ROW_ID);
    assert_int_equal(qp_page(&t.req)->limit, 20);
    assert_int_equal(qp_page(&t.req)->skip, 0);
    pv_done(&t);

    snprintf(q, sizeof q, "skip=0&cursor=%s", c);
    pv_accept(&t, decl, q);
    assert_true(qp_cursor(&t.req)->present);
    pv_done(&t);

    /* no cursor, or an empty one: offset paging */
    pv_accept(&t, decl, "skip=5");
    assert_false(qp_cursor(&t.req)->present);
    assert_int_equal(qp_page(&t.req)->skip, 5);
    pv_done(&t);
    pv_accept(&t, decl, "cursor=&skip=5");
    assert_false(qp_cursor(&t.req)->present);
    assert_false(qp_has(&t.req, "cursor"));
    pv_done(&t);

    /* a cursor with skip > 0 */
    snprintf(q, sizeof q, "cursor=%s&skip=5", c);
    expect_refused(decl, q, 400, "skip", "cannot be combined with cursor");
    snprintf(q, sizeof q, "skip=1&cursor=%s", c);
    expect_refused(decl, q, 400, "skip", "cannot be combined with cursor");

    /* not a cursor of this list */
    static const char *const reason = "is not a cursor of this list (use next_cursor of a previous page as is)";
    snprintf(q, sizeof q, "cursor=%s", other);
    expect_refused(decl, q, 400, "cursor", reason);
    snprintf(q, sizeof q, "cursor=%s", text_key); /* a time list's key must be a time */
    expect_refused(decl, q, 400, "cursor", reason);
    expect_refused(decl, "cursor=abc", 400, "cursor", reason);
    expect_refused(decl, "cursor=%21%21", 400, "cursor", reason);
    snprintf(q, sizeof q, "cursor=%sx", c);
    expect_refused(decl, q, 400, "cursor", reason);
    /* a bad cursor is named before skip */
    snprintf(q, sizeof q, "cursor=%s&skip=5", other);
    expect_refused(decl, q, 400, "cursor", reason);
    /* longer than any cursor: refused by the cursor check, or already while decoding */
    memcpy(q, "cursor=", 7);
    memset(q + 7, 'A', CURSOR_TEXT_MAX + 1);
    q[7 + CURSOR_TEXT_MAX + 1] = 0;
    expect_refused(decl, q, 400, "cursor", reason);
    memset(q + 7, 'A', CURSOR_TEXT_MAX + 2);
    q[7 + CURSOR_TEXT_MAX + 2] = 0;
    expect_refused(decl, q, 400, "cursor", "too long");

    /* a text-key list takes a text key */
    static const param_decl text_decl[] = {PARAMS_CURSOR_PAGE("calls", CURSOR_KEY_TEXT), {0}};
    snprintf(q, sizeof q, "cursor=%s", text_key);
    pv_accept(&t, text_decl, q);
    assert_string_equal(qp_cursor(&t.req)->key, "Ann Smith");
    pv_done(&t);

    free(c);
    free(other);
    free(text_key);
}

/* --- accessors ----------------------------------------------------------- */

static void test_accessors(void **state)
{
    (void)state;
    static const param_decl decl[] = {PARAMS_PAGE,
                                      PARAM_ENUM("status", colors),
                                      {.name = "active", .type = QP_BOOL},
                                      {.name = "since", .type = QP_DATETIME},
                                      {.name = "day", .type = QP_DAY},
                                      {.name = "orgId", .type = QP_UUID},
                                      PARAM_PHONE("phone_number"),
                                      {.name = "q", .type = QP_STRING, .max = 40},
                                      {0}};
    pv t;
    pv_accept(&t, decl,
              "limit=20&skip=40&status=green&active=true&since=2024-01-20&day=2024-01-21T10:00:00Z"
              "&orgId=0E1C6F4A-1B2C-4D5E-8F90-A1B2C3D4E5F6&phone_number=2125551234&q=a+b");
    assert_int_equal(qp_page(&t.req)->limit, 20);
    assert_int_equal(qp_page(&t.req)->skip, 40);
    assert_string_equal(qp_str(&t.req, "status"), "green");
    assert_true(qp_bool(&t.req, "active"));
    assert_string_equal(qp_str(&t.req, "since"), "2024-01-20 00:00:00");
    assert_true(qp_date_only(&t.req, "since"));
    assert_string_equal(qp_str(&t.req, "day"), "2024-01-21 10:00:00");
    assert_false(qp_date_only(&t.req, "day"));
    assert_string_equal(qp_str(&t.req, "orgId"), "0e1c6f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    assert_string_equal(qp_str(&t.req, "phone_number"), "+12125551234");
    assert_string_equal(qp_str(&t.req, "q"), "a b");
    /* no cursor or span declared: none */
    assert_false(qp_cursor(&t.req)->present);
    assert_false(qp_span(&t.req)->has_from);
    assert_false(qp_span(&t.req)->has_to);
    /* a name the route does not declare reads as absent */
    assert_false(qp_has(&t.req, "nope"));
    assert_null(qp_str(&t.req, "nope"));
    assert_int_equal(qp_int(&t.req, "nope"), 0);
    assert_false(qp_bool(&t.req, "nope"));
    assert_false(qp_date_only(&t.req, "nope"));
    assert_false(qp_has(&t.req, "Status"));
    pv_done(&t);

    /* nothing given */
    pv_accept(&t, decl, "status=");
    for (const param_decl *d = decl; d->name; d++)
        assert_false(qp_has(&t.req, d->name));
    assert_false(qp_bool(&t.req, "active"));
    assert_int_equal(qp_int(&t.req, "limit"), PAGE_DEFAULT_LIMIT);
    pv_done(&t);

    /* a request the router has not validated (req->q NULL) */
    vs_request r = test_request("limit=5&status=red", NULL, NULL);
    assert_int_equal(qp_page(&r)->skip, 0);
    assert_int_equal(qp_page(&r)->limit, PAGE_DEFAULT_LIMIT);
    assert_false(qp_cursor(&r)->present);
    assert_false(qp_span(&r)->has_from);
    assert_true(qp_span(&r)->from_ms == SPAN_MIN_MS);
    assert_true(qp_span(&r)->to_ms == SPAN_MAX_MS);
    assert_false(qp_has(&r, "status"));
    assert_null(qp_str(&r, "status"));
    assert_int_equal(qp_int(&r, "limit"), 0);
}

/* Every value keeps its own text in the shared buffer, also when the
 * normalized text is longer than what was sent (dates, phone numbers). */
static void test_values_do_not_overlap(void **state)
{
    (void)state;
    param_decl decl[QP_MAX_PARAMS + 1];
    char names[QP_MAX_PARAMS][16];
    char query[1024] = "";
    memset(decl, 0, sizeof decl);
    for (int i = 0; i < QP_MAX_PARAMS; i++) {
        snprintf(names[i], sizeof names[i], "p%d", i);
        decl[i].name = names[i];
        decl[i].type = i % 2 ? QP_PHONE : QP_DATETIME;
        char part[48];
        if (i % 2)
            snprintf(part, sizeof part, "%sp%d=212555%04d", i ? "&" : "", i, 1000 + i);
        else
            snprintf(part, sizeof part, "%sp%d=2024-01-%02d", i ? "&" : "", i, 1 + i);
        strcat(query, part);
    }
    pv t;
    pv_accept(&t, decl, query);
    for (int i = 0; i < QP_MAX_PARAMS; i++) {
        char want[32];
        if (i % 2)
            snprintf(want, sizeof want, "+1212555%04d", 1000 + i);
        else
            snprintf(want, sizeof want, "2024-01-%02d 00:00:00", 1 + i);
        assert_string_equal(qp_str(&t.req, names[i]), want);
    }
    pv_done(&t);
}

/* --- vs-api --routes ------------------------------------------------------ */

static void test_describe(void **state)
{
    (void)state;
    static const param_decl decl[] = {PARAMS_CURSOR_PAGE("calls", CURSOR_KEY_TIME),
                                      PARAM_ENUM("status", colors),
                                      {.name = "active", .type = QP_BOOL},
                                      {.name = "q", .type = QP_STRING, .flags = QPF_REQUIRED, .min = 1, .max = 9},
                                      {0}};
    json_t *d = params_describe(decl);
    assert_int_equal(json_array_size(d), 6);
    json_t *limit = json_array_get(d, 1);
    assert_string_equal(json_string_value(json_object_get(limit, "name")), "limit");
    assert_string_equal(json_string_value(json_object_get(limit, "type")), "integer");
    assert_int_equal(json_integer_value(json_object_get(limit, "min")), 1);
    assert_int_equal(json_integer_value(json_object_get(limit, "max")), 500);
    assert_int_equal(json_integer_value(json_object_get(limit, "default")), 50);
    assert_true(json_is_false(json_object_get(limit, "required")));
    json_t *cursor = json_array_get(d, 2);
    assert_string_equal(json_string_value(json_object_get(cursor, "type")), "cursor");
    assert_string_equal(json_string_value(json_object_get(cursor, "list")), "calls");
    json_t *status = json_array_get(d, 3);
    assert_string_equal(json_string_value(json_object_get(status, "type")), "enum");
    assert_int_equal(json_array_size(json_object_get(status, "enum")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(status, "enum"), 2)), "blue");
    json_t *active = json_array_get(d, 4);
    assert_int_equal(json_array_size(json_object_get(active, "enum")), 2);
    json_t *q = json_array_get(d, 5);
    assert_true(json_is_true(json_object_get(q, "required")));
    assert_int_equal(json_integer_value(json_object_get(q, "maxLength")), 9);
    json_decref(d);
    d = params_describe(NULL);
    assert_int_equal(json_array_size(d), 0);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_defaults),
        cmocka_unit_test(test_page_bounds),
        cmocka_unit_test(test_int_declared),
        cmocka_unit_test(test_unknown_parameter),
        cmocka_unit_test(test_repeated_parameter),
        cmocka_unit_test(test_percent_decoding),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_day),
        cmocka_unit_test(test_span_datetimes),
        cmocka_unit_test(test_span_plain_date_needs_db),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_e164),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_cursor),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_values_do_not_overlap),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
